"""The Editions (batch) section: ``report build --all``, edition by edition and as a whole."""

from __future__ import annotations

import os

from benchmarks.batches import Batch
from benchmarks.stats import median
from benchmarks.writer.numbers import fmt

UNAVAILABLE = [
    "Not available yet: `report build --help` has no `--all` option, so there is "
    "no batch build of several editions to measure.",
    "",
]


def editions_section(batch: Batch | None) -> list[str]:
    body = [*_table(batch), *_whole_command(batch)] if batch is not None else UNAVAILABLE
    return ["## Editions (batch) case", "", *body]


def _table(batch: Batch) -> list[str]:
    """One row per PDF, with the seconds ``--all`` printed for it in each run."""
    cold, unchanged = Batch.table(batch.cold), Batch.table(batch.unchanged)
    forced = [Batch.table(run) for run in batch.forced]
    after = Batch.table(batch.after_force)
    lines = [
        "`report build --all` on the 45-measure synthetic project with three editions "
        "declared (benchmarks/synthetic.py `add_editions`: a one-page brief, a dossier "
        "with cover letter for each of the 5 bodies, the measures of axis 1), plus the "
        "full report: 8 PDFs, built by a pool of worker processes "
        f"({os.cpu_count()} cores here). Seconds per PDF are the ones `--all` prints.",
        "",
        "| Edition | Pages | first run (s) | `--force`, median (s) | next run, after "
        "`--force` (s) | nothing changed (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for index, row in enumerate(cold):
        seconds = median([float(table[index]["seconds"]) for table in forced])
        lines.append(
            f"| {row['edition']} | {row['pages']} | {row['seconds']} | "
            f"{seconds:.1f} | {after[index]['seconds']} | "
            f"{unchanged[index]['seconds']} |"
        )
    return lines


def _whole_command(batch: Batch) -> list[str]:
    """Wall time of the whole command, and how much the pool gains over one by one."""
    forced = [Batch.table(run) for run in batch.forced]
    total_cpu = median([sum(float(row["seconds"]) for row in table) for table in forced])
    wall = median([run.wall for run in batch.forced])
    return [
        "",
        f"Whole command, wall: first run {fmt(batch.cold.wall)} s, `--force` "
        f"{fmt(wall)} s (median of {len(batch.forced)}), then without `--force`: "
        f"{fmt(batch.after_force.wall)} s right after the `--force` runs and "
        f"{fmt(batch.unchanged.wall)} s the time after (nothing changed either time). "
        f"The per-PDF times add up to {total_cpu:.1f} s with `--force`, so the pool runs "
        f"them {total_cpu / wall:.1f} times faster than one after the other would "
        "(start-up and imports are paid once per worker). "
        f"Peak memory of the largest process: "
        f"{median([run.maxrss_mb for run in batch.forced]):.0f} MB. "
        "No target is set for editions.",
        "",
    ]
