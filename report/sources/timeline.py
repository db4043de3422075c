"""Checks on what changes over time: measures' histories and bodies' successions.

A history lists earlier ratings oldest first, never after the report's own date, and one
assessor rates a measure once a date; a body that was renamed, merged or dissolved
(``until:``) hands its measures to a ``successor`` that exists, without a loop. Each gap
is one located line, like every other data problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from report.errors import Problem
from report.sources.problems import unknown_value

if TYPE_CHECKING:
    from report.sources.validate import Entry


def check_histories(entries: list[Entry], report_date: dt.date) -> Iterator[Problem]:
    """Every measure's history: oldest first, not after the report, one rating a date each."""
    for entry in entries:
        previous: dt.date | None = None
        seen: set[tuple[dt.date, str]] = set()
        for index, rating in enumerate(entry.value.history):
            where = ("history", index, "date")
            if rating.date > report_date:
                yield entry.item.problem(
                    where,
                    (
                        f"{rating.date.isoformat()} is after the report's date "
                        f"({report_date.isoformat()}); a history holds earlier ratings only"
                    ),
                )
            if previous is not None and rating.date < previous:
                yield entry.item.problem(
                    where,
                    (
                        f"{rating.date.isoformat()} comes before the rating above it "
                        f"({previous.isoformat()}); list the history oldest first"
                    ),
                )
            rater = rating.assessor.key if rating.assessor else ""
            if (rating.date, rater) in seen:
                yield entry.item.problem(
                    where,
                    (f"two ratings on {rating.date.isoformat()} by the same assessor; keep one"),
                )
            seen.add((rating.date, rater))
            previous = rating.date


def check_successors(entries: list[Entry]) -> Iterator[Problem]:
    """A successor is a known body, and following successors never comes back."""
    keys = [entry.value.key for entry in entries]
    successor = {entry.value.key: entry.value.successor for entry in entries}
    for entry in entries:
        body = entry.value
        if body.successor and body.successor not in keys:
            message = unknown_value(body.successor, sorted(keys), "body")
            yield entry.item.problem("successor", message)
        elif body.successor and not body.until:
            yield entry.item.problem(
                "successor", ("a successor takes over on a date: add 'until:' (YYYY-MM-DD)")
            )
        elif _loops(body.key, successor):
            yield entry.item.problem(
                "successor",
                (f"following successors from '{body.key}' comes back to it; break the loop"),
            )


def _loops(start: str, successor: dict[str, str]) -> bool:
    seen, key = {start}, successor.get(start, "")
    while key:
        if key in seen:
            return True
        seen.add(key)
        key = successor.get(key, "")
    return False
