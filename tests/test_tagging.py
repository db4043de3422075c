"""Tags a screen reader can trust (report/output/tagging/), checked on the PDFs themselves.

Two documents: the sample project, built once, and a small "edge" page rendered with the
builder's own ``render_pdf`` (empty elements, header cells in body rows, a table without
THead, a link around an emphasis, a passage in another language, a footnote, a running
head and folio). Each is made twice: as WeasyPrint alone writes it (``accessible_tags``
switched off) and as the builder writes it.

Each ``*_problems`` check lists one defect. The tests assert the builder's PDFs have none;
``test_weasyprint_still_has_the_defects`` asserts WeasyPrint's own output still has each
one, which proves every check can fail, and tells us when a WeasyPrint upgrade fixes one.
The structure is read with pikepdf; page positions of glyphs, and the MCID each glyph is
marked with, come from pdfplumber.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from support import SAMPLE, normalise

import report.output.render
from report.app.build import BuildOptions, build
from report.output.render import PdfSettings, render_pdf
from report.output.tagging import TaggingUnsupported, check_supported

MM = 72 / 25.4
HEADER_BAND_MM, FOLIO_BAND_MM = 20, 15  # where the running header and the folio sit
EDGE_HTML = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Cas limites</title>
<style>
@page { size: A4; margin: 24mm 18mm 22mm 24mm;
  @top-left { content: string(chapter); vertical-align: bottom; padding-bottom: 4mm; }
  @bottom-right { content: counter(page) " / " counter(pages); }
  @right-top { content: element(aside); width: 14mm; } }
.aside { position: running(aside); font-size: 6pt; }
h1 { string-set: chapter content(); }
.toc a::after { content: leader(".") target-counter(attr(href), page); }
.footnote { float: footnote; }
</style></head><body>
<nav class="toc"><ol><li><a href="#un">Premier</a></li><li><a href="#deux">Second</a></li></ol>
</nav>
<h1 id="un">Premier chapitre</h1>
<div class="aside">Marge</div>
<p>Avant <span></span>après.<a id="ancre"></a></p>
<p>Le rapport <a href="https://example.org/rapport" title="Rapport annuel, page du site">dit
<em>ceci</em></a>, en anglais <span lang="en">a national action plan</span>.<span
role="doc-noteref"><span class="footnote" role="doc-footnote">Une note.</span></span></p>
<p class="narrow" style="width: 32mm; hyphens: auto">Les associations demandent une
évaluation indépendante et publique du plan national 2019-2021.</p>
<p></p>
<div style="height: 5mm"></div>
<table>
<thead><tr><th>Mesure</th><th>Statut</th></tr></thead>
<tbody><tr><th scope="row">M1</th><td>faite</td></tr><tr><th scope="row">M2</th><td></td></tr>
</tbody></table>
<table><tr><th scope="col">A</th><th scope="col">B</th></tr><tr><td>1</td><td>2</td></tr></table>
<h1 id="deux" style="break-before: page">Second chapitre</h1>
<p>Fin.</p>
</body></html>
"""
# TH scopes of EDGE_HTML, in document order.
EDGE_SCOPES = ["/Column", "/Column", "/Row", "/Row", "/Column", "/Column"]


# --- documents ---------------------------------------------------------------------------


@contextmanager
def _no_hooks(_document) -> Iterator[None]:
    yield


@contextmanager
def weasyprint_alone() -> Iterator[None]:
    """Switch the builder's tagging hooks off, to get WeasyPrint's own output."""
    patch = pytest.MonkeyPatch()
    patch.setattr(report.output.render, "accessible_tags", _no_hooks)
    patch.setattr(report.output.render, "finish_pdf", lambda _variant: None)
    try:
        yield
    finally:
        patch.undo()


def build_sample(folder: Path) -> bytes:
    return build(SAMPLE, folder, BuildOptions(force=True)).pdf.read_bytes()


