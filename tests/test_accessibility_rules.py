"""Each accessibility rule (report/output/accessibility/), proven to fire and not to fire.

The PDFs are made by hand with pikepdf: a structure tree written as nested ``E`` (an
element), ``int`` (an MCID), ``MCR`` and ``Annot`` (a link annotation, joined to its
element by an OBJR and the ParentTree), so each case is a few lines and runs in
milliseconds. The built reports are checked in ``test_accessibility.py``.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from report.output import accessibility
from report.output.accessibility import Finding, check, passages, summarise
from report.output.verify import Expectations, verify

XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">{}</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
DECLARED = '<rdf:Description rdf:about="" pdfaid:part="3" pdfaid:conformance="A" pdfuaid:part="1"/>'


@dataclass
class E:
    """A structure element: its type, its kids, its other entries (/Lang, /Alt...)."""

    role: str
    kids: tuple = ()
    entries: dict = field(default_factory=dict)
    direct: bool = False  # a direct object inside its parent's /K, not a reference


def e(role: str, *kids, direct: bool = False, **entries) -> E:
    return E(role, kids, {f"/{key}": value for key, value in entries.items()}, direct)


@dataclass
class MCR:
    mcid: int
    page: int


@dataclass
class Annot:
    """A link annotation; ``parent=False`` leaves it out of the ParentTree."""

    contents: str | None = "Read the 2023 opinion"
    uri: str = "https://example.org/opinion"
    parent: bool = True


class Maker:
    """Writes a tagged PDF of ``pages`` blank pages from a tree of ``E``."""

    def __init__(self, pages: int = 1) -> None:
        self.pdf = pikepdf.new()
        for _ in range(pages):
            self.pdf.add_blank_page()
        self.parents: list = []

    def element(self, spec: E, parent: pikepdf.Object):
        made = Dictionary(Type=Name.StructElem, S=Name("/" + spec.role), P=parent)
        made.Pg = self.pdf.pages[0].obj
        for key, value in spec.entries.items():
            made[key] = String(value) if isinstance(value, str) else value
        element = made if spec.direct else self.pdf.make_indirect(made)
        kids = [self.kid(kid, element) for kid in spec.kids]
        element.K = kids[0] if len(kids) == 1 else Array(kids)
        return element

    def kid(self, kid, parent):
        if isinstance(kid, int):
            return kid
        if isinstance(kid, MCR):
            page = self.pdf.pages[kid.page - 1].obj
            return Dictionary(Type=Name.MCR, MCID=kid.mcid, Pg=page)
        if isinstance(kid, Annot):
            return self.annotation(kid, parent)
        return self.element(kid, parent)

    def annotation(self, spec: Annot, parent) -> Dictionary:
        annotation = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[0, 0, 10, 10],
            A=Dictionary(S=Name.URI, URI=String(spec.uri)),
        )
        if spec.contents is not None:
            annotation.Contents = String(spec.contents)
        annotation = self.pdf.make_indirect(annotation)
        if spec.parent:
            annotation.StructParent = len(self.parents)
            self.parents.append(parent)
        page = self.pdf.pages[0].obj
        page.Annots = Array([*page.get("/Annots", []), annotation])
        return Dictionary(Type=Name.OBJR, Obj=annotation)

    def save(self, *kids: E, lang="en", xmp=DECLARED, role_map=None, tagged=True) -> pikepdf.Pdf:
        root = self.pdf.Root
        if lang is not None:
            root.Lang = String(lang)
        if xmp is not None:
            root.Metadata = self.pdf.make_stream(XMP.format(xmp).encode())
        if tagged:
            tree = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
            made = [self.element(kid, tree) for kid in kids]
            tree.K = made[0] if len(made) == 1 else Array(made)
            tree.ParentTree = Dictionary(
                Nums=[x for n, p in enumerate(self.parents) for x in (n, p)]
            )
            if role_map:
                tree.RoleMap = Dictionary({f"/{k}": Name("/" + v) for k, v in role_map.items()})
            root.StructTreeRoot = tree
        buffer = io.BytesIO()
        self.pdf.save(buffer)
        return pikepdf.open(io.BytesIO(buffer.getvalue()))


def findings(*kids: E, variant: str | None = "pdf/a-3a", html: str = "", **options) -> list:
    return check(Maker().save(*kids, **options), variant, html)


def rules(*kids: E, **options) -> list[str]:
    return [finding.rule for finding in findings(*kids, **options)]


def doc(*kids) -> E:
    return e("Document", *kids)


# --- a clean document, and the forms /K takes ----------------------------------------


def test_a_well_tagged_document_has_no_finding() -> None:
    tree = doc(
        e("H1", 0),
        e("P", 1, e("Link", 2, Annot())),
        e("L", e("LI", e("Lbl", 3), e("LBody", 4))),
        e("Table", e("THead", e("TR", e("TH", 5))), e("TBody", e("TR", e("TD", 6)))),
    )
    assert findings(tree) == []


def test_every_form_of_k_is_read() -> None:
    """/K as one MCID, an MCR, a direct element, an array: each heading here has text."""
    tree = doc(
        e("H1", 0),
        e("H2", MCR(1, 1)),
        e("H2", e("Span", 2, direct=True)),
        e("H2", 3, MCR(4, 1), e("Span", 5)),
    )
    assert rules(tree) == []
    assert rules(doc(e("H1"), e("H2", e("Span", direct=True)))) == ["empty-heading"] * 2


def test_a_loop_of_kids_and_p_back_links_end() -> None:
    maker = Maker()
    pdf = maker.save(doc(e("Sect", e("P", 0))))
    sect = pdf.Root.StructTreeRoot.K.K
    sect.K = Array([sect.K, sect, pdf.Root.StructTreeRoot.K])  # kids that are ancestors
    assert check(pdf, "pdf/a-3a") == []


def test_the_role_map_is_followed() -> None:
    tree = doc(e("Titre", 0, e("Sous-titre", 1)))
    mapped = {"Titre": "H1", "Sous-titre": "H2"}
    assert rules(tree, role_map=mapped) == ["nested-heading"]
    assert rules(tree) == []


# --- links ---------------------------------------------------------------------------


def test_a_link_annotation_outside_a_link_element_is_found() -> None:
    found = findings(doc(e("P", 0, e("Span", 1, Annot()))))
    assert [(f.rule, f.page) for f in found] == [("link-element", 1)]
    assert found[0].detail == "the link to «https://example.org/opinion» is in a Span element"


def test_a_link_annotation_missing_from_the_parent_tree_is_found() -> None:
    found = findings(doc(e("Link", 0, Annot(parent=False))))
    assert [f.detail for f in found] == [
        "the link to «https://example.org/opinion» has no /StructParent"
    ]


@pytest.mark.parametrize(
    ("contents", "described"),
    [
        ("Read the 2023 opinion", True),
        ("Sommaire", True),
        ("Measure 12, page 4", True),
        (None, False),
        ("  ", False),
        ("https://example.org/opinion", False),
        ("www.example.org", False),
        ("mailto:contact@example.org", False),
        ("ref-cncdh-avis-2023", False),
        ("mesure-12", False),
        ("#sommaire", False),
    ],
)
def test_a_link_is_described_in_words(contents: str | None, described: bool) -> None:
    found = rules(doc(e("Link", 0, Annot(contents))))
    assert found == ([] if described else ["link-description"])


def test_a_link_element_without_text_is_empty() -> None:
    assert rules(doc(e("P", 0, e("Link", Annot())))) == ["empty-link"]
    assert rules(doc(e("P", 0, e("Link", Annot(), Alt="Measure 12")))) == []
    assert rules(doc(e("P", 0, e("Link", e("Span", 1), Annot())))) == []


# --- tables, headings, lists ----------------------------------------------------------


def test_a_table_without_a_header_cell_is_found() -> None:
    bare = e("Table", e("TR", e("TD", 0), e("TD", 1)))
    assert rules(doc(bare)) == ["table-header"]
    headed = e("Table", e("TR", e("TH", 2)), e("TR", e("TD", 3, e("Table", e("TR", e("TD", 4))))))
    found = findings(doc(headed))
    assert [f.rule for f in found] == ["table-header"], "the inner table, not the outer one"


def test_an_empty_header_cell_is_found() -> None:
    assert rules(doc(e("Table", e("TR", e("TH"), e("TH", 0))))) == ["empty-header-cell"]
    assert rules(doc(e("Table", e("TR", e("TH", ActualText="Status"))))) == []


def test_a_heading_inside_a_heading_is_found() -> None:
    found = findings(doc(e("H1", 0, e("Span", e("H2", 1)))))
    assert [(f.rule, f.detail) for f in found] == [
        ("nested-heading", "an H2 is inside an H1: make them siblings")
    ]
    assert rules(doc(e("H1", 0), e("Sect", e("H2", 1)))) == []


def test_a_list_item_holds_only_a_label_and_a_body() -> None:
    assert rules(doc(e("L", e("LI", e("LBody", 0))))) == []
    found = findings(doc(e("L", e("LI", 0, e("Lbl", 1), e("P", 2), e("P", 3)))))
    assert [f.detail for f in found] == ["a list item (LI) holds P, text"]


# --- the document ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", [None, "", " "])
def test_a_document_without_a_language_is_found(lang: str | None) -> None:
    assert rules(doc(e("P", 0)), lang=lang) == ["language"]


def test_the_standards_are_declared_in_the_metadata() -> None:
    tree = doc(e("P", 0))
    assert rules(tree, xmp=None) == ["identification", "identification"]
    pdfa_only = '<rdf:Description pdfaid:part="3" pdfaid:conformance="A"/>'
    assert [f.detail for f in findings(tree, xmp=pdfa_only)] == [
        "the XMP lacks pdfuaid:part = 1 (PDF/UA-1)"
    ]
    as_elements = "<rdf:Description><pdfuaid:part>1</pdfuaid:part></rdf:Description>"
    assert rules(tree, xmp=as_elements, variant="pdf/ua-1") == []
    assert [f.detail for f in findings(tree, variant="pdf/a-2a")] == [
        "the XMP lacks pdfaid:part = 2 with conformance A"
    ]


def test_an_untagged_pdf_is_found() -> None:
    assert rules(tagged=False) == ["tagged"]


def attached(times: int, embedded: bool = True) -> pikepdf.Pdf:
    maker = Maker()
    pdf = maker.pdf
    spec = pikepdf.AttachedFileSpec(pdf, b"a;b\n", filename="data.csv")
    if embedded:
        pdf.attachments["data.csv"] = spec
    pdf.Root.AF = Array([pdf.Root.Names.EmbeddedFiles.Names[1]] * times if embedded else [])
    return maker.save(doc(e("P", 0)))


def test_each_attached_file_is_listed_once() -> None:
    assert check(attached(1), "pdf/a-3a") == []
    assert [str(f) for f in check(attached(2), "pdf/a-3a")] == ["data.csv is listed 2 times"]
    assert [str(f) for f in check(attached(0), "pdf/a-3a")] == ["data.csv is not listed"]
    assert check(attached(0), "pdf/ua-1") == [], "only PDF/A-3 and 4 associate every file"


HTML = '<html lang="en"><body><p>In <span lang="fr-FR">la traite</span> and <i lang="en">x</i>'


def test_passages_in_another_language_are_tagged() -> None:
    tagged = doc(e("P", 0, e("Span", 1, Lang="fr")))
    assert rules(tagged, html=HTML) == []
    found = findings(doc(e("P", 0, e("Span", 1))), html=HTML)
    assert [f.detail for f in found] == [
        "the HTML gives 1 passage the language «fr», no element of the PDF has it"
    ]


def test_passages_lists_each_language_with_its_marked_content() -> None:
    maker = Maker(pages=2)
    tree = doc(e("P", 0, e("Span", 1, e("Span", MCR(2, 2), Lang="en"), 3, Lang="fr-FR")))
    pdf = maker.save(tree)
    assert [(p.lang, p.marks) for p in passages(pdf)] == [
        ("fr-FR", ((1, 1), (1, 3))),
        ("en", ((2, 2),)),
    ]


# --- the summary and the gate -----------------------------------------------------------


def test_the_summary_is_one_line_per_rule() -> None:
    found = [
        Finding("table-header", page=3),
        Finding("link-element", "the link to «x» is in a Span element", 2),
        Finding("link-element", "the link to «y» is in a P element", 9),
        Finding("language", "the catalog has no /Lang"),
    ]
    assert summarise(found) == [
        "accessibility: 1 table has no header cell on page 3 (PDF/UA-1 7.5): nothing says "
        "what a column means: give the table a header row",
        "accessibility: 2 link annotations are not inside a Link element on pages 2, 9 "
        "(PDF/UA-1 7.18.5): a screen reader does not announce them as links; first: the "
        "link to «x» is in a Span element",
        "accessibility: 1 document has no language (PDF/UA-1 7.2): a screen reader guesses "
        "the pronunciation: set language in report.yaml; first: the catalog has no /Lang",
    ]
    many = [Finding("empty-link", page=page) for page in range(1, 9)]
    assert "on pages 1, 2, 3, 4, 5 and 3 more (" in summarise(many)[0]


def gate(pdf: pikepdf.Pdf, variant: str | None) -> list[str]:
    buffer = io.BytesIO()
    pdf.save(buffer)
    expected = Expectations((), {}, {}, 10**9, pdf_variant=variant)
    return [p for p in verify([], buffer.getvalue(), expected) if p.startswith("accessibility")]


def test_the_gate_warns_for_the_enforced_rules_only(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pdf = Maker().save(doc(e("H1"), e("P", 0, e("Span", 1, Annot()))))
    assert sorted(line.split(" (")[0] for line in gate(pdf, "pdf/a-3a")) == [
        "accessibility: 1 heading is empty on page 1",
        "accessibility: 1 link annotation is not inside a Link element on page 1",
    ]  # every rule is enforced by default
    monkeypatch.setattr(accessibility, "ENFORCED_RULES", frozenset({"empty-heading"}))
    with caplog.at_level(logging.DEBUG, "report"):
        assert [line.split(" (")[0] for line in gate(pdf, "pdf/a-3a")] == [
            "accessibility: 1 heading is empty on page 1"
        ]
    assert "not enforced yet): accessibility: 1 link annotation is not" in caplog.text
    monkeypatch.setattr(accessibility, "ENFORCED_RULES", frozenset({"link-element"}))
    assert len(gate(pdf, "pdf/a-3a")) == 1 and "link annotation" in gate(pdf, "pdf/ua-1")[0]


def test_the_gate_skips_an_untagged_variant() -> None:
    pdf = Maker().save(doc(e("H1")))
    assert gate(pdf, None) == gate(pdf, "pdf/a-3b") == []
