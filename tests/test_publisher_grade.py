"""What a designer and a copy editor check on every page: ordinals in superscript, no
parentheses inside parentheses, no heading left at the foot of a page, a balanced cover
title. Read off the produced PDFs."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from support import SAMPLE, reset_logging

from report.app.build import BuildOptions, build
from report.app.cli import main
from report.compose.document import balanced_lines

CONTENT = Path(__file__).resolve().parent.parent / "content"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def editions(default_editions: Path) -> list[Path]:
    """Every PDF of the default report (the print product lays out the same pages, with
    blank versos between: tests/test_print_design.py checks those)."""
    return sorted(default_editions.glob("*.pdf"))


@pytest.fixture(scope="module")
def page_texts(editions: list[Path]) -> dict[str, list[str]]:
    """Each PDF's pages as text (pdftotext: fast, and in reading order)."""
    return {
        pdf.name: subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
            check=True,
        ).stdout.split("\f")
        for pdf in editions
    }  # fmt: skip


def nested_parentheses(text: str) -> list[str]:
    """Each place where a parenthesis opens inside another, with its context."""
    found, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
            start = index if depth == 1 else start
            if depth == 2:
                found.append(text[max(0, start - 20) : index + 30])
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "\n" and text[index + 1 : index + 2] == "\n":
            depth = 0  # a paragraph ends what it opened
    return found


def test_the_nesting_detector_finds_what_it_must() -> None:
    assert nested_parentheses("a (b (c) d) e") and not nested_parentheses("a (b) (c) e")


def test_no_parenthesis_opens_inside_another_in_any_pdf(page_texts: dict[str, list[str]]) -> None:
    for name, pages in page_texts.items():
        assert nested_parentheses("\n\n".join(pages)) == [], name


def headings_left_alone(page) -> list[str]:
    """Headings (the heading font, larger than the text) followed on their page by fewer
    than two lines of anything."""
    rows: dict[int, list] = {}
    for char in page.chars:
        if 20 * MM < char["top"] < page.height - 22 * MM:
            rows.setdefault(round(char["top"]), []).append(char)
    lines = [chars for _, chars in sorted(rows.items())]
    alone = []
    for index, chars in enumerate(lines):
        text = "".join(c["text"] for c in chars).strip()
        heading = all("Biolinum" in c["fontname"] and c["size"] > 11.4 for c in chars)
        if heading and len(text) > 2 and len(lines) - index - 1 < 2:
            alone.append(text)
    return alone


def has_folio(text: str) -> bool:
    """A text page: the cover and letters carry no folio."""
    return bool(re.search(r"(?m)^\d+ / \d+$", text))


def test_no_heading_is_left_at_the_foot_of_a_page(
    editions: list[Path], page_texts: dict[str, list[str]]
) -> None:
    for pdf in editions:
        with pdfplumber.open(pdf) as document:
            for number, page in enumerate(document.pages, start=1):
                if has_folio(page_texts[pdf.name][number - 1]):
                    assert headings_left_alone(page) == [], f"{pdf.name}, page {number}"


@pytest.fixture(scope="module")
def ordinals_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with ordinals in running text, a figure's caption and a table."""
    project = tmp_path_factory.mktemp("ordinals") / "p"
    shutil.copytree(SAMPLE, project)
    chapter = project / "chapters" / "01-synthese.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8")
        + "\n\nLe 2e plan succède au 1er, comme au XXIe siècle.\n\n"
        "| Plan | Rang |\n|---|---|\n| national | 3e |\n",
        encoding="utf-8",
    )
    data = project / "data" / "plan.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace("title: Prévenir", "title: Prévenir (2e axe)"),
        encoding="utf-8",
    )
    return build(project, project.parent / "out", BuildOptions()).pdf


def raised_suffixes(pdf: Path) -> list[str]:
    """Each 'e'/'er' set smaller and higher right after a digit or a Roman numeral."""
    found = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = page.chars
            for before, char in pairwise(chars):
                if (
                    char["text"] in "er"
                    and (before["text"].isdigit() or before["text"] in "IVXLC")
                    and char["size"] < before["size"] * 0.85
                    and char["bottom"] < before["bottom"] - 0.5
                ):
                    found.append(before["text"] + char["text"])
    return found


def test_ordinals_are_set_in_superscript_in_text_tables_and_cards(ordinals_pdf: Path) -> None:
    raised = raised_suffixes(ordinals_pdf)
    assert raised.count("2e") >= 2  # the running text and the axis title on the card
    assert "1e" in raised  # 1er: its 'e', then its 'r'
    assert "3e" in raised  # in a table cell
    assert "Ie" in raised  # XXIe


def test_a_title_is_balanced_no_word_left_alone() -> None:
    html = str(balanced_lines("Un rapport sur le plan national de lutte contre la traite", 24))
    lines = re.findall(r'<span class="balanced-line">(.*?)</span>', html)
    assert " ".join(lines) == "Un rapport sur le plan national de lutte contre la traite"
    lengths = [len(line) for line in lines]
    assert len(lengths) == 3 and max(lengths) - min(lengths) <= 8


def with_asides(tmp_path: Path, *notes: str) -> tuple[Path, str]:
    project = tmp_path / "p"
    shutil.copytree(SAMPLE, project)
    chapter = project / "chapters" / "01-synthese.md"
    boxes = "".join(f"\n\n::: aside\n{note}\n:::\n" for note in notes)
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + boxes + "\n\nLa suite.\n", encoding="utf-8"
    )
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["build", str(project), "-o", str(tmp_path / "out")]) == 0
    reset_logging()
    return tmp_path / "out" / "essai.pdf", err.getvalue()


def test_a_side_note_sits_in_the_outer_margin_of_its_page(tmp_path: Path) -> None:
    pdf, err = with_asides(tmp_path, "Trois sur quatre : le chiffre à retenir.")
    assert "warning:" not in err
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words()
            note = [w for w in words if w["text"] == "retenir."]
            if not note:
                continue
            body = [w for w in words if w["text"] == "suite."]
            assert body and note[0]["x0"] > body[0]["x1"] + 20 * MM  # beyond the type area
            outer_right = number % 2 == 1
            assert (note[0]["x0"] > page.width / 2) == outer_right
            shown_on = [
                n for n, p in enumerate(document.pages, 1) if "retenir." in (p.extract_text() or "")
            ]
            assert shown_on == [number], "a side note is shown on its own page only"
            break
        else:
            pytest.fail("the side note is not in the PDF")


def test_a_second_side_note_on_the_same_page_is_told_missing(tmp_path: Path) -> None:
    _, err = with_asides(tmp_path, "Première note.", "Seconde note.")
    assert "text missing from the PDF: «Seconde note.»" in err