def render_edge(folder: Path) -> bytes:
    settings = PdfSettings("pdf/a-3a", bytes(range(16)), dt.datetime(2023, 1, 2, tzinfo=dt.UTC))
    return render_pdf(EDGE_HTML, folder, [], [], settings).pdf


@pytest.fixture(scope="module")
def raw_sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The sample project as WeasyPrint alone writes it (PDF/A-3a)."""
    with weasyprint_alone():
        return build_sample(tmp_path_factory.mktemp("raw"))


@pytest.fixture(scope="module")
def fixed_sample(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return build_sample(tmp_path_factory.mktemp("fixed"))


@pytest.fixture(scope="module")
def raw_edge(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    with weasyprint_alone():
        return render_edge(tmp_path_factory.mktemp("edge-raw"))


@pytest.fixture(scope="module")
def fixed_edge(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return render_edge(tmp_path_factory.mktemp("edge"))


# --- reading the structure ---------------------------------------------------------------


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def kids(element: pikepdf.Object) -> list:
    k = element.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def is_element(kid: object) -> bool:
    return (
        isinstance(kid, pikepdf.Dictionary)
        and "/S" in kid
        and kid.get("/Type") not in ("/OBJR", "/MCR")
    )


def elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, list[str]]]:
    """Each element reachable from the StructTreeRoot, with its ancestors' types."""
    stack = [(kid, []) for kid in reversed(kids(pdf.Root.StructTreeRoot)) if is_element(kid)]
    while stack:
        element, ancestors = stack.pop()
        yield element, ancestors
        stack.extend(
            (kid, [*ancestors, str(element.S)])
            for kid in reversed(kids(element))
            if is_element(kid)
        )


def page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: index for index, page in enumerate(pdf.pages)}


def kid_mark(kid: object, element: pikepdf.Dictionary, pages: dict) -> tuple[int, int] | None:
    """(page index, MCID) of an MCID or MCR kid of an element; None for other kids."""
    if isinstance(kid, int):
        return pages[element.Pg.objgen], kid
    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
        return pages[kid.get("/Pg", element.get("/Pg")).objgen], int(kid.MCID)
    return None


def own_marks(element: pikepdf.Dictionary, pages: dict) -> list[tuple[int, int]]:
    """(page index, MCID) of each marked sequence the element lists directly."""
    marks = [kid_mark(kid, element, pages) for kid in kids(element)]
    return [mark for mark in marks if mark is not None]


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    values, nodes = {}, [pdf.Root.StructTreeRoot.ParentTree]
    while nodes:
        node = nodes.pop()
        nums = node.get("/Nums", [])
        values.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
        nodes.extend(node.get("/Kids", []))
    return values


def marked_in_content(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page index, MCID) of every marked-content sequence drawn on the pages."""
    marks = []
    for index, page in enumerate(pdf.pages):
        for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
            if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                marks.append((index, int(operands[1].MCID)))
    return marks


def glyphs(data: bytes) -> list[tuple[int, dict]]:
    """Every glyph drawn, with its page index (pdfplumber gives each glyph's MCID)."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [
            (index, {**char, "page_height": page.height})
            for index, page in enumerate(document.pages)
            for char in page.chars
        ]


