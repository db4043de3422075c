"""Run ``report <argv>`` in this (fresh) process and record where its time went.

Started by benchmarks/run.py as ``python benchmarks/_child.py build CONTENT -o OUT ...``
with ``BENCH_RESULT=<file.json>`` and ``BENCH_ENTRY=<module:function>``, the ``report``
console script declared in the measured tree's pyproject.toml (``report.app.cli:main``, or
``report.app.cli:run``, which ends the process with ``os._exit`` once ``main`` has returned).
It calls that function as the console script does, and only observes:

- the ``stage <name> <seconds> s`` lines that ``report.app.build._step`` logs at DEBUG level
  (a logging handler on ``report.app.build``; nothing else is changed in the builder);
- wall time of each stage at full precision (the log line rounds to 10 ms), and of a few
  functions, by wrapping them in place: WeasyPrint's HTML/CSS parsing, ``HTML.render``
  (layout) and ``Document.write_pdf`` (PDF write), the builder's page summaries for the
  verification gate, the tagged-PDF repair (``fix_tags``, where it exists), its input
  fingerprint, font check, attachments export, Jinja environment set-up and file writes;
- the process's memory high-water mark at the end of each of those sections;
- whether matplotlib was imported and how many charts were drawn.

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

import cProfile  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

timings: dict[str, float] = {}
peaks: dict[str, int] = {}  # process high-water mark (kB) when each timed section ended
stages: dict[str, float] = {}
counts: dict[str, int] = {"charts_drawn": 0, "charts_from_cache": 0}
PROFILE_DIR = os.environ.get("BENCH_PROFILE")


class Profiles:
    """One cProfile per section; nested sections pause the enclosing one."""

    def __init__(self) -> None:
        self.profiles: dict[str, cProfile.Profile] = {}
        self.stack: list[cProfile.Profile] = []

    def enter(self, name: str) -> None:
        if self.stack:
            self.stack[-1].disable()
        profile = self.profiles.setdefault(name, cProfile.Profile())
        self.stack.append(profile)
        profile.enable()

    def leave(self) -> None:
        self.stack.pop().disable()
        if self.stack:
            self.stack[-1].enable()

    def dump(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, profile in self.profiles.items():
            profile.dump_stats(str(folder / f"{name}.prof"))


profiles = Profiles()


def timed(name: str, function):
    """Wrap ``function`` so its wall time is added to ``timings[name]``."""

    def wrapper(*args, **kwargs):
        if PROFILE_DIR:
            profiles.enter(name)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
            peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if PROFILE_DIR:
                profiles.leave()

    wrapper.__wrapped__ = function
    return wrapper


missing: list[str] = []  # functions that were renamed or removed since this was written


def wrap(module, attribute: str, name: str, optional: bool = False) -> None:
    """Time ``module.attribute`` under ``name``, if the builder (still, or already) has it."""
    if callable(getattr(module, attribute, None)):
        setattr(module, attribute, timed(name, getattr(module, attribute)))
    elif not optional:
        missing.append(f"{module.__name__}.{attribute}")


class StageHandler(logging.Handler):
    """Collect the builder's own ``stage <name> <seconds> s`` debug lines."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("stage "):
            _, name, seconds, *_ = message.split()
            stages[name] = stages.get(name, 0.0) + float(seconds)
        elif "taken from cache" in message:  # report.compose.charts, one line per cached chart
            counts["charts_from_cache"] += 1


