"""The Method and Notes sections: how each figure was obtained, and how far to trust it.

Written here, beside the code that measures, so the text changes with the method.
"""

from __future__ import annotations

from benchmarks.cases import Case
from benchmarks.commands import VARIANT
from benchmarks.trees import Tree


def method_section(cases: list[Case], tree: Tree) -> list[str]:
    return ["## Method", "", *_order(cases), "", "How:", "", *_how(_entry(cases, tree)), ""]


def _entry(cases: list[Case], tree: Tree) -> str:
    """The console script function the children called (as they recorded it)."""
    return next(
        (
            case.cold.child.get("entry")
            for case in cases
            if case.cold is not None and case.cold.child.get("entry")
        ),
        tree.entry,
    )


def _order(cases: list[Case]) -> list[str]:
    """What is run for each case, in order."""
    return [
        "Per case, in this order:",
        "",
        "1. *First build*: `report build CONTENT -o OUT` into an empty output folder, so "
        "every chart is drawn (the first column of the case tables).",
        "2. *Unchanged builds*: the same command three more times as `python -m report "
        "build ...` (the measured tree's own entry point, report/__main__.py, with no "
        "instrumentation; the installed `report` script may predate the tree); each "
        "must say “up to date”. Then once more under the timers, for the breakdown.",
        "3. *Repetitions*: raw `weasyprint` and builder `--force`, in turn, "
        f"{' or '.join(sorted({str(len(c.builds)) for c in cases}))} times; in the "
        f"first {max((len(c.whatif) for c in cases), default=0)} repetitions of the "
        "cases in the what-if table, a "
        "third run with the garbage collector off during rendering (the what-if). "
        "Medians are reported (each row's median on its own, so rows need not add up "
        "exactly to the total).",
        "4. For the default content and 45 and 720 measures, one raw run of WeasyPrint's "
        "own `main()` under the same timers, to put its phases beside the builder's.",
        "5. For the default content and 45 measures only (each may rebuild everything): "
        "a plain build right after the `--force` builds, which should be “up to date”; "
        "then a sentence appended to the last chapter of the copy of the content and a "
        "plain build in a fresh process without pre-imports, reporting whether "
        "`matplotlib` is in `sys.modules` at exit and how many charts were drawn (the "
        "chart cache files are also counted before and after).",
    ]


def _how(entry: str) -> list[str]:
    """How each figure is taken: processes, timers, the raw command, clocks, projects."""
    return [
        "- Each builder run is a fresh subprocess, `python benchmarks/_child.py build "
        "CONTENT -o OUT [--force]`, which calls the console script's function declared "
        f"in the tree's pyproject.toml (`{entry}`) as the `report` script does, "
        "with a logging handler on `report.app.build` (stage times are the builder's own "
        "`stage <name> <seconds> s` debug lines, or a timer around `_step` in builders "
        "that still have it) and thin timers "
        "around a few functions (see its docstring). It imports the builder and "
        "WeasyPrint before the pipeline starts, so import time has its own row instead "
        "of being inside the `render` stage (where `report.output.render` imports WeasyPrint "
        "lazily); the total is unchanged.",
        "- The `render` stage of report/app/build.py holds WeasyPrint's parsing, layout and "
        "PDF write, the tagged-PDF repair and the builder's page summaries. It is split "
        "here by timing `Document.write_pdf`, `report.output.render.fix_tags` and "
        "`report.output.render.summarise` in place: *WeasyPrint layout* is the rest of the "
        "stage (HTML and CSS parsing, font configuration, `render()`).",
        "- Raw WeasyPrint: the `weasyprint` console script on the builder's own output "
        "HTML (`OUT/<output>.html`), base URL the content folder, the same stylesheets "
        f"(`report/styles/report.css` and the content's `styles/*.css`), `--pdf-variant {VARIANT}` "
        "(the builder's default) and `--custom-metadata` (the builder passes "
        "`custom_metadata=True`). The raw PDF lacks the two data attachments (measures "
        "as CSV and YAML, a few kB), the fixed PDF identifier and the builder's repair "
        "of the structure tree; the HTML is identical.",
        "- Wall time is measured by the parent around fork-exec-wait; peak memory is the "
        "child's `ru_maxrss` from `os.wait4` (its own, not the maximum over all "
        "children). *Python start-up* is the time from spawning the process to the first "
        "line of the child script; *interpreter exit* the time from `main` returning to "
        "the process ending.",
        "- Synthetic projects come from `benchmarks/synthetic.py` (fictional names, the "
        "four statuses in turn with a matching tally, 6 axes, 18 actions, 5 bodies, "
        "3 charts, a footnoted paragraph per 15 measures, the recap, the measures table "
        "and a card for every measure).",
    ]


NOTES = [
    "## Notes",
    "",
    "- Timings come from a shared 2-core virtual machine where other work (test suites) "
    "may run at the same time; the load average is given above. Alternating the builder "
    "and the raw command and taking medians keeps the comparison fair, but a ratio within "
    "about ±0.03 of its limit is a tie: rerun before acting on it.",
    "- Time and memory *per page* include fixed costs (start-up, imports, the resident "
    "baseline of Python and WeasyPrint) and depend on what the pages hold, so the 720/45 "
    "ratios compare different documents; the marginal cost per page (Scaling) is the "
    "cleaner test of linearity.",
    "- Peak RSS is the whole process; WeasyPrint keeps every laid-out page (boxes, fonts, "
    "draw operations) in memory until the PDF is written, so memory grows with the page "
    "count in both the builder and the raw command.",
    "- The raw `weasyprint` PDF lacks the builder's two attachments; its size and page "
    "count are shown beside the builder's to check that the same document was laid out.",
    "- The *first build* column includes drawing the charts (importing matplotlib and "
    "rendering SVG); later builds take them from `<output>/.cache/charts`.",
    "- The synthetic projects are fictional and exist only to measure scaling. Their "
    "chapter puts a sentence under the “Récapitulatif” heading: at 720 measures the recap "
    "grid (80 rows) is taller than a page, and without that sentence the heading is left "
    "alone on a page, the gate warns, and a build with warnings is never recorded as "
    "“up to date” (see the proposals). The brief edition has no footnote: with one, WeasyPrint "
    "put the note alone on a second page, which the gate also reports.",
]
