"""End to end: build the sample project once and read the PDF back.

The layout is still evolving, so page numbers are never hard-coded: the table of contents,
bookmarks, references and headings are checked against each other.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest
from support import SAMPLE, SUMMARY, Project, Run, normalise, run_main

from report.app.build import prepare

CHAPTERS = ("Synthèse", "État des mesures")
FOOTNOTE = "Bilan publié par l’évaluateur fictif."


@dataclass
class Built:
    root: Path
    run: Run
    pdf: Path
    html: Path
    texts: list[str]  # normalised text of each page
    headings: list[list[str]]  # lines set in large type (>= 18 pt) on each page


def large_lines(page) -> list[str]:
    large = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("size", 0) >= 18)
    return [normalise(line) for line in (large.extract_text() or "").splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("e2e")
    run = run_main(["build", SAMPLE, "-o", "out"], cwd=root)
    assert run.code == 0, run.err
    pdf = root / "out" / "essai.pdf"
    with pdfplumber.open(pdf) as document:
        texts = [normalise(page.extract_text() or "") for page in document.pages]
        headings = [large_lines(page) for page in document.pages]
    return Built(root, run, pdf, root / "out" / "essai.html", texts, headings)


def outline_pages(pdf: Path) -> dict[str, int]:
    """Bookmark title -> 1-based page."""
    reader = pypdf.PdfReader(pdf)
    found: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return found


def toc_entries(built: Built) -> dict[str, int]:
    """Entries of the table of contents: title -> printed page number (the dots between
    them are drawn, not text)."""
    [toc_page] = [i for i, lines in enumerate(built.headings) if "Sommaire" in lines]
    with pdfplumber.open(built.pdf) as document:
        lines = (document.pages[toc_page].extract_text() or "").splitlines()
    entries = {}
    for line in lines:
        match = re.fullmatch(r"(.+?) ?(?:\.{3,} ?)?(\d+)", normalise(line))
        if match:
            entries[match[1]] = int(match[2])
    return entries


def page_of_heading(built: Built, title: str) -> int:
    pages = [number for number, lines in enumerate(built.headings, start=1) if title in lines]
    assert len(pages) == 1, (title, pages)
    return pages[0]


# --- the summary line and the files ----------------------------------------------------


def test_summary_line_gives_the_real_page_count(built: Built) -> None:
    assert built.run.lines[:-1] == ["note: 2 of 4 measures have no documented status: 3-4"]
    summary = SUMMARY.match(built.run.lines[-1])
    assert summary, built.run.lines[-1]
    assert summary["pdf"] == "out/essai.pdf" and summary["warnings"] == "0"
    pages = len(pypdf.PdfReader(built.pdf).pages)
    assert int(summary["pages"]) == pages == len(built.texts)
    # cover, contents and two chapters, each on a new page, no blank page between
    assert pages >= 4


def test_html_beside_the_pdf_is_exactly_what_was_rendered(built: Built, tmp_path: Path) -> None:
    html = built.html.read_bytes()
    assert html.decode("utf-8") == prepare(SAMPLE, tmp_path / ".cache").html
    with pikepdf.open(built.pdf) as pdf:
        assert bytes(pdf.trailer.ID[0]) == hashlib.md5(html, usedforsecurity=False).digest()
    assert html.startswith(b'<!DOCTYPE html>\n<html lang="fr">')
    assert b"<title>Rapport d&#39;essai</title>" in html


def test_building_twice_gives_the_same_bytes(built: Built) -> None:
    charts = sorted((built.root / "out" / ".cache" / "charts").glob("*.svg"))
    stamps = [path.stat().st_mtime_ns for path in charts]
    again = run_main(["build", SAMPLE, "-o", "again"], cwd=built.root)
    assert again.code == 0, again.err
    assert (built.root / "again" / "essai.pdf").read_bytes() == built.pdf.read_bytes()
    assert (built.root / "again" / "essai.html").read_bytes() == built.html.read_bytes()
    forced = run_main(["build", SAMPLE, "-o", "out", "--force"], cwd=built.root)
    assert forced.code == 0, forced.err
    assert SUMMARY.match(forced.lines[-1])
    assert built.pdf.read_bytes() == (built.root / "again" / "essai.pdf").read_bytes()
    assert [path.stat().st_mtime_ns for path in charts] == stamps, "charts came from the cache"


# --- what the PDF shows ----------------------------------------------------------------


def test_pdf_metadata_and_language(built: Built) -> None:
    reader = pypdf.PdfReader(built.pdf)
    assert reader.metadata.title == "Rapport d'essai"
    assert reader.metadata.author == "Collectif d'essai"
    assert reader.metadata.subject == "Évaluation fictive d'un plan d'action"
    assert reader.metadata["/Keywords"] == "essai, plan"
    assert reader.metadata["/CreationDate"].startswith("D:20230218")
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_cover_is_page_one_with_the_title(built: Built) -> None:
    with pdfplumber.open(built.pdf) as document:
        cover = document.pages[0]
        biggest = max(char["size"] for char in cover.chars)
        title = "".join(char["text"] for char in cover.chars if char["size"] == biggest)
    assert title == "Rapport d’essai"
    assert "Évaluation fictive d’un plan d’action" in built.texts[0]
    assert "18 février 2023" in built.texts[0]
    assert all("Rapport d’essai" not in lines for lines in built.headings[1:])


def test_toc_page_numbers_are_the_pages_of_the_chapter_titles(built: Built) -> None:
    entries = toc_entries(built)
    bookmarks = outline_pages(built.pdf)
    for title in CHAPTERS:
        assert entries[title] == page_of_heading(built, title), title
        assert bookmarks[title] == entries[title], title
    assert entries[CHAPTERS[0]] < entries[CHAPTERS[1]]


def test_measure_reference_gives_the_page_of_its_card(built: Built) -> None:
    synthese = page_of_heading(built, "Synthèse")
    # "mesure 1, p. 5": the vocabulary's default form, no nested brackets
    references = dict(re.findall(r"mesure (\d+), p\. (\d+)", built.texts[synthese - 1]))
    bookmarks = outline_pages(built.pdf)
    [card] = [title for title in bookmarks if re.match(r"Mesure 1\b", title)]
    assert int(references["1"]) == bookmarks[card]


def test_footnote_is_printed_on_the_page_of_its_call(built: Built) -> None:
    pages_with_note = [n for n, text in enumerate(built.texts, start=1) if FOOTNOTE in text]
    pages_with_call = [
        n for n, text in enumerate(built.texts, start=1) if "seules 1 ont été réalisées" in text
    ]
    assert len(pages_with_note) == 1
    assert pages_with_call == pages_with_note
    with pdfplumber.open(built.pdf) as document:
        page = document.pages[pages_with_note[0] - 1]
        [call] = page.search("ont été réalisées")
        [note] = page.search("Bilan publié par")
    assert note["top"] > call["top"], "the note sits below its call"
    assert note["top"] > page.height * 0.6, "at the foot of the page"


def test_chart_is_drawn_on_the_synthese_page(built: Built) -> None:
    synthese = page_of_heading(built, "Synthèse")
    # pypdf reads the text inside form XObjects (the SVG's labels); pdfplumber does not
    text = normalise(pypdf.PdfReader(built.pdf).pages[synthese - 1].extract_text())
    for label in ("Bilan officiel des mesures", "Partiellement réalisée", "2 (50 %)", "1 (25 %)"):
        assert label in text, label
    with pikepdf.open(built.pdf) as pdf:
        page = pdf.pages[synthese - 1]
        used = {
            str(operands[0])
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) == "Do"
        }
        forms = {name for name in used if page.Resources.XObject[name].get("/Subtype") == "/Form"}
    assert forms, "the SVG chart is drawn as a form XObject"


def test_unknown_status_badge_is_a_bare_question_mark(built: Built) -> None:
    html = built.html.read_text(encoding="utf-8")
    assert '<span class="badge-shape" aria-hidden="true">?</span>' in html


# --- ids in the whole document ---------------------------------------------------------


@pytest.mark.parametrize("heading", ["## Fiches", "## Mesure 1"])
def test_heading_ids_are_unique_in_the_document(project: Project, heading: str) -> None:
    project.append("chapters/01-synthese.md", f"{heading}\n\nTexte.\n")
    html = prepare(Path("p"), Path("cache")).html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
