"""A chart's numbers as a table: what the web edition offers behind each figure.

A chart says its values in its labels and its alternative text; a table lets a reader
(and a screen reader) go through them cell by cell, and copy them. It is made from the
spec the chart was drawn from (``charts.py``), so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from report.compose.charts import Chart
from report.i18n.catalogue import Catalogue
from report.sources.vocabulary import Words


@dataclass(frozen=True)
class ChartTable:
    """A header row, then a row per bar (or per date of a stacked chart)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def chart_table(chart: Chart, words: Words, catalogue: Catalogue) -> ChartTable:
    """The values of ``chart`` as its labels print them (counts with their share, years)."""
    spec = chart.spec
    if spec.get("orientation") == "stacked":
        statuses = tuple(segment["label"] for segment in spec["rows"][0]["segments"])
        return ChartTable(
            (catalogue.text("date"), *statuses),
            tuple(
                (row["label"], *(segment["text"] for segment in row["segments"]))
                for row in spec["rows"]
            ),
        )
    rows = tuple((bar["label"], bar["text"]) for bar in spec.get("bars", ()))
    if spec.get("orientation") == "vertical":
        unit = spec.get("unit") or catalogue.text("column_value")
        return ChartTable((_capital(catalogue.text("column_x")), _capital(unit)), rows)
    return ChartTable((catalogue.text("status"), words.item.titles), rows)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
