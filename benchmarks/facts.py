"""What the measured code already does, read from its source, to choose the proposals.

The files are found by path, and the package is being reorganised, so each source is looked
for under the current layout first, then the older one (``--ref`` may measure an old
commit). A fact whose source is not found is ``None``, "unknown": the report then neither
proposes the change nor claims it is done. Kept in the measurements, so ``--load`` can
rewrite the report without the tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from benchmarks.trees import Tree

Facts = dict[str, bool | None]

# Where each source is, newest layout first; a folder stands for all its Python files.
SOURCES = {
    "build": ("report/app/build.py", "report/build.py"),
    "render": ("report/output/render.py", "report/render.py"),
    "cli": ("report/app/cli.py", "report/cli.py"),
    "tagging": ("report/output/tagging", "report/output/tagging.py", "report/tagging.py"),
    "package": ("report",),
    "css": ("report/styles/report.css", "styles/report.css"),
}


def read_source(root: Path, candidates: tuple[str, ...]) -> str | None:
    """The text of the first candidate that exists (a folder: its .py files), else None."""
    for name in candidates:
        path = root / name
        if path.is_dir():
            files = sorted(path.rglob("*.py"))
            return "\n".join(file.read_text(encoding="utf-8") for file in files)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def _fingerprint_ignores_force(text: dict[str, str]) -> bool | None:
    """``--force`` and ``--strict`` dropped before hashing the options (wherever it lives)."""
    start = text["package"].find("def input_fingerprint")
    return None if start < 0 else "force=False" in text["package"][start:][:600]


def _recap_avoids_breaks(text: dict[str, str]) -> bool:
    """The whole recap grid kept on one page (``.recap { break-inside: avoid }``)."""
    recap = next((line for line in text["css"].splitlines() if line.startswith(".recap {")), "")
    return "break-inside: avoid" in recap


# fact -> (the sources it reads, the test on their text)
CHECKS: dict[str, tuple[tuple[str, ...], Callable[[dict[str, str]], bool | None]]] = {
    "gc_off_in_render": (("render",), lambda text: "gc.disable()" in text["render"]),
    "fix_tags_after_gc_enable": (
        ("render",),
        lambda text: (
            "gc.enable()" in text["render"] and "RenderedPdf(fix_tags(pdf)" in text["render"]
        ),
    ),
    "fix_tags": (("render",), lambda text: "fix_tags" in text["render"]),
    # the tree walked again after every editing pass (before the qpdf-JSON rewrite)
    "refresh_walks": (
        ("tagging",),
        lambda text: "def refresh" in text["tagging"] and "to_json" not in text["tagging"],
    ),
    "skips_teardown": (
        ("cli",),
        lambda text: not text["entry"].endswith(":main") and "os._exit" in text["cli"],
    ),
    "fingerprint_ignores_force": (("package",), _fingerprint_ignores_force),
    # the render stage cut in parts (`_step("layout", ...)` or a stage context manager)
    "render_split": (
        ("build",),
        lambda text: (
            re.search(r"\w*(?:step|stage)\w*\(\s*[\"']layout[\"']", text["build"]) is not None
        ),
    ),
    "recap_avoid": (("css",), _recap_avoids_breaks),
}


def code_facts(tree: Tree) -> Facts:
    """What the measured code already does; ``None`` where its source was not found."""
    found = {name: read_source(tree.root, paths) for name, paths in SOURCES.items()}
    text = {name: value for name, value in found.items() if value is not None}
    text["entry"] = tree.entry
    return {
        fact: check(text) if all(name in text for name in needs) else None
        for fact, (needs, check) in CHECKS.items()
    }
