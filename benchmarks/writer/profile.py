"""The Import time and cProfile sections: which modules and functions the time goes to."""

from __future__ import annotations

from benchmarks.processes import Run
from benchmarks.writer.numbers import fmt

# The child's profile sections in pipeline order; any other one follows, by name.
ORDER = (
    "stage-config",
    "stage-data",
    "stage-compute",
    "stage-charts",
    "stage-content",
    "stage-templates",
    "font_check",
    "stage-render",
    "weasyprint_parse_html",
    "weasyprint_parse_css",
    "weasyprint_layout",
    "weasyprint_write_pdf",
    "tagging",
    "page_summaries",
    "stage-verify",
    "fingerprint",
    "attachments",
    "environment",
    "write_outputs",
)
TITLES = {
    "stage-render": "render stage, outside the sections below "
    "(font configuration, fetcher, attachments)",
    "weasyprint_layout": "WeasyPrint `HTML.render()` (layout)",
    "weasyprint_write_pdf": "PDF write",
    "weasyprint_parse_html": "WeasyPrint HTML parsing",
    "weasyprint_parse_css": "WeasyPrint CSS parsing (`CSS()` objects)",
    "page_summaries": "page summaries (report/output/render.py)",
    "tagging": "tagged-PDF repair (report/output/tagging/)",
    "attachments": "attachments export (report/output/attachments.py)",
    "environment": "Jinja environment and components set-up",
    "outside-stages": "after the last stage (writes, build record, summary line)",
}
NEGLIGIBLE = 0.02  # seconds under the profiler: one line instead of a table


def imports_section(imports: dict[str, list[tuple[str, float]]]) -> list[str]:
    if not imports:
        return []
    lines = [
        "## Import time",
        "",
        "`python -X importtime -c 'import X'` (one run each, fresh process): total, "
        "then the own import time of each package's modules, largest first. The "
        "unchanged build pays the `report.app.build` line (report/app/build.py imports every "
        "stage at the top); WeasyPrint is imported only when a PDF is rendered, "
        "matplotlib only when a chart is drawn.",
        "",
    ]
    for module, rows in imports.items():
        total = sum(seconds for _, seconds in rows)
        lines.append(
            f"- `import {module}`: {total:.3f} s in all; "
            + ", ".join(f"{name} {seconds:.3f}" for name, seconds in rows[:8])
        )
    return [*lines, ""]


def profile_section(profile: tuple[Run, dict] | None, unprofiled_wall: float) -> list[str]:
    """``unprofiled_wall``: the same build without the profiler, for comparison."""
    if profile is None:
        return []
    run, sections = profile
    lines = [
        "## Where the time goes (cProfile, default content, first build)",
        "",
        f"One default-content build with an empty chart cache under cProfile (one "
        f"profile per stage, nested sections paused; {fmt(run.wall)} s wall with "
        f"profiling, against {fmt(unprofiled_wall)} s "
        "without). Top functions by cumulative time, then by own time, per stage; "
        "times are inflated by the profiler, the proportions are what matters."
        + _boundaries_note(run),
        "",
    ]
    names = [*ORDER, *sorted(name for name in sections if name not in ORDER)]
    for name in names:
        if name in sections:
            lines += _section(name, *sections[name])
    return [*lines, ""]


def _boundaries_note(run: Run) -> str:
    """Stages cut at the builder's log lines hold the glue between stages too."""
    if run.child.get("stage_source") != "log":
        return ""
    return (
        " Stages are cut where the builder logs their end, so each stage's profile also "
        "holds the little work done since the previous stage ended."
    )


def _section(name: str, total: float, by_cumulative: list, by_own: list) -> list[str]:
    """One profile: a line when negligible, else its top functions."""
    title = TITLES.get(name, name.replace("stage-", ""))
    if total < NEGLIGIBLE:
        return [f"- **{title}**: {total:.3f} s (negligible)"]
    lines = [
        "",
        f"**{title}**: {total:.2f} s under the profiler",
        "",
        "| cumulative (s) | own (s) | calls | function |",
        "|---:|---:|---:|---|",
    ]
    seen = {label for label, *_ in by_cumulative}
    for label, calls, own, cumulative in [
        *by_cumulative,
        *[row for row in by_own if row[0] not in seen],
    ]:
        lines.append(f"| {cumulative:.3f} | {own:.3f} | {calls} | `{label}` |")
    return lines
