"""``report serve``: the report in the browser, updated on every save, and the PDF rebuilt
behind it.

The preview is the compose stage's HTML (``build.read_inputs`` then ``build.compose``,
the pipeline up to the finished HTML): the same document and stylesheets as the PDF,
without WeasyPrint's layout, which is what takes seconds. It is made again here, in the
main thread, after each burst of saves (``watch.changes``); the open pages follow through
the server's event stream (``server.py``, ``live.js``). The full PDF is then rebuilt by
``report build`` in a child process, so the next preview never waits for it nor shares
the interpreter with it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from report import PACKAGE_DIR
from report.app.build import BuildOptions, Inputs, Prepared, compose, read_inputs
from report.app.editions import plan_editions
from report.app.server import PDF_URL, LiveState, PreviewServer
from report.app.watch import changes, clock, say, what_changed
from report.errors import Problem, RenderError, ReportError, WarningCounter, display_path

# Files only the content stage reads (chapters and letters, templates, stylesheets): a
# save of these alone leaves the settings and the data as they were read.
CONTENT_STAGE = frozenset({".md", ".html", ".css"})
BACKGROUND_NICENESS = 10  # the PDF's child yields the cores to the preview (0 to 19)
STOP_WAIT = 3.0  # seconds a stopped PDF build gets to end before it is killed


@dataclass(frozen=True)
class Preview:
    """What one ``report serve`` shows: a content folder, an edition, where PDFs go."""

    content_dir: Path
    output_dir: Path
    edition: str | None = None


def serve(preview: Preview, port: int = 0, open_browser: bool = False) -> None:
    """Serve until Ctrl-C; KeyboardInterrupt then reaches the command line (exit 130)
    once the server and any PDF build are stopped."""
    state = LiveState()
    try:
        server = PreviewServer(port, preview.content_dir, preview.output_dir, state)
    except OSError as error:
        raise RenderError(
            Problem(
                f"127.0.0.1:{port}",
                f"cannot serve the preview ({error.strerror}); choose another --port, or "
                "leave --port out for a free one",
            )
        ) from None
    previewer = Previewer(preview, state, PdfBuilder(pdf_command(preview), state))
    try:
        for count, changed in enumerate(changes(preview.content_dir, preview.output_dir)):
            if count == 0:
                previewer.update(changed)
                server.serve_in_background()
                say(
                    f"Preview of {display_path(preview.content_dir)} at {server.url} (the PDF: "
                    f"{server.url.rstrip('/')}{PDF_URL}); Ctrl-C stops"
                )
                if open_browser:
                    webbrowser.open(server.url)
            elif changed:
                previewer.update(changed)
    finally:
        previewer.pdf.stop()
        server.stop()


class Previewer:
    """Makes the preview again after each burst of saves, and publishes it or its problems.

    Most saves are of a chapter: the settings and the data (the stages before ``content``,
    about a fifth of the time) are then kept from the last time they were read, with the
    warnings they gave. A save of any other file (YAML, an image...) reads them again."""

    def __init__(self, preview: Preview, state: LiveState, pdf: PdfBuilder) -> None:
        self.preview = preview
        self.state = state
        self.pdf = pdf
        self.kept: tuple[BuildOptions, Inputs, list[str]] | None = None

    def update(self, changed: list[Path]) -> None:
        """One line in the terminal; the page follows."""
        started = time.perf_counter()
        cause = what_changed(changed)
        try:
            prepared, warnings = self.prepare(changed)
        except ReportError as error:
            lines = tuple(str(problem) for problem in error.problems)
            for line in lines:
                say(line)
            say(
                f"{clock()} Preview not updated: {len(lines)} problem"
                f"{'s' * (len(lines) != 1)}{cause} (shown in the page; fix and save again)"
            )
            self.state.update(True, problems=lines, updated=clock())
            return
        seconds = time.perf_counter() - started
        say(f"{clock()} Preview {'updated' if changed else 'ready'} in {seconds:.2f} s{cause}")
        self.state.update(
            True,
            html=prepared.html,
            stylesheets=tuple(prepared.stylesheets),
            problems=(),
            warnings=tuple(warnings),
            updated=clock(),
        )
        self.pdf.request(self.preview.output_dir / f"{prepared.output}.pdf")

    def prepare(self, changed: list[Path]) -> tuple[Prepared, list[str]]:
        """``build.prepare``, the inputs kept when only the content stage's files changed."""
        content_dir, cache = self.preview.content_dir, self.preview.output_dir / ".cache"
        if not (self.kept and changed and all(p.suffix in CONTENT_STAGE for p in changed)):
            self.kept = None
            with Heard() as heard:
                options = options_for(self.preview)
                inputs = read_inputs(content_dir, cache, options)
            self.kept = (options, inputs, heard.lines)
        options, inputs, warnings = self.kept
        with Heard() as heard:
            prepared = compose(content_dir, inputs, options)
        return prepared, warnings + heard.lines


