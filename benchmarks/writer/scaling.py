"""The Scaling section: the synthetic projects side by side, and the marginal cost per page,
which is the cleaner test of linear growth (fixed costs cancel out).
"""

from __future__ import annotations

from benchmarks.cases import Case
from benchmarks.stats import marginal_slopes
from benchmarks.targets import SYNTHETIC_SIZES
from benchmarks.writer.numbers import fmt, mb


def scaling_section(cases: list[Case]) -> list[str]:
    by_name = {case.name: case for case in cases}
    synthetic = [by_name[str(n)] for n in SYNTHETIC_SIZES if str(n) in by_name]
    if not synthetic:
        return []
    lines = [
        "## Scaling",
        "",
        "| Measures | Pages | PDF | Builder (s) | ms/page | Peak RSS (MB) | MB/page | "
        "Raw WeasyPrint (s) | Raw ms/page | Overhead |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in synthetic:
        lines.append(
            f"| {case.measures} | {case.pages} | {mb(case.pdf_size)} | "
            f"{fmt(case.builder_median())} | {case.builder_median() / case.pages * 1000:.0f} | "
            f"{case.rss_median():.0f} | {case.rss_median() / case.pages:.2f} | "
            f"{fmt(case.raw_median())} | {case.raw_median() / case.pages * 1000:.0f} | "
            f"{case.overhead():.2f} |"
        )
    return lines + _marginal_cost(cases)


def _marginal_cost(cases: list[Case]) -> list[str]:
    slopes = marginal_slopes(cases)
    if slopes is None:
        return [""]
    (low, high), (low_mb, high_mb) = slopes
    return [
        "",
        "Marginal cost per extra page (fixed costs such as start-up, imports and "
        "the resident baseline cancel out): "
        f"{low * 1000:.0f} ms and {low_mb:.2f} MB per page from 45 to 180 "
        f"measures, {high * 1000:.0f} ms and {high_mb:.2f} MB per page from 180 "
        "to 720. Equal numbers mean linear growth; quadratic layout (a flex or "
        "grid container spanning pages, say) would make the second much larger.",
        "",
    ]
