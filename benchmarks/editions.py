"""Is ``report build --all`` worth it? Every edition built alone, then all at once.

Run: ``python -m benchmarks.editions [CONTENT_DIR] [--repeat N]``. Each measurement is a
fresh ``report`` process with ``--force`` (nothing cached but the charts), alternating
"alone" and "--all" rounds; medians are printed as a Markdown table, ready for
docs/editions.md. The issue's target: ``--all`` at most 0.6 times the sum of the editions
built one by one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report.app.build import plan_editions


def timed(command: list[str]) -> float:
    """Wall time of one command; it must succeed."""
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    editions = list(dict.fromkeys(job.edition for job in plan_editions(args.content)))
    report = [sys.executable, "-m", "report", "build", str(args.content), "--force", "-q"]
    alone: dict[str, list[float]] = {name: [] for name in editions}
    together: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([*report, "-o", out, "--all"], check=True, capture_output=True)  # warm
        for _ in range(args.repeat):
            for name in editions:
                alone[name].append(timed([*report, "-o", out, "--edition", name]))
            together.append(timed([*report, "-o", out, "--all"]))
    medians = {name: statistics.median(times) for name, times in alone.items()}
    total, batch = sum(medians.values()), statistics.median(together)
    print(f"{os.cpu_count()} cores, medians of {args.repeat} runs, `{args.content}`\n")
    print("| Command | Wall time (s) |\n|---|---:|")
    for name, seconds in medians.items():
        print(f"| `report build --edition {name}` | {seconds:.2f} |")
    print(f"| Sum of the editions built alone | {total:.2f} |")
    print(f"| `report build --all` | {batch:.2f} |")
    print(f"| Ratio `--all` / sum | {batch / total:.2f} (target ≤ 0.6) |")


if __name__ == "__main__":
    main()
