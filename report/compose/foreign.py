"""Passages in another language than the edition's carry ``lang``, so that a screen reader
reads each in its own voice and hyphenation follows its language (the PDF stage copies
each element's ``lang`` into the PDF's /Lang).

Authors mark a passage in any text, chapters and settings alike, with the span syntax of
the chapters: ``Collectif “[Ensemble contre la traite des êtres humains]{lang=fr}”``.
References are marked by the builder, from the bibliography: in a reference formatted by
the citation style, a document's title (and short title, journal, series) is in the
document's ``language``, unless it is a description in [square brackets], which is in the
language the bibliography is written in; names of authors and publishers, and the kind of
document ("avis"), are in the bibliography's language unless translated (``genre_en``).
Only what differs from the edition's language is marked: "préc.", "p. 12" and the dates
are the edition's.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from report.sources.bibliography import BibEntry

# [passage]{lang=fr}: the attribute span of the chapters' Markdown, with nothing but lang.
LANG_SPAN = re.compile(r"\[(?P<text>[^\[\]]+)\]\{lang=(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z]{2})?)\}")
TAG = re.compile(r"<[^>]*>")

Passage = tuple[str, str]  # (text, language)


def passages_of(text: str) -> list[Passage]:
    """The passages a text marks: "[Ensemble contre la traite]{lang=fr}" -> [(..., 'fr')]."""
    return [(match["text"], match["lang"]) for match in LANG_SPAN.finditer(text or "")]


def unmarked(text: str) -> str:
    """The text without its marks, for where no markup goes (metadata, an image's alt)."""
    return LANG_SPAN.sub(r"\g<text>", text or "")


def marked(text: str) -> Markup:
    """A setting's text as HTML (escaped), its marked passages in ``<span lang>``:
    ``Collectif “[Ensemble…]{lang=fr}”`` -> ``Collectif “<span lang="fr">Ensemble…</span>”``."""
    plain, ranges = marked_ranges(text)
    return in_languages(plain, 0, ranges)


def marked_ranges(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text without its marks, its spaces collapsed, and where each passage stands in
    it: (start, end, language)."""
    plain, ranges, last = "", [], 0
    normal = " ".join(str(text or "").split())
    for match in LANG_SPAN.finditer(normal):
        plain += normal[last : match.start()]
        ranges.append((len(plain), len(plain) + len(match["text"]), match["lang"]))
        plain += match["text"]
        last = match.end()
    return plain + normal[last:], ranges


def in_languages(part: str, offset: int, ranges: list[tuple[int, int, str]]) -> Markup:
    """``part`` of a text (starting at ``offset`` in it) as HTML, what falls in a passage
    in its ``<span lang>``; a passage cut by the part's ends is marked on each side."""
    out, position = Markup(), 0
    for start, end, lang in ranges:
        start, end = max(start - offset, position), min(end - offset, len(part))
        if start >= end:
            continue
        out += escape(part[position:start])
        out += Markup('<span lang="{}">{}</span>').format(lang, part[start:end])
        position = end
    return out + escape(part[position:])


def same_language(one: str, other: str) -> bool:
    return one.split("-")[0].lower() == other.split("-")[0].lower()


def wrap_passages(html: str, passages: list[Passage], edition: str) -> str:
    """``html`` with each passage (its text as HTML-escaped) in a ``<span lang>``, wherever
    it stands as whole words outside tags; a passage in the edition's language is left
    alone. Longer passages first: a title wins over its short form."""
    wanted = {
        str(escape(text)): lang
        for text, lang in sorted(passages, key=lambda item: -len(item[0]))
        if text.strip() and lang and not same_language(lang, edition)
    }
    if not wanted:
        return html
    pattern = re.compile(
        "|".join(rf"(?<![\w&]){re.escape(text)}(?!\w)" for text in wanted), re.UNICODE
    )
    pieces = TAG.split(html)
    tags = TAG.findall(html)
    marked = [
        pattern.sub(lambda match: f'<span lang="{wanted[match[0]]}">{match[0]}</span>', piece)
        for piece in pieces
    ]
    return "".join(
        piece + (tags[index] if index < len(tags) else "") for index, piece in enumerate(marked)
    )


def entry_passages(entry: BibEntry, source: str) -> list[Passage]:
    """The passages of a reference whose language is known (see the module docstring)."""
    own = entry.language or source

    def kept(field: str) -> str:  # the bibliography's language, or the edition's
        return "" if field in entry.translated else source

    found: list[Passage] = []
    for field, text in (("title", entry.title), ("title_short", entry.title_short)):
        is_description = text.startswith("[")
        found.append((text, (kept(field) if is_description else own)))
    found += [(entry.container_title, own), (entry.collection_title, own)]
    found += [(entry.publisher, kept("publisher")), (entry.genre, kept("genre"))]
    found += [(name, kept("author")) for name in entry.author if isinstance(name, str)]
    return [(text, lang) for text, lang in found if text and lang]
