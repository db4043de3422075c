"""``report watch``, and what ``report serve`` shares with it: which saves count, and one
rebuild per burst of them.

An author saves often, and one save is often several events (a temporary file, a rename,
an editor's swap file). watchfiles (inotify on Linux) gathers them; a rebuild starts once
the folders have been quiet for ``STEP_MS``. The content folder and the builder's styles
are watched; the output folder (which may sit inside the content folder: the builder's
own writes must not start a build) and hidden or editor files are not.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import watchfiles

from report import PROJECT_STYLES
from report.app.build import BuildOptions, BuildResult, build
from report.app.editions import plan_editions
from report.errors import ConfigError, Problem, ReportError, display_path

STEP_MS = 50  # quiet time that ends a burst of saves
DEBOUNCE_MS = 1000  # a longer burst (a folder being copied in) is cut here
TICK_MS = 200  # with nothing saved, the loop still wakes this often


class ReportFiles(watchfiles.DefaultFilter):
    """The files a report is made of: not the output folder, hidden files (``.#x.md``,
    ``.rapport.pdf.tmp``) nor what watchfiles already leaves out (``.git``, ``x.md~``,
    ``.swp``); ``4913`` is the file vim writes to test a folder."""

    def __init__(self, output_dir: Path) -> None:
        super().__init__()
        self.output_dir = output_dir.resolve()

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        file = Path(path)
        if file.name.startswith(".") or file.name == "4913":
            return False
        if file.resolve().is_relative_to(self.output_dir):
            return False
        return super().__call__(change, path)


def changes(content_dir: Path, output_dir: Path) -> Iterator[list[Path]]:
    """The files changed by each burst of saves; an empty list when nothing changed for
    ``TICK_MS``. The first item comes once the folders are watched, so a save made after
    it is never missed; callers build for the first time then."""
    check_folder(content_dir)
    for batch in watchfiles.watch(
        content_dir,
        PROJECT_STYLES,
        watch_filter=ReportFiles(output_dir),
        step=STEP_MS,
        debounce=DEBOUNCE_MS,
        rust_timeout=TICK_MS,
        yield_on_timeout=True,
    ):
        yield sorted({Path(path) for _, path in batch})


def check_folder(content_dir: Path) -> None:
    """A folder that does not exist cannot be watched: the same line as ``report build``."""
    if not content_dir.is_dir():
        raise ConfigError(
            Problem(content_dir, "content folder not found; give the folder that holds report.yaml")
        )


def clock() -> str:
    return time.strftime("%H:%M:%S")


def what_changed(changed: list[Path]) -> str:
    """' after saving content/chapters/01.md' (and N other files); nothing for the first
    build."""
    if not changed:
        return ""
    others = len(changed) - 1
    more = f" and {others} other file{'s' * (others > 1)}" if others else ""
    return f" after saving {display_path(changed[0])}{more}"


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def watch(content_dir: Path, output_dir: Path, options: BuildOptions) -> None:
    """Build, then build again after every burst of saves, one line each, until Ctrl-C
    (KeyboardInterrupt reaches the command line: exit 130, the last PDF intact)."""
    for count, changed in enumerate(changes(content_dir, output_dir)):
        if count == 0:
            say(
                f"Watching {display_path(content_dir)} and the builder's styles: the PDF is "
                "rebuilt on every save; Ctrl-C stops"
            )
        elif not changed:
            continue
        rebuild(content_dir, output_dir, options, what_changed(changed))


def rebuild(content_dir: Path, output_dir: Path, options: BuildOptions, cause: str) -> None:
    """One round: every PDF of the edition, one line each; problems as ``report build``
    prints them, the previous PDF left as it was."""
    started = time.perf_counter()
    try:
        for job_options in jobs(content_dir, options):
            say(f"{clock()} {built(build(content_dir, output_dir, job_options))}{cause}")
    except ReportError as error:
        for problem in error.problems:
            say(str(problem))
        count = len(error.problems)
        say(
            f"{clock()} Build failed: {count} problem{'s' * (count != 1)} in "
            f"{time.perf_counter() - started:.1f} s{cause}; the previous PDF is unchanged "
            "(fix and save again)"
        )


def jobs(content_dir: Path, options: BuildOptions) -> list[BuildOptions]:
    """The PDFs of one round: the report, or each PDF of ``--edition`` (a dossier edition
    gives one per body, built one after the other)."""
    if options.edition is None:
        return [options]
    planned = plan_editions(content_dir, options.edition)
    return [replace(options, edition=job.edition, body=job.body) for job in planned]


def built(result: BuildResult) -> str:
    warnings = f"{result.warnings} warning{'s' * (result.warnings != 1)}"
    if result.up_to_date:
        return f"{display_path(result.pdf)} is up to date ({result.pages} pages)"
    return (
        f"Built {display_path(result.pdf)}: {result.pages} pages in {result.seconds:.1f} s "
        f"({warnings})"
    )
