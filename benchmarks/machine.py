"""Facts about the machine and the libraries, printed above the figures they qualify.

Timings mean little without them: a shared 2-core VM and a workstation differ severalfold.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

from benchmarks.processes import executable
from benchmarks.trees import Tree


def machine(tree: Tree) -> dict[str, str]:
    """The Machine table: hardware, OS, Python, library versions, code measured, date, load."""
    return {
        "CPU": _proc_field("/proc/cpuinfo", "model name") or "unknown",
        "Cores": f"{os.cpu_count()} logical, {len(os.sched_getaffinity(0))} usable",
        "RAM": _memory(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_version()} ({sys.executable})",
        "WeasyPrint": _weasyprint_version(),
        "pydyf / tinycss2 / matplotlib": _library_versions(),
        "Code measured": tree.label,
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Load average at start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _proc_field(path: str, name: str) -> str | None:
    """The value of the first ``name: value`` line of a /proc file, None if there is none."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(name):
            return line.split(":", 1)[1].strip()
    return None


def _memory() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal")  # "16315436 kB"
    return f"{int(total.split()[0]) / 1024 / 1024:.1f} GiB" if total else "unknown"


def _weasyprint_version() -> str:
    """What the measured ``weasyprint`` command says (the raw runs use that one)."""
    output = subprocess.run(
        [executable("weasyprint"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return output.replace("WeasyPrint version ", "")


def _library_versions() -> str:
    """WeasyPrint's PDF and CSS libraries and matplotlib, as this interpreter imports them."""
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pydyf, tinycss2, matplotlib; "
            "print(pydyf.__version__, tinycss2.__version__, matplotlib.__version__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return " / ".join(versions) or "unknown"
