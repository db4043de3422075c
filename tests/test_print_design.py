"""Print design (issue 4): page boxes, TOC and bookmarks, running headers, fonts, badges."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest

from report.app.build import BuildOptions, build

SAMPLE = Path(__file__).parent / "samples" / "minimal"
A4 = (595.28, 841.89)
MM = 72 / 25.4


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("design")
    return build(SAMPLE, out).pdf


@pytest.fixture(scope="module")
def print_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    return build(SAMPLE, out, BuildOptions(print_marks=True)).pdf


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [page.extract_text() or "" for page in document.pages]


def normalise(text: str) -> str:
    """Compare texts whatever the spacing and the case (headings may be set in capitals)."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_every_page_is_a4(sample_pdf: Path) -> None:
    for page in pypdf.PdfReader(sample_pdf).pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)


def test_default_build_has_no_bleed_or_trim_box(sample_pdf: Path) -> None:
    for page in pikepdf.open(sample_pdf).pages:
        assert "/TrimBox" not in page.obj or list(page.obj.TrimBox) == list(page.obj.MediaBox)


def test_print_option_adds_3mm_bleed_and_trim_box(print_pdf: Path) -> None:
    document = pikepdf.open(print_pdf)
    page = document.pages[2].obj
    trim = [float(value) for value in page.TrimBox]
    bleed = [float(value) for value in page.BleedBox]
    assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.5)
    assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.1)
    assert bleed[2] - trim[2] == pytest.approx(3 * MM, abs=0.1)


def test_bookmarks_point_to_pages_carrying_their_titles(sample_pdf: Path) -> None:
    reader = pypdf.PdfReader(sample_pdf)
    texts = [normalise(text) for text in page_texts(sample_pdf)]
    marks = outline(reader)
    assert [title for level, title, _ in marks if level == 1] == [
        "Sommaire",
        "Synthèse",
        "État des mesures",
    ]
    assert any(title.startswith("Mesure 1") for _, title, _ in marks), "a bookmark per measure"
    for _, title, page in marks:
        assert normalise(title) in texts[page - 1], f"bookmark {title!r} -> page {page}"


def test_toc_numbers_are_the_pages_of_the_chapters(sample_pdf: Path) -> None:
    texts = page_texts(sample_pdf)
    starts = {
        title: page for level, title, page in outline(pypdf.PdfReader(sample_pdf)) if level == 1
    }
    toc = next(text for text in texts if text.startswith("Sommaire"))
    for title in ("Synthèse", "État des mesures"):
        match = re.search(re.escape(title) + r"[\s.]*(\d+)", toc)
        assert match, f"{title} missing from the contents"
        assert int(match[1]) == starts[title]


def test_in_print_chapters_open_on_right_hand_pages(print_pdf: Path) -> None:
    for level, _, page in outline(pypdf.PdfReader(print_pdf)):
        if level == 1:
            assert page % 2 == 1


