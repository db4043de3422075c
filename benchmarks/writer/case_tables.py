"""One table per case: each stage's time on the first build and on ``--force`` rebuilds,
beside raw WeasyPrint on the same HTML, then the memory and per-page figures.
"""

from __future__ import annotations

from benchmarks.cases import Case
from benchmarks.stats import ROWS, extra_stages, median, raw_rows, rows_of
from benchmarks.writer.numbers import fmt, mb

# child section -> label, for the memory high-water marks under each table
PEAKS = (
    ("imports", "imports"),
    ("stage-templates", "templates"),
    ("weasyprint_layout", "layout"),
    ("weasyprint_write_pdf", "PDF write"),
    ("tagging", "tagged-PDF repair"),
    ("page_summaries", "page summaries"),
    ("stage-verify", "verification"),
)


def case_table(case: Case) -> list[str]:
    return [
        f"### {case.title}",
        "",
        _summary(case),
        "",
        *_stage_rows(case),
        "",
        _footnote(case),
        "",
    ]


def _summary(case: Case) -> str:
    return (
        f"{case.pages} pages, builder PDF {mb(case.pdf_size)}, raw WeasyPrint PDF "
        f"{mb(case.raw_size)}"
        + (f" ({case.raw_pages} pages)" if case.raw_pages is not None else "")
        + f"; {case.chart_files} charts; {case.warnings} build warnings; "
        f"{len(case.builds)} repetitions (medians)."
    )


def _stage_rows(case: Case) -> list[str]:
    """The table: a row per stage, then the builder's and the raw command's totals."""
    cold = rows_of(case.cold)
    reps = [rows_of(run) for run in case.builds]
    raw = raw_rows(case.raw_detail) if case.raw_detail is not None else None
    total = case.builder_median()
    lines = [
        "| Stage | first build, charts drawn (s) | rebuild `--force`, median (s) "
        "| share | min–max (s) |"
        + (" raw `weasyprint` main() under the same timers, 1 run (s) |" if raw else ""),
        "|---|---:|---:|---:|---:|" + ("---:|" if raw else ""),
    ]
    for key, label in ROWS:
        values = [row[key] for row in reps]
        value = median(values)
        lines.append(
            f"| {label} | {fmt(cold[key])} | {fmt(value)} | "
            f"{100 * value / total:.0f} % | {fmt(min(values))}–{fmt(max(values))} |"
            + _raw_cell(raw, key)
        )
    return lines + _totals(case, raw)


def _raw_cell(raw: dict[str, float] | None, key: str) -> str:
    if not raw:
        return ""
    if key == "other":
        return f" {fmt(raw[key])} (CLI, CSS files, exit code) |"
    return f" {fmt(raw[key])} |" if key in raw else " |"


def _totals(case: Case, raw: dict[str, float] | None) -> list[str]:
    total = case.builder_median()
    walls = [run.wall for run in case.builds]
    raws = [run.wall for run in case.raws]
    return [
        f"| **Builder end to end (wall)** | **{fmt(case.cold.wall)}** | "
        f"**{fmt(total)}** | 100 % | {fmt(min(walls))}–{fmt(max(walls))} |" + (" |" if raw else ""),
        f"| **Raw `weasyprint` CLI, same HTML and CSS (wall)** | | "
        f"**{fmt(case.raw_median())}** | {100 * case.raw_median() / total:.0f} % | "
        f"{fmt(min(raws))}–{fmt(max(raws))} |" + (f" **{fmt(raw['total'])}** |" if raw else ""),
    ]


def _footnote(case: Case) -> str:
    """Stages not known, functions not found, memory marks, overhead and per-page cost."""
    extra = extra_stages([case.cold, *case.builds])
    missing = sorted(
        {name for run in case.builds for name in run.child.get("not_instrumented", ())}
    )
    total = case.builder_median()
    return (
        (f"Stages not known to this script: {', '.join(extra)}. " if extra else "")
        + (f"Not found, so not timed: {', '.join(missing)}. " if missing else "")
        + _memory_marks(case)
        + f"Peak memory (max RSS): builder {case.rss_median():.0f} MB median "
        f"(first build {case.cold.maxrss_mb:.0f} MB), raw WeasyPrint "
        f"{median([run.maxrss_mb for run in case.raws]):.0f} MB. "
        f"Overhead ratio (builder / raw, medians): **{case.overhead():.2f}**. "
        f"Per page: {total / case.pages * 1000:.0f} ms and "
        f"{case.rss_median() / case.pages:.2f} MB (raw WeasyPrint "
        f"{case.raw_median() / case.pages * 1000:.0f} ms)."
    )


def _memory_marks(case: Case) -> str:
    """The process's high-water mark when each section ended, first ``--force`` run."""
    peaks = case.builds[0].child.get("peaks_kb", {})
    marks = [(label, peaks[key]) for key, label in PEAKS if key in peaks]
    if not marks:
        return ""
    return (
        "Memory high-water mark of the first `--force` run at the end of: "
        + ", ".join(f"{label} {kb / 1024:.0f} MB" for label, kb in marks)
        + f"; whole process {case.builds[0].maxrss_mb:.0f} MB. "
    )
