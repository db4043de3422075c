"""Citations: [@key] in texts and @key in data, formatted by citeproc-py, a keyed
bibliography, the chronology, and the checks a ministry's lawyer would make."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from support import Project, normalise

from report.app.build import BuildOptions, prepare
from report.compose.citations import Cited, parse_item
from report.compose.document import period
from report.i18n.catalogue import catalogue
from report.sources.sourcing import on_mirror

BIBLIOGRAPHY = """\
- id: eval-2022
  type: report
  author: [Évaluateur fictif]
  title: Évaluation du plan d'action fictif 2020-2022
  title-short: Évaluation du plan
  genre: avis
  number: A-2022-1
  issued: 2022-05-01
  URL: https://example.org/rapport
  accessed: 2023-01-10
- id: martin-2021
  type: article-newspaper
  author: [{family: Martin, given: Anne}]
  title: Un plan sans moyens
  container-title: Le Quotidien fictif
  issued: 2021-03
  copy-url: https://copies.example.net/martin
"""


def cite_in(project: Project, text: str, bibliography: str = BIBLIOGRAPHY) -> int:
    """Write the bibliography, add ``text`` to the first chapter; return its line."""
    project.write("bibliography.yaml", bibliography)
    return project.append("chapters/01-synthese.md", text)


def html_of(project: Project) -> str:
    return normalise(prepare(project.root, project.root.parent / ".cache").html)


def notes(html: str) -> list[str]:
    """The text of every footnote, tags removed, in document order."""
    found = re.findall(r'<span class="footnote" role="doc-footnote">(.*?)</span></span>', html)
    return [re.sub(r"<[^>]+>", "", note) for note in found]


# --- parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("@eval-2022", Cited("eval-2022")),
        ("@eval-2022, p. 12", Cited("eval-2022", label="page", locator="12")),
        ("@eval-2022, pp. 3-5", Cited("eval-2022", label="page", locator="3-5")),
        ("voir @eval-2022, chap. 2", Cited("eval-2022", "voir ", "chapter", "2")),
        ("@decret-2021, art. 3", Cited("decret-2021", suffix=", art. 3")),
        ("@jorf:2023.1", Cited("jorf:2023.1")),
        ("écrire à x", None),
    ],
)
def test_a_citation_item_is_read_as_pandoc_reads_it(written: str, parsed: Cited | None) -> None:
    assert parse_item(written) == parsed


# --- in texts ----------------------------------------------------------------------------


def test_the_first_citation_is_full_later_ones_short_and_both_link_to_the_entry(
    project: Project,
) -> None:
    cite_in(
        project,
        "Le bilan est sévère [@eval-2022, p. 12]. Il l'est encore [@eval-2022, p. 14].\n\n"
        "{{ bibliography() }}\n",
    )
    html = html_of(project)
    full, short = notes(html)[-2:]
    assert full == (
        "Évaluateur fictif, Évaluation du plan d’action fictif 2020-2022, avis A-2022-1, "
        "1 mai 2022, p. 12."
    )
    assert short == "Évaluateur fictif, Évaluation du plan, préc., p. 14."
    # both link to the entry, and say which document it is (the link's description)
    link = '<a class="citation" href="#ref-eval-2022" title="Évaluateur fictif, Évaluation du plan"'
    assert html.count(link) == 2
    assert '<li id="ref-eval-2022" role="doc-biblioentry">' in html


def test_a_group_of_several_documents_is_one_note(project: Project) -> None:
    cite_in(project, "Tous le disent [voir @martin-2021; @eval-2022].\n\n{{ bibliography() }}\n")
    html = html_of(project)
    assert notes(html)[-1] == (
        "voir A. Martin, « Un plan sans moyens », Le Quotidien fictif, mars 2021 ; "
        "Évaluateur fictif, Évaluation du plan d’action fictif 2020-2022, avis A-2022-1, "
        "1 mai 2022."
    )


def test_a_citation_inside_an_authors_footnote_is_set_in_that_note_in_reading_order(
    project: Project,
) -> None:
    """The note is called before the text's own citation: it is read first, so it is the
    full one."""
    cite_in(
        project,
        "Une remarque[^r]. Puis une citation [@eval-2022, p. 3].\n\n"
        "[^r]: D'après [@eval-2022, chap. 2], le plan manquait de moyens.\n\n"
        "{{ bibliography() }}\n",
    )
    remark, citation = notes(html_of(project))[-2:]
    assert remark.startswith("D’après Évaluateur fictif, Évaluation du plan d’action fictif")
    assert remark.endswith("chap. 2, le plan manquait de moyens.")
    assert citation == "Évaluateur fictif, Évaluation du plan, préc., p. 3."


def test_an_unknown_key_is_one_located_line_and_the_previous_pdf_stays(
    project: Project, cli
) -> None:
    assert cli("build", "p", "-o", "out").code == 0
    before = Path("out/essai.pdf").read_bytes()
    line = cite_in(project, "Texte [@eval-2023, p. 2].\n")
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/chapters/01-synthese.md:{line}: '@eval-2023' is not in bibliography.yaml; did you "
        "mean 'eval-2022'?; fix the key or add the entry"
    )
    assert "Traceback" not in run.err
    assert Path("out/essai.pdf").read_bytes() == before


def test_code_an_email_and_a_link_are_not_citations(project: Project) -> None:
    cite_in(
        project,
        "Écrire [à contact@example.org ou nous appeler]. Le code `[@eval-2022]` reste. "
        "Un [@lien](https://example.org/x).\n\n{{ bibliography() }}\n",
    )
    html = html_of(project)
    assert "[à contact@example.org ou nous appeler]" in html
    assert "<code>[@eval-2022]</code>" in html
    assert '<a href="https://example.org/x" title="@lien">@lien</a>' in html
    assert 'class="citation"' not in html


def test_without_a_bibliography_in_the_document_citations_lead_to_the_documents(
    project: Project,
) -> None:
    cite_in(project, "Texte [@eval-2022]. Presse [@martin-2021].\n")
    html = html_of(project)
    assert '<a class="citation" href="https://example.org/rapport" title="Évaluateur' in html
    assert '<a class="citation" href="https://copies.example.net/martin" title="A. Martin' in html
    assert "#ref-" not in html


def test_the_bibliography_is_placed_once(project: Project, cli) -> None:
    line = cite_in(project, "[@eval-2022]\n\n{{ bibliography() }}\n\n{{ bibliography() }}\n")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/chapters/01-synthese.md:{line + 4}: expression failed: the bibliography is already "
        "placed; it appears once; check the name against docs/writing.md"
    )


# --- the bibliography ----------------------------------------------------------------------


def test_the_bibliography_is_sorted_keyed_and_gives_addresses_and_copies(
    project: Project,
) -> None:
    cite_in(project, "[@eval-2022] [@martin-2021]\n\n{{ bibliography() }}\n")
    html = html_of(project)
    entries = re.findall(r'<li id="(ref-[^"]+)" role="doc-biblioentry">(.*?)</li>', html)
    assert [anchor for anchor, _ in entries] == ["ref-martin-2021", "ref-eval-2022"]
    martin, evaluation = (re.sub(r"<[^>]+>", "", text) for _, text in entries)
    assert martin == (
        "A. Martin, « Un plan sans moyens », Le Quotidien fictif, mars 2021. Copie consultée : "
        "https://copies.example.net/martin (source primaire non trouvée)"
    )
    assert evaluation == (
        "Évaluateur fictif, Évaluation du plan d’action fictif 2020-2022, avis A-2022-1, "
        "1 mai 2022. https://example.org/rapport (consulté le 10 janvier 2023)"
    )


def test_an_entry_nothing_cites_is_a_warning_on_its_line(project: Project, cli) -> None:
    cite_in(project, "[@eval-2022]\n")
    run = cli("check", "p")
    line = project.line_of("bibliography.yaml", "id: martin-2021")
    assert run.code == 0
    assert run.warnings == [
        f"warning: p/bibliography.yaml:{line}: [1].id: 'martin-2021' is never cited; cite it "
        "([@martin-2021] in a text, '@martin-2021' in the data) or remove the entry"
    ]
    assert cli("check", "p", "--strict").code == 1


def test_a_reference_managers_csl_json_export_is_read_with_its_other_variables(
    project: Project,
) -> None:
    """Zotero exports CSL JSON, indented with tabs, with dates as date-parts and
    variables the builder does not use itself (page, volume...): the style prints them."""
    project.append("report.yaml", "bibliography: export.json\n")
    project.write(
        "export.json",
        '[\n\t{\n\t\t"id": "rapport",\n\t\t"type": "book",\n\t\t"title": "Un rapport",\n'
        '\t\t"author": [{"family": "Durand", "given": "Marie"}],\n'
        '\t\t"publisher": "Éditions fictives",\n\t\t"ISBN": "978-2-00-000000-0",\n'
        '\t\t"issued": {"date-parts": [[2021, 6]]},\n'
        '\t\t"accessed": {"date-parts": [[2022, 1, 5]]}\n\t}\n]\n',
    )
    project.append("chapters/01-synthese.md", "[@rapport, p. 4]\n\n{{ bibliography() }}\n")
    html = html_of(project)
    assert notes(html)[-1] == "M. Durand, Un rapport, Éditions fictives, juin 2021, p. 4."
    assert "(consulté le 5 janvier 2022)" in html


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("type: rapport", "[2].type: 'rapport' is not a known CSL type"),
        ("URL: www.example.org", "[2].URL: 'www.example.org' is not a web address"),
        ("issued: 2023-13", "[2].issued: '2023-13' is not a date; write YYYY-MM-DD, YYYY-MM"),
        ("id: eval-2022", "[2].id: the key 'eval-2022' is already used (line 1)"),
        ("auteur: X", "[2].auteur: unknown key 'auteur' (allowed: id, type, author"),
    ],
)
def test_a_wrong_entry_is_one_located_line(project: Project, cli, entry: str, message: str):
    extra = "- id: x\n  title: X\n  " + entry.replace("id: eval-2022", "") + "\n"
    if entry.startswith("id:"):
        extra = f"- {entry}\n  title: X\n"
    cite_in(project, "[@eval-2022]\n", BIBLIOGRAPHY + extra)
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0].startswith("p/bibliography.yaml:")
    assert message in run.problems[0]


# --- from the data -------------------------------------------------------------------------


def test_data_cites_keys_the_card_shows_them_short_and_they_count_as_cited(
    project: Project, cli
) -> None:
    project.replace(
        "data/measures.yaml",
        "      - label: Rapport fictif\n        url: https://example.org/rapport\n",
        '      - cite: "eval-2022, p. 7"\n      - label: Article\n        cite: martin-2021\n',
    )
    project.replace("data/plan.yaml", "source: https://example.org/bilan", 'source: "@eval-2022"')
    cite_in(project, "{{ bibliography() }}\n")
    html = html_of(project)
    assert (
        '<a class="citation" href="#ref-eval-2022" title="Évaluateur fictif, Évaluation du plan">'
        "Évaluateur fictif, <i>Évaluation du plan</i>, p. 7</a>" in html
    )
    assert (
        '<a class="citation" href="#ref-martin-2021" title="A. Martin, « Un plan sans moyens »">'
        "Article</a>" in html
    )
    assert cli("check", "p").warnings == []


def test_an_unknown_key_in_the_data_is_located_on_its_field(project: Project, cli) -> None:
    line = project.replace(
        "data/measures.yaml", "url: https://example.org/rapport", 'url: "@eval-2032"'
    )
    cite_in(project, "[@eval-2022] [@martin-2021]\n")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/data/measures.yaml:{line}: measures[0].evidence[0].url: '@eval-2032' is not in "
        "bibliography.yaml; did you mean 'eval-2022'?; fix the key or add the entry"
    )


def test_sources_on_a_mirror_and_addresses_no_reader_can_open_are_warnings(
    project: Project, cli
) -> None:
    project.append("report.yaml", "mirrors: [example.net, readkong.com]\n")
    bibliography = BIBLIOGRAPHY.replace(
        "URL: https://example.org/rapport", "URL: https://fr.readkong.com/page/rapport"
    )
    mirror = project.replace(
        "data/measures.yaml", "url: https://example.org/rapport", "url: https://www.example.net/r"
    )
    file = project.replace(
        "data/plan.yaml", "source: https://example.org/bilan", "source: bilan.pdf"
    )
    cite_in(project, "[@eval-2022] [@martin-2021]\n", bibliography)
    run = cli("check", "p")
    assert run.code == 0
    assert run.warnings == [
        f"warning: p/bibliography.yaml:{project.line_of('bibliography.yaml', 'readkong')}: "
        "[0].URL: fr.readkong.com is a mirror ('readkong.com' in mirrors:); put the primary "
        "document's address in 'URL:' and this one in 'copy-url:'",
        f"warning: p/data/measures.yaml:{mirror}: measures[0].evidence[0].url: www.example.net "
        "is a mirror ('example.net' in mirrors:); cite the primary document from the "
        "bibliography ('@key', with this address as its 'copy-url:')",
        f"warning: p/data/plan.yaml:{file}: tally.source: 'bilan.pdf' is not a web address "
        "(http or https); write the full https:// address",
    ]


def test_a_copy_consulted_on_a_mirror_is_what_mirrors_are_for(project: Project, cli) -> None:
    project.append("report.yaml", "mirrors: [example.net]\n")
    cite_in(project, "[@eval-2022] [@martin-2021]\n")
    assert cli("check", "p").warnings == []


# --- dated facts and the report's date -----------------------------------------------------


def test_facts_dated_after_the_report_are_warnings(project: Project, cli) -> None:
    """The sample report is dated 2023-02-18."""
    evidence = project.replace("data/measures.yaml", "date: 2022-05-01", "date: 2023-03-01")
    project.write(
        "data/later.yaml",
        "chronology:\n"
        "  - {date: 2023-02, event: Un mois commencé, sources: ['@eval-2022']}\n"
        "  - {date: 2023-02-19, event: Le lendemain, sources: ['@eval-2022']}\n"
        "datasets:\n"
        "  - key: d\n    title: D\n    points:\n"
        "      - {x: 2022, value: 1}\n      - {x: 2023, value: 2}\n"
        "      - {x: 2024, value: null}\n",
    )
    bibliography = BIBLIOGRAPHY.replace("issued: 2021-03", "issued: 2024").replace(
        "accessed: 2023-01-10", "accessed: 2023-06-01"
    )
    cite_in(project, "[@eval-2022] [@martin-2021]\n", bibliography)
    run = cli("check", "p")
    after = "is after the report's date (2023-02-18); a report cannot state what happened "
    fix = "after it: correct the date, or the report's 'date:' in report.yaml"
    assert run.warnings == [
        f"warning: p/bibliography.yaml:10: [0].accessed: 2023-06-01 {after}{fix}",
        f"warning: p/bibliography.yaml:{project.line_of('bibliography.yaml', 'issued: 2024')}: "
        f"[1].issued: 2024 {after}{fix}",
        f"warning: p/data/later.yaml:3: chronology[1].date: 2023-02-19 {after}{fix}",
        "warning: p/data/later.yaml:9: datasets[0].points[1].x: the value for 2023 (a year "
        f"that ends on 2023-12-31) {after}{fix}",
        f"warning: p/data/measures.yaml:{evidence}: measures[0].evidence[0].date: 2023-03-01 "
        f"{after}{fix}",
    ]


# --- the chronology ------------------------------------------------------------------------


def test_the_chronology_is_dated_as_precisely_as_its_sources_oldest_first(
    project: Project,
) -> None:
    project.write(
        "data/chronologie.yaml",
        "chronology:\n"
        "  - date: 2021-02-08\n    until: 2021-02-12\n    event: Visite *d'évaluation*\n"
        "    sources: ['@eval-2022, p. 2', 'https://www.example.org/visite']\n"
        "  - {date: 2020-03, event: Adoption du plan}\n"
        "  - {date: 2019, event: Annonce, sources: ['@martin-2021']}\n",
    )
    cite_in(project, "{{ chronology() }}\n\n{{ chronology(since='2020-01-01') }}\n")
    html = html_of(project)
    tables = re.findall(r'<table class="chronology">.*?</table>', html)
    rows = [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", tables[0])
        if "<td" in row
    ]
    assert rows == [
        ["2019", "Annonce", "A. Martin, « Un plan sans moyens »"],
        ["mars 2020", "Adoption du plan", ""],
        [
            "8–12 février 2021",
            "Visite d’évaluation",
            "Évaluateur fictif, Évaluation du plan, p. 2 ; example.org",
        ],
    ]
    assert tables[1].count("<tr>") == 3  # the header and the two events since 2020


def test_a_period_that_ends_before_it_starts_is_refused(project: Project, cli) -> None:
    project.write(
        "data/chronologie.yaml",
        "chronology:\n  - {date: 2021-02-08, until: 2021-01, event: Visite}\n",
    )
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0] == (
        "p/data/chronologie.yaml:2: chronology[0]: 'until' comes before 'date'; write the "
        "period's first day first"
    )


# --- the PDF -------------------------------------------------------------------------------


def test_in_the_pdf_each_citation_leads_to_its_bibliography_entry(project: Project, cli):
    cite_in(
        project,
        "Le bilan [@eval-2022, p. 12]. La presse [@martin-2021].\n\n"
        "## Bibliographie\n\n{{ bibliography() }}\n",
    )
    assert cli("build", "p", "-o", "out").code == 0
    with pikepdf.open("out/essai.pdf") as pdf:
        targets = [
            str(annotation.get("/Dest") or annotation.A.get("/D"))
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link" and "/URI" not in annotation.get("/A", {})
        ]
        names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
    assert "ref-eval-2022" in targets and "ref-martin-2021" in targets
    assert {"ref-eval-2022", "ref-martin-2021"} <= names


def test_a_link_to_a_mirror_in_a_text_is_a_warning_on_its_line_said_once(
    project: Project, cli
) -> None:
    project.append("report.yaml", "mirrors: [readkong.com]\n")
    line = cite_in(
        project,
        "Voir [l'avis](https://fr.readkong.com/page/avis) [@eval-2022] [@martin-2021].\n",
    )
    project.append("report.yaml", "editions:\n  court: {title: Court}\n")
    run = cli("check", "p")
    assert run.warnings == [
        f"warning: p/chapters/01-synthese.md:{line}: fr.readkong.com is a mirror ('readkong.com' "
        "in mirrors:); cite the primary document from the bibliography ([@key], with this "
        "address as its 'copy-url:')"
    ]


def test_an_entry_and_a_prefix_are_text_never_markup(project: Project) -> None:
    """A bibliography from many hands: a title or a prefix holding tags prints them as
    text; nothing of it reaches the document as HTML."""
    hostile = BIBLIOGRAPHY.replace(
        "title: Un plan sans moyens", "title: Un plan <script>alert(1)</script> & co"
    )
    cite_in(
        project,
        "Texte [<img src=x onerror=alert(1)> @martin-2021, p. 3]. Encore [@martin-2021]. "
        "[@eval-2022]\n",
        hostile,
    )
    html = html_of(project)
    assert "<script" not in html and "<img src=x" not in html
    first, again = notes(html)[-3:-1]
    assert first.startswith("&lt;img src=x onerror=alert(1)&gt; A. Martin, « Un plan &lt;script")
    assert again == "A. Martin, « Un plan &lt;script&gt;alert(1)&lt;/script&gt; &amp; co », préc."


def test_a_citation_reads_as_pandoc_reads_it_around_punctuation(project: Project) -> None:
    """The space before a citation is not printed before its call; a citation glued to a
    word or followed by ':' is one; a link reference definition is not."""
    cite_in(
        project,
        "En 2007 [@eval-2022]. En 2008[@eval-2022]: suite. Voir [@martin-2021][^n].\n\n"
        "[^n]: Une note.\n\n[@ref]: https://example.org/ref\n",
    )
    html = html_of(project)
    assert '2007<span class="footnote-call" role="doc-noteref">' in html
    assert '2008<span class="footnote-call" role="doc-noteref">' in html
    assert "</span>: suite" in html
    assert "[@" not in html


def test_a_description_in_the_bibliography_is_translated_a_documents_title_is_not(
    project: Project,
) -> None:
    """The English edition prints 'title_en' and 'note_en' where given; a French title
    without translation stays French, and no warning asks for one."""
    bibliography = BIBLIOGRAPHY.replace(
        "  issued: 2021-03\n",
        "  issued: 2021-03\n  note: Copie incomplète\n  note_en: Incomplete copy\n  language: fr\n",
    )
    project.write(
        "chapters-en/01.md", "# Summary\n\n[@eval-2022] [@martin-2021]\n\n{{ bibliography() }}\n"
    )
    project.append(
        "report.yaml", "editions:\n  en:\n    language: en\n    chapters_dir: chapters-en\n"
    )
    project.write("bibliography.yaml", bibliography)
    project.append("chapters/01-synthese.md", "[@eval-2022] [@martin-2021]\n")
    html = normalise(
        prepare(project.root, project.root.parent / ".cache", BuildOptions(edition="en")).html
    )
    assert "Incomplete copy" in html and "Copie incomplète" not in html
    # the document's title and journal are read in French; the person's name, the date
    # and the translated note in the edition's language
    assert (
        '<li id="ref-martin-2021" role="doc-biblioentry">A. Martin, ‘<span lang="fr">Un plan '
        'sans moyens</span>’, <i><span lang="fr">Le Quotidien fictif</span></i>, March 2021.'
    ) in html
    assert '<i><span lang="fr">Évaluation du plan d’action fictif 2020' in html


@pytest.mark.parametrize(
    ("start", "end", "french", "american"),
    [
        ("2021-02-08", "2021-02-12", "8–12 février 2021", "February 8–12, 2021"),
        (
            "2021-02-08",
            "2021-03-12",
            "du 8 février au 12 mars 2021",
            "February 8 to March 12, 2021",
        ),
        ("2020-12-08", "2021-01-12", "du 8 décembre 2020 au 12 janvier 2021", None),
        ("2020-03", "2020-05", "mars–mai 2020", "March–May 2020"),
        (2019, 2021, "2019–2021", "2019–2021"),
        ("2020-03", "2021-05-02", "mars 2020 – 2 mai 2021", "March 2020 – May 2, 2021"),
    ],
)
def test_a_period_reads_as_the_language_writes_it(start, end, french, american) -> None:
    assert period(start, end, catalogue("fr")) == french
    if american:
        assert period(start, end, catalogue("en-US")) == american


@pytest.mark.parametrize(
    ("host", "mirrors", "found"),
    [
        ("fr.readkong.com", ["readkong.com"], "readkong.com"),
        ("readkong.com", ["readkong.com"], "readkong.com"),
        ("notreadkong.com", ["readkong.com"], ""),
        ("fr.scribd.com", ["www.scribd.com"], "www.scribd.com"),
        ("fr.readkong.com", ["https://readkong.com/page/x"], "https://readkong.com/page/x"),
        ("FR.Readkong.COM.", ["readkong.com/"], "readkong.com/"),
        ("legifrance.gouv.fr", ["readkong.com", ""], ""),
    ],
)
def test_a_mirror_is_a_host_and_its_subdomains_however_it_is_written(host, mirrors, found):
    assert on_mirror(host, mirrors) == found
