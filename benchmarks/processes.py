"""One command in a fresh subprocess: its wall time and the peak memory of that child alone.

Every measurement is such a process, so Python start-up and imports are counted, and
``os.wait4`` gives the child's own maximum resident set size (not the maximum over all
processes, as ``RUSAGE_CHILDREN`` would).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent


def log(message: str) -> None:
    """Progress on stderr, so a long run shows where it is."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One finished subprocess."""

    wall: float
    maxrss_mb: float
    code: int
    stderr: str
    spawned: float  # time.time() just before the process was started
    child: dict = field(default_factory=dict)  # what benchmarks/_child.py recorded


def spawn(command: list[str], env: dict[str, str], scratch: Path) -> Run:
    """Run ``command``; wall time around fork-exec-wait, peak RSS of that child alone."""
    out, err = scratch / "stdout.txt", scratch / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        spawned = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env, cwd=scratch)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall,
        usage.ru_maxrss / 1024,
        process.returncode,
        err.read_text(encoding="utf-8", errors="replace"),
        spawned,
    )


def executable(name: str) -> str:
    """The real console script beside this interpreter (not a pyenv shim), else PATH's."""
    candidate = BIN / name
    return str(candidate) if candidate.is_file() else (shutil.which(name) or name)
