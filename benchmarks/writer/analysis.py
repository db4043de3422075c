"""Reading the figures: sentences computed from the measurements, so they stay true when
the numbers change (where the time goes, what the overhead is made of, how it scales).
"""

from __future__ import annotations

from benchmarks.cases import Case
from benchmarks.stats import (
    COUNTED,
    OWN_STAGES,
    ROWS,
    marginal_slopes,
    median,
    median_rows,
    raw_rows,
    rows_of,
)
from benchmarks.targets import TARGET_LINEAR, TARGET_OVERHEAD
from benchmarks.writer.numbers import fmt


def analysis_section(by_name: dict[str, Case], profile) -> list[str]:
    lines = ["## Reading the figures", ""]
    lines += [_shares(by_name[name]) for name in ("default", "720") if name in by_name]
    for bullet in (_charts, _memory, _scaling, _whatif):
        lines += bullet(by_name)
    if profile is not None:
        lines += _profile(profile[1])
    return [*lines, ""]


def _shares(case: Case) -> str:
    """Who does what share of a ``--force`` rebuild, and what the overhead is made of."""
    rows = median_rows(case.builds)
    share = {key: rows[key] / case.builder_median() for key, _ in ROWS}
    return (
        f"- {case.title}: WeasyPrint does "
        f"{100 * (share['layout'] + share['write_pdf']):.0f} % of a `--force` rebuild "
        f"(layout {100 * share['layout']:.0f} %, PDF write {100 * share['write_pdf']:.0f} "
        f"%); start-up and imports {100 * (share['startup'] + share['imports']):.0f} %; "
        f"interpreter exit {100 * share['exit']:.0f} %; the builder's own stages and glue "
        f"{100 * sum(share[key] for key in OWN_STAGES):.0f} %. Overhead: " + overhead_parts(case)
    )


def overhead_parts(case: Case) -> str:
    """Builder minus raw, split into rows (needs the instrumented raw run)."""
    gap = case.builder_median() - case.raw_median()
    text = (
        f"the builder takes {fmt(gap)} s more than the raw command "
        f"({fmt(case.builder_median())} against {fmt(case.raw_median())} s)"
    )
    if case.raw_detail is None:
        return text + "."
    builder, raw = median_rows(case.builds), raw_rows(case.raw_detail)
    parts = [
        (
            "its own stages and glue (config to templates, tagged-PDF repair, "
            "attachments, summaries, verification, writes)",
            sum(builder[key] for key in OWN_STAGES),
        ),
        (
            "more imports (its own stack: pydantic, Jinja, markdown-it, Babel, YAML, pikepdf)",
            builder["imports"] - raw["imports"],
        ),
        ("WeasyPrint layout, same HTML", builder["layout"] - raw["layout"]),
        ("PDF write", builder["write_pdf"] - raw["write_pdf"]),
        ("interpreter exit", builder["exit"] - raw["exit"]),
    ]
    weasy = builder["layout"] + builder["write_pdf"]
    alone = raw["layout"] + raw["write_pdf"]
    return (
        text
        + "; against one instrumented raw run: "
        + ", ".join(f"{label} {value:+.2f} s" for label, value in parts)
        + "."
        + _weasyprint_inside(weasy, alone)
    )


def _weasyprint_inside(weasy: float, alone: float) -> str:
    """WeasyPrint's layout and PDF write inside the builder against alone, and why."""
    if weasy < 0.95 * alone:
        return (
            f" WeasyPrint itself is faster inside the builder ({fmt(weasy)} against "
            f"{fmt(alone)} s for layout and PDF write): the builder turns the garbage "
            "collector off while WeasyPrint works, the raw command does not."
        )
    if weasy > 1.05 * alone:
        return (
            f" WeasyPrint itself is {100 * (weasy / alone - 1):.0f} % slower inside the "
            "builder than alone on the same HTML: the builder's process holds more live "
            "objects (its own modules and data), which the cyclic garbage collector "
            "walks at every full collection; see the what-if above."
        )
    return (
        " WeasyPrint itself takes about as long inside the builder as alone "
        f"({fmt(weasy)} against {fmt(alone)} s for layout and PDF write)."
    )


def _charts(by_name: dict[str, Case]) -> list[str]:
    """Charts cost matplotlib's import once, then almost nothing."""
    default = by_name.get("default")
    if default is None:
        return []
    return [
        f"- The first build of the default content (empty chart cache) spends "
        f"{rows_of(default.cold)['charts']:.2f} s in `charts`, mostly importing matplotlib "
        f"(see the profile); with the cache warm the stage costs "
        f"{median_rows(default.builds)['charts'] * 1000:.0f} ms, and after a text-only "
        "edit matplotlib is not imported at all."
    ]


