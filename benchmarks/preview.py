"""Save -> preview: how long an author waits with ``report serve`` on the default content.

    python -m benchmarks.preview                 # print the section
    python -m benchmarks.preview --write         # and put it in BENCHMARKS.md

A copy of content/ is served by a fresh ``report serve`` (this tree's code, a free port,
the output in a temporary folder). Each edit appends a sentence holding a new word to a
chapter; the clock runs from just before the write until:

- *served*: the server's event stream announces a new page and ``GET /`` holds the word;
- *shown*: a headless Chromium with the preview open shows the word, updated by the
  page's own script (Debian's ``/usr/bin/chromium`` through Playwright; skipped without);
- *PDF ready*: the event stream says the PDF rebuilt behind it is ready; the child's own
  ``report build`` time is read from the line it prints.

Before each edit the last PDF build has finished, as when an author reads before saving
again; a last series saves while a PDF build is running (both then share the cores).
``benchmarks/run.py`` runs the same measurement for its Live preview section.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # python benchmarks/preview.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.processes import log
from benchmarks.trees import REPO, Tree, working_tree

CHROMIUM = Path("/usr/bin/chromium")
CHAPTER = Path("chapters") / "03-constats.md"
TIMEOUT = 60.0  # seconds: a step that takes longer is a failure, not a measurement
BUILDING = "building…"  # the PDF's state while the child builds
UPDATED = re.compile(r"Preview updated in ([\d.]+) s")
BUILT = re.compile(r"^Built \S+: (?P<pages>\d+) pages in (?P<seconds>[\d.]+) s")


@dataclass
class PreviewTimes:
    """Everything the Live preview section reports, in seconds."""

    edits: int
    first: float = float("nan")  # `Preview ready in` for the first preview
    served: list[float] = field(default_factory=list)
    made: list[float] = field(default_factory=list)  # the server's `Preview updated in`
    shown: list[float] = field(default_factory=list)  # empty without a browser
    shown_busy: list[float] = field(default_factory=list)  # saved during a PDF build
    pdf_ready: list[float] = field(default_factory=list)
    pdf_build: list[float] = field(default_factory=list)  # the child's own figure
    pages: int = 0
    browser: str = ""
    code: str = ""  # the tree measured (benchmarks/trees.py's label)
    when: str = ""  # date and time (UTC) the measuring ended, and the load average then


class Server:
    """``report serve CONTENT -o OUT`` in a child process, its lines collected."""

    def __init__(self, tree: Tree, content: Path, out: Path) -> None:
        command = [sys.executable, "-m", "report", "serve", str(content), "-o", str(out)]
        self.process = subprocess.Popen(
            command,
            env=tree.env(),
            cwd=content.parent,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_line(r"http://127\.0\.0\.1:\d+/")

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def _wait_line(self, pattern: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            for line in self.lines:
                if match := re.search(pattern, line):
                    return match[0]
            time.sleep(0.02)
        raise SystemExit("report serve did not start:\n" + "\n".join(self.lines))

    def first_preview(self) -> float:
        ready = next(line for line in self.lines if "Preview ready in" in line)
        return float(re.search(r"ready in ([\d.]+) s", ready)[1])

    def last_update(self) -> float:
        """What the server's last `Preview updated in X s` line says."""
        updates = [m for line in self.lines if (m := UPDATED.search(line))]
        return float(updates[-1][1])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Events:
    """The server's event stream, read as the page's script reads it, in a thread of its
    own: ``history`` holds every message (the page's version, the PDF's state)."""

    def __init__(self, url: str) -> None:
        address = urlsplit(url)
        self.connection = http.client.HTTPConnection(address.hostname, address.port, TIMEOUT)
        self.connection.request("GET", "/_preview/events")
        self.stream = self.connection.getresponse()
        self.history: list[dict] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait(lambda history: bool(history))

    def _read(self) -> None:
        while line := self.stream.readline().decode():
            if line.startswith("data: "):
                with self.changed:
                    self.history.append(json.loads(line[len("data: ") :]))
                    self.changed.notify_all()

    def wait(self, done: Callable[[list[dict]], bool]) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: done(self.history), TIMEOUT):
                raise SystemExit(f"preview: no such event in {TIMEOUT:.0f} s: {self.history}")

    @property
    def now(self) -> dict:
        with self.changed:
            return self.history[-1]

    def new_page(self, version: int) -> None:
        self.wait(lambda history: history[-1]["version"] > version)

    def pdf_built(self, since: int) -> None:
        """Until a PDF build started after message ``since`` has ended."""

        def ended(history: list[dict]) -> bool:
            states = [state["pdf"] for state in history[since:]]
            return BUILDING in states and states[-1] != BUILDING

        self.wait(ended)