def instrument() -> None:
    import report.app.build
    import report.app.cli
    import report.compose.charts
    import report.output.render

    original_setup = report.app.cli.setup_logging

    def setup_logging(debug: bool, quiet: bool):
        counter = original_setup(debug, quiet)
        for name in ("report.app.build", "report.compose.charts"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.addHandler(StageHandler())
        return counter

    report.app.cli.setup_logging = setup_logging
    wrap(report.app.build, "input_fingerprint", "fingerprint")
    wrap(report.app.build, "_previous_build", "previous_build")
    wrap(report.app.build, "warn_missing_fonts", "font_check")
    wrap(report.app.build, "_write_atomically", "write_outputs")
    wrap(report.app.build, "data_files", "attachments")
    for name in ("make_environment", "register_helpers", "components"):
        wrap(report.app.build, name, "environment")
    wrap(report.output.render, "summarise", "page_summaries")
    wrap(report.output.render, "fix_tags", "tagging", optional=True)  # newer builders only

    original_draw = getattr(report.compose.charts, "_draw", None)

    def draw(*args, **kwargs):
        counts["charts_drawn"] += 1
        return original_draw(*args, **kwargs)

    if original_draw is None:
        missing.append("report.compose.charts._draw")
    else:
        report.compose.charts._draw = draw

    if os.environ.get("BENCH_GC") == "off-during-render":
        # A what-if, not the builder as shipped: no cyclic garbage collection for the whole
        # render stage, the tagged-PDF repair included (BENCHMARKS.md, proposals).
        import gc

        def no_gc(function):
            def wrapper(*args, **kwargs):
                enabled = gc.isenabled()
                gc.disable()
                try:
                    return function(*args, **kwargs)
                finally:
                    if enabled:
                        gc.enable()

            return wrapper

        report.app.build.render_pdf = no_gc(report.app.build.render_pdf)
        if callable(getattr(report.output.render, "fix_tags", None)):  # called after gc.enable()
            report.output.render.fix_tags = no_gc(report.output.render.fix_tags)

    # Time each stage at full precision (the log line rounds to 10 ms); the builder's own
    # _step still runs and logs as usual.
    original_step = report.app.build._step

    def step(name, function, *args):
        return original_step(name, timed(f"stage-{name}", function), *args)

    report.app.build._step = step

    # WeasyPrint is imported lazily by report.output.render: patch it as soon as it is imported,
    # then put the import machinery back as it was.
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
    peaks["imports"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return time.time()


def run_report(argv: list[str]) -> tuple[float, int]:
    import report.app.build
    import report.app.cli

    if os.environ.get("BENCH_PREIMPORT") == "1":
        import weasyprint  # noqa: F401
        from weasyprint.text.fonts import FontConfiguration  # noqa: F401

        import report.output.render
    imports_done = imported()
    instrument()
    module, _, name = os.environ.get("BENCH_ENTRY", "report.app.cli:main").partition(":")
    if (module, name) == ("report.app.cli", "main"):
        return imports_done, report.app.cli.main(argv)
    # The console script is another function (``report.app.cli:run``: main(), then os._exit
    # without freeing the heap). Call it as the script would, recording the results when
    # main() returns, since nothing after os._exit runs.
    import importlib

    entry = getattr(importlib.import_module(module), name)
    original_main = report.app.cli.main

    def main_then_record(*args, **kwargs):
        code = original_main(*args, **kwargs)
        record(code, imports_done)
        return code

    report.app.cli.main = main_then_record
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
    Path(os.environ["BENCH_RESULT"]).write_text(
        json.dumps(
            {
                "exit_code": code,
                "started": STARTED,
                "imports_started": IMPORTS_STARTED,
                "imports_done": imports_done,
                "finished": finished,
                "stages": stages,
                "timings": timings,
                "peaks_kb": peaks,
                "counts": counts,
                "matplotlib_imported": "matplotlib" in sys.modules,
                "not_instrumented": missing,
                "entry": os.environ.get("BENCH_ENTRY", "report.app.cli:main"),
                "report_package": str(
                    Path(getattr(sys.modules.get("report"), "__file__", None) or ".").parent
                ),
                "maxrss_kb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            },
            indent=1,
        ),
        encoding="utf-8",
    )


def main() -> int:
    global IMPORTS_STARTED
    IMPORTS_STARTED = time.time()
    imports_done, code = IMPORTS_STARTED, 1
    try:
        peaks["start"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.argv[1:2] == ["--weasyprint"]:
            imports_done, code = run_weasyprint(sys.argv[2:])
        else:
            imports_done, code = run_report(sys.argv[1:])
    finally:
        record(code, imports_done)
    return code


if __name__ == "__main__":
    sys.exit(main())
