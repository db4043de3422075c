"""Stage 7b: repair the structure tree of WeasyPrint's tagged PDF for screen-reader users.

WeasyPrint 70 writes a tagged PDF (PDF/A-3a, PDF/UA-1) whose structure tree has known gaps
(tracker issue #2482). ``fix_tags`` rewrites the PDF with pikepdf so that a screen reader
reads the report, and only the report, in a sensible way:

1. **Running headers and folios become artifacts.** WeasyPrint builds structure elements for
   the page-margin boxes but never links them into the tree, while their text stays marked
   ``/Span <</MCID n>> BDC`` and the ParentTree still maps it. Any marked-content sequence
   whose element is not reachable from the StructTreeRoot becomes ``/Artifact BMC``, and
   its ParentTree slot becomes null. Without this, each page's chapter name and "12 / 30"
   are content that a reader meets in the middle of the text.
2. **Leader dots become artifacts.** ``leader(".")`` (the table of contents) draws every
   dot as its own marked sequence: dozens of "dot" spans per entry. An element whose
   content is two or more marked runs of the same punctuation on one baseline is such a
   leader; its runs become artifacts. The entry title and page number stay readable.
3. **Nested links are merged.** ``a::after`` (the page number of a TOC entry, the page of a
   cross-reference) and the leader become links inside the link: one entry is announced
   as three links, two of them empty. A Link nested in a Link gives its content (text,
   link annotations) to the outer Link, so one entry reads "Title 12", one link.
4. **Table header cells get a scope.** WeasyPrint gives TH cells ``/A << /O /Table >>``
   without ``/Scope``; readers then cannot announce headers reliably. A TH in a THead row,
   or in a row of only TH cells, gets ``/Scope /Column``; a TH in a row with data cells
   gets ``/Scope /Row``. An existing ``/Scope`` is kept.
5. **Empty elements are removed.** Empty HTML elements (``<span></span>``, ``<p></p>``, an
   ``<a id>`` anchor, spacer divs) become elements with no content, which readers announce
   as empty groups. Elements with no marked content, no child element and no annotation
   are removed from their parent, recursively. Table cells (TD, TH) are kept even when
   empty, because removing one would shift the following cells into the wrong column.

The ParentTree stays consistent with the tree (every marked sequence maps to a reachable
element that lists it). The rest of the file is preserved: XMP metadata (PDF/A
identification), attachments, outlines, the document information and the trailer /ID
(which the builder derives from the HTML). The output is deterministic: the same input
gives the same bytes. A PDF without a structure tree (variants ``pdf/a-3b``, ``plain``) is
returned unchanged.

Limits: only page content streams are rewritten (WeasyPrint draws all marked content
there, never in form XObjects, and gives property lists inline); a link annotation inside
a running header would keep pointing at its orphan element (our templates have none);
structure elements must be indirect objects, as the PDF specification requires (a kid's
/P is an indirect reference) and as WeasyPrint writes them.

How it stays cheap: every pikepdf call costs about a microsecond, and a long report has tens
of thousands of structure elements and hundreds of thousands of content instructions. So
the tree is read once, as qpdf JSON (one ``to_json`` call per element, one ``json.loads``
per tree level), into plain dicts keyed by object reference (``"12 0 R"``); the fixes work
on those dicts and write each change through to pikepdf as they make it. Page content is
parsed by pikepdf and unparsed by qpdf once, one instruction a line; the marked sequences,
fonts and text are then found with one regular expression over that text, and an orphan's
``BDC`` line is replaced in place, which gives the bytes ``unparse_content_stream`` would.
The cyclic garbage collector is paused meanwhile (see ``garbage_collection_paused``).
"""

from __future__ import annotations

import gc
import io
import json
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Operator, Pdf

logger = logging.getLogger(__name__)

Key = str  # an indirect object as qpdf JSON refers to it: "12 0 R"
Mark = tuple[int, int]  # (ParentTree key of the page, MCID)
Kid = Any  # a /K entry as qpdf JSON gives it: an MCID, a reference, a dictionary...

