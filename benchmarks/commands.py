"""The commands the benchmarks time: the builder (instrumented or as a user runs it), the
raw ``weasyprint`` command on the builder's own HTML and CSS, and ``report build --all``.

The raw command is the yardstick: the overhead target compares the builder with it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from benchmarks.processes import Run, executable, log, spawn
from benchmarks.trees import Tree

CHILD = Path(__file__).resolve().parent / "_child.py"
VARIANT = "pdf/a-3a"  # the builder's default (BuildOptions.pdf_variant)


def builder(
    tree: Tree,
    content: Path,
    out: Path,
    scratch: Path,
    *flags: str,
    preimport: bool = True,
    profile: Path | None = None,
    gc_off: bool = False,
) -> Run:
    """``report build CONTENT -o OUT FLAGS`` through benchmarks/_child.py."""
    result = scratch / "child.json"
    result.unlink(missing_ok=True)
    extra = {
        "BENCH_RESULT": str(result),
        "BENCH_PREIMPORT": "1" if preimport else "0",
        "BENCH_ENTRY": tree.entry,
    }
    if profile is not None:
        extra["BENCH_PROFILE"] = str(profile)
    if gc_off:
        extra["BENCH_GC"] = "off-during-render"
    run = spawn(
        [sys.executable, str(CHILD), "build", str(content), "-o", str(out), *flags],
        tree.env(**extra),
        scratch,
    )
    if run.code != 0 or not result.exists():
        raise SystemExit(f"builder failed ({run.code}) on {content}:\n{run.stderr[-3000:]}")
    run.child = json.loads(result.read_text(encoding="utf-8"))
    _check_stages(run)
    if "Built " not in run.stderr and "up to date" not in run.stderr:
        raise SystemExit(f"unexpected builder output:\n{run.stderr[-2000:]}")
    return run


def _check_stages(run: Run) -> None:
    """Warn when the stages the builder logged are not the ones the child timed."""
    logged = set(run.child["stages"])  # the builder's own `stage <name> <s> s` debug lines
    timed = {key[len("stage-") :] for key in run.child["timings"] if key.startswith("stage-")}
    if logged != timed:
        log(f"warning: stages logged {sorted(logged)} differ from stages timed {sorted(timed)}")


def console_build(
    tree: Tree, content: Path, out: Path, scratch: Path, script: str | None = None
) -> Run:
    """``report build CONTENT -o OUT`` as a user runs it (no instrumentation).

    ``python -m report`` by default: the measured tree's own entry point (report/__main__.py),
    whereas the installed ``report`` script was generated when the package was installed
    and may call an older entry point than the tree declares.
    """
    command = [script] if script else [sys.executable, "-m", "report"]
    return spawn([*command, "build", str(content), "-o", str(out)], tree.env(), scratch)


def batch_build(tree: Tree, content: Path, out: Path, scratch: Path, *flags: str) -> Run:
    """``report build CONTENT -o OUT --all FLAGS``: every edition, by a pool of workers."""
    command = [sys.executable, "-m", "report", "build", str(content), "-o", str(out), "--all"]
    return spawn([*command, *flags], tree.env(), scratch)


def stylesheets(tree: Tree, content: Path) -> list[Path]:
    """What report.app.build.stylesheet_paths gives without --print (the stylesheets moved
    into the package: a tree of either layout can be measured)."""
    packaged = tree.root / "report" / "styles" / "report.css"
    if not packaged.is_file():
        packaged = tree.root / "styles" / "report.css"
    return [packaged, *sorted((content / "styles").glob("*.css"))]


def raw_weasyprint(
    tree: Tree, content: Path, html: Path, target: Path, scratch: Path, instrumented: bool = False
) -> Run:
    """The weasyprint console script, or its main() under benchmarks/_child.py's timers."""
    options = ["-u", f"{content.resolve()}/"]
    for sheet in stylesheets(tree, content):
        options += ["-s", str(sheet)]
    options += ["--pdf-variant", VARIANT, "--custom-metadata", str(html), str(target)]
    result = scratch / "raw.json"
    result.unlink(missing_ok=True)
    if instrumented:
        command = [sys.executable, str(CHILD), "--weasyprint", *options]
    else:
        command = [executable("weasyprint"), *options]
    run = spawn(command, tree.env(BENCH_RESULT=str(result)), scratch)
    if run.code != 0 or not target.exists():
        raise SystemExit(f"weasyprint failed ({run.code}):\n{run.stderr[-3000:]}")
    if instrumented:
        run.child = json.loads(result.read_text(encoding="utf-8"))
    return run


def built(run: Run) -> tuple[Path, int]:
    """The PDF and page count from the builder's ``Built <pdf>: <n> pages`` line."""
    match = re.search(r"Built (.+?): (\d+) pages", run.stderr)
    if not match:
        raise SystemExit(f"no 'Built ...' line in:\n{run.stderr[-2000:]}")
    return Path(match.group(1)), int(match.group(2))


def warnings_in(run: Run) -> int:
    """The warning count of the builder's summary line, -1 when it shows none."""
    match = re.search(r"\((\d+) warnings?\)", run.stderr)
    return int(match.group(1)) if match else -1


def pdf_pages(path: Path) -> int | None:
    """Pages of a PDF (to check the raw command laid out the same document), if pypdf is here."""
    try:
        import pypdf
    except ImportError:
        return None
    return len(pypdf.PdfReader(str(path)).pages)
