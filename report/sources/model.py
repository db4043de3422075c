"""The typed data model: what a plan's measures, bodies, tally and datasets look like.

Later stages only ever see these frozen objects, never raw YAML dictionaries. A field
that names another entry (a measure's status, axis, action and bodies, an action's axis,
a recommendation's addressees and measures, a figure's dataset) holds that entry's
object once validated (see ``references.py``): ``m.status.label``, ``m.axis.title``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator, model_validator

from report.sources.bibliography import BibEntry
from report.sources.dates import PartialDate, earliest_day
from report.sources.references import ref
from report.sources.statuses import StatusDef
from report.sources.strict import Strict

# Keys and ids name files (a dossier per body) and HTML ids: letters, digits, '.', '_', '-'.
SLUG = r"^\w[\w.-]*$"
MEASURE_CODE = re.compile(r"^M\d+$")  # [[M12]] names a measure


class Axis(Strict):
    """A theme ("axe") of the plan."""

    key: str = Field(pattern=SLUG, description="Identifier used by measures' `axis` field.")
    number: int | None = Field(default=None, description="Number of the axis in the plan.")
    title: str | None = Field(default=None, description="Title, or empty when not published.")
    sources: tuple[str, ...] = Field(default=(), description="Sources of the title: URLs or @keys.")


AxisRef = ref("axes", "axis", Axis)


class Action(Strict):
    """A group of measures inside an axis."""

    key: str = Field(pattern=SLUG, description="Identifier used by measures' `action` field.")
    axis: AxisRef = Field(description="Key of the axis holding this action.")
    number: int | None = Field(default=None, description="Number of the action.")
    title: str | None = Field(default=None, description="Title, or empty when not published.")
    sources: tuple[str, ...] = Field(default=(), description="Sources of the title: URLs or @keys.")


ActionRef = ref("actions", "action", Action)


class Body(Strict):
    """A ministry, agency or institution that leads measures or receives recommendations."""

    key: str = Field(
        pattern=SLUG, description="Identifier used in `lead`, `partners` and `addressees`."
    )
    name: str = Field(description="Full name.")
    short: str = Field(default="", description="Acronym or short name (e.g. MIPROF).")
    address: str = Field(default="", description="Postal address, for dossier letters.")
    addressee: str = Field(
        default="",
        description=(
            "Who the letter is addressed to, as the address block opens (e.g. 'Madame "
            "Élisabeth Borne, Première ministre'); default: the body's name."
        ),
    )
    salutation: str = Field(
        default="",
        description=("Opening of the letter (e.g. 'Madame la Ministre,'); default: a neutral one."),
    )
    dossier: bool = Field(
        default=True,
        description=(
            "Whether a dossier edition makes one for this body (false for the publisher)."
        ),
    )
    sources: tuple[str, ...] = Field(
        default=(), description="Sources about this body: URLs or @keys."
    )
    until: dt.date | None = Field(
        default=None,
        description="Date it was renamed, merged into another or dissolved (YYYY-MM-DD).",
    )
    successor: str = Field(
        default="",
        pattern=r"^(\w[\w.-]*)?$",
        description="Key of the body that took over its measures on that date, if any.",
    )

    @property
    def label(self) -> str:
        """The short name when there is one: lists of bodies stay readable."""
        return self.short or self.name


BodyRef = ref("bodies", "body", Body)
StatusRef = ref("statuses", "status", StatusDef)


class Evidence(Strict):
    """A document that supports the evaluator's rating of a measure."""

    label: str = Field(default="", description="What the document is (or cite it).")
    url: str = Field(default="", description="Where to read it.")
    date: dt.date | None = Field(default=None, description="Its publication date.")
    cite: str = Field(
        default="", description="Its bibliography key, with a locator if any: 'key, p. 9'."
    )

    @model_validator(mode="after")
    def _says_what_it_is(self) -> Evidence:
        if not self.label and not self.cite:
            raise ValueError("give the document's 'label:', or 'cite:' its bibliography key")
        return self


class Assessor(Strict):
    """Who rates the measures: the official evaluator, the government, the coalition..."""

    key: str = Field(pattern=SLUG, description="Identifier used in `assessor` fields.")
    name: str = Field(description="Full name.")
    short: str = Field(default="", description="Short name, for tables (e.g. CNCDH).")

    @property
    def label(self) -> str:
        return self.short or self.name


