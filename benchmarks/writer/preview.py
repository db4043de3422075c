"""The Live preview section: save -> preview with ``report serve`` (benchmarks/preview.py).

``python -m benchmarks.preview --write`` measures it alone and replaces this section of
BENCHMARKS.md in place; ``benchmarks/run.py`` writes it with the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.stats import median
from benchmarks.writer.numbers import fmt, verdict

if TYPE_CHECKING:
    from benchmarks.preview import PreviewTimes

HEADING = "## Live preview (`report serve`)"
TARGET_PREVIEW = 1.0  # seconds from a save to the updated page in the browser, median
BEFORE = "## Reading the figures"  # where the section goes in a file that lacks it


def preview_section(times: PreviewTimes | None, cores: str) -> list[str]:
    if times is None:
        return []
    rows = [
        ("Save → new page served (event stream, then `GET /` holds the text)", times.served),
        ("   of which the server making the page (its `Preview updated in` line)", times.made),
        ("Save → text shown in Chromium (the page updates itself)", times.shown),
        ("Save → text shown in Chromium, saved while a PDF build runs", times.shown_busy),
        ("Save → PDF ready at `/report.pdf` (rebuilt behind the preview)", times.pdf_ready),
        ("Background PDF build (the child `report build`'s own time)", times.pdf_build),
    ]
    shown = times.shown or times.served
    what = "shown in Chromium" if times.shown else "served (no browser here)"
    return [
        HEADING,
        "",
        "`python -m benchmarks.preview` (method in its docstring): `report serve` on a copy of "
        f"the default content ({times.pages} pages), {times.edits} saves of each kind, each "
        "appending a sentence to chapters/03-constats.md; before each save of the first two "
        "kinds the PDF build of the previous one has finished. "
        f"{times.browser or 'No browser was available'}; {cores}. The first preview, when the "
        f"server starts, took {fmt(times.first)} s. Code measured: {times.code}; measured "
        f"{times.when}.",
        "",
        "| Save → | median (s) | min–max (s) |",
        "|---|---:|---:|",
        *[_row(label, values) for label, values in rows if values],
        "",
        f"Target: a save is {what} in under {TARGET_PREVIEW:.0f} s (median): "
        f"{fmt(median(shown))} s, {verdict(median(shown) < TARGET_PREVIEW)}. The preview is "
        "the compose stage's HTML, made in the server's process, whose imports and caches "
        "stay warm: after a chapter save only the content and templates stages run "
        "(`build.compose`; the settings and data are kept from the last read), and the page "
        "swaps in the parts that changed. WeasyPrint's layout, which takes most of a build, "
        "is left to the background PDF.",
        "",
    ]


def _row(label: str, values: list[float]) -> str:
    return f"| {label} | {fmt(median(values))} | {fmt(min(values))}–{fmt(max(values))} |"


def replace_section(path: Path, lines: list[str]) -> None:
    """Put a section (its heading is ``lines[0]``) in BENCHMARKS.md: in place of the old
    one, or before ``BEFORE``. The Web edition section (writer/web.py) uses it too."""
    text = path.read_text(encoding="utf-8").split("\n")
    heading = lines[0]
    if heading in text:
        start = text.index(heading)
        end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")), len(text))
    else:
        start = end = text.index(BEFORE) if BEFORE in text else len(text)
    path.write_text("\n".join([*text[:start], *lines, *text[end:]]), encoding="utf-8")
