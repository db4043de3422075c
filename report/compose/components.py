"""The data-driven blocks chapters place: ``{{ figure('bilan') }}``, ``{{ recap() }}``...

A component function checks its arguments when a text calls it (an unknown axis is a
located content error) and returns a deferred renderer; the blocks are drawn once every
text of the document is read (see ``placement.py``). What a block gives out, an id or a
placed figure, is recorded in the document's ``Placement``, which each renderer receives
explicitly: templates get ``anchor_for`` as a render value, never as a global.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from report.compose.chart_tables import chart_table
from report.compose.citations import Citations, reference
from report.compose.document import ReportContext, load_template, render_template
from report.compose.foreign import passages_of, same_language, unmarked, wrap_passages
from report.compose.inline_svg import inline_svg
from report.compose.labels import plain
from report.compose.placement import Deferred, Placement
from report.compute.history import History
from report.output.attachments import data_uri
from report.sources.bibliography import BibEntry
from report.sources.config import Config
from report.sources.dates import earliest_day
from report.sources.model import Measure, PlanData
from report.sources.sourcing import DATA_SECTIONS, addresses, cited_key, cites
from report.sources.vocabulary import Words


def data_sources(data: PlanData) -> list[str]:
    """Every address the data cites, in data order: measures, bodies, tally, datasets...
    A bibliography key stands for its document's address (or the copy consulted)."""
    found: list[str] = []
    for section in (*DATA_SECTIONS, "tally"):
        value = getattr(data, section)
        for item in value if isinstance(value, tuple) else (value,) if value else ():
            for _, text in addresses(section, item):
                found.append(_address(text, data))
            for _, key, _ in cites(section, item):
                found.append(_address(f"@{key}", data))
    return [address for address in found if address]


def _address(text: str, data: PlanData) -> str:
    cited = cited_key(text)
    if cited is None:
        return text
    entry = data.bibliography_by_key[cited[0]]
    return entry.URL or entry.copy_url


@dataclass(frozen=True)
class Row:
    """One row of a measures table: a measure, or a run of blank measures drawn as one
    line ("Mesures 11 à 15 : intitulé non publié, pilote non connu")."""

    measures: tuple[Measure, ...]

    @property
    def blank(self) -> bool:
        return self.measures[0].is_blank

    @property
    def measure(self) -> Measure:
        """The row's measure; a run's first, whose axis and status the run shares."""
        return self.measures[0]

    @property
    def numbers(self) -> list[int]:
        return [m.number for m in self.measures]


def table_rows(measures: list[Measure]) -> list[Row]:
    """One row per measure, except that consecutive blank measures sharing an axis and a
    status (the table shows both) make one row: 36 unknowns take three lines, not 36."""
    rows: list[Row] = []
    for measure in measures:
        last = rows[-1].measure if rows else None
        if (
            last is not None
            and measure.is_blank
            and last.is_blank
            and (measure.axis.key, measure.status.key) == (last.axis.key, last.status.key)
        ):
            rows[-1] = Row((*rows[-1].measures, measure))
        else:
            rows.append(Row((measure,)))
    return rows


def unique(items: list[str]) -> list[str]:
    """Remove repeats, keeping the first occurrence's place."""
    return list(dict.fromkeys(items))