# The second /ID word qpdf writes with ``static_id=True``; swapped back for the original.
QPDF_STATIC_ID = bytes.fromhex("31415926535897932384626433832795")
TEXT_SHOWING = frozenset({b"Tj", b"TJ", b"'", b'"'})
INLINE_IMAGE = b"INLINE IMAGE"  # how a page's text shows an inline image (see PageMarks)
MIN_LEADER_RUNS = 2
TABLE_CELLS = frozenset({"/TD", "/TH"})
KEEP_WHEN_EMPTY_KEYS = ("/Alt", "/ActualText")
ELEMENT, MCR, OBJR = "element", "/MCR", "/OBJR"  # kinds of /K entries
ARTIFACT_BMC = b"/Artifact BMC"  # what qpdf unparses the instruction /Artifact BMC to

# One unparsed instruction a line: its operands, then the operators the scan needs.
OPERATION = re.compile(
    rb"^(?:(.*) )?(BDC|BMC|EMC|Tf|Tm|Tj|TJ|'|\"|Do|sh|BI|INLINE IMAGE)$", re.MULTILINE
)
SIMPLE_MCID = re.compile(rb"/[^\s/<>\[\]()%{}]+ << /MCID (\d+) >>")  # /Span << /MCID 3 >>
PDF_STRING = re.compile(rb"<([0-9A-Fa-f]*)>|\(((?:\\.|[^\\)])*)\)", re.DOTALL)
STRING_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)
ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def fix_tags(pdf: bytes) -> bytes:
    """Return ``pdf`` with its structure tree repaired (see the module docstring)."""
    with garbage_collection_paused():
        return repaired(pdf)


def repaired(pdf: bytes) -> bytes:
    """``fix_tags`` itself; its cached tree is freed when it returns."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        if "/StructTreeRoot" not in document.Root:
            return pdf
        tree = StructTree.load(document)
        pages = [PageMarks.scan(page) for page in document.pages]
        runs = {(page.key, mcid): run for page in pages for mcid, run in page.runs.items()}
        leaders = detach_leaders(tree, runs, TextDecoder())
        links = merge_nested_links(tree)
        scopes = add_header_scopes(tree)
        empty = remove_empty_elements(tree)
        artifacts = sum(page.mark_orphans_as_artifacts(tree) for page in pages)
        logger.debug(
            "tagging: %d marked sequences made artifacts (%d leader dots), %d nested "
            "links merged, %d header scopes added, %d empty elements removed",
            artifacts,
            leaders,
            links,
            scopes,
            empty,
        )
        if not (artifacts or links or scopes or empty):
            return pdf  # already repaired: keep the bytes (fix_tags is idempotent)
        return save(document)


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, then restore its state.

    Reading a long report's tree builds some 100,000 small dicts and lists; each batch of
    them would make the collector scan every container alive again (a seventh of the
    running time on 250 pages). None of them is part of a reference cycle: reference
    counting frees them all, before the collector resumes (``repaired`` has returned).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- reading objects ---------------------------------------------------------------------


def key_of(obj: Object) -> Key:
    """The reference of an indirect object, spelt as in qpdf JSON."""
    number, generation = obj.objgen
    return f"{number} {generation} R"


def is_reference(value: object) -> bool:
    """Whether a qpdf JSON value is an indirect reference ("12 0 R").

    qpdf JSON spells names "/Name" and strings "u:text" or "b:hex"; only a reference
    starts with a digit (numbers are JSON numbers).
    """
    return isinstance(value, str) and value[:1].isdigit()


def references(values: list[Any]) -> list[Key]:
    """The indirect references among JSON values (``is_reference``, inlined for speed)."""
    return [value for value in values if type(value) is str and value[:1].isdigit()]


def resolve(document: Pdf, reference: Key) -> Object:
    """The pikepdf object a reference names."""
    number, generation, _ = reference.split(" ")
    return document.get_object(int(number), int(generation))


def json_values(objects: list[Object]) -> list[Any]:
    """The qpdf JSON of each object (dereferenced once), parsed in one go."""
    return json.loads(b"[" + b",".join(obj.to_json(dereference=True) for obj in objects) + b"]")


def kind_of(value: Any) -> str | None:
    """ELEMENT, MCR or OBJR for a dictionary /K entry's JSON, else None."""
    if not isinstance(value, dict):
        return None
    kind = value.get("/Type")
    if kind in (MCR, OBJR):
        return kind
    return ELEMENT if "/S" in value else None