def options_for(preview: Preview) -> BuildOptions:
    """The report, or the edition's PDF; for a dossier edition, the first body's."""
    if preview.edition is None:
        return BuildOptions()
    first = plan_editions(preview.content_dir, preview.edition)[0]
    return BuildOptions(edition=first.edition, body=first.body)


class Heard(logging.Handler):
    """The warnings of one preview, for the page (the terminal shows each once a run)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        prefix = "error: " if record.levelno >= logging.ERROR else "warning: "
        self.lines.append(prefix + record.getMessage())

    def __enter__(self) -> Heard:
        for name in WarningCounter.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for name in WarningCounter.LOGGERS:
            logging.getLogger(name).removeHandler(self)


def pdf_command(preview: Preview) -> list[str]:
    """``report build`` as the author would type it, with this interpreter."""
    command = [sys.executable, "-m", "report", "build", str(preview.content_dir)]
    command += ["-o", str(preview.output_dir), "-q"]
    return command + (["--edition", preview.edition] if preview.edition else [])


class PdfBuilder:
    """The full PDF, rebuilt after each good preview by ``report build`` in a child
    process: WeasyPrint needs seconds and a core, and the preview must neither wait for
    it nor share the interpreter's lock with it. One build at a time: the saves made
    during a build give one more build after it, not one each. The child's lines (its
    warnings, problems and summary) are printed as ``report build`` prints them."""

    def __init__(self, command: list[str], state: LiveState) -> None:
        self.command = command
        self.state = state
        self._lock = threading.Lock()
        self._wanted: Path | None = None
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[str] | None = None
        self._stopped = False

    def request(self, pdf: Path) -> None:
        """Build again as soon as possible; ``pdf`` is the file the build will write."""
        with self._lock:
            self._wanted = pdf
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pdf", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                pdf, self._wanted = self._wanted, None
                if pdf is None or self._stopped:
                    self._thread = None
                    return
                self.state.update(False, pdf_state="building…")
                self._process = self._start()
            output, _ = self._process.communicate()
            with self._lock:
                if self._stopped:
                    return
            self._report(self._process.returncode, output, pdf)

    def _start(self) -> subprocess.Popen[str]:
        """The child runs this very builder, in a session of its own (Ctrl-C in the
        terminal reaches the server, which stops the child itself) and at a lower priority
        than the server's next preview."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PACKAGE_DIR.parent), env.get("PYTHONPATH")])
        )
        process = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            start_new_session=True,
        )
        with contextlib.suppress(OSError):  # the next preview comes first on a busy machine
            os.setpriority(os.PRIO_PROCESS, process.pid, BACKGROUND_NICENESS)
        return process

    def _report(self, code: int, output: str, pdf: Path) -> None:
        for line in output.splitlines():
            say(line)
        if code == 0:
            pages = re.search(r"(\d+) pages", output)
            size = f", {pages[1]} pages" if pages else ""
            self.state.update(False, pdf=pdf, pdf_state=f"up to date{size} ({clock()})")
        else:
            self.state.update(False, pdf_state=f"not rebuilt ({clock()}): see the terminal")

    def stop(self) -> None:
        """No new build; the running one is interrupted (it writes nothing then)."""
        with self._lock:
            self._stopped = True
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
