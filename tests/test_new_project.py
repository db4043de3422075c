"""`report new` and the vocabulary: a new coalition's project, in its own words, that builds
with no warning and never says "measure" or "axis" when it means commitments and themes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from support import Run, run_main

from report.app.scaffold import plural, split_word


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def attachments(path: Path) -> dict[str, str]:
    with pikepdf.open(path) as pdf:
        return {
            name: spec.get_file().read_bytes().decode("utf-8-sig") + spec.description
            for name, spec in pdf.attachments.items()
        }


@pytest.fixture(scope="module")
def commitments(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run, Run]:
    root = tmp_path_factory.mktemp("new")
    made = run_main(
        ["new", "x", "--language", "en", "--items", "commitment", "--groups", "theme"], root
    )
    built = run_main(["build", "x", "-o", "out", "--all", "--strict"], root)
    return root / "out", made, built


def test_a_new_english_project_builds_every_edition_with_no_warning(commitments) -> None:
    out, made, built = commitments
    assert made.code == 0 and made.lines[-1].startswith("Created ")
    assert built.code == 0, built.err
    assert sorted(p.name for p in out.glob("*.pdf")) == ["report-brief.pdf", "report.pdf"]
    assert "0 warnings" in built.lines[-1]


def test_its_pdfs_never_say_measure_or_axis_nor_straight_quotes(commitments) -> None:
    out = commitments[0]
    for pdf in out.glob("*.pdf"):
        text = pdf_text(pdf)
        assert re.findall(r"(?i)measure|\baxis|\baxes", text) == [], pdf.name
        assert '"' not in text, pdf.name
        assert "commitment 1" in text.casefold() or pdf.name == "report-brief.pdf"


def test_its_attachments_speak_the_same_words(commitments) -> None:
    files = attachments(commitments[0] / "report.pdf")
    assert sorted(files) == ["report-commitments.csv", "report-commitments.yaml"]
    for name, content in files.items():
        assert re.findall(r"(?i)measure|\baxis|\baxes", content) == [], name
    assert files["report-commitments.csv"].startswith("number,theme,action,title,status")
    assert "commitments:\n" in files["report-commitments.yaml"]


def test_a_new_french_project_in_its_own_words(tmp_path: Path, cli) -> None:
    assert (
        cli(
            "new", tmp_path / "y", "--language", "fr", "--items", "engagement", "--groups", "thème"
        ).code
        == 0
    )
    run = cli("build", tmp_path / "y", "-o", tmp_path / "out", "--all", "--strict")
    assert run.code == 0, run.err
    text = pdf_text(tmp_path / "out" / "rapport.pdf")
    assert re.findall(r"(?i)mesure|\baxes?\b", text) == []
    assert "engagement 1" in text.casefold() and "Thème" in text
    assert "Tous les engagements" in text  # the gender follows the word
    assert "Réalisé" in text and "Réalisée" not in text


def test_feminine_words_agree(tmp_path: Path, cli) -> None:
    assert cli("new", tmp_path / "z", "--language", "fr", "--items", "priorité").code == 0
    report = (tmp_path / "z" / "report.yaml").read_text(encoding="utf-8")
    assert "item: {singular: priorité, plural: priorités, gender: f}" in report
    assert "label: Réalisée, plural: réalisées" in report
    chapter = (tmp_path / "z" / "chapters" / "02-items.md").read_text(encoding="utf-8")
    assert "title: Les priorités une à une" in chapter and "## Toutes les priorités" in chapter


def test_a_folder_that_is_not_empty_is_never_overwritten(tmp_path: Path, cli) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.md").write_text("mes notes")
    run = cli("new", tmp_path / "x")
    assert run.code == 1
    assert run.lines[0].endswith("x: already exists and is not empty; give a new folder")
    assert (tmp_path / "x" / "notes.md").read_text() == "mes notes"


@pytest.mark.parametrize(
    ("word", "language", "expected"),
    [
        ("commitment", "en", "commitments"),
        ("axis", "en", "axes"),
        ("policy", "en", "policies"),
        ("mesure", "fr", "mesures"),
        ("journal", "fr", "journaux"),
        ("thème", "fr", "thèmes"),
    ],
)
def test_plurals_of_a_new_project(word: str, language: str, expected: str) -> None:
    assert plural(word, language) == expected
    assert split_word(f"{word}/others", None, language) == (word, "others")
