"""The markup of every edition of the default report tags well in WeasyPrint's own output.

The PDF stage finishes WeasyPrint's structure tree while it is written (``output/tagging``);
what the templates can avoid, they avoid at the source. Every edition is built once, as
``report build --all`` does, with those hooks switched off, and both its HTML and
WeasyPrint's own tagged PDF are read:

* no heading holds another heading; every list item is a label and a body (Lbl, LBody);
* the contents and cross-references draw no leader dot as text and nest no link in a link;
  their page numbers are right;
* no element of the tree is empty, and every header cell has a word;
* every link says where it leads (``title``); the recap grid is a list of links that each
  read a number and a status;
* footnotes, their calls, the bibliography and the contents carry their DPUB-ARIA role;
* passages in another language than the edition's carry ``lang``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import pdfplumber
import pikepdf
import pytest
import tinyhtml5
from support import reset_logging

import report.output.render
from report.app.cli import main

CONTENT = Path(__file__).resolve().parent.parent / "content"
EDITIONS = {
    "report": "rapport-2025",
    "note": "note-audition-2025",
    "en": "report-2025-en",
    "dossier": "dossier-gouvernement",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PDF_HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition, as WeasyPrint alone tags it (the builder's tagging hooks off)."""
    folder = tmp_path_factory.mktemp("accessible")
    patch = pytest.MonkeyPatch()
    patch.setattr(report.output.render, "accessible_tags", weasyprint_alone)
    try:
        assert main(["build", str(CONTENT), "-o", str(folder), "--all", "--force"]) == 0
    finally:
        patch.undo()
        reset_logging()
    return folder


@contextmanager
def weasyprint_alone(_document) -> Iterator[None]:
    yield


# --- reading the HTML ----------------------------------------------------------------------


def tag(element: Element) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def text_of(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module")
def documents(built: Path) -> dict[str, Element]:
    return {
        name: tinyhtml5.parse((built / f"{output}.html").read_text(encoding="utf-8"))
        for name, output in EDITIONS.items()
    }


def languages_of(root: Element, passage: str) -> set[str]:
    """The languages the words of a passage are read in, wherever the passage stands in
    the text of the document (an element's own ``lang``, else its ancestors')."""
    chunks: list[tuple[str, str]] = []

    def walk(element: Element, language: str) -> None:
        own = element.get("lang") or language
        chunks.append((element.text or "", own))
        for child in element:
            walk(child, own)
            chunks.append((child.tail or "", own))

    walk(root, "")
    text = "".join(chunk for chunk, _ in chunks)
    languages = [language for chunk, language in chunks for _ in chunk]
    spaced = re.sub(r"[\s\u00a0\u202f\u2060]", " ", text)
    found: set[str] = set()
    for match in re.finditer(re.escape(passage), spaced):
        found |= {languages[i] for i in range(*match.span()) if not spaced[i].isspace()}
    return found


# --- reading the tagged PDF -----------------------------------------------------------------


@dataclass
class Node:
    """An element of the structure tree: its type, its ancestors' types, its child
    elements, and the text of its own marked content, run by run."""

    name: str
    ancestors: tuple[str, ...]
    kids: list[Node] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    annotations: int = 0

    def text(self) -> str:
        return "".join(self.runs) + "".join(kid.text() for kid in self.kids)

    def walk(self) -> list[Node]:
        return [self, *(node for kid in self.kids for node in kid.walk())]


def structure(path: Path) -> list[Node]:
    """Every element of a tagged PDF's structure tree, in reading order."""
    texts: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    texts[number, char["mcid"]] += char["text"]
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}

        def node(element: pikepdf.Dictionary, ancestors: tuple[str, ...], page: int) -> Node:
            page = pages.get(element.Pg.objgen, page) if "/Pg" in element else page
            made = Node(str(element.get("/S", "/StructTreeRoot")), ancestors)
            kids = element.get("/K", pikepdf.Array())
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    made.runs.append(texts.get((page, kid), ""))
                elif kid.get("/Type") == "/MCR":
                    made.runs.append(texts.get((pages[kid.Pg.objgen], int(kid.MCID)), ""))
                elif kid.get("/Type") == "/OBJR":
                    made.annotations += 1
                else:
                    made.kids.append(node(kid, (*ancestors, made.name), page))
            return made

        return node(pdf.Root.StructTreeRoot, (), 0).walk()[1:]


@pytest.fixture(scope="module")
def trees(built: Path) -> dict[str, list[Node]]:
    return {name: structure(built / f"{output}.pdf") for name, output in EDITIONS.items()}


