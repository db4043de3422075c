"""Skipping unchanged builds: a fingerprint of every input, and the record of the last
clean build it gave.

An author who runs ``report build`` twice without editing anything gets the answer at
once. The fingerprint covers the builder's version, the options that shape the PDF and
the bytes of every file under the content folder and the builder itself (its styles
and fonts included); installed libraries and system fonts are not covered (``--force``
after upgrading them).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from report import PACKAGE_DIR, __version__
from report.output.files import write_atomically
from report.sources.paths import walk


@dataclass(frozen=True)
class LastBuild:
    """What the last clean build of one edition wrote."""

    pdf: Path
    html: Path
    pages: int


def input_fingerprint(content_dir: Path, shaping: str, output_dir: Path) -> str:
    """A hash of everything a PDF depends on; ``shaping`` names the options that change it.

    A symbolic link counts as the name it points to, never as the bytes of its target: a
    link that leads out of the content folder is never opened (the build refuses it).
    """
    digest = hashlib.sha256(f"{__version__}|{shaping}".encode())
    for root in (content_dir, PACKAGE_DIR):  # the package holds its styles and fonts
        for path in walk(root, skipped=output_dir):
            digest.update(str(path.relative_to(root)).encode())
            if path.is_symlink():
                digest.update(b"link:" + os.fsencode(os.readlink(path)))
            else:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def state_file(
    output_dir: Path, edition: str | None, body: str | None, for_print: bool = False
) -> Path:
    """One record per edition (and per dossier body, and for the print PDF), so they never
    mask each other."""
    name = f"{edition or 'report'}-{body or 'all'}" + "-print" * for_print
    return output_dir / ".cache" / f"last-build-{name}.json"


def previous_build(state: Path, fingerprint: str) -> LastBuild | None:
    """The last clean build, if it was made from the same inputs and its PDF is intact."""
    try:
        record = json.loads(state.read_text(encoding="utf-8"))
        pdf, html = Path(record["pdf"]).read_bytes(), Path(record["html"]).read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    intact = hashlib.sha256(pdf).hexdigest() == record.get("pdf_sha256") and (
        hashlib.sha256(html).hexdigest() == record.get("html_sha256")
    )
    if record.get("fingerprint") != fingerprint or not intact:
        return None
    return LastBuild(Path(record["pdf"]), Path(record["html"]), int(record["pages"]))


def forget_build(state: Path) -> None:
    """Before the outputs are replaced: a build stopped half-way is never taken as done."""
    state.unlink(missing_ok=True)


def record_build(state: Path, fingerprint: str, built: LastBuild, pdf: bytes, html: bytes) -> None:
    """Remember a clean build (one without warnings), so the next unchanged one is skipped;
    the PDF and HTML it names are checked to be that very pair."""
    record = {
        "fingerprint": fingerprint,
        "pdf": str(built.pdf),
        "html": str(built.html),
        "pages": built.pages,
        "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
        "html_sha256": hashlib.sha256(html).hexdigest(),
    }
    write_atomically(state, json.dumps(record, indent=1).encode())