def kids_of(element: Object) -> list[Object]:
    """The /K entries of a structure element as a list (K may be absent, one item or an array)."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


# --- the structure tree ------------------------------------------------------------------


@dataclass
class StructTree:
    """The structure elements, cached as JSON, and the ParentTree slots.

    ``info`` holds each loaded element's JSON dictionary (and the root's) and ``kids`` its
    current /K entries; both are keyed by reference. ``kids`` always lists the same entries,
    in the same order, as the element's /K in the PDF: every change is written through.
    ``order`` and ``parents`` cover the elements reachable from the root, in pre-order.
    """

    document: Pdf
    root: Dictionary
    root_key: Key
    objects: dict[Key, Dictionary] = field(default_factory=dict)
    info: dict[Key, dict] = field(default_factory=dict)
    kids: dict[Key, list[Kid]] = field(default_factory=dict)
    refs: dict[Key, list[Key]] = field(default_factory=dict)  # the references among kids
    kinds: dict[Key, str | None] = field(default_factory=dict)  # every loaded reference
    values: dict[Key, Any] = field(default_factory=dict)  # JSON of referenced MCRs, OBJRs
    elements: set[Key] = field(default_factory=set)
    types: defaultdict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))
    slots: dict[int, tuple[Array, int]] = field(default_factory=dict)
    page_keys: dict[Key, int] = field(default_factory=dict)
    # Page key -> the page's ParentTree array (MCID -> element), and a copy as JSON.
    arrays: dict[int, tuple[Array, list]] = field(default_factory=dict)
    order: list[Key] = field(default_factory=list)
    parents: dict[Key, Key] = field(default_factory=dict)
    is_tree: bool = True  # whether each reachable element is listed by one element only

    @classmethod
    def load(cls, document: Pdf) -> StructTree:
        """Read the tree from a PDF that has a StructTreeRoot."""
        root = document.Root.StructTreeRoot
        tree = cls(document, root, key_of(root))
        tree.page_keys = {
            key_of(page.obj): int(page.obj.StructParents)
            for page in document.pages
            if "/StructParents" in page.obj
        }
        if "/ParentTree" in root:
            values = {}
            for key, slot, value in number_tree_slots(root.ParentTree):
                tree.slots[key], values[key] = slot, value
            for key in sorted({-1, *tree.page_keys.values()} & values.keys()):
                tree.read_page_array(key, values[key])
        tree.read_elements()
        tree.refresh()
        return tree

    def read_elements(self) -> None:
        """Load the root and every object its /K entries lead to, level by level."""
        level, objects = [self.root_key], [self.root]
        kinds, elements, types = self.kinds, self.elements, self.types
        kinds[self.root_key] = None
        while level:  # (the hottest loop of the module: locals, nothing recomputed)
            found: list[Key] = []
            for key, obj, value in zip(level, objects, json_values(objects), strict=True):
                kind = kinds[key] = kind_of(value)
                if kind == ELEMENT:
                    elements.add(key)
                    if type(value["/S"]) is str:
                        types[value["/S"]].add(key)
                elif key != self.root_key:
                    self.values[key] = value
                    continue
                self.objects[key], self.info[key] = obj, value
                kids = value.get("/K")
                self.kids[key] = kids = kids if type(kids) is list else self.kid_list(kids)
                self.refs[key] = refs = references(kids)
                for ref in refs:
                    if ref not in kinds:
                        kinds[ref] = None  # claimed: loaded with the next level
                        found.append(ref)
            level = found
            objects = [resolve(self.document, key) for key in level]

    def kid_list(self, kids: Any) -> list[Kid]:
        """A /K value that is not a direct array as a list: none, one kid, or an indirect array."""
        if kids is None:
            return []
        if is_reference(kids):
            target = json_values([resolve(self.document, kids)])[0]
            if isinstance(target, list):
                return target
        return [kids]

    def refresh(self) -> None:
        """Recompute the elements reachable from the root, in document (pre-)order."""
        self.order, self.parents = order, parents = [], {}
        elements, refs = self.elements, self.refs
        stack = [(kid, self.root_key) for kid in reversed(refs[self.root_key]) if kid in elements]
        while stack:
            element, parent = stack.pop()
            if element in parents:
                self.is_tree = False
                continue
            parents[element] = parent
            order.append(element)
            if refs[element]:
                stack.extend([(kid, element) for kid in reversed(refs[element]) if kid in elements])

    def update(self, removed: set[Key], moved: dict[Key, Key] | None = None) -> None:
        """Bring ``order`` and ``parents`` up to date after a fix changed some /K.

        ``removed`` elements were taken out of their parent's /K, and each element in
        ``moved`` now sits in the /K of the parent given. In a tree this is what
        ``refresh`` would compute: removing an element, or putting its kids in its place,
        leaves the pre-order of the others unchanged. Otherwise, refresh.
        """
        if not removed:
            return
        if not self.is_tree:
            self.refresh()
            return
        self.order = [element for element in self.order if element not in removed]
        for element in removed:
            del self.parents[element]
        self.parents.update(
            (element, parent) for element, parent in (moved or {}).items() if element not in removed
        )

    def of_type(self, structure_type: str) -> list[Key]:
        """The reachable elements of a structure type (/S), in document order."""
        typed = self.types.get(structure_type, set())  # (get: no new entry)
        return [element for element in self.order if element in typed]

    def is_element(self, kid: Kid) -> bool:
        """Whether a /K entry is a structure element (not an MCID, MCR or OBJR)."""
        return type(kid) is str and kid in self.elements

    def kind(self, kid: Kid) -> str | None:
        """ELEMENT, MCR or OBJR for a /K entry (direct, or a reference), else None."""
        return self.kinds.get(kid) if type(kid) is str else kind_of(kid)

    def is_objr(self, kid: Kid) -> bool:
        """Whether a /K entry is an object reference (a link or widget annotation)."""
        return self.kind(kid) == OBJR

    def s(self, element: Key) -> Any:
        """The structure type (/S) of an element, e.g. "/Link"."""
        return self.info[element].get("/S")

    def pike_kids(self, element: Key) -> list[Object]:
        """The element's /K entries as pikepdf objects, checked against the cache."""
        kids = kids_of(self.objects[element])
        if len(kids) != len(self.kids[element]):
            raise ValueError(f"the cached /K of {element} is out of date")
        return kids

    def set_kids(self, element: Key, kids: list[Kid], objects: list[Object]) -> None:
        """Write an element's new /K (``objects``), and its cached copy ``kids``."""
        self.objects[element].K = Array(objects)
        self.kids[element] = kids
        self.refs[element] = references(kids)

    def read_page_array(self, page_key: int, value: Any) -> None:
        """Cache a page's ParentTree array, given its JSON (or a reference to it)."""
        container, index = self.slots[page_key]
        array = container[index]
        if isinstance(array, Array):
            self.arrays[page_key] = (
                array,
                value if isinstance(value, list) else json_values([array])[0],
            )

    def set_owner(self, mark: Mark, element: Key | None) -> None:
        """Point a marked sequence's ParentTree slot at ``element`` (None: null)."""
        page = self.arrays.get(mark[0])
        if page is not None and mark[1] < len(page[1]) and page[1][mark[1]] != element:
            page[0][mark[1]] = None if element is None else self.objects[element]
            page[1][mark[1]] = element

    def set_annotation_owner(self, annotation: Object, element: Key) -> None:
        """Point an annotation's ParentTree entry (its /StructParent) at ``element``."""
        if "/StructParent" in annotation and int(annotation.StructParent) in self.slots:
            key = int(annotation.StructParent)
            container, index = self.slots[key]
            container[index] = self.objects[element]
            self.arrays.pop(key, None)  # if that was a page's slot, it holds no array now

    def mark_of(self, kid: Kid, element: Key) -> Mark | None:
        """The (page key, MCID) of an MCID or MCR kid of ``element``, else None."""
        if isinstance(kid, int):
            page, mcid = self.page_of(element), kid
        elif self.kind(kid) == MCR:
            mcr = self.values[kid] if type(kid) is str else kid
            page, mcid = mcr.get("/Pg"), int(mcr["/MCID"])
            page = self.page_of(element) if page is None else page
        else:
            return None
        if not isinstance(page, str) or page not in self.page_keys:
            return None
        return self.page_keys[page], mcid

    def page_of(self, element: Key) -> Key | None:
        """The element's /Pg, or its nearest ancestor's (the page its MCIDs are on)."""
        while "/Pg" not in self.info[element]:
            element = self.parents.get(element)
            if element is None or element == self.root_key:
                return None
        return self.info[element]["/Pg"]

    def owns(self, mark: Mark) -> bool:
        """Whether the ParentTree's element for ``mark`` is reachable and lists it as a kid."""
        page, mcid = self.arrays.get(mark[0]), mark[1]
        if page is None or mcid >= len(page[1]):
            return False
        element = page[1][mcid]  # a reference, or null
        if type(element) is not str or element not in self.parents:
            return False
        for kid in self.kids[element]:  # an MCID kid can only give ``mark`` if it is ``mcid``
            if (kid == mcid or not isinstance(kid, int)) and self.mark_of(kid, element) == mark:
                return True
        return False


