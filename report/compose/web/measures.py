"""The measures as a reader filters them on the web: by status, axis and body, or by words.

Every measure is in the page as a row and as a cell of the grid, with its facets in
``data-`` attributes: without JavaScript everything shows; with it (``web.js``) the form
hides what does not match. The options count the measures they would show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from report.compose.labels import plain
from report.sources.config import Config
from report.sources.model import Body, Measure, PlanData


@dataclass(frozen=True)
class Option:
    """One choice of a filter: the value the rows carry, what it reads, how many match."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    """The filters of the measures tool, each with the options the data has."""

    statuses: tuple[Option, ...]
    axes: tuple[Option, ...]
    bodies: tuple[Option, ...]


@dataclass(frozen=True)
class Entry:
    """One measure as the tool lists it."""

    measure: Measure
    bodies: tuple[Body, ...]  # leads first, then partners, each once
    search: str  # the words a search matches, lowercased and without accents

    @property
    def body_keys(self) -> str:
        return " ".join(body.key for body in self.bodies)


def folded(text: str) -> str:
    """Lowercase without accents, as the page's script folds what a reader types: "réalisée"
    and "realisee" find the same measures."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c)))


def entries(data: PlanData, config: Config) -> list[Entry]:
    """Every measure of the edition, in the plan's order."""
    listed = []
    for measure in data.measures:
        bodies = tuple(dict.fromkeys((*measure.lead, *measure.partners)))
        words = [
            f"{config.words.item.singular} {measure.number}",
            plain(measure.title or ""),
            measure.status.label,
            plain(measure.axis.title or ""),
            plain(measure.comment),
            *(body.name for body in bodies),
            *(body.short for body in bodies),
            *(plain(text) for text in measure.recommendations),
        ]
        listed.append(Entry(measure, bodies, folded(" ".join(w for w in words if w))))
    return listed


def facets(listed: list[Entry], data: PlanData, config: Config) -> Facets:
    """The options of each filter, in the order of the plan and of report.yaml; an axis or
    body no measure has is left out (it would filter to nothing)."""
    statuses = tuple(
        Option(status.key, status.label, count)
        for status in config.statuses
        if (count := sum(e.measure.status.key == status.key for e in listed))
    )
    axes = tuple(
        Option(axis.key, axis_label(axis.number, axis.title, config), count)
        for axis in data.axes
        if (count := sum(e.measure.axis.key == axis.key for e in listed))
    )
    bodies = tuple(
        Option(body.key, body.short or body.name, count)
        for body in data.bodies
        if (count := sum(body in e.bodies for e in listed))
    )
    return Facets(statuses, axes, bodies)


def axis_label(number: int | None, title: str | None, config: Config) -> str:
    """ "Axe 2 : Identifier..." as far as it is known."""
    words = config.words
    label = f"{words.group.title} {number}" if number else words.group.title
    if title:
        return words.labelled(label, plain(title))
    return label if number else f"{label} ({config.catalogue.text('untitled')})"
