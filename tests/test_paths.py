"""Nothing outside the content folder is read: names in report.yaml, links among the files.

Each case puts a secret in a file beside the content folder and tries to reach it; the
build must stop with one located line and the secret must appear nowhere.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import Project

SECRET = "SECRET-OUTSIDE-THE-CONTENT-FOLDER"


@pytest.fixture
def secret(project: Project) -> Path:
    path = project.root.parent / "secret.md"
    path.write_text(f"---\ntitle: Fuite\n---\n\n{SECRET}\n", encoding="utf-8")
    return path


def build(cli, *extra: str):
    run = cli("build", "p", "-o", "out", *extra)
    assert run.code == 1, run.err
    assert SECRET not in run.err
    assert not list(Path("out").glob("*.pdf"))
    return run


@pytest.mark.parametrize(
    ("yaml", "field"),
    [
        ("chapters: [../../secret.md]\n", "chapters[0]"),
        ("letter:\n  body: ../secret.md\n", "letter.body"),
        ("editions:\n  x:\n    chapters_dir: ../\n", "editions.x.chapters_dir"),
        ("editions:\n  x:\n    chapters: [../../secret.md]\n", "editions.x.chapters[0]"),
        ("editions:\n  x:\n    stylesheet: ../secret.css\n", "editions.x.stylesheet"),
    ],
)
def test_a_name_in_report_yaml_cannot_lead_outside(
    project: Project, cli, secret: Path, yaml: str, field: str
) -> None:
    line = project.append("report.yaml", yaml) + yaml.count("\n") - 1  # the value's line
    run = build(cli)
    [problem] = [p for p in run.problems if not p.startswith("Build failed")]
    assert problem.startswith(f"p/report.yaml:{line}")
    assert f" {field}: " in problem
    assert problem.endswith(
        "is outside the content folder; keep the file inside the folder of report.yaml"
    )


@pytest.mark.parametrize(
    "link",
    ["chapters/03-fuite.md", "data/zz.yaml", "templates/partials/recap.html", "styles/x.css"],
)
def test_a_link_to_a_file_outside_is_refused(
    project: Project, cli, secret: Path, link: str
) -> None:
    path = project.path(link)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(secret)
    run = build(cli)
    assert (
        f"p/{link}: is a link to a file outside the content folder; copy the file in "
        "instead" in run.lines
    )


def test_a_link_to_a_letter_outside_is_refused(project: Project, cli, secret: Path) -> None:
    project.append("report.yaml", "editions:\n  d:\n    kind: dossier\n")
    (project.path("letters")).mkdir()
    project.path("letters/dossier.md").symlink_to(secret)
    run = build(cli, "--edition", "d")
    assert SECRET not in run.out


def test_links_inside_the_folder_still_work(project: Project, cli) -> None:
    project.write("textes/annexe.md", "---\ntitle: Annexe\n---\n\nTexte partagé.\n")
    project.path("chapters/99-annexe.md").symlink_to(project.path("textes/annexe.md"))
    assert cli("check", "p").code == 0


def test_the_up_to_date_check_never_opens_a_link_target(project: Project) -> None:
    """A link to an endless file (/dev/zero) beside the chapters: the fingerprint must not
    read it, or the build would never end."""
    project.path("images").mkdir(exist_ok=True)
    project.path("images/zero").symlink_to("/dev/zero")
    result = subprocess.run(
        [sys.executable, "-m", "report", "build", "p", "-o", "out"],
        cwd=project.root.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
