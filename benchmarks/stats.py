"""From what a child recorded to the rows of the tables: one wall time split into parts.

Each part is measured on its own (timers in the child, clocks in the parent); "other" is
what is left of the wall time, so the rows of one run always add up to its total.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import TYPE_CHECKING

from benchmarks.targets import SYNTHETIC_SIZES

if TYPE_CHECKING:
    from benchmarks.cases import Case
    from benchmarks.processes import Run

ROWS = (
    ("startup", "Python start-up (interpreter, before the first line runs)"),
    ("imports", "Imports (report.app.cli, report.app.build, WeasyPrint)"),
    ("fingerprint", "Up-to-date check (input fingerprint, last build record)"),
    ("config", "config"),
    ("data", "data"),
    ("compute", "compute"),
    ("charts", "charts"),
    ("content", "content"),
    ("templates", "templates"),
    ("font_check", "font check (fc-list)"),
    ("layout", "WeasyPrint layout (HTML/CSS parsing + layout)"),
    ("layout_proper", "   of which `HTML.render()` (style + layout)"),
    ("write_pdf", "PDF write (`Document.write_pdf`, pdf/a-3a)"),
    ("tagging", "tagged-PDF repair (report/output/tagging/ `fix_tags`, pikepdf)"),
    ("summaries", "page summaries for the gate (report/output/render.py `summarise`)"),
    ("verify", "verification (`verify`)"),
    ("extra_stages", "other builder stages (newer than this script; named under the table)"),
    ("write_outputs", "write PDF, HTML and build record"),
    ("attachments", "attachments export (measures as CSV and YAML)"),
    ("environment", "Jinja environment and components set-up"),
    ("other", "other (CLI parsing, logging set-up, MD5 of the HTML, ...)"),
    ("exit", "interpreter exit (freeing the heap, after `main` returned)"),
)
COUNTED = [key for key, _ in ROWS if key not in ("layout_proper", "other")]

# The builder's stages this script knows; any other one is summed in "extra_stages".
# "fingerprint" and "write" (newer builders) are timed by the rows of the same names.
STAGES = (
    "fingerprint",
    "config",
    "data",
    "compute",
    "charts",
    "content",
    "templates",
    "render",
    "verify",
    "write",
)

# The rows that are the builder's own work (not Python, imports or WeasyPrint).
OWN_STAGES = (
    "fingerprint",
    "config",
    "data",
    "compute",
    "charts",
    "content",
    "templates",
    "font_check",
    "tagging",
    "summaries",
    "verify",
    "extra_stages",
    "write_outputs",
    "attachments",
    "environment",
    "other",
)


def median(values: list[float]) -> float:
    """The median, NaN for no values (a case that was not measured)."""
    return statistics.median(values) if values else float("nan")


def stage_times(run: Run) -> dict[str, float]:
    """Seconds per builder stage, by name (the child's ``stage-<name>`` timings)."""
    timing = run.child["timings"]
    return {
        key[len("stage-") :]: value for key, value in timing.items() if key.startswith("stage-")
    }


def extra_stages(runs: list[Run]) -> list[str]:
    """Stages some run reported that this script does not know by name."""
    return sorted({name for run in runs for name in stage_times(run) if name not in STAGES})


def rows_of(run: Run) -> dict[str, float]:
    """One instrumented builder run split into the ROWS, plus its total."""
    child, timing, stage = run.child, run.child["timings"], stage_times(run)
    write = timing.get("weasyprint_write_pdf", 0.0)
    summaries = timing.get("page_summaries", 0.0)
    tagging = timing.get("tagging", 0.0)
    row = {
        "startup": child["imports_started"] - run.spawned,
        "imports": child["imports_done"] - child["imports_started"],
        "fingerprint": timing.get("fingerprint", 0.0) + timing.get("previous_build", 0.0),
        **{name: stage.get(name, 0.0) for name in STAGES if name != "render"},
        "font_check": timing.get("font_check", 0.0),
        "layout": stage.get("render", 0.0) - write - summaries - tagging,
        "tagging": tagging,
        "layout_proper": timing.get("weasyprint_layout", 0.0),
        "write_pdf": write,
        "summaries": summaries,
        "write_outputs": timing.get("write_outputs", 0.0),
        "attachments": timing.get("attachments", 0.0),
        "environment": timing.get("environment", 0.0),
        "exit": run.spawned + run.wall - child["finished"],
        "extra_stages": sum(value for name, value in stage.items() if name not in STAGES),
    }
    row["other"] = run.wall - sum(row[key] for key in COUNTED)
    row["total"] = run.wall
    return row


def raw_rows(run: Run) -> dict[str, float]:
    """The instrumented raw run's phases, on the same rows as the builder's."""
    child, timing = run.child, run.child["timings"]
    row = {
        "startup": child["imports_started"] - run.spawned,
        "imports": child["imports_done"] - child["imports_started"],
        "layout": timing.get("weasyprint_parse_html", 0.0) + timing.get("weasyprint_layout", 0.0),
        "layout_proper": timing.get("weasyprint_layout", 0.0),
        "write_pdf": timing.get("weasyprint_write_pdf", 0.0),
        "exit": run.spawned + run.wall - child["finished"],
    }
    row["other"] = run.wall - sum(value for key, value in row.items() if key != "layout_proper")
    row["total"] = run.wall
    return row


def median_rows(runs: list[Run]) -> dict[str, float]:
    """Each row's median over ``runs`` on its own (so they need not add up to the total)."""
    rows = [rows_of(run) for run in runs]
    return {key: median([row[key] for row in rows]) for key in rows[0]} if rows else {}


def marginal_slopes(cases: list[Case]):
    """((s/page 45→180, s/page 180→720), (MB/page 45→180, MB/page 180→720)), or None."""
    by_name = {case.name: case for case in cases}
    if not all(str(n) in by_name for n in SYNTHETIC_SIZES):
        return None
    a, b, c = (by_name[str(n)] for n in SYNTHETIC_SIZES)

    def slopes(value: Callable[[Case], float]) -> tuple[float, float]:
        return (
            (value(b) - value(a)) / (b.pages - a.pages),
            (value(c) - value(b)) / (c.pages - b.pages),
        )

    return slopes(lambda case: case.builder_median()), slopes(lambda case: case.rss_median())
