"""Progress on a terminal: the stage a build is in and, for ``--all``, each PDF as it is
finished.

A full report takes several seconds and ``--all`` longer; on a terminal, silence looks
like a hang, so a spinner names the running stage, and a bar counts the PDFs with a line
per finished one. All of it is transient: when the work ends it is erased, and what stays
is what a log gets (the notes and warnings, the ``--all`` table) and, last, the summary
line. Log lines, the workers' included, print above the display, never through it.

When stderr is not a terminal (CI, a log file, pytest's capture) or under ``--quiet``,
nothing here runs and the output is line-based, exactly as it always was. rich is
imported only when a terminal is there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report.app.build import STAGES, watching_stages
from report.app.editions import JobResult
from report.errors import WarningCounter, display_path

if TYPE_CHECKING:
    from rich.console import Console


def make_console() -> Console | None:
    """A console on stderr when stderr is a terminal that can redraw a line, else None.
    A terminal, not what rich would colour: FORCE_COLOR, which some CI services set,
    must not put spinner frames into a log."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    console = Console(stderr=True)
    return console if console.is_terminal and not console.is_dumb_terminal else None


def terminal(quiet: bool) -> Console | None:
    """The console to show progress on, or None for plain lines."""
    return None if quiet else make_console()


@contextlib.contextmanager
def build_progress(content_dir: Path, quiet: bool) -> Iterator[None]:
    """One build: a spinner naming each stage as it starts."""
    console = terminal(quiet)
    if console is None:
        yield
        return
    from rich.live import Live
    from rich.spinner import Spinner

    spinner = Spinner("dots", text=f"Building {display_path(content_dir)}")

    def started(name: str) -> None:
        number = STAGES.index(name) + 1 if name in STAGES else 0
        spinner.update(text=f"Building {display_path(content_dir)}: {name} ({number} of 10)")
        live.refresh()

    with (
        Live(spinner, console=console, transient=True, refresh_per_second=10) as live,
        _logs_above(console),
        watching_stages(started),
    ):
        yield


@dataclass
class EditionsWatch:
    """What ``build_all`` is given: whom to tell of each finished PDF, and where the
    workers' output goes (None: straight to stderr, as without a terminal)."""

    finished: Callable[[JobResult], None] = lambda result: None
    worker_setup: Callable[[], None] | None = None
    done: list[str] = field(default_factory=list)


@contextlib.contextmanager
def editions_progress(total: int, quiet: bool) -> Iterator[EditionsWatch]:
    """``--all``: a bar counting the PDFs, above it a line per finished PDF."""
    console = terminal(quiet)
    if console is None:
        yield EditionsWatch()
        return
    from rich.console import Group
    from rich.live import Live
    from rich.progress_bar import ProgressBar
    from rich.spinner import Spinner
    from rich.table import Table
    from rich.text import Text

    watch = EditionsWatch()
    spinner = Spinner("dots")
    started = time.perf_counter()

    def view() -> Group:
        line = Table.grid(padding=(0, 1))
        elapsed = time.perf_counter() - started
        line.add_row(
            spinner,
            Text(f"Building {total} PDFs"),
            ProgressBar(total=total, completed=len(watch.done), width=30),
            Text(f"{len(watch.done)} of {total}, {elapsed:.0f} s"),
        )
        return Group(*(Text(row) for row in watch.done), line)

    def finished(result: JobResult) -> None:
        if result.error:
            watch.done.append(f"  FAILED  {result.job.label}")
        else:
            watch.done.append(
                f"  done    {result.job.label}: {result.pages} pages in {result.seconds:.1f} s"
            )
        live.refresh()

    relay = _Relay(console)
    watch.finished = finished
    watch.worker_setup = relay.worker_setup
    with (
        Live(console=console, transient=True, get_renderable=view, refresh_per_second=10) as live,
        _logs_above(console),
        relay,
    ):
        yield watch


def _stream_handlers() -> list[logging.StreamHandler]:
    """The handlers the command line set up to print messages on stderr."""
    return [
        handler
        for name in WarningCounter.LOGGERS
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler)
    ]


@contextlib.contextmanager
def _logs_above(console: Console) -> Iterator[None]:
    """Messages print above the live display, whole lines at a time."""
    from rich.file_proxy import FileProxy

    handlers = _stream_handlers()
    streams = [handler.stream for handler in handlers]
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(FileProxy(console, stream))
    try:
        yield
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.stream.flush()
            handler.setStream(stream)


class _Relay:
    """The workers' stderr, through a pipe that a thread of the main process reads, so
    their messages print above the display instead of through it."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.reader, self.writer = os.pipe()
        self.thread = threading.Thread(target=self._pump, daemon=True)

    def __enter__(self) -> _Relay:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        os.close(self.writer)  # the workers have ended: the reader meets the end
        self.thread.join(timeout=5)

    def worker_setup(self) -> None:
        """In a worker: stderr is the pipe, and messages are plain lines again. The worker
        inherited the display's proxies, which only the main process may use, and a copy
        of stderr whose lock the display's thread may have held when the worker was
        forked: it gets a stream of its own."""
        os.dup2(self.writer, 2)
        stream = open(2, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        sys.stderr = stream
        for handler in _stream_handlers():
            handler.stream = stream  # not setStream: it would flush the inherited proxy

    def _pump(self) -> None:
        from rich.text import Text

        with open(self.reader, encoding="utf-8", errors="replace") as pipe:
            for line in pipe:
                self.console.print(Text.from_ansi(line.rstrip("\n")))
