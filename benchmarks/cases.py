"""What is measured for one content folder (a *case*), in the order BENCHMARKS.md's Method
section describes: first build, unchanged builds, repetitions, then the checks that may
rebuild everything (only on the cheap cases).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.commands import (
    builder,
    built,
    console_build,
    pdf_pages,
    raw_weasyprint,
    stylesheets,
    warnings_in,
)
from benchmarks.processes import Run, log
from benchmarks.stats import median
from benchmarks.synthetic import generate
from benchmarks.trees import Tree

EDITED_CASES = ("default", "45")  # text-only edit and "up to date after --force" checks
DETAILED_CASES = ("default", "45", "720")  # one raw weasyprint run under the child's timers
NO_WHATIF_CASES = ("180",)  # the GC what-if is skipped there (nothing to learn, time saved)
EDIT = (
    "\nParagraphe ajouté par les benchmarks : une modification du texte "
    "seul, sans toucher aux données.\n"
)


@dataclass
class Case:
    """One content folder and everything measured on it."""

    name: str
    title: str
    content: Path
    out: Path
    measures: int | None = None
    cold: Run | None = None
    builds: list[Run] = field(default_factory=list)
    raws: list[Run] = field(default_factory=list)
    pages: int = 0
    pdf_size: int = 0
    raw_pages: int | None = None
    raw_size: int = 0
    warnings: int = 0
    unchanged: list[Run] = field(default_factory=list)
    unchanged_detail: Run | None = None
    edit: Run | None = None
    edit_cache_before: int = 0
    edit_cache_after: int = 0
    flexgrid: list[str] = field(default_factory=list)
    chart_files: int = 0
    whatif: list[Run] = field(default_factory=list)
    raw_detail: Run | None = None
    after_force: Run | None = None  # the first plain `report build` after `--force` builds

    def builder_median(self) -> float:
        return median([run.wall for run in self.builds])

    def raw_median(self) -> float:
        return median([run.wall for run in self.raws])

    def overhead(self) -> float:
        return self.builder_median() / self.raw_median()

    def rss_median(self) -> float:
        return median([run.maxrss_mb for run in self.builds])

    @property
    def charts_cache(self) -> Path:
        return self.out / ".cache" / "charts"


def make_case(tree: Tree, name: str, folder: Path) -> Case:
    """``default`` copies the tree's content/; a number generates a synthetic project."""
    if name == "default":
        content = folder / "content"
        shutil.copytree(tree.root / "content", content)
        return Case(name, "Default content (content/)", content, folder / "out")
    measures = int(name)
    content = generate(measures, folder / "content")
    return Case(name, f"Synthetic, {measures} measures", content, folder / "out", measures)


FLEX_GRID = re.compile(r"display\s*:\s*(?:inline-)?(?:flex|grid)\b", re.IGNORECASE)


def flex_grid_uses(tree: Tree, case: Case, html: Path) -> list[str]:
    """Places where a flex or grid container is declared (CSS files, the final HTML)."""
    found = []
    for path in [*stylesheets(tree, case.content), html]:
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{path.name}: {m.group(0)}" for m in FLEX_GRID.finditer(text)]
    return found


def run_case(
    tree: Tree, case: Case, reps: int, scratch: Path, edit: bool, whatif: int, raw_detail: bool
) -> None:
    """``whatif``: in how many of the repetitions to add a run with the GC off."""
    html = _first_build(tree, case, scratch)
    _unchanged_builds(tree, case, scratch)
    raw_pdf = scratch / f"raw-{case.name}.pdf"
    _repetitions(tree, case, scratch, html, raw_pdf, reps, whatif)
    case.pdf_size = html.with_suffix(".pdf").stat().st_size
    case.raw_size = raw_pdf.stat().st_size
    case.raw_pages = pdf_pages(raw_pdf)
    case.flexgrid = flex_grid_uses(tree, case, html)
    if raw_detail:
        log(f"{case.name}: raw weasyprint main() under timers, once")
        case.raw_detail = raw_weasyprint(
            tree, case.content, html, raw_pdf, scratch, instrumented=True
        )
    if edit:  # the cheap cases only: each check below may rebuild the whole document
        _after_force_and_edit(tree, case, scratch)


def _first_build(tree: Tree, case: Case, scratch: Path) -> Path:
    """Build into an empty folder (every chart drawn); return the HTML it wrote."""
    log(f"{case.name}: first build (empty output folder and chart cache)")
    shutil.rmtree(case.out, ignore_errors=True)
    case.cold = builder(tree, case.content, case.out, scratch)
    pdf, case.pages = built(case.cold)
    case.warnings = warnings_in(case.cold)
    case.chart_files = len(list(case.charts_cache.glob("*.svg")))
    # the summary line shows the PDF relative to the child's cwd
    return (case.out / pdf.name).with_suffix(".html")


def _unchanged_builds(tree: Tree, case: Case, scratch: Path) -> None:
    """Three plain builds as a user runs them, then one under the timers for the breakdown."""
    log(f"{case.name}: second and later builds, nothing changed")
    for _ in range(3):
        case.unchanged.append(console_build(tree, case.content, case.out, scratch))
    case.unchanged_detail = builder(tree, case.content, case.out, scratch, preimport=False)


def _repetitions(
    tree: Tree, case: Case, scratch: Path, html: Path, raw_pdf: Path, reps: int, whatif: int
) -> None:
    """Raw weasyprint and builder ``--force`` in turn, so both meet the same machine load."""
    for rep in range(1, reps + 1):
        log(
            f"{case.name}: repetition {rep}/{reps}: raw weasyprint, builder --force"
            + (", builder with the GC off during rendering" if rep <= whatif else "")
        )
        case.raws.append(raw_weasyprint(tree, case.content, html, raw_pdf, scratch))
        case.builds.append(builder(tree, case.content, case.out, scratch, "--force"))
        if rep <= whatif:
            case.whatif.append(
                builder(tree, case.content, case.out, scratch, "--force", gc_off=True)
            )


def _after_force_and_edit(tree: Tree, case: Case, scratch: Path) -> None:
    """A plain build after ``--force`` (should be up to date), then a text-only edit."""
    log(f"{case.name}: plain build right after the --force builds")
    case.after_force = console_build(tree, case.content, case.out, scratch)
    log(f"{case.name}: text-only edit, then rebuild without --force")
    case.edit_cache_before = len(list(case.charts_cache.glob("*.svg")))
    chapter = sorted((case.content / "chapters").glob("*.md"))[-1]
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write(EDIT)
    case.edit = builder(tree, case.content, case.out, scratch, preimport=False)
    case.edit_cache_after = len(list(case.charts_cache.glob("*.svg")))
