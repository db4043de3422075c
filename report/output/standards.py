"""The standards the PDF claims, and one entry per attached file, written before the PDF is.

``finish_pdf`` is WeasyPrint's ``finisher``: it receives the pydyf document after the
PDF/A parts are made and before a byte is written, so nothing is parsed or saved twice.

- **The claim.** WeasyPrint writes ``pdfaid`` (PDF/A-3a) or ``pdfuaid`` (PDF/UA-1), one
  standard per file. A tagged PDF/A file that also meets PDF/UA-1 says so with
  ``pdfuaid:part = 1``; PDF/A-1 to 3 accept a property outside their predefined schemas
  only with a description of its schema in the same XMP (``pdfaExtension:schemas``).
- **/AF.** WeasyPrint 70 adds each attached file to the catalog's /AF twice (once from the
  EmbeddedFiles name tree, once as a file specification); the second is dropped.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)

XMPMETA_OPEN, XMPMETA_CLOSE = b"<x:xmpmeta", b"</x:xmpmeta>"


TAGGED_PDF_A = frozenset({"pdf/a-3a", "pdf/a-2a", "pdf/a-1a"})  # pdf/ua-1 claims itself


def finish_pdf(variant: str | None) -> Any:
    """The finisher for one PDF of ``variant``: PDF/UA-1 is claimed beside a tagged PDF/A
    (the tags are made for it: see ``report.output.tagging``)."""
    claim_ua = variant in TAGGED_PDF_A

    def finisher(_document: Any, pdf: Any) -> None:
        deduplicate_attachments(pdf)
        if claim_ua and "Metadata" in pdf.catalog:
            metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
            metadata.stream = [claim_pdf_ua(b"".join(metadata.stream))]

    return finisher


def deduplicate_attachments(pdf: Any) -> None:
    """Keep the first of each reference in the catalog's /AF."""
    if "AF" not in pdf.catalog:
        return
    seen: list[Any] = []
    for reference in pdf.catalog["AF"]:
        if reference not in seen:
            seen.append(reference)
    pdf.catalog["AF"][:] = seen


def claim_pdf_ua(packet: bytes) -> bytes:
    """The XMP packet with ``pdfuaid:part = 1`` and the description of its schema."""
    start, end = packet.index(XMPMETA_OPEN), packet.index(XMPMETA_CLOSE) + len(XMPMETA_CLOSE)
    xmpmeta = fromstring(packet[start:end])
    rdf = xmpmeta.find(_name("rdf", "RDF"))
    if rdf is None or _claims_ua(rdf):
        return packet
    claim = SubElement(rdf, _name("rdf", "Description"), {_name("rdf", "about"): ""})
    SubElement(claim, _name("pdfuaid", "part")).text = "1"
    rdf.append(_extension_schema())
    return packet[:start] + tostring(xmpmeta, encoding="unicode").encode() + packet[end:]


def _claims_ua(rdf: Element) -> bool:
    key = _name("pdfuaid", "part")
    return any(key in node.attrib or node.tag == key for node in rdf.iter())


def _extension_schema() -> Element:
    """``pdfaExtension:schemas`` describing the pdfuaid schema and its one property."""
    description = Element(_name("rdf", "Description"), {_name("rdf", "about"): ""})
    schemas = SubElement(description, _name("pdfaExtension", "schemas"))
    schema = _resource(SubElement(schemas, _name("rdf", "Bag")))
    for key, text in (
        ("schema", "PDF/UA Universal Accessibility Schema"),
        ("namespaceURI", NS["pdfuaid"]),
        ("prefix", "pdfuaid"),
    ):
        SubElement(schema, _name("pdfaSchema", key)).text = text
    listed = SubElement(schema, _name("pdfaSchema", "property"))
    part = _resource(SubElement(listed, _name("rdf", "Seq")))
    for key, text in (
        ("name", "part"),
        ("valueType", "Integer"),
        ("category", "internal"),
        ("description", "Indicates, which part of ISO 14289 standard is followed"),
    ):
        SubElement(part, _name("pdfaProperty", key)).text = text
    return description


def _resource(container: Element) -> Element:
    return SubElement(container, _name("rdf", "li"), {_name("rdf", "parseType"): "Resource"})


def _name(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"
