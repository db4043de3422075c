"""Year after year: each measure's ratings over time, what changed, who is behind.

A measure's current ``status`` is its rating on the report's date; its ``history`` holds
the earlier ones. Several assessors may rate it (the official evaluator, the government,
the coalition): the first declared in ``assessors:`` is the reference, whose ratings make
the trajectory, the evolution and what changed; the others are set beside it. A body
that was renamed, merged or dissolved hands its measures to its successor, so the
accountability on a date names the body responsible on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from report.sources.model import Assessor, Body, Measure, PlanData
from report.sources.statuses import StatusDef

# How far a status goes towards done: moving up or down compares these, then, within a
# category, the order of report.yaml's list (best first); unknown and excluded statuses
# are on no scale (a measure first rated, or withdrawn, did not move).
RANK = {"not_done": 1, "partial": 2, "done": 3}


def scale(statuses: tuple[StatusDef, ...]) -> dict[str, tuple[int, int]]:
    """Each ranked status's place: (category rank, minus its place in the list)."""
    return {
        s.key: (RANK[s.category], -index) for index, s in enumerate(statuses) if s.category in RANK
    }


@dataclass(frozen=True)
class Rating:
    """One rating: a status, on a date, by an assessor (None: the reference one)."""

    date: dt.date
    status: StatusDef
    assessor: Assessor | None = None


@dataclass(frozen=True)
class Move:
    """A measure between two dates: its reference ratings then and now."""

    measure: Measure
    before: Rating | None
    after: Rating
    places: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def _place(self, rating: Rating | None) -> tuple[int, int] | None:
        if rating is None:
            return None
        default = RANK.get(rating.status.category)
        return self.places.get(rating.status.key, (default, 0) if default else None)

    @property
    def direction(self) -> str:
        """'up', 'down', 'same', 'first' (no rank before) or 'other' (no rank now)."""
        now, then = self._place(self.after), self._place(self.before)
        if now is None:
            return "other"
        if then is None:
            return "first"
        return "up" if now > then else "down" if now < then else "same"


@dataclass(frozen=True)
class Changes:
    """What moved between two assessment dates: ``changes.up``, ``len(changes.down)``..."""

    since: dt.date | None
    until: dt.date
    moves: tuple[Move, ...] = field(default=())

    def _of(self, direction: str) -> tuple[Move, ...]:
        return tuple(move for move in self.moves if move.direction == direction)

    @property
    def up(self) -> tuple[Move, ...]:
        return self._of("up")

    @property
    def down(self) -> tuple[Move, ...]:
        return self._of("down")

    @property
    def same(self) -> tuple[Move, ...]:
        return self._of("same")

    @property
    def first(self) -> tuple[Move, ...]:
        return self._of("first")

    @property
    def other(self) -> tuple[Move, ...]:
        return self._of("other")


@dataclass(frozen=True)
class Accountable:
    """One body's measures on a date, by status, and the share still open."""

    body: Body
    measures: tuple[Measure, ...]
    by_status: dict[str, int]
    open: int  # not done, or not documented

    @property
    def share_open(self) -> float:
        return self.open / len(self.measures) if self.measures else 0.0


@dataclass(frozen=True)
class Disagreement:
    """Ratings of one measure on one date by several assessors who do not agree."""

    measure: Measure
    date: dt.date
    ratings: tuple[Rating, ...]


