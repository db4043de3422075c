"""Stage 8: the verification gate, run on the laid-out pages of every build.

HTML-to-PDF pipelines can lose content without any error (a flex container that cannot
be fragmented, a table clipped at the right edge). These checks compare what was laid
out with what the data says must be there, and report each gap as a warning (an error
under ``--strict``) that says what is wrong and where.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

NEAR_EMPTY_CHARS = 40


@dataclass(frozen=True)
class PageSummary:
    """What the gate needs to know of one laid-out page (built by the render stage)."""

    anchors: frozenset[str]
    text_chars: int
    has_image: bool
    overflows: tuple[str, ...]


@dataclass(frozen=True)
class Expectations:
    """What must reach the PDF: chapters in order, every measure, a size budget."""

    chapter_ids: tuple[str, ...]
    chapter_titles: dict[str, str]
    measure_anchors: dict[str, int]
    size_budget: int
    max_pages: int | None = None


def verify(
    pages: list[PageSummary], pdf: bytes, expected: Expectations, html: str = ""
) -> list[str]:
    """Every problem found, as one readable sentence each."""
    problems = [
        *duplicate_ids(html),
        *_completeness(pages, expected),
        *_overflows(pages),
        *_near_empty(pages),
        *_file_problems(pdf),
    ]
    if expected.max_pages and len(pages) > expected.max_pages:
        problems.append(
            f"{len(pages)} pages, over the edition's max_pages of "
            f"{expected.max_pages}: shorten its chapters"
        )
    pdf_size = len(pdf)
    if pdf_size > expected.size_budget:
        problems.append(
            f"the PDF weighs {pdf_size / 1e6:.1f} MB, over the budget of "
            f"{expected.size_budget / 1e6:.1f} MB (size_budget_mb in report.yaml); "
            "mail gateways may reject it: shrink images or raise the budget"
        )
    return problems


class _IdCounter(HTMLParser):
    """Counts the ``id`` attributes of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def duplicate_ids(html: str) -> list[str]:
    """An id given to two elements: links and references to it lead to the first one only
    (WeasyPrint keeps one), so the reader of the second is lost without a word."""
    counter = _IdCounter()
    counter.feed(html)
    counter.close()
    return [
        f"the id '{name}' is given to {count} elements, so links to it are ambiguous: "
        "place each block (measure table, cards, recommendations) once, or rename a "
        "heading's {#id}"
        for name, count in counter.ids.items()
        if count > 1
    ]


def report_problems(problems: list[str]) -> None:
    for problem in problems:
        logger.warning("verification: %s", problem)


def _file_problems(pdf: bytes) -> list[str]:
    """qpdf's structural check, and every font embedded (no reader-side substitution)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        problems = [f"PDF structure: {problem}" for problem in document.check_pdf_syntax()]
        for number, page in enumerate(document.pages, 1):
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for font in fonts.values():
                if not _embedded(font):
                    problems.append(
                        f"page {number}: font {font.get('/BaseFont')} is not "
                        "embedded; install it (see setup.sh)"
                    )
    return problems


def _embedded(font) -> bool:
    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor")
    if descriptor is None:  # Type 3 fonts carry their glyphs in the file itself
        return str(font.get("/Subtype")) == "/Type3"
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _first_page(pages: list[PageSummary], anchor: str) -> int | None:
    return next((number for number, page in enumerate(pages, 1) if anchor in page.anchors), None)


def _completeness(pages: list[PageSummary], expected: Expectations) -> list[str]:
    problems, previous = [], 0
    for chapter_id in expected.chapter_ids:
        title = expected.chapter_titles[chapter_id]
        page = _first_page(pages, chapter_id)
        if page is None:
            problems.append(f"chapter '{title}' is missing from the PDF (content lost)")
        elif page < previous:
            problems.append(
                f"chapter '{title}' starts on page {page}, before the chapter that precedes it"
            )
        previous = page or previous
    for anchor, number in expected.measure_anchors.items():
        if _first_page(pages, anchor) is None:
            problems.append(
                f"measure {number} does not appear in the PDF (content lost, or "
                "no recap, table or card shows it)"
            )
    return problems


def _overflows(pages: list[PageSummary]) -> list[str]:
    return [
        f"page {number}: {what}"
        for number, page in enumerate(pages, 1)
        for what in dict.fromkeys(page.overflows)
    ]


def _near_empty(pages: list[PageSummary]) -> list[str]:
    return [
        f"page {number} is nearly empty ({page.text_chars} characters): check page breaks before it"
        for number, page in enumerate(pages, 1)
        if 0 < page.text_chars < NEAR_EMPTY_CHARS and not page.has_image
    ]
