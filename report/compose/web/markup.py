"""The print markup of the chapters made web markup, page by page.

The chapters are composed once for the PDF and the site: what only paper needs is turned
here into what a browser needs.

- A footnote is, for WeasyPrint, a span inside the sentence that it floats to the page's
  foot. On the web it becomes a numbered button and the note it opens in place (the
  ``popover`` attribute: no script needed, and a browser without it shows the note inline).
- A table wider than a phone scrolls sideways in a region of its own, never the page.
- The chapters' titles are ``h1``; under the page's own title they go one level down, so
  headings run in order.
- A link to ``#mesure-12`` or ``#ref-key`` leads to the page that has that id: the site
  has several pages where the PDF has one document. A link to an id no page has is
  returned, so the build can say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from posixpath import dirname, relpath

import lxml.html
from lxml.html import HtmlElement

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class WebPage:
    """One page of the site while it is finished: its path in the folder and its tree."""

    path: str  # "index.html", "mesures/12.html"
    tree: HtmlElement
    ids: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, path: str, html: str) -> WebPage:
        tree = lxml.html.document_fromstring(html)
        return cls(path, tree, {str(i) for i in tree.xpath("//@id")})

    def html(self) -> str:
        return "<!DOCTYPE html>\n" + lxml.html.tostring(self.tree, encoding="unicode") + "\n"


def notes_in_place(page: WebPage, note_label: Callable[[int], str]) -> int:
    """Each footnote becomes a button with its number and the note it opens; returns how
    many there are. Numbers run through the page, as they run through the PDF."""
    calls = page.tree.xpath('//span[@class="footnote-call"]')
    for number, call in enumerate(calls, start=1):
        note = call.find('span[@class="footnote"]')
        note_id = f"note-{number}"
        button = lxml.html.Element(
            "button",
            {
                "type": "button",
                "class": "note-call",
                "popovertarget": note_id,
                "aria-label": note_label(number),
            },
        )
        button.text = str(number)
        body = lxml.html.Element(
            "span", {"class": "note-body", "id": note_id, "popover": "", "role": "note"}
        )
        numeral = lxml.html.Element("span", {"class": "note-number"})
        numeral.text = f"{number}. "
        body.append(numeral)
        if note is not None:
            numeral.tail = note.text
            for child in note:
                body.append(child)
        wrapper = lxml.html.Element("span", {"class": "note"})
        wrapper.extend([button, body])
        wrapper.tail = call.tail
        call.getparent().replace(call, wrapper)
        _keep_with_word(wrapper)
        page.ids.add(note_id)
    return len(calls)


def _keep_with_word(note: HtmlElement) -> None:
    """The word before a note and the note in one unbreakable span: a button may start a
    line of its own, and a note's number alone at the start of a line reads as a stray."""
    previous = note.getprevious()
    before = previous.tail if previous is not None else note.getparent().text
    if not before or before[-1].isspace():
        return
    head, space, word = before.rpartition(" ")
    head += space
    glued = lxml.html.Element("span", {"class": "note-glue"})
    glued.text = word
    glued.tail = note.tail
    note.tail = None
    if previous is not None:
        previous.tail = head
    else:
        note.getparent().text = head
    note.addprevious(glued)
    glued.append(note)


# DPUB-ARIA roles the PDF reads (tagging/structure.py) that a browser must not see: the
# bibliography's entry role is deprecated in ARIA, and its list role is allowed on a
# section only.
WEB_ONLY_ROLES = {"doc-biblioentry": None, "doc-bibliography": ("section", "div")}


def roles_for_browsers(page: WebPage) -> None:
    """Drop the roles the PDF needs and a browser reads as mistakes."""
    for element in page.tree.xpath("//*[@role]"):
        role = element.get("role")
        if role in WEB_ONLY_ROLES and element.tag not in (WEB_ONLY_ROLES[role] or ()):
            del element.attrib["role"]


def tables_in_regions(page: WebPage) -> None:
    """Each table not yet in a ``.table-scroll`` region gets one: a wide table scrolls in it,
    not the page. The region is focusable, so that a keyboard scrolls it, and named by the
    table's caption, or else by the summary or the heading it comes under."""
    for table in list(page.tree.iter("table")):
        parent = table.getparent()
        if "table-scroll" in (parent.get("class") or "").split():
            continue
        region = lxml.html.Element("div", {"class": "table-scroll", "tabindex": "0"})
        name = _table_name(table)
        if name:
            region.set("role", "region")
            region.set("aria-label", name)
        region.tail, table.tail = table.tail, None
        parent.replace(table, region)
        region.append(table)


def _table_name(table: HtmlElement) -> str:
    titles = [
        *table.xpath("caption"),
        *table.xpath("ancestor::details[1]/summary"),
        *table.xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4][1]"),
    ]
    return " ".join(titles[0].text_content().split()) if titles else ""


def headings_under_title(root: HtmlElement) -> None:
    """Every heading of ``root`` one level down (h6 stays h6): under the page's h1."""
    for element in root.iter(*HEADINGS):
        level = int(element.tag[1])
        element.tag = f"h{min(level + 1, 6)}"


def link_pages(pages: list[WebPage]) -> list[tuple[str, str]]:
    """Point every ``#id`` link at the page holding that id; returns the (page, id) of
    links no page can answer."""
    where: dict[str, str] = {}
    for page in pages:
        for anchor in page.ids:
            where.setdefault(anchor, page.path)
    broken = []
    for page in pages:
        for link in page.tree.xpath('//a[starts-with(@href, "#")]'):
            anchor = link.get("href")[1:]
            if not anchor or anchor in page.ids:
                continue
            if anchor not in where:
                broken.append((page.path, anchor))
                continue
            link.set("href", f"{relative(page.path, where[anchor])}#{anchor}")
    return broken


def relative(source: str, target: str) -> str:
    """The address of ``target`` from the page ``source``, both paths in the site folder."""
    return relpath(target, dirname(source) or ".")
