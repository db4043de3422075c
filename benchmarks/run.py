"""Run the builder's benchmarks and write BENCHMARKS.md at the repository root.

    python -m benchmarks.run                 # the working tree, writes BENCHMARKS.md
    python -m benchmarks.run --ref HEAD      # a clean export of a commit (others' edits
                                             # in progress are not measured)
    python -m benchmarks.run --cases default,45 --reps 1 --output /tmp/quick.md

Every build runs in a fresh subprocess, so Python start-up and imports are counted, and
its peak memory is the child's own maximum resident set size (``os.wait4``). See
BENCHMARKS.md ("Method") for what is measured and how.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import add_editions, generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHILD = HERE / "_child.py"
BIN = Path(sys.executable).parent
SYNTHETIC_SIZES = (45, 180, 720)
TARGET_OVERHEAD = 1.10
TARGET_LINEAR = 1.2
TARGET_UNCHANGED = 0.5
VARIANT = "pdf/a-3a"  # the builder's default (BuildOptions.pdf_variant)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes


@dataclass
class Run:
    """One finished subprocess."""

    wall: float
    maxrss_mb: float
    code: int
    stderr: str
    spawned: float  # time.time() just before the process was started
    child: dict = field(default_factory=dict)  # what benchmarks/_child.py recorded


def spawn(command: list[str], env: dict[str, str], scratch: Path) -> Run:
    """Run ``command``; wall time around fork-exec-wait, peak RSS of that child alone."""
    out, err = scratch / "stdout.txt", scratch / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        spawned = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env, cwd=scratch)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        wall,
        usage.ru_maxrss / 1024,
        process.returncode,
        err.read_text(encoding="utf-8", errors="replace"),
        spawned,
    )


@dataclass
class Tree:
    """The code being measured: a folder holding report/, styles/ and content/."""

    root: Path
    label: str

    @property
    def entry(self) -> str:
        """The ``report`` console script the tree declares (pyproject.toml), module:function."""
        try:
            with (self.root / "pyproject.toml").open("rb") as handle:
                scripts = tomllib.load(handle)["project"]["scripts"]
            return scripts["report"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "report.app.cli:main"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(self.root), env.get("PYTHONPATH", "")])
        )
        env.pop("BENCH_PROFILE", None)
        env.update(extra)
        return env


def executable(name: str) -> str:
    """The real console script beside this interpreter (not a pyenv shim), else PATH's."""
    candidate = BIN / name
    return str(candidate) if candidate.is_file() else (shutil.which(name) or name)


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
    logged = set(run.child["stages"])  # the builder's own `stage <name> <s> s` debug lines
    timed = {key[len("stage-") :] for key in run.child["timings"] if key.startswith("stage-")}
    if logged != timed:
        log(f"warning: stages logged {sorted(logged)} differ from stages timed {sorted(timed)}")
    if "Built " not in run.stderr and "up to date" not in run.stderr:
        raise SystemExit(f"unexpected builder output:\n{run.stderr[-2000:]}")
    return run


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


def stylesheets(tree: Tree, content: Path) -> list[Path]:
    """What report.app.build.stylesheet_paths gives without --print."""
    return [tree.root / "styles" / "report.css", *sorted((content / "styles").glob("*.css"))]


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
    match = re.search(r"Built (.+?): (\d+) pages", run.stderr)
    if not match:
        raise SystemExit(f"no 'Built ...' line in:\n{run.stderr[-2000:]}")
    return Path(match.group(1)), int(match.group(2))


def warnings_in(run: Run) -> int:
    match = re.search(r"\((\d+) warnings?\)", run.stderr)
    return int(match.group(1)) if match else -1


def pdf_pages(path: Path) -> int | None:
    try:
        import pypdf
    except ImportError:
        return None
    return len(pypdf.PdfReader(str(path)).pages)


# --------------------------------------------------------------------------- stage rows

ROWS = (
    ("startup", "Python start-up (interpreter, before the first line runs)"),
    ("imports", "Imports (report.app.cli, report.app.build, WeasyPrint)"),
    ("fingerprint", "Up-to-date check (input fingerprint, last build record)"),
    ("config", "config"),
    ("data", "data"),
    ("compute", "compute"),
    ("charts", "charts"),
    ("content", "content"),
    ("templates", "templates"),
    ("font_check", "font check (fc-list)"),
    ("layout", "WeasyPrint layout (HTML/CSS parsing + layout)"),
    ("layout_proper", "   of which `HTML.render()` (style + layout)"),
    ("write_pdf", "PDF write (`Document.write_pdf`, pdf/a-3a)"),
    ("tagging", "tagged-PDF repair (report/output/tagging/ `fix_tags`, pikepdf)"),
    ("summaries", "page summaries for the gate (report/output/render.py `summarise`)"),
    ("verify", "verification (`verify`)"),
    ("extra_stages", "other `_step` stages (newer than this script; named under the table)"),
    ("write_outputs", "write PDF, HTML and build record"),
    ("attachments", "attachments export (measures as CSV and YAML)"),
    ("environment", "Jinja environment and components set-up"),
    ("other", "other (CLI parsing, logging set-up, MD5 of the HTML, ...)"),
    ("exit", "interpreter exit (freeing the heap, after `main` returned)"),
)
COUNTED = [key for key, _ in ROWS if key not in ("layout_proper", "other")]


STAGES = ("config", "data", "compute", "charts", "content", "templates", "render", "verify")


def extra_stages(runs: list[Run]) -> list[str]:
    return sorted(
        {
            key[len("stage-") :]
            for run in runs
            for key in run.child["timings"]
            if key.startswith("stage-") and key[len("stage-") :] not in STAGES
        }
    )


def rows_of(run: Run) -> dict[str, float]:
    child = run.child
    timing = child["timings"]
    stage = {
        key[len("stage-") :]: value for key, value in timing.items() if key.startswith("stage-")
    }
    render = stage.get("render", 0.0)
    write = timing.get("weasyprint_write_pdf", 0.0)
    summaries = timing.get("page_summaries", 0.0)
    tagging = timing.get("tagging", 0.0)
    row = {
        "startup": child["imports_started"] - run.spawned,
        "imports": child["imports_done"] - child["imports_started"],
        "fingerprint": timing.get("fingerprint", 0.0) + timing.get("previous_build", 0.0),
        **{
            name: stage.get(name, 0.0)
            for name in ("config", "data", "compute", "charts", "content", "templates", "verify")
        },
        "font_check": timing.get("font_check", 0.0),
        "layout": render - write - summaries - tagging,
        "tagging": tagging,
        "layout_proper": timing.get("weasyprint_layout", 0.0),
        "write_pdf": write,
        "summaries": summaries,
        "write_outputs": timing.get("write_outputs", 0.0),
        "attachments": timing.get("attachments", 0.0),
        "environment": timing.get("environment", 0.0),
        "exit": run.spawned + run.wall - child["finished"],
        "extra_stages": sum(value for name, value in stage.items() if name not in STAGES),
    }
    row["other"] = run.wall - sum(row[key] for key in COUNTED)
    row["total"] = run.wall
    return row


