"""The one path check: every file the builder takes from a content folder goes through it.

A content folder comes from many hands, so a name in it (a chapter in ``report.yaml``, an
edition's folder or stylesheet, a letter, an image, a symbolic link among the chapters)
must never lead to a file outside it: its text would end up in the PDF. Names are
resolved with their symbolic links, then refused when they land outside the content
folder (or, for stylesheets, outside the builder's own ``styles/``), with one line that
says which name and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from report.errors import Problem, SourceError

OUTSIDE = "is outside the content folder; keep the file inside the folder of report.yaml"
LINK_OUTSIDE = "is a link to a file outside the content folder; copy the file in instead"


def inside(path: Path, *roots: Path) -> bool:
    """Whether ``path``, links resolved, is in one of ``roots`` (links resolved too)."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def checked(path: Path, *roots: Path) -> Path:
    """``path`` itself, or a located ``SourceError`` when it leads outside ``roots``."""
    if inside(path, *roots):
        return path
    message = LINK_OUTSIDE if inside(path.parent, *roots) else OUTSIDE
    raise SourceError(Problem(path, message))


def files_in(folder: Path, pattern: str, root: Path) -> list[Path]:
    """The files of ``folder`` matching ``pattern``, by name, each checked (a link among
    them that leads outside ``root`` is refused, not read)."""
    checked(folder, root)
    return [checked(path, root) for path in sorted(folder.glob(pattern))]


def walk(root: Path, skipped: Path | None = None) -> Iterator[Path]:
    """Every file under ``root``, by path, without following a link out of it: a link is
    listed as itself (the caller reads the link, never its target)."""
    skipped = skipped.resolve() if skipped is not None else None
    for folder, subfolders, names in os.walk(root, followlinks=False):
        here = Path(folder)
        links = [name for name in subfolders if (here / name).is_symlink()]
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name != "__pycache__" and (here / name).resolve() != skipped
        )
        for name in sorted([*names, *links]):  # a link to a folder is listed like a file
            yield here / name