def marked_texts(data: bytes) -> dict[tuple[int, int], str]:
    """The text of each marked sequence, by (page index, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for index, char in glyphs(data):
        if char.get("mcid") is not None:
            key = (index, char["mcid"])
            texts[key] = texts.get(key, "") + char["text"]
    return texts


def element_text(element: pikepdf.Dictionary, pages: dict, texts: dict) -> str:
    """The text of everything marked inside an element, in /K order."""
    parts = []
    for kid in kids(element):
        if is_element(kid):
            parts.append(element_text(kid, pages, texts))
        elif (mark := kid_mark(kid, element, pages)) is not None:
            parts.append(texts.get(mark, ""))
    return normalise(" ".join(parts))


def pdftotext(data: bytes, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


# --- the checks: each lists the defects of one kind --------------------------------------


def margin_problems(data: bytes) -> list[str]:
    """Running header and folio glyphs that are tagged content instead of artifacts."""
    problems = []
    for index, char in glyphs(data):
        in_header = char["top"] < HEADER_BAND_MM * MM
        in_footer = char["bottom"] > char["page_height"] - FOLIO_BAND_MM * MM
        if (in_header or in_footer) and char.get("mcid") is not None:
            problems.append(f"page {index + 1}: {char['text']!r} is MCID {char['mcid']}")
    return problems


def orphan_problems(data: bytes) -> list[str]:
    """Marked content whose element is missing or unreachable; ParentTree inconsistencies."""
    with open_pdf(data) as pdf:
        pages = page_numbers(pdf)
        tree = parent_tree(pdf)
        reachable = {element.objgen: element for element, _ in elements(pdf)}
        listed = {
            mark: element.objgen
            for element in reachable.values()
            for mark in own_marks(element, pages)
        }
        problems = []
        for page, mcid in marked_in_content(pdf):
            array = tree.get(int(pdf.pages[page].obj.StructParents))
            owner = array[mcid] if array is not None and mcid < len(array) else None
            if not isinstance(owner, pikepdf.Dictionary):
                problems.append(f"page {page + 1} MCID {mcid}: no element in the ParentTree")
            elif owner.objgen not in reachable:
                problems.append(f"page {page + 1} MCID {mcid}: {owner.S} is not in the tree")
            elif listed.get((page, mcid)) != owner.objgen:
                problems.append(f"page {page + 1} MCID {mcid}: {owner.S} does not list it")
        drawn = set(marked_in_content(pdf))
        problems += [
            f"page {page + 1} MCID {mcid} is listed but not drawn"
            for page, mcid in listed
            if (page, mcid) not in drawn
        ]
    return problems


def leader_problems(data: bytes) -> list[str]:
    """Lines with three or more marked sequences that draw only dots: a leader, dot by dot.

    (One marked '.' is normal: a full stop after a link or an emphasis.)
    """
    dots: dict[tuple[int, int], set[int]] = {}
    texts = marked_texts(data)
    for page, char in glyphs(data):
        mark = (page, char.get("mcid"))
        if mark in texts and "." in texts[mark] and not texts[mark].strip(". "):
            dots.setdefault((page, round(char["top"])), set()).add(mark[1])
    return [
        f"page {page + 1}: {len(mcids)} marked leader dots at {top} pt"
        for (page, top), mcids in dots.items()
        if len(mcids) >= 3
    ]


def nested_link_problems(data: bytes) -> list[str]:
    """Links inside links: one TOC entry announced as several links."""
    with open_pdf(data) as pdf:
        return [
            f"{' > '.join(ancestors)} > Link"
            for element, ancestors in elements(pdf)
            if element.S == "/Link" and "/Link" in ancestors
        ]


def toc_problems(data: bytes) -> list[str]:
    """Contents entries that do not read 'title page', with the title as its link (the page
    number beside the link, not inside it)."""
    contents = pdftotext(data, "-layout").split("Sommaire", 1)[-1].split("\f", 1)[0]
    entries = re.findall(r"^(\S.*?)(?: \.+)?\s{2,}(\d+)$", contents, re.M)
    entries = [(normalise(title), page) for title, page in entries]
    assert len(entries) >= 3, "the sample's table of contents was not found"
    with open_pdf(data) as pdf:
        pages, texts = page_numbers(pdf), marked_texts(data)
        read = {
            str(element.S): set() for element, _ in elements(pdf) if element.S in ("/LI", "/Link")
        }
        for element, _ in elements(pdf):
            if element.S in ("/LI", "/Link"):
                read[str(element.S)].add(element_text(element, pages, texts))
    return [
        f"no entry reads {title!r} then {page} with the title as its link"
        for title, page in entries
        if f"{title} {page}" not in read.get("/LI", set()) or title not in read.get("/Link", set())
    ]


def scope_problems(data: bytes) -> list[str]:
    """Header cells (TH) without a /Scope attribute."""
    with open_pdf(data) as pdf:
        return [
            f"TH {element.objgen} has no /Scope"
            for element, _ in elements(pdf)
            if element.S == "/TH" and scope(element) is None
        ]


def empty_problems(data: bytes) -> list[str]:
    """Elements with no content (table cells excepted: they keep the grid in place)."""
    with open_pdf(data) as pdf:
        return [
            f"empty {' > '.join(ancestors)} > {element.S}"
            for element, ancestors in elements(pdf)
            if not kids(element) and element.S not in ("/TD", "/TH")
        ]


def scope(element: pikepdf.Dictionary) -> str | None:
    attributes = element.get("/A")
    owned = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
    return next(
        (
            str(item.Scope)
            for item in owned
            if isinstance(item, pikepdf.Dictionary) and "/Scope" in item
        ),
        None,
    )


def annotations(data: bytes) -> list[tuple[str, str, str]]:
    """(description, target, type of its structure element) of each link annotation."""
    with open_pdf(data) as pdf:
        tree = parent_tree(pdf)
        found = []
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                owner = tree.get(int(annotation.get("/StructParent", -1)))
                kind = str(owner.S) if isinstance(owner, pikepdf.Dictionary) else repr(owner)
                target = annotation.get("/A", {}).get("/URI", annotation.get("/Dest", ""))
                found.append((str(annotation.get("/Contents", "")), str(target), kind))
        return found


def link_parent_problems(data: bytes) -> list[str]:
    """Link annotations whose structure element is not a Link (PDF/UA 7.18.5)."""
    return [
        f"annotation {description!r} hangs under {kind}"
        for description, _, kind in annotations(data)
        if kind != "/Link"
    ]


def description_problems(data: bytes) -> list[str]:
    """Link annotations described by their raw target (a URL or an id) instead of words."""
    return [
        f"annotation to {target!r} is described as {description!r}"
        for description, target, _ in annotations(data)
        if not description.strip() or description == target
    ]


def language_problems(data: bytes) -> list[str]:
    """The English passage of EDGE_HTML without /Lang en."""
    with open_pdf(data) as pdf:
        tagged = [str(element.Lang) for element, _ in elements(pdf) if "/Lang" in element]
    return [] if "en" in tagged else [f"no element says /Lang en (found {tagged})"]


def note_problems(data: bytes) -> list[str]:
    """A footnote that is not a Note with an /ID, or its call not a Reference."""
    with open_pdf(data) as pdf:
        found = {str(element.S): element for element, _ in elements(pdf)}
    problems = [] if "/Reference" in found else ["the footnote call is no Reference"]
    note = found.get("/Note")
    if note is None or not str(note.get("/ID", "")):
        problems.append("the footnote is no Note with an /ID")
    return problems


NARROW = "Les associations demandent une évaluation indépendante et publique du plan national"


def word_problems(data: bytes) -> list[str]:
    """The narrow paragraph of EDGE_HTML, read from its tags, with words run together."""
    with open_pdf(data) as pdf:
        pages, texts = page_numbers(pdf), marked_texts(data)
        read = [spoken_text(e, pages, texts) for e, _ in elements(pdf) if e.S == "/P"]
    heard = [text.replace("\u00ad", "") for text in read if text.startswith("Les asso")]
    return [] if heard and heard[0].startswith(NARROW) else [f"the tags read {heard}"]


def spoken_text(element: pikepdf.Dictionary, pages: dict, texts: dict) -> str:
    """What a screen reader gets: each element's /ActualText, else its marked text, as is."""
    if "/ActualText" in element:
        return str(element.ActualText)
    parts = []
    for kid in kids(element):
        if is_element(kid):
            parts.append(spoken_text(kid, pages, texts))
        elif (mark := kid_mark(kid, element, pages)) is not None:
            parts.append(texts.get(mark, ""))
    return "".join(parts)


