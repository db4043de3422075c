"""The pipeline, in order: config, data, compute, charts, templates, content, render, write.

Everything is read and validated before anything is written; outputs are written to a
temporary file and renamed, so a failed build leaves the previous PDF untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from report import PACKAGE_DIR, PROJECT_STYLES, __version__
from report.app.editions import Job, JobResult, all_editions, jobs, select, timed
from report.compose.chapters import Chapter, Narrative, load_chapters, load_letter
from report.compose.charts import draw_all
from report.compose.document import (
    ReportContext,
    components,
    make_environment,
    register_helpers,
    render_document,
    report_filters,
)
from report.compute.counts import compute
from report.errors import ConfigError, Problem, RenderError, WarningCounter
from report.i18n.messages import translator
from report.output.attachments import DataFile, data_files
from report.output.render import PdfSettings, render_pdf, warn_missing_fonts
from report.output.verify import Expectations, report_problems, verify
from report.sources.config import (
    DEFAULT_EDITION,
    FULL_REPORT,
    Config,
    Edition,
    edition_of,
    load_config,
)
from report.sources.model import PlanData
from report.sources.problems import unknown_value
from report.sources.validate import load_data

logger = logging.getLogger(__name__)


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
class BuildOptions:
    """Choices made on the command line rather than in report.yaml."""

    print_marks: bool = False
    pdf_variant: str | None = "pdf/a-3a"
    strict: bool = False
    force: bool = False
    edition: str | None = None
    body: str | None = None


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


def prepare(content_dir: Path, cache_dir: Path, options: BuildOptions = BuildOptions()) -> Prepared:
    """Read, validate and template everything; raise before anything is written."""
    config = _step("config", load_config, content_dir, options.edition)
    edition = edition_of(config, options.edition)
    everything = _step(
        "data",
        load_data,
        content_dir,
        config,
        options.edition is None,
    )
    check_edition(content_dir, config, options.edition, edition, everything)
    figures = _step("compute", compute, everything, config)
    data = select(everything, edition, options.body)
    if options.body:
        config = config.model_copy(update={"output": dossier_output(config, options.body)})
    charts = _step("charts", draw_all, data, figures, config, cache_dir / "charts")
    attachments = tuple(data_files(data, config))
    body = everything.body_by_key[options.body] if options.body else None
    context = ReportContext(config, data, figures, charts, attachments, edition, body)
    environment = make_environment(content_dir)
    register_helpers(environment, context)
    links: list[str] = []
    narrative = _narrative(content_dir, context, environment, links)
    chapters = _step("content", load_chapters, content_dir, config, narrative, edition.chapters_dir)
    letter = ""
    if edition.kind == "dossier":
        letter = load_letter(
            content_dir / config.letter.body, _narrative(content_dir, context, environment, links)
        )
    stylesheets = stylesheet_paths(content_dir, options, edition)
    html = _step(
        "templates",
        render_document,
        environment,
        chapters,
        [path.name for path in stylesheets],
        letter,
    )
    fonts = [config.theme.font_body, config.theme.font_heading]
    date = dt.datetime.combine(config.date, dt.time(), tzinfo=dt.UTC)
    return Prepared(
        html,
        stylesheets,
        config.output,
        chapters,
        fonts,
        attachments,
        date,
        _expectations(config, edition, chapters, data),
    )


def check_edition(
    content_dir: Path, config: Config, name: str | None, edition: Edition, data: PlanData
) -> None:
    """An edition's filters must name axes, statuses and bodies that exist."""
    known = {
        "axes": data.axis_by_key,
        "statuses": [s.key for s in config.statuses],
        "bodies": data.body_by_key,
    }
    problems = [
        Problem(
            content_dir / "report.yaml",
            unknown_value(value, list(known[field]), what),
            field=f"editions.{name}.{field}",
        )
        for field, what in (("axes", "axis"), ("statuses", "status"), ("bodies", "body"))
        for value in getattr(edition, field)
        if value not in known[field]
    ]
    if problems:
        raise ConfigError(problems)


def _narrative(
    content_dir: Path, context: ReportContext, environment, links: list[str]
) -> Narrative:
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
        },
        components=components(environment, context, links),
        filters=report_filters(config),
        measure_label=translator(config.language)("measure"),
        known_measures=set(data.measure_by_number),
        content_dir=content_dir,
        links=links,
        used_ids={
            "sommaire",
            *(m.anchor for m in data.measures),
            *(f"recommandation-{r.id}" for r in data.recommendations),
        },
    )


def _expectations(
    config: Config, edition: Edition, chapters: list[Chapter], data: PlanData
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
    )


