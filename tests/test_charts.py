"""Charts: deterministic SVG, gaps for missing values, a cache that skips drawing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
from support import SAMPLE

import report
import report.compose.charts
from report.app.build import prepare
from report.compose.charts import draw_all
from report.compute.counts import compute
from report.sources.config import Config
from report.sources.model import Axis, ChartKind, Dataset, Figure, Measure, PlanData, Point, Tally

FR = Config(title="T", date=dt.date(2023, 1, 2))
STATUS = {status.key: status for status in FR.statuses}
AXIS = Axis(key="a1")
EN = FR.model_copy(update={"language": "en"})
PRIMARY = FR.theme.color_primary.lower()


def plan(
    values: list[float | None], title: str = "Victimes par an", with_tally: bool = True
) -> PlanData:
    measures = tuple(
        Measure(number=n, axis=AXIS, status=STATUS[status])
        for n, status in enumerate(
            ["réalisée", "non réalisée", "non documentée", "non documentée"], start=1
        )
    )
    tally = Tally(counts={"réalisée": 1, "partiellement réalisée": 1, "non réalisée": 2})
    victims = Dataset(
        key="victimes",
        title="Victimes",
        unit="victimes",
        points=tuple(Point(x=2018 + i, value=value) for i, value in enumerate(values)),
    )
    return PlanData(
        axes=(AXIS,),
        measures=measures,
        tally=tally if with_tally else None,
        datasets=(victims,),
        figures=(
            Figure(id="serie", kind="bars", dataset=victims, title=title),
            Figure(id="bilan", kind="status_tally", title="Bilan"),
            Figure(id="documente", kind="status_counts", title="Documenté"),
        ),
    )


def draw(data: PlanData, cache: Path, config: Config = FR) -> dict[str, str]:
    return {
        key: chart.svg
        for key, chart in draw_all(data, compute(data, config), config, cache).items()
    }


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Record every spec actually drawn (cache misses)."""
    drawn: list[dict] = []
    real = report.compose.charts._draw

    def counting(spec: dict) -> str:
        drawn.append(spec)
        return real(spec)

    monkeypatch.setattr(report.compose.charts, "_draw", counting)
    return drawn


def specs(data: PlanData, config: Config = FR) -> dict[str, dict]:
    figures = compute(data, config)
    return {
        figure.id: report.compose.charts.CHART_KINDS[figure.kind](figure, data, figures, config)
        for figure in data.figures
    }


# --- determinism -----------------------------------------------------------------------


def test_same_spec_gives_identical_svg(tmp_path: Path) -> None:
    first = draw(plan([120, None, 95.5]), tmp_path / "one")
    second = draw(plan([120, None, 95.5]), tmp_path / "two")
    assert first == second
    assert all(svg.lstrip().startswith("<?xml") and "<svg" in svg for svg in first.values())


def test_svg_has_no_date_and_uses_the_theme_font(tmp_path: Path) -> None:
    svg = draw(plan([1, 2]), tmp_path)["serie"]
    assert "<dc:date>" not in svg
    assert FR.theme.font_heading in svg


# --- what is drawn ---------------------------------------------------------------------


def test_missing_values_are_gaps_not_zero(tmp_path: Path) -> None:
    bars = specs(plan([120, None, 95]))["serie"]["bars"]
    assert [(b["label"], b["value"], b["text"]) for b in bars] == [
        ("2018", 120, "120"),
        ("2019", None, "n.d."),
        ("2020", 95, "95"),
    ]
    gap = draw(plan([120, None, 95]), tmp_path / "gap")["serie"]
    zero = draw(plan([120, 0, 95]), tmp_path / "zero")["serie"]
    assert gap.lower().count(f"fill: {PRIMARY}") == 2
    assert zero.lower().count(f"fill: {PRIMARY}") == 3
    assert "n.d." in gap and "n.d." not in zero


def test_an_order_of_magnitude_is_drawn_as_an_estimate_not_a_count(tmp_path: Path) -> None:
    data = plan([2573, 3000])
    victims = data.datasets[0].model_copy(
        update={"points": (Point(x=2018, value=2573), Point(x=2019, value=3000, estimate=True))}
    )
    figure = data.figures[0].model_copy(update={"dataset": victims})
    data = data.model_copy(update={"datasets": (victims,), "figures": (figure,)})
    spec = specs(data)["serie"]
    assert [bar["text"] for bar in spec["bars"]] == ["2\u202f573", "≈\u202f3\u202f000"]
    assert spec["key"] == "≈ ordre de grandeur"
    svg = draw(data, tmp_path)["serie"]
    assert svg.lower().count("fill-opacity: 0.22") == 1  # the estimate is light
    assert "stroke-dasharray" in svg and "ordre de grandeur" in svg


