"""The structure tree in one pass: the rules on elements, and the passages' languages.

The tree is read level by level (one JSON batch a level, ``objects.py``), then walked
once, depth first, in document order. The walk takes /K in each of its forms (an MCID,
an MCR or OBJR dictionary, an element, or an array of these; an element may be a direct
object or a reference), never follows /P back to a parent, and skips an element met
twice, so a malformed tree cannot make it loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pikepdf import Pdf

from report.output.accessibility.objects import (
    Json,
    fetch,
    is_reference,
    kids,
    reference_of,
    text,
    values,
)
from report.output.accessibility.rules import Finding

HEADINGS = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6"})
MAX_DEPTH = 200  # far deeper than any real tree
Mark = tuple[int | None, int]  # (page, MCID): a run of marked content


@dataclass(frozen=True)
class Passage:
    """An element tagged with a language (/Lang), and the marked content it holds.

    ``marks`` are (page, MCID) pairs, which a text extractor that keeps MCIDs (pdfplumber)
    turns into text; an element inside it with a /Lang of its own is a passage of its own.
    """

    lang: str
    page: int | None
    marks: tuple[Mark, ...]
    actual_text: str = ""


@dataclass
class Tree:
    """The structure tree as JSON: the root, every indirect element by reference."""

    root: dict[str, Json]
    nodes: dict[str, Json]
    pages: dict[str, int]  # page reference -> page number
    role_map: dict[str, str]

    def resolve(self, value: Json) -> Json:
        return self.nodes.get(value) if is_reference(value) else value

    def page(self, node: dict[str, Json], default: int | None) -> int | None:
        """The page of a node's /Pg, else the page it inherits."""
        reference = node.get("/Pg")
        return self.pages.get(reference, default) if is_reference(reference) else default

    def role(self, element: Json) -> str:
        """An element's standard type, through the RoleMap (a few steps at most)."""
        role = text(element.get("/S")) if isinstance(element, dict) else ""
        for _ in range(8):
            mapped = self.role_map.get(role)
            if mapped is None or mapped == role:
                break
            role = mapped
        return role


def read(document: Pdf) -> Tree | None:
    """The structure tree, or None when the PDF is not tagged."""
    root = document.Root.get("/StructTreeRoot")
    if root is None:
        return None
    (root_json,) = values([root])
    if not isinstance(root_json, dict):
        return None
    pages = {reference_of(page.obj): number for number, page in enumerate(document.pages, 1)}
    role_map = root_json.get("/RoleMap", {})
    if is_reference(role_map):
        (role_map,) = fetch(document, [role_map])
    roles = {text(k): text(v) for k, v in role_map.items()} if isinstance(role_map, dict) else {}
    nodes: dict[str, Json] = {}
    level = _references(root_json, nodes)
    for _ in range(MAX_DEPTH):
        if not level:
            break
        for reference, node in zip(level, fetch(document, level), strict=True):
            nodes[reference] = node
        level = [ref for node in (nodes[r] for r in level) for ref in _references(node, nodes)]
    return Tree(root_json, nodes, pages, roles)


def _references(node: Json, known: dict[str, Json]) -> list[str]:
    """The references among the /K entries of a node and of its direct element kids."""
    found, stack = [], [node]
    while stack:
        for kid in kids(stack.pop()):
            if is_reference(kid):
                if kid not in known:
                    known[kid] = None  # claimed: fetched once, whoever lists it
                    found.append(kid)
            elif isinstance(kid, dict) and "/S" in kid:
                stack.append(kid)
    return found


@dataclass
class Walk:
    """What the one pass over the tree gathers."""

    tree: Tree
    findings: list[Finding] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def walk(tree: Tree) -> Walk:
    """Every rule on the elements, and the passages tagged with a language."""
    state = Walk(tree)
    for kid in kids(tree.root):
        element = tree.resolve(kid)
        if isinstance(element, dict):
            _element(state, element, kid, None, (), None, 0)
    return state


def _element(
    state: Walk,
    element: dict[str, Json],
    reference: Json,
    page: int | None,
    headings: tuple[str, ...],
    table: list[int] | None,
    depth: int,
) -> tuple[bool, list[Mark]]:
    """Check one element and its subtree; return whether it shows anything (marked
    content, or an /Alt or /ActualText) and the marks it holds outside other passages.

    ``headings`` are the headings above it, ``table`` the count of header cells of the
    nearest table above it, which its TH cells add to.
    """
    if is_reference(reference):
        if reference in state.seen:
            return False, []
        state.seen.add(reference)
    if depth > MAX_DEPTH:
        return False, []
    tree = state.tree
    role = tree.role(element)
    page = tree.page(element, page)
    if role in HEADINGS and headings:
        message = f"an {role} is inside an {headings[-1]}: make them siblings"
        state.findings.append(Finding("nested-heading", message, page))
    if role == "Table":
        table = [0]
    elif role == "TH" and table is not None:
        table[0] += 1
    inner = (*headings, role) if role in HEADINGS else headings
    marks: list[Mark] = []
    shown, direct, children, index = False, False, [], len(state.passages)
    for kid in kids(element):
        item = tree.resolve(kid)
        if type(item) is int:
            marks.append((page, item))
            direct = True
        elif isinstance(item, dict):
            kind = item.get("/Type")
            if kind == "/MCR":
                marks.append((tree.page(item, page), int(item.get("/MCID", -1))))
                direct = True
            elif kind != "/OBJR" and "/S" in item:
                children.append(tree.role(item))
                seen, held = _element(state, item, kid, page, inner, table, depth + 1)
                shown |= seen
                if "/Lang" not in item:
                    marks += held
    replaced = bool(text(element.get("/Alt")).strip() or text(element.get("/ActualText")).strip())
    shown = shown or bool(marks) or replaced
    _content_rules(state, role, shown, children, direct, page, table)
    if "/Lang" in element:  # placed before the passages inside it: outermost first
        passage = Passage(
            text(element["/Lang"]), page, tuple(marks), text(element.get("/ActualText"))
        )
        state.passages.insert(index, passage)
    return shown, marks


def _content_rules(
    state: Walk,
    role: str,
    shown: bool,
    children: list[str],
    direct: bool,
    page: int | None,
    table: list[int] | None,
) -> None:
    """The rules that need the whole subtree: empty links, headings and header cells,
    tables without a header cell, list items holding more than Lbl and LBody."""
    add = state.findings.append
    if role == "Link" and not shown:
        add(Finding("empty-link", page=page))
    elif role in HEADINGS and not shown:
        add(Finding("empty-heading", f"an {role} has no text", page))
    elif role == "TH" and not shown:
        add(Finding("empty-header-cell", page=page))
    elif role == "Table" and table is not None and not table[0]:
        add(Finding("table-header", page=page))
    elif role == "LI":
        other = [kid for kid in children if kid not in ("Lbl", "LBody")]
        if direct:
            other.append("text")
        if other:
            held = ", ".join(dict.fromkeys(other))
            add(Finding("list-item", f"a list item (LI) holds {held}", page))
