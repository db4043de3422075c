"""Draw the declared figures as deterministic SVG, in the document's fonts and colours.

Charts are cached in ``build/.cache/charts`` under a hash of everything they are drawn
from, so a text-only edit redraws nothing and matplotlib is not even imported.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from report import __version__
from report.compute.counts import Counts
from report.compute.history import History
from report.errors import RenderError
from report.output.files import write_atomically
from report.output.fonts import font_files
from report.sources.config import Config
from report.sources.model import Figure, PlanData

logger = logging.getLogger(__name__)


ChartSpec = dict  # the JSON-able description a chart is drawn (and cached) from


@dataclass(frozen=True)
class Chart:
    """A drawn figure: its SVG text and what the template prints around it.

    Counts are numbered by CSS counters in reading order, not here.
    """

    figure: Figure
    svg: str
    # What it was drawn from: the web edition shows it again as a table (chart_tables.py).
    spec: ChartSpec = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Bar:
    """One bar to draw; ``value`` None leaves a labelled gap, never a zero."""

    label: str
    value: float | None
    color: str
    hatch: str
    text: str
    estimate: bool = False
    break_before: bool = False  # the series changes here: a gap and a dashed rule


# Charts are drawn at the width of the type area (118 mm, report/styles/report.css), so their
# text prints at the size it is set in, not scaled down.
WIDTH_INCHES = 118 / 25.4
BREAK_GAP = 0.8  # extra space, in bar widths, where a series breaks
CHART_KINDS: dict[str, Callable[[Figure, PlanData, Counts, Config], ChartSpec]] = {}


def chart_kind(name: str):
    """Register a function that turns a figure declaration into a drawable spec."""

    def register(function):
        CHART_KINDS[name] = function
        return function

    return register


@chart_kind("status_tally")
def _status_tally(figure: Figure, data: PlanData, figures: Counts, config: Config) -> ChartSpec:
    """The evaluator's official count per status (statuses it did not publish are left out)."""
    counts = [c for c in figures.statuses if c.official is not None] or list(figures.statuses)
    return _status_spec(counts, config, official=True)


@chart_kind("status_counts")
def _status_counts(figure: Figure, data: PlanData, figures: Counts, config: Config) -> ChartSpec:
    """What the per-measure data documents, unknown statuses included."""
    return _status_spec(list(figures.statuses), config, official=False)


def _status_spec(counts: list, config: Config, official: bool) -> ChartSpec:
    bars, words = [], config.catalogue
    for count in counts:
        value = count.count if official else count.documented
        share = value / count.total if count.total else 0
        text = f"{words.number(value)} ({words.percent(share)})"
        bars.append(Bar(count.status.label, value, count.status.color, count.status.hatch, text))
    return {"orientation": "horizontal", "bars": [bar.__dict__ for bar in bars]}


@chart_kind("bars")
def _dataset_bars(figure: Figure, data: PlanData, figures: Counts, config: Config) -> ChartSpec:
    """A dataset's values by category or year; missing values are gaps marked n.d."""
    words = config.catalogue
    missing = words.text("not_available")
    dataset = figure.dataset
    assert dataset is not None  # the model refuses a 'bars' figure without one
    about = words.text("estimate_mark")
    bars = [
        Bar(
            str(point.x),
            point.value,
            config.theme.color_primary,
            "",
            (about * point.estimate + words.number(point.value))
            if point.value is not None
            else missing,
            point.estimate,
            point.series_break and index > 0,
        )
        for index, point in enumerate(dataset.points)
    ]
    spec = {"orientation": "vertical", "bars": [bar.__dict__ for bar in bars], "unit": dataset.unit}
    if any(bar.break_before for bar in bars):
        spec["break_label"] = words.text("series_break")
    if any(point.estimate for point in dataset.points):
        spec["key"] = f"{about.strip()} {words.text('estimate')}"
    return spec


