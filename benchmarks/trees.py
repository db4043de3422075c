"""The code being measured: the working tree, or a clean export of one commit.

``--ref`` exists so that others' edits in progress are not measured by mistake; the
children find the tree's ``report`` package first on ``PYTHONPATH``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Tree:
    """The code being measured: a folder holding report/ (with its styles) and content/."""

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
        """This environment with the tree first on PYTHONPATH and no profiling left on."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(self.root), env.get("PYTHONPATH", "")])
        )
        env.pop("BENCH_PROFILE", None)
        env.update(extra)
        return env

    def has_batch_builds(self, scratch: Path) -> bool:
        """Whether ``report build`` has ``--all`` (editions built together), asked to --help."""
        help_text = subprocess.run(
            [sys.executable, "-m", "report", "build", "--help"],
            env=self.env(),
            capture_output=True,
            text=True,
            cwd=scratch,
            check=False,
        ).stdout
        return "--all" in help_text


def export_ref(ref: str, folder: Path) -> Tree:
    """``git archive`` of ``ref`` unpacked into ``folder``: exactly what was committed."""
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
    """The repository as it is on disk, labelled with its commit and whether it is clean."""
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