def test_a_series_break_is_a_gap_with_a_marked_rule(tmp_path: Path) -> None:
    data = plan([1, 2])
    victims = data.datasets[0].model_copy(
        update={
            "points": (
                Point(x=2019, value=10),
                Point(x=2020, value=12),
                Point(x=2023, value=40, series_break=True),
            )
        }
    )
    figure = data.figures[0].model_copy(update={"dataset": victims})
    data = data.model_copy(update={"datasets": (victims,), "figures": (figure,)})
    spec = specs(data)["serie"]
    assert [bar["break_before"] for bar in spec["bars"]] == [False, False, True]
    assert spec["break_label"] == "rupture de série"
    assert report.compose.charts._positions(
        [report.compose.charts.Bar(**bar) for bar in spec["bars"]]
    ) == [0, 1, 2 + report.compose.charts.BREAK_GAP]
    svg = draw(data, tmp_path)["serie"]
    assert "rupture de série" in svg and svg.count("stroke-dasharray") >= 1


def test_numbers_follow_the_language() -> None:
    fr = specs(plan([2872, None]))["serie"]["bars"]
    en = specs(plan([2872, None]), EN)["serie"]["bars"]
    assert [b["text"] for b in fr] == ["2\u202f872", "n.d."]
    assert [b["text"] for b in en] == ["2,872", "n/a"]


def test_status_tally_shows_the_official_counts_only() -> None:
    bars = specs(plan([1]))["bilan"]["bars"]
    assert [(b["label"], b["value"], b["text"]) for b in bars] == [
        ("Réalisée", 1, "1 (25\u00a0%)"),
        ("Partiellement réalisée", 1, "1 (25\u00a0%)"),
        ("Non réalisée", 2, "2 (50\u00a0%)"),
    ]


def test_status_counts_show_what_the_data_documents() -> None:
    bars = specs(plan([1]))["documente"]["bars"]
    assert [(b["label"], b["value"]) for b in bars] == [
        ("Réalisée", 1),
        ("Partiellement réalisée", 0),
        ("Non réalisée", 1),
        ("Non documentée", 2),
    ]
    assert len({b["hatch"] for b in bars}) == 4, "each status is told apart without colour"


def test_status_tally_without_a_tally_uses_the_data() -> None:
    bars = specs(plan([1], with_tally=False))["bilan"]["bars"]
    assert [b["value"] for b in bars] == [1, 0, 1, 2]


# --- the cache -------------------------------------------------------------------------


def test_cache_hit_does_not_redraw(tmp_path: Path, draws: list[dict]) -> None:
    first = draw(plan([1, 2, 3]), tmp_path)
    assert len(draws) == 3
    assert len(list(tmp_path.glob("*.svg"))) == 3
    second = draw(plan([1, 2, 3]), tmp_path)
    assert len(draws) == 3
    assert second == first


def test_text_only_edit_does_not_redraw(tmp_path: Path, draws: list[dict]) -> None:
    draw(plan([1, 2, 3]), tmp_path)
    draw(plan([1, 2, 3], title="Un autre titre"), tmp_path)
    assert len(draws) == 3


def test_changed_values_or_language_redraw(tmp_path: Path, draws: list[dict]) -> None:
    draw(plan([1, 2, 3]), tmp_path)
    draw(plan([1, 2, 4]), tmp_path)
    assert len(draws) == 4
    draw(plan([1, 2, 4]), tmp_path, EN)
    assert len(draws) == 7


def test_cache_hit_does_not_even_import_matplotlib(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    prepare(SAMPLE, cache)
    assert list((cache / "charts").glob("*.svg"))
    script = (
        "import sys; from pathlib import Path; from report.app.build import prepare; "
        f"prepare(Path({str(SAMPLE)!r}), Path({str(cache)!r})); "
        "print('matplotlib' in sys.modules)"
    )
    checkout = {**os.environ, "PYTHONPATH": str(Path(report.__file__).parent.parent)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env=checkout,  # this checkout's code, whatever the installed one
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_every_chart_kind_the_data_accepts_can_be_drawn() -> None:
    """The kinds are declared once, in the model; the registry must draw each of them."""
    assert set(report.compose.charts.CHART_KINDS) == set(get_args(ChartKind))
