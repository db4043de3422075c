"""The structure tree, read once into plain dicts, with every change written through.

Why a cache: a long report has tens of thousands of structure elements, and every pikepdf
call costs about a microsecond. So the tree is read once, as qpdf JSON (one ``to_json`` call
per element, one ``json.loads`` per tree level), into plain dicts keyed by object reference
(``"12 0 R"``); the repairs work on those dicts and write each change through to pikepdf as
they make it (``set_kids``, ``set_owner``, ``set_annotation_owner``), so the PDF and the
cache never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pikepdf import Array, Dictionary, Object, Pdf

from report.output.tagging.objects import (
    ELEMENT,
    MCR,
    OBJR,
    Key,
    Kid,
    Mark,
    is_reference,
    json_values,
    key_of,
    kids_of,
    kind_of,
    number_tree_slots,
    references,
    resolve,
)


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
