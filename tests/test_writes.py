"""What a build writes, and what an interrupted, killed or hostile build leaves behind.

The functions that write atomically are tested one by one in ``test_atomic_writes.py``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from support import Project


def test_a_body_key_cannot_lead_a_dossier_out_of_the_output_folder(project: Project, cli) -> None:
    line = project.replace("data/plan.yaml", "key: agence", "key: ../../ESCAPED")
    project.replace("data/measures.yaml", "agence", "../../ESCAPED")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/data/plan.yaml:{line}: bodies[1].key: expected letters, digits, '.', '_' or '-' "
        "only (no spaces or slashes), got '../../ESCAPED'"
    )


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