class Components:
    """The component functions of one document, bound to its data and its placement."""

    def __init__(
        self,
        environment: jinja2.Environment,
        context: ReportContext,
        placement: Placement,
        citations: Citations,
    ) -> None:
        self.environment = environment
        self.context = context
        self.placement = placement
        self.citations = citations

    def functions(self) -> dict[str, Callable[..., Deferred]]:
        """What chapters may call, by name (docs/writing.md lists them)."""
        return {
            "figure": self.figure,
            "recommendations": self.recommendations,
            "sources": self.sources,
            "bibliography": self.bibliography,
            "chronology": self.chronology,
            "measures_table": self.measures_table,
            "measure_cards": self.measure_cards,
            "recap": self.recap,
            "key_figures": self.key_figures,
            "open_data": self.open_data,
            "changes": self.changes,
            "accountability": self.accountability,
            "ratings": self.ratings,
            "colophon": self.colophon,
        }

    def _deferred(self, name: str, **values: Any) -> Deferred:
        template = load_template(self.environment, f"partials/{name}.html")
        anchor_for, cite = self.placement.anchors.id_for, self.citations.cite

        def anchors_for(anchors: Any, place: str = "") -> list[str]:
            """The ids given to one element standing for several measures."""
            return [given for given in (anchor_for(anchor, place) for anchor in anchors) if given]

        return lambda: render_template(
            template, anchor_for=anchor_for, anchors_for=anchors_for, cite=cite, **values
        )

    def _measures(
        self, axis: str | None = None, action: str | None = None, numbers: list[int] | None = None
    ) -> list[Measure]:
        data = self.context.data
        for value, known, what in (
            (axis, data.axis_by_key, "axis"),
            (action, data.action_by_key, "action"),
        ):
            if value is not None and value not in known:
                raise ValueError(f"no {what} '{value}' (known: {', '.join(known)})")
        return [
            m
            for m in data.measures
            if (axis is None or m.axis.key == axis)
            and (action is None or (m.action is not None and m.action.key == action))
            and (numbers is None or m.number in numbers)
        ]

    def figure(self, figure_id: str) -> Deferred:
        charts = self.context.charts
        if figure_id not in charts:
            known = ", ".join(charts) or "none declared"
            raise ValueError(f"no figure '{figure_id}' (known: {known})")
        chart = charts[figure_id]
        if chart in self.placement.figures:
            raise ValueError(f"figure '{figure_id}' is already placed; a figure appears once")
        self.placement.figures.append(chart)
        if self.context.edition.kind == "web":  # the drawing in the page, its data beside
            config = self.context.config
            alt = chart.figure.alt or plain(chart.figure.title)
            return self._deferred(
                "figure",
                chart=chart,
                svg=Markup(inline_svg(chart.svg, f"{chart.figure.id}-", alt)),
                table=chart_table(chart, config.words, config.catalogue),
            )
        src = data_uri(chart.svg.encode(), "image/svg+xml")
        return self._deferred("figure", chart=chart, src=src)

    def measures_table(self, **filters: Any) -> Deferred:
        measures = self._measures(**filters)
        return self._deferred("measures_table", measures=measures, rows=table_rows(measures))

    def measure_cards(self, **filters: Any) -> Deferred:
        """Cards for the measures with something to say; the blank ones are named in one
        line after them, and their anchors stay with the tables and the recap."""
        measures = self._measures(**filters)
        carded = [m for m in measures if not m.is_blank]
        self.placement.anchors.prefer(m.anchor for m in carded)
        blank = [m for m in measures if m.is_blank]
        return self._deferred("measure_cards", measures=carded, blank=blank)

    def recap(self) -> Deferred:
        return self._deferred("recap", measures=self.context.data.measures)

    def key_figures(self) -> Deferred:
        return self._deferred("key_figures")

    def open_data(self) -> Deferred:
        return self._deferred("open_data", attachments=self.context.attachments)

    @property
    def words(self) -> Words:
        return self.context.config.words

    @property
    def history(self) -> History:
        return self.context.history or History(self.context.data, self.context.config.date)

    def changes(self, since: str | None = None, until: str | None = None) -> Deferred:
        """What moved between two dates (default: the last two assessment dates)."""
        moved = self.history.changes(_date(since, "since"), _date(until, "until"))
        return self._deferred("changes", changes=moved)

    def accountability(self, date: str | None = None) -> Deferred:
        """The bodies responsible on a date (default: the report's), worst first."""
        return self._deferred("accountability", rows=self.history.accountability(_date(date)))

    def ratings(self) -> Deferred:
        """Measures rated by several assessors on one date, side by side."""
        history = self.history
        return self._deferred(
            "ratings", groups=history.side_by_side(), disagreements=history.disagreements()
        )

    def recommendations(
        self, author: str | None = None, priority: bool | None = None, addressee: str | None = None
    ) -> Deferred:
        chosen = [
            r
            for r in self.context.data.recommendations
            if (author is None or r.author == author)
            and (priority is None or r.priority == priority)
            and (addressee is None or addressee in {body.key for body in r.addressees})
        ]
        return self._deferred("recommendations", recommendations=chosen)

    def sources(self) -> Deferred:
        """The links of every text, including those after the one that calls it: they are
        all read by the time the block is drawn."""
        template = load_template(self.environment, "partials/sources.html")
        placement, data, citations = self.placement, self.context.data, self.citations
        copy = self.context.config.catalogue.text("copy_consulted")

        def titles() -> dict[str, str]:
            """What each address leads to: a document of the bibliography (or its copy),
            else the text of a link that cites it."""
            found = dict(placement.link_titles)
            for key, entry in citations.entries.items():
                if entry.copy_url:
                    found[entry.copy_url] = self.words.labelled(copy, citations.title_of(key))
                if entry.URL:
                    found[entry.URL] = citations.title_of(key)
            return found

        return lambda: render_template(
            template, urls=unique([*placement.links, *data_sources(data)]), titles=titles()
        )

    def bibliography(self) -> Deferred:
        """The documents the report cites, sorted, each with its addresses; citations
        link to their entry. Drawn last, it lists every citation of every text."""
        if self.citations.placed:
            raise ValueError("the bibliography is already placed; it appears once")
        self.citations.placed = True
        template = load_template(self.environment, "partials/bibliography.html")
        citations = self.citations

        def note_language(entry: BibEntry) -> str:
            """The language of a note left untranslated, when not the edition's."""
            source = citations.source_language or citations.language
            kept = "note" not in entry.translated
            return source if kept and not same_language(source, citations.language) else ""

        return lambda: render_template(
            template,
            entries=citations.listed(),
            title_of=citations.title_of,
            note_language=note_language,
        )

    def chronology(self, since: str | None = None, until: str | None = None) -> Deferred:
        """The chronology's events, oldest first, between two dates if given."""
        start, end = _date(since, "since"), _date(until, "until")
        events = sorted(
            (
                event
                for event in self.context.data.chronology
                if (start is None or earliest_day(event.date) >= start)
                and (end is None or earliest_day(event.date) <= end)
            ),
            key=lambda event: earliest_day(event.date),
        )
        return self._deferred("chronology", events=events)

    def colophon(self) -> Deferred:
        """What the publication states about itself (publisher, contact, date, licence,
        ISBN, legal deposit) and how to cite it: the report as a reference, formatted by
        the citation style in the report's language, as its bibliography would list it."""
        config = self.context.config
        entry = own_entry(config)
        citation = reference(entry, config.language, config.catalogue.locale)
        # the passages its settings mark ("[Ensemble contre la traite]{lang=fr}") keep theirs
        marks = [config.organisation, *config.authors, config.title, config.colophon.publisher]
        passages = [passage for text in marks for passage in passages_of(text)]
        citation = Markup(wrap_passages(citation, passages, config.language))
        return self._deferred("colophon", citation=citation, entry=entry)


def own_entry(config: Config) -> BibEntry:
    """The report itself as a CSL ``report``: the organisation as author (else the
    authors), its title and date, its publisher when another than the author, its
    address online, its ISBN."""
    colophon = config.colophon
    authors = [config.organisation] if config.organisation else list(config.authors)
    authors = [unmarked(author) for author in authors]
    publisher = unmarked(colophon.publisher)
    publisher = publisher if publisher not in ("", *authors) else ""
    fields = {"ISBN": colophon.isbn} if colophon.isbn else {}
    return BibEntry.model_validate(
        {
            "id": "report",
            "type": "report",
            "author": authors,
            "title": unmarked(config.title),
            "issued": config.date,
            "publisher": publisher,
            "URL": colophon.url,
            **fields,
        }
    )


def _date(value: str | None, name: str = "date") -> dt.date | None:
    """A date written in a chapter: '2023-01-12'; a mistake says how to write it."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name}='{value}' is not a date written YYYY-MM-DD") from None
