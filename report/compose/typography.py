"""Typographic rules applied to the final HTML's text, so narrative and data follow them alike.

French: narrow no-break space before ; ! ? : and inside « », typographic apostrophe,
no-break space between a number and the word that follows. English: curly apostrophe only.

The document is read by an HTML parser, not cut with a pattern: only its text nodes
change, never a tag, an attribute value (``title="a > b"``) or a comment
(``<!-- à revoir -> source -->``), and text inside ``code``, ``pre``, ``kbd``, ``samp``,
``var``, ``style``, ``script``, ``svg`` and ``title`` is left alone, as are web and mail
addresses in running text (``irc://serveur/salon``, ``example.org/faq``).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

NNBSP, NBSP = "\u202f", "\u00a0"
PROTECTED = frozenset({"code", "pre", "kbd", "samp", "var", "style", "script", "svg", "title"})
# Addresses: any scheme (https, irc, mailto...), www., an e-mail, a domain with a path.
URL_LIKE = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bmailto:|\bwww\.)\S+"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*",
    re.IGNORECASE,
)

FRENCH_RULES = (
    (
        re.compile(r"(?:(?<=[\w)»\]])[ \u00a0\u202f]*|^[ \u00a0\u202f]+)([;!?:])(?=\s|$|[»)\]])"),
        NNBSP + r"\1",
    ),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NNBSP + "»"),
    (re.compile(r"(?<=\d) (?=[^\W\d_])"), NBSP),
    (re.compile(r"(?<=\d)[ \u00a0\u202f]?%"), NNBSP + "%"),
)
# An apostrophe between letters, or ending a text run just before a link or emphasis.
APOSTROPHE = (re.compile(r"(?<=\w)'(?=\w|$)"), "’")
# Acronyms (two or more capitals) are never hyphenated: "GRETA", not "GRE-TA".
ACRONYM = re.compile(r"\b([A-ZÀ-Ý]{2,}s?)\b")


def apply_typography(document: str, language: str) -> str:
    """Apply the language's rules to every text node of an HTML document."""
    rules = (*FRENCH_RULES, APOSTROPHE) if language == "fr" else (APOSTROPHE,)
    pieces = []
    for raw, text in _TextNodes.of(document):
        pieces.append(raw if text is None else _fix_text(text, rules))
    return "".join(pieces)


class _TextNodes(HTMLParser):
    """Splits a document into its pieces, each kept as written, and says which are text
    nodes open to typography (outside protected elements)."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", document))]
        self.starts: list[tuple[int, str | None]] = []  # (offset, text or None)
        self.protected: list[str] = []
        self.closing = self.raw_tail = False

    @classmethod
    def of(cls, document: str) -> list[tuple[str, str | None]]:
        """(the piece as written, its text if typography applies to it) in order."""
        parser = cls(document)
        parser.feed(document)
        parser.close()
        if not parser.starts:
            return [(document, None)]
        ends = [offset for offset, _ in parser.starts[1:]] + [len(document)]
        pieces = [
            (document[start:end], text)
            for (start, text), end in zip(parser.starts, ends, strict=True)
        ]
        covered = parser.starts[0][0] if parser.starts else len(document)
        return [(document[:covered], None), *pieces]

    def _mark(self, text: str | None = None) -> None:
        line, column = self.getpos()
        self.starts.append((self.line_starts[line - 1] + column, text))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._mark()
        if tag in PROTECTED or (tag == "span" and ("class", "acronym") in attrs):
            self.protected.append(tag)  # an acronym already marked stays as it is

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._mark()

    def handle_endtag(self, tag: str) -> None:
        self._mark()
        if tag in self.protected:  # closes the innermost open one (and any left unclosed)
            while self.protected.pop() != tag:
                pass

    def close(self) -> None:
        self.closing = True
        super().close()

    def handle_data(self, data: str) -> None:
        # At the end, markup the parser could not finish (``<!-- fin``, ``<div``) comes as
        # data: it stays as written, never turned into visible text.
        self.raw_tail = self.raw_tail or (self.closing and data.startswith("<"))
        self._mark(None if self.protected or self.raw_tail else data)

    def handle_comment(self, data: str) -> None:
        self._mark()

    def handle_decl(self, decl: str) -> None:
        self._mark()

    def handle_pi(self, data: str) -> None:
        self._mark()

    def unknown_decl(self, data: str) -> None:
        self._mark()


def _fix_text(plain: str, rules: tuple) -> str:
    """Apply the rules to a text node (already unescaped) and write it back as HTML."""
    parts = URL_LIKE.split(plain)
    urls = URL_LIKE.findall(plain)
    for index, part in enumerate(parts):
        for pattern, replacement in rules:
            part = pattern.sub(replacement, part)
        parts[index] = part
    pieces = [
        ACRONYM.sub(r'<span class="acronym">\1</span>', html.escape(part, quote=False))
        for part in parts
    ]
    urls = [html.escape(url, quote=False) for url in urls]
    return pieces[0] + "".join(url + piece for url, piece in zip(urls, pieces[1:], strict=True))
