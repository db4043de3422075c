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
a running header would keep pointing at its orphan element (our templates have none).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Operator, Pdf

logger = logging.getLogger(__name__)

Key = tuple[int, int]  # object number and generation of an indirect object
Mark = tuple[int, int]  # (ParentTree key of the page, MCID)

# The second /ID word qpdf writes with ``static_id=True``; swapped back for the original.
QPDF_STATIC_ID = bytes.fromhex("31415926535897932384626433832795")
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
IMAGE_DRAWING = frozenset({"Do", "sh", "BI", "INLINE IMAGE"})
MIN_LEADER_RUNS = 2
TABLE_CELLS = frozenset({"/TD", "/TH"})
KEEP_WHEN_EMPTY_KEYS = ("/Alt", "/ActualText")


def fix_tags(pdf: bytes) -> bytes:
    """Return ``pdf`` with its structure tree repaired (see the module docstring)."""
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
        logger.debug("tagging: %d marked sequences made artifacts (%d leader dots), %d nested "
                     "links merged, %d header scopes added, %d empty elements removed",
                     artifacts, leaders, links, scopes, empty)
        if not (artifacts or links or scopes or empty):
            return pdf  # already repaired: keep the bytes (fix_tags is idempotent)
        return save(document)


# --- the structure tree ------------------------------------------------------------------

def key_of(obj: Object) -> Key:
    """Identity of an indirect object (WeasyPrint writes every StructElem indirectly)."""
    return obj.objgen


def kids_of(element: Object) -> list[Object]:
    """The /K entries of a structure element as a list (K may be absent, one item or an array)."""
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def is_struct_elem(kid: Object) -> bool:
    """Whether a /K entry is a structure element (not an MCID, MCR or OBJR)."""
    return isinstance(kid, Dictionary) and "/S" in kid and kid.get("/Type") not in (
        Name.MCR, Name.OBJR)


def is_objr(kid: Object) -> bool:
    """Whether a /K entry is an object reference (a link or widget annotation)."""
    return isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR


def is_mcr(kid: Object) -> bool:
    """Whether a /K entry is a marked-content reference dictionary."""
    return isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR


@dataclass
class StructTree:
    """The reachable structure elements, their parents, and the ParentTree slots."""

    document: Pdf
    root: Dictionary
    slots: dict[int, tuple[Array, int]] = field(default_factory=dict)
    page_keys: dict[Key, int] = field(default_factory=dict)
    order: list[Dictionary] = field(default_factory=list)
    parents: dict[Key, Dictionary] = field(default_factory=dict)

    @classmethod
    def load(cls, document: Pdf) -> StructTree:
        """Read the tree from a PDF that has a StructTreeRoot."""
        root = document.Root.StructTreeRoot
        tree = cls(document, root)
        if "/ParentTree" in root:
            tree.slots = dict(number_tree_slots(root.ParentTree))
        tree.page_keys = {key_of(page.obj): int(page.obj.StructParents)
                          for page in document.pages if "/StructParents" in page.obj}
        tree.refresh()
        return tree

    def refresh(self) -> None:
        """Recompute the elements reachable from the root, in document (pre-)order."""
        self.order, self.parents = [], {}
        seen: set[Key] = set()
        stack: list[tuple[Dictionary, Dictionary]] = [
            (kid, self.root) for kid in reversed(kids_of(self.root)) if is_struct_elem(kid)]
        while stack:
            element, parent = stack.pop()
            if key_of(element) in seen:
                continue
            seen.add(key_of(element))
            self.order.append(element)
            self.parents[key_of(element)] = parent
            stack.extend((kid, element) for kid in reversed(kids_of(element))
                         if is_struct_elem(kid))

    def reachable(self, element: Object) -> bool:
        """Whether ``element`` is a structure element linked into the tree."""
        return isinstance(element, Dictionary) and key_of(element) in self.parents

    def page_array(self, page_key: int) -> Array | None:
        """The ParentTree array mapping a page's MCIDs to elements."""
        slot = self.slots.get(page_key)
        if slot is None:
            return None
        value = slot[0][slot[1]]
        return value if isinstance(value, Array) else None

    def owner(self, mark: Mark) -> Object | None:
        """The element the ParentTree gives for a marked sequence, or None."""
        array = self.page_array(mark[0])
        if array is None or mark[1] >= len(array):
            return None
        owner = array[mark[1]]
        return owner if isinstance(owner, Dictionary) else None

    def set_owner(self, mark: Mark, element: Dictionary | None) -> None:
        """Point a marked sequence's ParentTree slot at ``element`` (None: null)."""
        array = self.page_array(mark[0])
        if array is not None and mark[1] < len(array):
            array[mark[1]] = element

    def set_annotation_owner(self, annotation: Object, element: Dictionary) -> None:
        """Point an annotation's ParentTree entry (its /StructParent) at ``element``."""
        if "/StructParent" in annotation and int(annotation.StructParent) in self.slots:
            container, index = self.slots[int(annotation.StructParent)]
            container[index] = element

    def mark_of(self, kid: Object, element: Dictionary) -> Mark | None:
        """The (page key, MCID) of an MCID or MCR kid of ``element``, else None."""
        if isinstance(kid, int):
            page, mcid = self.page_of(element), kid
        elif is_mcr(kid):
            page, mcid = kid.get("/Pg"), int(kid.MCID)
            page = self.page_of(element) if page is None else page
        else:
            return None
        if page is None or key_of(page) not in self.page_keys:
            return None
        return self.page_keys[key_of(page)], mcid

    def page_of(self, element: Dictionary) -> Object | None:
        """The element's /Pg, or its nearest ancestor's (the page its MCIDs are on)."""
        while "/Pg" not in element:
            element = self.parents.get(key_of(element))
            if element is None or element is self.root:
                return None
        return element.Pg


