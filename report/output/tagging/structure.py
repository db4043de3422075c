"""Structure elements built right while WeasyPrint builds them, from the HTML's own words.

WeasyPrint 70 maps an HTML element to a PDF structure type by its name only, and reads no
other attribute: no ``lang``, no ``role``, no ``title``. ``StructureHook.build`` wraps its
``_build_box_tree`` (the function that turns one box into its structure element, children
first) and finishes each element as it is made, with what the HTML says:

- ``lang`` becomes ``/Lang``, so a French passage of an English edition is read with French
  rules (and the other way round);
- DPUB-ARIA roles become PDF roles: ``doc-footnote`` a ``Note`` (with the unique ``/ID``
  PDF/UA asks of notes), ``doc-noteref`` (the span around a footnote's call) a
  ``Reference``, ``doc-biblioentry`` a ``BibEntry`` (unless it is a list item: a list
  holds list items); the ``::footnote-marker`` is the note's ``Lbl``;
- a link annotation belongs to its ``Link`` element (PDF/UA 7.18.5): WeasyPrint hangs the
  annotation of a link's inner box (an ``<em>`` in a citation) on that box's ``Span``;
- a link annotation says where it goes (its ``/Contents``): the link's ``title``, else its
  ``aria-label``, else its text, instead of the raw URL or the target's id;
- a header cell gets its ``/Scope`` (``row`` when the HTML says so, else ``column``: the
  rule WeasyPrint itself uses to pair cells with headers);
- an element with no content (an empty ``<span>``, an anchor, a spacer) is not put in the
  tree, except table cells, which keep their column.

Elements are pydyf dictionaries; an element's ``/P`` is a reference (``b"12 0 R"``) to an
object of ``pdf.objects``. Every call of the recursion goes through ``build`` (the module
global is replaced while the PDF is written), so an element is finished once, by the call
that made it; elements passed up from a child call are already finished.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import pydyf

from report.output.tagging.words import line_ends

ROLES = {
    "doc-footnote": "Note",
    "doc-noteref": "Reference",
    "doc-biblioentry": "BibEntry",
}
PSEUDO_ROLES = {"::footnote-marker": "Lbl"}  # the call is inside its doc-noteref
LIST_PARTS = frozenset({"/L", "/LI", "/LBody"})
KEPT_EMPTY = frozenset({"/TD", "/TH"})
KEPT_EMPTY_KEYS = ("Alt", "ActualText")

BuildBoxTree = Callable[..., Iterator[Any]]


def referenced(pdf: Any, reference: Any) -> Any:
    """The pdfy object a reference such as ``b"12 0 R"`` points at."""
    return pdf.objects[int(reference.split()[0])]


def described(element: Any) -> str:
    """What a link says where it goes: its title, its label, else its own text."""
    for attribute in ("title", "aria-label"):
        value = (element.get(attribute) or "").strip()
        if value:
            return value
    return " ".join("".join(element.itertext()).split())


class StructureHook:
    """Wraps WeasyPrint's ``_build_box_tree``; one instance per PDF written."""

    def __init__(self, original: BuildBoxTree, is_margin: Callable[[Any], bool]) -> None:
        self.original = original
        self.is_margin = is_margin  # a margin box, whose generated text is an artifact
        self.finished: set[int] = set()
        self.notes = count(1)
        self.counts = {"lang": 0, "roles": 0, "links moved": 0, "empty dropped": 0, "line ends": 0}

    def build(self, box, parent, pdf, page_number, nums, annotations, tags) -> Iterator[Any]:
        """Yield the structure elements of ``box``, finished (see the module docstring)."""
        real = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
        if self.is_margin(real):
            for child in real.children:  # only a side note's text is content there
                if child in tags or _has_tagged_descendant(child, tags):
                    yield from self.build(child, parent, pdf, page_number, nums, annotations, tags)
            return
        args = (parent, pdf, page_number, nums, annotations, tags)
        ends = list(line_ends(real, tags)) if getattr(real, "children", None) else []
        for element in self.original(box, *args):
            if id(element) in self.finished:
                yield element
                continue
            self.finished.add(id(element))
            if self.finish(element, real, pdf, annotations):
                yield element
            else:
                element.clear()  # never referenced: written as an empty dictionary
        for mcid, actual in ends:
            self._actual_text(pdf, nums, mcid, actual)

    def finish(self, element: Any, box: Any, pdf: Any, annotations: list) -> bool:
        """Complete ``element`` (made for ``box``); False when it should not be in the tree."""
        tag = box.element_tag or ""
        html = box.element
        if html is not None:
            self._roles(element, tag, html)
            if html.get("lang") and tag not in ("html", "body"):
                element["Lang"] = pydyf.String(html.get("lang"))
                self.counts["lang"] += 1
        if element["S"] == "/TH":
            scope = "/Row" if html is not None and html.get("scope") == "row" else "/Column"
            element["A"]["Scope"] = scope
        if element["S"] == "/Link" and html is not None:
            self._describe(element, described(html), pdf)
        elif any(_is_objr(pdf, kid) for kid in element["K"]):
            self._move_annotations(element, pdf, annotations)
        keep = (
            element["K"]
            or element["S"] in KEPT_EMPTY
            or any(key in element for key in KEPT_EMPTY_KEYS)
        )
        self.counts["empty dropped"] += not keep
        return bool(keep)

    def _actual_text(self, pdf: Any, nums: dict, mcid: int, actual: str) -> None:
        """Give the sequence ``mcid`` its actual text, in a Span of its own if it shares."""
        owner = referenced(pdf, nums[mcid])
        if list(owner["K"]) != [mcid]:  # a Link lists its text directly, with its annotations
            span = pydyf.Dictionary(
                {
                    "Type": "/StructElem",
                    "S": "/Span",
                    "K": pydyf.Array([mcid]),
                    "P": owner.reference,
                }
            )
            span["Pg"] = owner["Pg"]
            pdf.add_object(span)
            owner["K"][owner["K"].index(mcid)] = span.reference
            nums[mcid], owner = span.reference, span
        owner["ActualText"] = pydyf.String(actual)
        self.counts["line ends"] += 1

    def _roles(self, element: Any, tag: str, html: Any) -> None:
        pseudo = next((role for end, role in PSEUDO_ROLES.items() if tag.endswith(end)), None)
        role = pseudo or ("::" not in tag and ROLES.get(html.get("role") or ""))
        if not role or element["S"] in LIST_PARTS:  # a list holds list items, whatever role
            return
        element["S"] = f"/{role}"
        self.counts["roles"] += 1
        if role == "Note":
            element["ID"] = pydyf.String(f"note-{next(self.notes)}")

    def _describe(self, link: Any, description: str, pdf: Any) -> None:
        """Give each annotation of ``link`` its description."""
        for kid in link["K"]:
            if _is_objr(pdf, kid) and description:
                annotation = referenced(pdf, referenced(pdf, kid)["Obj"])
                annotation["Contents"] = pydyf.String(description)

    def _move_annotations(self, element: Any, pdf: Any, annotations: list) -> None:
        """Hand the link annotations of an inner box to the nearest ``Link`` above it."""
        link = element
        while link is not None and link.get("S") != "/Link":
            link = referenced(pdf, link["P"]) if "P" in link else None
        if link is None:
            return
        moved = [kid for kid in element["K"] if _is_objr(pdf, kid)]
        element["K"] = pydyf.Array([kid for kid in element["K"] if kid not in moved])
        link["K"].extend(moved)
        objects = {referenced(pdf, kid)["Obj"] for kid in moved}
        for index, (owner, annotation) in enumerate(annotations):
            if owner == element.reference and annotation.reference in objects:
                annotations[index] = (link.reference, annotation)
        self.counts["links moved"] += len(moved)


def _is_objr(pdf: Any, kid: Any) -> bool:
    """Whether a /K entry is a reference to an annotation's OBJR (not an MCID or element)."""
    return isinstance(kid, bytes) and referenced(pdf, kid).get("Type") == "/OBJR"


def _has_tagged_descendant(box: Any, tags: dict) -> bool:
    return any(child in tags for child in box.descendants())
