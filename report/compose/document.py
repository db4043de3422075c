"""Stage 6: the Jinja2 page template, its components, and the final HTML document.

Templates receive typed objects (``Config``, ``PlanData``, ``Figures``), never raw YAML.
A content folder may override any packaged template by putting a file of the same name
in its ``templates/`` folder.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from report.compose.chapters import Chapter
from report.compose.charts import Chart
from report.compose.typography import apply_typography
from report.compute.counts import Figures
from report.errors import Problem, RenderError
from report.i18n.messages import long_date, number, percent, translator
from report.output.attachments import DataFile, data_uri
from report.sources.config import FULL_REPORT, Config, Edition
from report.sources.model import Body, Measure, PlanData

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class ReportContext:
    """Everything the page template can use."""

    config: Config
    data: PlanData
    figures: Figures
    charts: dict[str, Chart]
    attachments: tuple[DataFile, ...] = ()
    edition: Edition = FULL_REPORT
    body: Body | None = None


def make_environment(content_dir: Path) -> jinja2.Environment:
    """Jinja2 with autoescape and StrictUndefined; content templates override packaged ones."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(content_dir / "templates"),
            jinja2.FileSystemLoader(PACKAGE_TEMPLATES),
        ]
    )
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def register_helpers(environment: jinja2.Environment, context: ReportContext) -> None:
    """The filters and globals every template may use, registered in one place."""
    config = context.config
    environment.globals.update(
        _=translator(config.language),
        config=config,
        data=context.data,
        figures=context.figures,
        charts=context.charts,
        status=config.status,
        edition=context.edition,
        body=context.body,
    )
    environment.filters.update(report_filters(config))


def report_filters(config: Config) -> dict[str, Callable[..., str]]:
    """Filters shared by templates and chapters: ``{{ figures.total | number }}``."""
    return {
        "number": lambda value: number(value, config.language),
        "longdate": lambda value: long_date(value, config.language),
        "percent": lambda value: percent(value, config.language),
    }


def data_sources(data: PlanData) -> list[str]:
    """Every URL the data cites, in data order: measures, bodies, tally, datasets..."""
    found: list[str] = []
    for item in (
        *data.axes,
        *data.actions,
        *data.bodies,
        *data.measures,
        *data.recommendations,
        *data.datasets,
    ):
        found += item.sources
        found += [e.url for e in getattr(item, "evidence", ()) if e.url]
        found += [p.source for p in getattr(item, "points", ()) if p.source]
    if data.tally and data.tally.source:
        found.append(data.tally.source)
    return found


def unique(items: list[str]) -> list[str]:
    """Remove repeats, keeping the first occurrence's place."""
    return list(dict.fromkeys(items))


class Anchors:
    """Gives each anchor to one element only: a measure's card if it has one, else the first
    table row or recap cell that shows it; a recommendation's first listing."""

    def __init__(self) -> None:
        self.preferred: set[str] = set()
        self.placed: set[str] = set()

    def id_for(self, anchor: str, place: str = "") -> str:
        """The id attribute value for this place, or '' when the anchor lives elsewhere."""
        if anchor in self.placed or (place != "card" and anchor in self.preferred):
            return ""
        self.placed.add(anchor)
        return anchor


def components(
    environment: jinja2.Environment, context: ReportContext, links: list[str]
) -> dict[str, Callable[..., Callable[[], str]]]:
    """Functions chapters call to place data-driven blocks: ``{{ figure('tally') }}``..."""
    anchors = Anchors()
    placed_figures: list[Chart] = []
    environment.globals.update(anchor_for=anchors.id_for, placed_figures=placed_figures)

    def deferred(name: str, **values: Any) -> Callable[[], str]:
        template = environment.get_template(f"partials/{name}.html")
        return lambda: render_template(template, **values)

    def figure(figure_id: str) -> Callable[[], str]:
        if figure_id not in context.charts:
            known = ", ".join(context.charts) or "none declared"
            raise ValueError(f"no figure '{figure_id}' (known: {known})")
        chart = context.charts[figure_id]
        if chart in placed_figures:
            raise ValueError(f"figure '{figure_id}' is already placed; a figure appears once")
        placed_figures.append(chart)
        return deferred("figure", chart=chart, src=data_uri(chart.svg.encode(), "image/svg+xml"))

    def select(
        axis: str | None = None, action: str | None = None, numbers: list[int] | None = None
    ) -> list[Measure]:
        for value, known, what in (
            (axis, context.data.axis_by_key, "axis"),
            (action, context.data.action_by_key, "action"),
        ):
            if value is not None and value not in known:
                raise ValueError(f"no {what} '{value}' (known: {', '.join(known)})")
        return [
            m
            for m in context.data.measures
            if (axis is None or m.axis == axis)
            and (action is None or m.action == action)
            and (numbers is None or m.number in numbers)
        ]

    def measure_cards(**filters: Any) -> Callable[[], str]:
        measures = select(**filters)
        anchors.preferred.update(m.anchor for m in measures)
        return deferred("measure_cards", measures=measures)

    def recommendations(
        author: str | None = None, priority: bool | None = None, addressee: str | None = None
    ) -> Callable[[], str]:
        chosen = [
            r
            for r in context.data.recommendations
            if (author is None or r.author == author)
            and (priority is None or r.priority == priority)
            and (addressee is None or addressee in r.addressees)
        ]
        return deferred("recommendations", recommendations=chosen)

    def sources() -> Callable[[], str]:
        template = environment.get_template("partials/sources.html")
        return lambda: render_template(template, urls=unique([*links, *data_sources(context.data)]))

    return {
        "figure": figure,
        "recommendations": recommendations,
        "sources": sources,
        "measures_table": lambda **f: deferred("measures_table", measures=select(**f)),
        "measure_cards": measure_cards,
        "recap": lambda: deferred("recap", measures=context.data.measures),
        "key_figures": lambda: deferred("key_figures"),
        "open_data": lambda: deferred("open_data", attachments=context.attachments),
    }


def render_document(
    environment: jinja2.Environment,
    chapters: list[Chapter],
    stylesheets: list[str],
    letter: str = "",
) -> str:
    """The whole report as one HTML document, with typography applied to every text run."""
    config = environment.globals["config"]
    document = render_template(
        environment.get_template("report.html"),
        chapters=[_safe(chapter) for chapter in chapters],
        stylesheets=stylesheets,
        letter=Markup(letter),
    )
    return apply_typography(document, config.language)


TEMPLATE_MISTAKES = (jinja2.TemplateError, TypeError, LookupError, ValueError, AttributeError)


def render_template(template: jinja2.Template, **values: Any) -> str:
    """Render one template; a mistake in a (possibly overridden) template is located."""
    try:
        return template.render(**values)
    except TEMPLATE_MISTAKES as error:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".html")
        ]
        if not frames and not isinstance(error, jinja2.TemplateError):
            raise
        where = frames[-1] if frames else None
        path = where.filename if where else getattr(error, "filename", None) or "templates"
        line = where.lineno if where else getattr(error, "lineno", None)
        raise RenderError(Problem(path, f"template error: {error}", line)) from None


def _safe(chapter: Chapter) -> Chapter:
    """Chapter HTML comes from our Markdown renderer: it is marked safe here, once."""
    from dataclasses import replace

    return replace(chapter, html=Markup(chapter.html))
