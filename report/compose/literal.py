"""Code is literal: no expressions, no measure references inside code spans and blocks.

An author documenting a command writes ``${#tableau[@]}`` or ``{{ figures.total }}`` in
backticks to show it, not to run it. Before ``[[M12]]`` references and ``{{ ... }}``
expressions are processed, every code block (fenced or indented, found by the Markdown
parser itself) and every code span (CommonMark's rule: a run of backticks up to the next
run of the same length) is put aside, and put back, untouched, before Markdown renders
the text. The stand-in keeps the region's line breaks, so line numbers in messages about
the rest of the text stay right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from report.compose.markdown import markdown_parser

BACKTICKS = re.compile(r"(?<!\\)`+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")  # a code span never crosses a paragraph
STAND_IN = "\x00{}\x00"


@dataclass
class Literals:
    """The code regions put aside from one text, by stand-in."""

    regions: dict[str, str] = field(default_factory=dict)

    def keep(self, region: str) -> str:
        stand_in = STAND_IN.format(len(self.regions)) + "\n" * region.count("\n")
        self.regions[stand_in] = region
        return stand_in

    def restore(self, text: str) -> str:
        for stand_in, region in self.regions.items():
            text = text.replace(stand_in, region)
        return text


def set_code_aside(text: str) -> tuple[str, Literals]:
    """``text`` with its code blocks and spans replaced by stand-ins, and what they hold."""
    literals = Literals()
    lines = text.split("\n")
    kept: list[str] = []
    for start, end, is_code in _blocks(text, len(lines)):
        chunk = "\n".join(lines[start:end])
        kept.append(literals.keep(chunk) if is_code else _spans_aside(chunk, literals))
    return "\n".join(kept), literals


def _blocks(text: str, line_count: int) -> list[tuple[int, int, bool]]:
    """Consecutive line ranges of the text, each code (fence, indented block) or not."""
    code = sorted(
        (token.map[0], token.map[1])
        for token in markdown_parser().parse(text)
        if token.type in ("fence", "code_block") and token.map
    )
    ranges, line = [], 0
    for start, end in code:
        if start > line:
            ranges.append((line, start, False))
        ranges.append((start, end, True))
        line = end
    if line < line_count or not ranges:
        ranges.append((line, line_count, False))
    return ranges


def _spans_aside(text: str, literals: Literals) -> str:
    """Replace each code span: a run of backticks, up to the next run of the same length
    (without a blank line between); an unmatched run is plain text."""
    pieces, kept_up_to, position = [], 0, 0
    while (opening := BACKTICKS.search(text, position)) is not None:
        closing = _closing_run(text, opening)
        position = opening.end() if closing is None else closing.end()
        if closing is not None:
            pieces.append(text[kept_up_to : opening.start()])
            pieces.append(literals.keep(text[opening.start() : closing.end()]))
            kept_up_to = closing.end()
    pieces.append(text[kept_up_to:])
    return "".join(pieces)


def _closing_run(text: str, opening: re.Match) -> re.Match | None:
    length = len(opening[0])
    for candidate in re.finditer(r"`+", text[opening.end() :]):
        between = text[opening.end() : opening.end() + candidate.start()]
        if BLANK_LINE.search(between):
            return None
        if len(candidate[0]) == length:
            start = opening.end() + candidate.start()
            return BACKTICKS.match(text, start)
    return None
