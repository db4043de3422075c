"""Page content: the marked sequences each page opens, what each draws, repair 1.

Why text and one regular expression: a long report has hundreds of thousands of content
instructions, and every pikepdf call costs about a microsecond. So page content is parsed by
pikepdf and unparsed by qpdf once, one instruction a line; the marked sequences, fonts and
text are then found with one regular expression over that text, and an orphan's ``BDC`` line
is replaced in place, which gives the bytes ``unparse_content_stream`` would.

``TextRun`` keeps what repair 2 needs to recognise a leader dot. Repair 1
(``PageMarks.mark_orphans_as_artifacts``) runs last, once the tree repairs have settled
which element owns each marked sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf
from pikepdf import Dictionary, Name, Object, Operator

from report.output.tagging.fonts import page_fonts
from report.output.tagging.tree import StructTree

TEXT_SHOWING = frozenset({b"Tj", b"TJ", b"'", b'"'})
INLINE_IMAGE = b"INLINE IMAGE"  # how a page's text shows an inline image (see PageMarks)
ARTIFACT_BMC = b"/Artifact BMC"  # what qpdf unparses the instruction /Artifact BMC to

# One unparsed instruction a line: its operands, then the operators the scan needs.
OPERATION = re.compile(
    rb"^(?:(.*) )?(BDC|BMC|EMC|Tf|Tm|Tj|TJ|'|\"|Do|sh|BI|INLINE IMAGE)$", re.MULTILINE
)
SIMPLE_MCID = re.compile(rb"/[^\s/<>\[\]()%{}]+ << /MCID (\d+) >>")  # /Span << /MCID 3 >>
PDF_STRING = re.compile(rb"<([0-9A-Fa-f]*)>|\(((?:\\.|[^\\)])*)\)", re.DOTALL)
STRING_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def number(token: bytes) -> int | Decimal:
    """A number operand as pikepdf gives it: int, or Decimal for a real."""
    return Decimal(token.decode()) if b"." in token else int(token)


def shown_bytes(operands: bytes) -> bytes:
    """The string bytes in unparsed text-showing operands (ignoring TJ kerning numbers)."""
    return b"".join(
        bytes.fromhex(hexa.decode()) if hexa else unescape(literal)
        for hexa, literal in PDF_STRING.findall(operands)
    )


def unescape(literal: bytes) -> bytes:
    """The bytes of a literal string's body as qpdf unparses it (``\\n``, ``\\(``, ``\\053``)."""

    def replace(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8) & 0xFF])
        return ESCAPED.get(escaped, escaped)

    return STRING_ESCAPE.sub(replace, literal)


@dataclass(slots=True)
class TextRun:
    """What one marked-content sequence draws, enough to recognise a leader dot.

    Operands stay as qpdf unparsed them; ``layout`` and ``raw`` convert them, which is
    only needed for the few runs that could be leader dots. The same unparsed text gives
    the same values, so runs are compared on ``layout_text`` and ``shown`` first.
    """

    font: tuple[tuple[int, int], Dictionary] | None = None  # identity, and the font
    size: bytes = b"0"  # the Tf size operand
    matrix: bytes = b""  # the Tm operands
    shown: tuple[bytes, ...] = ()  # the operands of each text-showing operator
    has_image: bool = False  # an image, form or shading (a path, an underline, is fine)

    def layout_text(self) -> tuple:
        """Font, size and baseline (the text matrix without its x translation), unparsed."""
        matrix = self.matrix.split()
        font_key = None if self.font is None else self.font[0]
        return font_key, self.size, tuple(matrix[:4] + matrix[5:])

    def raw(self) -> bytes:
        """The string bytes the run shows."""
        return raw_of(self.shown)


def layout_of(layout_text: tuple) -> tuple:
    """A run's ``layout_text`` with its numbers converted as pikepdf converts them."""
    font_key, size, baseline = layout_text
    return font_key, number(size), tuple(number(token) for token in baseline)


def raw_of(shown: tuple[bytes, ...]) -> bytes:
    """The string bytes shown by the operands of a run's text-showing operators."""
    return b"".join(shown_bytes(operands) for operands in shown)


Sequence = tuple[int, int | None, bool, int]  # BDC/BMC offset, MCID, artifact?, enclosing one


