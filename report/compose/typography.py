"""Typographic rules applied to the final HTML's text, so narrative and data follow them alike.

The rules are the settings of the language's catalogue (``Typography``): a narrow no-break
space before some signs, spaces inside « », straight quotes made curly, the apostrophe, a
no-break space after a number, after an abbreviation or before a unit, the per cent sign,
ranges of numbers, dashes and ordinals. A setting left empty applies nothing, so adding a
language is adding a catalogue.

The document is read by an HTML parser, not cut with a pattern: only its text nodes
change, never a tag, an attribute value (``title="a > b"``) or a comment
(``<!-- à revoir -> source -->``), and text inside ``code``, ``pre``, ``kbd``, ``samp``,
``var``, ``style``, ``script``, ``svg`` and ``title`` is left alone, as are web and mail
addresses in running text (``irc://serveur/salon``, ``example.org/faq``). Quotes and dashes
read the text before them across inline elements (``"<em>mot</em>"``), never across a
paragraph, a cell or any other block.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple

from report.i18n.catalogue import Typography

NNBSP, NBSP = "\u202f", "\u00a0"
WJ = "\u2060"  # the word joiner: invisible, no line break on either side of it
PROTECTED = frozenset({"code", "pre", "kbd", "samp", "var", "style", "script", "svg", "title"})
# Elements inside a line of text: a quote after one of them reads the text before it.
# Any other tag (a paragraph, a cell, a line break...) starts afresh.
INLINE = frozenset(
    {
        *("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i"),
        *("ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup"),
        *("time", "u", "var", "wbr"),
    }
)
# Addresses: any scheme (https, irc, mailto...), www., an e-mail, a domain with a path. A
# quote ends one unless a letter follows (l'article), so "https://x.org" keeps its quotes;
# so does the word joiner put before a dash.
QUOTE_MARKS = "\"'“”‘’«»„‚‹›"
ADDRESS_BODY = rf"(?:[^\s{QUOTE_MARKS}\u2060]|[{QUOTE_MARKS}](?=\w))"
URL_LIKE = re.compile(
    rf"(?:\b[a-z][a-z0-9+.-]*://|\bmailto:|\bwww\.){ADDRESS_BODY}+"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{{2,}}/{ADDRESS_BODY}*",
    re.IGNORECASE,
)
# Acronyms (two or more capitals) are never hyphenated: "GRETA", not "GRE-TA".
ACRONYM = re.compile(r"\b([A-ZÀ-Ý]{2,}s?)\b")
SPACE = "[ \u00a0\u202f]"
HYPHENS = "\\-\u2010\u2013\u2014"
# A number as a range writes it: 12, 2019, 1.5, 2,872; never 01 (a month, a phone number).
RANGE_NUMBER = r"(?:0|[1-9]\d*)(?:[.,]\d+)*"


@dataclass
class _Context:
    """What the text read so far in the current block says to the next text node."""

    before: str = ""  # the last character read ("" at the start of a block)
    double_open: bool = False
    single_open: bool = False


Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


class _Rules:
    """The rules of one ``Typography``, compiled once."""

    def __init__(self, typography: Typography) -> None:
        self.quotes = _Quotes(typography)
        self.dash = _dash_rule(typography.dash) if typography.dash else None
        self.rules = _text_rules(typography)
        self.signs = typography.narrow_space_before or ""
        self.closing = ")]»" + "".join(pair[1] for pair in _quote_pairs(typography))
        self.ordinals = None
        if typography.ordinals:
            # Not in a hyphenated token (1-1er): a range would read it on the next pass.
            # 2e, 1er, and Roman numerals of two letters or more (XXIe; never 'Le' or 'Ce').
            number = r"\d+|[IVXLCDM]{2,}"
            self.ordinals = re.compile(rf"(?<![\w.,-])({number})({_ordinal(typography)})(?!\w)")

    def fix(self, plain: str, context: _Context) -> str:
        """Apply the rules to a text node (already unescaped) and write it back as HTML."""
        parts, urls = _addresses(plain)
        for index, part in enumerate(parts):
            if self.dash is not None:  # first: a quote after a dash opens
                pattern, replacement = self.dash
                before = context.before
                part = pattern.sub(replacement, before + part)[len(before) :]
            part = self.quotes(part, context)
            if index == 0:
                part = self._sign_after_markup(part, context.before)
            for pattern, replacement in self.rules:
                part = pattern.sub(replacement, part)
            parts[index] = part
            context.before = part[-1:] or context.before
            if index < len(urls):
                context.before = urls[index][-1]
        pieces = [self._marks(html.escape(part, quote=False)) for part in parts]
        urls = [html.escape(url, quote=False) for url in urls]
        return pieces[0] + "".join(url + piece for url, piece in zip(urls, pieces[1:], strict=True))

    def _sign_after_markup(self, part: str, before: str) -> str:
        """'<b>mot</b>; suite': the sign opens this run, the word ended the last one; it
        takes its narrow space all the same."""
        sign, after = part[:1], part[1:2]
        opens = sign and sign in self.signs and (after == "" or after.isspace())
        if opens and before and (_is_word(before) or before in self.closing):
            return NNBSP + part
        return part

    def _marks(self, escaped: str) -> str:
        if self.ordinals is not None:
            escaped = self.ordinals.sub(r"\1<sup>\2</sup>", escaped)
        return ACRONYM.sub(r'<span class="acronym">\1</span>', escaped)


def _addresses(plain: str) -> tuple[list[str], list[str]]:
    """The text around the addresses of ``plain``, and the addresses. An address holding
    an unpaired quote keeps the one after it: https://x.org/?q='a'."""
    parts, urls, start = [], [], 0
    for match in URL_LIKE.finditer(plain):
        end = match.end()
        if match.group().count("'") % 2 and plain[end : end + 1] == "'":
            end += 1
        parts.append(plain[start : match.start()])
        urls.append(plain[match.start() : end])
        start = end
    return [*parts, plain[start:]], urls


