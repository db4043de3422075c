"""Sanitised HTML: what Markdown and raw HTML in a chapter may put in the document.

Chapters allow raw HTML, and a chapter comes from many hands. Each text's HTML goes
through nh3 (the Ammonia sanitiser) with an allow-list of what reports need: text
structure, tables, figures, footnotes, images, links, and the attributes that carry
meaning or layout (``class``, ``id``, ``lang``, ``style``, table spans, ``data-*`` and
``aria-*``). Scripts, event handlers (``onclick``), forms, frames, ``javascript:`` links
and ``<style>`` blocks are removed: harmless in a PDF, an attack in the web edition.
Being parsed and written again, each text's HTML is also balanced: an unclosed tag or
comment ends with its chapter instead of swallowing the ones after it.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

TAGS = frozenset(
    {
        "a",
        "abbr",
        "address",
        "article",
        "aside",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "nav",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    }
)
ATTRIBUTES = {
    "*": {"class", "id", "lang", "title", "style", "dir", "role", "hidden"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
}
# file: and data: stay so that the render stage's fetcher can refuse or serve them and
# tell the author which image was dropped; javascript: and the like are removed here.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "file", "data"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object"})
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
# The layout engine recurses once per level of nesting; past about 120 levels (the page
# templates add a few) it runs out of stack. No report needs more than a dozen.
MAX_NESTING = 60


def sanitise(html: str) -> str:
    """The allowed part of ``html``, balanced; comments are kept (blocks wait in them)."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes=set(URL_SCHEMES),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        strip_comments=False,
        link_rel=None,
    )


class _Depth(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.level = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.level += 1
            self.deepest = max(self.deepest, self.level)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.level -= 1


def nesting(html: str) -> int:
    """How deep elements nest in ``html`` (balanced, as ``sanitise`` writes it)."""
    depth = _Depth()
    depth.feed(html)
    depth.close()
    return depth.deepest
