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

from report.output import accessibility
from report.output.document_text import DocumentText, lost_text, read

logger = logging.getLogger(__name__)

NEAR_EMPTY_CHARS = 40
# Ten lines of body text (11 pt, leading 1.4): more left empty at the foot of a page that
# the same text continues after means a block kept whole jumped to the next page.
GAP_MM = 55
LOST_SHOWN = 3  # runs of lost text named per chapter


@dataclass(frozen=True)
class PageSummary:
    """What the gate needs to know of one laid-out page (built by the render stage)."""

    anchors: frozenset[str]
    text_chars: int
    has_image: bool
    overflows: tuple[str, ...]
    text: str = ""  # the text laid out in the page's flow, in reading order
    notes: str = ""  # the text of its footnotes
    empty_below: float = 0.0  # mm of text area left empty at the foot (0 on a cover)
    forced_start: bool = False  # the page opens on a break its content asked for
    footnotes: int = 0  # notes laid out in its footnote area


@dataclass(frozen=True)
class Expectations:
    """What must reach the PDF: chapters in order, every measure, a size budget."""

    chapter_ids: tuple[str, ...]
    chapter_titles: dict[str, str]
    measure_anchors: dict[str, int]
    size_budget: int
    max_pages: int | None = None
    # Anchors of what opens on a new page (chapters, the contents, a letter): the page
    # before one may end anywhere.
    section_starts: frozenset[str] = frozenset()
    # The standard the PDF was asked to meet ("pdf/a-3a"; None: none). A tagged variant
    # gets the accessibility checks, and its standards must be declared in the metadata.
    pdf_variant: str | None = None
    # Anchors of pages that may hold little text: the contents of a short report (its
    # dots are drawn, not written).
    short_pages: frozenset[str] = frozenset()


def verify(
    pages: list[PageSummary], pdf: bytes, expected: Expectations, html: str = ""
) -> list[str]:
    """Every problem found, as one readable sentence each."""
    document = read(html)
    problems = [
        *_repeated(document.ids),
        *_completeness(pages, expected),
        *_missing_text(pages, document, expected),
        *_lost_footnotes(pages, document),
        *_overflows(pages),
        *_near_empty(pages, expected),
        *_gaps(pages, expected),
        *_file_problems(pdf, expected.pdf_variant, html),
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


def duplicate_ids(html: str) -> list[str]:
    """An id given to two elements: links and references to it lead to the first one only
    (WeasyPrint keeps one), so the reader of the second is lost without a word."""
    return _repeated(read(html).ids)


def _repeated(ids: Counter[str]) -> list[str]:
    return [
        f"the id '{name}' is given to {count} elements, so links to it are ambiguous: "
        "place each block (measure table, cards, recommendations) once, or rename a "
        "heading's {#id}"
        for name, count in ids.items()
        if count > 1
    ]


def _missing_text(
    pages: list[PageSummary], document: DocumentText, expected: Expectations
) -> list[str]:
    """Text of the HTML that the laid-out pages do not hold, a few runs per chapter."""
    if not any(page.text for page in pages):
        return []  # pages summarised without their text (tests of the other checks)
    flow = "".join(page.text for page in pages)
    notes = "".join(page.notes for page in pages)
    by_chapter: dict[str, list[str]] = {}
    for run in lost_text(document.runs, flow, notes):
        by_chapter.setdefault(run.chapter, []).append(" ".join(run.text.split()))
    return [
        f"{_where(chapter, expected)}text missing from the PDF: "
        + "; ".join(f"«{_shortened(text)}»" for text in texts[:LOST_SHOWN])
        + (f" and {len(texts) - LOST_SHOWN} more" if len(texts) > LOST_SHOWN else "")
        + " (lost in the layout, or hidden by a stylesheet: check the HTML around it)"
        for chapter, texts in by_chapter.items()
    ]


def _lost_footnotes(pages: list[PageSummary], document: DocumentText) -> list[str]:
    """Footnotes of the HTML that no page prints (their text may still be elsewhere, in
    the bibliography, so the text check alone would not see a lost source)."""
    printed = sum(page.footnotes for page in pages)
    if not any(page.text for page in pages) or printed >= document.footnotes:
        return []
    return [
        f"{document.footnotes - printed} of {document.footnotes} footnotes are missing from "
        "the PDF (the layout engine dropped them at a page break): a source goes uncited; "
        "move the call or shorten the paragraph or note around it"
    ]


def _where(chapter: str, expected: Expectations) -> str:
    title = expected.chapter_titles.get(chapter)
    return f"chapter '{title}': " if title else ""


def _shortened(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def report_problems(problems: list[str]) -> None:
    for problem in problems:
        logger.warning("verification: %s", problem)


def _file_problems(pdf: bytes, variant: str | None = None, html: str = "") -> list[str]:
    """qpdf's structural check, every font embedded (no reader-side substitution), and
    the accessibility checks of a tagged PDF."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        problems = [f"PDF structure: {problem}" for problem in document.check_pdf_syntax()]
        problems += _accessibility(document, variant, html)
        for number, page in enumerate(document.pages, 1):
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for font in fonts.values():
                if not _embedded(font):
                    problems.append(
                        f"page {number}: font {font.get('/BaseFont')} is not "
                        "embedded; install it (see setup.sh)"
                    )
    return problems


def _accessibility(document, variant: str | None, html: str) -> list[str]:
    """The PDF/UA-1 structure checks of a PDF the build asked to be tagged (a PDF/A level
    "a" or PDF/UA): one line per rule; the rules not enforced yet go to the debug log."""
    if not variant or not (variant.endswith("a") or variant.startswith("pdf/ua")):
        return []
    findings = accessibility.check(document, variant, html)
    waiting = [f for f in findings if f.rule not in accessibility.ENFORCED_RULES]
    for line in accessibility.summarise(waiting):
        logger.debug("verification (not enforced yet): %s", line)
    return accessibility.summarise([f for f in findings if f.rule in accessibility.ENFORCED_RULES])


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


def _near_empty(pages: list[PageSummary], expected: Expectations) -> list[str]:
    return [
        f"page {number} is nearly empty ({page.text_chars} characters): check page breaks before it"
        for number, page in enumerate(pages, 1)
        if 0 < page.text_chars < NEAR_EMPTY_CHARS
        and not page.has_image
        and not page.anchors & expected.short_pages
    ]


def _gaps(pages: list[PageSummary], expected: Expectations) -> list[str]:
    """Pages that end well above their foot although the text goes on after them (the
    page before a chapter, the contents, a letter, a cover, or a break the content asks
    for may end anywhere)."""
    starts = expected.section_starts | set(expected.chapter_ids)
    opening = {_first_page(pages, anchor) for anchor in starts}
    return [
        f"page {number} ends {page.empty_below:.0f} mm above its foot although the text "
        "goes on: a block kept whole (a card, a figure, a box, a table row) moved to the "
        "next page; shorten it or let it break"
        for number, page in enumerate(pages[:-1], 1)
        if page.empty_below > GAP_MM
        and number + 1 not in opening
        and not pages[number].forced_start
        and _has_content(page)
        and _has_content(pages[number])  # a blank verso before a right-hand opening
    ]


def _has_content(page: PageSummary) -> bool:
    return page.text_chars > 0 or page.has_image
