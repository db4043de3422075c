"""Everything one benchmark run measured: what the report writer reads.

``--save`` pickles it (as a plain dict of these fields) so that ``--load`` can rewrite
BENCHMARKS.md after a change to the writing alone, without an hour of measuring again.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields
from pathlib import Path

from benchmarks.batches import Batch
from benchmarks.cases import Case
from benchmarks.facts import Facts
from benchmarks.preview import PreviewTimes
from benchmarks.processes import Run
from benchmarks.trees import Tree
from benchmarks.web import WebTimes


@dataclass
class Measurements:
    """One run of the benchmarks, ready to be written out."""

    tree: Tree
    info: dict[str, str]  # the Machine table
    cases: list[Case]
    profile: tuple[Run, dict] | None  # the cProfile run and its sections
    imports: dict[str, list[tuple[str, float]]]  # module -> seconds per top-level package
    baseline: float  # bare interpreter start-up, seconds
    shim: Run | None  # an unchanged build through the pyenv shim, where there is one
    batch: Batch | None  # `report build --all`, where the tree has it
    command: str  # the command line that regenerates the report
    elapsed: float  # seconds the whole run took
    load_end: tuple[float, float, float]  # load average when measuring ended
    facts: Facts  # what the measured code already does (benchmarks/facts.py)
    preview: PreviewTimes | None = None  # `report serve`, where the tree has it
    web: WebTimes | None = None  # `report build --web`, where the tree has it

    @property
    def by_name(self) -> dict[str, Case]:
        return {case.name: case for case in self.cases}

    def save(self, path: Path) -> None:
        """Pickle the fields as a dict (the format older versions of this script wrote)."""
        with path.open("wb") as handle:
            pickle.dump({item.name: getattr(self, item.name) for item in fields(self)}, handle)

    @classmethod
    def load(cls, path: Path) -> Measurements:
        with path.open("rb") as handle:
            return cls(**pickle.load(handle))