def apply_typography(document: str, typography: Typography) -> str:
    """Apply a catalogue's typographic rules to every text node of an HTML document."""
    rules = _compiled(typography)
    context = _Context()
    pieces = []
    for piece in _TextNodes.of(document):
        if piece.tag is not None and piece.tag not in INLINE:
            context = _Context()
        if piece.open:
            pieces.append(rules.fix(piece.text, context))
            continue
        pieces.append(piece.raw)
        if piece.text:  # code read aloud in the sentence: a quote after it closes
            context.before = piece.text[-1]
    return "".join(pieces)


@functools.lru_cache(maxsize=16)
def _compiled(typography: Typography) -> _Rules:
    return _Rules(typography)


def _text_rules(typography: Typography) -> list[Rule]:
    """The rules that need no context beyond the text run, in the order they apply."""
    rules: list[Rule] = []
    if typography.ranges:
        number = RANGE_NUMBER + _ordinal(typography) + "?"  # 1er-3e with ordinals
        rules.append(
            (
                re.compile(
                    rf"(?<![\w{HYPHENS}/.,:+])({number})-({number})(?![\w{HYPHENS}/]|[.,:]\d)"
                ),
                rf"\1{WJ}{_escaped(typography.ranges)}{WJ}\2",  # 2019–2021 never breaks
            )
        )
    if typography.narrow_space_before:
        signs = re.escape(typography.narrow_space_before)
        closing = re.escape("»" + "".join(q[1] for q in _quote_pairs(typography)))
        rules.append(
            (
                re.compile(
                    rf"(?:(?<=[\w){closing}\]]){SPACE}*|^{SPACE}+)([{signs}])"
                    rf"(?=\s|$|[{closing})\]])"
                ),
                NNBSP + r"\1",
            )
        )
    if typography.guillemets:
        rules.append((re.compile(f"«{SPACE}*"), "«" + NNBSP))
        rules.append((re.compile(f"{SPACE}*»"), NNBSP + "»"))
    if typography.no_break_after:
        words = _alternatives(typography.no_break_after)
        rules.append((re.compile(rf"(?<![\w.])({words}) (?=\w|$)"), r"\1" + NBSP))
    if typography.units:
        units = _alternatives(typography.units)
        rules.append((re.compile(rf"(?<=\d) ({units})(?!\w)"), NBSP + r"\1"))
    if typography.space_after_number:
        rules.append((re.compile(r"(?<=\d) (?=[^\W\d_])"), NBSP))
    if typography.percent is not None:
        rules.append((re.compile(f"(?<=\\d){SPACE}?%"), _escaped(typography.percent)))
    return rules


def _ordinal(typography: Typography) -> str:
    """The suffixes of ordinal numbers as one group: (?:er|e), or an empty group."""
    return f"(?:{_alternatives(typography.ordinals)})"