def number_tree_slots(node: Dictionary) -> Iterator[tuple[int, tuple[Array, int], Any]]:
    """Each number-tree key with the array and index holding its value, and that value."""
    if "/Nums" in node:
        nums = node.Nums
        values = json_values([nums])[0]
        for index in range(0, len(values) - 1, 2):
            yield int(values[index]), (nums, index + 1), values[index + 1]
    for kid in node.get("/Kids", []):
        yield from number_tree_slots(kid)


# --- page content ------------------------------------------------------------------------


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


def page_fonts(page: pikepdf.Page) -> dict[bytes, tuple[tuple[int, int], Dictionary]]:
    """The page's fonts by name as unparsed (``b"/F1"``), following inherited /Resources."""
    node = page.obj
    while node is not None and "/Resources" not in node:
        node = node.get("/Parent")
    if node is None:
        return {}
    fonts = node.Resources.get("/Font", Dictionary())
    return {Name(name).unparse(): (font.objgen, font) for name, font in fonts.items()}


class TextDecoder:
    """Decode shown strings to Unicode with a font's /ToUnicode CMap (cached per font)."""

    def __init__(self) -> None:
        self._maps: dict[tuple[int, int], tuple[int, dict[int, str]] | None] = {}

    def decode(self, font: Dictionary | None, raw: bytes) -> str | None:
        """The text of ``raw``; None when the font has no usable /ToUnicode."""
        if font is None:
            return None
        if font.objgen not in self._maps:
            self._maps[font.objgen] = parse_to_unicode(font)
        cmap = self._maps[font.objgen]
        if cmap is None or not raw or len(raw) % cmap[0]:
            return None
        width, mapping = cmap
        codes = (int.from_bytes(raw[i : i + width], "big") for i in range(0, len(raw), width))
        chars = [mapping.get(code) for code in codes]
        return None if None in chars else "".join(chars)