def test_the_screen_pdf_has_no_blank_page(sample_pdf: Path) -> None:
    with pdfplumber.open(sample_pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            assert page.chars or page.images, f"page {number} is blank"
    starts = [page for level, _, page in outline(pypdf.PdfReader(sample_pdf)) if level == 1]
    assert any(page % 2 == 0 for page in starts), "a chapter opens on the next page, even left"


def segments_outside_trim(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    """Every straight line the page strokes beyond its trim box (the crop marks), in page
    coordinates: the current transformation matrix is followed through q, Q and cm."""
    left, bottom, right, top = (float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox))
    matrix, stack = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []
    found, start = [], None
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(matrix)
        elif op == "Q":
            matrix = stack.pop()
        elif op == "cm":
            matrix = _times(tuple(float(v) for v in operands), matrix)
        elif op == "m":
            start = _apply(matrix, *(float(v) for v in operands))
        elif op == "l" and start is not None:
            end = _apply(matrix, *(float(v) for v in operands))
            xs, ys = (start[0], end[0]), (start[1], end[1])
            if max(xs) < left or min(xs) > right or max(ys) < bottom or min(ys) > top:
                found.append((*start, *end))
            start = end
    return found


def _times(a: tuple, b: tuple) -> tuple:
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def test_in_print_crop_marks_lie_in_the_slug_outside_the_bleed(print_pdf: Path) -> None:
    """A print shop trims at the trim box and prints 3 mm of bleed around it: the marks
    must lie beyond the bleed, inside the media box, eight a page (two a corner)."""
    for page in pikepdf.open(print_pdf).pages:
        media = [float(v) for v in page.obj.MediaBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        marks = segments_outside_trim(page)
        assert len(marks) == 8
        for x1, y1, x2, y2 in marks:
            for x, y in ((x1, y1), (x2, y2)):
                assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
                gap = MM - 0.01  # the marks start 1 mm beyond the bleed
                outside = x <= bleed[0] - gap or x >= bleed[2] + gap
                outside = outside or y <= bleed[1] - gap or y >= bleed[3] + gap
                assert outside, f"a mark reaches into the bleed at ({x:.1f}, {y:.1f})"


def test_screen_pdf_has_no_crop_marks(sample_pdf: Path) -> None:
    assert all(not segments_outside_trim(page) for page in pikepdf.open(sample_pdf).pages)


@pytest.fixture(scope="module")
def long_text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with two pages of justified text and a footnote in its first chapter."""
    project = tmp_path_factory.mktemp("grid") / "p"
    shutil.copytree(SAMPLE, project)
    chapter = project / "chapters" / "01-synthese.md"
    paragraph = (
        "Le plan national prévoyait des mesures de prévention, de protection des victimes "
        "et de poursuite des auteurs, dont la mise en œuvre devait être suivie chaque année "
        "par un comité réunissant les administrations et les associations concernées. "
    ) * 4
    text = chapter.read_text(encoding="utf-8") + "\n\n" + "\n\n".join([paragraph] * 8)
    chapter.write_text(text + "Une note[^grille].\n\n[^grille]: Le texte de la note.\n")
    return build(project, project.parent / "out").pdf


def test_heads_folios_and_notes_share_the_text_block(long_text_pdf: Path) -> None:
    """The running head and the folio end at the text block's outer edge, notes start at
    its inner edge, on left and right pages alike: nothing is inset or hangs out."""
    checked = set()
    with pdfplumber.open(long_text_pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            body = [c for c in page.chars if 20 * MM < c["top"] < page.height - 25 * MM]
            rows: dict[int, list] = {}
            for char in body:
                if abs(char["size"] - 11) < 0.2:
                    rows.setdefault(round(char["top"]), []).append(char)
            full = [row for row in rows.values() if len(row) > 55]  # justified lines
            head = [c for c in page.chars if c["top"] < 20 * MM]
            folio = [c for c in page.chars if c["top"] > page.height - 20 * MM]
            if len(full) < 3 or not head or not folio:
                continue
            left = min(min(c["x0"] for c in row) for row in full)
            right = max(max(c["x1"] for c in row) for row in full)
            recto = number % 2 == 1
            outer = right if recto else left
            for part, chars in (("head", head), ("folio", folio)):
                edge = max(c["x1"] for c in chars) if recto else min(c["x0"] for c in chars)
                assert edge == pytest.approx(outer, abs=1.5), f"{part} of page {number}"
            notes = [c for c in body if c["size"] < 9.5 and c["top"] > page.height / 2]
            if notes:
                assert min(c["x0"] for c in notes) == pytest.approx(left, abs=1.5)
            checked.add("recto" if recto else "verso")
    assert checked == {"recto", "verso"}


def test_running_header_is_the_chapter_on_every_text_page(sample_pdf: Path) -> None:
    starts = sorted(
        (page, title)
        for level, title, page in outline(pypdf.PdfReader(sample_pdf))
        if level == 1 and title != "Sommaire"
    )
    with pdfplumber.open(sample_pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            body = page.extract_text() or ""
            header = page.crop((0, 0, page.width, 20 * MM)).extract_text() or ""
            current = [title for start, title in starts if start <= number]
            if number == 1 or not body.strip() or not current:
                assert header.strip() == "", f"page {number} (cover, blank, contents)"
            else:
                assert normalise(header) == normalise(current[-1]), f"page {number}"


def test_blank_pages_have_no_folio(sample_pdf: Path) -> None:
    for number, text in enumerate(page_texts(sample_pdf), start=1):
        if number > 1 and not re.search(r"[A-Za-zÀ-ÿ]{3}", text):
            assert text.strip() == "", f"blank page {number} carries {text!r}"


def test_folio_reads_page_of_pages(sample_pdf: Path) -> None:
    texts = page_texts(sample_pdf)
    total = len(texts)
    synthese = next(n for n, text in enumerate(texts, 1) if text.lstrip().startswith("Synthèse"))
    assert f"{synthese} / {total}" in normalise(texts[synthese - 1])


def test_fonts_are_embedded_and_are_the_theme_fonts(sample_pdf: Path) -> None:
    families = set()
    for page in pikepdf.open(sample_pdf).pages:
        for font in page.obj.Resources.get("/Font", {}).values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            families.add(str(font.BaseFont).split("+")[-1])
    assert families, "no fonts found"
    assert all(name.startswith(("Linux-Libertine", "Linux-Biolinum")) for name in families), (
        families
    )


def test_every_status_badge_carries_its_label(sample_pdf: Path) -> None:
    html = sample_pdf.with_suffix(".html").read_text(encoding="utf-8")
    badge = (
        r'<span class="badge badge-\w+"[^>]*>'
        r'<span class="badge-shape"[^>]*>(.)</span>([^<]*)</span>'
    )
    badges = re.findall(badge, html)
    assert len(badges) >= 8, badges
    for shape, label in badges:
        assert shape in "●◐○?" and label.strip(), "a badge without its shape and text label"
    text = normalise(" ".join(page_texts(sample_pdf)))
    for label in ("Partiellement réalisée", "Non réalisée", "Non documentée"):
        assert normalise(label) in text


def test_footnote_prints_on_the_page_of_its_call(sample_pdf: Path) -> None:
    for text in page_texts(sample_pdf):
        if "Bilan publié" in text:
            assert "Synthèse" in text
            break
    else:
        pytest.fail("footnote text not found")


def test_content_stylesheet_overrides_the_theme(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    (project / "styles").mkdir()
    (project / "styles" / "brand.css").write_text(
        ".chapter-title { color: #00ff00; }", encoding="utf-8"
    )
    result = build(project, tmp_path / "out")
    with pdfplumber.open(result.pdf) as document:
        colours = {
            tuple(round(c, 2) for c in (char.get("non_stroking_color") or ()))
            for page in document.pages
            for char in page.chars
            if char["text"] == "S" and char["size"] > 20
        }
    assert (0.0, 1.0, 0.0) in colours


def test_the_print_pdf_never_overwrites_the_screen_pdf(tmp_path: Path) -> None:
    screen = build(SAMPLE, tmp_path, BuildOptions())
    printed = build(SAMPLE, tmp_path, BuildOptions(print_marks=True))
    assert (screen.pdf.name, printed.pdf.name) == ("essai.pdf", "essai-print.pdf")
    assert screen.pdf.read_bytes() != printed.pdf.read_bytes()
    # each keeps its own record: building both again is instant
    assert build(SAMPLE, tmp_path, BuildOptions()).up_to_date
    assert build(SAMPLE, tmp_path, BuildOptions(print_marks=True)).up_to_date
