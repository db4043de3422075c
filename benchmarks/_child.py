"""Run ``report <argv>`` in this (fresh) process and record where its time went.

Started by benchmarks/commands.py as ``python benchmarks/_child.py build CONTENT -o OUT ...``
with ``BENCH_RESULT=<file.json>`` and ``BENCH_ENTRY=<module:function>``, the ``report``
console script declared in the measured tree's pyproject.toml (``report.app.cli:main``, or
``report.app.cli:run``, which ends the process with ``os._exit`` once ``main`` has returned).
It calls that function as the console script does, and only observes:

- the ``stage <name> <seconds> s`` lines the builder logs at DEBUG level on
  ``report.app.build`` at the end of each stage (a logging handler; nothing else is changed
  in the builder). They give each stage's time, to the millisecond; builders that still
  run their stages through ``report.app.build._step`` are timed around it instead, at full
  precision (their log line rounds to 10 ms);
- wall time of a few functions, by wrapping them in place: WeasyPrint's HTML/CSS parsing,
  ``HTML.render`` (layout) and ``Document.write_pdf`` (PDF write), the builder's page
  summaries for the verification gate, the tagged-PDF repair (``fix_tags``), its input
  fingerprint, font check, attachments export, Jinja environment set-up and file writes.
  A function that is not there (renamed, or not written yet) is skipped and listed in
  ``not_instrumented``, so the benchmarks survive changes to the builder;
- the process's memory high-water mark at the end of each of those sections;
- whether matplotlib was imported and how many charts were drawn.

The builder's modules are looked for under the current layout (``report.app.build``, ...),
then the one before the regrouping (``report.build``, ...), since ``--ref`` may measure an
older commit.

``BENCH_PREIMPORT=1`` imports the builder and WeasyPrint before the timed pipeline, so
that import time is reported on its own line instead of inside the ``render`` stage.
``BENCH_PROFILE=<dir>`` also writes one cProfile file per section into ``<dir>``.
``BENCH_GC=off-during-render`` tries a proposed change: cyclic GC off during ``render_pdf``
and ``fix_tags``.
``python benchmarks/_child.py --weasyprint ARGS`` runs the ``weasyprint`` command's main()
instead, with the same WeasyPrint timers, to compare its phases with the builder's.
"""

from __future__ import annotations

import time

STARTED = time.time()

import importlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

# The timers sit beside this script (sys.path[0]); then that folder leaves the path, so that
# the benchmarks' own modules (stats, machine, ...) cannot shadow what the builder imports.
from _child_timers import (  # noqa: E402
    PROFILE_DIR,
    Profiles,
    high_water,
    peaks,
    profiles,
    timed,
    timings,
)

HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]

# The builder's modules by role, newest layout first.
MODULES = {
    "build": ("report.app.build", "report.build"),
    "cli": ("report.app.cli", "report.cli"),
    "render": ("report.output.render", "report.render"),
    "charts": ("report.compose.charts", "report.charts"),
}
DEFAULT_ENTRY = "report.app.cli:main"

stages: dict[str, float] = {}  # as the builder's own log lines give them
counts: dict[str, int] = {"charts_drawn": 0, "charts_from_cache": 0}
missing: list[str] = []  # functions that were renamed or removed since this was written
stage_source = "log"  # "step" when the builder has _step and it is timed instead


def builder_module(role: str):
    """The builder's module for ``role`` under the first layout that has it, else None.

    Decided by the files of the ``report`` package actually imported, not by trying: an
    editable install elsewhere may answer for ``report.app`` when the tree has no such folder.
    """
    import report

    root = Path(report.__file__).parent
    for name in MODULES[role]:
        path = root.joinpath(*name.split(".")[1:])
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return importlib.import_module(name)
    missing.append(" or ".join(MODULES[role]))
    return None


def patch(module, attribute: str, replacement) -> bool:
    """Replace ``module.attribute`` by ``replacement(it)``; list it as missing if absent."""
    if module is None:
        return False  # the module itself is already listed
    if not callable(getattr(module, attribute, None)):
        if f"{module.__name__}.{attribute}" not in missing:
            missing.append(f"{module.__name__}.{attribute}")
        return False
    setattr(module, attribute, replacement(getattr(module, attribute)))
    return True