def _memory(by_name: dict[str, Case]) -> list[str]:
    """Where the builder's memory peaks on the largest project."""
    large = by_name.get("720")
    if large is None or not large.builds:
        return []
    peaks = large.builds[0].child.get("peaks_kb", {})
    if "weasyprint_write_pdf" not in peaks or "tagging" not in peaks:
        return []
    raw_peak = median([run.maxrss_mb for run in large.raws])
    return [
        f"- Memory at 720 measures: {large.rss_median():.0f} MB for the builder against "
        f"{raw_peak:.0f} MB for the raw command. The builder's high-water mark is "
        f"{peaks['weasyprint_write_pdf'] / 1024:.0f} MB when the PDF is written and "
        f"{peaks['tagging'] / 1024:.0f} MB after the tagged-PDF repair, which runs "
        "while WeasyPrint's document is still in memory (see the proposals)."
    ]


def _per_page_ms(case: Case) -> dict[str, float]:
    rows = median_rows(case.builds)
    return {key: rows[key] / case.pages * 1000 for key in COUNTED}


def _scaling(by_name: dict[str, Case]) -> list[str]:
    """Marginal against average cost per page, and the rows that grow most."""
    slopes = marginal_slopes(list(by_name.values()))
    if slopes is None or "45" not in by_name or "720" not in by_name:
        return []
    (low, high), _ = slopes
    small, large = by_name["45"], by_name["720"]
    growth = high / low
    shape = (
        "about flat" if growth <= 1.1 else f"{100 * (growth - 1):.0f} % higher for the later pages"
    )
    before, after = _per_page_ms(small), _per_page_ms(large)
    labels = dict(ROWS)
    grew = sorted(((after[key] - before[key], key) for key in COUNTED), reverse=True)[:2]
    average = small.builder_median() / small.pages
    light_pages = (
        " (lower than the marginal cost although it carries the fixed costs: the "
        "45-measure document has proportionally more light pages, such as the cover, "
        "contents, blank versos and short chapters)"
    )
    return [
        f"- Scaling: the marginal cost per page is {shape} ({low * 1000:.0f} ms from 45 to "
        f"180 measures, {high * 1000:.0f} ms from 180 to 720), far from quadratic growth, "
        "which would make the second figure several times the first. The average time "
        "per page is "
        f"{large.builder_median() / large.pages * 1000:.0f} ms at 720 measures against "
        f"{average * 1000:.0f} ms at 45"
        + (light_pages if average < low else "")
        + ". Per page, the rows that grow most from 45 to 720 measures: "
        + ", ".join(f"{labels[key]} {before[key]:.0f} → {after[key]:.0f} ms" for _, key in grew)
        + f". The raw command goes from {small.raw_median() / small.pages * 1000:.0f} to "
        f"{large.raw_median() / large.pages * 1000:.0f} ms per page (its garbage "
        "collector stays on)."
    ]


def _whatif(by_name: dict[str, Case]) -> list[str]:
    """Would the targets pass with the GC off for the whole render stage?"""
    tried = [by_name[name] for name in ("default", "45", "720") if name in by_name]
    if len(tried) < 3 or not all(case.whatif for case in tried):
        return []
    default, small, large = tried

    def gc_off(case: Case) -> float:
        return median([run.wall for run in case.whatif])

    ratios = [gc_off(default) / default.raw_median(), gc_off(large) / large.raw_median()]
    per_page = (gc_off(large) / large.pages) / (gc_off(small) / small.pages)
    passes = [ratio <= TARGET_OVERHEAD for ratio in ratios] + [per_page <= TARGET_LINEAR]
    verdict = (
        "all three under their limits."
        if all(passes)
        else f"{sum(passes)} of these three under their limits."
    )
    return [
        f"- With the garbage collector off for the whole render stage (what-if), the "
        f"overhead ratio would be {ratios[0]:.2f} for the default content and "
        f"{ratios[1]:.2f} at 720 measures (limit {TARGET_OVERHEAD:.2f}), and time per page "
        f"at 720 measures {per_page:.2f} times that at 45 (limit {TARGET_LINEAR}): " + verdict
    ]


def _profile(sections: dict) -> list[str]:
    """The functions with the most own time in WeasyPrint's layout and PDF write."""
    lines = []
    for name, title in (("weasyprint_layout", "layout"), ("weasyprint_write_pdf", "PDF write")):
        if name in sections:
            _, _, by_own = sections[name]
            lines.append(
                f"- Profile, {title}: the most own time goes to "
                + ", ".join(f"`{label}` ({own:.2f} s)" for label, _, own, _ in by_own[:4])
                + " (profiled times, default content). No single hot spot: the "
                "time is spread over WeasyPrint's box tree, text shaping (Pango "
                "through cffi) and PDF serialisation, none of it in report/."
            )
    return lines
