"""Run the builder's benchmarks and write BENCHMARKS.md at the repository root.

    python -m benchmarks.run                 # the working tree, writes BENCHMARKS.md
    python -m benchmarks.run --ref HEAD      # a clean export of a commit (others' edits
                                             # in progress are not measured)
    python -m benchmarks.run --cases default,45 --reps 1 --output /tmp/quick.md

Every build runs in a fresh subprocess, so Python start-up and imports are counted, and
its peak memory is the child's own maximum resident set size (``os.wait4``). See
BENCHMARKS.md ("Method") for what is measured and how. This module only reads the options
and runs the steps in order; each concern has its own module in benchmarks/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Case, Batch, Run and Tree are also names of this module because files written by --save
# before the split refer to them as ``__main__.Case`` and so on; --load still reads those.
from benchmarks.batches import Batch, make_batch, run_batch
from benchmarks.cases import (
    DETAILED_CASES,
    EDITED_CASES,
    NO_WHATIF_CASES,
    Case,
    make_case,
    run_case,
)
from benchmarks.commands import console_build
from benchmarks.facts import code_facts
from benchmarks.machine import machine
from benchmarks.preview import PreviewTimes, measure_preview
from benchmarks.processes import Run, log, spawn
from benchmarks.profiling import import_times, imported_modules, profile_default
from benchmarks.results import Measurements
from benchmarks.stats import median
from benchmarks.trees import REPO, Tree, export_ref, working_tree
from benchmarks.web import WebTimes, measure_web
from benchmarks.writer import write_report

__all__ = ["Batch", "Case", "PreviewTimes", "Run", "Tree", "WebTimes", "main"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the benchmarks, write BENCHMARKS.md.")
    parser.add_argument(
        "--ref", help="benchmark a clean `git archive` of this commit instead of the working tree"
    )
    parser.add_argument(
        "--cases",
        default="default,45,180,720",
        help="comma-separated: default and/or measure counts",
    )
    parser.add_argument("--reps", type=int, default=3, help="builder/raw pairs per case")
    parser.add_argument(
        "--reps-720", type=int, default=3, help="repetitions for the 720-measure case (default 3)"
    )
    parser.add_argument(
        "--whatif-reps",
        type=int,
        default=2,
        help="repetitions that also run the GC what-if (default 2; "
        "default content, 45 and 720 measures)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument(
        "--no-editions", action="store_true", help="skip the `report build --all` case"
    )
    parser.add_argument(
        "--no-whatif", action="store_true", help="skip the garbage-collector what-if runs"
    )
    parser.add_argument(
        "--no-preview", action="store_true", help="skip the `report serve` save -> preview case"
    )
    parser.add_argument("--no-web", action="store_true", help="skip the `report build --web` case")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--save", type=Path, help="also pickle the measurements here")
    parser.add_argument(
        "--load",
        type=Path,
        help="rewrite the report from measurements saved with --save, without running anything",
    )
    return parser.parse_args(argv)


def shown_command(arguments: list[str]) -> str:
    """The command line to print in the report: the same, less ``--save`` and its file."""
    shown = [
        arg
        for index, arg in enumerate(arguments)
        if not arg.startswith("--save") and (index == 0 or arguments[index - 1] != "--save")
    ]
    return " ".join(["python -m benchmarks.run", *shown])


def measure_cases(args: argparse.Namespace, tree: Tree, scratch: Path) -> list[Case]:
    """Each case of ``--cases`` in turn, with the checks that case is chosen for."""
    cases = []
    for name in (name.strip() for name in args.cases.split(",")):
        case = make_case(tree, name, scratch / f"case-{name}")
        reps = min(args.reps, args.reps_720) if name == "720" else args.reps
        run_case(
            tree,
            case,
            reps,
            scratch,
            edit=name in EDITED_CASES,
            whatif=0 if args.no_whatif or name in NO_WHATIF_CASES else args.whatif_reps,
            raw_detail=name in DETAILED_CASES,
        )
        cases.append(case)
    return cases


def measure_batch(args: argparse.Namespace, tree: Tree, scratch: Path) -> Batch | None:
    """``report build --all``, when the tree has it and it was not turned off."""
    if args.no_editions or not tree.has_batch_builds(scratch):
        return None
    batch = make_batch(scratch / "case-editions")
    run_batch(tree, batch, 2, scratch)
    return batch


def measure_shim(tree: Tree, cases: list[Case], scratch: Path) -> Run | None:
    """An unchanged build through the pyenv shim, when ``report`` on PATH is one."""
    which = shutil.which("report")
    if not (which and "shims" in which and cases):
        return None
    return console_build(tree, cases[0].content, cases[0].out, scratch, script=which)


def measure_profile(args: argparse.Namespace, tree: Tree, cases: list[Case], scratch: Path):
    """One default-content build under cProfile, unless turned off or not measured."""
    default = next((case for case in cases if case.name == "default"), None)
    if args.no_profile or default is None:
        return None
    log("profiling one default-content build")
    return profile_default(tree, default.content, scratch)


def check_measured_code(tree: Tree, cases: list[Case]) -> None:
    """Stop if a child imported ``report`` from anywhere but the tree being measured."""
    for case in cases:
        package = case.cold.child.get("report_package", "")
        if not package.startswith(str(tree.root)):
            raise SystemExit(f"measured the wrong code: {package} is not in {tree.root}")


def measure(args: argparse.Namespace, command: str, started: float, scratch: Path):
    """Everything, in the order BENCHMARKS.md's Method section gives."""
    tree = export_ref(args.ref, scratch / "tree") if args.ref else working_tree()
    log(f"measuring {tree.label}")
    info = machine(tree)
    baseline = median(
        [spawn([sys.executable, "-c", "pass"], tree.env(), scratch).wall for _ in range(5)]
    )
    cases = measure_cases(args, tree, scratch)
    batch = measure_batch(args, tree, scratch)
    preview = None if args.no_preview else measure_preview(tree, scratch)
    web = None if args.no_web else measure_web(tree, scratch)
    shim = measure_shim(tree, cases, scratch)
    imports = {module: import_times(tree, scratch, module) for module in imported_modules(tree)}
    profile = measure_profile(args, tree, cases, scratch)
    check_measured_code(tree, cases)
    return Measurements(
        tree=tree,
        info=info,
        cases=cases,
        profile=profile,
        imports=imports,
        baseline=baseline,
        shim=shim,
        batch=batch,
        preview=preview,
        web=web,
        command=command,
        elapsed=time.perf_counter() - started,
        load_end=os.getloadavg(),
        facts=code_facts(tree),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.perf_counter()
    if args.load:
        write_report(args.output, Measurements.load(args.load))
        log(f"wrote {args.output} from {args.load}")
        return 0
    command = shown_command(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="report-bench-") as temporary:
        measured = measure(args, command, started, Path(temporary))
        if args.save:
            measured.save(args.save)
        write_report(args.output, measured)
    log(f"wrote {args.output} in {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
