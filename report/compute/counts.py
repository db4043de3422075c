"""Every number the templates and charts print, counted once from the data.

Nothing here is typed by hand: "3 sur 45" in the text comes from :class:`Counts`, which
chapters and templates reach as ``figures`` (``{{ figures.total }}``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import get_args

from report.sources.config import Config
from report.sources.model import Action, Axis, Body, Measure, PlanData
from report.sources.problems import unknown_value
from report.sources.statuses import StatusCategory, StatusDef

CATEGORIES = get_args(StatusCategory)


@dataclass(frozen=True)
class StatusCount:
    """How many measures have one status, in the data and in the official tally."""

    status: StatusDef
    documented: int
    official: int | None
    total: int

    @property
    def count(self) -> int:
        """The official count when published, else the count from per-measure data."""
        return self.official if self.official is not None else self.documented

    @property
    def share(self) -> float:
        """Share of all measures, between 0 and 1."""
        return self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class Group:
    """Measures that share an axis, an action or a lead body, with their status counts."""

    key: str
    label: str
    measures: tuple[Measure, ...]
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    """The report's computed numbers, always on the whole plan (editions show a part)."""

    total: int
    statuses: tuple[StatusCount, ...]
    by_axis: tuple[Group, ...]
    by_action: tuple[Group, ...]
    by_body: tuple[Group, ...]
    documented: int
    undocumented: tuple[int, ...]

    def status(self, key: str) -> StatusCount:
        """Counts for one status key (``figures.status('réalisée').count``)."""
        for count in self.statuses:
            if count.status.key == key:
                return count
        raise ValueError(unknown_value(key, [c.status.key for c in self.statuses], "status"))

    def category(self, category: str) -> int:
        """Measures in a category: done, partial, not_done or unknown."""
        if category not in CATEGORIES:
            raise ValueError(unknown_value(category, CATEGORIES, "status category"))
        return sum(c.count for c in self.statuses if c.status.category == category)


def compute(data: PlanData, config: Config) -> Counts:
    """Count measures per status (official tally first), per axis, per action and per body."""
    total = data.tally.total if data.tally else len(data.measures)
    counts = tuple(_status_count(status, data, total) for status in config.statuses)
    undocumented = tuple(m.number for m in data.measures if m.status.category == "unknown")
    return Counts(
        total=total,
        statuses=counts,
        by_axis=tuple(_group(axis, data.measures, "axis") for axis in data.axes),
        by_action=tuple(_group(action, data.measures, "action") for action in data.actions),
        by_body=tuple(_body_group(body, data.measures) for body in data.bodies),
        documented=len(data.measures) - len(undocumented),
        undocumented=undocumented,
    )


def _status_count(status: StatusDef, data: PlanData, total: int) -> StatusCount:
    """The official count is absent for 'unknown' statuses the evaluator did not publish."""
    documented = sum(1 for m in data.measures if m.status.key == status.key)
    official = None
    if data.tally is not None:
        default = None if status.category == "unknown" else 0
        official = data.tally.counts.get(status.key, default)
    return StatusCount(status, documented, official, total)


def _by_status(measures: tuple[Measure, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for measure in measures:
        key = measure.status.key
        counts[key] = counts.get(key, 0) + 1
    return counts


def _group(item: Axis | Action, measures: tuple[Measure, ...], attribute: str) -> Group:
    members = tuple(m for m in measures if _key(getattr(m, attribute)) == item.key)
    return Group(item.key, item.title or "", members, _by_status(members))


def _body_group(body: Body, measures: tuple[Measure, ...]) -> Group:
    members = tuple(m for m in measures if body.key in {lead.key for lead in m.lead})
    return Group(body.key, body.label, members, _by_status(members))


def _key(item: Axis | Action | None) -> str | None:
    return item.key if item is not None else None
