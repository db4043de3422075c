"""The what-if section: the builder with no cyclic garbage collection while it renders.

Not the builder as shipped; it shows what a proposed change would gain before making it.
"""

from __future__ import annotations

from benchmarks.cases import Case
from benchmarks.facts import Facts
from benchmarks.stats import median
from benchmarks.targets import TARGET_LINEAR
from benchmarks.writer.numbers import fmt


def whatif_section(cases: list[Case], facts: Facts) -> list[str]:
    tried = [case for case in cases if case.whatif]
    if not tried:
        return []
    return [
        "## What-if: no cyclic garbage collection in the whole render stage",
        "",
        _explanation(tried, facts),
        "",
        "| Case | Pages | Builder as is (s) | Builder, GC off (s) | Change | "
        "Peak RSS as is / GC off (MB) | ms/page as is / GC off | "
        "Overhead ratio as is / GC off |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *[_row(case) for case in tried],
        *_linearity({case.name: case for case in cases}),
        "",
    ]


def _explanation(tried: list[Case], facts: Facts) -> str:
    return (
        "Not the builder as shipped: in the first "
        f"{max(len(case.whatif) for case in tried)} repetition(s), a third run (after "
        "raw and builder) has Python's cyclic garbage collector disabled for the "
        "whole render stage, tagged-PDF repair included (`BENCH_GC=off-during-render`: "
        "benchmarks/_child.py wraps `report.app.build.render_pdf` and "
        "`report.output.render.fix_tags` in `gc.disable()` / `gc.enable()`). WeasyPrint "
        "allocates millions of small objects and keeps them alive until it returns, "
        "so every full collection meanwhile walks an ever larger heap and frees "
        "nothing. "
        + (
            "The measured `render_pdf` already disables the collector during layout "
            "and PDF write, so what remains here is the repair that follows."
            if facts.get("gc_off_in_render")
            else ""
        )
    )


def _row(case: Case) -> str:
    after = median([run.wall for run in case.whatif])
    rss = median([run.maxrss_mb for run in case.whatif])
    return (
        f"| {case.title} | {case.pages} | {fmt(case.builder_median())} | {fmt(after)} | "
        f"{100 * (after / case.builder_median() - 1):+.0f} % | "
        f"{case.rss_median():.0f} / {rss:.0f} | "
        f"{case.builder_median() / case.pages * 1000:.0f} / "
        f"{after / case.pages * 1000:.0f} | "
        f"{case.overhead():.2f} / {after / case.raw_median():.2f} |"
    )


def gc_off_per_page(case: Case, attribute: str) -> float:
    """Median of ``attribute`` (wall, maxrss_mb) over the GC-off runs, per page."""
    return median([getattr(run, attribute) for run in case.whatif]) / case.pages


def _linearity(by_name: dict[str, Case]) -> list[str]:
    """The per-page target (720 / 45 measures) as it would be with the GC off."""
    if "45" not in by_name or "720" not in by_name or not by_name["720"].whatif:
        return []
    small, large = by_name["45"], by_name["720"]
    time = gc_off_per_page(large, "wall") / gc_off_per_page(small, "wall")
    memory = gc_off_per_page(large, "maxrss_mb") / gc_off_per_page(small, "maxrss_mb")
    return [
        "",
        "With the GC off for the whole render stage, time per page at 720 "
        f"measures is {time:.2f} times that at 45 (target ≤ {TARGET_LINEAR}) and memory "
        f"per page {memory:.2f} times (medians of {len(large.whatif)} runs, against the "
        "builder's medians).",
    ]
