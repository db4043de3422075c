"""Words kept apart and whole in the tagged text, across line ends.

WeasyPrint draws each line's text as its own marked sequence and drops the space where it
broke the line, so the tagged text reads "un planqui" ; where it hyphenated a word it
draws a plain hyphen, so "recom-mandations" is read as two words. A reader of the
structure (a screen reader, a copy, a reflow) needs the space back and the hyphen soft.
``line_ends`` compares each line's last text with the HTML's own text and gives that
sequence's ``/ActualText``: the text with the space the break took, or with its hyphen
made a soft hyphen (U+00AD). A line end it cannot match (a generated footnote call, text
changed by ``text-transform`` beyond case) keeps its text as drawn.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

SOFT_HYPHEN = "\u00ad"
HTML_SPACES = re.compile(r"[ \t\n\r\f]+")
CONTEXT = 12  # characters on each side of a line end looked for in the HTML's text


def line_ends(block: Any, tags: dict) -> Iterator[tuple[int, str]]:
    """(MCID, actual text) of each line-ending text of ``block`` that needs one."""
    from weasyprint.formatting_structure import boxes

    lines = [child for child in block.children if isinstance(child, boxes.LineBox)]
    if len(lines) < 2 or block.element is None:
        return
    text = "".join(block.element.itertext()).replace(SOFT_HYPHEN, "")
    source = HTML_SPACES.sub(" ", text).casefold()  # no-break spaces stay what they are
    for line, following in pairwise(lines):
        last, first = _texts(line, boxes)[-1:], _texts(following, boxes)[:1]
        if last and first and last[0] in tags:
            actual = spoken(last[0].text, first[0].text, source, last[0].style)
            if actual is not None:
                yield tags[last[0]]["mcid"], actual


def spoken(text: str, following: str, source: str, style: Any) -> str | None:
    """What ``text``, ending a line before ``following``, should read as; None: as drawn."""
    hyphen = style["hyphenate_character"]
    head = following[:CONTEXT].removesuffix(hyphen).casefold()  # it may end a line too
    if style["hyphens"] != "none" and hyphen and text.endswith(hyphen):
        stem = text[: -len(hyphen)]
        if (stem[-CONTEXT:].casefold() + head) in source:
            return stem + SOFT_HYPHEN
    if text and not text[-1].isspace() and f"{text[-CONTEXT:].casefold()} {head}" in source:
        return text + " "
    return None


def _texts(line: Any, boxes: Any) -> list[Any]:
    """The non-empty text boxes of a line, in order."""
    return [box for box in line.descendants() if isinstance(box, boxes.TextBox) and box.text]
