"""The pipeline, in order: config, data (with the bibliography), compute, charts,
content (with citations), templates, render, verify, write.

``prepare()`` runs the stages up to the finished HTML (``report check`` stops there);
``build()`` adds rendering, verification and writing. Each stage is called here,
directly, in the order a reader expects; ``stage()`` only times it. Everything is read
and validated before anything is written, and outputs are written to a temporary file
and renamed, so a failed build leaves the previous PDF untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from report import PACKAGED_FONTS, PROJECT_STYLES, __version__
from report.app.cache import (
    LastBuild,
    forget_build,
    input_fingerprint,
    previous_build,
    record_build,
    state_file,
)
from report.compose.chapters import Chapter, Narrative, load_chapters, load_letter, place_blocks
from report.compose.charts import Chart, draw_all
from report.compose.citations import Citations, warn_uncited
from report.compose.components import Components
from report.compose.document import (
    ReportContext,
    make_environment,
    render_document,
    report_filters,
)
from report.compose.placement import CONTENTS_ID, COVER_ID, LETTER_ID, Placement
from report.compute.counts import Counts, compute
from report.compute.history import History
from report.compute.selection import addressee, check_filters, select
from report.errors import Problem, RenderError, WarningCounter
from report.output.attachments import DataFile, attachments
from report.output.files import output_path, remove_stale_temporaries, write_together
from report.output.render import PdfSettings, render_pdf, warn_missing_fonts
from report.output.stylesheets import stylesheet_paths
from report.output.verify import Expectations, report_problems, verify
from report.sources.config import Config, load_config
from report.sources.editions import DEFAULT_EDITION, Edition, addressed_to, edition_of
from report.sources.model import Body, PlanData
from report.sources.sourcing import cited_by_data
from report.sources.validate import load_data

logger = logging.getLogger(__name__)

PRINT_SUFFIX = "-print"  # --print writes rapport-print.pdf beside rapport.pdf


@dataclass(frozen=True)
class BuildOptions:
    """Choices made on the command line rather than in report.yaml."""

    print_marks: bool = False
    pdf_variant: str | None = "pdf/a-3a"
    strict: bool = False
    force: bool = False
    edition: str | None = None
    body: str | None = None

    @property
    def is_full_report(self) -> bool:
        """The full report, the one document whose texts and data cite every source."""
        return (self.edition or DEFAULT_EDITION) == DEFAULT_EDITION and self.body is None

    @property
    def shaping(self) -> str:
        """The options that change the PDF (--strict and --force never do)."""
        return str(replace(self, strict=False, force=False))


@dataclass(frozen=True)
class BuildResult:
    """What the CLI reports in its summary line."""

    pdf: Path
    html: Path
    pages: int
    seconds: float
    up_to_date: bool = False
    warnings: int = 0


@dataclass(frozen=True)
class Prepared:
    """A fully read and validated report, ready to render."""

    html: str
    stylesheets: list[Path]
    output: str
    chapters: list[Chapter]
    fonts: list[str]
    attachments: tuple[DataFile, ...]
    date: dt.datetime
    expectations: Expectations


# The stages in the order they run (ARCHITECTURE.md, "The pipeline"): a terminal's
# progress counts them.
STAGES = ("fingerprint", "config", "data", "compute", "charts", "content", "templates")
STAGES += ("render", "verify", "write")
_listeners: list[Callable[[str], None]] = []


@contextmanager
def watching_stages(listener: Callable[[str], None]) -> Iterator[None]:
    """Tell ``listener`` the name of each stage as it starts, for the time of the block:
    the progress a terminal shows, without the pipeline knowing how it is shown."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time one stage of the pipeline (``report build --debug`` shows the lines)."""
    for listener in _listeners:
        listener(name)
    started = time.perf_counter()
    yield
    logger.debug("stage %-9s %.3f s", name, time.perf_counter() - started)


def prepare(content_dir: Path, cache_dir: Path, options: BuildOptions = BuildOptions()) -> Prepared:
    """Read, validate and compose everything; raise before anything is written."""
    return compose(content_dir, read_inputs(content_dir, cache_dir, options), options)