HEX = r"<([0-9A-Fa-f]*)>"


def parse_to_unicode(font: Dictionary) -> tuple[int, dict[int, str]] | None:
    """Code width and code-to-text map of a /ToUnicode CMap (bfchar and bfrange)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return None
    text = stream.read_bytes().decode("latin-1")
    space = re.search(r"begincodespacerange\s*" + HEX, text)
    width = len(space.group(1)) // 2 if space else 2
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(HEX + r"\s*" + HEX, block):
            mapping[int(source, 16)] = utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        pattern = HEX + r"\s*" + HEX + r"\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])"
        for low, high, target in re.findall(pattern, block):
            first, last = int(low, 16), int(high, 16)
            if target.startswith("["):
                for code, item in zip(
                    range(first, last + 1), re.findall(HEX, target), strict=False
                ):
                    mapping[code] = utf16(item)
            else:
                start = bytes.fromhex(target[1:-1])
                base = int.from_bytes(start[-2:], "big")
                for offset in range(last - first + 1):
                    tail = (base + offset).to_bytes(2, "big")
                    mapping[first + offset] = (start[:-2] + tail).decode("utf-16-be", "replace")
    return width, mapping


def utf16(hex_text: str) -> str:
    """A CMap destination string (UTF-16BE in hex) as text."""
    return bytes.fromhex(hex_text).decode("utf-16-be", "replace")


# --- the fixes ---------------------------------------------------------------------------


def is_filler(text: str) -> bool:
    """Whether text is only punctuation and spaces, as a leader is (".", ". ", "_", "…")."""
    return bool(text) and all(unicodedata.category(char)[0] in "PZ" for char in text)


def leader_kids(
    tree: StructTree, element: Key, runs: dict[Mark, TextRun], decoder: TextDecoder
) -> list[tuple[Kid, Mark]]:
    """The kids of ``element`` forming a leader, or [] when it is not a leader.

    A leader is two or more marked runs (MCIDs, or one-MCID wrapper elements) that draw
    the same punctuation, in the same font, on the same baseline; annotations may sit
    beside them. WeasyPrint's ``leader()`` draws one run per repetition.
    """
    kids = tree.kids[element]
    if len(kids) < MIN_LEADER_RUNS:
        return []
    found: list[tuple[Kid, Mark]] = []
    for kid in kids:
        if tree.is_objr(kid):
            continue
        mark = run_mark(tree, kid, element)
        run = runs.get(mark) if mark is not None else None
        if run is None or run.has_image:
            return []
        found.append((kid, mark))
    if len(found) < MIN_LEADER_RUNS:
        return []
    found_runs = [runs[mark] for _, mark in found]
    layouts = {run.layout_text() for run in found_runs}
    if len(layouts) > 1 and len({layout_of(layout) for layout in layouts}) > 1:
        return []  # not all in the same font, size and baseline
    shown = {run.shown for run in found_runs}
    if len(shown) > 1 and len({raw_of(operands) for operands in shown}) > 1:
        return []  # not all the same text
    first = found_runs[0]
    font = None if first.font is None else first.font[1]
    return found if is_filler(decoder.decode(font, first.raw()) or "") else []


def detach_leaders(tree: StructTree, runs: dict[Mark, TextRun], decoder: TextDecoder) -> int:
    """Take leader runs out of the tree (they become artifacts later); return their count."""
    detached, removed = 0, set()
    # Cheap test first (most elements have one kid); an element's /K only changes here
    # when that element is a leader, so the test can be made up front.
    for element in [
        element for element in tree.order if len(tree.kids[element]) >= MIN_LEADER_RUNS
    ]:
        found = leader_kids(tree, element, runs, decoder)
        if not found:
            continue
        marks = {mark for _, mark in found}
        # Every kid but the annotations (OBJRs) is one of the runs found: keep those only.
        kept = [
            (kid, obj)
            for kid, obj in zip(tree.kids[element], tree.pike_kids(element), strict=True)
            if tree.is_objr(kid)
        ]
        removed.update(kid for kid, _ in found if tree.is_element(kid))
        tree.set_kids(element, [kid for kid, _ in kept], [obj for _, obj in kept])
        for mark in marks:
            tree.set_owner(mark, None)
        detached += len(marks)
    tree.update(removed)
    return detached


def run_mark(tree: StructTree, kid: Kid, element: Key) -> Mark | None:
    """The mark of an MCID kid, or of a wrapper element holding just one MCID."""
    if tree.is_element(kid):  # (an element is never an MCID or MCR itself)
        inner = tree.kids[kid]
        return tree.mark_of(inner[0], kid) if len(inner) == 1 else None
    return tree.mark_of(kid, element)


def merge_nested_links(tree: StructTree) -> int:
    """Give the content of each Link nested in a Link to the outer one; return the count."""
    merged: set[Key] = set()
    moved: dict[Key, Key] = {}
    for element in reversed(tree.of_type("/Link")):
        parent = tree.parents[element]
        if tree.s(parent) != "/Link":
            continue
        if any(name in tree.info[element] for name in (*KEEP_WHEN_EMPTY_KEYS, "/Lang", "/A")):
            continue
        adoptees = [
            adopted(tree, kid, obj, element, parent)
            for kid, obj in zip(tree.kids[element], tree.pike_kids(element), strict=True)
        ]
        kids: list[tuple[Kid, Object]] = []
        for kid, obj in zip(tree.kids[parent], tree.pike_kids(parent), strict=True):
            kids += adoptees if kid == element else [(kid, obj)]
        tree.set_kids(parent, [kid for kid, _ in kids], [obj for _, obj in kids])
        moved.update((kid, parent) for kid, _ in adoptees if tree.is_element(kid))
        merged.add(element)
    tree.update(merged, moved)
    return len(merged)


def adopted(tree: StructTree, kid: Kid, obj: Object, child: Key, parent: Key) -> tuple[Kid, Object]:
    """Re-home one kid of ``child`` in ``parent``: fix its /P or its ParentTree entry.

    ``kid`` is the cached entry and ``obj`` the same entry in pikepdf; both are returned,
    replaced by an MCR when an MCID moves to a parent on another page.
    """
    mark = tree.mark_of(kid, child)
    if mark is not None:
        tree.set_owner(mark, parent)
        page = tree.page_of(child)
        if isinstance(kid, int) and page != tree.page_of(parent):
            mcr = Dictionary(Type=Name.MCR, Pg=resolve(tree.document, page), MCID=kid)
            return {"/Type": MCR, "/Pg": page, "/MCID": kid}, mcr
    elif tree.is_objr(kid):
        tree.set_annotation_owner(obj.Obj, parent)
    elif tree.is_element(kid):
        tree.objects[kid].P = tree.objects[parent]
    return kid, obj


def header_scope(tree: StructTree, header: Key) -> Name:
    """/Column for a TH in a THead or an all-header row, /Row for a TH beside data cells."""
    row = tree.parents.get(header)
    if row is None or tree.s(row) != "/TR":
        return Name.Column
    section = tree.parents.get(row)
    if section is not None and tree.s(section) == "/THead":
        return Name.Column
    cells = [tree.s(kid) for kid in tree.kids[row] if tree.is_element(kid)]
    return Name.Row if "/TD" in cells else Name.Column


def add_header_scopes(tree: StructTree) -> int:
    """Give every TH a /Scope in its /Table attributes; return how many were added."""
    added = 0
    for element in tree.of_type("/TH"):
        scope = header_scope(tree, element)
        added += set_table_attribute(tree.objects[element], Name.Scope, scope)
    return added


def set_table_attribute(element: Dictionary, name: Name, value: Object) -> bool:
    """Set a /Table-owner attribute unless it is already set; True when it was added."""
    attributes = element.get("/A")
    owned = (
        [attributes]
        if isinstance(attributes, Dictionary)
        else (list(attributes) if isinstance(attributes, Array) else [])
    )
    table = next(
        (item for item in owned if isinstance(item, Dictionary) and item.get("/O") == Name.Table),
        None,
    )
    if table is None:
        table = Dictionary(O=Name.Table)
        if attributes is None:
            element.A = table
        elif isinstance(attributes, Array):
            attributes.append(table)
        else:
            element.A = Array([attributes, table])
        table = element.A if isinstance(element.A, Dictionary) else element.A[-1]
    if name in table:
        return False
    table[name] = value
    return True


def is_empty(tree: StructTree, element: Key) -> bool:
    """No marked content, no child element, no annotation, and nothing said in /Alt."""
    return not tree.kids[element] and not any(
        name in tree.info[element] for name in KEEP_WHEN_EMPTY_KEYS
    )


def remove_empty_elements(tree: StructTree) -> int:
    """Remove empty elements (not table cells), innermost first; return how many."""
    removed = set()
    for element in reversed(tree.order):
        if tree.kids[element]:
            continue  # cheap test first: most elements are not empty
        parent = tree.parents[element]
        if parent == tree.root_key or tree.s(element) in TABLE_CELLS or not is_empty(tree, element):
            continue
        kept = [
            (kid, obj)
            for kid, obj in zip(tree.kids[parent], tree.pike_kids(parent), strict=True)
            if kid != element
        ]
        tree.set_kids(parent, [kid for kid, _ in kept], [obj for _, obj in kept])
        removed.add(element)
    tree.update(removed)
    return len(removed)


# --- saving ------------------------------------------------------------------------------


def save(document: Pdf) -> bytes:
    """Serialise deterministically, keeping the original trailer /ID.

    qpdf keeps the first /ID word and, with ``static_id``, writes a fixed second word
    instead of one derived from the clock; that word is put back to the original.
    """
    trailer_id = document.trailer.get("/ID")
    out = io.BytesIO()
    document.save(out, static_id=True, fix_metadata_version=False)
    data = out.getvalue()
    if not isinstance(trailer_id, Array) or len(trailer_id) != 2:
        return data
    written = b"<" + QPDF_STATIC_ID.hex().encode() + b">]"
    if data.count(written) != 1:
        raise ValueError("cannot find the /ID qpdf wrote; the trailer /ID would change")
    return data.replace(written, b"<" + bytes(trailer_id[1]).hex().encode() + b">]")
