"""Editions: one content, several publications (full report, brief, dossiers, translations).

An edition is data in ``report.yaml``: which chapters, which measures, which language,
which layout. This module narrows the data for an edition and lists the PDFs to build;
``build_all`` renders them in separate processes, since WeasyPrint is single-threaded.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from report.errors import ReportError
from report.sources.config import DEFAULT_EDITION, Config, Edition
from report.sources.model import Body, PlanData

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One PDF to build: an edition, and for dossiers the body it is addressed to."""

    edition: str
    body: str | None = None
    weight: int = 1  # expected cost: full reports first, so the short ones fill the gaps

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


def select(data: PlanData, edition: Edition, body: str | None = None) -> PlanData:
    """The measures and recommendations this edition shows; the figures stay computed on all."""
    bodies = {body} if body else set(edition.bodies)
    measures = tuple(
        m
        for m in data.measures
        if (not edition.axes or m.axis in edition.axes)
        and (not edition.statuses or m.status in edition.statuses)
        and (not bodies or bodies & {*m.lead, *m.partners})
    )
    recommendations = tuple(
        r for r in data.recommendations if not bodies or bodies & set(r.addressees)
    )
    if measures == data.measures and recommendations == data.recommendations:
        return data
    fields = {name: getattr(data, name) for name in PlanData.model_fields}
    return PlanData(**{**fields, "measures": measures, "recommendations": recommendations})


def concerned_bodies(data: PlanData, edition: Edition) -> tuple[list[Body], list[Body]]:
    """Bodies that lead or partner a measure or receive a recommendation, and the others."""
    wanted = [
        b for b in data.bodies if b.dossier and (not edition.bodies or b.key in edition.bodies)
    ]
    with_content, without = [], []
    for body in wanted:
        shown = select(data, edition, body.key)
        (with_content if shown.measures or shown.recommendations else without).append(body)
    return with_content, without


def jobs(config: Config, data: PlanData, names: list[str]) -> list[Job]:
    """The PDFs to build for these editions; a dossier edition gives one per body."""
    planned = []
    for name in names:
        edition = config.editions.get(name, Edition())
        if edition.kind != "dossier":
            planned.append(Job(name, weight=10 if edition.kind == "report" else 1))
            continue
        with_content, without = concerned_bodies(data, edition)
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
    run: Callable[[Job], JobResult], planned: list[Job], workers: int | None = None
) -> list[JobResult]:
    """Build every job in separate processes; a failed job does not stop the others."""
    workers = workers or min(len(planned), os.cpu_count() or 2) or 1
    if workers == 1:
        return [run(job) for job in planned]
    longest_first = sorted(planned, key=lambda job: -job.weight)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = dict(zip(longest_first, pool.map(run, longest_first), strict=True))
    return [done[job] for job in planned]


def timed(job: Job, build_one: Callable[[Job], tuple[Path, int, int]]) -> JobResult:
    """Run one job, turning a content error into a failed row instead of an exception."""
    started = time.perf_counter()
    try:
        pdf, pages, warnings = build_one(job)
    except ReportError as error:
        return JobResult(job, None, 0, time.perf_counter() - started, error=str(error))
    return JobResult(job, pdf, pages, time.perf_counter() - started, warnings)
