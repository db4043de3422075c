"""Progress on a terminal: the stages of a build and, for --all, each PDF as it is done;
nothing of it when stderr is not a terminal; the summary line last in every case."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from rich.console import Console
from support import SUMMARY, Project
from test_editions import make_project

from report.app import editions, progress
from report.app.build import STAGES
from report.app.editions import Job, JobResult, build_all

CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
ARCHITECTURE = Path(__file__).resolve().parent.parent / "ARCHITECTURE.md"


def screen_lines(err: str) -> list[str]:
    """What a terminal keeps of each line: control sequences dropped, a line rewritten
    after a carriage return shows its last version."""
    lines = [CONTROL.sub("", line).rsplit("\r", 1)[-1] for line in err.split("\n")]
    return [line for line in lines if line.strip()]


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr taken for a terminal, as rich would see a real one."""
    monkeypatch.setattr(
        progress,
        "make_console",
        lambda: Console(file=sys.stderr, force_terminal=True, width=110, color_system=None),
    )


def test_not_a_terminal_prints_lines_only(
    project: Project, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # colour asked for a log is not a terminal
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    assert "\x1b" not in run.err and "\r" not in run.err
    assert "Building" not in run.err
    assert run.lines == ["note: 2 of 4 measures have no documented status: 3-4", run.lines[-1]]
    assert SUMMARY.match(run.lines[-1])


def test_a_terminal_shows_each_stage_then_the_summary_last(project: Project, cli, terminal) -> None:
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    for number, name in enumerate(STAGES, start=1):
        assert f"Building p: {name} ({number} of 10)" in run.err, name
    shown = screen_lines(run.err)
    assert "note: 2 of 4 measures have no documented status: 3-4" in shown
    assert SUMMARY.match(shown[-1]), shown[-1]


def test_an_unchanged_build_stops_after_the_fingerprint(project: Project, cli, terminal) -> None:
    assert cli("build", "p", "-o", "out").code == 0
    run = cli("build", "p", "-o", "out")
    assert "Building p: fingerprint (1 of 10)" in run.err
    assert "config (2 of 10)" not in run.err
    assert screen_lines(run.err)[-1].startswith("out/essai.pdf is up to date")


def test_quiet_shows_no_progress_even_on_a_terminal(project: Project, cli, terminal) -> None:
    run = cli("build", "p", "-o", "out", "--quiet")
    assert run.code == 0, run.err
    assert "Building" not in run.err and "\x1b" not in run.err
    assert len(run.lines) == 1 and SUMMARY.match(run.lines[0])


def test_a_failed_build_still_ends_with_its_failure_line(project: Project, cli, terminal) -> None:
    project.write("chapters/01-intro.md", "# Intro\n\n{{ nowhere }}\n")
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert screen_lines(run.err)[-1].startswith("Build failed: 1 problem")


def test_all_on_a_terminal_shows_each_pdf_as_it_is_done(tmp_path: Path, cli, terminal) -> None:
    """Workers' messages come through the display (a font warning from every edition)."""
    project = make_project(tmp_path / "project")
    settings = project / "report.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "theme:\n  font_body: Comic Neue\n",
        encoding="utf-8",
    )
    run = cli("build", project, "-o", tmp_path / "out", "--all")
    assert run.code == 0, run.err
    assert "Building 5 PDFs" in run.err
    for label in ("report", "note", "en", "dossiers:min-a", "dossiers:agence"):
        assert re.search(rf"done +{re.escape(label)}: \d+ pages? in \d+\.\d s", run.err), label
    assert "5 of 5" in run.err
    assert "warning: font 'Comic Neue' is not installed" in run.err
    shown = screen_lines(run.err)
    assert re.match(r"Built 5 of 5 PDFs \(\d+ warnings in the editions\) in ", shown[-1])
    assert any(line.split()[:2] == ["edition", "file"] for line in shown)


def test_all_without_a_terminal_is_unchanged(tmp_path: Path, cli) -> None:
    project = make_project(tmp_path / "project")
    run = cli("build", project, "-o", tmp_path / "out", "--all")
    assert run.code == 0, run.err
    assert "Building" not in run.err and "done " not in run.err and "\x1b" not in run.err
    assert re.match(r"Built 5 of 5 PDFs \(\d+ warnings in the editions\) in ", run.lines[-1])


def test_the_stages_counted_are_the_documented_ones() -> None:
    documented = re.findall(r"^\d+\. \*\*(\w+)\*\*", ARCHITECTURE.read_text(), re.MULTILINE)
    assert tuple(documented) == STAGES


def _pid_of(job: Job) -> JobResult:
    """A stand-in for one PDF's build: which process ran it."""
    return JobResult(job, Path(f"{job.edition}.pdf"), os.getpid(), 0.0)


def test_build_all_tells_of_each_pdf_and_keeps_the_planned_order() -> None:
    planned = [Job("a"), Job("b", weight=10), Job("c")]
    heard: list[str] = []
    results = build_all(_pid_of, planned, workers=2, on_done=lambda r: heard.append(r.job.label))
    assert [result.job for result in results] == planned
    assert sorted(heard) == ["a", "b", "c"]
    assert all(result.pages != os.getpid() for result in results), "built in workers"


def test_without_fork_the_pdfs_are_built_one_after_the_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows has no fork: --all still builds every PDF, in the one process."""
    monkeypatch.setattr(editions.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    heard: list[str] = []
    planned = [Job("a"), Job("b")]
    results = build_all(_pid_of, planned, workers=2, on_done=lambda r: heard.append(r.job.label))
    assert [result.pages for result in results] == [os.getpid(), os.getpid()]
    assert heard == ["a", "b"]