def wrap(module, attribute: str, name: str) -> None:
    """Time ``module.attribute`` under ``name``, if the builder (still, or already) has it."""
    patch(module, attribute, lambda function: timed(name, function))


def wrap_any(module, attributes: tuple[str, ...], name: str) -> None:
    """Time the first of ``attributes`` the builder has (names differ across versions)."""
    found = next((a for a in attributes if callable(getattr(module, a, None))), attributes[0])
    wrap(module, found, name)


def record_stage(name: str, seconds: float) -> None:
    """One ``stage`` line: the builder's own figure, and the stage's time if not timed."""
    stages[name] = stages.get(name, 0.0) + seconds
    if stage_source == "log":
        key = f"stage-{name}"
        timings[key] = timings.get(key, 0.0) + seconds
        peaks[key] = high_water()
        if PROFILE_DIR:
            profiles.hand_over(key)


class StageHandler(logging.Handler):
    """Collect the builder's ``stage <name> <seconds> s`` lines and cached-chart notes."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("stage "):
            _, name, seconds, *_ = message.split()
            record_stage(name, float(seconds))
        elif "taken from cache" in message:  # report.compose.charts, one line per cached chart
            counts["charts_from_cache"] += 1


def listen(cli, loggers: list[str]) -> None:
    """Put a StageHandler on ``loggers`` at DEBUG, after the CLI has set logging up."""

    def add_handlers() -> None:
        for name in loggers:
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.addHandler(StageHandler())

    def after(original):
        def setup_logging(*args, **kwargs):
            counter = original(*args, **kwargs)
            add_handlers()
            return counter

        return setup_logging

    if not patch(cli, "setup_logging", after):
        add_handlers()  # best effort: the CLI's own set-up may replace them


def count_charts(charts) -> None:
    def counting(draw):
        def wrapper(*args, **kwargs):
            counts["charts_drawn"] += 1
            return draw(*args, **kwargs)

        return wrapper

    patch(charts, "_draw", counting)


def no_gc(function):
    """``function`` with the cyclic garbage collector off while it runs."""
    import gc

    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


def time_steps(build) -> None:
    """Time each stage around ``_step`` in builders that have it (the line rounds to 10 ms)."""
    global stage_source
    original_step = getattr(build, "_step", None)
    if not callable(original_step):
        return  # the stage lines give the times
    stage_source = "step"

    def step(name, function, *args, **kwargs):
        return original_step(name, timed(f"stage-{name}", function), *args, **kwargs)

    build._step = step


def instrument(modules: dict) -> None:
    build, render = modules["build"], modules["render"]
    loggers = [module.__name__ for module in (build, modules["charts"]) if module is not None]
    listen(modules["cli"], loggers)
    wrap(build, "input_fingerprint", "fingerprint")
    wrap_any(build, ("previous_build", "_previous_build"), "previous_build")
    wrap(build, "warn_missing_fonts", "font_check")
    wrap_any(build, ("write_atomically", "_write_atomically"), "write_outputs")
    wrap_any(build, ("attachments", "data_files"), "attachments")
    wrap(build, "make_environment", "environment")
    wrap_any(build, ("Components", "components"), "environment")
    wrap(render, "summarise", "page_summaries")
    wrap(render, "fix_tags", "tagging")
    count_charts(modules["charts"])
    if os.environ.get("BENCH_GC") == "off-during-render":
        # A what-if, not the builder as shipped: no cyclic garbage collection for the whole
        # render stage, the tagged-PDF repair included (BENCHMARKS.md, proposals).
        patch(build, "render_pdf", no_gc)
        patch(render, "fix_tags", no_gc)  # older builders call it after gc.enable()
    time_steps(build)
    patch_weasyprint_when_imported()


def patch_weasyprint_when_imported() -> None:
    """WeasyPrint is imported lazily by the builder: patch it as soon as it is imported,
    then put the import machinery back as it was."""
    if "weasyprint" in sys.modules:
        patch_weasyprint()
        return
    import builtins

    original_import = builtins.__import__

    def hooked_import(name, *args, **kwargs):
        module = original_import(name, *args, **kwargs)
        package = sys.modules.get("weasyprint")
        if (
            name.startswith("weasyprint")
            and hasattr(package, "HTML")
            and "weasyprint.document" in sys.modules
        ):
            builtins.__import__ = original_import
            patch_weasyprint()
        return module

    builtins.__import__ = hooked_import


def patch_weasyprint() -> None:
    import weasyprint
    from weasyprint.document import Document

    weasyprint.HTML.__init__ = timed("weasyprint_parse_html", weasyprint.HTML.__init__)
    weasyprint.CSS.__init__ = timed("weasyprint_parse_css", weasyprint.CSS.__init__)
    weasyprint.HTML.render = timed("weasyprint_layout", weasyprint.HTML.render)
    Document.write_pdf = timed("weasyprint_write_pdf", Document.write_pdf)


def imported() -> float:
    """Mark the end of the imports: memory so far, and the time."""
    peaks["imports"] = high_water()
    return time.time()


def run_report(argv: list[str]) -> tuple[float, int]:
    """The tree's console script on ``argv``, instrumented; (end of imports, exit code)."""
    modules = {role: builder_module(role) for role in MODULES}
    if os.environ.get("BENCH_PREIMPORT") == "1":
        import weasyprint  # noqa: F401
        from weasyprint.text.fonts import FontConfiguration  # noqa: F401
    imports_done = imported()
    instrument(modules)
    cli = modules["cli"]
    module, _, name = os.environ.get("BENCH_ENTRY", DEFAULT_ENTRY).partition(":")
    if PROFILE_DIR and stage_source == "log":
        profiles.enter(Profiles.PENDING)
    if cli is not None and (module, name) == (cli.__name__, "main"):
        return imports_done, cli.main(argv)
    # The console script is another function (``report.app.cli:run``: main(), then os._exit
    # without freeing the heap). Call it as the script would, recording the results when
    # main() returns, since nothing after os._exit runs.
    entry = getattr(importlib.import_module(module), name)

    def record_after(main):
        def main_then_record(*args, **kwargs):
            code = main(*args, **kwargs)
            record(code, imports_done)
            return code

        return main_then_record

    patch(cli, "main", record_after)
    sys.argv = ["report", *argv]
    return imports_done, entry()


