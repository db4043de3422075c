"""Typographic rules applied to the final HTML's text, so narrative and data follow them alike.

French: narrow no-break space before ; ! ? : and inside « », typographic apostrophe,
no-break space between a number and the word that follows. English: curly apostrophe only.
Text inside ``<code>``, ``<pre>``, ``<style>``, ``<script>`` and URLs is never touched.
"""

from __future__ import annotations

import html
import re

NNBSP, NBSP = "\u202f", "\u00a0"
# A comment, or a tag whose quoted attribute values may hold '>' (``title="a > b"``).
TAG = re.compile(r"""(<!--.*?-->|<(?:"[^"]*"|'[^']*'|[^'">])*>)""", re.S)
PROTECTED = {"code", "pre", "style", "script", "svg", "title"}
URL_LIKE = re.compile(r"(?:https?://|www\.)\S+")

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
    """Apply the language's rules to every text run of an HTML document."""
    rules = (*FRENCH_RULES, APOSTROPHE) if language == "fr" else (APOSTROPHE,)
    pieces = TAG.split(document)
    stack: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            _track(piece, stack)
        elif piece and not stack:
            pieces[index] = _fix_text(piece, rules)
    return "".join(pieces)


def _track(tag: str, stack: list[str]) -> None:
    """Keep a stack of open protected elements (code, pre, style...)."""
    match = re.match(r"<(/?)([a-zA-Z0-9]+)", tag)
    if not match or tag.endswith("/>"):
        return
    closing, name = match[1], match[2].lower()
    if name not in PROTECTED:
        return
    if closing and stack and stack[-1] == name:
        stack.pop()
    elif not closing:
        stack.append(name)


def _fix_text(text: str, rules: tuple) -> str:
    plain = html.unescape(text)
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
