"""The web edition: how long ``report build --web`` takes, beside the PDF, and what it weighs.

    python -m benchmarks.web                 # print the section
    python -m benchmarks.web --write         # and put it in BENCHMARKS.md

On a copy of the tree's content/ (the default report), output in a temporary folder:

- *command*: ``report build --web`` in fresh processes: the first run builds the PDFs the
  site offers (in parallel) and then the site; the next runs find the PDFs up to date and
  build the site alone (it has no up-to-date check: it is always rebuilt);
- *in one process*: a child imports the builder, builds the report's PDF and the site
  once each (imports, fonts and chart cache warm), then alternates ``build()`` of the
  report's PDF (``--force``) and ``build_web()`` of the web edition; the builder's own
  ``stage <name> <seconds> s`` debug lines give each stage's time. The stages up to
  ``charts`` read the settings and data and draw the charts, the same for both: what
  follows them is the cost of each output once the data is loaded;
- *size*: the site's folder, the PDFs it offers left out (what a reader downloads to read
  the report online), by kind of file.

``benchmarks/run.py`` runs the same measurement for its Web edition section.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/web.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.processes import log, spawn
from benchmarks.trees import REPO, Tree, working_tree

STAGE = re.compile(r"stage (\S+)\s+([\d.]+) s")
KINDS = {".html": "pages", ".woff2": "fonts", ".png": "images", ".svg": "images"}
KINDS |= {".css": "style and script", ".js": "style and script", ".xml": "sitemap"}


@dataclass
class WebTimes:
    """Everything the Web edition section reports; seconds and bytes."""

    reps: int
    first_command: float = float("nan")  # the PDFs, then the site
    command: list[float] = field(default_factory=list)  # PDFs up to date: the site
    pdf: list[float] = field(default_factory=list)  # build(), in the warm process
    web: list[float] = field(default_factory=list)  # build_web(), in the warm process
    pdf_stages: list[dict[str, float]] = field(default_factory=list)
    web_stages: list[dict[str, float]] = field(default_factory=list)
    pages: int = 0  # HTML pages of the site
    pdf_pages: int = 0
    size: int = 0  # bytes, the PDFs left out
    sizes: dict[str, int] = field(default_factory=dict)  # by kind of file
    pdfs: int = 0  # bytes of the PDFs the site offers
    code: str = ""
    when: str = ""


def child(content: Path, out: Path, reps: int) -> None:
    """In this process: warm up, then ``reps`` alternations; JSON on stdout."""
    from report.app.build import BuildOptions, build
    from report.app.web import build_web
    from report.sources.config import load_config
    from report.sources.editions import web_editions

    stages: list[tuple[str, float]] = []

    class Stages(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if match := STAGE.match(record.getMessage()):
                stages.append((match[1], float(match[2])))

    logger = logging.getLogger("report.app.build")
    logger.addHandler(Stages())
    logger.setLevel(logging.DEBUG)
    logging.getLogger("report").propagate = False  # the builder's warnings, not shown
    edition = web_editions(load_config(content))[0]
    result: dict[str, list] = {"pdf": [], "web": [], "pdf_stages": [], "web_stages": []}

    def timed(kind: str, run) -> object:
        stages.clear()
        started = time.perf_counter()
        made = run()
        result[kind].append(time.perf_counter() - started)
        result[f"{kind}_stages"].append(dict(stages))
        return made

    pdf = build(content, out, BuildOptions(force=True))  # warm-up: the chart cache, fonts
    site = build_web(content, out, BuildOptions(edition=edition))
    for kind in result:
        result[kind].clear()
    for _ in range(reps):
        pdf = timed("pdf", lambda: build(content, out, BuildOptions(force=True)))
        site = timed("web", lambda: build_web(content, out, BuildOptions(edition=edition)))
    result["pdf_pages"], result["pages"], result["size"] = pdf.pages, site.pages, site.size
    result["package"] = str(Path(sys.modules["report"].__file__).parent)
    print(json.dumps(result))


def folder_sizes(folder: Path) -> tuple[dict[str, int], int]:
    """Bytes by kind of file (pages, fonts, images, data, style and script), and PDFs."""
    sizes: dict[str, int] = {}
    pdfs = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            pdfs += path.stat().st_size
            continue
        kind = "data" if path.parent.name == "data" else KINDS.get(path.suffix, "other")
        sizes[kind] = sizes.get(kind, 0) + path.stat().st_size
    return sizes, pdfs


def measure(tree: Tree, scratch: Path, reps: int = 3) -> WebTimes:
    """Copy the tree's content/, run the command and the child, weigh the folder."""
    content = scratch / "web" / "content"
    shutil.copytree(tree.root / "content", content)
    out = scratch / "web" / "out"
    times = WebTimes(reps)
    command = [sys.executable, "-m", "report", "build", str(content), "-o", str(out), "--web"]
    log("web: report build --web, first run (the PDFs, then the site)")
    first = spawn([*command, "-q"], tree.env(), scratch)
    if first.code != 0:
        raise SystemExit(f"report build --web failed:\n{first.stderr}")
    times.first_command = first.wall
    for _ in range(reps):
        times.command.append(spawn([*command, "-q"], tree.env(), scratch).wall)
    sites = [path.parent for path in out.glob("*/index.html")]
    times.sizes, times.pdfs = folder_sizes(sites[0])
    log("web: build() and build_web() in one process")
    warm = subprocess.run(
        [sys.executable, "-m", "benchmarks.web", "--child", str(content), str(out), str(reps)],
        env=tree.env(PYTHONPATH=os.pathsep.join([str(tree.root), str(REPO)])),
        cwd=scratch,
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(warm.stdout.splitlines()[-1])
    if not measured["package"].startswith(str(tree.root)):
        raise SystemExit(f"measured the wrong code: {measured['package']} is not in {tree.root}")
    for name in ("pdf", "web", "pdf_stages", "web_stages", "pages", "pdf_pages", "size"):
        setattr(times, name, measured[name])
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    times.code = tree.label
    times.when = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load}"
    return times


def measure_web(tree: Tree, scratch: Path, reps: int = 3) -> WebTimes | None:
    """``measure()``, when the tree being measured has ``report build --web``."""
    asked = subprocess.run(
        [sys.executable, "-m", "report", "build", "--help"],
        env=tree.env(),
        capture_output=True,
        text=True,
        cwd=scratch,
        check=False,
    )
    return measure(tree, scratch, reps) if "--web" in asked.stdout else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md's section")
    parser.add_argument("--child", nargs=3, metavar=("CONTENT", "OUT", "REPS"), help="internal")
    args = parser.parse_args(argv)
    if args.child:
        content, out, reps = args.child
        child(Path(content), Path(out), int(reps))
        return 0
    from benchmarks.writer.preview import replace_section
    from benchmarks.writer.web import web_section

    with tempfile.TemporaryDirectory(prefix="report-bench-") as scratch:
        times = measure(working_tree(), Path(scratch), args.reps)
    lines = web_section(times, f"{os.cpu_count()} cores")
    print("\n".join(lines))
    if args.write:
        replace_section(REPO / "BENCHMARKS.md", lines)
        log("wrote the Web edition section of BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