def marginal_slopes(cases: list[Case]):
    """((s/page 45→180, s/page 180→720), (MB/page 45→180, MB/page 180→720)), or None."""
    by_name = {case.name: case for case in cases}
    if not all(str(n) in by_name for n in SYNTHETIC_SIZES):
        return None
    a, b, c = (by_name[str(n)] for n in SYNTHETIC_SIZES)

    def slope(x: Case, y: Case, value) -> float:
        return (value(y) - value(x)) / (y.pages - x.pages)

    def wall(case: Case) -> float:
        return case.builder_median()

    def rss(case: Case) -> float:
        return case.rss_median()

    return ((slope(a, b, wall), slope(b, c, wall)), (slope(a, b, rss), slope(b, c, rss)))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------- one case


@dataclass
class Case:
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
    log(f"{case.name}: first build (empty output folder and chart cache)")
    shutil.rmtree(case.out, ignore_errors=True)
    case.cold = builder(tree, case.content, case.out, scratch)
    pdf, case.pages = built(case.cold)
    pdf = case.out / pdf.name  # the summary line shows it relative to the child's cwd
    case.warnings = warnings_in(case.cold)
    html = pdf.with_suffix(".html")
    case.chart_files = len(list((case.out / ".cache" / "charts").glob("*.svg")))

    log(f"{case.name}: second and later builds, nothing changed")
    for _ in range(3):
        case.unchanged.append(console_build(tree, case.content, case.out, scratch))
    case.unchanged_detail = builder(tree, case.content, case.out, scratch, preimport=False)

    raw_pdf = scratch / f"raw-{case.name}.pdf"
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
    case.pdf_size = pdf.stat().st_size
    case.raw_size = raw_pdf.stat().st_size
    case.raw_pages = pdf_pages(raw_pdf)
    case.flexgrid = flex_grid_uses(tree, case, html)
    if raw_detail:
        log(f"{case.name}: raw weasyprint main() under timers, once")
        case.raw_detail = raw_weasyprint(
            tree, case.content, html, raw_pdf, scratch, instrumented=True
        )

    if edit:  # the cheap cases only: each check below may rebuild the whole document
        log(f"{case.name}: plain build right after the --force builds")
        case.after_force = console_build(tree, case.content, case.out, scratch)
        log(f"{case.name}: text-only edit, then rebuild without --force")
        cache = case.out / ".cache" / "charts"
        case.edit_cache_before = len(list(cache.glob("*.svg")))
        chapter = sorted((case.content / "chapters").glob("*.md"))[-1]
        with chapter.open("a", encoding="utf-8") as handle:
            handle.write(
                "\nParagraphe ajouté par les benchmarks : une modification du texte "
                "seul, sans toucher aux données.\n"
            )
        case.edit = builder(tree, case.content, case.out, scratch, preimport=False)
        case.edit_cache_after = len(list(cache.glob("*.svg")))


@dataclass
class Batch:
    """``report build --all``: every edition of a synthetic project, in parallel."""

    content: Path
    out: Path
    cold: Run | None = None
    forced: list[Run] = field(default_factory=list)
    after_force: Run | None = None
    unchanged: Run | None = None

    @staticmethod
    def table(run: Run) -> list[dict[str, str]]:
        """The rows of the table ``--all`` prints (edition, file, pages, seconds, warnings)."""
        rows, header = [], None
        for line in run.stderr.splitlines():
            cells = line.split()
            if cells[:2] == ["edition", "file"]:
                header = cells
            elif header and len(cells) == len(header) and not line.startswith("Built"):
                rows.append(dict(zip(header, cells, strict=True)))
        return rows


def run_batch(tree: Tree, batch: Batch, reps: int, scratch: Path) -> None:
    def all_editions(*flags: str) -> Run:
        run = spawn(
            [
                sys.executable,
                "-m",
                "report",
                "build",
                str(batch.content),
                "-o",
                str(batch.out),
                "--all",
                *flags,
            ],
            tree.env(),
            scratch,
        )
        if run.code != 0 or not Batch.table(run):
            raise SystemExit(f"report build --all failed ({run.code}):\n{run.stderr[-3000:]}")
        return run

    log("editions: report build --all (empty output folder)")
    shutil.rmtree(batch.out, ignore_errors=True)
    batch.cold = all_editions()
    for rep in range(1, reps + 1):
        log(f"editions: report build --all --force, {rep}/{reps}")
        batch.forced.append(all_editions("--force"))
    log("editions: report build --all twice, nothing changed")
    batch.after_force = all_editions()
    batch.unchanged = all_editions()