AssessorRef = ref("assessors", "assessor", Assessor)


class Assessment(Strict):
    """An earlier rating of a measure (the current one is its ``status``)."""

    date: dt.date = Field(description="When it was given (YYYY-MM-DD).")
    status: StatusRef = Field(description="Status key from the vocabulary in report.yaml.")
    assessor: AssessorRef | None = Field(
        default=None, description="Key of who gave it (default: the first assessor)."
    )
    note: str = Field(default="", description="A comment on this rating.")
    source: str = Field(default="", description="The document that gives it: URL or @key.")


class Measure(Strict):
    """One commitment of the plan, with its evaluation."""

    number: int = Field(ge=1, description="Number of the measure in the plan.")
    axis: AxisRef = Field(description="Key of its axis.")
    action: ActionRef | None = Field(default=None, description="Key of its action, if any.")
    title: str | None = Field(default=None, description="Title, or empty when not published.")
    status: StatusRef = Field(description="Status key from the vocabulary in report.yaml.")
    lead: tuple[BodyRef, ...] = Field(default=(), description="Keys of the lead bodies.")
    partners: tuple[BodyRef, ...] = Field(default=(), description="Keys of partner bodies.")
    comment: str = Field(default="", description="The evaluator's comment.")
    evidence: tuple[Evidence, ...] = Field(default=(), description="Supporting documents.")
    recommendations: tuple[str, ...] = Field(default=(), description="What should be done.")
    sources: tuple[str, ...] = Field(
        default=(), description="Sources of this entry: URLs or @keys."
    )
    assessor: AssessorRef | None = Field(
        default=None, description="Key of who gave the current status (default: the first)."
    )
    history: tuple[Assessment, ...] = Field(
        default=(), description="Earlier ratings, oldest first (see docs/history.md)."
    )

    @property
    def anchor(self) -> str:
        """The HTML id of the measure's card: the target of ``[[M12]]`` references."""
        return f"mesure-{self.number}"

    @property
    def is_blank(self) -> bool:
        """Nothing is known of it but its number and place: no title, a status of the
        ``unknown`` category, no body, comment, evidence, recommendation nor history.
        Tables write a run of such measures as one row and cards leave them out, so that
        unknowns read as facts about the sources, not as an unfinished template."""
        return self.status.category == "unknown" and not (
            self.title
            or self.lead
            or self.partners
            or self.comment
            or self.evidence
            or self.recommendations
            or self.history
        )


MeasureRef = ref("measures", "measure", Measure, key="number")


class Tally(Strict):
    """The evaluator's official count of measures per status."""

    counts: dict[str, int] = Field(description="Number of measures per status key.")
    source: str = Field(default="", description="The published tally: URL or @key.")
    note: str = Field(
        default="",
        description=("A caveat about the tally, for chapters to print: `{{ tally.note }}`."),
    )

    @property
    def total(self) -> int:
        """Total number of measures the tally covers."""
        return sum(self.counts.values())


class Recommendation(Strict):
    """A recommendation addressed to one or more bodies."""

    id: str = Field(pattern=SLUG, description="Identifier, unique in the report.")
    code: str = Field(
        default="",
        pattern=SLUG,
        description=(
            "Short identifier printed with it and used in [[R3]] references "
            "(default: R and its position: R1, R2...)."
        ),
    )
    text: str = Field(description="The recommendation.")
    addressees: tuple[BodyRef, ...] = Field(default=(), description="Keys of the bodies addressed.")
    priority: bool = Field(default=False, description="Whether it is a priority one.")
    author: str = Field(default="", description="Who made it (e.g. CNCDH, the collective).")
    measures: tuple[MeasureRef, ...] = Field(default=(), description="Numbers of related measures.")
    sources: tuple[str, ...] = Field(default=(), description="Its sources: URLs or @keys.")

    @field_validator("code")
    @classmethod
    def _not_a_measure(cls, code: str) -> str:
        if MEASURE_CODE.match(code):
            raise ValueError(f"'{code}' would read as a measure in [[{code}]]; use R{code[1:]}")
        return code

    @property
    def anchor(self) -> str:
        """The HTML id of the recommendation's first listing."""
        return f"recommandation-{self.id}"