@dataclass
class PageMarks:
    """A page's content as qpdf unparses it, and the marked sequences it opens.

    ``text`` has one instruction a line, exactly the bytes ``unparse_content_stream`` gives,
    unless the page has an inline image (whose data may hold line breaks): then ``text``
    shows it as one ``INLINE IMAGE`` line and ``instructions`` is kept to rewrite the page.
    """

    page: pikepdf.Page
    key: int
    text: bytes
    instructions: list | None
    openings: dict[int, tuple[int, int]] = field(default_factory=dict)  # MCID -> BDC line
    runs: dict[int, TextRun] = field(default_factory=dict)
    sequences: list[Sequence] = field(default_factory=list)
    nested: bool = False  # whether a marked sequence opens inside another

    @classmethod
    def scan(cls, page: pikepdf.Page) -> PageMarks:
        """Parse the page content and record each MCID's text."""
        key = int(page.obj.StructParents) if "/StructParents" in page.obj else -1
        instructions = pikepdf.parse_content_stream(page)
        text = pikepdf.unparse_content_stream(instructions)
        if (text.count(b"\n") + 1 if instructions else 0) == len(instructions):
            marks = cls(page, key, text, None)
        else:
            marks = cls(page, key, b"\n".join(map(one_line, instructions)), instructions)
        marks.read(page_fonts(page))
        return marks

    def read(self, fonts: dict[bytes, tuple[tuple[int, int], Dictionary]]) -> None:
        """Record the marked sequences, and the text each MCID's run shows."""
        runs, sequences, openings = self.runs, self.sequences, self.openings
        open_: list[int] = []  # the open sequences, as indexes in ``sequences``
        currents: list[int | None] = []  # the innermost MCID at each depth
        current = font = None
        size, matrix = b"0", b""
        for match in OPERATION.finditer(self.text):
            operands, operator = match.groups()
            if operator == b"EMC":
                if open_:
                    open_.pop()
                    currents.pop()
                    current = currents[-1] if currents else None
            elif operator == b"BDC" or operator == b"BMC":
                mcid = marked_mcid(operands) if operator == b"BDC" else None
                if open_:
                    self.nested = True
                sequences.append(
                    (match.start(), mcid, is_artifact(operands), open_[-1] if open_ else -1)
                )
                open_.append(len(sequences) - 1)
                if mcid is not None:
                    current = mcid
                    openings[mcid] = match.span()
                    runs[mcid] = TextRun()
                currents.append(current)
            elif operator == b"Tf":
                name, size = operands.split(b" ")[:2]
                font = fonts.get(name)
            elif operator == b"Tm":
                matrix = operands
            elif current is None:
                continue
            elif operator in TEXT_SHOWING:
                run = runs[current]
                run.font, run.size, run.matrix = font, size, matrix
                run.shown += (operands or b"",)
            else:
                runs[current].has_image = True

    def mark_orphans_as_artifacts(self, tree: StructTree) -> int:
        """Turn every sequence whose element is not in the tree into ``/Artifact BMC``."""
        orphans = [mcid for mcid in self.openings if not tree.owns((self.key, mcid))]
        orphans += self.nested_in_artifacts(set(orphans))
        if not orphans:
            return 0
        mcids = sorted(set(orphans))
        for mcid in mcids:
            tree.set_owner((self.key, mcid), None)
        self.page.obj.Contents = pikepdf.Stream(tree.document, self.rewritten(mcids))
        return len(mcids)

    def nested_in_artifacts(self, artifacts: set[int]) -> list[int]:
        """MCIDs opened inside an artifact: tagged content may not sit in an artifact."""
        nested: list[int] = []
        if not self.nested:
            return nested
        inside_artifact: list[bool] = []  # per sequence: whether it is or sits in an artifact
        for start, mcid, artifact, parent in self.sequences:
            if mcid is not None and self.openings[mcid][0] != start:
                mcid = None  # only the last opening of an MCID counts
            inside = parent >= 0 and inside_artifact[parent]
            if mcid is not None and inside and mcid not in artifacts:
                nested.append(mcid)
            inside_artifact.append(inside or artifact or mcid in artifacts)
        return nested

    def rewritten(self, mcids: list[int]) -> bytes:
        """The content with the BDC line of each of ``mcids`` replaced by ``/Artifact BMC``."""
        if self.instructions is not None:
            for mcid in mcids:
                index = self.text.count(b"\n", 0, self.openings[mcid][0])
                self.instructions[index] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact], Operator("BMC")
                )
            return pikepdf.unparse_content_stream(self.instructions)
        pieces, end = [], 0
        for start, stop in sorted(self.openings[mcid] for mcid in mcids):
            pieces += (self.text[end:start], ARTIFACT_BMC)
            end = stop
        pieces.append(self.text[end:])
        return b"".join(pieces)


def one_line(instruction: pikepdf.ContentStreamInstruction) -> bytes:
    """An instruction unparsed on one line; an inline image as ``INLINE IMAGE``."""
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return INLINE_IMAGE
    return pikepdf.unparse_content_stream([instruction]).replace(b"\n", b" ")


def is_artifact(operands: bytes | None) -> bool:
    """Whether BDC/BMC operands start with the tag /Artifact."""
    return operands is not None and (operands == b"/Artifact" or operands.startswith(b"/Artifact "))


def marked_mcid(operands: bytes | None) -> int | None:
    """The MCID of a BDC's property list, when it is given inline."""
    if operands is None or b"/MCID" not in operands:
        return None
    simple = SIMPLE_MCID.fullmatch(operands)
    if simple:
        return int(simple.group(1))
    parsed = list(Object.parse(b"[ " + operands + b" ]"))
    if len(parsed) == 2 and isinstance(parsed[1], Dictionary) and "/MCID" in parsed[1]:
        return int(parsed[1].MCID)
    return None
