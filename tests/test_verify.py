"""The verification gate: lost content, overflowing boxes and near-empty pages are caught."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from report.app.cli import main
from report.output.verify import Expectations, PageSummary, verify

SAMPLE = Path(__file__).parent / "samples" / "minimal"
BROKEN_ENDING = """

<table style="width: 300mm"><tr><th>Tableau trop large</th></tr></table>

<div style="break-before: page">Court.</div>

<div style="break-before: page">Suite et fin du chapitre, avec assez de texte pour la page.</div>
"""


@pytest.fixture
def broken_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    chapter = project / "chapters" / "02-mesures.md"
    text = chapter.read_text(encoding="utf-8").replace("{{ recap() }}", "")
    text = text.replace("{{ measures_table() }}", "{{ measures_table(numbers=[1, 2, 3]) }}")
    chapter.write_text(text + BROKEN_ENDING, encoding="utf-8")
    return project


def test_lost_measure_wide_table_and_near_empty_page_fail_strict(
    broken_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["build", str(broken_project), "-o", str(out), "--strict"]) == 1
    lines = capsys.readouterr().err.splitlines()
    gate = [line for line in lines if line.startswith("warning: verification:")]
    assert len(gate) == 3, lines
    assert "measure 4 does not appear in the PDF" in gate[0]
    assert "<table> sticks out of the text area by 182 mm" in gate[1]  # 300 mm in 118
    assert "is nearly empty (6 characters)" in gate[2]
    assert not (out / "essai.pdf").exists(), "--strict must not write a PDF with warnings"


def test_same_project_builds_with_warnings_without_strict(
    broken_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(broken_project), "-o", str(tmp_path / "out")]) == 0
    assert "(3 warnings)" in capsys.readouterr().err


def test_clean_sample_passes_the_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--strict"]) == 0
    assert "(0 warnings)" in capsys.readouterr().err


def test_chapter_order_and_size_budget() -> None:
    pages = [
        PageSummary(frozenset({"b", "mesure-1"}), 500, False, ()),
        PageSummary(frozenset({"a"}), 500, False, ()),
    ]
    expected = Expectations(("a", "b"), {"a": "Alpha", "b": "Beta"}, {"mesure-1": 1}, 10)
    blank = pikepdf.new()
    blank.add_blank_page()
    buffer = io.BytesIO()
    blank.save(buffer)
    problems = verify(pages, buffer.getvalue(), expected)
    assert problems[0] == ("chapter 'Beta' starts on page 1, before the chapter that precedes it")
    assert problems[-1].startswith("the PDF weighs 0.0 MB, over the budget of 0.0 MB")


def test_a_block_kept_whole_that_jumps_a_page_is_told(tmp_path: Path, capsys) -> None:
    """Half a page of text, then a block too tall for what is left and kept whole: the
    page before it is left half empty although the chapter goes on."""
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    chapter = project / "chapters" / "01-synthese.md"
    text = "Un paragraphe de texte courant qui occupe une ligne et demie de la page. " * 30
    block = '<div style="height: 180mm; break-inside: avoid; border: 1pt solid">Bloc</div>'
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n\n{text}\n\n{block}\n")
    assert main(["build", str(project), "-o", str(tmp_path / "out")]) == 0
    gaps = [line for line in capsys.readouterr().err.splitlines() if "above its foot" in line]
    assert len(gaps) == 1
    assert re.search(r"page \d+ ends (\d+) mm above its foot although the text goes on", gaps[0])
