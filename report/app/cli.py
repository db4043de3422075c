"""The command line: ``report build`` and ``report check``; the only place logging is set up.

Exit codes: 0 success, 1 content/data/config error (or any warning under ``--strict``),
2 usage error. Messages go to stderr; stdout stays free.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from report import __version__
from report.app.doctor import add_doctor_command, doctor
from report.app.live_commands import LIVE_COMMANDS, add_live_commands, run_live_command
from report.app.sheet_commands import add_sheet_commands, run_sheet_command
from report.errors import ReportError, WarningCounter, display_path

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
PDF_VARIANTS = ("pdf/a-3a", "pdf/a-3b", "pdf/a-3u", "pdf/ua-1", "pdf/a-2a", "plain")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="report",
        description=("Build a print-ready PDF advocacy report from Markdown and YAML."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the PDF (default: ./content -> ./build)")
    add_new_command(commands)
    add_rollover_command(commands)
    add_sheet_commands(commands)
    add_doctor_command(commands)
    add_live_commands(commands)
    check = commands.add_parser("check", help="validate the content without writing a PDF")
    for command in (build, check):
        command.add_argument(
            "content_dir",
            nargs="?",
            default="content",
            type=Path,
            help="folder holding report.yaml (default: content)",
        )
        command.add_argument(
            "--strict", action="store_true", help="treat every warning as an error (exit 1)"
        )
        command.add_argument(
            "--debug", action="store_true", help="show stage timings and tracebacks"
        )
        command.add_argument(
            "-q", "--quiet", action="store_true", help="only show problems and the summary line"
        )
        command.add_argument(
            "--edition",
            metavar="NAME",
            help=("one edition declared in report.yaml (default: the report)"),
        )
        command.add_argument(
            "--all",
            action="store_true",
            help=("every edition (build: in parallel, with a table of what was built)"),
        )
    build.add_argument(
        "-o",
        "--output-dir",
        default="build",
        type=Path,
        help="where to write the PDF and HTML (default: build)",
    )

    build.add_argument(
        "--force", action="store_true", help="rebuild even if nothing changed since the last build"
    )
    build.add_argument(
        "--web",
        action="store_true",
        help="the web edition: a folder of pages to publish, with the PDFs and data it offers",
    )
    build.add_argument(
        "--print",
        dest="print_marks",
        action="store_true",
        help="for a print shop: add 3 mm bleed and crop marks",
    )
    build.add_argument(
        "--pdf-variant",
        default="pdf/a-3a",
        choices=PDF_VARIANTS,
        help="PDF standard (default pdf/a-3a: archival and tagged for "
        "screen readers; 'plain' for none)",
    )
    return parser


def add_new_command(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="create a small example project to start from")
    new.add_argument("folder", type=Path, help="the folder to create (new or empty)")
    new.add_argument("--language", default="en", help="en, en-GB, en-US or fr (default: en)")
    new.add_argument(
        "--items",
        metavar="WORD[/PLURAL]",
        help=("what the plan's entries are called, e.g. commitment (default: measure)"),
    )
    new.add_argument(
        "--groups",
        metavar="WORD[/PLURAL]",
        help=("what their groups are called, e.g. theme (default: axis)"),
    )
    new.add_argument("--item-gender", choices=("f", "m"), help="French: the item's gender")
    new.add_argument("--group-gender", choices=("f", "m"), help="French: the group's gender")
    new.set_defaults(strict=False, debug=False, quiet=False, all=False, edition=None)


def add_rollover_command(commands: argparse._SubParsersAction) -> None:
    roll = commands.add_parser("rollover", help="start next year's report from this one")
    roll.add_argument("content_dir", type=Path, help="this year's content folder")
    roll.add_argument("folder", type=Path, help="the new folder to create (new or empty)")
    roll.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the new report's date (default: a year later)",
    )
    roll.set_defaults(strict=False, debug=False, quiet=False, all=False, edition=None)


def setup_logging(debug: bool, quiet: bool) -> WarningCounter:
    """Plain one-line messages on stderr; warnings are also counted for the summary."""
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(levelname_short)s%(message)s"))
    console.addFilter(_short_level)
    counter = WarningCounter()
    once = _Once()
    console.addFilter(once)
    counter.addFilter(once)
    for name in WarningCounter.LOGGERS:
        log = logging.getLogger(name)
        log.handlers = [console, counter]
        log.propagate = False
        log.setLevel(logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO)
    logging.getLogger("weasyprint").setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return counter


class _Once(logging.Filter):
    """A note or warning said once per run: ``report check`` reads a chapter shared by
    several editions (the dossiers) once per PDF, and its problem is one line to fix."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[int, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        """The same answer for every handler a record reaches (it is marked)."""
        if not hasattr(record, "said_first"):
            said = (record.levelno, record.getMessage())
            record.said_first = said not in self.seen or record.levelno < logging.INFO
            self.seen.add(said)
        return record.said_first


def _short_level(record: logging.LogRecord) -> bool:
    prefixes = {logging.WARNING: "warning: ", logging.ERROR: "error: ", logging.INFO: "note: "}
    record.levelname_short = prefixes.get(record.levelno, "")
    return True


def run() -> NoReturn:
    """The console script: ``main()``, then leave without tearing down the heap.

    Freeing WeasyPrint's millions of objects at interpreter exit takes 0.3 s for a 30-page
    report and 2.6 s for 250 pages (BENCHMARKS.md); the output is written and flushed by
    then, so the process ends at once.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the command, map the outcome to an exit code."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.all and args.edition:
        print("report: error: --all covers every edition: drop --edition or --all", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "web", False) and (args.all or args.edition):
        print(
            "report: error: --web builds the web editions (--all includes them): use one of "
            "--web, --all or --edition",
            file=sys.stderr,
        )
        return EXIT_USAGE
    counter = setup_logging(args.debug, args.quiet)
    started = time.perf_counter()
    try:
        summary, failed = _run(args)
    except KeyboardInterrupt:
        print("interrupted: nothing was written by the unfinished build", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ReportError as error:
        if args.debug:
            logging.getLogger("report").exception("traceback")
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(_failure_line(args, len(error.problems)), file=sys.stderr)
        return EXIT_CONTENT
    seconds = time.perf_counter() - started
    warnings = counter.count
    print(f"{summary} in {seconds:.1f} s ({plural(warnings, 'warning')})", file=sys.stderr)
    if args.strict and warnings:
        print(
            "error: --strict: warnings count as errors; fix them or drop --strict", file=sys.stderr
        )
        return EXIT_CONTENT
    return EXIT_CONTENT if failed else EXIT_OK


def _run(args: argparse.Namespace) -> tuple[str, int]:
    """Run the command; return the summary and the number of failed PDFs.

    The pipeline is imported lazily: ``report --help`` stays instant.
    """
    if args.command == "doctor":  # before the pipeline's imports, which it may find broken
        return doctor(args.content_dir)
    from report.app.build import BuildOptions, build
    from report.app.editions import check_editions, plan_editions, plan_web
    from report.app.progress import build_progress

    if args.command == "new":
        return _new(args), 0
    if args.command == "rollover":
        return _rollover(args), 0
    if args.command in ("import", "export"):
        return run_sheet_command(args), 0
    if args.command in LIVE_COMMANDS:
        return run_live_command(args), 0
    if args.command == "check":
        check_editions(args.content_dir, args.edition)
        return f"Checked {display_path(args.content_dir)}: content is valid", 0
    variant = None if args.pdf_variant == "plain" else args.pdf_variant
    options = BuildOptions(
        print_marks=args.print_marks,
        pdf_variant=variant,
        strict=args.strict,
        force=args.force,
        edition=args.edition,
    )
    if getattr(args, "web", False):
        return _run_all(args, options, plan_web(args.content_dir))
    if args.all or args.edition:
        planned = plan_editions(args.content_dir, None if args.all else args.edition)
        if args.all or len(planned) > 1 or planned[0].body or planned[0].web:
            return _run_all(args, options, planned)
    with build_progress(args.content_dir, args.quiet):  # on a terminal only
        result = build(args.content_dir, args.output_dir, options)
    if result.up_to_date:
        return (
            f"{display_path(result.pdf)} is up to date ({result.pages} pages; nothing "
            "changed since the last build, --force rebuilds)"
        ), 0
    return f"Built {display_path(result.pdf)}: {result.pages} pages", 0


def _new(args: argparse.Namespace) -> str:
    from report.app.scaffold import create

    files = create(
        args.folder, args.language, args.items, args.groups, args.item_gender, args.group_gender
    )
    shown = display_path(args.folder)
    return (
        f"Created {shown} ({plural(len(files), 'file')}, a fictional example); build it "
        f"with: report build {shown} --all"
    )


def _rollover(args: argparse.Namespace) -> str:
    from report.app.rollover import rollover

    rolled = rollover(args.content_dir, args.folder, args.date)
    shown = display_path(rolled.folder)
    return (
        f"Rolled over to {shown}: {rolled.measures} statuses moved into the history "
        f"({rolled.old_date.isoformat()}), report date {rolled.new_date.isoformat()}; update "
        "the statuses and rewrite the chapters"
    )


def _run_all(args: argparse.Namespace, options, planned: list) -> tuple[str, int]:
    """Several PDFs in parallel; a table of what was built; failures do not stop others."""
    from functools import partial

    from report.app.editions import build_all, build_job
    from report.app.progress import editions_progress

    run = partial(build_job, args.content_dir, args.output_dir, options)
    with editions_progress(len(planned), args.quiet) as watch:  # on a terminal only
        # The PDFs first, in parallel; then the web editions, which offer them.
        results = []
        for batch in ([job for job in planned if not job.web], [job for job in planned if job.web]):
            if batch:
                results += build_all(
                    run, batch, on_done=watch.finished, worker_setup=watch.worker_setup
                )
    rows = [("edition", "file", "pages", "seconds", "warnings")]
    for result in results:
        built_row = result.pdf is not None
        rows.append(
            (
                result.job.label,
                display_path(result.pdf) if built_row else "FAILED",
                str(result.pages) if built_row else "-",
                f"{result.seconds:.1f}",
                str(result.warnings) if built_row else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)),
            file=sys.stderr,
        )
    failed = [result for result in results if result.error]
    for result in failed:
        print(f"{result.job.label}: {result.error}", file=sys.stderr)
    built = len(results) - len(failed)
    warnings = sum(result.warnings for result in results)
    what = "editions" if any(job.web for job in planned) else "PDFs"
    summary = (
        f"Built {built} of {len(results)} {what} ({plural(warnings, 'warning')} in the editions"
    )
    summary += f", {len(failed)} failed)" if failed else ")"
    return summary, len(failed)


def plural(count: int, noun: str) -> str:
    """'1 warning', '2 warnings'."""
    return f"{count} {noun}{'s' * (count != 1)}"


def _failure_line(args: argparse.Namespace, count: int) -> str:
    plural = "s" if count != 1 else ""
    if args.command == "check":
        return f"Check failed: {count} problem{plural}"
    if args.command in ("new", "rollover"):
        return f"Nothing created: {count} problem{plural}"
    if args.command in ("import", "export"):
        return f"Nothing written: {count} problem{plural}; every file is as it was"
    if args.command in LIVE_COMMANDS:
        return f"Not started: {count} problem{plural}"
    return (
        f"Build failed: {count} problem{plural}; nothing was written "
        f"(any previous PDF in {display_path(args.output_dir)} is unchanged)"
    )