def claim_problems(data: bytes) -> list[str]:
    """No PDF/UA-1 claim, or one PDF/A-1 to 3 cannot accept (no extension schema)."""
    with open_pdf(data) as pdf:
        meta = pdf.open_metadata()
        packet = pdf.Root.Metadata.read_bytes()
        problems = [] if meta.get("pdfuaid:part") == "1" else ["no pdfuaid:part 1"]
        if b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" not in packet:
            problems.append("no extension schema describes pdfuaid")
        if (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) != ("3", "A"):
            problems.append("the PDF/A-3a claim is lost")
    return problems


def attachment_problems(data: bytes) -> list[str]:
    """A file listed more than once in the catalog's /AF."""
    with open_pdf(data) as pdf:
        listed = [spec.objgen for spec in pdf.Root.get("/AF", [])]
    return [
        f"{spec} is listed {listed.count(spec)} times"
        for spec in set(listed)
        if listed.count(spec) > 1
    ]


CHECKS: dict[str, tuple[Callable[[bytes], list[str]], str]] = {
    "running headers and folios are content": (margin_problems, "sample"),
    "marked content maps to elements outside the tree": (orphan_problems, "sample"),
    "each leader dot is a span": (leader_problems, "edge"),
    "links are nested in links": (nested_link_problems, "edge"),
    "TH cells have no scope": (scope_problems, "sample"),
    "TH cells in body rows have no scope": (scope_problems, "edge"),
    "empty elements are tagged": (empty_problems, "edge"),
    "link annotations hang under a Span": (link_parent_problems, "sample"),
    "link annotations are described by their target": (description_problems, "edge"),
    "foreign passages have no /Lang": (language_problems, "edge"),
    "footnotes are no Note, calls no Reference": (note_problems, "edge"),
    "line ends join words and keep hard hyphens": (word_problems, "edge"),
    "no PDF/UA-1 claim": (claim_problems, "sample"),
    "attached files are listed twice in /AF": (attachment_problems, "sample"),
}
# Fixed in the markup (the leader and the ::after page number stay in EDGE_HTML's style
# to prove the checks fire): what the sample must not have.
MARKUP_CHECKS = ("each leader dot is a span", "links are nested in links")