@chart_kind("status_evolution")
def _status_evolution(figure: Figure, data: PlanData, figures: Counts, config: Config) -> ChartSpec:
    """The share of each status at each assessment date, one stacked bar a date."""
    rows = []
    for date, counts in History(data, config.date, statuses=config.statuses).shares():
        total = sum(counts.values()) or 1
        segments = [
            Bar(
                status.label,
                counts.get(status.key, 0),
                status.color,
                status.hatch,
                config.catalogue.percent(counts.get(status.key, 0) / total),
            ).__dict__
            for status in config.statuses
        ]
        rows.append({"label": str(date.year), "segments": segments})
    return {"orientation": "stacked", "rows": rows}


def draw_all(data: PlanData, figures: Counts, config: Config, cache_dir: Path) -> dict[str, Chart]:
    """Draw (or take from cache) every declared figure."""
    charts = {}
    for figure in data.figures:
        spec = CHART_KINDS[figure.kind](figure, data, figures, config)
        spec["style"] = {
            "font": config.theme.font_heading,
            "text": config.theme.color_text,
            "language": config.language,
            "width": WIDTH_INCHES,  # part of the cache key: a new type area redraws
        }
        charts[figure.id] = Chart(figure, _cached_svg(spec, cache_dir), spec)
    return charts


def _cached_svg(spec: ChartSpec, cache_dir: Path) -> str:
    key = hashlib.sha256(json.dumps([__version__, spec], sort_keys=True).encode()).hexdigest()
    path = cache_dir / f"{key[:24]}.svg"
    if path.exists():
        logger.debug("chart %s taken from cache", path.name)
        return path.read_text(encoding="utf-8")
    svg = _draw(spec)
    try:
        write_atomically(path, svg.encode("utf-8"))
    except RenderError as error:  # the cache only saves time: never fail a build for it
        logger.debug("chart cache not written (%s)", error)
    return svg


@functools.cache
def _register_packaged_fonts() -> None:
    """Lay the charts' text out with the packaged fonts' metrics, as the PDF prints it:
    matplotlib only knows the fonts installed on the machine, and without the theme's it
    would measure labels in DejaVu Sans, while WeasyPrint draws them in the theme's font."""
    from matplotlib import font_manager

    for path in font_files():
        font_manager.fontManager.addfont(str(path))


