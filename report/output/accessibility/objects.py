"""PDF objects read as qpdf JSON: plain dicts and lists, fetched a batch at a time.

Why: every pikepdf call costs about a microsecond, and the structure tree of the default
report has some 6,500 elements read a dozen ways each. One ``to_json`` call reads a whole
element (with its direct kids) and one ``json.loads`` parses a whole batch, which makes
the checks about three times faster. qpdf JSON spells a reference "12 0 R", a name
"/Name" and a string "u:text" (or "b:hex" when it is not Unicode text).

This is independent of ``tagging/objects.py`` on purpose: the checks must not share the
repairs' assumptions.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from pikepdf import Object, Pdf

Json = Any  # a value as qpdf JSON gives it


def is_reference(value: Json) -> bool:
    """Whether a JSON value is an indirect reference: only those start with a digit."""
    return type(value) is str and value[:1].isdigit()


def reference_of(obj: Object) -> str:
    number, generation = obj.objgen
    return f"{number} {generation} R"


def fetch(document: Pdf, references: list[str]) -> list[Json]:
    """The JSON of each referenced object, in one parse."""
    if not references:
        return []
    objects = []
    for reference in references:
        number, generation, _ = reference.split(" ")
        objects.append(document.get_object(int(number), int(generation)))
    return values(objects)


def values(objects: list[Object]) -> list[Json]:
    """The JSON of each object (dereferenced once: kids that are references stay so)."""
    return json.loads(b"[" + b",".join(obj.to_json(dereference=True) for obj in objects) + b"]")


def text(value: Json) -> str:
    """A PDF string (or name) as text; anything else as the empty string."""
    if type(value) is not str:
        return ""
    if value.startswith("u:"):
        return value[2:]
    if value.startswith("b:"):
        raw = bytes.fromhex(value[2:])
        if raw.startswith(codecs.BOM_UTF16_BE):
            return raw[2:].decode("utf-16-be", "replace")
        return raw.decode("latin-1")
    return value.lstrip("/")


def kids(node: Json) -> list[Json]:
    """/K as a list: absent, one item (an MCID, an MCR or OBJR, an element) or an array."""
    value = node.get("/K") if isinstance(node, dict) else None
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def number_tree(document: Pdf, node: Json, depth: int = 0) -> dict[int, Json]:
    """A number tree's entries (the ParentTree), its /Kids fetched level by level."""
    if is_reference(node):
        node = fetch(document, [node])[0]
    if not isinstance(node, dict):
        return {}
    nums = node.get("/Nums", [])
    if is_reference(nums):
        nums = fetch(document, [nums])[0]
    entries = {int(key): value for key, value in zip(nums[::2], nums[1::2], strict=False)}
    if depth < 32:
        for kid in node.get("/Kids", []):
            entries.update(number_tree(document, kid, depth + 1))
    return entries
