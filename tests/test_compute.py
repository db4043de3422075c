"""Counts per status (official tally first, documented data beside it), per group."""

from __future__ import annotations

import datetime as dt

import pytest

from report.compute.counts import compute
from report.sources.config import Config
from report.sources.model import Action, Axis, Body, Measure, PlanData, Tally

CONFIG = Config(title="T", date=dt.date(2023, 1, 2))
DONE, PARTIAL, NOT_DONE, UNKNOWN = (
    "réalisée",
    "partiellement réalisée",
    "non réalisée",
    "non documentée",
)


A1, A2 = Axis(key="a1", title="Prévenir"), Axis(key="a2")
X1 = Action(key="x1", axis=A1, title="Informer")
MINISTRY = Body(key="min", name="Ministère", short="MIN")


def plan(*statuses: str, tally: dict[str, int] | None = None, config: Config = CONFIG) -> PlanData:
    """Measures 1..n with the given statuses; odd numbers in axis a1, even in a2."""
    vocabulary = {status.key: status for status in config.statuses}
    measures = tuple(
        Measure(
            number=n,
            axis=A1 if n % 2 else A2,
            action=X1 if n == 1 else None,
            status=vocabulary[status],
            lead=(MINISTRY,) if n <= 2 else (),
        )
        for n, status in enumerate(statuses, start=1)
    )
    return PlanData(
        axes=(A1, A2),
        actions=(X1,),
        bodies=(MINISTRY, Body(key="autre", name="Autre")),
        measures=measures,
        tally=Tally(counts=tally) if tally is not None else None,
    )


def test_counts_per_status_without_a_tally() -> None:
    figures = compute(plan(DONE, DONE, PARTIAL, UNKNOWN, UNKNOWN), CONFIG)
    assert figures.total == 5
    assert [(c.status.key, c.documented, c.official, c.count) for c in figures.statuses] == [
        (DONE, 2, None, 2),
        (PARTIAL, 1, None, 1),
        (NOT_DONE, 0, None, 0),
        (UNKNOWN, 2, None, 2),
    ]
    assert figures.status(DONE).share == pytest.approx(0.4)
    assert figures.documented == 3
    assert figures.undocumented == (4, 5)


def test_official_tally_comes_first_and_documented_counts_stay_beside_it() -> None:
    figures = compute(
        plan(
            DONE,
            PARTIAL,
            UNKNOWN,
            UNKNOWN,
            UNKNOWN,
            NOT_DONE,
            tally={DONE: 2, PARTIAL: 1, NOT_DONE: 3},
        ),
        CONFIG,
    )
    assert figures.total == 6
    counts = {c.status.key: (c.documented, c.official, c.count) for c in figures.statuses}
    assert counts == {
        DONE: (1, 2, 2),
        PARTIAL: (1, 1, 1),
        NOT_DONE: (1, 3, 3),
        UNKNOWN: (3, None, 3),
    }
    assert figures.status(NOT_DONE).share == pytest.approx(0.5)
    assert figures.category("done") == 2
    assert figures.category("not_done") == 3
    assert figures.undocumented == (3, 4, 5)


def test_status_missing_from_the_tally_counts_zero() -> None:
    figures = compute(plan(NOT_DONE, NOT_DONE, tally={NOT_DONE: 2}), CONFIG)
    assert figures.status(DONE).official == 0
    assert figures.status(DONE).count == 0
    assert figures.status(UNKNOWN).official is None


def test_total_comes_from_the_tally_when_there_is_one() -> None:
    assert compute(plan(tally={DONE: 3, NOT_DONE: 4}), CONFIG).total == 7
    empty = compute(plan(), CONFIG)
    assert empty.total == 0 and empty.status(DONE).share == 0.0


def test_counts_per_axis_action_and_body() -> None:
    figures = compute(plan(DONE, PARTIAL, DONE, UNKNOWN, NOT_DONE), CONFIG)
    by_axis = {
        g.key: (g.label, [m.number for m in g.measures], g.by_status) for g in figures.by_axis
    }
    assert by_axis == {
        "a1": ("Prévenir", [1, 3, 5], {DONE: 2, NOT_DONE: 1}),
        "a2": ("", [2, 4], {PARTIAL: 1, UNKNOWN: 1}),
    }
    [action] = figures.by_action
    assert (action.key, action.label) == ("x1", "Informer")
    assert [m.number for m in action.measures] == [1]
    by_body = {
        g.key: (g.label, [m.number for m in g.measures], g.by_status) for g in figures.by_body
    }
    assert by_body == {"min": ("MIN", [1, 2], {DONE: 1, PARTIAL: 1}), "autre": ("Autre", [], {})}


def test_custom_vocabulary_is_counted_by_category() -> None:
    config = Config.model_validate(
        {
            "title": "T",
            "date": "2023-01-02",
            "statuses": [
                {"key": "fait", "label": "Fait", "color": "#00aa00", "category": "done"},
                {"key": "engagé", "label": "Engagé", "color": "#aaaa00", "category": "partial"},
                {
                    "key": "lancé",
                    "label": "Lancé",
                    "color": "#aaaa00",
                    "category": "partial",
                    "symbol": "◑",
                },
                {"key": "?", "label": "Inconnu", "color": "#999999", "category": "unknown"},
            ],
        }
    )
    figures = compute(plan("fait", "engagé", "lancé", "lancé", "?", config=config), config)
    assert figures.category("partial") == 3
    assert figures.category("unknown") == 1
    assert [c.status.key for c in figures.statuses] == ["fait", "engagé", "lancé", "?"]


def test_an_unknown_status_in_a_chapter_suggests_the_known_one() -> None:
    """``{{ figures.status('realisee') }}``: the message a chapter's author reads."""
    figures = compute(plan(DONE), CONFIG)
    with pytest.raises(ValueError) as caught:
        figures.status("realisee")
    assert str(caught.value) == (
        f"'realisee' is not a known status (allowed: {DONE}, {PARTIAL}, {NOT_DONE}, {UNKNOWN}; "
        f"did you mean '{DONE}'?)"
    )


def test_an_unknown_category_lists_the_categories() -> None:
    figures = compute(plan(DONE), CONFIG)
    with pytest.raises(ValueError) as caught:
        figures.category("Done ")
    assert str(caught.value) == (
        "'Done ' is not a known status category (allowed: done, partial, not_done, unknown, "
        "excluded; did you mean 'done'?)"
    )
