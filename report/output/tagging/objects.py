"""PDF objects read as qpdf JSON, the form the rest of the package works on.

Why JSON: every pikepdf call costs about a microsecond, where one ``to_json`` call and one
``json.loads`` read a whole object, or a whole level of the structure tree. qpdf JSON spells
a reference "12 0 R", a name "/Name" and a string "u:text" or "b:hex"; these helpers read
that form, and go back to the pikepdf object (``resolve``) where a change must be written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pikepdf import Array, Dictionary, Object, Pdf

Key = str  # an indirect object as qpdf JSON refers to it: "12 0 R"
Mark = tuple[int, int]  # (ParentTree key of the page, MCID)
Kid = Any  # a /K entry as qpdf JSON gives it: an MCID, a reference, a dictionary...
ELEMENT, MCR, OBJR = "element", "/MCR", "/OBJR"  # kinds of /K entries


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


def number_tree_slots(node: Dictionary) -> Iterator[tuple[int, tuple[Array, int], Any]]:
    """Each number-tree key with the array and index holding its value, and that value."""
    if "/Nums" in node:
        nums = node.Nums
        values = json_values([nums])[0]
        for index in range(0, len(values) - 1, 2):
            yield int(values[index]), (nums, index + 1), values[index + 1]
    for kid in node.get("/Kids", []):
        yield from number_tree_slots(kid)
