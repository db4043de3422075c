"""What a build writes, and what an interrupted, killed or hostile build leaves behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import Project

from report.errors import RenderError
from report.output.files import output_path, remove_stale_temporaries, write_together


def test_a_body_key_cannot_lead_a_dossier_out_of_the_output_folder(project: Project, cli) -> None:
    line = project.replace("data/plan.yaml", "key: agence", "key: ../../ESCAPED")
    project.replace("data/measures.yaml", "agence", "../../ESCAPED")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/data/plan.yaml:{line}: bodies[1].key: expected letters, digits, '.', '_' or '-' "
        "only (no spaces or slashes), got '../../ESCAPED'"
    )


def test_an_output_name_is_checked_after_resolution(tmp_path: Path) -> None:
    assert output_path(tmp_path, "rapport.pdf") == tmp_path / "rapport.pdf"
    with pytest.raises(RenderError):
        output_path(tmp_path, "../rapport.pdf")
    (tmp_path / "lien").symlink_to(tmp_path.parent)
    with pytest.raises(RenderError):
        output_path(tmp_path, "lien/rapport.pdf")


def test_files_written_together_are_replaced_only_once_all_are_staged(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "missing" / "b.html"
    first.write_bytes(b"old")
    (tmp_path / "missing").write_text("a file where a folder should be")
    with pytest.raises(RenderError):
        write_together([(first, b"new"), (second, b"new")])
    assert first.read_bytes() == b"old"


def test_temporaries_of_killed_builds_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".rapport.pdf.{dead.pid}.tmp"
    live = tmp_path / f".rapport.pdf.{os.getpid()}.tmp"
    other = tmp_path / "notes.tmp"
    for path in (stale, live, other):
        path.write_text("x")
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert live.exists() and other.exists() and not stale.exists()


def test_a_build_cut_between_its_two_renames_is_built_again(project: Project, cli) -> None:
    assert cli("build", "p", "-o", "out").code == 0
    out = project.root.parent / "out"
    # as if killed after the PDF was replaced but before the HTML: the record is gone
    for record in (out / ".cache").glob("last-build-*.json"):
        record.unlink()
    run = cli("build", "p", "-o", "out")
    assert run.code == 0 and "up to date" not in run.err
    assert "up to date" in cli("build", "p", "-o", "out").err


def test_a_pdf_and_html_that_do_not_match_the_record_are_rebuilt(project: Project, cli) -> None:
    assert cli("build", "p", "-o", "out").code == 0
    (project.root.parent / "out" / "essai.html").write_text("<p>édité à la main</p>")
    run = cli("build", "p", "-o", "out")
    assert run.code == 0 and "up to date" not in run.err


@pytest.mark.parametrize("arguments", [[], ["--all"]], ids=["one PDF", "--all"])
def test_ctrl_c_ends_with_one_line_exit_130_and_the_previous_pdf(
    project: Project, cli, arguments: list[str]
) -> None:
    assert cli("build", "p", "-o", "out").code == 0
    pdf = project.root.parent / "out" / "essai.pdf"
    before = pdf.read_bytes()
    long_text = "Une phrase de plus pour que la mise en page dure un peu. " * 40
    project.append("chapters/01-synthese.md", (long_text + "\n\n") * 60)
    process = subprocess.Popen(
        [sys.executable, "-m", "report", "build", "p", "-o", "out", "--debug", *arguments],
        cwd=project.root.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # interrupt once the layout has begun
        seen.append(line)
        if line.startswith("stage templates"):
            break
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    err = "".join(seen) + rest
    assert process.returncode == 130, err
    assert err.strip().splitlines()[-1] == (
        "interrupted: nothing was written by the unfinished build"
    )
    assert "Traceback" not in err
    assert pdf.read_bytes() == before