def number_tree_slots(node: Dictionary) -> Iterator[tuple[int, tuple[Array, int]]]:
    """Each number-tree key with the array and index holding its value."""
    if "/Nums" in node:
        nums = node.Nums
        for index in range(0, len(nums) - 1, 2):
            yield int(nums[index]), (nums, index + 1)
    for kid in node.get("/Kids", []):
        yield from number_tree_slots(kid)


# --- page content ------------------------------------------------------------------------

@dataclass
class TextRun:
    """What one marked-content sequence draws, enough to recognise a leader dot."""

    font: Dictionary | None = None
    font_size: Decimal | int = 0
    raw: bytes = b""
    baseline: tuple = ()  # the text matrix without its x translation
    has_image: bool = False  # an image, form or shading (a path, an underline, is fine)


@dataclass
class PageMarks:
    """A page's content-stream instructions and the marked sequences they open."""

    page: pikepdf.Page
    key: int
    instructions: list
    openings: dict[int, int]  # MCID -> index of its BDC instruction
    runs: dict[int, TextRun]

    @classmethod
    def scan(cls, page: pikepdf.Page) -> PageMarks:
        """Parse the page content and record each MCID's text."""
        key = int(page.obj.StructParents) if "/StructParents" in page.obj else -1
        instructions = pikepdf.parse_content_stream(page)
        fonts = page_fonts(page)
        openings: dict[int, int] = {}
        runs: dict[int, TextRun] = {}
        stack: list[int | None] = []
        font, size, matrix = None, 0, ()
        for index, instruction in enumerate(instructions):
            operator = str(instruction.operator)
            operands = getattr(instruction, "operands", [])
            current = next((mcid for mcid in reversed(stack) if mcid is not None), None)
            if operator == "BDC":
                mcid = marked_mcid(operands)
                stack.append(mcid)
                if mcid is not None:
                    openings[mcid] = index
                    runs[mcid] = TextRun()
            elif operator == "BMC":
                stack.append(None)
            elif operator == "EMC" and stack:
                stack.pop()
            elif operator == "Tf":
                font, size = fonts.get(str(operands[0])), operands[1]
            elif operator == "Tm":
                matrix = tuple(operands)
            elif current is not None and operator in TEXT_SHOWING:
                run = runs[current]
                run.font, run.font_size, run.baseline = font, size, matrix[:4] + matrix[5:]
                run.raw += shown_bytes(operands)
            elif current is not None and operator in IMAGE_DRAWING:
                runs[current].has_image = True
        return cls(page, key, instructions, openings, runs)

    def mark_orphans_as_artifacts(self, tree: StructTree) -> int:
        """Turn every sequence whose element is not in the tree into ``/Artifact BMC``."""
        orphans = [mcid for mcid in self.openings
                   if not owns(tree, tree.owner((self.key, mcid)), (self.key, mcid))]
        orphans += nested_in_artifacts(self.instructions, self.openings, set(orphans))
        if not orphans:
            return 0
        for mcid in sorted(set(orphans)):
            self.instructions[self.openings[mcid]] = pikepdf.ContentStreamInstruction(
                [Name.Artifact], Operator("BMC"))
            tree.set_owner((self.key, mcid), None)
        data = pikepdf.unparse_content_stream(self.instructions)
        self.page.obj.Contents = pikepdf.Stream(tree.document, data)
        return len(set(orphans))


