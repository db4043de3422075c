"""Unknowns without a placeholder look: what a reader sees of measures that nothing
published describes but their number.

A run of such measures is one row of a measures table, in the report's words and
language; they get no card but one line after the cards; each keeps its anchor, once, so
``[[M3]]`` still links to it and prints its page. The first tests need no PDF; the
others build two small fictional reports, one French, one English in a coalition's own
words (commitments), and read the PDF and HTML back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from support import normalise, run_main, write_files

from report.compose.components import table_rows
from report.compose.document import report_filters
from report.i18n.catalogue import catalogue
from report.sources.config import Config
from report.sources.model import Assessment, Axis, Body, Evidence, Measure
from report.sources.statuses import DEFAULT_STATUSES

DONE, UNKNOWN = DEFAULT_STATUSES[0], DEFAULT_STATUSES[-1]
A1, A2 = Axis(key="a1", number=1), Axis(key="a2", number=2)


def blank(number: int, axis: Axis = A1) -> Measure:
    return Measure(number=number, axis=axis, status=UNKNOWN)


# --- which measures have nothing to say ------------------------------------------------


def test_a_measure_known_only_by_its_number_is_blank() -> None:
    assert blank(1).is_blank


@pytest.mark.parametrize(
    "known",
    [
        {"title": "Informer"},
        {"status": DONE},
        {"lead": (Body(key="min", name="Ministère"),)},
        {"partners": (Body(key="min", name="Ministère"),)},
        {"comment": "Seul le début de l'intitulé est connu."},
        {"evidence": (Evidence(label="Rapport"),)},
        {"recommendations": ("Agir.",)},
        {"history": (Assessment(date="2022-01-01", status=DONE),)},
    ],
    ids=lambda known: next(iter(known)),
)
def test_anything_published_about_a_measure_makes_it_worth_a_row_and_a_card(known) -> None:
    assert not blank(1).model_copy(update=known).is_blank


# --- one row for a run -----------------------------------------------------------------


def test_a_run_of_blank_measures_is_one_row_cut_where_the_table_would_show_a_difference():
    titled = Measure(number=5, axis=A1, title="Connue", status=UNKNOWN)
    other_status = DEFAULT_STATUSES[-1].model_copy(update={"key": "non évaluée"})
    measures = [
        *(blank(n) for n in (1, 2, 3)),
        titled,  # something to say: cuts the run
        blank(6),
        blank(7, A2),  # another axis (the table's column): a new run
        blank(8, A2),
        blank(9, A2).model_copy(update={"status": other_status}),  # another status
    ]
    rows = [(row.numbers, row.blank) for row in table_rows(measures)]
    assert rows == [
        ([1, 2, 3], True),
        ([5], False),
        ([6], True),
        ([7, 8], True),
        ([9], True),
    ]


def test_documented_measures_keep_a_row_each() -> None:
    measures = [Measure(number=n, axis=A1, status=DONE) for n in (1, 2)]
    assert [row.numbers for row in table_rows(measures)] == [[1], [2]]


@pytest.mark.parametrize(
    ("language", "numbers", "text"),
    [
        ("fr", [11, 12, 13, 14, 15, 17, 18, 20], "11 à 15, 17-18 et 20"),
        ("fr", [20], "20"),
        ("fr", [3, 7], "3 et 7"),
        ("fr", [7, 3, 3], "3 et 7"),
        ("en", [11, 12, 13, 14, 15, 17, 18, 20], "11\u201315, 17\u201318 and 20"),
        ("en-US", [1, 2, 3, 9], "1\u20133 and 9"),
    ],
)
def test_numbers_are_written_as_ranges_in_the_catalogues_words(language, numbers, text) -> None:
    assert catalogue(language).numbers(numbers) == text


def test_chapters_write_a_list_of_numbers_with_the_numbers_filter() -> None:
    """``{{ figures.undocumented | numbers }}`` prints "10 à 45", not a Python list."""
    french = report_filters(Config(title="T", date=dt.date(2023, 1, 2)))
    english = report_filters(Config(title="T", date=dt.date(2023, 1, 2), language="en"))
    assert french["numbers"](list(range(10, 46))) == "10 à 45"
    assert english["numbers"]((3, 4, 9)) == "3\u20134 and 9"


# --- two small reports, built ----------------------------------------------------------

PLAN = """\
axes:
  - {key: a1, number: 1, title: Prévenir}
  - {key: a2, number: 2}
  - {key: ax}
