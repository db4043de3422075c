"""``--all``: the PDFs of every edition, built in parallel, failures kept apart.

An edition is data in ``report.yaml`` (which chapters, measures, language, layout);
``compute/selection.py`` narrows the data for one. Here the editions become jobs (a
dossier edition gives one per body concerned) and the jobs run in separate processes,
since WeasyPrint lays out on one core.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from report.app.build import BuildOptions, BuildResult, build, prepare
from report.compute.history import gone
from report.compute.selection import closed, concerned_bodies
from report.errors import Problem, ReportError
from report.sources.config import Config, load_config
from report.sources.editions import DEFAULT_EDITION, Edition, declared, edition_of, web_editions
from report.sources.model import PlanData
from report.sources.validate import load_data

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One PDF to build: an edition, and for dossiers the body it is addressed to."""

    edition: str
    body: str | None = None
    weight: int = 1  # expected cost: full reports first, so the short ones fill the gaps
    web: bool = False  # a web edition: a folder of pages, made after the PDFs it offers

    @property
    def label(self) -> str:
        return f"{self.edition}:{self.body}" if self.body else self.edition


@dataclass(frozen=True)
class JobResult:
    """What ``--all`` prints for each PDF."""

    job: Job
    pdf: Path | None
    pages: int
    seconds: float
    warnings: int = 0
    error: str = ""


def plan_editions(content_dir: Path, edition: str | None = None) -> list[Job]:
    """The PDFs of one edition (all of them when None): a dossier gives one per body."""
    config = load_config(content_dir)
    if edition is not None and declared(config, edition) is None:
        load_config(content_dir, edition)  # raises the located "unknown edition" error
    everything = load_data(content_dir, config)
    names = all_editions(config) if edition is None else [edition]
    return jobs(config, everything, names)


def plan_web(content_dir: Path) -> list[Job]:
    """``--web``: the web editions, after the PDFs they offer (built, or found up to date)."""
    config = load_config(content_dir)
    names = web_editions(config)
    offered = [pdf for name in names for pdf in pdf_editions(config, edition_of(config, name))]
    return jobs(config, load_data(content_dir, config), [*dict.fromkeys(offered), *names])


def pdf_editions(config: Config, edition: Edition) -> list[str]:
    """The editions whose PDF a web edition offers: its ``downloads:``, or the report and
    every edition of kind report or brief."""
    if edition.downloads is not None:
        return list(edition.downloads)
    pdfs = [name for name, e in config.editions.items() if e.kind in ("report", "brief")]
    return list(dict.fromkeys([DEFAULT_EDITION, *pdfs]))


def check_editions(content_dir: Path, edition: str | None = None) -> int:
    """Prepare every PDF of every edition (or of one), as a build would, writing nothing;
    all their problems are raised together, each naming the editions it was found in.
    Returns how many PDFs were checked."""
    planned = plan_editions(content_dir, edition)
    found: dict[str, tuple[Problem, list[str]]] = {}
    with tempfile.TemporaryDirectory() as cache:
        for job in planned:
            try:
                prepare(content_dir, Path(cache), BuildOptions(edition=job.edition, body=job.body))
            except ReportError as error:
                for problem in error.problems:
                    found.setdefault(str(problem), (problem, []))[1].append(job.label)
    if found:
        raise ReportError(
            [_naming(problem, labels, len(planned)) for problem, labels in found.values()]
        )
    return len(planned)


def _naming(problem: Problem, labels: list[str], jobs: int) -> Problem:
    """The problem, with the editions it was found in when there are several PDFs."""
    if jobs == 1:
        return problem
    which = f"edition {labels[0]}" if len(labels) == 1 else f"editions {', '.join(labels)}"
    return replace(problem, message=f"{problem.message} ({which})")


def jobs(config: Config, data: PlanData, names: list[str]) -> list[Job]:
    """The PDFs to build for these editions; a dossier edition gives one per body."""
    planned = []
    for name in names:
        edition = declared(config, name) or Edition()
        if edition.kind == "web":
            planned.append(Job(name, web=True))
            continue
        if edition.kind != "dossier":
            planned.append(Job(name, weight=10 if edition.kind == "report" else 1))
            continue
        with_content, without = concerned_bodies(data, edition, config.date)
        for body in data.bodies:
            if body.dossier and gone(body, config.date):
                logger.info("edition %s: %s", name, closed(body, data, config.date))
        for body in without:
            logger.info(
                "edition %s: no dossier for %s (no measure or recommendation concerns it)",
                name,
                body.label,
            )
        planned += [Job(name, body.key) for body in with_content]
    return planned


def all_editions(config: Config) -> list[str]:
    """The default full report, then every edition declared in report.yaml."""
    names = list(config.editions)
    return names if DEFAULT_EDITION in names else [DEFAULT_EDITION, *names]


def build_all(
    run: Callable[[Job], JobResult],
    planned: list[Job],
    workers: int | None = None,
    on_done: Callable[[JobResult], None] | None = None,
    worker_setup: Callable[[], None] | None = None,
) -> list[JobResult]:
    """Build every job in separate processes; a failed job does not stop the others.

    ``on_done`` hears of each PDF as it is finished (a terminal's progress), in the main
    process; ``worker_setup`` runs first in each worker (where its output goes). The
    results come back in the planned order."""
    workers = workers or min(len(planned), os.cpu_count() or 2) or 1
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1  # Windows: no fork; the PDFs are built one after the other
    report_done = on_done or (lambda result: None)
    if workers == 1:
        results = []
        for job in planned:
            results.append(run(job))
            report_done(results[-1])
        return results
    longest_first = sorted(planned, key=lambda job: -job.weight)
    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=_start_worker, initargs=(worker_setup,)
    )
    done: dict[Job, JobResult] = {}
    try:
        for result in pool.imap_unordered(run, longest_first, chunksize=1):
            done[result.job] = result
            report_done(result)
    except KeyboardInterrupt:
        pool.terminate()  # Ctrl-C: the unfinished builds stop before they write anything
        raise
    else:
        pool.close()
    finally:
        pool.join()
    return [done[job] for job in planned]


def _start_worker(setup: Callable[[], None] | None) -> None:
    """Workers ignore Ctrl-C: the main process stops them and says so in one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        setup()


def build_job(content_dir: Path, output_dir: Path, options: BuildOptions, job: Job) -> JobResult:
    """One PDF of ``--all``, in its own process (a module-level function, so it pickles)."""
    job_options = replace(options, edition=job.edition, body=job.body)
    if job.web:
        from report.app.web import build_web

        return timed(job, lambda _: _site(build_web(content_dir, output_dir, job_options)))
    return timed(job, lambda _: _built(build(content_dir, output_dir, job_options)))


def _site(result) -> tuple[Path, int, int]:
    return result.folder, result.pages, result.warnings


def _built(result: BuildResult) -> tuple[Path, int, int]:
    return result.pdf, result.pages, result.warnings


def timed(job: Job, build_one: Callable[[Job], tuple[Path, int, int]]) -> JobResult:
    """Run one job, turning a content error into a failed row instead of an exception."""
    started = time.perf_counter()
    try:
        pdf, pages, warnings = build_one(job)
    except ReportError as error:
        return JobResult(job, None, 0, time.perf_counter() - started, error=str(error))
    return JobResult(job, pdf, pages, time.perf_counter() - started, warnings)
