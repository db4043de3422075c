"""The editions of the default report in ``content/``: hearing brief, dossiers, English.

Every PDF is built once per session, as ``report build content --all`` does (the
``default_editions`` fixture, shared with the accessibility tests), then read:

* the hearing brief fits its page limit and shows the official tally;
* one dossier per body concerned, none for a body with nothing to report, and each
  dossier shows only its own measures and the recommendations addressed to it;
* each letter has its subject, writes its counts in words and hyphenates no line of its
  letterhead, address blocks and signatures; in print, letter, cover and chapters open
  on right-hand pages, and the screen PDF has no blank page;
* the English edition prints no French label of the builder and the same tally;
* the chapters of the editions type no tally figure by hand.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from support import reset_logging
from test_letters import MARKS, blank_pages, block_lines, hyphenated, opening_pages

from report.app.cli import main
from report.app.editions import jobs
from report.compose.foreign import unmarked
from report.i18n.catalogue import catalogue
from report.sources.config import load_config
from report.sources.files import load_yaml
from report.sources.translate import localize

CONTENT = Path(__file__).resolve().parent.parent / "content"
OFFICIAL_TALLY = {"réalisée": 3, "partiellement réalisée": 28, "non réalisée": 14}
TOTAL = 45


@pytest.fixture(scope="module")
def output(default_editions: Path) -> Path:
    """Every edition, built once per session with the real command line (conftest.py)."""
    return default_editions


def pdf_path(output: Path, config, edition: str, body: str | None = None) -> Path:
    name = config.editions[edition].output if edition in config.editions else config.output
    return output / f"{name.replace('{body}', body or '')}.pdf"


def read(path: Path) -> str:
    """The PDF's text, ligatures undone and apostrophes straight."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text).replace("’", "'")


def squeeze(text: str) -> str:
    """Text without spaces, line breaks and hyphens: lines break anywhere, and a word cut
    at the end of a line gets a hyphen that extracted text keeps."""
    return re.sub(r"[\s-]+", "", unicodedata.normalize("NFKC", text).replace("’", "'"))


def bodies_with_content(data, keys: set[str]) -> set[str]:
    """Bodies that lead or partner a measure or receive a recommendation."""
    found: set[str] = set()
    for measure in data.measures:
        found |= {b.key for b in (*measure.lead, *measure.partners)}
    for recommendation in data.recommendations:
        found |= {b.key for b in recommendation.addressees}
    return found & keys


@pytest.fixture(scope="module")
def dossier_bodies(config, data) -> tuple[set[str], set[str]]:
    """The bodies that must get a dossier, and those that must not (bodies closed before
    the report's date are neither: they get no dossier, see below)."""
    edition = config.editions["dossiers"]
    keys = set(edition.bodies) or {
        body.key
        for body in data.bodies
        if body.dossier and not (body.until and body.until <= config.date)
    }
    concerned = bodies_with_content(data, keys)
    return concerned, keys - concerned


# --- the hearing brief ---------------------------------------------------------------


def test_the_brief_fits_in_four_pages(output, config):
    pages = len(PdfReader(pdf_path(output, config, "note")).pages)
    assert config.editions["note"].max_pages == 4
    assert pages <= 4


def test_the_brief_has_the_priority_recommendations_and_the_contact(output, config, data):
    text = squeeze(read(pdf_path(output, config, "note")))
    priorities = [r for r in data.recommendations if r.author == "CNCDH" and r.priority]
    assert len(priorities) == 5
    for recommendation in priorities:
        assert squeeze(recommendation.text) in text, recommendation.id
    assert config.contact and squeeze(config.contact) in text


# --- the dossiers --------------------------------------------------------------------


def test_one_dossier_per_concerned_body_and_none_for_the_others(output, config, dossier_bodies):
    concerned, without = dossier_bodies
    assert concerned and without, "the default content has both kinds of bodies"
    built = {path.stem.removeprefix("dossier-") for path in output.glob("dossier-*.pdf")}
    assert built == concerned
    assert not built & without


def test_the_build_says_which_bodies_get_no_dossier(config, data, dossier_bodies, caplog):
    _, without = dossier_bodies
    with caplog.at_level(logging.INFO, logger="report.app.editions"):
        planned = jobs(config, data, ["dossiers"])
    assert {job.body for job in planned} == dossier_bodies[0]
    for key in without:
        label = data.body_by_key[key].label
        assert any(f"no dossier for {label}" in message for message in caplog.messages)


def test_each_dossier_shows_only_its_own_measures(output, config, data, dossier_bodies):
    titled = [m for m in data.measures if m.title]
    for body in dossier_bodies[0]:
        text = squeeze(read(pdf_path(output, config, "dossiers", body)))
        for measure in titled:
            own = body in {b.key for b in (*measure.lead, *measure.partners)}
            assert (squeeze(measure.title) in text) == own, (body, measure.number)