bodies:
  - {key: min, name: Ministère fictif, short: MF}
  - {key: agence, name: Agence fictive}
"""
# 1 and 5 say something; 2-4 (axis unknown), 6-7 (axis 2) and 8 (axis unknown) do not.
MEASURES = """\
measures:
  - {{number: 1, axis: a1, title: Informer, status: {done}{lead}}}
  - {{number: 2, axis: ax, status: {unknown}}}
  - {{number: 3, axis: ax, status: {unknown}}}
  - {{number: 4, axis: ax, status: {unknown}}}
  - {{number: 5, axis: a2, title: Connue, status: {unknown}, comment: Seul l'intitulé est connu.}}
  - {{number: 6, axis: a2, status: {unknown}}}
  - {{number: 7, axis: a2, status: {unknown}}}
  - {{number: 8, axis: ax, status: {unknown}}}
"""
FRENCH = {
    "report.yaml": """\
        title: Rapport d'essai sur les inconnues
        subtitle: Évaluation fictive d'un plan d'action
        organisation: Collectif d'essai
        date: 2023-01-02
        output: essai
        editions:
          dossiers: {kind: dossier, chapters_dir: dossier, output: "dossier-{body}"}
        """,
    "data/plan.yaml": PLAN
    + """\
recommendations:
  - {id: r1, text: Agir vite., addressees: [min]}
  - {id: r2, text: Agir ensemble., addressees: [min, agence]}
""",
    "data/measures.yaml": MEASURES.format(
        done="réalisée", unknown="non documentée", lead=", lead: [min]"
    ),
    "chapters/01-synthese.md": "# Synthèse\n\nLa [[M3]] n'est connue que par son numéro.\n",
    "chapters/02-mesures.md": (
        "# Mesures\n\n{{ measures_table() }}\n\n{{ measure_cards() }}\n\n{{ recommendations() }}\n"
    ),
    "letters/dossier.md": "Voici ce qui vous concerne.\n",
    "dossier/01-dossier.md": "# Dossier\n\n{{ measure_cards() }}\n\n{{ recommendations() }}\n",
}
ENGLISH = {
    "report.yaml": """\
        title: A test report on unknowns
        subtitle: A fictional evaluation of an action plan
        organisation: Test coalition
        date: 2023-01-02
        language: en
        output: test
        vocabulary:
          item: {singular: commitment, plural: commitments}
        """,
    "data/plan.yaml": PLAN + "recommendations:\n  - {id: r1, text: Act now., addressees: [min]}\n",
    "data/measures.yaml": MEASURES.format(done="done", unknown="not documented", lead=""),
    "chapters/01-commitments.md": (
        "# Commitments\n\nSee [[M7]] and [the plan](https://example.org/plan).\n\n"
        "{{ measures_table() }}\n\n{{ measure_cards() }}\n\n{{ recommendations() }}\n\n"
        "{{ sources() }}\n"
    ),
}


@dataclass
class Report:
    html: str
    pages: list[str]  # the normalised text of each page
    lines: list[str]  # every line of text, in page order
    pdf: Path

    def page_of(self, text: str) -> int:
        [page] = [n for n, page in enumerate(self.pages, 1) if text in page]
        return page

    def table_rows(self) -> list[str]:
        table = re.search(r'<table class="measures-table">.*?<tbody>(.*?)</tbody>', self.html, re.S)
        assert table, "no measures table in the HTML"
        return re.findall(r"<tr[ >].*?</tr>", table[1], re.S)


def build(root: Path, files: dict[str, str], output: str, *options: str) -> Report:
    write_files(root / "p", files)
    run = run_main(["build", "p", "-o", "out", "--strict", *options], cwd=root)
    assert run.code == 0, run.err
    pdf = root / "out" / f"{output}.pdf"
    with pdfplumber.open(pdf) as document:
        texts = [page.extract_text() or "" for page in document.pages]
    html = (root / "out" / f"{output}.html").read_text(encoding="utf-8")
    lines = [normalise(line) for text in texts for line in text.splitlines()]
    return Report(html, [normalise(text) for text in texts], lines, pdf)


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return build(tmp_path_factory.mktemp("fr"), FRENCH, "essai")


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The dossier of the ministry: recommendation 1 is addressed to it alone."""
    return build(tmp_path_factory.mktemp("dossier"), FRENCH, "dossier-min", "--edition", "dossiers")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return build(tmp_path_factory.mktemp("en"), ENGLISH, "test")


def test_a_run_of_undocumented_measures_is_one_row_of_the_table(french: Report) -> None:
    assert len(french.table_rows()) == 5  # 1, 2-4, 5, 6-7, 8: not 8 rows
    assert "Mesures 2 à 4 : intitulé non publié, pilote non connu ? Non documentée" in french.lines
    assert (
        "Mesures 6-7 (axe 2) : intitulé non publié, pilote non connu ? Non documentée"
        in french.lines
    )
    assert "Mesure 8 : intitulé non publié, pilote non connu ? Non documentée" in french.lines
    placeholders = [line for line in french.lines if re.match(r"\d+ intitulé non publié", line)]
    assert placeholders == []


def test_only_measures_with_something_to_say_get_a_card(french: Report) -> None:
    cards = re.findall(r'<article class="measure-card" id="mesure-(\d+)"', french.html)
    assert cards == ["1", "5"]
    line = "Mesures 2 à 4 et 6 à 8 : ni intitulé ni statut publiés, donc pas de fiche."
    assert line in " ".join(french.pages)


def test_every_measure_anchor_is_given_once_and_is_a_destination(french: Report) -> None:
    ids = Counter(re.findall(r'\sid="(mesure-\d+)"', french.html))
    assert ids == Counter({f"mesure-{n}": 1 for n in range(1, 9)})
    destinations = pypdf.PdfReader(french.pdf).named_destinations
    assert {f"mesure-{n}" for n in range(1, 9)} <= set(destinations)


def test_a_reference_to_a_collapsed_measure_links_to_its_row_and_prints_its_page(
    french: Report,
) -> None:
    row_page = french.page_of("Mesures 2 à 4 :")
    assert f"La mesure 3, p. {row_page} n'est connue que par son numéro." in " ".join(
        french.pages
    ).replace("’", "'")
    reader = pypdf.PdfReader(french.pdf)
    assert reader.get_destination_page_number(reader.named_destinations["mesure-3"]) + 1 == (
        row_page
    )
    synthese = french.page_of("La mesure 3")
    links = [
        annotation.get_object().get("/Dest")
        for annotation in reader.pages[synthese - 1].get("/Annots") or []
    ]
    assert "mesure-3" in links


def test_addressees_agree_with_their_count(french: Report, english: Report) -> None:
    assert "Destinataire : Ministère fictif" in french.lines
    assert "Destinataires : Ministère fictif et Agence fictive" in french.lines
    assert "Addressed to: Ministère fictif" in english.lines


def test_a_dossier_does_not_tell_its_addressee_it_is_the_addressee(dossier: Report) -> None:
    assert (
        "R1 Agir vite." in dossier.lines and "Destinataire : Ministère fictif" not in dossier.lines
    )
    assert "Destinataires : Ministère fictif et Agence fictive" in dossier.lines


def test_the_collapsed_row_and_the_cards_line_speak_the_vocabulary(english: Report) -> None:
    assert "Commitments 2\u20134: title not published ? Not documented" in english.lines
    assert "Commitment 8: title not published ? Not documented" in english.lines
    text = " ".join(english.pages)
    assert "Commitments 2\u20134 and 6\u20138: no title or status published, so no card." in text


def test_a_lead_column_unknown_throughout_gives_way_to_one_line(english: Report) -> None:
    assert '<th scope="col">Lead</th>' not in english.html
    assert "No lead is known for the commitments in this table." in english.lines


def test_a_single_recommendation_or_source_is_not_a_numbered_list(english: Report) -> None:
    assert '<ol class="recommendations"' not in english.html
    assert '<ol class="sources"' not in english.html
    assert '<div class="recommendations">' in english.html
    assert '<p class="sources"><a href="https://example.org/plan" title="the plan">' in english.html
