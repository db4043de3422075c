"""What an edition shows: the measures and recommendations of its axes, statuses, bodies.

The counts are computed on the whole plan before this selection, so a dossier for one
ministry still says "3 of 45 measures were carried out".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from report.compute.history import gone, responsible
from report.errors import ConfigError, Problem
from report.sources.config import CONFIG_FILE, Config
from report.sources.editions import Edition
from report.sources.model import Body, PlanData
from report.sources.problems import unknown_value


def check_filters(
    content_dir: Path, config: Config, name: str | None, edition: Edition, data: PlanData
) -> None:
    """An edition's filters must name axes, statuses and bodies that exist."""
    known = {
        "axes": list(data.axis_by_key),
        "statuses": [status.key for status in config.statuses],
        "bodies": list(data.body_by_key),
    }
    nouns = {"axes": "axis", "statuses": "status", "bodies": "body"}
    problems = [
        Problem(
            content_dir / CONFIG_FILE,
            unknown_value(value, known[field], noun),
            field=f"editions.{name}.{field}",
        )
        for field, noun in nouns.items()
        for value in getattr(edition, field)
        if value not in known[field]
    ]
    if problems:
        raise ConfigError(problems)


def select(
    data: PlanData, edition: Edition, body: str | None = None, date: dt.date | None = None
) -> PlanData:
    """The measures and recommendations this edition shows (one body's, for a dossier).

    On ``date``, a measure also belongs to the body that took over from its lead or
    partner (renamed or merged, see ``history.responsible``).
    """
    bodies = {body} if body else set(edition.bodies)
    measures = tuple(
        m
        for m in data.measures
        if (not edition.axes or m.axis.key in edition.axes)
        and (not edition.statuses or m.status.key in edition.statuses)
        and (not bodies or bodies & _keys(data, (*m.lead, *m.partners), date))
    )
    recommendations = tuple(
        r for r in data.recommendations if not bodies or bodies & {b.key for b in r.addressees}
    )
    if measures == data.measures and recommendations == data.recommendations:
        return data
    return data.model_copy(update={"measures": measures, "recommendations": recommendations})


def _keys(data: PlanData, bodies: tuple[Body, ...], date: dt.date | None) -> set[str]:
    keys = {body.key for body in bodies}
    if date is not None:
        keys |= {responsible(body, data.body_by_key, date).key for body in bodies}
    return keys


def addressee(content_dir: Path, data: PlanData, key: str, date: dt.date) -> Body:
    """The body one dossier and its cover letter are addressed to. It must exist on the
    report's date: no letter goes to a body already renamed, merged or dissolved (``--all``
    plans none; this refuses one asked for by name)."""
    where = content_dir / "data"
    if key not in data.body_by_key:
        raise ConfigError(Problem(where, unknown_value(key, list(data.body_by_key), "body")))
    body = data.body_by_key[key]
    if gone(body, date):
        raise ConfigError(Problem(where, closed(body, data, date), field=f"bodies.{key}"))
    return body


def closed(body: Body, data: PlanData, date: dt.date) -> str:
    """Why a body gets no dossier nor letter: it no longer existed on the report's date."""
    successor = data.body_by_key.get(body.successor)
    after = f"; its successor is {successor.label}" if successor else ""
    until = body.until.isoformat() if body.until else ""
    return (
        f"no dossier nor letter for {body.label}: it closed on {until}, before the report's "
        f"date ({date.isoformat()}){after}"
    )


def concerned_bodies(
    data: PlanData, edition: Edition, date: dt.date | None = None
) -> tuple[list[Body], list[Body]]:
    """Bodies that lead or partner a measure or receive a recommendation, and the others;
    a body gone by ``date`` (renamed, merged, dissolved) gets no dossier."""
    wanted = [
        b
        for b in data.bodies
        if b.dossier
        and (not edition.bodies or b.key in edition.bodies)
        and not (date and gone(b, date))
    ]
    with_content, without = [], []
    for body in wanted:
        shown = select(data, edition, body.key, date)
        (with_content if shown.measures or shown.recommendations else without).append(body)
    return with_content, without