def test_no_dossier_for_a_body_closed_before_the_report(output, config, data):
    """The ONDRP ceased its activity on 31 December 2020: no letter is addressed to it."""
    ondrp = data.body_by_key["ondrp"]
    assert ondrp.until is not None and ondrp.until < config.date
    assert not (output / pdf_path(output, config, "dossiers", "ondrp").name).exists()
    planned = jobs(config, data, ["dossiers"])
    assert "ondrp" not in {job.body for job in planned}


def test_letters_bear_the_report_date(output, config, dossier_bodies):
    day = f"{config.date.day} décembre {config.date.year}"
    assert config.date.month == 12
    for body in dossier_bodies[0]:
        text = read(pdf_path(output, config, "dossiers", body))
        assert day in text, body


def test_each_letter_has_its_subject_and_writes_its_counts_in_words(output, config, dossier_bodies):
    assert config.letter.subject
    for body in dossier_bodies[0]:
        text = read(pdf_path(output, config, "dossiers", body))
        letter = " ".join(text[: text.index(config.letter.signatories[-1].name)].split())
        assert f"Objet : {config.letter.subject}" in letter, body
        assert "des quarante-cinq mesures" in letter and "trois ont été réalisées" in letter


def test_no_line_of_a_letter_s_blocks_is_hyphenated(output, config, dossier_bodies):
    for body in dossier_bodies[0]:
        with pdfplumber.open(pdf_path(output, config, "dossiers", body)) as document:
            block = block_lines(document.pages[0])
        assert block and hyphenated(block) == [], body


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """The dossiers as the print shop gets them (--print)."""
    folder = tmp_path_factory.mktemp("printed")
    try:
        code = main(["build", str(CONTENT), "-o", str(folder), "--edition", "dossiers", "--print"])
    finally:
        reset_logging()
    assert code == 0, "report build content --edition dossiers --print failed"
    return folder


def test_dossiers_open_on_right_hand_pages_in_print_and_have_no_blank_page_on_screen(
    output, printed, config, dossier_bodies
):
    marks = {**MARKS, "letter": "Madame, Monsieur,", "chapter": "Bilan du plan 2019-2021"}
    for body in dossier_bodies[0]:
        screen = pdf_path(output, config, "dossiers", body)
        paper = printed / screen.name.replace(".pdf", "-print.pdf")
        assert blank_pages(screen) == [], body
        assert opening_pages(screen, marks) == {"letter": 1, "cover": 2, "chapter": 3}, body
        pages = opening_pages(paper, marks)
        assert set(pages) == set(marks), body
        assert all(number % 2 == 1 for number in pages.values()), (body, pages)


def test_each_dossier_shows_only_the_recommendations_addressed_to_it(
    output, config, data, dossier_bodies
):
    for body in dossier_bodies[0]:
        text = squeeze(read(pdf_path(output, config, "dossiers", body)))
        for recommendation in data.recommendations:
            addressed = body in {b.key for b in recommendation.addressees}
            assert (squeeze(recommendation.text) in text) == addressed, (body, recommendation.id)


def test_each_dossier_opens_with_a_signed_letter(output, config, data, dossier_bodies):
    signatories = config.letter.signatories
    assert signatories
    for body in dossier_bodies[0]:
        text = read(pdf_path(output, config, "dossiers", body))
        letter = text[: text.index(signatories[-1].name) + len(signatories[-1].name)]
        addressee = data.body_by_key[body]
        assert squeeze(addressee.name) in squeeze(letter)
        assert (addressee.salutation or catalogue("fr").messages["salutation"]) in letter


# --- the colophon ---------------------------------------------------------------------


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("’", "'").split())


@pytest.mark.parametrize(
    ("edition", "label", "day"),
    [
        ("report", "Pour citer ce rapport :", "31 décembre 2025"),
        ("en", "Suggested citation:", "31 December 2025"),
    ],
)
def test_the_colophon_prints_the_suggested_citation_from_the_settings(output, edition, label, day):
    settings = load_config(CONTENT, edition)
    text = words(read(pdf_path(output, settings, edition)))
    organisation = unmarked(settings.organisation)  # "[passage]{lang=fr}" prints its text
    citation = f"{label} {organisation}, {settings.title}, {day}."
    assert words(citation) in text


def test_the_colophon_states_nothing_no_source_gives(output, config):
    """No licence, ISBN, legal deposit nor postal address is known for the Collectif's
    report (facts.md gives none): none is set, and none is printed."""
    colophon = config.colophon
    assert not (colophon.licence or colophon.isbn or colophon.legal_deposit or config.address)
    text = read(pdf_path(output, config, "report"))
    for label in ("Licence :", "ISBN", "Dépôt légal"):
        assert label not in text, label