def dossier_output(config: Config, body: str) -> str:
    """File name of one body's dossier: the edition's pattern with {body}, or a suffix."""
    return (
        config.output.replace("{body}", body)
        if "{body}" in config.output
        else f"{config.output}-{body}"
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
    fingerprint = input_fingerprint(content_dir, options, output_dir)
    previous = _previous_build(_state_file(output_dir, options), fingerprint)
    if previous is not None and not options.force:
        return BuildResult(
            Path(previous["pdf"]),
            Path(previous["html"]),
            previous["pages"],
            time.perf_counter() - started,
            up_to_date=True,
        )
    with WarningCounter() as warnings:
        prepared = prepare(content_dir, output_dir / ".cache", options)
        warn_missing_fonts(prepared.fonts)
        identifier = hashlib.md5(prepared.html.encode(), usedforsecurity=False).digest()
        settings = PdfSettings(options.pdf_variant, identifier, prepared.date, prepared.attachments)
        rendered = _step(
            "render",
            render_pdf,
            prepared.html,
            content_dir,
            prepared.stylesheets,
            [PROJECT_STYLES],
            settings,
        )
        report_problems(
            _step("verify", verify, rendered.pages, rendered.pdf, prepared.expectations)
        )
    pdf_path = output_dir / f"{prepared.output}.pdf"
    if options.strict and warnings.count:
        raise RenderError(
            Problem(
                pdf_path, (f"{warnings.count} warning(s) under --strict; fix them or drop --strict")
            )
        )
    html_path = output_dir / f"{prepared.output}.html"
    _write_atomically(html_path, prepared.html.encode("utf-8"))
    _write_atomically(pdf_path, rendered.pdf)
    if not warnings.count:
        _record_build(
            _state_file(output_dir, options),
            fingerprint,
            pdf_path,
            html_path,
            len(rendered.pages),
            rendered.pdf,
        )
    return BuildResult(
        pdf_path,
        html_path,
        len(rendered.pages),
        time.perf_counter() - started,
        warnings=warnings.count,
    )


def input_fingerprint(content_dir: Path, options: BuildOptions, output_dir: Path) -> str:
    """A hash of everything a PDF depends on: content, styles, the builder, the options."""
    skipped = output_dir.resolve()
    shaping = replace(options, strict=False, force=False)  # these never change the PDF
    digest = hashlib.sha256(f"{__version__}|{shaping}".encode())
    for root in (content_dir, PROJECT_STYLES, PACKAGE_DIR):
        for path in sorted(
            p
            for p in root.rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and not p.resolve().is_relative_to(skipped)
        ):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _state_file(output_dir: Path, options: BuildOptions) -> Path:
    """One record per edition (and per dossier body), so editions never mask each other."""
    name = f"{options.edition or 'report'}-{options.body or 'all'}"
    return output_dir / ".cache" / f"last-build-{name}.json"


def _previous_build(state_file: Path, fingerprint: str) -> dict | None:
    """The last clean build's record, if it was made from the same inputs and is intact."""
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        pdf = Path(state["pdf"]).read_bytes()
    except (OSError, ValueError, KeyError):
        return None
    intact = hashlib.sha256(pdf).hexdigest() == state.get("pdf_sha256")
    return state if state.get("fingerprint") == fingerprint and intact else None


def _record_build(
    state_file: Path, fingerprint: str, pdf: Path, html: Path, pages: int, payload: bytes
) -> None:
    state = {
        "fingerprint": fingerprint,
        "pdf": str(pdf),
        "html": str(html),
        "pages": pages,
        "pdf_sha256": hashlib.sha256(payload).hexdigest(),
    }
    _write_atomically(state_file, json.dumps(state, indent=1).encode())


def stylesheet_paths(
    content_dir: Path, options: BuildOptions, edition: Edition = FULL_REPORT
) -> list[Path]:
    """The packaged stylesheets, then the content folder's own (which override them)."""
    if not (PROJECT_STYLES / "report.css").is_file():
        raise RenderError(
            Problem(
                PROJECT_STYLES,
                ("stylesheet folder not found; install with 'pip install -e .' from a checkout"),
            )
        )
    packaged = [PROJECT_STYLES / "report.css"]
    if options.print_marks:
        packaged.append(PROJECT_STYLES / "print.css")
    own = sorted((content_dir / "styles").glob("*.css"))
    if edition.stylesheet:
        extra = next(
            (
                folder / edition.stylesheet
                for folder in (PROJECT_STYLES, content_dir)
                if (folder / edition.stylesheet).is_file()
            ),
            None,
        )
        if extra is None:
            raise RenderError(
                Problem(
                    content_dir / "report.yaml",
                    (
                        f"stylesheet '{edition.stylesheet}' not found in styles/ nor in the "
                        "content folder"
                    ),
                    field="editions.stylesheet",
                )
            )
        own.append(extra)
    return [*packaged, *own]


def _step(name: str, function, *args):
    """Run one stage and log its duration (shown with --debug)."""
    started = time.perf_counter()
    result = function(*args)
    logger.debug("stage %-9s %.2f s", name, time.perf_counter() - started)
    return result


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write beside the target then rename: readers never see a half-written file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        temporary.replace(path)
    except OSError as error:
        raise RenderError(Problem(path, f"cannot write output ({error.strerror})")) from None


def build_job(content_dir: Path, output_dir: Path, options: BuildOptions, job: Job) -> JobResult:
    """One PDF of ``--all``, in its own process (a module-level function, so it pickles)."""
    job_options = replace(options, edition=job.edition, body=job.body)
    return timed(job, lambda _: _built(build(content_dir, output_dir, job_options)))


def _built(result: BuildResult) -> tuple[Path, int, int]:
    return result.pdf, result.pages, result.warnings


def plan_editions(content_dir: Path, edition: str | None = None) -> list[Job]:
    """The PDFs of one edition (all of them when None): a dossier gives one per body."""
    config = load_config(content_dir)
    if edition is not None and edition != DEFAULT_EDITION and edition not in config.editions:
        load_config(content_dir, edition)  # raises the located "unknown edition" error
    everything = load_data(content_dir, config)
    names = all_editions(config) if edition is None else [edition]
    return jobs(config, everything, names)


__all__ = ["BuildOptions", "BuildResult", "__version__", "build", "prepare"]