@dataclass(frozen=True)
class Inputs:
    """What the first stages give the content stage: the settings and data of one
    document, checked and counted, its charts drawn. Split from ``compose()`` so the live
    preview (app/preview.py) can keep them while only chapters, templates or styles change."""

    config: Config
    edition: Edition
    everything: PlanData
    data: PlanData
    figures: Counts
    charts: dict[str, Chart]
    body: Body | None


def read_inputs(content_dir: Path, cache_dir: Path, options: BuildOptions) -> Inputs:
    """The stages config, data, compute and charts."""
    with stage("config"):
        config = load_config(content_dir, options.edition)
        edition = edition_of(config, options.edition)
    with stage("data"):
        everything = load_data(content_dir, config, notes=options.edition is None)
        check_filters(content_dir, config, options.edition, edition, everything)
    with stage("compute"):
        body = None
        if options.body:  # a dossier: to a body that exists on the report's date
            body = addressee(content_dir, everything, options.body, config.date)
            config = addressed_to(config, options.body)
        figures = compute(everything, config)
        data = select(everything, edition, options.body, config.date)
    with stage("charts"):
        charts = draw_all(data, figures, config, cache_dir / "charts")
    return Inputs(config, edition, everything, data, figures, charts, body)


@dataclass(frozen=True)
class Composed:
    """The content stage's result: the chapters (and a dossier's letter) with what rendered
    them, which the PDF's template and the web edition's pages (app/web.py) both use."""

    context: ReportContext
    environment: jinja2.Environment
    placement: Placement
    citations: Citations
    chapters: list[Chapter]
    letter: str


def compose_content(content_dir: Path, inputs: Inputs, options: BuildOptions) -> Composed:
    """The stage content: the chapters, their components and citations placed."""
    config, edition, data, body = inputs.config, inputs.edition, inputs.data, inputs.body
    with stage("content"):
        files = tuple(attachments(data, config))
        history = History(data, config.date, inputs.everything, config.statuses)
        context = ReportContext(
            config, data, inputs.figures, inputs.charts, files, edition, body, history
        )
        environment = make_environment(content_dir, context)
        placement = Placement.for_plan(data)
        citations = _citations(config, inputs.everything, data)
        components = Components(environment, context, placement, citations)
        narrative = _narrative(content_dir, context, components)
        letter = ""
        if edition.kind == "dossier":
            letter = load_letter(content_dir / config.letter.body, narrative)
        chapters = load_chapters(content_dir, config, narrative, edition.chapters_dir)
        chapters, letter = place_blocks(placement, chapters, letter)
        if options.is_full_report:
            warn_uncited(citations)
    return Composed(context, environment, placement, citations, chapters, letter)


def compose(content_dir: Path, inputs: Inputs, options: BuildOptions) -> Prepared:
    """The stages content and templates: the chapters, then the document's HTML."""
    config, edition, data = inputs.config, inputs.edition, inputs.data
    composed = compose_content(content_dir, inputs, options)
    chapters = composed.chapters
    with stage("templates"):
        html = render_document(
            composed.environment,
            config.catalogue.typography,
            chapters,
            composed.placement,
            composed.letter,
        )
    return Prepared(
        html=html,
        stylesheets=stylesheet_paths(content_dir, options.print_marks, edition),
        output=config.output + PRINT_SUFFIX * options.print_marks,  # never the screen PDF
        chapters=chapters,
        fonts=[config.theme.font_body, config.theme.font_heading],
        attachments=composed.context.attachments,
        date=dt.datetime.combine(config.date, dt.time(), tzinfo=dt.UTC),
        expectations=_expectations(config, edition, chapters, data, options.pdf_variant),
    )


