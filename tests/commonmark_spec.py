"""The CommonMark spec's examples (npm package ``commonmark-spec``), for the chapter stage.

``python tests/commonmark_spec.py`` (run by ``setup.sh``) downloads the pinned package
from the npm registry into ``tests/.cache/`` (git-ignored) and checks its hash;
``examples()`` reads the examples the way the package's own ``index.js`` does.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "0.31.2"
URL = f"https://registry.npmjs.org/commonmark-spec/-/commonmark-spec-{VERSION}.tgz"
SHA256 = "588280df96c211f7ce9db0b7943ded34ac4b8ba321e2fdf9c03d188ec0f01fea"
SPEC = Path(__file__).resolve().parent / ".cache" / f"commonmark-spec-{VERSION}" / "spec.txt"
EXAMPLE = re.compile(r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$", re.MULTILINE)


def download() -> Path:
    """Fetch the package once; later runs reuse it."""
    if SPEC.is_file():
        return SPEC
    with urllib.request.urlopen(URL, timeout=60) as response:  # a fixed https URL
        payload = response.read()
    if hashlib.sha256(payload).hexdigest() != SHA256:
        raise SystemExit(f"commonmark-spec {VERSION}: unexpected download, hash differs")
    with tarfile.open(fileobj=io.BytesIO(payload)) as archive:
        member = archive.extractfile("package/spec.txt")
        assert member is not None
        SPEC.parent.mkdir(parents=True, exist_ok=True)
        SPEC.write_bytes(member.read())
    return SPEC


def examples() -> list[tuple[int, str, str]]:
    """(number, Markdown, expected HTML) of every example; '→' stands for a tab."""
    text = SPEC.read_text(encoding="utf-8")
    text = re.sub(r"^<!-- END TESTS -->(.|\n)*", "", text, flags=re.MULTILINE)
    return [
        (number, match[1].replace("→", "\t"), match[2].replace("→", "\t"))
        for number, match in enumerate(EXAMPLE.finditer(text), start=1)
    ]


if __name__ == "__main__":
    print(f"commonmark-spec {VERSION}: {download()}", file=sys.stderr)