# --- WeasyPrint's output has each defect (this fails when an upgrade fixes one) -----------


@pytest.mark.parametrize("defect", CHECKS)
def test_weasyprint_still_has_the_defects(defect: str, request: pytest.FixtureRequest) -> None:
    check, document = CHECKS[defect]
    raw = request.getfixturevalue(f"raw_{document}")
    assert check(raw), (
        f"WeasyPrint no longer has this defect ({defect}): the builder may no longer need "
        "to fix it; check report/output/tagging/"
    )


# --- the builder's PDFs do not ------------------------------------------------------------


@pytest.mark.parametrize("defect", [defect for defect in CHECKS if defect not in MARKUP_CHECKS])
def test_the_builder_fixes_each_defect(defect: str, request: pytest.FixtureRequest) -> None:
    check, document = CHECKS[defect]
    assert check(request.getfixturevalue(f"fixed_{document}")) == []


@pytest.mark.parametrize("defect", MARKUP_CHECKS)
def test_the_markup_causes_no_such_defect(defect: str, fixed_sample: bytes) -> None:
    assert CHECKS[defect][0](fixed_sample) == []


def test_running_headers_and_folios_are_artifacts(fixed_sample: bytes) -> None:
    header_glyphs = [char for _, char in glyphs(fixed_sample) if char["top"] < HEADER_BAND_MM * MM]
    assert header_glyphs and all(char.get("tag") == "Artifact" for char in header_glyphs)


@pytest.mark.parametrize("document", ["fixed_sample", "fixed_edge"])
def test_all_marked_content_maps_to_the_tree(document: str, request: pytest.FixtureRequest) -> None:
    assert orphan_problems(request.getfixturevalue(document)) == []