class History:
    """The plan over time, for templates and chapters (``history.changes().up``)."""

    def __init__(
        self,
        data: PlanData,
        report_date: dt.date,
        all_data: PlanData | None = None,
        statuses: tuple[StatusDef, ...] = (),
    ) -> None:
        self._data = data
        self._date = report_date
        self._bodies = (all_data or data).body_by_key
        self._places = scale(statuses)

    @property
    def reference(self) -> Assessor | None:
        """The assessor whose ratings make the trajectories: the first declared."""
        return self._data.assessors[0] if self._data.assessors else None

    @property
    def report_date(self) -> dt.date:
        return self._date

    def ratings(self, measure: Measure) -> tuple[Rating, ...]:
        """Every rating of the measure, oldest first, the current status last."""
        current = Rating(self._date, measure.status, measure.assessor)
        earlier = (Rating(r.date, r.status, r.assessor) for r in measure.history)
        return (*earlier, current)

    def trajectory(self, measure: Measure) -> tuple[Rating, ...]:
        """The reference assessor's ratings, one a date: what the card shows."""
        return tuple(r for r in self.ratings(measure) if self._is_reference(r))

    @property
    def dates(self) -> tuple[dt.date, ...]:
        """Every date with a reference rating, oldest first, the report's date last."""
        found = {r.date for m in self._data.measures for r in self.trajectory(m)}
        return tuple(sorted(found))

    @property
    def has_history(self) -> bool:
        return any(measure.history for measure in self._data.measures)

    def status_on(self, measure: Measure, date: dt.date) -> Rating | None:
        """The reference rating in force on ``date`` (the latest not after it)."""
        valid = [r for r in self.trajectory(measure) if r.date <= date]
        return valid[-1] if valid else None

    def changes(self, since: dt.date | None = None, until: dt.date | None = None) -> Changes:
        """Each measure between two dates (default: the last two assessment dates)."""
        dates = self.dates
        until = until or (dates[-1] if dates else self._date)
        earlier = [date for date in dates if date < until]
        since = since or (earlier[-1] if earlier else None)
        moves = []
        for measure in self._data.measures:
            after = self.status_on(measure, until)
            if after is not None:
                before = self.status_on(measure, since) if since else None
                moves.append(Move(measure, before, after, self._places))
        return Changes(since, until, tuple(moves))

    def shares(self) -> tuple[tuple[dt.date, dict[str, int]], ...]:
        """For each date, how many measures had each status (the evolution chart)."""
        table = []
        for date in self.dates:
            counts: dict[str, int] = {}
            for measure in self._data.measures:
                rating = self.status_on(measure, date)
                if rating is not None:
                    counts[rating.status.key] = counts.get(rating.status.key, 0) + 1
            table.append((date, counts))
        return tuple(table)

    def responsible(self, body: Body, date: dt.date) -> Body:
        """The body answering for ``body``'s measures on ``date``, through its successors."""
        return responsible(body, self._bodies, date)

    def accountability(self, date: dt.date | None = None) -> tuple[Accountable, ...]:
        """Each body responsible on ``date`` (default: the report's) for leading measures,
        worst first: the largest share not done or not documented."""
        date = date or self._date
        led: dict[str, list[Measure]] = {}
        for measure in self._data.measures:
            for body in {self.responsible(b, date).key: None for b in measure.lead}:
                led.setdefault(body, []).append(measure)
        rows = [
            self._row(self._bodies[key], tuple(measures), date) for key, measures in led.items()
        ]
        return tuple(sorted(rows, key=lambda row: (-row.share_open, -row.open, row.body.name)))

    def _row(self, body: Body, measures: tuple[Measure, ...], date: dt.date) -> Accountable:
        by_status: dict[str, int] = {}
        still_open = 0
        for measure in measures:
            rating = self.status_on(measure, date)
            status = rating.status if rating else measure.status
            by_status[status.key] = by_status.get(status.key, 0) + 1
            still_open += status.category in ("not_done", "unknown")
        return Accountable(body, measures, by_status, still_open)

    def side_by_side(self) -> tuple[Disagreement, ...]:
        """Measures rated by several assessors on the same date, agreeing or not."""
        found = []
        for measure in self._data.measures:
            by_date: dict[dt.date, list[Rating]] = {}
            for rating in self.ratings(measure):
                by_date.setdefault(rating.date, []).append(rating)
            found += [
                Disagreement(measure, date, tuple(ratings))
                for date, ratings in sorted(by_date.items())
                if len(ratings) > 1
            ]
        return tuple(found)

    def disagreements(self) -> tuple[Disagreement, ...]:
        """Of those, the ones where the assessors do not give the same status."""
        return tuple(d for d in self.side_by_side() if len({r.status.key for r in d.ratings}) > 1)

    def _is_reference(self, rating: Rating) -> bool:
        return rating.assessor is None or rating.assessor == self.reference


def responsible(body: Body, bodies: dict[str, Body], date: dt.date) -> Body:
    """The body answering on ``date`` for what ``body`` led: itself, or the successor it
    was renamed or merged into (and that one's, in turn)."""
    seen = {body.key}
    while body.until and body.until <= date and body.successor in bodies:
        body = bodies[body.successor]
        if body.key in seen:  # a loop is refused when the data is read
            break
        seen.add(body.key)
    return body


def gone(body: Body, date: dt.date) -> bool:
    """Whether the body no longer existed on ``date`` (renamed, merged or dissolved)."""
    return body.until is not None and body.until <= date