def page_text(url: str) -> str:
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, TIMEOUT)
    connection.request("GET", "/")
    text = connection.getresponse().read().decode()
    connection.close()
    return text


def append(chapter: Path, word: str) -> float:
    """The author's save: a sentence at the end of the chapter; the time it starts."""
    text = chapter.read_text(encoding="utf-8") + f"\nUne phrase ajoutée, {word}.\n"
    started = time.perf_counter()
    chapter.write_text(text, encoding="utf-8")
    return started


def served_series(times: PreviewTimes, server: Server, events: Events, chapter: Path) -> None:
    for n in range(times.edits):
        word = f"servi{n}mot"
        since, version = len(events.history), events.now["version"]
        started = append(chapter, word)
        events.new_page(version)
        assert word in page_text(server.url), f"{word} not served"
        times.served.append(time.perf_counter() - started)
        times.made.append(server.last_update())
        events.pdf_built(since)
        times.pdf_ready.append(time.perf_counter() - started)
        built = [m for line in server.lines if (m := BUILT.match(line))]
        times.pdf_build.append(float(built[-1]["seconds"]))
        times.pages = int(built[-1]["pages"])


def shown_series(times: PreviewTimes, server: Server, events: Events, chapter: Path) -> None:
    """The same edits seen in Chromium; then saves made while a PDF build runs."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        times.browser = f"Chromium {browser.version}"
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(server.url)

        def shown(word: str, started: float) -> float:
            while True:  # the page reloads under the wait: wait again in the new page
                try:
                    page.wait_for_function(
                        "w => document.body && document.body.textContent.includes(w)",
                        arg=word,
                        polling="raf",
                        timeout=TIMEOUT * 1000,
                    )
                    return time.perf_counter() - started
                except Error as error:
                    if "Timeout" in str(error):
                        raise

        for n in range(times.edits):
            word, since = f"montre{n}mot", len(events.history)
            times.shown.append(shown(word, append(chapter, word)))
            events.pdf_built(since)
        append(chapter, "amorce")  # a save that starts a build, not measured
        for n in range(times.edits):
            events.wait(lambda history: history[-1]["pdf"] == BUILDING)
            word, since = f"pendant{n}mot", len(events.history)
            times.shown_busy.append(shown(word, append(chapter, word)))
        events.pdf_built(since)
        browser.close()


def measure_preview(tree: Tree, scratch: Path, edits: int = 7) -> PreviewTimes | None:
    """``measure()``, when the tree being measured has ``report serve``."""
    asked = subprocess.run(
        [sys.executable, "-m", "report", "serve", "--help"],
        env=tree.env(),
        capture_output=True,
        cwd=scratch,
        check=False,
    )
    return measure(tree, scratch, edits) if asked.returncode == 0 else None


def measure(tree: Tree, scratch: Path, edits: int = 7) -> PreviewTimes:
    """Serve a copy of the tree's content/ and time ``edits`` saves of each kind."""
    content = scratch / "preview" / "content"
    shutil.copytree(tree.root / "content", content)
    times = PreviewTimes(edits)
    log("preview: report serve on a copy of content/")
    server = Server(tree, content, scratch / "preview" / "out")
    try:
        times.first = server.first_preview()
        events = Events(server.url)
        events.wait(lambda history: history[-1]["pdf"].startswith("up to date"))
        served_series(times, server, events, content / CHAPTER)
        if CHROMIUM.is_file():
            log("preview: the same saves seen in Chromium")
            shown_series(times, server, events, content / CHAPTER)
    finally:
        server.stop()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    times.code = tree.label
    times.when = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load}"
    return times


def main(argv: list[str] | None = None) -> int:
    from benchmarks.writer.preview import preview_section, replace_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7, help="saves of each kind (default 7)")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md's section")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as scratch:
        times = measure(working_tree(), Path(scratch), args.edits)
    lines = preview_section(times, f"{os.cpu_count()} cores")
    print("\n".join(lines))
    if args.write:
        replace_section(REPO / "BENCHMARKS.md", lines)
        log("wrote the Live preview section of BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
