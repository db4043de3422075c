"""The code keeps the shape ARCHITECTURE.md describes, so the document cannot drift.

* every module of ``report/`` is in the folder tree, and every module named exists;
* the stages run in the order "The pipeline" lists them (read off a real build);
* each package imports only from the packages below it (``errors`` <- ``i18n`` <-
  ``sources`` <- ``compute`` <- ``output`` <- ``compose`` <- ``app``);
* no module is over 400 lines, and ruff (lint and format) is clean.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support import Project

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "report"
ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
LAYERS = ("errors", "i18n", "sources", "compute", "output", "compose", "app")
MAX_LINES = 400


def section(heading: str) -> str:
    start = ARCHITECTURE.index(f"\n{heading}\n")
    end = ARCHITECTURE.find("\n## ", start + 1)
    return ARCHITECTURE[start : end if end > 0 else len(ARCHITECTURE)]


def tree_paths() -> set[str]:
    """The paths of the folder tree (``report/compose/charts.py``...), from its indentation."""
    block = re.search(r"```\n(report/\n.*?)```", section("## The folders"), re.DOTALL)
    assert block, "ARCHITECTURE.md: no folder tree under '## The folders'"
    stack: list[str] = []
    paths = set()
    for line in block[1].splitlines():
        name = line.strip().split()[0] if line.strip() else ""
        if not name:
            continue
        depth = (len(line) - len(line.lstrip())) // 2
        stack = [*stack[:depth], name.rstrip("/")]
        paths.add("/".join(stack) + ("/" if name.endswith("/") else ""))
    return paths


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_folder_tree_lists_every_module_and_only_real_ones() -> None:
    listed = {p for p in tree_paths() if p.startswith("report/") and p.endswith(".py")}
    actual = {p.relative_to(ROOT).as_posix() for p in modules()}
    actual -= {p for p in actual if p.endswith("/__init__.py") and p.count("/") > 1}
    assert sorted(actual - listed) == [], "modules missing from the tree in ARCHITECTURE.md"
    assert sorted(listed - actual) == [], "the tree in ARCHITECTURE.md names missing modules"


def test_every_module_path_the_text_names_exists() -> None:
    named = set(
        re.findall(r"`((?:sources|compute|compose|output|app|i18n)/[\w/]+\.py)`", ARCHITECTURE)
    )
    assert named, "ARCHITECTURE.md names no module path"
    missing = sorted(path for path in named if not (PACKAGE / path).is_file())
    assert missing == []


def test_each_package_has_a_paragraph() -> None:
    for package in LAYERS[1:]:
        assert f"**`{package}/`**" in ARCHITECTURE, package


def documented_stages() -> list[str]:
    return re.findall(r"^\d+\. \*\*(\w+)\*\*", section("## The pipeline"), re.MULTILINE)


def test_the_stages_run_in_the_documented_order(project: Project, cli) -> None:
    run = cli("build", "p", "-o", "out", "--debug")
    assert run.code == 0, run.err
    ran = [line.split()[1] for line in run.lines if re.fullmatch(r"stage \w+ +[\d.]+ s", line)]
    assert ran == documented_stages()


def imported_modules(path: Path) -> set[str]:
    """Every ``report.*`` module a file imports, lazily imported ones included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.split(".")[0] == "report"}


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package root: its version and folders, below everything
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_downwards_only(path: Path) -> None:
    own = layer_of("report." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    if own is None:
        return
    upward = sorted(name for name in imported_modules(path) if (layer_of(name) or 0) > own)
    assert upward == [], f"{path.name} imports from a later stage"


def test_no_module_is_over_400_lines() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in [*modules(), *(ROOT / "benchmarks").rglob("*.py")]
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed by setup.sh")
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=" ".join)
def test_ruff_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        ["ruff", *command, "report", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
