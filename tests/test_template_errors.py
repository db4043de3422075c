"""Mistakes in overridden templates, expressions and settings give located one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from report.app.cli import main

SAMPLE = Path(__file__).parent / "samples" / "minimal"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    return Path("p")


def errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [
        line
        for line in capsys.readouterr().err.splitlines()
        if not line.startswith(("note:", "Build failed"))
    ]


def test_error_in_an_overridden_component_template(project: Path, capsys) -> None:
    (project / "templates" / "partials").mkdir(parents=True)
    (project / "templates" / "partials" / "recap.html").write_text(
        "<p>\n{{ measures.nope }}</p>\n", encoding="utf-8"
    )
    assert main(["build", "p", "-o", "out"]) == 1
    assert errors(capsys) == [
        "p/templates/partials/recap.html:2: template error: 'tuple object' has no attribute 'nope'"
    ]


def test_error_in_an_overridden_page_template(project: Path, capsys) -> None:
    (project / "templates" / "partials").mkdir(parents=True)
    (project / "templates" / "partials" / "cover.html").write_text(
        "<section>\n\n{{ config.titre }}</section>\n", encoding="utf-8"
    )
    assert main(["build", "p", "-o", "out"]) == 1
    assert errors(capsys) == [
        "p/templates/partials/cover.html:3: template error: 'report.sources.config.Config object' "
        "has no attribute 'titre'"
    ]


def test_unknown_status_in_an_expression(project: Path, capsys) -> None:
    chapter = project / "chapters" / "01-synthese.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n{{ figures.status('realisee').count }}\n",
        encoding="utf-8",
    )
    assert main(["check", "p"]) == 1
    (line,) = [line for line in errors(capsys) if not line.startswith("Check failed")]
    assert line.startswith("p/chapters/01-synthese.md:")
    assert (
        "'realisee' is not a known status (allowed: réalisée, partiellement réalisée, "
        "non réalisée, non documentée; did you mean 'réalisée'?)"
    ) in line


def test_unknown_category_in_an_expression(project: Path, capsys) -> None:
    chapter = project / "chapters" / "01-synthese.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n{{ figures.category('fait') }}\n", encoding="utf-8"
    )
    assert main(["check", "p"]) == 1
    assert (
        "'fait' is not a known status category (allowed: done, partial, not_done, unknown"
        in capsys.readouterr().err
    )


def test_colour_pattern_is_explained_in_words(project: Path, capsys) -> None:
    config = project / "report.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "theme:\n  color_primary: blue\n", encoding="utf-8"
    )
    assert main(["check", "p"]) == 1
    assert (
        "theme.color_primary: expected a colour written #rrggbb (e.g. #1f3b5c), got 'blue'"
        in capsys.readouterr().err
    )


def test_output_folder_that_is_a_file(project: Path, capsys) -> None:
    Path("afile").write_text("x", encoding="utf-8")
    assert main(["build", "p", "-o", "afile"]) == 1
    assert "afile: is a file, not a folder; give another output folder with -o" in (
        capsys.readouterr().err
    )


def test_syntax_error_in_an_overridden_component_names_the_template(project: Path, capsys) -> None:
    (project / "templates" / "partials").mkdir(parents=True)
    (project / "templates" / "partials" / "recap.html").write_text(
        "<p>\n{{ measures | $ }}</p>\n", encoding="utf-8"
    )
    assert main(["build", "p", "-o", "out"]) == 1
    assert errors(capsys) == [
        "p/templates/partials/recap.html:2: template syntax error: unexpected char '$' (column 15)"
    ]
