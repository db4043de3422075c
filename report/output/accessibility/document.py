"""The rules on the document as a whole: its language, the standards its metadata
declares, its attached files, its link annotations, the languages of its passages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from html.parser import HTMLParser

import pikepdf
from pikepdf import Array, Dictionary, Pdf

from report.output.accessibility.objects import Json, number_tree, text, values
from report.output.accessibility.rules import Finding
from report.output.accessibility.tree import Passage, Tree

URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|www\.)\S*$", re.IGNORECASE)
SLUG = re.compile(r"^#?[a-z0-9]+(?:[-_.:/][a-z0-9]+)+$|^#\S+$")
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def catalog(document: Pdf, variant: str | None) -> list[Finding]:
    """The document's language, and the standards its XMP metadata declares: PDF/UA-1
    always, and the PDF/A part and conformance of ``variant`` ("pdf/a-3a") if it is one."""
    findings = []
    if not str(document.Root.get("/Lang", "")).strip():
        findings.append(Finding("language", "the catalog has no /Lang"))
    declared = _identification(document)
    if declared.get(PDFUAID + "part") != "1":
        findings.append(Finding("identification", "the XMP lacks pdfuaid:part = 1 (PDF/UA-1)"))
    wanted = re.fullmatch(r"pdf/a-(\d)([abu])", variant or "")
    if wanted:
        part, level = wanted[1], wanted[2].upper()
        if (declared.get(PDFAID + "part"), declared.get(PDFAID + "conformance")) != (part, level):
            message = f"the XMP lacks pdfaid:part = {part} with conformance {level}"
            findings.append(Finding("identification", message))
    return findings


def _identification(document: Pdf) -> dict[str, str]:
    """The pdfuaid and pdfaid properties of the XMP packet, written as attributes or as
    elements (both are valid RDF)."""
    stream = document.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    try:
        xml = ElementTree.fromstring(stream.read_bytes())
    except ElementTree.ParseError:
        return {}
    found: dict[str, str] = {}
    for description in xml.iter(RDF + "Description"):
        for name, value in description.attrib.items():
            found[name] = value.strip()
        for child in description:
            found[child.tag] = (child.text or "").strip()
    return {name: value for name, value in found.items() if name.startswith((PDFUAID, PDFAID))}


def attachments(document: Pdf, variant: str | None) -> list[Finding]:
    """Each embedded file listed once in the catalog's /AF: twice, a reader's list of
    attachments shows it twice; PDF/A-3 and 4 also want each one listed (an associated
    file), which other standards do not ask."""
    root = document.Root
    required = bool(re.fullmatch(r"pdf/a-[34].?", variant or ""))
    listed = Counter(_file_name(spec) for spec in root.get("/AF", Array()))
    embedded = []
    names = root.get("/Names", Dictionary()).get("/EmbeddedFiles")
    if isinstance(names, Dictionary):
        embedded = [_file_name(spec) for spec in _name_tree_values(names)]
    return [
        Finding(
            "attachment",
            f"{name} is listed {listed[name]} times" if listed[name] else f"{name} is not listed",
        )
        for name in dict.fromkeys([*embedded, *listed])
        if listed[name] > 1 or (required and not listed[name])
    ]


def _file_name(spec: object) -> str:
    if not isinstance(spec, Dictionary):
        return "a file specification that is not a dictionary"
    return str(spec.get("/UF", spec.get("/F", "an unnamed file")))


def _name_tree_values(node: Dictionary, depth: int = 0) -> list[object]:
    found = list(node.get("/Names", Array()))[1::2]
    if depth < 32:
        for kid in node.get("/Kids", Array()):
            found += _name_tree_values(kid, depth + 1)
    return found


def links(document: Pdf, tree: Tree) -> list[Finding]:
    """Each link annotation: its ParentTree entry a Link element of the tree (PDF/UA-1
    7.18.5), and a /Contents that describes it in words."""
    parents = number_tree(document, tree.root.get("/ParentTree"))
    annotations: list[pikepdf.Object] = []
    numbers: list[int] = []
    for number, page in enumerate(document.pages, 1):
        listed = list(page.obj.get("/Annots", Array()))
        annotations.extend(listed)
        numbers += [number] * len(listed)
    findings = []
    for number, annotation in zip(numbers, values(annotations), strict=True):
        if not isinstance(annotation, dict) or annotation.get("/Subtype") != "/Link":
            continue
        target = _target(document, annotation)
        key = annotation.get("/StructParent")
        element = tree.resolve(parents.get(key)) if type(key) is int else None
        if not isinstance(element, dict):
            reason = "has no /StructParent" if key is None else "is in no element of the tree"
            findings.append(Finding("link-element", f"the link to {target} {reason}", number))
        elif (role := tree.role(element)) != "Link":
            message = f"the link to {target} is in a {role} element"
            findings.append(Finding("link-element", message, number))
        description = text(annotation.get("/Contents")).strip()
        if not description or URL.match(description) or SLUG.match(description):
            said = f"«{description}»" if description else "nothing"
            message = f"the link to {target} is described by {said}"
            findings.append(Finding("link-description", message, number))
    return findings


def _target(document: Pdf, annotation: dict[str, Json]) -> str:
    """Where a link leads, for a message: its address or its destination's name."""
    action = annotation.get("/A", {})
    if not isinstance(action, dict):
        (action,) = values([document.get_object(*map(int, action.split()[:2]))])
    target = text(action.get("/URI") or action.get("/D") or annotation.get("/Dest"))
    if not target:
        return "a place in the document"
    return f"«{target if len(target) <= 60 else target[:59] + '…'}»"


class _Languages(HTMLParser):
    """The language of the root element, and how many other elements give each one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ""
        self.passages: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.root = primary(lang or "")
        elif lang:
            self.passages[primary(lang)] += 1


def primary(lang: str) -> str:
    """The language of a tag, without region or script: fr-FR -> fr."""
    return lang.strip().split("-")[0].lower()


def passage_languages(html: str, passages: list[Passage], document: Pdf) -> list[Finding]:
    """Each language the HTML gives passages (other than the document's) is the /Lang of
    at least one element. Counts are not compared: a passage in a running header, or an
    empty one, rightly leaves no element."""
    parser = _Languages()
    parser.feed(html)
    default = parser.root or primary(str(document.Root.get("/Lang", "")))
    tagged = {primary(passage.lang) for passage in passages}
    return [
        Finding(
            "passage-language",
            f"the HTML gives {count} passage{'s' * (count > 1)} the language «{lang}», "
            "no element of the PDF has it",
        )
        for lang, count in parser.passages.items()
        if lang != default and lang not in tagged
    ]
