"""The section on builds that should be cheap: nothing changed, or only the text.

These are what an author meets most often, so each is broken down on its own.
"""

from __future__ import annotations

import shutil

from benchmarks.cases import Case
from benchmarks.processes import Run
from benchmarks.writer.numbers import fmt


def rebuilds_section(cases: list[Case], shim: Run | None) -> list[str]:
    lines = [
        "## Unchanged build and text-only edit",
        "",
        "| Case | unchanged, `python -m report build`: runs (s) | says up to date | "
        "breakdown of one "
        "instrumented unchanged run | text-only edit rebuild (s) |",
        "|---|---|---|---|---:|",
        *[_row(case) for case in cases],
    ]
    if shim is not None:
        lines += [
            "",
            f"Through the pyenv shim `{shutil.which('report')}` the same unchanged "
            f"build takes {shim.wall:.3f} s (the shim runs `pyenv` in bash first); the "
            "figures above use the real console script.",
        ]
    return [*lines, ""]


def _row(case: Case) -> str:
    return (
        f"| {case.title} | {', '.join(f'{run.wall:.3f}' for run in case.unchanged)} | "
        f"{'yes' if all('is up to date' in r.stderr for r in case.unchanged) else 'NO'} | "
        f"{_breakdown(case.unchanged_detail)} | "
        f"{fmt(case.edit.wall) if case.edit is not None else 'not measured'} |"
    )


def _breakdown(detail: Run) -> str:
    """Start-up, imports, the up-to-date check and the rest of one instrumented run."""
    child = detail.child
    startup = child["imports_started"] - detail.spawned
    imported = child["imports_done"] - child["imports_started"]
    check = child["timings"].get("fingerprint", 0) + child["timings"].get("previous_build", 0)
    return (
        f"start-up {startup:.3f}, imports {imported:.3f}, fingerprint + record check "
        f"{check:.3f}, rest {detail.wall - startup - imported - check:.3f} (total "
        f"{detail.wall:.3f})"
    )