def owns(tree: StructTree, element: Object | None, mark: Mark) -> bool:
    """Whether ``element`` is reachable and lists the marked sequence among its kids."""
    if element is None or not tree.reachable(element):
        return False
    return any(tree.mark_of(kid, element) == mark for kid in kids_of(element))


def nested_in_artifacts(instructions: list, openings: dict[int, int],
                        artifacts: set[int]) -> list[int]:
    """MCIDs opened inside an artifact: tagged content may not sit in an artifact."""
    by_index = {index: mcid for mcid, index in openings.items()}
    nested, stack = [], []
    for index, instruction in enumerate(instructions):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            operands = getattr(instruction, "operands", [])
            mcid = by_index.get(index)
            inside = any(stack)
            if mcid is not None and inside and mcid not in artifacts:
                nested.append(mcid)
            is_artifact = bool(operands) and operands[0] == Name.Artifact
            stack.append(inside or is_artifact or mcid in artifacts or mcid in nested)
        elif operator == "EMC" and stack:
            stack.pop()
    return nested


def marked_mcid(operands: list) -> int | None:
    """The MCID of a BDC's property list, when it is given inline."""
    if len(operands) == 2 and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
        return int(operands[1].MCID)
    return None


def shown_bytes(operands: list) -> bytes:
    """The string bytes a text-showing operator draws (ignoring TJ kerning numbers)."""
    last = operands[-1]
    if isinstance(last, Array):
        return b"".join(bytes(item) for item in last if isinstance(item, pikepdf.String))
    return bytes(last)


def page_fonts(page: pikepdf.Page) -> dict[str, Dictionary]:
    """The page's font resources by name, following inherited /Resources."""
    node = page.obj
    while node is not None and "/Resources" not in node:
        node = node.get("/Parent")
    if node is None:
        return {}
    fonts = node.Resources.get("/Font", Dictionary())
    return {str(name): font for name, font in fonts.items()}


class TextDecoder:
    """Decode shown strings to Unicode with a font's /ToUnicode CMap (cached per font)."""

    def __init__(self) -> None:
        self._maps: dict[Key, tuple[int, dict[int, str]] | None] = {}

    def decode(self, font: Dictionary | None, raw: bytes) -> str | None:
        """The text of ``raw``; None when the font has no usable /ToUnicode."""
        if font is None:
            return None
        if key_of(font) not in self._maps:
            self._maps[key_of(font)] = parse_to_unicode(font)
        cmap = self._maps[key_of(font)]
        if cmap is None or not raw or len(raw) % cmap[0]:
            return None
        width, mapping = cmap
        codes = (int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw), width))
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
                for code, item in zip(range(first, last + 1), re.findall(HEX, target),
                                      strict=False):
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


def leader_kids(tree: StructTree, element: Dictionary, runs: dict[Mark, TextRun],
                decoder: TextDecoder) -> list[tuple[Object, Mark]]:
    """The kids of ``element`` forming a leader, or [] when it is not a leader.

    A leader is two or more marked runs (MCIDs, or one-MCID wrapper elements) that draw
    the same punctuation, in the same font, on the same baseline; annotations may sit
    beside them. WeasyPrint's ``leader()`` draws one run per repetition.
    """
    found: list[tuple[Object, Mark]] = []
    for kid in kids_of(element):
        if is_objr(kid):
            continue
        mark = run_mark(tree, kid, element)
        if mark is None or mark not in runs or runs[mark].has_image:
            return []
        found.append((kid, mark))
    if len(found) < MIN_LEADER_RUNS:
        return []
    shapes = {(key_of(runs[mark].font) if runs[mark].font is not None else None,
               runs[mark].font_size, runs[mark].raw, runs[mark].baseline)
              for _, mark in found}
    if len(shapes) != 1:
        return []
    first = runs[found[0][1]]
    return found if is_filler(decoder.decode(first.font, first.raw) or "") else []


