"""The Web edition section: ``report build --web`` beside the PDF, and the site's weight
(benchmarks/web.py).

``python -m benchmarks.web --write`` measures it alone and replaces this section of
BENCHMARKS.md in place; ``benchmarks/run.py`` writes it with the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.stats import median
from benchmarks.writer.numbers import fmt

if TYPE_CHECKING:
    from benchmarks.web import WebTimes

HEADING = "## Web edition (`report build --web`)"
LOADING = ("config", "data", "compute", "charts")  # the stages both outputs share
TARGET_SIZE = 1_000_000  # bytes of the site without its PDFs (tests/test_web_size.py)


def web_section(times: WebTimes | None, cores: str) -> list[str]:
    if times is None:
        return []
    pdf_stages, web_stages = _stages(times.pdf_stages), _stages(times.web_stages)
    names = list(dict.fromkeys([*pdf_stages, *web_stages]))
    loaded_pdf = median(times.pdf) - sum(pdf_stages.get(name, 0) for name in LOADING)
    loaded_web = median(times.web) - sum(web_stages.get(name, 0) for name in LOADING)
    weights = ", ".join(
        f"{kind} {size / 1000:.0f} kB"
        for kind, size in sorted(times.sizes.items(), key=lambda item: -item[1])
    )
    total = sum(times.sizes.values())
    return [
        HEADING,
        "",
        "`python -m benchmarks.web` (method in its docstring): the default content, "
        f"{times.pdf_pages} pages as a PDF, {times.pages} pages as a site (the report, "
        f"the measures tool, a page per measure); {cores}. Code measured: {times.code}; "
        f"measured {times.when}.",
        "",
        f"In one process, imports and caches warm (median of {times.reps}):",
        "",
        "| Stage | report's PDF, `build()` (s) | site, `build_web()` (s) |",
        "|---|---:|---:|",
        *[f"| {name} | {_cell(pdf_stages, name)} | {_cell(web_stages, name)} |" for name in names],
        f"| **whole call** | **{fmt(median(times.pdf))}** | **{fmt(median(times.web))}** |",
        f"| after the data is loaded (all but {', '.join(LOADING)}) | {fmt(loaded_pdf)} | "
        f"{fmt(loaded_web)} |",
        "",
        f"The site takes {median(times.web) / median(times.pdf):.2f} times the PDF's time "
        f"({loaded_web / loaded_pdf:.2f} once the data is loaded): no layout, no "
        "verification of pages; its `templates` stage renders every page and parses it "
        "again for its web markup, exports the data in three formats, draws the sharing "
        "image and subsets the fonts (cached per set of characters, so warm here). "
        "From the command line, `report build --web` took "
        f"{fmt(times.first_command)} s the first time (the PDFs it offers, in parallel, then "
        f"the site) and {fmt(median(times.command))} s with the PDFs up to date (median of "
        f"{len(times.command)}; start-up, imports and the site, which is always rebuilt).",
        "",
        f"The site's folder without its PDFs: {total:,} bytes ({weights}); limit "
        f"{TARGET_SIZE:,} (tests/test_web_size.py). The PDFs it offers add "
        f"{times.pdfs:,} bytes, downloaded only when asked for.",
        "",
    ]


def _stages(runs: list[dict[str, float]]) -> dict[str, float]:
    names = list(dict.fromkeys(name for run in runs for name in run))
    return {name: median([run.get(name, 0.0) for run in runs]) for name in names}


def _cell(stages: dict[str, float], name: str) -> str:
    return fmt(stages[name]) if name in stages else "–"