def build(
    content_dir: Path, output_dir: Path, options: BuildOptions = BuildOptions()
) -> BuildResult:
    """Build ``output_dir/<output>.pdf`` and the exact HTML it was rendered from."""
    started = time.perf_counter()
    if output_dir.exists() and not output_dir.is_dir():
        raise RenderError(
            Problem(output_dir, ("is a file, not a folder; give another output folder with -o"))
        )
    remove_stale_temporaries(output_dir)
    remove_stale_temporaries(output_dir / ".cache" / "charts")
    state = state_file(output_dir, options.edition, options.body, options.print_marks)
    with stage("fingerprint"):
        fingerprint = input_fingerprint(content_dir, options.shaping, output_dir)
        last = previous_build(state, fingerprint)
    if last is not None and not options.force:
        seconds = time.perf_counter() - started
        return BuildResult(last.pdf, last.html, last.pages, seconds, up_to_date=True)
    with WarningCounter() as warnings:
        prepared = prepare(content_dir, output_dir / ".cache", options)
        warn_missing_fonts(prepared.fonts)
        with stage("render"):
            rendered = render_pdf(
                prepared.html,
                content_dir,
                prepared.stylesheets,
                [PROJECT_STYLES, PACKAGED_FONTS],
                _pdf_settings(prepared, options),
            )
        with stage("verify"):
            report_problems(
                verify(rendered.pages, rendered.pdf, prepared.expectations, prepared.html)
            )
    pdf_path = output_path(output_dir, f"{prepared.output}.pdf")
    html_path = output_path(output_dir, f"{prepared.output}.html")
    if options.strict and warnings.count:
        raise RenderError(
            Problem(
                pdf_path, (f"{warnings.count} warning(s) under --strict; fix them or drop --strict")
            )
        )
    with stage("write"):
        html = prepared.html.encode("utf-8")
        forget_build(state)
        write_together([(pdf_path, rendered.pdf), (html_path, html)])
        if not warnings.count:
            built = LastBuild(pdf_path, html_path, len(rendered.pages))
            record_build(state, fingerprint, built, rendered.pdf, html)
    seconds = time.perf_counter() - started
    return BuildResult(pdf_path, html_path, len(rendered.pages), seconds, warnings=warnings.count)


def _narrative(content_dir: Path, context: ReportContext, components: Components) -> Narrative:
    """What chapters (and letters) can reach: data, figures, components, filters."""
    config, data = context.config, context.data
    return Narrative(
        variables={
            "config": config,
            "plan": config.plan,
            "data": data,
            "figures": context.figures,
            "tally": data.tally,
            "measures": data.measure_by_number,
            "body": context.body,
            "edition": context.edition,
            "words": config.words,
            "history": context.history,
        },
        components=components.functions(),
        filters=report_filters(config),
        words=config.words,
        measures=data.measure_by_number,
        recommendations={r.code: r for r in data.recommendations},
        content_dir=content_dir,
        placement=components.placement,
        citations=components.citations,
        mirrors=config.mirrors,
    )


def _citations(config: Config, everything: PlanData, data: PlanData) -> Citations:
    """The document's citations: the whole bibliography, and what the edition's data cites."""
    return Citations(
        everything.bibliography_by_key,
        config.language,
        config.catalogue.locale,
        from_data=cited_by_data(data),
        file=config.bibliography,
        source_language=config.source_language,
    )


def _pdf_settings(prepared: Prepared, options: BuildOptions) -> PdfSettings:
    """A fixed file identifier (an MD5 of the HTML) and fixed dates: reproducible bytes."""
    identifier = hashlib.md5(prepared.html.encode(), usedforsecurity=False).digest()
    return PdfSettings(
        options.pdf_variant,
        identifier,
        prepared.date,
        prepared.attachments,
        crop_marks=options.print_marks,
    )


def _expectations(
    config: Config, edition: Edition, chapters: list[Chapter], data: PlanData, variant: str | None
) -> Expectations:
    """What the verification gate must find in this edition's PDF."""
    return Expectations(
        chapter_ids=tuple(chapter.id for chapter in chapters),
        chapter_titles={chapter.id: chapter.title for chapter in chapters},
        measure_anchors={}
        if edition.kind == "brief"
        else {m.anchor: m.number for m in data.measures},
        size_budget=int(config.size_budget_mb * 1_000_000),
        max_pages=edition.max_pages,
        section_starts=frozenset({CONTENTS_ID, LETTER_ID, COVER_ID}),
        pdf_variant=variant,
        short_pages=frozenset({CONTENTS_ID}),
    )


__all__ = [
    "BuildOptions",
    "BuildResult",
    "Composed",
    "Inputs",
    "__version__",
    "build",
    "compose",
    "compose_content",
    "prepare",
    "read_inputs",
]
