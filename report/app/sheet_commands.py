"""``report import`` and ``report export`` on the command line (cli.py registers them).

Kept apart from cli.py, which other commands share, and free of heavy imports, so that
``report --help`` stays instant: the work is imported when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from report.errors import display_path


def add_sheet_commands(commands: argparse._SubParsersAction) -> None:
    """The two subcommands and their options."""
    imported = commands.add_parser(
        "import", help="update the data from a spreadsheet (.xlsx, .ods, .csv)"
    )
    imported.add_argument("sheet", type=Path, help="the spreadsheet: .xlsx, .ods or .csv")
    imported.add_argument(
        "--into",
        dest="content_dir",
        default=Path("content"),
        type=Path,
        metavar="CONTENT",
        help="the content folder whose data to update (default: content)",
    )
    imported.add_argument(
        "--dry-run", action="store_true", help="check the sheet and say what would change"
    )
    exported = commands.add_parser("export", help="write the data as a spreadsheet or JSON")
    exported.add_argument(
        "content_dir",
        nargs="?",
        default=Path("content"),
        type=Path,
        help="folder holding report.yaml (default: content)",
    )
    exported.add_argument(
        "-o", "--output", required=True, type=Path, help="the file to write, e.g. mesures.xlsx"
    )
    exported.add_argument(
        "--format",
        choices=("csv", "xlsx", "json"),
        help="csv (the measures), xlsx (a sheet per table) or json (all the data); "
        "default: the output's extension",
    )
    for command in (imported, exported):
        command.set_defaults(strict=False, debug=False, quiet=False, all=False, edition=None)


def run_sheet_command(args: argparse.Namespace) -> str:
    """Run ``import`` or ``export``; return the summary line."""
    if args.command == "export":
        from report.app.sheet_export import export_data

        done = export_data(args.content_dir, args.output, args.format)
        shown = ", ".join(f"{name}: {rows}" for name, rows in done.tables.items())
        return f"Exported {display_path(args.content_dir)} to {display_path(done.path)} ({shown})"
    from report.app.sheet_import import import_sheet

    result = import_sheet(args.sheet, args.content_dir, args.dry_run)
    sheet = display_path(args.sheet)
    if not result.count:
        return f"Imported {sheet}: nothing changed, no file written"
    changed = "; ".join(f"{table} {_keys(keys)}" for table, keys in result.changed.items())
    files = ", ".join(display_path(path) for path in result.files)
    verb = "would update" if args.dry_run else "updated"
    entries = "entry" if result.count == 1 else "entries"
    return f"Imported {sheet}: {result.count} {entries} changed ({changed}); {verb} {files}"


def _keys(keys: list) -> str:
    return ", ".join(str(key) for key in dict.fromkeys(keys))