class Point(Strict):
    """One value of a dataset; ``value: null`` records a missing year, drawn as a gap."""

    x: str | int = Field(description="Category or year.")
    value: int | float | None = Field(description="The value, or null when unknown.")
    note: str = Field(default="", description="A caveat about this value.")
    source: str = Field(default="", description="Source of this value, if it differs: URL or @key.")
    estimate: bool = Field(
        default=False, description="An order of magnitude, not a count: drawn as one."
    )
    series_break: bool = Field(
        default=False,
        description="The series changes here (definition or source): a gap, never joined.",
    )

    @field_validator("value")
    @classmethod
    def _whole_numbers_stay_whole(cls, value: float | None) -> int | float | None:
        """120.0 prints as 120: a count of victims is never written with a decimal point."""
        return int(value) if isinstance(value, float) and value.is_integer() else value


class Dataset(Strict):
    """A series of figures with its unit and source."""

    key: str = Field(pattern=SLUG, description="Identifier used by figures.")
    title: str = Field(description="What is measured.")
    unit: str = Field(default="", description="Unit of the values (e.g. victims).")
    points: tuple[Point, ...] = Field(description="The values, in order.")
    sources: tuple[str, ...] = Field(
        default=(), description="Sources of the figures: URLs or @keys."
    )


DatasetRef = ref("datasets", "dataset", Dataset)
# The chart kinds, declared here once; compose/charts.py draws each (and checks it has all).
ChartKind = Literal["status_tally", "status_counts", "bars", "status_evolution"]


class Figure(Strict):
    """A chart declared in data, drawn by the charts stage."""

    id: str = Field(pattern=SLUG, description="Identifier used in `{{ figure('id') }}`.")
    kind: ChartKind = Field(
        description="Chart kind: status_tally, status_counts, bars or status_evolution."
    )
    dataset: DatasetRef | None = Field(default=None, description="Dataset key (required for bars).")
    title: str = Field(description="Caption title.")
    alt: str = Field(default="", description="Text alternative for screen readers.")
    source: str = Field(default="", description="Source line printed under the chart.")

    @model_validator(mode="after")
    def _bars_need_a_dataset(self) -> Figure:
        if self.kind == "bars" and not self.dataset:
            raise ValueError("a 'bars' figure needs 'dataset:' naming one of the datasets")
        return self


class Event(Strict):
    """A dated row of the chronology: what happened, when, and who says so."""

    date: PartialDate = Field(description="When: YYYY-MM-DD, YYYY-MM or YYYY.")
    until: PartialDate | None = Field(default=None, description="Last day of a period.")
    event: str = Field(description="What happened (inline Markdown).")
    sources: tuple[str, ...] = Field(default=(), description="Its sources: @keys or URLs.")

    @model_validator(mode="after")
    def _in_order(self) -> Event:
        if self.until is not None and earliest_day(self.until) < earliest_day(self.date):
            raise ValueError("'until' comes before 'date'; write the period's first day first")
        return self


class PlanData(Strict):
    """Everything the data files declare, validated and cross-checked."""

    axes: tuple[Axis, ...] = ()
    assessors: tuple[Assessor, ...] = ()
    actions: tuple[Action, ...] = ()
    bodies: tuple[Body, ...] = ()
    measures: tuple[Measure, ...] = ()
    tally: Tally | None = None
    recommendations: tuple[Recommendation, ...] = ()
    datasets: tuple[Dataset, ...] = ()
    figures: tuple[Figure, ...] = ()
    chronology: tuple[Event, ...] = ()
    bibliography: tuple[BibEntry, ...] = ()

    @cached_property
    def axis_by_key(self) -> dict[str, Axis]:
        return {axis.key: axis for axis in self.axes}

    @cached_property
    def action_by_key(self) -> dict[str, Action]:
        return {action.key: action for action in self.actions}

    @cached_property
    def body_by_key(self) -> dict[str, Body]:
        return {body.key: body for body in self.bodies}

    @cached_property
    def bibliography_by_key(self) -> dict[str, BibEntry]:
        return {entry.id: entry for entry in self.bibliography}

    @cached_property
    def assessor_by_key(self) -> dict[str, Assessor]:
        return {assessor.key: assessor for assessor in self.assessors}

    @cached_property
    def measure_by_number(self) -> dict[int, Measure]:
        return {measure.number: measure for measure in self.measures}

    @cached_property
    def dataset_by_key(self) -> dict[str, Dataset]:
        return {dataset.key: dataset for dataset in self.datasets}
