"""Helpers shared by the tests: a breakable copy of the sample project, CLI runs, PDFs.

The sample project ``tests/samples/minimal`` is small and fictional; tests that need to
break it work on a copy in ``tmp_path`` and run from ``tmp_path`` so that every path in
a message is predictable (``p/data/measures.yaml:19: ...``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import shutil
import struct
import textwrap
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from report.app.cli import main

SAMPLE = Path(__file__).parent / "samples" / "minimal"
LOGGERS = ("report", "weasyprint", "fontTools")

# The smallest valid report.yaml: the two required keys.
REPORT_YAML = "title: Rapport de test\ndate: 2023-01-02\n"


# --- logging ---------------------------------------------------------------------------


def reset_logging() -> None:
    """Undo what ``report.app.cli.setup_logging`` did, so tests do not leak handlers."""
    for name in LOGGERS:
        log = logging.getLogger(name)
        log.handlers = []
        log.propagate = True
        log.setLevel(logging.NOTSET)


# --- projects --------------------------------------------------------------------------


@dataclass
class Project:
    """A content folder the test may edit; ``name`` is how the CLI is given it."""

    root: Path
    name: str

    def path(self, relative: str) -> Path:
        return self.root / relative

    def shown(self, relative: str) -> str:
        """How a message names a file of the project (relative to the cwd)."""
        return f"{self.name}/{relative}"

    def read(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def line_of(self, relative: str, text: str) -> int:
        """1-based number of the first line containing ``text``."""
        for number, line in enumerate(self.read(relative).splitlines(), start=1):
            if text in line:
                return number
        raise AssertionError(f"{text!r} not in {relative}")

    def replace(self, relative: str, old: str, new: str) -> int:
        """Replace the first ``old`` (which must exist); return the line it was on."""
        content = self.read(relative)
        assert old in content, f"{old!r} not in {relative}"
        line = content[: content.index(old)].count("\n") + 1
        self.write(relative, content.replace(old, new, 1))
        return line

    def append(self, relative: str, text: str) -> int:
        """Append ``text`` (after a blank line); return the line of its first line."""
        content = self.read(relative)
        if not content.endswith("\n"):
            content += "\n"
        content += "\n"
        line = content.count("\n") + 1
        self.write(relative, content + text)
        return line


def copy_sample(destination: Path) -> Path:
    shutil.copytree(SAMPLE, destination)
    return destination


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a small inline project: ``{"report.yaml": "...", "data/m.yaml": "..."}``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# --- running the command line ----------------------------------------------------------


@dataclass
class Run:
    """The outcome of one ``main([...])`` call."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()

    @property
    def problems(self) -> list[str]:
        """Stderr without the ``note:`` lines (unknown statuses) printed before failures."""
        return [line for line in self.lines if not line.startswith("note: ")]

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.lines if line.startswith("warning: ")]


def run_main(args: list[str], cwd: Path) -> Run:
    """Like the ``cli`` fixture, usable from module-scoped fixtures (no capsys there)."""
    err, out = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stderr(err),
        contextlib.redirect_stdout(out),
    ):
        patch.chdir(cwd)
        code = main([str(arg) for arg in args])
    reset_logging()
    return Run(code, out.getvalue(), err.getvalue())


SUMMARY = re.compile(
    r"^Built (?P<pdf>\S+): (?P<pages>\d+) pages in \d+\.\d s \((?P<warnings>\d+) warnings?\)$"
)


# --- images and PDFs -------------------------------------------------------------------


def write_png(
    path: Path, width: int, height: int, rgb: tuple[int, int, int] = (200, 40, 40)
) -> Path:
    """A tiny opaque RGB PNG; its size identifies it inside a PDF."""

    def chunk(tag: bytes, payload: bytes) -> bytes:
        body = tag + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def pdf_images(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) of every raster image XObject in the PDF."""
    with pikepdf.open(pdf) as document:
        return sorted(
            (int(obj.Width), int(obj.Height))
            for obj in document.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def normalise(text: str) -> str:
    """Collapse spaces, including the no-break ones typography inserts."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()
