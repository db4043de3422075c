"""What each link says it leads to: the ``title`` every ``<a>`` of the document carries.

WeasyPrint describes a link annotation by its target alone (an address, an id such as
``mesure-12``); a screen reader lists a document's links by their description. Every link
the builder writes therefore carries a ``title`` in the report's language saying where it
goes, which the PDF stage copies into the annotation's /Contents:

* a measure: "Mesure 12 : Mettre en place un mécanisme national de référence" (its page is
  not known when the HTML is written; the link's text and the page after it say it);
* a recommendation: "Recommandation R3 : Former les professionnels..." (shortened);
* a figure: "Figure 2 : Les victimes accompagnées";
* a document of the bibliography: its short reference ("CNCDH, Avis A-2023-1");
* any other link: its own text, or the host of its address when its text is the address.

Titles are plain text: Markdown and HTML are taken out of titles written in the data.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

from report.compose.markdown import describe_address, markdown_parser
from report.i18n.catalogue import Catalogue
from report.sources.model import Measure, Recommendation
from report.sources.vocabulary import Words

TAG = re.compile(r"<[^>]*>")
# A web address (with its scheme or "www.") or an e-mail address in plain text; the
# address stops before closing punctuation ("www.example.org." ends a sentence).
ADDRESS = re.compile(
    r"(?P<web>(?:https?://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]])"
    r"|(?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)
LONGEST = 120  # characters: a description longer than a line is cut at a word


def plain(text: str | None) -> str:
    """Text with its inline Markdown and HTML taken out, spaces collapsed:
    "*Avis* [A-2023-1]{lang=fr}" -> "Avis A-2023-1"."""
    if not text:
        return ""
    rendered = markdown_parser().renderInline(str(text), {"inline_footnotes": {}})
    return html_text(rendered)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment, as one line."""
    return " ".join(html.unescape(TAG.sub("", str(fragment))).split())


def shorten(text: str, limit: int = LONGEST) -> str:
    """``text`` cut at the last word that fits in ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def measure_label(measure: Measure, words: Words) -> str:
    """ "Mesure 12 : Mettre en place un mécanisme...", or "Mesure 12" when untitled."""
    label = f"{words.item.title} {measure.number}"
    return words.labelled(label, shorten(plain(measure.title))) if measure.title else label


def recommendation_label(recommendation: Recommendation, words: Words) -> str:
    """ "Recommandation R3 : Former les professionnels..." """
    label = f"{words.recommendation.title} {recommendation.code}"
    return words.labelled(label, shorten(plain(recommendation.text)))


def address_label(url: str, text: str = "") -> str:
    """A link to an address: its text (HTML allowed), unless its text is the address
    itself; then its host."""
    return describe_address(url, shorten(html_text(text)))


def linked(text: str | None, words: Catalogue) -> Markup:
    """A plain text (a contact line) with its web and e-mail addresses made links, each
    saying where it leads ("Site web example.org", "Écrire à a@example.org"): printed
    addresses a reader of the PDF can follow."""
    parts, start = [], 0
    value = "" if text is None else str(text)
    for found in ADDRESS.finditer(value):
        address = found.group()
        if found.group("mail"):
            target = f"mailto:{address}"
            title = words.text("link_email").format(address=address)
        else:
            target = address if "://" in address else f"https://{address}"
            title = words.text("link_website").format(host=describe_address(target))
        parts += [
            escape(value[start : found.start()]),
            Markup('<a href="{}" title="{}">{}</a>').format(target, title, address),
        ]
        start = found.end()
    return Markup("").join([*parts, escape(value[start:])])
