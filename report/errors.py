"""One family of errors for the person fixing the content.

Policy (what each logging level means in this project):

* ``ReportError`` (raised): the content, data or configuration is unusable; the build
  stops before anything is written, the CLI prints each problem on one line and exits 1.
* ``warning``: the content is probably wrong but a PDF can still be made (a refused
  URL, an unknown config key). ``--strict`` turns every warning into a failure.
* ``info``: a note the author should read (measures whose status is unknown).
* ``debug``: stage timings and details, shown with ``--debug``.

Every message has the same shape: ``path[:line]: field.path: what is wrong (how to fix)``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One located problem in the user's content."""

    path: Path | str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ReportError(Exception):
    """A problem the user can fix in their content; shown without a traceback."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(problem) for problem in self.problems))


class SourceError(ReportError):
    """A file of the content folder cannot be read or parsed (missing, not UTF-8, bad YAML)."""


class ConfigError(ReportError):
    """``report.yaml`` is missing, malformed or holds invalid values."""


class DataError(ReportError):
    """A data file (measures, plan, datasets) is malformed or inconsistent."""


class ContentError(ReportError):
    """A Markdown chapter cannot be read, parsed or templated."""


class RenderError(ReportError):
    """The PDF could not be produced or written."""


def display_path(path: Path | str) -> str:
    """Show a path relative to the working directory when possible: shorter and clickable."""
    path = Path(path)
    try:  # abspath, not resolve: a link is shown as itself, where the author put it
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def raise_if_any(problems: list[Problem], error_class: type[ReportError]) -> None:
    """Report every problem of a stage at once rather than one per run."""
    if problems:
        raise error_class(problems)


class WarningCounter(logging.Handler):
    """Counts the warnings of one build (ours and WeasyPrint's) for --strict."""

    LOGGERS = ("report", "weasyprint")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> WarningCounter:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)
