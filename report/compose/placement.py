"""What one document has placed so far: ids given out, figures, links, blocks to draw.

A document (a report, a brief, one dossier with its letter) is composed from several
Markdown texts that call components. Everything they share lives in one
:class:`Placement`, created for the document and handed to each step explicitly, never
kept in a template environment: the letter and the chapters of a dossier then draw from
the same ids, so ``mesure-8`` is given to one element only, whichever text places it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from report.sources.model import PlanData

CONTENTS_ID = "sommaire"  # the id of the contents page (partials/toc.html)
LETTER_ID = "lettre"  # the id of a dossier's letter (partials/letter.html)
COVER_ID = "couverture"  # the id of the cover (partials/cover.html)
PLACEHOLDER = "<!--component:{}-->"
PLACEHOLDER_RE = re.compile(r"<!--component:(\d+)-->")

Deferred = Callable[[], str]


class Anchors:
    """Gives each anchor to one element only: a measure's card if it has one, else the first
    table row or recap cell that shows it; a recommendation's first listing."""

    def __init__(self) -> None:
        self.preferred: set[str] = set()
        self.placed: set[str] = set()

    def prefer(self, anchors: Iterable[str]) -> None:
        """These anchors belong to cards, wherever the cards are in the document."""
        self.preferred.update(anchors)

    def id_for(self, anchor: str, place: str = "") -> str:
        """The id attribute value for this place, or '' when the anchor lives elsewhere."""
        if anchor in self.placed or (place != "card" and anchor in self.preferred):
            return ""
        self.placed.add(anchor)
        return anchor


@dataclass
class Placement:
    """The shared state of one document's composition (see the module docstring).

    ``taken_ids`` starts with the ids templates give (the contents, every measure and
    recommendation anchor) so that no heading takes one of them.
    """

    taken_ids: set[str] = field(default_factory=set)
    anchors: Anchors = field(default_factory=Anchors)
    figures: list[Any] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    link_titles: dict[str, str] = field(default_factory=dict)  # what a link says it leads to
    pending: list[Deferred] = field(default_factory=list)

    @classmethod
    def for_plan(cls, data: PlanData) -> Placement:
        """A new document's placement; the ids the templates give (the contents, every
        measure, recommendation and bibliography entry) are taken from the start, so no
        heading takes one."""
        anchors = {
            *(m.anchor for m in data.measures),
            *(r.anchor for r in data.recommendations),
            *(entry.anchor for entry in data.bibliography),
        }
        return cls(taken_ids={CONTENTS_ID, LETTER_ID, COVER_ID, *anchors})

    def defer(self, render: Deferred) -> str:
        """Keep a block to draw once every text is read; its placeholder goes in the text.

        On a line of its own the placeholder is an HTML block for Markdown, and it adds no
        line, so later line numbers in messages stay right.
        """
        self.pending.append(render)
        return PLACEHOLDER.format(len(self.pending) - 1)

    def draw(self, fragments: list[str]) -> list[str]:
        """Draw every pending block in document order, into the fragments' placeholders."""
        blocks = [render() for render in self.pending]
        return [PLACEHOLDER_RE.sub(lambda match: blocks[int(match[1])], f) for f in fragments]
