"""The rules: their ids, where PDF/UA-1 asks for them, and the words an author reads.

The rule list is one table so that the gate's summary, the docs and the tests name each
rule the same way. ``ENFORCED_RULES`` is the switch the gate reads: a rule the builder's
own PDFs could not yet meet would warn on every build for a defect no author can fix, and
teach authors to ignore warnings; such a rule is left out of the set and only logged at
debug level (``report build --debug``). Today every rule is met, and enforced.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """What a rule checks, where PDF/UA-1 (ISO 14289-1) asks for it, what a reader loses."""

    clause: str
    one: str  # the defect, said of one item
    many: str  # the defect, said of several
    why: str  # what a reader of the PDF loses, or how to fix it


RULES: dict[str, Rule] = {
    "tagged": Rule(
        "7.1",
        "PDF has no structure tree",
        "PDFs have no structure tree",
        "a screen reader cannot tell headings, lists, tables or links from body text",
    ),
    "link-element": Rule(
        "7.18.5",
        "link annotation is not inside a Link element",
        "link annotations are not inside a Link element",
        "a screen reader does not announce them as links",
    ),
    "link-description": Rule(
        "7.18.5",
        "link annotation has no description",
        "link annotations have no description",
        "their /Contents is missing, an address or an internal name, not words",
    ),
    "empty-link": Rule(
        "7.18.5",
        "Link element has no text",
        "Link elements have no text",
        "a screen reader announces a link without saying where it leads",
    ),
    "table-header": Rule(
        "7.5",
        "table has no header cell",
        "tables have no header cell",
        "nothing says what a column means: give the table a header row",
    ),
    "empty-header-cell": Rule(
        "7.5",
        "header cell is empty",
        "header cells are empty",
        "the cells under them are announced without a heading: write one",
    ),
    "nested-heading": Rule(
        "7.4",
        "heading is inside another heading",
        "headings are inside another heading",
        "the list of headings a reader moves through is wrong",
    ),
    "empty-heading": Rule(
        "7.4",
        "heading is empty",
        "headings are empty",
        "the list of headings shows a blank entry",
    ),
    "list-item": Rule(
        "7.6",
        "list item holds more than a label and a body",
        "list items hold more than a label and a body",
        "a list item (LI) may hold only Lbl and LBody, or a reader miscounts the list",
    ),
    "language": Rule(
        "7.2",
        "document has no language",
        "documents have no language",
        "a screen reader guesses the pronunciation: set language in report.yaml",
    ),
    "passage-language": Rule(
        "7.2",
        "language of passages is not tagged",
        "languages of passages are not tagged",
        "a screen reader reads them with the document's pronunciation",
    ),
    "identification": Rule(
        "5",
        "standard is not declared in the XMP metadata",
        "standards are not declared in the XMP metadata",
        "readers and validators do not know which standard the file claims",
    ),
    "attachment": Rule(
        "7.11",  # and PDF/A-3, 6.8: each embedded file is an associated file
        "attached file is not listed once in the catalog's /AF",
        "attached files are not listed once in the catalog's /AF",
        "each embedded file must be associated with the document once",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One defect: the rule it breaks, what in particular is wrong, its page when known."""

    rule: str
    detail: str = ""  # which link, which file...: empty when the rule says it all
    page: int | None = None

    def __str__(self) -> str:
        said = self.detail or RULES[self.rule].one
        return f"page {self.page}: {said}" if self.page else said


# The rules whose findings the gate reports as warnings; see the module's docstring.
ENFORCED_RULES: frozenset[str] = frozenset(RULES)


def summarise(findings: list[Finding]) -> list[str]:
    """One line per rule: how many, where PDF/UA-1 asks for it, the first pages.

    A build of the default report has over a thousand link annotations: one warning per
    rule says what to fix without burying the other warnings.
    """
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule_id, found in by_rule.items():
        rule = RULES[rule_id]
        what = f"{len(found)} {rule.many}" if len(found) > 1 else f"1 {rule.one}"
        pages = sorted({f.page for f in found if f.page})
        where = f" on page{'s' * (len(pages) > 1)} {_listed(pages)}" if pages else ""
        first = f"; first: {found[0].detail}" if found[0].detail else ""
        lines.append(f"accessibility: {what}{where} (PDF/UA-1 {rule.clause}): {rule.why}{first}")
    return lines


def _listed(pages: list[int], shown: int = 5) -> str:
    listed = ", ".join(str(page) for page in pages[:shown])
    return listed + (f" and {len(pages) - shown} more" if len(pages) > shown else "")
