"""A command that keeps running (``report serve``, ``report watch``), in a child process:
its error output read line by line as it comes, Ctrl-C sent as the terminal sends it.

The child runs this checkout's builder (``PYTHONPATH``), from the folder given, so the
lines it prints name files as the tests expect (``p/chapters/01-synthese.md:5: ...``).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL = re.compile(r"http://127\.0\.0\.1:\d+/")


class Running:
    """``python -m report ARGS`` in ``cwd``; ``lines`` grows as the child prints."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "report", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 20.0, after: int = 0) -> str:
        """The first line from index ``after`` on that matches ``pattern`` (a regex)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern!r}; printed:\n" + "\n".join(self.lines))

    def url(self) -> str:
        """The preview's address, from the line ``report serve`` prints once it serves."""
        match = URL.search(self.wait_for(URL.pattern))
        assert match
        return match[0]

    def interrupt(self, timeout: float = 15.0) -> int:
        """Ctrl-C, then the exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        return code

    def stop(self) -> None:
        """Whatever happened in the test, the child does not outlive it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
