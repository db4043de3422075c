"""Which stylesheets a build uses, in the order they override each other."""

from __future__ import annotations

from pathlib import Path

from report import PROJECT_STYLES
from report.errors import Problem, RenderError
from report.sources.config import CONFIG_FILE
from report.sources.editions import FULL_REPORT, Edition
from report.sources.paths import files_in, inside


def stylesheet_paths(
    content_dir: Path, print_marks: bool = False, edition: Edition = FULL_REPORT
) -> list[Path]:
    """The packaged stylesheets, then the content folder's own (which override them), then
    the edition's extra stylesheet (from the package's styles/ or the content folder)."""
    if not (PROJECT_STYLES / "report.css").is_file():
        raise RenderError(
            Problem(
                PROJECT_STYLES,
                ("stylesheet folder not found; install with 'pip install -e .' from a checkout"),
            )
        )
    packaged = [PROJECT_STYLES / "report.css"]
    if print_marks:
        packaged.append(PROJECT_STYLES / "print.css")
    own = files_in(content_dir / "styles", "*.css", content_dir)
    if edition.stylesheet:
        own.append(edition_stylesheet(content_dir, edition.stylesheet))
    return [*packaged, *own]


def edition_stylesheet(content_dir: Path, name: str) -> Path:
    """A stylesheet of the package (``brief.css``) or of the content folder, never one a
    name or a link leads to elsewhere."""
    for folder in (PROJECT_STYLES, content_dir):
        if (folder / name).is_file() and inside(folder / name, folder):
            return folder / name
    raise RenderError(
        Problem(
            content_dir / CONFIG_FILE,
            (f"stylesheet '{name}' not found in styles/ nor in the content folder"),
            field="editions.stylesheet",
        )
    )