# --- the structure tree ----------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_heading_holds_a_heading(edition, documents, trees) -> None:
    html = [
        text_of(element)
        for element in documents[edition].iter()
        if tag(element) in HEADINGS
        and any(tag(inner) in HEADINGS for inner in element.iter() if inner is not element)
    ]
    pdf = [
        n.text()
        for n in trees[edition]
        if n.name in PDF_HEADINGS and PDF_HEADINGS & set(n.ancestors)
    ]
    assert html == [] and pdf == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_list_item_is_a_label_and_a_body(edition, trees) -> None:
    shapes = {tuple(kid.name for kid in n.kids) for n in trees[edition] if n.name == "/LI"}
    assert shapes <= {("/LBody",), ("/Lbl", "/LBody")}, shapes


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_leader_dot_is_text_and_no_link_is_in_a_link(edition, trees) -> None:
    nodes = trees[edition]
    nested = [n.text() for n in nodes if n.name == "/Link" and "/Link" in n.ancestors]
    runs = [[*n.runs, *(k.text() for k in n.kids)] for n in nodes]
    leaders = [r for r in runs if len(r) >= 2 and all(x.strip() in (".", "…") for x in r)]
    assert nested == [] and leaders == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_element_is_empty_and_every_header_cell_has_a_word(edition, trees) -> None:
    nodes = trees[edition]
    empty = [
        " > ".join((*n.ancestors, n.name))
        for n in nodes
        if not (n.runs or n.kids or n.annotations) and n.name not in ("/TD", "/TH")
    ]
    blank_headers = [n.ancestors for n in nodes if n.name == "/TH" and not n.text().strip()]
    assert empty == [] and blank_headers == []


def test_a_loose_list_and_the_recommendations_tag_label_then_body(
    project, cli, monkeypatch
) -> None:
    """A loose Markdown list puts paragraphs in its items; an item still reads as its label
    (the bullet, a recommendation's code) and one body holding them."""
    project.append(
        "chapters/01-synthese.md",
        "\n- Premier point.\n\n  Sa suite.\n\n- Second point.\n\n{{ recommendations() }}\n",
    )
    project.write(
        "data/recommandations.yaml",
        "recommendations:\n  - {id: vite, text: Agir vite., addressees: [min-a]}\n"
        "  - {id: mieux, text: Agir mieux.}\n",
    )
    monkeypatch.setattr(report.output.render, "accessible_tags", weasyprint_alone)
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    items = [
        n
        for n in structure(Path("out/essai.pdf"))
        if n.name == "/LI" and re.search("point|Agir", n.text())
    ]
    assert [tuple(kid.name for kid in item.kids) for item in items] == [("/Lbl", "/LBody")] * 4
    assert [item.kids[0].text().strip() for item in items] == ["•", "•", "R1", "R2"]
    assert [kid.name for kid in items[0].kids[1].kids] == ["/P", "/P"]  # two paragraphs


# --- the HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_link_says_where_it_leads(edition, documents) -> None:
    links = [e for e in documents[edition].iter() if tag(e) == "a"]
    assert links
    assert [e.get("href") for e in links if not (e.get("title") or "").strip()] == []


def test_a_cross_reference_says_which_measure_and_gives_its_page_outside_the_link(
    documents,
) -> None:
    [reference, *_] = [e for e in documents["report"].iter() if e.get("data-target") == "#mesure-2"]
    assert reference.get("class") == "measure-ref"
    [link] = list(reference)
    assert reference.get("data-target") == link.get("href") == "#mesure-2"
    assert link.get("title") == "Mesure 2 : Créer un site gouvernemental dédié"


def test_the_recap_is_a_list_of_links_reading_number_and_status(documents) -> None:
    [grid] = [e for e in documents["report"].iter() if e.get("class") == "recap-grid"]
    assert tag(grid) == "ol" and len(grid) == 45
    texts = [text_of(item) for item in grid]
    assert texts[0] == "1 ◐ Partiellement réalisée" and texts[44] == "45 ? Non documentée"
    for number, item in enumerate(grid, start=1):
        [link] = [e for e in item.iter() if tag(e) == "a"]
        assert text_of(link) == text_of(item) and link.get("href") == f"#mesure-{number}"
        assert link.get("title", "").startswith(f"Mesure {number}")


@pytest.mark.parametrize("edition", ["report", "en"])
def test_notes_bibliography_and_contents_carry_their_role(edition, documents) -> None:
    root = documents[edition]
    parents = {child: parent for parent in root.iter() for child in parent}
    notes = [e for e in root.iter() if e.get("class") == "footnote"]
    assert notes and {e.get("role") for e in notes} == {"doc-footnote"}
    assert {parents[e].get("role") for e in notes} == {"doc-noteref"}
    [bibliography] = [e for e in root.iter() if e.get("class") == "bibliography"]
    assert bibliography.get("role") == "doc-bibliography"
    assert {e.get("role") for e in bibliography} == {"doc-biblioentry"}
    [contents] = [e for e in root.iter() if tag(e) == "nav"]
    assert contents.get("role") == "doc-toc"


@pytest.mark.parametrize(
    "passage",
    [
        "Ensemble contre la traite des êtres humains",  # the Collectif's name
        "Commission nationale consultative des droits de l’homme",  # an acronym's expansion
        "Conseil de l’Europe",  # an author's name, in the bibliography's language
        "profil des victimes accompagnées par les associations en 2022",  # a French title
        "décembre 2025",  # a page quoted by its French name
    ],
)
def test_french_passages_of_the_english_edition_are_read_in_french(passage, documents) -> None:
    assert languages_of(documents["en"], passage) == {"fr"}


def test_english_titles_of_the_french_edition_are_read_in_english(documents) -> None:
    assert languages_of(documents["report"], "publishes its third report on France") == {"en"}
    # "préc." and the page number of a note stay French: only the title is marked
    assert languages_of(documents["report"], "préc.") == {"fr"}