def run_weasyprint(argv: list[str]) -> tuple[float, int]:
    """The ``weasyprint`` command's own main(), with the same timers (for comparison)."""
    from weasyprint.__main__ import main as weasyprint_main

    imports_done = imported()
    patch_weasyprint()
    weasyprint_main(argv)
    return imports_done, 0


IMPORTS_STARTED = 0.0
recorded = False


def record(code: int, imports_done: float) -> None:
    """Write what was measured to $BENCH_RESULT (once)."""
    global recorded
    if recorded:
        return
    recorded = True
    finished = time.time()
    if PROFILE_DIR:
        profiles.dump(Path(PROFILE_DIR))
    package = getattr(sys.modules.get("report"), "__file__", None) or "."
    result = {
        "exit_code": code,
        "started": STARTED,
        "imports_started": IMPORTS_STARTED,
        "imports_done": imports_done,
        "finished": finished,
        "stages": stages,
        "stage_source": stage_source,
        "timings": timings,
        "peaks_kb": peaks,
        "counts": counts,
        "matplotlib_imported": "matplotlib" in sys.modules,
        "not_instrumented": missing,
        "entry": os.environ.get("BENCH_ENTRY", DEFAULT_ENTRY),
        "report_package": str(Path(package).parent),
        "maxrss_kb_self": high_water(),
    }
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result, indent=1), encoding="utf-8")


def main() -> int:
    global IMPORTS_STARTED
    IMPORTS_STARTED = time.time()
    imports_done, code = IMPORTS_STARTED, 1
    try:
        peaks["start"] = high_water()
        if sys.argv[1:2] == ["--weasyprint"]:
            imports_done, code = run_weasyprint(sys.argv[2:])
        else:
            imports_done, code = run_report(sys.argv[1:])
    finally:
        record(code, imports_done)
    return code


if __name__ == "__main__":
    sys.exit(main())