# --- the English edition -------------------------------------------------------------


def french_labels() -> list[str]:
    """The builder's French words that differ from the English ones ('le' is too short)."""
    french, english = catalogue("fr").messages, catalogue("en").messages
    return [label for key, label in french.items() if label != english[key] and len(label) > 2]


class _BuilderText(HTMLParser):
    """The text of an edition's HTML without what quotes French documents: citations (a
    French document keeps its French title) and the bibliography."""

    SKIPPED = ("citation", "bibliography")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        skipped = self.depth > 0 or any(name in self.SKIPPED for name in classes)
        self.stack.append(skipped)
        self.depth += skipped

    def handle_endtag(self, tag) -> None:
        if tag in VOID or not self.stack:
            return
        self.depth -= self.stack.pop()

    def handle_data(self, data) -> None:
        if not self.depth:
            self.parts.append(data)


VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source"}


def builder_text(path: Path) -> str:
    parser = _BuilderText()
    parser.feed(path.read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", " ".join(parser.parts))
    return unicodedata.normalize("NFKC", text).replace("’", "'")


def test_the_english_edition_prints_no_french_label(output, config):
    text = builder_text(pdf_path(output, config, "en").with_suffix(".html"))
    assert {"Sommaire", "Intitulé", "Légende", "Pilote"} <= set(french_labels())
    found = [
        label
        for label in french_labels()
        if re.search(rf"(?<![\w/.-]){re.escape(label)}(?![\w/-])", text)
    ]
    assert found == []
    for status in ("Partiellement réalisée", "Non réalisée", "Non documentée"):
        assert status not in text


def test_the_english_edition_shows_the_translated_texts(output, config, data):
    text = squeeze(read(pdf_path(output, config, "en")))
    for words in (
        "Partly done",
        "Not documented",
        "Create a dedicated government website",
        "Turn the MIPROF into an interministerial delegation.",
        "Contents",
    ):
        assert squeeze(words) in text, words


def test_every_text_has_an_english_translation_except_urls():
    """Only links stay untranslated: the 'source' of a data point or of the tally is a URL."""
    links = re.compile(r" (?:tally|datasets\[\d+\]\.points\[\d+\])\.source$")
    untranslated = []
    for path in [CONTENT / "report.yaml", *sorted((CONTENT / "data").glob("*.yaml"))]:
        missing: list[str] = []
        localize(load_yaml(path), "en", "fr", missing)
        untranslated += [where for where in missing if not links.search(where)]
    assert untranslated == []


# --- the same tally everywhere -------------------------------------------------------


@pytest.mark.parametrize("edition", ["report", "note", "en"])
def test_the_official_tally_is_printed(output, config, data, edition):
    assert data.tally is not None and data.tally.total == TOTAL
    text = squeeze(read(pdf_path(output, config, edition)))
    for count in OFFICIAL_TALLY.values():
        assert f"{count}/{TOTAL}" in text, (edition, count)


# --- no tally figure typed by hand ---------------------------------------------------

TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
NUMBERS = r"(?:3|28|14|45|trois|vingt-huit|quatorze|quarante-cinq|three|fourteen|forty-five)"
NOUNS = (
    r"(?:sur|mesures?|partiellement|non\s+réalisées?|réalisées?|seulement|of|out\s+of|"
    r"measures?|partly|not\s+done|done|only)"
)
TYPED = [
    re.compile(rf"(?<![\w-]){NUMBERS}[\s\u00a0\u202f]+{NOUNS}\b", re.IGNORECASE),
    re.compile(rf"\b(?:sur|of)[\s\u00a0\u202f]+{NUMBERS}\b", re.IGNORECASE),
]
EDITION_TEXTS = sorted(
    path
    for folder in ("brief", "dossier", "letters", "chapters-en")
    for path in (CONTENT / folder).glob("*.md")
)


def typed_figures(markdown: str) -> list[str]:
    prose = TEMPLATE_CODE.sub(" ", markdown)
    return [match[0] for pattern in TYPED for match in pattern.finditer(prose)]


def test_detector_catches_typed_figures():
    assert typed_figures("only 3 of 45 measures; 28 partly done")
    assert typed_figures("seules 3 sur 45")
    assert not typed_figures("{{ figures.category('done') }} of {{ figures.total }} measures")


@pytest.mark.parametrize("path", EDITION_TEXTS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_no_tally_figure_typed_in_edition_texts(path):
    assert typed_figures(path.read_text(encoding="utf-8")) == []


# --- citations -----------------------------------------------------------------------


def test_no_citation_is_left_as_written(output):
    """Every [@key] became a note: none is printed as typed (a group followed by ':' is
    not read as a citation, so the texts never write one)."""
    for path in sorted(output.glob("*.pdf")):
        assert "[@" not in read(path), path.name