def _draw(spec: ChartSpec) -> str:
    """Draw a bar chart from its spec; matplotlib is imported only when a chart is drawn."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    _register_packaged_fonts()
    style = spec["style"]
    params = {
        "svg.hashsalt": "advocacy-report",
        "svg.fonttype": "none",
        "font.family": [style["font"], "DejaVu Sans"],
        "font.size": 9,
        "text.color": style["text"],
        "axes.edgecolor": "#777777",
        "hatch.color": "#ffffff",
        "hatch.linewidth": 1.2,
    }
    with plt.rc_context(params):
        orientation = spec["orientation"]
        if orientation == "stacked":
            fig, ax = plt.subplots(figsize=(WIDTH_INCHES, 0.5 * len(spec["rows"]) + 0.9))
            _draw_stacked(ax, spec["rows"])
        else:
            bars = [Bar(**bar) for bar in spec["bars"]]
            horizontal = orientation == "horizontal"
            size = (WIDTH_INCHES, 0.45 * len(bars) + 0.5) if horizontal else (WIDTH_INCHES, 2.6)
            fig, ax = plt.subplots(figsize=size)
            if horizontal:
                _draw_horizontal(ax, bars)
            else:
                _draw_vertical(ax, bars, spec.get("break_label", ""))
            if spec.get("key"):  # what a dashed bar means: "≈ ordre de grandeur"
                ax.text(
                    1,
                    1.02,
                    spec["key"],
                    transform=ax.transAxes,
                    ha="right",
                    va="bottom",
                    style="italic",
                    color="#555555",
                    fontsize=8,
                )
        hidden = ("bottom",) if orientation != "vertical" else ("left",)
        for side in ("top", "right", *hidden):
            ax.spines[side].set_visible(False)
        fig.tight_layout(pad=0.3)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
        plt.close(fig)
    return buffer.getvalue()


def _draw_horizontal(ax, bars: list[Bar]) -> None:
    labels = [bar.label for bar in bars]
    values = [bar.value or 0 for bar in bars]
    drawn = ax.barh(labels, values, color=[bar.color for bar in bars], height=0.62)
    for patch, bar in zip(drawn, bars, strict=True):
        patch.set_hatch(bar.hatch)
        ax.annotate(
            bar.text,
            (patch.get_width(), patch.get_y() + patch.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
        )
    ax.invert_yaxis()
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, max([*values, 1]) * 1.25)


def _positions(bars: list[Bar]) -> list[float]:
    """Where each bar stands: one apart, with a wider gap where the series breaks."""
    positions, x = [], 0.0
    for bar in bars:
        x += BREAK_GAP if bar.break_before else 0
        positions.append(x)
        x += 1
    return positions


def _draw_breaks(ax, bars: list[Bar], positions: list[float], label: str) -> None:
    """A dashed rule between two parts of a series that are not the same thing."""
    for bar, x in zip(bars, positions, strict=True):
        if bar.break_before:
            middle = x - (1 + BREAK_GAP) / 2
            ax.axvline(middle, color="#777777", linestyle=(0, (2, 2)), linewidth=0.8)
            ax.text(
                middle,
                1,
                f" {label}",
                transform=ax.get_xaxis_transform(),
                rotation=90,
                ha="center",
                va="top",
                color="#555555",
                fontsize=7,
                style="italic",
            )


def _draw_vertical(ax, bars: list[Bar], break_label: str = "") -> None:
    from matplotlib.colors import to_rgba

    positions = _positions(bars)
    _draw_breaks(ax, bars, positions, break_label)
    values = [bar.value if bar.value is not None else 0 for bar in bars]
    drawn = ax.bar(positions, values, color=[bar.color for bar in bars], width=0.62)
    top = max([*values, 1])
    for patch, bar in zip(drawn, bars, strict=True):
        if bar.estimate:  # an order of magnitude: a light bar, dashed, never a count
            patch.set_facecolor(to_rgba(bar.color, 0.22))
            patch.set_edgecolor(bar.color)
            patch.set_linestyle((0, (3, 2)))
            patch.set_linewidth(1.1)
        if bar.value is None:
            patch.set_visible(False)
            ax.annotate(
                bar.text,
                (patch.get_x() + patch.get_width() / 2, 0),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                color="#666666",
                style="italic",
            )
        else:
            ax.annotate(
                bar.text,
                (patch.get_x() + patch.get_width() / 2, bar.value),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
            )
    ax.set_xticks(list(positions), [bar.label for bar in bars])
    ax.set_yticks([])
    ax.set_ylim(0, top * 1.18)
    ax.tick_params(axis="x", length=0)


def _draw_stacked(ax, rows: list[dict]) -> None:
    """One horizontal bar a row, split by status; shares printed where they fit; the
    legend under it names each status with its colour and pattern."""
    labels = [row["label"] for row in rows]
    left = [0.0] * len(rows)
    for index, first in enumerate(rows[0]["segments"] if rows else []):
        segments = [Bar(**row["segments"][index]) for row in rows]
        totals = [sum(s["value"] or 0 for s in row["segments"]) or 1 for row in rows]
        widths = [(s.value or 0) / total for s, total in zip(segments, totals, strict=True)]
        drawn = ax.barh(
            labels,
            widths,
            left=left,
            color=first["color"],
            height=0.6,
            hatch=first["hatch"],
            label=first["label"],
        )
        for patch, segment, width in zip(drawn, segments, widths, strict=True):
            if width >= 0.08:
                ax.annotate(
                    segment.text,
                    (patch.get_x() + width / 2, patch.get_y() + 0.3),
                    ha="center",
                    va="center",
                    color="#ffffff",
                    fontweight="bold",
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=3, frameon=False, fontsize=8)