def _alternatives(words: tuple[str, ...]) -> str:
    """Words as a pattern that tries the longest first (Mrs before Mr)."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def _escaped(replacement: str) -> str:
    return replacement.replace("\\", "\\\\")


def _quote_pairs(typography: Typography) -> list[tuple[str, str]]:
    return [pair for pair in (typography.double_quotes, typography.single_quotes) if pair]


def _dash_rule(dash: str) -> Rule:
    """A spaced hyphen or a double hyphen between words becomes the dash, tied to the word
    before it (by a no-break space, or a word joiner if unspaced): no line starts with it."""
    before = NBSP if dash.startswith(" ") else WJ
    replacement = before + dash.strip(" ") + (" " if dash.endswith(" ") else "")
    pattern = re.compile(
        rf"(?<=[^\s{HYPHENS}])(?:[ \u00a0]+-[ \u00a0]+|[ \u00a0]*--[ \u00a0]*)"
        rf"(?=[^\s{HYPHENS}]|$)"
    )

    def replace(match: re.Match[str]) -> str:
        text = match.string
        left, right = text[match.start() - 1], text[match.end() : match.end() + 1]
        if left.isdigit() and right.isdigit():  # 5 - 3: a subtraction, or a range
            return match.group()
        return replacement

    return pattern, replace


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Quotes:
    """Straight quotes and apostrophes made typographic, by what stands on either side: a
    quote after a space, an opening bracket, a dash or an opening quote opens; after
    anything else it closes."""

    def __init__(self, typography: Typography) -> None:
        self.typography = typography
        opening = "".join(pair[0] for pair in _quote_pairs(typography))
        self.opening_context = "([{<" + HYPHENS.replace("\\", "") + opening

    def __call__(self, text: str, context: _Context) -> str:
        if "'" not in text and '"' not in text:
            return text
        out: list[str] = []
        for index, char in enumerate(text):
            if char not in "'\"":
                out.append(char)
                continue
            before = out[-1][-1:] if out else context.before
            after = text[index + 1 : index + 2]
            if char == '"':
                out.append(self._double(before, after, context))
            else:
                out.append(self._single(before, after, text[index + 1 :], context))
        return "".join(out)

    def _opens(self, before: str) -> bool:
        return not before or before.isspace() or before in self.opening_context

    def _double(self, before: str, after: str, context: _Context) -> str:
        if self.typography.double_quotes is None:
            return '"'
        opening, closing = self.typography.double_quotes
        if not self._opens(before):
            context.double_open = False
            return closing
        if after.isspace():  # spaces on both sides: it closes only what is open
            if context.double_open:
                context.double_open = False
                return closing
            return '"'
        context.double_open = True
        return opening

    def _single(self, before: str, after: str, rest: str, context: _Context) -> str:
        apostrophe, quotes = self.typography.apostrophe, self.typography.single_quotes
        if _is_word(before) and (_is_word(after) or (not after and quotes is None)):
            return apostrophe  # l'État, it's, 1990's; l'<a>État</a>
        if quotes is None:
            return "'"
        opening, closing = quotes
        if _is_word(before):  # after a word: closes what is open, else the members' votes
            if context.single_open:
                context.single_open = False
                return closing
            return apostrophe
        if not self._opens(before):  # after punctuation: 'yes,' he said
            context.single_open = False
            return closing
        if re.match(r"\d\d(?!\d)", rest):  # the '90s, summer of '69
            return apostrophe
        if after.isspace():
            if context.single_open:
                context.single_open = False
                return closing
            return "'"
        context.single_open = True
        return opening


class _Piece(NamedTuple):
    raw: str  # the piece as written
    text: str | None = None  # the text a reader sees, for a text node
    open: bool = False  # typography applies to it: text outside protected elements
    tag: str | None = None  # the element a tag opens or closes


NOT_TEXT = _Piece("")  # a comment, a declaration, markup left unfinished


class _TextNodes(HTMLParser):
    """Splits a document into its pieces, each kept as written, and says which are text
    nodes open to typography (outside protected elements)."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", document))]
        self.starts: list[tuple[int, _Piece]] = []  # (offset, the piece without its raw)
        self.protected: list[str] = []
        self.closing = self.raw_tail = False

    @classmethod
    def of(cls, document: str) -> list[_Piece]:
        """Every piece of the document, in order."""
        parser = cls(document)
        parser.feed(document)
        parser.close()
        if not parser.starts:
            return [_Piece(document)]
        ends = [offset for offset, _ in parser.starts[1:]] + [len(document)]
        pieces = [
            piece._replace(raw=document[start:end])
            for (start, piece), end in zip(parser.starts, ends, strict=True)
        ]
        return [_Piece(document[: parser.starts[0][0]]), *pieces]

    def _mark(self, piece: _Piece = NOT_TEXT) -> None:
        line, column = self.getpos()
        self.starts.append((self.line_starts[line - 1] + column, piece))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._mark(_Piece("", tag=tag))
        if tag in PROTECTED or (tag == "span" and ("class", "acronym") in attrs):
            self.protected.append(tag)  # an acronym already marked stays as it is

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._mark(_Piece("", tag=tag))

    def handle_endtag(self, tag: str) -> None:
        self._mark(_Piece("", tag=tag))
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
        if self.raw_tail:
            self._mark()
        else:
            self._mark(_Piece("", data, open=not self.protected))

    def handle_comment(self, data: str) -> None:
        self._mark()

    def handle_decl(self, decl: str) -> None:
        self._mark()

    def handle_pi(self, data: str) -> None:
        self._mark()

    def unknown_decl(self, data: str) -> None:
        self._mark()
