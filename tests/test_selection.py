"""What an edition shows: its axes, statuses and bodies; one body's dossier; bad filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from report.compute.selection import check_filters, concerned_bodies, select
from report.errors import ConfigError
from report.sources.config import Config
from report.sources.editions import Edition
from report.sources.model import Axis, Body, Measure, PlanData, Recommendation

CONFIG = Config(title="T", date=dt.date(2023, 1, 2))
STATUS = {status.key: status for status in CONFIG.statuses}
A1, A2 = Axis(key="a1"), Axis(key="a2")
MIN, AGENCE, AUTRE = (Body(key=k, name=k.title()) for k in ("min", "agence", "autre"))
PLAN = PlanData(
    axes=(A1, A2),
    bodies=(MIN, AGENCE, AUTRE),
    measures=(
        Measure(number=1, axis=A1, status=STATUS["réalisée"], lead=(MIN,)),
        Measure(number=2, axis=A1, status=STATUS["non réalisée"], partners=(AGENCE,)),
        Measure(number=3, axis=A2, status=STATUS["réalisée"]),
        Measure(number=4, axis=A2, status=STATUS["non documentée"], lead=(AGENCE,)),
    ),
    recommendations=(
        Recommendation(id="R1", text="Un", addressees=(MIN,)),
        Recommendation(id="R2", text="Deux", addressees=(AGENCE, MIN)),
        Recommendation(id="R3", text="Trois"),
    ),
)


def shown(edition: Edition, body: str | None = None) -> tuple[list[int], list[str]]:
    data = select(PLAN, edition, body)
    return [m.number for m in data.measures], [r.id for r in data.recommendations]


def test_the_full_report_shows_everything_and_is_the_same_object() -> None:
    assert select(PLAN, Edition()) is PLAN


def test_an_edition_by_axis() -> None:
    assert shown(Edition(axes=("a2",))) == ([3, 4], ["R1", "R2", "R3"])


def test_an_edition_by_status() -> None:
    assert shown(Edition(statuses=("réalisée", "non documentée"))) == (
        [1, 3, 4],
        ["R1", "R2", "R3"],
    )


def test_axis_and_status_filters_combine() -> None:
    assert shown(Edition(axes=("a1",), statuses=("réalisée",))) == ([1], ["R1", "R2", "R3"])


def test_an_edition_by_body_keeps_what_it_leads_partners_or_receives() -> None:
    assert shown(Edition(bodies=("agence",))) == ([2, 4], ["R2"])


def test_a_dossier_shows_one_body_only_whatever_the_edition_lists() -> None:
    assert shown(Edition(kind="dossier", bodies=("agence",)), body="min") == ([1], ["R1", "R2"])


def test_the_selection_keeps_the_rest_of_the_plan() -> None:
    data = select(PLAN, Edition(axes=("a2",)))
    assert data.axes == PLAN.axes and data.bodies == PLAN.bodies


def test_bodies_without_anything_get_no_dossier() -> None:
    with_content, without = concerned_bodies(PLAN, Edition(kind="dossier"))
    assert [b.key for b in with_content] == ["min", "agence"]
    assert [b.key for b in without] == ["autre"]


def test_a_dossier_edition_that_lists_bodies_makes_dossiers_for_those_only() -> None:
    with_content, without = concerned_bodies(PLAN, Edition(kind="dossier", bodies=("agence",)))
    assert [b.key for b in with_content] == ["agence"] and without == []


def test_a_body_with_only_measures_or_only_recommendations_gets_a_dossier() -> None:
    plan = PLAN.model_copy(
        update={"recommendations": (Recommendation(id="R9", text="Neuf", addressees=(AUTRE,)),)}
    )
    with_content, without = concerned_bodies(plan, Edition(kind="dossier"))
    assert [b.key for b in with_content] == ["min", "agence", "autre"] and without == []


def test_a_body_that_opts_out_gets_no_dossier() -> None:
    plan = PLAN.model_copy(update={"bodies": (MIN.model_copy(update={"dossier": False}), AGENCE)})
    with_content, without = concerned_bodies(plan, Edition(kind="dossier"))
    assert [b.key for b in with_content] == ["agence"] and without == []


def test_filters_naming_nothing_known_are_located_errors() -> None:
    edition = Edition(axes=("a3",), statuses=("realisee",), bodies=("min", "ministere"))
    with pytest.raises(ConfigError) as caught:
        check_filters(Path("c"), CONFIG, "court", edition, PLAN)
    assert [str(problem) for problem in caught.value.problems] == [
        "c/report.yaml: editions.court.axes: 'a3' is not a known axis (allowed: a1, a2)",
        "c/report.yaml: editions.court.statuses: 'realisee' is not a known status (allowed: "
        "réalisée, partiellement réalisée, non réalisée, non documentée; did you mean "
        "'réalisée'?)",
        "c/report.yaml: editions.court.bodies: 'ministere' is not a known body (allowed: min, "
        "agence, autre)",
    ]