def test_a_side_note_in_the_margin_stays_content(fixed_edge: bytes) -> None:
    """Text the content placed in a margin box is read; the folio beside it is not."""
    texts = marked_texts(fixed_edge)
    assert any("Marge" in text for text in texts.values())
    folio = [char for _, char in glyphs(fixed_edge) if char["text"] == "/"]
    assert folio and all(char.get("mcid") is None for char in folio)


def test_toc_entries_read_title_then_page(fixed_sample: bytes) -> None:
    assert toc_problems(fixed_sample) == []


def test_links_say_where_they_go(fixed_edge: bytes) -> None:
    """The title of the link, for the annotation of its text and of its emphasis alike."""
    described = [description for description, target, _ in annotations(fixed_edge)]
    assert described.count("Rapport annuel, page du site") >= 2


def test_header_scope_follows_the_html(fixed_edge: bytes) -> None:
    """scope="row": /Row; otherwise /Column, the rule WeasyPrint pairs cells with."""
    with open_pdf(fixed_edge) as pdf:
        assert [scope(e) for e, _ in elements(pdf) if e.S == "/TH"] == EDGE_SCOPES


def test_empty_elements_are_removed_but_table_cells_kept(
    raw_edge: bytes, fixed_edge: bytes
) -> None:
    assert table_grid(fixed_edge) == table_grid(raw_edge)
    assert "" in [text for row in table_grid(fixed_edge) for text in row], (
        "the empty data cell should still be there"
    )


def table_grid(data: bytes) -> list[list[str]]:
    """Each table row as the text of its cells."""
    with open_pdf(data) as pdf:
        pages, texts = page_numbers(pdf), marked_texts(data)
        return [
            [element_text(cell, pages, texts) for cell in kids(row) if is_element(cell)]
            for row, _ in elements(pdf)
            if row.S == "/TR"
        ]


# --- and keep everything else ------------------------------------------------------------


def test_tagged_pdf_is_sound_and_draws_the_same_pages(
    raw_sample: bytes, fixed_sample: bytes, tmp_path: Path
) -> None:
    with open_pdf(fixed_sample) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        assert check() == []
        assert len(pdf.pages) == len(open_pdf(raw_sample).pages)
    assert pdftotext(fixed_sample) == pdftotext(raw_sample)
    assert page_images(fixed_sample, tmp_path / "fixed") == page_images(
        raw_sample, tmp_path / "raw"
    )


def page_images(data: bytes, folder: Path) -> list[bytes]:
    """Every page as a low-resolution PNG."""
    folder.mkdir()
    (folder / "in.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(folder / "in.pdf"), str(folder / "p")], check=True
    )
    return [path.read_bytes() for path in sorted(folder.glob("p-*.png"))]


def test_archival_metadata_attachments_and_id_are_kept(
    raw_sample: bytes, fixed_sample: bytes
) -> None:
    with open_pdf(raw_sample) as raw, open_pdf(fixed_sample) as fixed:
        assert dict(fixed.docinfo) == dict(raw.docinfo)
        files = {name: spec.get_file().read_bytes() for name, spec in fixed.attachments.items()}
        assert sorted(files) == ["essai-mesures.csv", "essai-mesures.yaml"]
        assert files == {
            name: spec.get_file().read_bytes() for name, spec in raw.attachments.items()
        }
        # the first word names the document (the builder derives it from the HTML)
        assert bytes(fixed.trailer.ID[0]) == bytes(raw.trailer.ID[0])
        assert fixed.Root.MarkInfo.Marked and str(fixed.Root.Lang) == "fr"


def test_tagging_is_deterministic(fixed_edge: bytes, tmp_path: Path) -> None:
    assert render_edge(tmp_path) == fixed_edge


def test_a_weasyprint_with_other_private_functions_is_refused() -> None:
    def changed(box, parent, pdf, page_number, nums, annotations):  # one argument fewer
        return iter(())

    def marked(self, box, tag):
        return None

    check_supported(lambda box, parent, pdf, page_number, nums, annotations, tags: None, marked)
    with pytest.raises(TaggingUnsupported, match="weasyprint"):
        check_supported(changed, marked)
