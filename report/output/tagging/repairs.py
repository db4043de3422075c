"""Repairs 2 to 5 (see the package docstring), made on the cached ``StructTree``.

``repaired`` runs them in this order, for these reasons: leaders first, because once nested
links are merged the dots share their element with the entry's title and no longer look
like a leader; empty elements last, because detaching a leader that has no link annotation
leaves its element empty. Each repair that changes a /K brings the tree's ``order`` and
``parents`` up to date (``StructTree.update``) for the next one. Each returns how many
changes it made: ``repaired`` logs them, and keeps the bytes of a file nothing changed.
"""

from __future__ import annotations

import unicodedata

from pikepdf import Array, Dictionary, Name, Object

from report.output.tagging.fonts import TextDecoder
from report.output.tagging.marks import TextRun, layout_of, raw_of
from report.output.tagging.objects import MCR, Key, Kid, Mark, resolve
from report.output.tagging.tree import StructTree

MIN_LEADER_RUNS = 2
TABLE_CELLS = frozenset({"/TD", "/TH"})
KEEP_WHEN_EMPTY_KEYS = ("/Alt", "/ActualText")


# --- 2. leader dots ----------------------------------------------------------------------


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


# --- 3. nested links ---------------------------------------------------------------------


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


# --- 4. header scopes --------------------------------------------------------------------


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


# --- 5. empty elements -------------------------------------------------------------------


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
