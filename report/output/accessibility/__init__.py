"""PDF/UA-1 structure checks: what a screen reader meets in the finished, tagged PDF.

WeasyPrint writes a tagged PDF and ``tagging`` repairs its tree, but nothing said whether
the result has the structure PDF/UA-1 (ISO 14289-1) asks for: links a reader can announce
and describe, tables with header cells, headings that do not nest, list items made of a
label and a body, the document's language and its claim of conformance. These checks read
the PDF with pikepdf, independently of how it was made, in one pass over the structure
tree (some 70 ms for the default report's 37 pages and 11,000 nodes), so the verification
gate runs them on every build and the tests hold every PDF to them.

Each finding has a rule id (``rules.RULES``), a page when one is known and a line an
author understands; ``summarise`` folds them into one line per rule. The gate warns for
the rules of ``ENFORCED_RULES`` only (``--strict`` makes those errors) and logs the others
at debug level until the tags meet them.

Modules, bottom up: ``rules`` (the rules, findings, summary and the switch), ``objects``
(PDF objects as qpdf JSON, fetched in batches), ``tree`` (the structure tree in one pass),
``document`` (language, metadata, attached files, link annotations, passages' languages).
"""

from __future__ import annotations

from pikepdf import Pdf

from report.output.accessibility import document as whole
from report.output.accessibility.rules import ENFORCED_RULES, RULES, Finding, summarise
from report.output.accessibility.tree import Passage, read, walk


def check(document: Pdf, variant: str | None = None, html: str = "") -> list[Finding]:
    """Every finding of every rule.

    ``variant`` is the standard the build asked for ("pdf/a-3a"...): its PDF/A part and
    conformance must be declared besides PDF/UA-1. ``html``, when given, is what the PDF
    was made from: each language it gives passages must be tagged in the PDF too.
    """
    findings = [*whole.catalog(document, variant), *whole.attachments(document, variant)]
    tree = read(document)
    if tree is None:
        findings.append(Finding("tagged", "the PDF has no /StructTreeRoot"))
        return findings
    walked = walk(tree)
    findings += walked.findings
    findings += whole.links(document, tree)
    if html:
        findings += whole.passage_languages(html, walked.passages, document)
    return findings


def passages(document: Pdf) -> list[Passage]:
    """The elements tagged with a language (/Lang), outermost first, in document order."""
    tree = read(document)
    return walk(tree).passages if tree is not None else []


__all__ = ["ENFORCED_RULES", "RULES", "Finding", "Passage", "check", "passages", "summarise"]