def batch_section(batch: Batch) -> list[str]:
    cold, unchanged = Batch.table(batch.cold), Batch.table(batch.unchanged)
    forced = [Batch.table(run) for run in batch.forced]
    lines = [
        "`report build --all` on the 45-measure synthetic project with three editions "
        "declared (benchmarks/synthetic.py `add_editions`: a one-page brief, a dossier "
        "with cover letter for each of the 5 bodies, the measures of axis 1), plus the "
        "full report: 8 PDFs, built by a pool of worker processes "
        f"({os.cpu_count()} cores here). Seconds per PDF are the ones `--all` prints.",
        "",
        "| Edition | Pages | first run (s) | `--force`, median (s) | next run, after "
        "`--force` (s) | nothing changed (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    after = Batch.table(batch.after_force)
    for index, row in enumerate(cold):
        seconds = median([float(table[index]["seconds"]) for table in forced])
        lines.append(
            f"| {row['edition']} | {row['pages']} | {row['seconds']} | "
            f"{seconds:.1f} | {after[index]['seconds']} | "
            f"{unchanged[index]['seconds']} |"
        )
    total_cpu = median([sum(float(row["seconds"]) for row in table) for table in forced])
    wall = median([run.wall for run in batch.forced])
    lines += [
        "",
        f"Whole command, wall: first run {fmt(batch.cold.wall)} s, `--force` "
        f"{fmt(wall)} s (median of {len(batch.forced)}), then without `--force`: "
        f"{fmt(batch.after_force.wall)} s right after the `--force` runs and "
        f"{fmt(batch.unchanged.wall)} s the time after (nothing changed either time). "
        f"The per-PDF times add up to {total_cpu:.1f} s with `--force`, so the pool runs "
        f"them {total_cpu / wall:.1f} times faster than one after the other would "
        "(start-up and imports are paid once per worker). "
        f"Peak memory of the largest process: "
        f"{median([run.maxrss_mb for run in batch.forced]):.0f} MB. "
        "No target is set for editions.",
        "",
    ]
    return lines


# --------------------------------------------------------------------------- profile and imports


def profile_default(tree: Tree, content: Path, scratch: Path) -> tuple[Run, dict]:
    """One cold default-content build under cProfile, one profile per stage."""
    folder = scratch / "profile"
    shutil.rmtree(folder, ignore_errors=True)
    out = scratch / "profile-out"
    shutil.rmtree(out, ignore_errors=True)
    run = builder(tree, content, out, scratch, "--force", profile=folder)
    sections = {}
    for path in sorted(folder.glob("*.prof")):
        stats = pstats.Stats(str(path))
        sections[path.stem] = (
            stats.total_tt,
            top_functions(stats, tree, "cumulative", 8),
            top_functions(stats, tree, "own", 5),
        )
    return run, sections


def short(function: tuple[str, int, str], tree: Tree) -> str:
    filename, line, name = function
    if filename == "~":
        return name
    text = filename
    for prefix in (str(tree.root) + "/", *[p + "/" for p in sys.path if "site-packages" in p]):
        text = text.replace(prefix, "")
    text = re.sub(r".*/lib/python3\.\d+/", "", text)
    return f"{text}:{line} {name}"


def top_functions(stats: pstats.Stats, tree: Tree, key: str, count: int) -> list[tuple]:
    """(function, calls, self seconds, cumulative seconds), best first."""
    rows = []
    for function, (_, calls, self_time, cumulative, _) in stats.stats.items():
        label = short(function, tree)
        if "_child.py" in function[0] or "_lsprof" in label or function[2] == "disable":
            continue
        rows.append((label, calls, self_time, cumulative))
    index = 3 if key == "cumulative" else 2
    return sorted(rows, key=lambda row: -row[index])[:count]


def import_times(tree: Tree, scratch: Path, module: str) -> list[tuple[str, float]]:
    """Cumulative import time per top-level package for ``import <module>`` (-X importtime)."""
    run = spawn([sys.executable, "-X", "importtime", "-c", f"import {module}"], tree.env(), scratch)
    totals: dict[str, float] = {}
    for line in run.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| *(\S+)", line)
        if match:
            root = match.group(3).split(".")[0].lstrip("_")
            totals[root] = totals.get(root, 0.0) + int(match.group(1)) / 1e6
    return sorted(totals.items(), key=lambda item: -item[1])


# --------------------------------------------------------------------------- machine


def machine(tree: Tree) -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    weasy = subprocess.run(
        [executable("weasyprint"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    pydyf = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pydyf, tinycss2, matplotlib; "
            "print(pydyf.__version__, tinycss2.__version__, "
            "matplotlib.__version__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return {
        "CPU": cpu,
        "Cores": f"{os.cpu_count()} logical, {len(os.sched_getaffinity(0))} usable",
        "RAM": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_version()} ({sys.executable})",
        "WeasyPrint": weasy.replace("WeasyPrint version ", ""),
        "pydyf / tinycss2 / matplotlib": " / ".join(pydyf) or "unknown",
        "Code measured": tree.label,
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Load average at start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------- report


def fmt(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.2f}"


def mb(size: float) -> str:
    return f"{size / 1e6:.2f} MB"


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"


def raw_rows(run: Run) -> dict[str, float]:
    """The instrumented raw run's phases, on the same rows as the builder's."""
    child, timing = run.child, run.child["timings"]
    row = {
        "startup": child["imports_started"] - run.spawned,
        "imports": child["imports_done"] - child["imports_started"],
        "layout": timing.get("weasyprint_parse_html", 0.0) + timing.get("weasyprint_layout", 0.0),
        "layout_proper": timing.get("weasyprint_layout", 0.0),
        "write_pdf": timing.get("weasyprint_write_pdf", 0.0),
        "exit": run.spawned + run.wall - child["finished"],
    }
    row["other"] = run.wall - sum(value for key, value in row.items() if key != "layout_proper")
    row["total"] = run.wall
    return row


def case_table(case: Case) -> list[str]:
    cold = rows_of(case.cold)
    reps = [rows_of(run) for run in case.builds]
    raw = raw_rows(case.raw_detail) if case.raw_detail is not None else None
    total = case.builder_median()
    lines = [
        f"### {case.title}",
        "",
        f"{case.pages} pages, builder PDF {mb(case.pdf_size)}, raw WeasyPrint PDF "
        f"{mb(case.raw_size)}"
        + (f" ({case.raw_pages} pages)" if case.raw_pages is not None else "")
        + f"; {case.chart_files} charts; {case.warnings} build warnings; "
        f"{len(case.builds)} repetitions (medians).",
        "",
        "| Stage | first build, charts drawn (s) | rebuild `--force`, median (s) "
        "| share | min–max (s) |"
        + (" raw `weasyprint` main() under the same timers, 1 run (s) |" if raw else ""),
        "|---|---:|---:|---:|---:|" + ("---:|" if raw else ""),
    ]
    for key, label in ROWS:
        values = [row[key] for row in reps]
        value = median(values)
        extra = ""
        if raw:
            extra = f" {fmt(raw[key])} |" if key in raw else " |"
            if key == "other":
                extra = f" {fmt(raw[key])} (CLI, CSS files, exit code) |"
        lines.append(
            f"| {label} | {fmt(cold[key])} | {fmt(value)} | "
            f"{100 * value / total:.0f} % | {fmt(min(values))}–{fmt(max(values))} |" + extra
        )
    walls = [run.wall for run in case.builds]
    lines.append(
        f"| **Builder end to end (wall)** | **{fmt(case.cold.wall)}** | "
        f"**{fmt(total)}** | 100 % | {fmt(min(walls))}–{fmt(max(walls))} |" + (" |" if raw else "")
    )
    raws = [run.wall for run in case.raws]
    lines.append(
        f"| **Raw `weasyprint` CLI, same HTML and CSS (wall)** | | "
        f"**{fmt(case.raw_median())}** | {100 * case.raw_median() / total:.0f} % | "
        f"{fmt(min(raws))}–{fmt(max(raws))} |" + (f" **{fmt(raw['total'])}** |" if raw else "")
    )
    peaks = case.builds[0].child.get("peaks_kb", {})
    marks = [
        (label, peaks[key])
        for key, label in (
            ("imports", "imports"),
            ("stage-templates", "templates"),
            ("weasyprint_layout", "layout"),
            ("weasyprint_write_pdf", "PDF write"),
            ("tagging", "tagged-PDF repair"),
            ("page_summaries", "page summaries"),
            ("stage-verify", "verification"),
        )
        if key in peaks
    ]
    extra = extra_stages([case.cold, *case.builds])
    missing = sorted(
        {name for run in case.builds for name in run.child.get("not_instrumented", ())}
    )
    lines += [
        "",
        (f"Stages not known to this script: {', '.join(extra)}. " if extra else "")
        + (f"Not found, so not timed: {', '.join(missing)}. " if missing else "")
        + (
            (
                "Memory high-water mark of the first `--force` run at the end of: "
                + ", ".join(f"{label} {kb / 1024:.0f} MB" for label, kb in marks)
                + f"; whole process {case.builds[0].maxrss_mb:.0f} MB. "
            )
            if marks
            else ""
        )
        + f"Peak memory (max RSS): builder {case.rss_median():.0f} MB median "
        f"(first build {case.cold.maxrss_mb:.0f} MB), raw WeasyPrint "
        f"{median([run.maxrss_mb for run in case.raws]):.0f} MB. "
        f"Overhead ratio (builder / raw, medians): **{case.overhead():.2f}**. "
        f"Per page: {total / case.pages * 1000:.0f} ms and "
        f"{case.rss_median() / case.pages:.2f} MB (raw WeasyPrint "
        f"{case.raw_median() / case.pages * 1000:.0f} ms).",
        "",
    ]
    return lines


def write_report(
    path: Path,
    tree: Tree,
    info: dict,
    cases: list[Case],
    profile: tuple[Run, dict] | None,
    imports: dict,
    baseline: float,
    shim: Run | None,
    batch: Batch | None,
    command: str,
    elapsed: float,
    load_end: tuple[float, float, float],
    facts: dict[str, bool],
) -> None:
    by_name = {case.name: case for case in cases}
    lines = [
        "# Benchmarks",
        "",
        "Generated by `benchmarks/run.py`; do not edit by hand (the notes are written in "
        "that script). Regenerate with:",
        "",
        "```",
        command,
        "```",
        "",
        f"This run took {elapsed / 60:.1f} min; load average at the end "
        f"{' / '.join(f'{x:.2f}' for x in load_end)} (other processes on the "
        "machine compete for its cores and make the timings noisier).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {key} | {value} |" for key, value in info.items()]
    lines += [
        "",
        f"Bare interpreter start-up (`python -c pass`, median of 5): {baseline * 1000:.0f} ms.",
        "",
    ]

    # ---- targets
    lines += ["## Targets", "", "| Target | Measured | Limit | Result |", "|---|---:|---:|---|"]
    for name in ("default", "720"):
        if name in by_name:
            case = by_name[name]
            ratio = case.overhead()
            lines.append(
                f"| Overhead ratio, {case.title}: builder end to end / raw "
                f"`weasyprint` ({fmt(case.builder_median())} / "
                f"{fmt(case.raw_median())} s, medians of {len(case.builds)}) | "
                f"{ratio:.2f} | ≤ {TARGET_OVERHEAD:.2f} | "
                f"{verdict(ratio <= TARGET_OVERHEAD)} |"
            )
    if "45" in by_name and "720" in by_name:
        small, large = by_name["45"], by_name["720"]
        for what, unit, value in (
            ("Time", "ms", lambda c: c.builder_median() * 1000),
            ("Memory", "MB", lambda c: c.rss_median()),
        ):
            ratio = (value(large) / large.pages) / (value(small) / small.pages)
            lines.append(
                f"| {what} per page, 720 / 45 measures "
                f"({value(large) / large.pages:.2f} / "
                f"{value(small) / small.pages:.2f} {unit}) | {ratio:.2f} | "
                f"≤ {TARGET_LINEAR:.1f} | {verdict(ratio <= TARGET_LINEAR)} |"
            )
    for case in cases:
        unchanged = median([run.wall for run in case.unchanged])
        said = all("is up to date" in run.stderr for run in case.unchanged)
        lines.append(
            f"| Unchanged second `report build`, {case.title} (median of "
            f"{len(case.unchanged)}; says “up to date”: {'yes' if said else 'NO'}) | "
            f"{unchanged:.3f} s | ≤ {TARGET_UNCHANGED} s | "
            f"{verdict(unchanged <= TARGET_UNCHANGED and said)} |"
        )
    settled = [case for case in cases if case.after_force is not None]
    if settled:
        rebuilt = [case for case in settled if "is up to date" not in case.after_force.stderr]
        lines.append(
            "| Extra check: the first plain `report build` after `--force` builds of the same "
            "inputs says “up to date” | "
            + (
                f"rebuilt in {len(rebuilt)} of {len(settled)} cases ("
                + ", ".join(f"{case.name}: {fmt(case.after_force.wall)} s" for case in rebuilt)
                + ")"
                if rebuilt
                else f"up to date in all {len(settled)} cases"
            )
            + f" | up to date | {verdict(not rebuilt)} |"
        )
    for case in cases:
        if case.edit is not None:
            child = case.edit.child
            ok = (
                not child["matplotlib_imported"]
                and child["counts"]["charts_drawn"] == 0
                and case.edit_cache_after == case.edit_cache_before
                and "Built " in case.edit.stderr
            )
            lines.append(
                f"| Text-only edit, {case.title}: charts redrawn / matplotlib imported "
                f"(fresh process) | {child['counts']['charts_drawn']} / "
                f"{'yes' if child['matplotlib_imported'] else 'no'} | 0 / no | {verdict(ok)} |"
            )
    slopes = marginal_slopes(cases)
    if slopes is not None:
        uses = sorted({use for case in cases for use in case.flexgrid})
        (low, high), _ = slopes
        lines.append(
            f"| No flex/grid container (stylesheets and final HTML of every case), "
            f"and the 720-measure project stays linear: marginal time per page "
            f"180→720 / 45→180 ({high * 1000:.0f} / {low * 1000:.0f} ms) | "
            f"{len(uses)} found{': ' + ', '.join(uses) if uses else ''}; "
            f"{high / low:.2f} | 0; ≤ {TARGET_LINEAR:.1f} | "
            f"{verdict(not uses and high / low <= TARGET_LINEAR)} |"
        )
    lines += [""]

    # ---- method
    entry = next(
        (
            case.cold.child.get("entry")
            for case in cases
            if case.cold is not None and case.cold.child.get("entry")
        ),
        tree.entry,
    )
    lines += [
        "## Method",
        "",
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
        "",
        "How:",
        "",
        "- Each builder run is a fresh subprocess, `python benchmarks/_child.py build "
        "CONTENT -o OUT [--force]`, which calls the console script's function declared "
        f"in the tree's pyproject.toml (`{entry}`) as the `report` script does, "
        "with a logging handler on `report.app.build` and thin timers "
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
        f"(`styles/report.css` and the content's `styles/*.css`), `--pdf-variant {VARIANT}` "
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
        "",
    ]

    # ---- cases
    lines += ["## Cases", ""]
    for case in cases:
        lines += case_table(case)

    # ---- linearity
    synthetic = [by_name[str(n)] for n in SYNTHETIC_SIZES if str(n) in by_name]
    if synthetic:
        lines += [
            "## Scaling",
            "",
            "| Measures | Pages | PDF | Builder (s) | ms/page | Peak RSS (MB) | MB/page | "
            "Raw WeasyPrint (s) | Raw ms/page | Overhead |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for case in synthetic:
            lines.append(
                f"| {case.measures} | {case.pages} | {mb(case.pdf_size)} | "
                f"{fmt(case.builder_median())} | {case.builder_median() / case.pages * 1000:.0f} | "
                f"{case.rss_median():.0f} | {case.rss_median() / case.pages:.2f} | "
                f"{fmt(case.raw_median())} | {case.raw_median() / case.pages * 1000:.0f} | "
                f"{case.overhead():.2f} |"
            )
        slopes = marginal_slopes(cases)
        if slopes is not None:
            (low, high), (low_mb, high_mb) = slopes
            lines += [
                "",
                "Marginal cost per extra page (fixed costs such as start-up, imports and "
                "the resident baseline cancel out): "
                f"{low * 1000:.0f} ms and {low_mb:.2f} MB per page from 45 to 180 "
                f"measures, {high * 1000:.0f} ms and {high_mb:.2f} MB per page from 180 "
                "to 720. Equal numbers mean linear growth; quadratic layout (a flex or "
                "grid container spanning pages, say) would make the second much larger.",
                "",
            ]
        else:
            lines += [""]

    # ---- what-if
    tried = [case for case in cases if case.whatif]
    if tried:
        lines += [
            "## What-if: no cyclic garbage collection in the whole render stage",
            "",
            "Not the builder as shipped: in the first "
            f"{max(len(case.whatif) for case in tried)} repetition(s), a third run (after "
            "raw and builder) has Python's cyclic garbage collector disabled for the "
            "whole render stage, tagged-PDF repair included (`BENCH_GC=off-during-render`: "
            "benchmarks/_child.py wraps `report.app.build.render_pdf` and "
            "`report.output.render.fix_tags` in `gc.disable()` / `gc.enable()`). WeasyPrint "
            "allocates millions of small objects and keeps them alive until it returns, "
            "so every full collection meanwhile walks an ever larger heap and frees "
            "nothing. "
            + (
                "The measured `render_pdf` already disables the collector during layout "
                "and PDF write, so what remains here is the repair that follows."
                if facts.get("gc_off_in_render")
                else ""
            ),
            "",
            "| Case | Pages | Builder as is (s) | Builder, GC off (s) | Change | "
            "Peak RSS as is / GC off (MB) | ms/page as is / GC off | "
            "Overhead ratio as is / GC off |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for case in tried:
            after = median([run.wall for run in case.whatif])
            rss = median([run.maxrss_mb for run in case.whatif])
            lines.append(
                f"| {case.title} | {case.pages} | {fmt(case.builder_median())} | {fmt(after)} | "
                f"{100 * (after / case.builder_median() - 1):+.0f} % | "
                f"{case.rss_median():.0f} / {rss:.0f} | "
                f"{case.builder_median() / case.pages * 1000:.0f} / "
                f"{after / case.pages * 1000:.0f} | "
                f"{case.overhead():.2f} / {after / case.raw_median():.2f} |"
            )
        if "45" in by_name and "720" in by_name and by_name["720"].whatif:
            small, large = by_name["45"], by_name["720"]

            def per_page(case: Case, attribute: str) -> float:
                return median([getattr(run, attribute) for run in case.whatif]) / case.pages

            lines += [
                "",
                "With the GC off for the whole render stage, time per page at 720 "
                f"measures "
                f"is {per_page(large, 'wall') / per_page(small, 'wall'):.2f} times that "
                f"at 45 (target ≤ {TARGET_LINEAR}) and memory per page "
                f"{per_page(large, 'maxrss_mb') / per_page(small, 'maxrss_mb'):.2f} "
                f"times (medians of {len(large.whatif)} runs, against the builder's "
                "medians).",
            ]
        lines += [""]

    # ---- unchanged / edit detail
    lines += [
        "## Unchanged build and text-only edit",
        "",
        "| Case | unchanged, `python -m report build`: runs (s) | says up to date | "
        "breakdown of one "
        "instrumented unchanged run | text-only edit rebuild (s) |",
        "|---|---|---|---|---:|",
    ]
    for case in cases:
        detail = case.unchanged_detail
        child = detail.child
        startup = child["imports_started"] - detail.spawned
        imported = child["imports_done"] - child["imports_started"]
        check = child["timings"].get("fingerprint", 0) + child["timings"].get("previous_build", 0)
        edit = f"{fmt(case.edit.wall)}" if case.edit is not None else "not measured"
        lines.append(
            f"| {case.title} | {', '.join(f'{run.wall:.3f}' for run in case.unchanged)} | "
            f"{'yes' if all('is up to date' in r.stderr for r in case.unchanged) else 'NO'} | "
            f"start-up {startup:.3f}, imports {imported:.3f}, fingerprint + record check "
            f"{check:.3f}, rest {detail.wall - startup - imported - check:.3f} (total "
            f"{detail.wall:.3f}) | {edit} |"
        )
    if shim is not None:
        lines += [
            "",
            f"Through the pyenv shim `{shutil.which('report')}` the same unchanged "
            f"build takes {shim.wall:.3f} s (the shim runs `pyenv` in bash first); the "
            "figures above use the real console script.",
        ]
    lines += [""]

    # ---- imports
    if imports:
        lines += [
            "## Import time",
            "",
            "`python -X importtime -c 'import X'` (one run each, fresh process): total, "
            "then the own import time of each package's modules, largest first. The "
            "unchanged build pays the `report.app.build` line (report/app/build.py imports every "
            "stage at the top); WeasyPrint is imported only when a PDF is rendered, "
            "matplotlib only when a chart is drawn.",
            "",
        ]
        for module, rows in imports.items():
            total = sum(seconds for _, seconds in rows)
            lines.append(
                f"- `import {module}`: {total:.3f} s in all; "
                + ", ".join(f"{name} {seconds:.3f}" for name, seconds in rows[:8])
            )
        lines += [""]

    # ---- profile
    if profile is not None:
        run, sections = profile
        lines += [
            "## Where the time goes (cProfile, default content, first build)",
            "",
            f"One default-content build with an empty chart cache under cProfile (one "
            f"profile per stage, nested sections paused; {fmt(run.wall)} s wall with "
            f"profiling, against {fmt(by_name['default'].cold.wall)} s "
            "without). Top functions by cumulative time, then by own time, per stage; "
            "times are inflated by the profiler, the proportions are what matters.",
            "",
        ]
        order = [
            "stage-config",
            "stage-data",
            "stage-compute",
            "stage-charts",
            "stage-content",
            "stage-templates",
            "font_check",
            "stage-render",
            "weasyprint_parse_html",
            "weasyprint_parse_css",
            "weasyprint_layout",
            "weasyprint_write_pdf",
            "tagging",
            "page_summaries",
            "stage-verify",
            "fingerprint",
            "attachments",
            "environment",
            "write_outputs",
        ]
        titles = {
            "stage-render": "render stage, outside the sections below "
            "(font configuration, fetcher, attachments)",
            "weasyprint_layout": "WeasyPrint `HTML.render()` (layout)",
            "weasyprint_write_pdf": "PDF write",
            "weasyprint_parse_html": "WeasyPrint HTML parsing",
            "weasyprint_parse_css": "WeasyPrint CSS parsing (`CSS()` objects)",
            "page_summaries": "page summaries (report/output/render.py)",
            "tagging": "tagged-PDF repair (report/output/tagging/)",
            "attachments": "attachments export (report/output/attachments.py)",
            "environment": "Jinja environment and components set-up",
        }
        order += sorted(name for name in sections if name not in order)
        for name in order:
            if name not in sections:
                continue
            total, by_cumulative, by_own = sections[name]
            if total < 0.02:
                lines.append(
                    f"- **{titles.get(name, name.replace('stage-', ''))}**: "
                    f"{total:.3f} s (negligible)"
                )
                continue
            lines += [
                "",
                f"**{titles.get(name, name.replace('stage-', ''))}**: "
                f"{total:.2f} s under the profiler",
                "",
                "| cumulative (s) | own (s) | calls | function |",
                "|---:|---:|---:|---|",
            ]
            seen = set()
            for label, calls, own, cumulative in by_cumulative:
                seen.add(label)
                lines.append(f"| {cumulative:.3f} | {own:.3f} | {calls} | `{label}` |")
            for label, calls, own, cumulative in by_own:
                if label not in seen:
                    lines.append(f"| {cumulative:.3f} | {own:.3f} | {calls} | `{label}` |")
        lines += [""]

    # ---- batch
    lines += ["## Editions (batch) case", ""]
    if batch is not None:
        lines += batch_section(batch)
    else:
        lines += [
            "Not available yet: `report build --help` has no `--all` option, so there is "
            "no batch build of several editions to measure.",
            "",
        ]

    lines += analysis(by_name, profile, facts)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


OWN_STAGES = (
    "fingerprint",
    "config",
    "data",
    "compute",
    "charts",
    "content",
    "templates",
    "font_check",
    "tagging",
    "summaries",
    "verify",
    "extra_stages",
    "write_outputs",
    "attachments",
    "environment",
    "other",
)


def overhead_parts(case: Case) -> str:
    """Builder minus raw, split into rows (needs the instrumented raw run)."""
    rows = [rows_of(run) for run in case.builds]

    def builder(key: str) -> float:
        return median([row[key] for row in rows])

    gap = case.builder_median() - case.raw_median()
    text = (
        f"the builder takes {fmt(gap)} s more than the raw command "
        f"({fmt(case.builder_median())} against {fmt(case.raw_median())} s)"
    )
    if case.raw_detail is None:
        return text + "."
    raw = raw_rows(case.raw_detail)
    own = sum(builder(key) for key in OWN_STAGES)
    parts = [
        (
            "its own stages and glue (config to templates, tagged-PDF repair, "
            "attachments, summaries, verification, writes)",
            own,
        ),
        (
            "more imports (its own stack: pydantic, Jinja, markdown-it, Babel, YAML, pikepdf)",
            builder("imports") - raw["imports"],
        ),
        ("WeasyPrint layout, same HTML", builder("layout") - raw["layout"]),
        ("PDF write", builder("write_pdf") - raw["write_pdf"]),
        ("interpreter exit", builder("exit") - raw["exit"]),
    ]
    weasy = builder("layout") + builder("write_pdf")
    alone = raw["layout"] + raw["write_pdf"]
    if weasy < 0.95 * alone:
        reading = (
            f" WeasyPrint itself is faster inside the builder ({fmt(weasy)} against "
            f"{fmt(alone)} s for layout and PDF write): the builder turns the garbage "
            "collector off while WeasyPrint works, the raw command does not."
        )
    elif weasy > 1.05 * alone:
        reading = (
            f" WeasyPrint itself is {100 * (weasy / alone - 1):.0f} % slower inside the "
            "builder than alone on the same HTML: the builder's process holds more live "
            "objects (its own modules and data), which the cyclic garbage collector "
            "walks at every full collection; see the what-if above."
        )
    else:
        reading = (
            " WeasyPrint itself takes about as long inside the builder as alone "
            f"({fmt(weasy)} against {fmt(alone)} s for layout and PDF write)."
        )
    return (
        text
        + "; against one instrumented raw run: "
        + ", ".join(f"{label} {value:+.2f} s" for label, value in parts)
        + "."
        + reading
    )


def analysis(by_name: dict[str, Case], profile, facts: dict[str, bool]) -> list[str]:
    """The reading of the figures: computed sentences, then the proposals, then notes."""
    lines = ["## Reading the figures", ""]
    for name in ("default", "720"):
        case = by_name.get(name)
        if case is None:
            continue
        rows = [rows_of(run) for run in case.builds]
        share = {key: median([row[key] for row in rows]) / case.builder_median() for key, _ in ROWS}
        lines.append(
            f"- {case.title}: WeasyPrint does "
            f"{100 * (share['layout'] + share['write_pdf']):.0f} % of a `--force` rebuild "
            f"(layout {100 * share['layout']:.0f} %, PDF write {100 * share['write_pdf']:.0f} "
            f"%); start-up and imports {100 * (share['startup'] + share['imports']):.0f} %; "
            f"interpreter exit {100 * share['exit']:.0f} %; the builder's own stages and glue "
            f"{100 * sum(share[key] for key in OWN_STAGES):.0f} %. Overhead: "
            + overhead_parts(case)
        )
    default = by_name.get("default")
    if default is not None:
        rows = [rows_of(run) for run in default.builds]
        lines.append(
            f"- The first build of the default content (empty chart cache) spends "
            f"{rows_of(default.cold)['charts']:.2f} s in `charts`, mostly importing matplotlib "
            f"(see the profile); with the cache warm the stage costs "
            f"{median([row['charts'] for row in rows]) * 1000:.0f} ms, and after a text-only "
            "edit matplotlib is not imported at all."
        )
    large = by_name.get("720")
    if large is not None and large.builds:
        peaks = large.builds[0].child.get("peaks_kb", {})
        if "weasyprint_write_pdf" in peaks and "tagging" in peaks:
            raw_peak = median([run.maxrss_mb for run in large.raws])
            lines.append(
                f"- Memory at 720 measures: {large.rss_median():.0f} MB for the builder against "
                f"{raw_peak:.0f} MB for the raw command. The builder's high-water mark is "
                f"{peaks['weasyprint_write_pdf'] / 1024:.0f} MB when the PDF is written and "
                f"{peaks['tagging'] / 1024:.0f} MB after the tagged-PDF repair, which runs "
                "while WeasyPrint's document is still in memory (see the proposals)."
            )
    slopes = marginal_slopes(list(by_name.values()))
    if slopes is not None and "45" in by_name and "720" in by_name:
        (low, high), _ = slopes
        small, large = by_name["45"], by_name["720"]
        growth = high / low
        shape = (
            "about flat"
            if growth <= 1.1
            else f"{100 * (growth - 1):.0f} % higher for the later pages"
        )

        def per_page(case: Case) -> dict[str, float]:
            rows = [rows_of(run) for run in case.builds]
            return {key: median([row[key] for row in rows]) / case.pages * 1000 for key in COUNTED}

        before, after = per_page(small), per_page(large)
        labels = dict(ROWS)
        grew = sorted(((after[key] - before[key], key) for key in COUNTED), reverse=True)[:2]
        average = small.builder_median() / small.pages
        lines.append(
            f"- Scaling: the marginal cost per page is {shape} ({low * 1000:.0f} ms from 45 to "
            f"180 measures, {high * 1000:.0f} ms from 180 to 720), far from quadratic growth, "
            "which would make the second figure several times the first. The average time "
            "per page is "
            f"{large.builder_median() / large.pages * 1000:.0f} ms at 720 measures against "
            f"{average * 1000:.0f} ms at 45"
            + (
                " (lower than the marginal cost although it carries the fixed costs: the "
                "45-measure document has proportionally more light pages, such as the cover, "
                "contents, blank versos and short chapters)"
                if average < low
                else ""
            )
            + ". Per page, the rows that grow most from 45 to 720 measures: "
            + ", ".join(f"{labels[key]} {before[key]:.0f} → {after[key]:.0f} ms" for _, key in grew)
            + f". The raw command goes from {small.raw_median() / small.pages * 1000:.0f} to "
            f"{large.raw_median() / large.pages * 1000:.0f} ms per page (its garbage "
            "collector stays on)."
        )
    tried = [
        by_name[name]
        for name in ("default", "45", "720")
        if name in by_name and by_name[name].whatif
    ]
    if len(tried) == 3:
        default, small, large = tried

        def gc_off(case: Case) -> float:
            return median([run.wall for run in case.whatif])

        ratios = [gc_off(default) / default.raw_median(), gc_off(large) / large.raw_median()]
        per_page = (gc_off(large) / large.pages) / (gc_off(small) / small.pages)
        passes = [ratio <= TARGET_OVERHEAD for ratio in ratios] + [per_page <= TARGET_LINEAR]
        lines.append(
            f"- With the garbage collector off for the whole render stage (what-if), the "
            f"overhead ratio "
            f"would be {ratios[0]:.2f} for the default content and {ratios[1]:.2f} at 720 "
            f"measures (limit {TARGET_OVERHEAD:.2f}), and time per page at 720 measures "
            f"{per_page:.2f} times that at 45 (limit {TARGET_LINEAR}): "
            + (
                "all three under their limits."
                if all(passes)
                else f"{sum(passes)} of these three under their limits."
            )
        )
    if profile is not None:
        sections = profile[1]
        for name, title in (("weasyprint_layout", "layout"), ("weasyprint_write_pdf", "PDF write")):
            if name in sections:
                _, _, by_own = sections[name]
                lines.append(
                    f"- Profile, {title}: the most own time goes to "
                    + ", ".join(f"`{label}` ({own:.2f} s)" for label, _, own, _ in by_own[:4])
                    + " (profiled times, default content). No single hot spot: the "
                    "time is spread over WeasyPrint's box tree, text shaping (Pango "
                    "through cffi) and PDF serialisation, none of it in report/."
                )
    lines += ["", *proposals(facts), "", *NOTES]
    return lines


def code_facts(tree: Tree) -> dict[str, bool]:
    """What the measured code already does, read from its source (kept for --load)."""

    def text(name: str) -> str:
        path = tree.root / name
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    render, build, cli = text("report/render.py"), text("report/build.py"), text("report/cli.py")
    css, tagging = text("styles/report.css"), text("report/tagging.py")
    fingerprint = build[build.find("def input_fingerprint") :][:600]
    recap = next((line for line in css.splitlines() if line.startswith(".recap {")), "")
    return {
        "gc_off_in_render": "gc.disable()" in render,
        "fix_tags_after_gc_enable": (
            "gc.enable()" in render and "RenderedPdf(fix_tags(pdf)" in render
        ),
        "fix_tags": "fix_tags" in render,
        # the tree walked again after every editing pass (before the qpdf-JSON rewrite)
        "refresh_walks": "def refresh" in tagging and "to_json" not in tagging,
        "skips_teardown": tree.entry != "report.app.cli:main" and "os._exit" in cli,
        "fingerprint_ignores_force": "force=False" in fingerprint,
        "render_split": '_step("layout"' in build,
        "recap_avoid": "break-inside: avoid" in recap,
    }


DONE = {
    "fingerprint_ignores_force": "`--force` and `--strict` are kept out of the build "
    "fingerprint (report/app/build.py `input_fingerprint`), so a plain build right after a "
    "`--force` one is up to date (*extra check*).",
    "gc_off_in_render": "No cyclic garbage collection while WeasyPrint lays out and writes "
    "(report/output/render.py `render_pdf`, `gc.disable()` ... `gc.enable()`).",
    "skips_teardown": "The console script skips the interpreter's heap teardown "
    "(`report.app.cli:run`: `main()`, flush, `os._exit`); the benchmarks call it as the script "
    "does, so the *interpreter exit* row is near zero.",
}


def proposals(facts: dict[str, bool]) -> list[str]:
    """What to change in report/ next, given what the measured code already does."""
    done = [text for key, text in DONE.items() if facts.get(key)]
    todo = []
    if not facts.get("fingerprint_ignores_force"):
        todo.append(
            "**Keep `--force` out of the fingerprint** (report/app/build.py, `input_fingerprint`): "
            "hashing the whole `BuildOptions` repr includes `force` (and `strict`), so a plain "
            "`report build` right after `report build --force` never matches the record and "
            "rebuilds everything (*extra check*). Hash `replace(options, force=False, "
            "strict=False)` or only the fields that change the PDF."
        )
    if facts.get("fix_tags_after_gc_enable"):
        todo.append(
            "**Run the tagged-PDF repair with the garbage collector still off** "
            "(report/output/render.py, `render_pdf`): `fix_tags(pdf)` is called in the `return` "
            "statement, after the `finally` has re-enabled the collector, while WeasyPrint's "
            "`Document` (millions of objects) is still alive; every full collection during "
            "the repair walks that whole heap. Call `fix_tags` inside the `try` (or keep the "
            "collector off until it returns). The what-if table measures exactly this."
        )
    elif not facts.get("gc_off_in_render"):
        todo.append(
            "**No cyclic garbage collection while WeasyPrint and pikepdf work** "
            "(report/output/render.py, `render_pdf`): `gc.disable()` before "
            "`weasyprint.HTML(...)`, `gc.enable()` (if it was enabled) after the tagged-PDF "
            "repair. Nothing "
            "WeasyPrint builds becomes garbage before the PDF is written, so these collections "
            "free nothing (what-if table)."
        )
    if facts.get("fix_tags") and facts.get("refresh_walks"):
        todo.append(
            "**Walk the structure tree less** (report/output/tagging/): `StructTree.refresh` walks "
            "the whole tree in Python four times (after `load` and after each editing pass), "
            "`PageMarks.scan` parses every page's content stream and keeps them all, and the "
            "file is parsed and saved a second time by pikepdf. Keeping `order`/`parents` up "
            "to date as `merge_nested_links` and `remove_empty_elements` edit the tree saves "
            "most of the walking; scanning pages one at a time lowers the memory the repair "
            "adds on top of WeasyPrint's (see the memory high-water marks)."
        )
    if facts.get("fix_tags"):
        todo.append(
            "**Lower the memory high-water mark**: `render_pdf` keeps WeasyPrint's `Document` "
            "alive until it returns, so pikepdf's copy of the PDF comes on top of it. "
            "Computing the page summaries first and dropping the document before `fix_tags` "
            "(`pages = [summarise(page) for page in document.pages]; del document`) lowers "
            "the peak, at the price of freeing the document at that point (time the "
            "`os._exit` at the end otherwise saves)."
        )
    if not facts.get("render_split"):
        todo.append(
            "**Split the `render` stage** so `--debug` shows what the benchmarks measure from "
            "outside: in report/output/render.py, `layout_document(html, base_dir, stylesheets, "
            "allowed_roots) -> Document` (fetcher, `FontConfiguration`, `CSS(...)`, "
            "`HTML(...).render(...)`), `write_document(document, settings) -> bytes` "
            "(attachments and `write_pdf`), `summarise_pages(document)`, and `fix_tags` on "
            'its own; in report/app/build.py `_step("layout", ...)`, `_step("pdf", ...)`, '
            '`_step("summaries", ...)` and `_step("tagging", ...)` in place of '
            '`_step("render", ...)`, with the `_DropRefusals` filter and the collector '
            "switched off around the first two. WeasyPrint's import (0.3 to 0.5 s) then shows "
            "inside `layout` unless it gets a step of its own."
        )
    if not facts.get("skips_teardown"):
        todo.append(
            "**Skip the interpreter's teardown** (the *interpreter exit* row): a console "
            "entry point that calls `main()`, flushes stdout and stderr, calls "
            "`logging.shutdown()`, then `os._exit(code)`, declared in pyproject.toml "
            "`[project.scripts]`."
        )
    todo.append(
        "**Unchanged builds** (optional; the target passes): most of their time is importing "
        "report/app/build.py, which imports every stage (pydantic, Jinja, markdown-it, Babel, "
        "YAML, pikepdf) before the up-to-date check needs any of them. The fingerprint and "
        "build record in a small module imported first, the pipeline only when a build is "
        "needed, should bring it near the bare interpreter start-up (not measured)."
    )
    if facts.get("recap_avoid"):
        todo.append(
            "**Recap grid on large plans** (styles/report.css, `.recap { break-inside: avoid "
            "}`): a grid taller than a page is pushed to the next page, leaving what precedes "
            "it (a heading) alone on a page, which the gate reports as nearly empty. Avoiding "
            "breaks inside rows (`.recap-grid tr`) instead lets a long grid break between "
            "rows."
        )
    lines = ["## Proposed changes in report/ (not made by the benchmarks)", ""]
    if done:
        lines += ["Already in the measured code:", ""] + [f"- {text}" for text in done] + [""]
    lines += ["Next:", ""]
    lines += [f"{index}. {text}" for index, text in enumerate(todo, 1)]
    return lines


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


# --------------------------------------------------------------------------- main


def export_ref(ref: str, folder: Path) -> Tree:
    commit = subprocess.run(
        ["git", "rev-parse", ref], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    archive = subprocess.run(
        ["git", "archive", commit], cwd=REPO, capture_output=True, check=True
    ).stdout
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return Tree(folder, f"`git archive {ref}` = commit {commit[:12]} (clean export)")


def working_tree() -> Tree:
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "report", "styles", "content"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    state = "with uncommitted changes in report/, styles/ or content/" if dirty else "clean"
    return Tree(REPO, f"working tree at {commit[:12]} ({state})")


def main(argv: list[str] | None = None) -> int:
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
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--save", type=Path, help="also pickle the measurements here")
    parser.add_argument(
        "--load",
        type=Path,
        help="rewrite the report from measurements saved with --save, without running anything",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    arguments = argv if argv is not None else sys.argv[1:]
    if args.load:
        with args.load.open("rb") as handle:
            saved = pickle.load(handle)
        write_report(args.output, **saved)
        log(f"wrote {args.output} from {args.load}")
        return 0
    shown = [
        arg
        for index, arg in enumerate(arguments)
        if not arg.startswith("--save") and (index == 0 or arguments[index - 1] != "--save")
    ]
    command = " ".join(["python -m benchmarks.run", *shown])

    with tempfile.TemporaryDirectory(prefix="report-bench-") as temporary:
        scratch = Path(temporary)
        tree = export_ref(args.ref, scratch / "tree") if args.ref else working_tree()
        log(f"measuring {tree.label}")
        help_text = subprocess.run(
            [sys.executable, "-m", "report", "build", "--help"],
            env=tree.env(),
            capture_output=True,
            text=True,
            cwd=scratch,
        ).stdout
        has_all = "--all" in help_text
        info = machine(tree)
        baseline = median(
            [spawn([sys.executable, "-c", "pass"], tree.env(), scratch).wall for _ in range(5)]
        )

        cases = []
        for name in args.cases.split(","):
            name = name.strip()
            folder = scratch / f"case-{name}"
            if name == "default":
                content = folder / "content"
                shutil.copytree(tree.root / "content", content)
                case = Case(name, "Default content (content/)", content, folder / "out")
            else:
                measures = int(name)
                content = generate(measures, folder / "content")
                case = Case(
                    name, f"Synthetic, {measures} measures", content, folder / "out", measures
                )
            reps = min(args.reps, args.reps_720) if name == "720" else args.reps
            run_case(
                tree,
                case,
                reps,
                scratch,
                edit=name in ("default", "45"),
                whatif=0 if args.no_whatif or name == "180" else args.whatif_reps,
                raw_detail=name in ("default", "45", "720"),
            )
            cases.append(case)

        batch = None
        if has_all and not args.no_editions:
            folder = scratch / "case-editions"
            batch = Batch(add_editions(generate(45, folder / "content")), folder / "out")
            run_batch(tree, batch, 2, scratch)

        shim = None
        which = shutil.which("report")
        if which and "shims" in which and cases:
            shim = console_build(tree, cases[0].content, cases[0].out, scratch, script=which)

        imports = {
            module: import_times(tree, scratch, module)
            for module in ("report.app.cli", "report.app.build", "weasyprint")
        }
        profile = None
        if not args.no_profile and any(case.name == "default" for case in cases):
            log("profiling one default-content build")
            profile = profile_default(
                tree, next(c for c in cases if c.name == "default").content, scratch
            )
        for case in cases:
            package = case.cold.child.get("report_package", "")
            if not package.startswith(str(tree.root)):
                raise SystemExit(f"measured the wrong code: {package} is not in {tree.root}")
        measured = {
            "tree": tree,
            "info": info,
            "cases": cases,
            "profile": profile,
            "imports": imports,
            "baseline": baseline,
            "shim": shim,
            "batch": batch,
            "command": command,
            "elapsed": time.perf_counter() - started,
            "load_end": os.getloadavg(),
            "facts": code_facts(tree),
        }
        if args.save:
            with args.save.open("wb") as handle:
                pickle.dump(measured, handle)
        write_report(args.output, **measured)
    log(f"wrote {args.output} in {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
