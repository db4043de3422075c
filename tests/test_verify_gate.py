"""The verification gate's every check, on hand-made pages and PDFs (no layout needed).

``verify()`` is given ``PageSummary`` objects and small PDFs made with pikepdf, so each
failure branch and threshold runs in milliseconds; the assertions are the sentences an
author reads in the build's warnings, page numbers included.
"""

from __future__ import annotations

import io
import logging

import pikepdf
import pytest

from report.output.verify import (
    NEAR_EMPTY_CHARS,
    Expectations,
    PageSummary,
    duplicate_ids,
    report_problems,
    verify,
)

CHAPTERS = ("intro", "mesures", "annexe")
TITLES = {"intro": "Introduction", "mesures": "Les mesures", "annexe": "Annexe"}
BUDGET = 10_000_000


def page(*anchors: str, chars: int = 500, image: bool = False, overflows=()) -> PageSummary:
    return PageSummary(frozenset(anchors), chars, image, tuple(overflows))


def expect(
    chapters: tuple[str, ...] = CHAPTERS,
    measures: dict[str, int] | None = None,
    size_budget: int = BUDGET,
    max_pages: int | None = None,
) -> Expectations:
    return Expectations(chapters, TITLES, measures or {}, size_budget, max_pages)


def pdf_bytes(*fonts: pikepdf.Dictionary, pages: int = 1, padding: int = 0) -> bytes:
    """A PDF of ``pages`` pages whose first page uses ``fonts``; ``padding`` adds bytes."""
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page()
    resources = document.pages[0].obj.Resources
    resources.Font = pikepdf.Dictionary(
        {f"/F{index}": _with_files(document, font) for index, font in enumerate(fonts, 1)}
    )
    document.pages[0].obj.Contents = document.make_stream(b" " * padding)
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=False)
    return buffer.getvalue()