def detach_leaders(tree: StructTree, runs: dict[Mark, TextRun], decoder: TextDecoder) -> int:
    """Take leader runs out of the tree (they become artifacts later); return their count."""
    detached = 0
    for element in tree.order:
        found = leader_kids(tree, element, runs, decoder)
        if not found:
            continue
        marks = {mark for _, mark in found}
        element.K = Array([kid for kid in kids_of(element)
                           if run_mark(tree, kid, element) not in marks])
        for mark in marks:
            tree.set_owner(mark, None)
        detached += len(marks)
    tree.refresh()
    return detached


def run_mark(tree: StructTree, kid: Object, element: Dictionary) -> Mark | None:
    """The mark of an MCID kid, or of a wrapper element holding just one MCID."""
    mark = tree.mark_of(kid, element)
    if mark is None and is_struct_elem(kid):
        inner = kids_of(kid)
        mark = tree.mark_of(inner[0], kid) if len(inner) == 1 else None
    return mark


def merge_nested_links(tree: StructTree) -> int:
    """Give the content of each Link nested in a Link to the outer one; return the count."""
    merged = 0
    for element in reversed(tree.order):
        parent = tree.parents[key_of(element)]
        if element.get("/S") != Name.Link or parent.get("/S") != Name.Link:
            continue
        if any(name in element for name in (*KEEP_WHEN_EMPTY_KEYS, "/Lang", "/A")):
            continue
        moved = [adopted(tree, kid, element, parent) for kid in kids_of(element)]
        parent.K = Array([item for kid in kids_of(parent)
                          for item in (moved if same_element(kid, element) else [kid])])
        merged += 1
    tree.refresh()
    return merged


def adopted(tree: StructTree, kid: Object, child: Dictionary, parent: Dictionary) -> Object:
    """Re-home one kid of ``child`` in ``parent``: fix its /P or its ParentTree entry."""
    mark = tree.mark_of(kid, child)
    if mark is not None:
        tree.set_owner(mark, parent)
        page = tree.page_of(child)
        if isinstance(kid, int) and not same_element(page, tree.page_of(parent)):
            return Dictionary(Type=Name.MCR, Pg=page, MCID=kid)
    elif is_objr(kid):
        tree.set_annotation_owner(kid.Obj, parent)
    elif is_struct_elem(kid):
        kid.P = parent
    return kid


def same_element(first: Object | None, second: Object | None) -> bool:
    """Whether two objects are the same indirect object."""
    return (isinstance(first, Dictionary) and isinstance(second, Dictionary)
            and first.is_indirect and key_of(first) == key_of(second))


def header_scope(tree: StructTree, header: Dictionary) -> Name:
    """/Column for a TH in a THead or an all-header row, /Row for a TH beside data cells."""
    row = tree.parents.get(key_of(header))
    if row is None or row.get("/S") != Name.TR:
        return Name.Column
    if tree.parents.get(key_of(row), Dictionary()).get("/S") == Name.THead:
        return Name.Column
    cells = [kid.get("/S") for kid in kids_of(row) if is_struct_elem(kid)]
    return Name.Row if Name.TD in cells else Name.Column


def add_header_scopes(tree: StructTree) -> int:
    """Give every TH a /Scope in its /Table attributes; return how many were added."""
    added = 0
    for element in tree.order:
        if element.get("/S") == Name.TH:
            added += set_table_attribute(element, Name.Scope, header_scope(tree, element))
    return added


def set_table_attribute(element: Dictionary, name: Name, value: Object) -> bool:
    """Set a /Table-owner attribute unless it is already set; True when it was added."""
    attributes = element.get("/A")
    owned = [attributes] if isinstance(attributes, Dictionary) else (
        list(attributes) if isinstance(attributes, Array) else [])
    table = next((item for item in owned if isinstance(item, Dictionary)
                  and item.get("/O") == Name.Table), None)
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


def is_empty(element: Dictionary) -> bool:
    """No marked content, no child element, no annotation, and nothing said in /Alt."""
    return not kids_of(element) and not any(name in element for name in KEEP_WHEN_EMPTY_KEYS)


def remove_empty_elements(tree: StructTree) -> int:
    """Remove empty elements (not table cells), innermost first; return how many."""
    removed = 0
    for element in reversed(tree.order):
        parent = tree.parents[key_of(element)]
        if parent is tree.root or element.get("/S") in TABLE_CELLS or not is_empty(element):
            continue
        parent.K = Array([kid for kid in kids_of(parent) if not same_element(kid, element)])
        removed += 1
    tree.refresh()
    return removed


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
