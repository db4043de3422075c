"""The pipeline, in order: config, data, compute, charts, templates, content, render, write.

Everything is read and validated before anything is written; outputs are written to a
temporary file and renamed, so a failed build leaves the previous PDF untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from report import __version__
from report.charts import draw_all
from report.compute import compute
from report.config import load_config
from report.content import Chapter, Narrative, load_chapters
from report.errors import Problem, RenderError, WarningCounter
from report.export import DataFile, data_files
from report.messages import translator
from report.render import PdfSettings, render_pdf, warn_missing_fonts
from report.templating import (
    ReportContext,
    components,
    make_environment,
    register_helpers,
    render_document,
    report_filters,
)
from report.validate import load_data
from report.verify import Expectations, report_problems, verify

logger = logging.getLogger(__name__)

PROJECT_STYLES = Path(__file__).resolve().parent.parent / "styles"


@dataclass(frozen=True)
class BuildResult:
    """What the CLI reports in its summary line."""

    pdf: Path
    html: Path
    pages: int
    seconds: float
    up_to_date: bool = False


@dataclass(frozen=True)
class BuildOptions:
    """Choices made on the command line rather than in report.yaml."""

    print_marks: bool = False
    pdf_variant: str | None = "pdf/a-3a"
    strict: bool = False
    force: bool = False


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
    config = _step("config", load_config, content_dir)
    data = _step("data", load_data, content_dir, config)
    figures = _step("compute", compute, data, config)
    charts = _step("charts", draw_all, data, figures, config, cache_dir / "charts")
    attachments = tuple(data_files(data, config))
    context = ReportContext(config, data, figures, charts, attachments)
    environment = make_environment(content_dir)
    register_helpers(environment, context)
    links: list[str] = []
    narrative = Narrative(
        variables={"config": config, "plan": config.plan, "data": data, "figures": figures,
                   "tally": data.tally, "measures": data.measure_by_number},
        components=components(environment, context, links),
        filters=report_filters(config),
        measure_label=translator(config.language)("measure"),
        known_measures=set(data.measure_by_number),
        content_dir=content_dir, links=links,
        used_ids={"sommaire", *(m.anchor for m in data.measures),
                  *(f"recommandation-{r.id}" for r in data.recommendations)})
    chapters = _step("content", load_chapters, content_dir, config, narrative)
    stylesheets = stylesheet_paths(content_dir, options)
    html = _step("templates", render_document, environment, chapters,
                 [path.name for path in stylesheets])
    fonts = [config.theme.font_body, config.theme.font_heading]
    date = dt.datetime.combine(config.date, dt.time(), tzinfo=dt.UTC)
    expectations = Expectations(
        chapter_ids=tuple(chapter.id for chapter in chapters),
        chapter_titles={chapter.id: chapter.title for chapter in chapters},
        measure_anchors={m.anchor: m.number for m in data.measures},
        size_budget=int(config.size_budget_mb * 1_000_000))
    return Prepared(html, stylesheets, config.output, chapters, fonts, attachments, date,
                    expectations)


def build(content_dir: Path, output_dir: Path,
          options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build ``output_dir/<output>.pdf`` and the exact HTML it was rendered from."""
    started = time.perf_counter()
    fingerprint = input_fingerprint(content_dir, options, output_dir)
    previous = _previous_build(output_dir, fingerprint)
    if previous is not None and not options.force:
        return BuildResult(Path(previous["pdf"]), Path(previous["html"]), previous["pages"],
                           time.perf_counter() - started, up_to_date=True)
    with WarningCounter() as warnings:
        prepared = prepare(content_dir, output_dir / ".cache", options)
        warn_missing_fonts(prepared.fonts)
        identifier = hashlib.md5(prepared.html.encode(), usedforsecurity=False).digest()
        settings = PdfSettings(options.pdf_variant, identifier, prepared.date,
                               prepared.attachments)
        rendered = _step("render", render_pdf, prepared.html, content_dir,
                         prepared.stylesheets, [PROJECT_STYLES], settings)
        report_problems(_step("verify", verify, rendered.pages, rendered.pdf,
                              prepared.expectations))
    pdf_path = output_dir / f"{prepared.output}.pdf"
    if options.strict and warnings.count:
        raise RenderError(Problem(pdf_path, (
            f"{warnings.count} warning(s) under --strict; fix them or drop --strict")))
    html_path = output_dir / f"{prepared.output}.html"
    _write_atomically(html_path, prepared.html.encode("utf-8"))
    _write_atomically(pdf_path, rendered.pdf)
    if not warnings.count:
        _record_build(output_dir, fingerprint, pdf_path, html_path, len(rendered.pages),
                      rendered.pdf)
    return BuildResult(pdf_path, html_path, len(rendered.pages), time.perf_counter() - started)


def input_fingerprint(content_dir: Path, options: BuildOptions, output_dir: Path) -> str:
    """A hash of everything a PDF depends on: content, styles, the builder, the options."""
    skipped = output_dir.resolve()
    digest = hashlib.sha256(f"{__version__}|{options.print_marks}|{options.pdf_variant}".encode())
    package = Path(__file__).resolve().parent
    for root in (content_dir, PROJECT_STYLES, package):
        for path in sorted(p for p in root.rglob("*") if p.is_file()
                           and "__pycache__" not in p.parts
                           and not p.resolve().is_relative_to(skipped)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _state_file(output_dir: Path) -> Path:
    return output_dir / ".cache" / "last-build.json"


def _previous_build(output_dir: Path, fingerprint: str) -> dict | None:
    """The last clean build's record, if it was made from the same inputs and is intact."""
    try:
        state = json.loads(_state_file(output_dir).read_text(encoding="utf-8"))
        pdf = Path(state["pdf"]).read_bytes()
    except (OSError, ValueError, KeyError):
        return None
    intact = hashlib.sha256(pdf).hexdigest() == state.get("pdf_sha256")
    return state if state.get("fingerprint") == fingerprint and intact else None


def _record_build(output_dir: Path, fingerprint: str, pdf: Path, html: Path, pages: int,
                  payload: bytes) -> None:
    state = {"fingerprint": fingerprint, "pdf": str(pdf), "html": str(html), "pages": pages,
             "pdf_sha256": hashlib.sha256(payload).hexdigest()}
    _write_atomically(_state_file(output_dir), json.dumps(state, indent=1).encode())


def stylesheet_paths(content_dir: Path, options: BuildOptions) -> list[Path]:
    """The packaged stylesheets, then the content folder's own (which override them)."""
    if not (PROJECT_STYLES / "report.css").is_file():
        raise RenderError(Problem(PROJECT_STYLES, (
            "stylesheet folder not found; install with 'pip install -e .' from a checkout")))
    packaged = [PROJECT_STYLES / "report.css"]
    if options.print_marks:
        packaged.append(PROJECT_STYLES / "print.css")
    return [*packaged, *sorted((content_dir / "styles").glob("*.css"))]


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
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(payload)
        temporary.replace(path)
    except OSError as error:
        raise RenderError(Problem(path, f"cannot write output ({error.strerror})")) from None


__all__ = ["BuildOptions", "BuildResult", "__version__", "build", "prepare"]
