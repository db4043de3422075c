"""The colophon: what the publication states about itself, and how to cite it.

``{{ colophon() }}`` prints the publisher and its address, the contact, the date of this
edition, the licence, the ISBN and the legal deposit when given, and a suggested
citation formatted by citeproc-py with the builder's own style, in the report's
language. A setting left empty prints nothing; a wrong ISBN or address is one located
line.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from support import Project, normalise

from report.compose.components import own_entry
from report.sources.config import load_config

COLOPHON = "---\ntitle: Colophon\ntoc: false\nclasses: [colophon]\n---\n\n{{ colophon() }}\n"
SETTINGS = """address: |
  12, rue de l'Exemple
  69001 Lyon
contact: contact@example.org
colophon:
  url: https://example.org/rapport-essai
  licence: CC BY 4.0
  licence_url: https://creativecommons.org/licenses/by/4.0/deed.fr
  isbn: 978-2-1234-5680-3
  legal_deposit: 2023-02
"""


def colophon_text(project: Project, cli, *options: str) -> tuple[str, str]:
    """The colophon page's text in the PDF, and the block's HTML."""
    run = cli("build", "p", "-o", "out", *options)
    assert run.code == 0, run.err
    out = project.root.parent / "out"
    pdf = next(out.glob("*.pdf"))
    text = normalise(PdfReader(pdf).pages[1].extract_text())
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    block = html[html.index('<div class="colophon-block">') :]
    return text, block[: block.index("</div>")]


@pytest.fixture
def with_colophon(project: Project) -> Project:
    project.write("chapters/00-colophon.md", COLOPHON)
    return project


def test_the_colophon_prints_every_setting_given(with_colophon: Project, cli) -> None:
    with_colophon.append("report.yaml", SETTINGS)
    text, html = colophon_text(with_colophon, cli)
    for line in (
        "Éditeur : Collectif d’essai, 12, rue de l’Exemple, 69001 Lyon",
        "Contact : contact@example.org",
        "Date de cette édition : 18 février 2023",
        "Licence : CC BY 4.0",
        "ISBN : 978-2-1234-5680-3",
        "Dépôt légal : février 2023",
        "Pour citer ce rapport : Collectif d’essai, Rapport d’essai, 18 février 2023.",
    ):
        assert line in text, line
    after = text[text.index("18 février 2023.", text.index("Pour citer")) :]
    assert after.replace(" ", "").startswith("18février2023.https://example.org/rapport-essai")
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.fr"' in html
    assert "<i>Rapport d’essai</i>" in html, "citeproc sets a report's title in italics"


def test_what_is_not_given_is_not_printed(with_colophon: Project, cli) -> None:
    text, _ = colophon_text(with_colophon, cli)
    assert "Éditeur : Collectif d’essai" in text
    assert "Pour citer ce rapport : Collectif d’essai, Rapport d’essai, 18 février 2023." in text
    for label in ("Contact", "Licence", "ISBN", "Dépôt légal", "https://"):
        assert label not in text, label


def test_a_publisher_other_than_the_author_is_cited(with_colophon: Project, cli) -> None:
    with_colophon.append("report.yaml", "colophon:\n  publisher: Éditions de l'Exemple\n")
    text, _ = colophon_text(with_colophon, cli)
    assert "Éditeur : Éditions de l’Exemple" in text
    assert (
        "Pour citer ce rapport : Collectif d’essai, Rapport d’essai, Éditions de l’Exemple, "
        "18 février 2023."
    ) in text


def test_the_citation_follows_the_edition_s_language(with_colophon: Project, cli) -> None:
    with_colophon.append(
        "report.yaml",
        "title_en: Test report\nsubtitle_en: A test\norganisation_en: Test collective\n"
        "authors_en: [Test team]\neditions:\n  en:\n    language: en\n    output: en\n",
    )
    text, _ = colophon_text(with_colophon, cli, "--edition", "en")
    assert "Publisher: Test collective" in text
    assert "Date of this edition: 18 February 2023" in text
    assert "Suggested citation: Test collective, Test report, 18 February 2023." in text


def test_the_report_as_a_reference(with_colophon: Project) -> None:
    with_colophon.append("report.yaml", SETTINGS)
    entry = own_entry(load_config(with_colophon.root))
    assert entry.csl() == {
        "id": "report",
        "type": "report",
        "title": "Rapport d'essai",
        "author": [{"literal": "Collectif d'essai"}],
        "issued": {"date-parts": [[2023, 2, 18]]},
        "ISBN": "978-2-1234-5680-3",
    }
    assert entry.URL == "https://example.org/rapport-essai"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "isbn: 978-2-1234-5680-4",
            "colophon.isbn: '978-2-1234-5680-4' is not a valid ISBN: its last digit should be "
            "3; copy it from the ISBN agency's record (AFNIL in France)",
        ),
        (
            "isbn: 12-34",
            "colophon.isbn: '12-34' is not an ISBN; write its 13 digits (or 10), hyphens "
            "allowed, e.g. 978-2-1234-5680-3",
        ),
        (
            "url: example.org/rapport",
            "colophon.url: 'example.org/rapport' is not a web address; write it with https://",
        ),
        ("legal_deposit: 2023-13", "colophon.legal_deposit: '2023-13' is not a date"),
    ],
)
def test_a_wrong_setting_is_one_located_line(project: Project, cli, setting, message) -> None:
    line = project.append("report.yaml", f"colophon:\n  {setting}\n") + 1
    run = cli("check", "p")
    assert run.code == 1
    assert run.lines[0].startswith(f"p/report.yaml:{line}: {message}"), run.lines[0]


@pytest.mark.parametrize("isbn", ["978-0-306-40615-7", "0-306-40615-2", "2 266 11156 6"])
def test_valid_isbns_pass(project: Project, cli, isbn: str) -> None:
    project.append("report.yaml", f"colophon:\n  isbn: {isbn}\n")
    assert cli("check", "p").code == 0
