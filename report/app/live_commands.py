"""``report serve`` and ``report watch`` on the command line: their options, and the
call to ``preview.py`` or ``watch.py``.

Imported by ``cli.py`` when it builds its parser, so it imports nothing heavy itself: the
pipeline, watchfiles and the server are imported when one of the commands runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

LIVE_COMMANDS = ("serve", "watch")


def add_live_commands(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="preview the report in the browser as you write")
    watch = commands.add_parser("watch", help="rebuild the PDF on every save")
    for command in (serve, watch):
        command.add_argument(
            "content_dir", nargs="?", default="content", type=Path, help="default: content"
        )
        command.add_argument("--edition", metavar="NAME", help="one edition of report.yaml")
        command.add_argument(
            "-o", "--output-dir", default="build", type=Path, help="for the PDF (default: build)"
        )
        command.add_argument("--debug", action="store_true", help="show stage timings")
        command.set_defaults(strict=False, quiet=False, all=False)
    serve.add_argument("--port", type=port_number, default=0, help="default: a free port")
    serve.add_argument("--open", action="store_true", help="open the preview in the browser")


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535 (0, the default, lets the system choose a free one)."""
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1 to 65535)")
    return int(text)


def run_live_command(args: argparse.Namespace) -> str:
    """Runs until Ctrl-C, which reaches ``cli.main`` as KeyboardInterrupt (exit 130) once
    the server, the watcher and any build in progress are stopped."""
    from report.app.build import BuildOptions
    from report.app.preview import Preview, serve
    from report.app.watch import watch

    if args.command == "serve":
        serve(Preview(args.content_dir, args.output_dir, args.edition), args.port, args.open)
    else:
        watch(args.content_dir, args.output_dir, BuildOptions(edition=args.edition))
    return "Stopped"
