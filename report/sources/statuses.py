"""The status vocabulary: what an evaluator may say of a measure, and how it is drawn.

Each status belongs to a category that says what it means for the counts (done,
partial, not done, unknown, or excluded: counted apart, such as *withdrawn*). A status
is always drawn with a shape beside its label and a hatching pattern in charts, so the
report reads in grayscale; two statuses that would look the same without colour are
refused, naming both.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from report.sources.strict import Strict

StatusCategory = Literal["done", "partial", "not_done", "unknown", "excluded"]

DEFAULT_SYMBOLS: dict[str, str] = {
    "done": "●",
    "partial": "◐",
    "not_done": "○",
    "unknown": "?",
    "excluded": "×",
}
# matplotlib hatching of each category's chart bars (white lines on the colour).
DEFAULT_PATTERNS: dict[str, str] = {
    "done": "",
    "partial": "///",
    "not_done": "...",
    "unknown": "xx",
    "excluded": "--",
}


class StatusDef(Strict):
    """One entry of the status vocabulary used by the evaluator."""

    key: str = Field(description="The value written in measures' `status` field.")
    label: str = Field(description="How the status is printed in the report.")
    plural: str = Field(
        default="",
        description=(
            "Label after a count of several measures, e.g. 'réalisées' (default: the label)."
        ),
    )
    color: str = Field(
        pattern=r"^#[0-9a-fA-F]{6}$", description="Colour of the badge and chart bar, as #rrggbb."
    )
    category: StatusCategory = Field(
        description=(
            "What the status means for counts: done, partial, not_done, unknown or "
            "excluded (counted apart, e.g. withdrawn)."
        )
    )
    symbol: str = Field(
        default="",
        description=(
            "Shape printed beside the label so it reads without colour (default per category)."
        ),
    )
    pattern: str = Field(
        default="",
        pattern=r"^(none|[-/\\|+xoO.*]*)$",
        description=(
            "Hatching of its chart bars, e.g. '///' or 'xx' (default per category); "
            "'none' for a plain bar."
        ),
    )

    @property
    def many(self) -> str:
        """The label used after a count: '28 mesures partiellement réalisées'."""
        return self.plural or self.label.lower()

    @property
    def shape(self) -> str:
        """The symbol, or the category's default shape."""
        return self.symbol or DEFAULT_SYMBOLS[self.category]

    @property
    def hatch(self) -> str:
        """The chart pattern, or the category's default one ('' for a plain bar)."""
        if self.pattern == "none":
            return ""
        return self.pattern or DEFAULT_PATTERNS[self.category]


def grayscale_clashes(statuses: tuple[StatusDef, ...]) -> list[str]:
    """Sentences naming each pair of statuses drawn alike once colour is gone."""
    clashes = []
    for index, first in enumerate(statuses):
        for second in statuses[index + 1 :]:
            if (first.shape, first.hatch) == (second.shape, second.hatch):
                clashes.append(
                    f"statuses '{first.key}' and '{second.key}' would look the same in "
                    f"grayscale (shape {first.shape}, pattern '{first.hatch}'); give one of "
                    "them another symbol: or pattern:"
                )
    return clashes


# Okabe-Ito colours (safe for colour-blind readers); shapes and hatching carry the meaning
# in grayscale too.
DEFAULT_STATUSES = (
    StatusDef(
        key="réalisée", label="Réalisée", plural="réalisées", color="#009e73", category="done"
    ),
    StatusDef(
        key="partiellement réalisée",
        label="Partiellement réalisée",
        plural="partiellement réalisées",
        color="#e69f00",
        category="partial",
    ),
    StatusDef(
        key="non réalisée",
        label="Non réalisée",
        plural="non réalisées",
        color="#d55e00",
        category="not_done",
    ),
    StatusDef(
        key="non documentée",
        label="Non documentée",
        plural="non documentées",
        color="#999999",
        category="unknown",
    ),
)
