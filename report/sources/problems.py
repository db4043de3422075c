"""Turn pydantic validation failures into the project's one-line, located problems."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_origin

from pydantic import BaseModel, ValidationError

from report.errors import Problem
from report.sources.files import locate

# Error types raised by reference fields (sources/references.py): an unknown key carries
# its whole sentence; a reference to an entry that failed validation is not reported twice.
UNKNOWN_REFERENCE = "unknown_reference"
BROKEN_REFERENCE = "broken_reference"

_EXPECTATIONS = {
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "string_type": "expected text",
    "date_from_datetime_parsing": "expected a date written YYYY-MM-DD",
    "date_parsing": "expected a date written YYYY-MM-DD",
    "date_type": "expected a date written YYYY-MM-DD",
    "list_type": "expected a list (lines starting with '- ')",
    "tuple_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected a mapping of 'key: value' lines",
    "model_type": "expected a mapping of 'key: value' lines",
    "missing": "is required; add it",
    "bool_parsing": "expected true or false",
    "url_parsing": "expected a URL starting with https://",
}


def field_path(loc: Iterable[Any]) -> str:
    """Render ``('measures', 12, 'status')`` as ``measures[12].status``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'realisee' matches 'réalisée' in suggestions."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def suggest(value: Any, allowed: Iterable[str]) -> str:
    """Return '; did you mean 'x'?' when a close allowed value exists, else ''."""
    allowed = list(allowed)
    folded = {fold(choice): choice for choice in allowed}
    match = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    return f"; did you mean '{folded[match[0]]}'?" if match else ""


def unknown_value(value: Any, allowed: Iterable[str], what: str) -> str:
    """The standard sentence for a value outside a closed vocabulary."""
    allowed = list(allowed)
    if not allowed:
        return f"'{value}' is not a known {what} (none is declared)"
    return (
        f"'{value}' is not a known {what} (allowed: {', '.join(allowed)}{suggest(value, allowed)})"
    )


def _describe(error: dict, model: type[BaseModel] | None) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        name = error["loc"][-1]
        allowed = _allowed_keys(model, error["loc"][:-1])
        return f"unknown key '{name}' (allowed: {', '.join(allowed)}{suggest(name, allowed)})"
    if kind == "missing":
        return _EXPECTATIONS["missing"]
    if kind == UNKNOWN_REFERENCE:
        return error["msg"]
    if kind == "literal_error":
        return f"{error['msg'].lower()}, got {error['input']!r}"
    if kind == "string_pattern_mismatch":
        return f"{_pattern_expectation(error)}, got {error.get('input')!r}"
    expectation = _EXPECTATIONS.get(kind, error["msg"].removeprefix("Value error, "))
    shown = error.get("input")
    if isinstance(shown, dict | list) or kind.startswith("value_error"):
        return expectation
    return f"{expectation}, got {shown!r}"


def _pattern_expectation(error: dict) -> str:
    """Say in words what a pattern asks for (pydantic shows the regular expression)."""
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    if "0-9a-fA-F" in pattern:
        return "expected a colour written #rrggbb (e.g. #1f3b5c)"
    return "expected letters, digits, '.', '_' or '-' only (no spaces or slashes)"


def _allowed_keys(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """Walk the model's fields along ``loc`` to list the keys allowed at that place."""
    current: Any = model
    in_mapping = False  # the part after a dict field is one of its keys (editions.web)
    for part in loc:
        if isinstance(part, int) or current is None or in_mapping:
            in_mapping = False
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        current = _inner_model(field.annotation) if field else None
        in_mapping = field is not None and get_origin(field.annotation) is dict
    if not hasattr(current, "model_fields"):
        return []
    return [field.alias or name for name, field in current.model_fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def problems_from(
    error: ValidationError,
    raw: Any,
    path: Path,
    model: type[BaseModel] | None = None,
    prefix: tuple = (),
) -> list[Problem]:
    """One located problem per pydantic error, in file order."""
    problems = []
    for item in error.errors():
        if item["type"] == BROKEN_REFERENCE:
            continue
        loc = tuple(part for part in item["loc"] if not str(part).startswith("function-"))
        item = {**item, "loc": loc}
        problems.append(
            Problem(path, _describe(item, model), locate(raw, loc), field_path(prefix + loc))
        )
    return sorted(problems, key=lambda p: p.line or 0)