def _with_files(document: pikepdf.Pdf, font: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """Give the font's descriptors real (tiny) font file streams owned by ``document``."""
    for part in [font, *font.get("/DescendantFonts", [])]:
        files = part.get("/FontDescriptor", {})
        for key in [key for key in files if key.startswith("/FontFile")]:
            files[key] = document.make_stream(b"glyphs")
    return document.make_indirect(font)


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly ``size`` bytes (its content stream is padded with spaces)."""
    padding = size - len(pdf_bytes())
    while len(pdf := pdf_bytes(padding=padding)) != size:  # offsets grow by a digit or two
        padding += size - len(pdf)
    return pdf


def font(subtype: str, name: str = "Helvetica", **entries) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name("/" + subtype),
        BaseFont=pikepdf.Name("/" + name),
        **entries,
    )


def descriptor(name: str, *files: str) -> pikepdf.Dictionary:
    entries = dict.fromkeys(files, pikepdf.Name.Placeholder)  # see _with_files
    return pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + name), **entries
    )


CLEAN_PDF = pdf_bytes()
ALL_CHAPTERS = [page("intro"), page("mesures", "mesure-1"), page("annexe")]


def test_a_complete_well_laid_out_report_has_no_problem() -> None:
    assert verify(ALL_CHAPTERS, CLEAN_PDF, expect(measures={"mesure-1": 1})) == []


# --- completeness: chapters and measures ---------------------------------------------


def test_a_missing_chapter_is_named_by_its_title() -> None:
    pages = [page("intro"), page("annexe")]
    assert verify(pages, CLEAN_PDF, expect()) == [
        "chapter 'Les mesures' is missing from the PDF (content lost)"
    ]


def test_a_chapter_out_of_order_names_its_page() -> None:
    pages = [page("intro"), page("annexe"), page(), page("mesures")]
    assert verify(pages, CLEAN_PDF, expect(("intro", "mesures", "annexe"))) == [
        "chapter 'Annexe' starts on page 2, before the chapter that precedes it"
    ]


def test_a_chapter_after_a_missing_one_is_compared_with_the_one_before() -> None:
    pages = [page(), page("annexe"), page("intro")]
    assert verify(pages, CLEAN_PDF, expect()) == [
        "chapter 'Les mesures' is missing from the PDF (content lost)",
        "chapter 'Annexe' starts on page 2, before the chapter that precedes it",
    ]


def test_two_chapters_may_start_on_the_same_page() -> None:
    pages = [page("intro", "mesures"), page("annexe")]
    assert verify(pages, CLEAN_PDF, expect()) == []


def test_a_chapter_is_placed_by_the_first_page_that_holds_its_anchor() -> None:
    pages = [page("intro"), page("mesures"), page("annexe", "intro")]
    assert verify(pages, CLEAN_PDF, expect()) == []


def test_every_lost_measure_is_named_by_its_number() -> None:
    pages = [page("intro", "mesure-1"), page("mesures"), page("annexe")]
    measures = {"mesure-1": 1, "mesure-7": 7, "mesure-12": 12}
    assert verify(pages, CLEAN_PDF, expect(measures=measures)) == [
        "measure 7 does not appear in the PDF (content lost, or no recap, table or card shows it)",
        "measure 12 does not appear in the PDF (content lost, or no recap, table or card shows it)",
    ]


# --- boxes sticking out of the text area ---------------------------------------------


def test_overflows_are_reported_with_their_page_number() -> None:
    pages = [
        page("intro"),
        page("mesures", overflows=["<table> sticks out of the text area by 134 mm"]),
        page("annexe", overflows=["<pre> sticks out", "<img> sticks out"]),
    ]
    assert verify(pages, CLEAN_PDF, expect()) == [
        "page 2: <table> sticks out of the text area by 134 mm",
        "page 3: <pre> sticks out",
        "page 3: <img> sticks out",
    ]


def test_the_same_overflow_on_one_page_is_reported_once() -> None:
    pages = [page("intro", "mesures", "annexe", overflows=["<pre> sticks out"] * 3)]
    assert verify(pages, CLEAN_PDF, expect()) == ["page 1: <pre> sticks out"]


# --- near-empty pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chars", "flagged"),
    [(1, True), (NEAR_EMPTY_CHARS - 1, True), (NEAR_EMPTY_CHARS, False), (41, False)],
)
def test_a_page_under_40_characters_is_nearly_empty(chars: int, flagged: bool) -> None:
    assert NEAR_EMPTY_CHARS == 40
    pages = [*ALL_CHAPTERS, page(chars=chars)]
    expected = [f"page 4 is nearly empty ({chars} characters): check page breaks before it"]
    assert verify(pages, CLEAN_PDF, expect()) == (expected if flagged else [])


def test_a_blank_page_is_not_nearly_empty() -> None:
    assert verify([*ALL_CHAPTERS, page(chars=0)], CLEAN_PDF, expect()) == []


def test_a_page_with_an_image_and_a_short_caption_is_not_nearly_empty() -> None:
    assert verify([*ALL_CHAPTERS, page(chars=12, image=True)], CLEAN_PDF, expect()) == []


def test_the_first_page_number_is_one() -> None:
    pages = [page("intro", "mesures", "annexe", chars=6)]
    assert verify(pages, CLEAN_PDF, expect()) == [
        "page 1 is nearly empty (6 characters): check page breaks before it"
    ]


# --- page count and file size ----------------------------------------------------------


def test_an_edition_over_its_max_pages_is_told_to_shorten() -> None:
    pages = [*ALL_CHAPTERS, page()]
    assert verify(pages, CLEAN_PDF, expect(max_pages=3)) == [
        "4 pages, over the edition's max_pages of 3: shorten its chapters"
    ]


def test_an_edition_at_its_max_pages_passes() -> None:
    assert verify(ALL_CHAPTERS, CLEAN_PDF, expect(max_pages=3)) == []


def test_no_max_pages_means_no_page_limit() -> None:
    assert verify(ALL_CHAPTERS * 100, CLEAN_PDF, expect(max_pages=None)) == []


def test_a_pdf_over_the_size_budget_says_both_sizes_in_mb() -> None:
    pdf = pdf_of_size(1_050_000)
    assert verify(ALL_CHAPTERS, pdf, expect(size_budget=650_000)) == [
        "the PDF weighs 1.1 MB, over the budget of 0.7 MB (size_budget_mb in report.yaml); "
        "mail gateways may reject it: shrink images or raise the budget"
    ]


def test_a_pdf_exactly_at_its_budget_passes() -> None:
    assert verify(ALL_CHAPTERS, CLEAN_PDF, expect(size_budget=len(CLEAN_PDF))) == []


def test_a_pdf_one_byte_over_its_budget_fails() -> None:
    [problem] = verify(ALL_CHAPTERS, CLEAN_PDF, expect(size_budget=len(CLEAN_PDF) - 1))
    assert problem.startswith("the PDF weighs 0.0 MB, over the budget of 0.0 MB")


# --- fonts and file structure ----------------------------------------------------------


def test_an_unembedded_font_is_named_with_its_page() -> None:
    pdf = pdf_bytes(font("TrueType", "Marianne", FontDescriptor=descriptor("Marianne")))
    assert verify(ALL_CHAPTERS, pdf, expect()) == [
        "page 1: font /Marianne is not embedded; install it (see setup.sh)"
    ]


def test_a_standard_font_without_descriptor_is_not_embedded() -> None:
    pdf = pdf_bytes(font("Type1", "Helvetica"), pages=2)
    assert verify(ALL_CHAPTERS, pdf, expect()) == [
        "page 1: font /Helvetica is not embedded; install it (see setup.sh)"
    ]


def test_fonts_are_checked_on_every_page_with_its_number() -> None:
    document = pikepdf.new()
    for name in ("Un", "Deux"):
        document.add_blank_page()
        document.pages[-1].obj.Resources.Font = pikepdf.Dictionary(F1=font("Type1", name))
    buffer = io.BytesIO()
    document.save(buffer)
    assert verify(ALL_CHAPTERS, buffer.getvalue(), expect()) == [
        "page 1: font /Un is not embedded; install it (see setup.sh)",
        "page 2: font /Deux is not embedded; install it (see setup.sh)",
    ]


@pytest.mark.parametrize("file_key", ["FontFile", "FontFile2", "FontFile3"])
def test_a_font_with_its_file_is_embedded(file_key: str) -> None:
    pdf = pdf_bytes(font("TrueType", "Marianne", FontDescriptor=descriptor("Marianne", file_key)))
    assert verify(ALL_CHAPTERS, pdf, expect()) == []


def test_a_font_with_every_kind_of_file_is_embedded() -> None:
    files = ("FontFile", "FontFile2", "FontFile3")
    pdf = pdf_bytes(font("TrueType", "Marianne", FontDescriptor=descriptor("Marianne", *files)))
    assert verify(ALL_CHAPTERS, pdf, expect()) == []


def test_a_type3_font_carries_its_glyphs_and_is_embedded() -> None:
    type3 = font(
        "Type3",
        "Symboles",
        FontBBox=[0, 0, 1, 1],
        FontMatrix=[1, 0, 0, 1, 0, 0],
        CharProcs=pikepdf.Dictionary(),
        Encoding=pikepdf.Dictionary(Differences=[]),
        FirstChar=0,
        LastChar=0,
        Widths=[0],
    )
    assert verify(ALL_CHAPTERS, pdf_bytes(type3), expect()) == []


def test_a_composite_font_is_judged_by_its_descendant() -> None:
    def type0(name: str, *files: str) -> pikepdf.Dictionary:
        descendant = font("CIDFontType2", name, FontDescriptor=descriptor(name, *files))
        return font(
            "Type0", name, Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[descendant]
        )

    pdf = pdf_bytes(type0("Embarquee", "FontFile2"), type0("Absente"))
    assert verify(ALL_CHAPTERS, pdf, expect()) == [
        "page 1: font /Absente is not embedded; install it (see setup.sh)"
    ]


def test_a_damaged_pdf_is_reported_as_a_structure_problem() -> None:
    problems = verify(ALL_CHAPTERS, CLEAN_PDF[:-40], expect())
    assert problems
    assert all(problem.startswith("PDF structure: ") for problem in problems)
    assert any("damaged" in problem for problem in problems)


# --- every id once, every run of text in the pages --------------------------------------


def text_page(*anchors: str, text: str = "", notes: str = "") -> PageSummary:
    return PageSummary(frozenset(anchors), 500, False, (), text, notes)


DOCUMENT = (
    "<p>Couverture</p>"
    '<section class="chapter" id="intro"><h1>Introduction</h1><p>Un passage\n   perdu</p>'
    "<p>Fin</p></section>"
    '<section class="chapter" id="mesures"><p>Un</p><p>Deux</p><p>Trois</p><p>Quatre</p>'
    "<p>Cinq</p></section>"
)
TWO_CHAPTERS = expect(chapters=("intro", "mesures"))
LOST = " (lost in the layout, or hidden by a stylesheet: check the HTML around it)"


def test_text_missing_from_the_pdf_is_named_a_few_runs_per_chapter() -> None:
    pages = [text_page("intro", "mesures", text="Introduction Fin Cinq")]
    assert verify(pages, CLEAN_PDF, TWO_CHAPTERS, DOCUMENT) == [
        "text missing from the PDF: «Couverture»" + LOST,
        "chapter 'Introduction': text missing from the PDF: «Un passage perdu»" + LOST,
        "chapter 'Les mesures': text missing from the PDF: «Un»; «Deux»; «Trois» and 1 more" + LOST,
    ]


def test_text_broken_across_pages_or_footnotes_is_not_lost() -> None:
    pages = [
        text_page("intro", "mesures", text="Couverture Introduction Un pas", notes="Un D"),
        text_page(text="sage perdu Fin Trois Quatre Cinq", notes="eux"),
    ]
    assert verify(pages, CLEAN_PDF, TWO_CHAPTERS, DOCUMENT) == []


def test_a_long_lost_text_is_shortened_to_sixty_characters() -> None:
    sixty = "Soixante " * 5 + "caractères" + "!" * 5
    words, letters = "Une phrase " * 8, "Mesure" * 11
    assert len(sixty) == 60
    html = f'<section class="chapter" id="intro"><p>{sixty}</p><p>{words}</p><p>{letters}</p>'
    [problem] = verify([text_page("intro", text="x")], CLEAN_PDF, expect(("intro",)), html)
    assert f"«{sixty}»; «{words[:58]}…»; «{letters[:59]}…»" in problem


def test_three_lost_runs_are_all_named_and_no_more_is_announced() -> None:
    html = '<section class="chapter" id="intro"><p>Un</p><p>Deux</p><p>Trois</p></section>'
    [problem] = verify([text_page("intro", text="x")], CLEAN_PDF, expect(("intro",)), html)
    assert problem == (
        "chapter 'Introduction': text missing from the PDF: «Un»; «Deux»; «Trois»" + LOST
    )


def test_pages_summarised_without_their_text_skip_the_text_check() -> None:
    assert verify([page("intro", "mesures")], CLEAN_PDF, TWO_CHAPTERS, DOCUMENT) == []
    assert verify([text_page("intro", "mesures", text="x")], CLEAN_PDF, TWO_CHAPTERS) == []


def test_an_id_given_to_two_elements_is_a_problem_of_the_gate() -> None:
    html = '<section class="chapter" id="intro"><p id="x">a</p><p id="x">b</p></section>'
    assert verify([page("intro")], CLEAN_PDF, expect(("intro",)), html) == [
        "the id 'x' is given to 2 elements, so links to it are ambiguous: place each block "
        "(measure table, cards, recommendations) once, or rename a heading's {#id}"
    ]


def test_duplicate_ids_counts_every_element_and_ignores_text() -> None:
    html = (
        '<div id="a"><span id="b">id="a" in text</span></div>'
        '<table><tr id="a"><td id="c"></td></tr></table><img id="a" src="x.png">'
    )
    assert duplicate_ids(html) == [
        "the id 'a' is given to 3 elements, so links to it are ambiguous: place each block "
        "(measure table, cards, recommendations) once, or rename a heading's {#id}"
    ]
    assert duplicate_ids('<p id="x"></p><p id="y"></p>') == []


# --- every check at once, and how the problems reach the author --------------------------


def test_every_check_reports_in_one_list_chapters_first_size_last() -> None:
    pages = [
        page("mesures", overflows=["<table> sticks out"]),
        page("intro", chars=3),
    ]
    pdf = pdf_bytes(font("Type1", "Helvetica"))
    problems = verify(pages, pdf, expect(measures={"mesure-2": 2}, size_budget=10, max_pages=1))
    assert problems == [
        "chapter 'Les mesures' starts on page 1, before the chapter that precedes it",
        "chapter 'Annexe' is missing from the PDF (content lost)",
        "measure 2 does not appear in the PDF (content lost, or no recap, table or card shows it)",
        "page 1: <table> sticks out",
        "page 2 is nearly empty (3 characters): check page breaks before it",
        "page 1: font /Helvetica is not embedded; install it (see setup.sh)",
        "2 pages, over the edition's max_pages of 1: shorten its chapters",
        "the PDF weighs 0.0 MB, over the budget of 0.0 MB (size_budget_mb in report.yaml); "
        "mail gateways may reject it: shrink images or raise the budget",
    ]


def test_each_problem_is_logged_as_a_verification_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="report"):
        report_problems(["page 2: <pre> sticks out", "measure 4 does not appear in the PDF"])
    assert [(record.levelno, record.getMessage()) for record in caplog.records] == [
        (logging.WARNING, "verification: page 2: <pre> sticks out"),
        (logging.WARNING, "verification: measure 4 does not appear in the PDF"),
    ]
    assert {record.name for record in caplog.records} == {"report.output.verify"}


def gap_page(empty_below: float, *anchors: str) -> PageSummary:
    return PageSummary(frozenset(anchors), 500, False, (), empty_below=empty_below)


def test_a_page_left_half_empty_although_its_text_goes_on_is_told() -> None:
    pages = [gap_page(0, "intro"), gap_page(80), gap_page(0), gap_page(0, "mesures"), page()]
    problems = verify(pages, CLEAN_PDF, expect(("intro", "mesures")))
    assert problems == [
        "page 2 ends 80 mm above its foot although the text goes on: a block kept whole (a "
        "card, a figure, a box, a table row) moved to the next page; shorten it or let it break"
    ]


@pytest.mark.parametrize(
    ("empty", "next_anchors", "flagged"),
    [
        (54, (), False),  # under ten lines: ordinary page breaking
        (56, (), True),
        (120, ("mesures",), False),  # the end of a chapter may be short
        (120, ("sommaire",), False),  # so may the page before the contents, a letter, a cover
        (120, ("couverture",), False),
    ],
)
def test_only_a_gap_inside_a_section_is_a_problem(empty, next_anchors, flagged) -> None:
    pages = [gap_page(0, "intro"), gap_page(empty), gap_page(0, *next_anchors), page("annexe")]
    expected = Expectations(
        ("intro", "mesures", "annexe"),
        TITLES,
        {},
        BUDGET,
        section_starts=frozenset({"sommaire", "couverture", "lettre"}),
    )
    problems = [p for p in verify(pages, CLEAN_PDF, expected) if "above its foot" in p]
    assert bool(problems) == flagged


def test_the_page_before_a_blank_verso_may_end_anywhere() -> None:
    """In the print product a chapter opens on a right-hand page: the page before the
    blank verso ends where its chapter ends."""
    blank = PageSummary(frozenset(), 0, False, (), empty_below=240)
    pages = [gap_page(0, "intro"), gap_page(150), blank, gap_page(0, "mesures"), page()]
    problems = verify(pages, CLEAN_PDF, expect(("intro", "mesures")))
    assert not [p for p in problems if "above its foot" in p]


# --- every footnote printed as a note ----------------------------------------------------

NOTED = (
    '<section class="chapter" id="intro"><p>Un fait<span class="footnote">Source A</span> et un'
    ' autre<span class="footnote">Source B</span>.</p><ol><li>Source A</li><li>Source B</li>'
    "</ol></section>"
)


def noted_page(footnotes: int) -> PageSummary:
    return PageSummary(
        frozenset({"intro"}), 500, False, (), "Un fait et un autre. Source A Source B",
        "Source A Source B"[: 8 * footnotes], footnotes=footnotes,
    )  # fmt: skip


def test_a_footnote_the_layout_dropped_is_reported_even_if_its_text_is_elsewhere() -> None:
    """The bibliography repeats the source's words: only the count of notes shows the loss."""
    problems = verify([noted_page(1)], CLEAN_PDF, expect(chapters=("intro",)), NOTED)
    assert problems == [
        "1 of 2 footnotes are missing from the PDF (the layout engine dropped them at a page "
        "break): a source goes uncited; move the call or shorten the paragraph or note "
        "around it"
    ]
    assert verify([noted_page(2)], CLEAN_PDF, expect(chapters=("intro",)), NOTED) == []
