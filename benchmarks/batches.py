"""The batch case: ``report build --all`` builds every edition of one project at once.

Measured on the 45-measure synthetic project with editions added (benchmarks/synthetic.py
``add_editions``), to see what the pool of worker processes gains over one-by-one builds.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.commands import batch_build
from benchmarks.processes import Run, log
from benchmarks.synthetic import add_editions, generate
from benchmarks.trees import Tree

BATCH_MEASURES = 45


@dataclass
class Batch:
    """``report build --all``: every edition of a synthetic project, in parallel."""

    content: Path
    out: Path
    cold: Run | None = None
    forced: list[Run] = field(default_factory=list)
    after_force: Run | None = None
    unchanged: Run | None = None

    @staticmethod
    def table(run: Run) -> list[dict[str, str]]:
        """The rows of the table ``--all`` prints (edition, file, pages, seconds, warnings)."""
        rows, header = [], None
        for line in run.stderr.splitlines():
            cells = line.split()
            if cells[:2] == ["edition", "file"]:
                header = cells
            elif header and len(cells) == len(header) and not line.startswith("Built"):
                rows.append(dict(zip(header, cells, strict=True)))
        return rows


def make_batch(folder: Path) -> Batch:
    """A synthetic project with three editions declared, built into ``folder``/out."""
    return Batch(add_editions(generate(BATCH_MEASURES, folder / "content")), folder / "out")


def run_batch(tree: Tree, batch: Batch, reps: int, scratch: Path) -> None:
    """First run, ``reps`` runs with ``--force``, then twice with nothing changed."""

    def all_editions(*flags: str) -> Run:
        run = batch_build(tree, batch.content, batch.out, scratch, *flags)
        if run.code != 0 or not Batch.table(run):
            raise SystemExit(f"report build --all failed ({run.code}):\n{run.stderr[-3000:]}")
        return run

    log("editions: report build --all (empty output folder)")
    shutil.rmtree(batch.out, ignore_errors=True)
    batch.cold = all_editions()
    for rep in range(1, reps + 1):
        log(f"editions: report build --all --force, {rep}/{reps}")
        batch.forced.append(all_editions("--force"))
    log("editions: report build --all twice, nothing changed")
    batch.after_force = all_editions()
    batch.unchanged = all_editions()
