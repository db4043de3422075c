"""Where the time goes inside one build (cProfile per section) and in imports (-X importtime).

The timers say how long each part takes; these say which functions are responsible, to
aim the proposals at the right code.
"""

from __future__ import annotations

import pstats
import re
import shutil
import sys
from pathlib import Path

from benchmarks.commands import builder
from benchmarks.processes import Run, spawn
from benchmarks.trees import Tree

# The Import time section: the CLI, the builder and WeasyPrint (newest layout first).
IMPORTED = (("report.app.cli", "report.cli"), ("report.app.build", "report.build"), ("weasyprint",))


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
    """``file:line name`` relative to the tree or site-packages, for the tables."""
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


def imported_modules(tree: Tree) -> list[str]:
    """The first name of each IMPORTED entry that is a file of the tree (else the last name)."""

    def in_tree(name: str) -> bool:
        path = tree.root.joinpath(*name.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    return [next((n for n in names if in_tree(n)), names[-1]) for names in IMPORTED]


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
