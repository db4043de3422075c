"""A cell and a YAML value, both ways: what ``report export`` writes, what import reads.

A spreadsheet shows what a person reads: a status by its label ("Partiellement
réalisée"), a list one item per line of its cell, a date as a date. Reading it back
accepts what people type: a status's key, its label or plural in any language of the
report, whatever the case; a body's key, short name or name; ``oui``/``yes``/``x`` for
true; a date as a date cell, 2023-01-12 or 12/01/2023 (day first, as French and British
offices write it; month first in an American English report). What cannot be read is a
``CellError`` whose message says what to write instead; references that can be read are
checked afterwards by the data model itself, with its "did you mean".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from report.i18n.catalogue import available, catalogue
from report.sources.columns import Column
from report.sources.config import Config
from report.sources.model import PlanData
from report.sources.problems import fold, unknown_value

LIST_SEPARATOR = "\n"  # one item per line of a cell (Alt+Enter in Excel, Ctrl+Enter in Calc)
TRUE_WORDS = frozenset({"true", "yes", "oui", "vrai", "x", "1", "y", "o"})
FALSE_WORDS = frozenset({"false", "no", "non", "faux", "0", "n"})
NUMBER_TEXT = re.compile(r"^[+-]?\d+([.,]\d+)?$")


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message is the whole fix."""


@dataclass(frozen=True)
class Names:
    """The names a sheet may give to entries, folded, for each section (statuses and
    bodies have several names), and how export shows a status."""

    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # section -> name -> key
    labels: dict[str, str] = field(default_factory=dict)  # status key -> label
    month_first: bool = False

    def key_of(self, section: str, value: Any) -> Any:
        """The key a name stands for, or the value as written (validation reports it)."""
        return self.keys.get(section, {}).get(name_key(value), value)


def name_key(value: Any) -> str:
    """A name compared without case, accents or extra spaces: 'Partiellement  Réalisée'."""
    return " ".join(fold(str(value)).split())


def to_cell(value: Any, column: Column, names: Names) -> Any:
    """The cell export writes for a YAML value: lists one item a line, statuses by label."""
    if value is None or value == [] or value == ():
        return None
    if column.kind in ("texts", "refs"):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    if column.kind == "ref" and column.target == "statuses":
        return names.labels.get(value, value)
    if isinstance(value, dt.date | bool | int | float):
        return value
    return _text(value)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def from_cell(cell: Any, column: Column, names: Names) -> Any:
    """The YAML value a cell stands for (None for an empty cell)."""
    if cell is None:
        return [] if column.kind in ("texts", "refs") else None
    reader = _READERS[column.kind]
    return reader(cell, column, names)


def _read_text(cell: Any, column: Column, names: Names) -> str:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def _read_texts(cell: Any, column: Column, names: Names) -> list[Any]:
    """One item a line; a single line with ' | ' (the report's CSV attachment) splits there."""
    text = _read_text(cell, column, names)
    parts = text.split(LIST_SEPARATOR) if LIST_SEPARATOR in text else text.split(" | ")
    items = [part.strip() for part in parts if part.strip()]
    if column.kind == "refs":
        single = Column(column.field, "ref", column.target)
        return [_read_ref(item, single, names) for item in items]
    return items


def _read_ref(cell: Any, column: Column, names: Names) -> Any:
    if column.target == "measures":
        return _read_int(cell, column, names)
    return names.key_of(column.target, _read_text(cell, column, names))


def _read_int(cell: Any, column: Column, names: Names) -> int:
    try:
        value = _read_number(cell, column, names)
    except CellError:
        value = None
    if isinstance(value, int):
        return value
    raise CellError(f"expected a whole number, got {_shown(cell)}")


def _read_number(cell: Any, column: Column, names: Names) -> int | float:
    """12, 12.5, '2 872' and '12,5' (a French decimal comma)."""
    if isinstance(cell, bool | dt.date):
        raise CellError(f"expected a number, got {_shown(cell)}")
    if isinstance(cell, int | float):
        return int(cell) if isinstance(cell, float) and cell.is_integer() else cell
    text = re.sub(r"[\s\u00a0\u202f]", "", str(cell))
    if not NUMBER_TEXT.match(text):
        raise CellError(f"expected a number, got {_shown(cell)}")
    number = float(text.replace(",", "."))
    return int(number) if number.is_integer() and not re.search(r"[.,]", text) else number


def _read_int_or_text(cell: Any, column: Column, names: Names) -> int | str:
    """A category or a year: 2015 is a year, 'Île-de-France' a category."""
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    text = _read_text(cell, column, names)
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def _read_bool(cell: Any, column: Column, names: Names) -> bool:
    if isinstance(cell, bool):
        return cell
    word = fold(str(cell)).strip()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise CellError(f"expected yes or no (oui / non, true / false), got {_shown(cell)}")


def _read_date(cell: Any, column: Column, names: Names) -> dt.date:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    slashed = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
    if iso:
        parts = (int(iso[1]), int(iso[2]), int(iso[3]))
    elif slashed:
        first, second = int(slashed[1]), int(slashed[2])
        day, month = (second, first) if names.month_first else (first, second)
        parts = (int(slashed[3]), month, day)
    else:
        raise CellError(f"expected a date written YYYY-MM-DD, got {_shown(cell)}")
    try:
        return dt.date(*parts)
    except ValueError:
        raise CellError(f"{_shown(cell)} is not a real date; write it as YYYY-MM-DD") from None


def _shown(cell: Any) -> str:
    return f"'{cell}'" if not isinstance(cell, dt.date) else f"'{cell.isoformat()}'"


_READERS = {
    "int": _read_int,
    "number": _read_number,
    "int_or_text": _read_int_or_text,
    "bool": _read_bool,
    "date": _read_date,
    "text": _read_text,
    "texts": _read_texts,
    "ref": _read_ref,
    "refs": _read_texts,
}


def check_status(value: Any, names: Names) -> str | None:
    """The sentence for a status no name matches (labels in the report's language)."""
    if value in names.labels:
        return None
    return unknown_value(value, list(names.labels.values()), "status")


def same(old: Any, new: Any) -> bool:
    """Whether a sheet's value says what the YAML says: empty is empty ([] or absent or
    null), text is compared without the spaces around it (a folded YAML block ends with
    a line break), a list item by item."""
    if _empty(old) and _empty(new):
        return True
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    return (type(old) is type(new) and old == new) or (_number(old) and old == new)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def report_names(config: Config, data: PlanData, raw_statuses: Any) -> Names:
    """The names a sheet may use: each status by key, label and plural in every language
    the report translates it into (``label_en``) or the catalogues give, each body by
    key, short name and name."""
    statuses: dict[str, Any] = {}
    for status in config.statuses:
        for name in (status.key, status.label, status.plural):
            statuses.setdefault(name_key(name), status.key)
    for entry in raw_statuses if isinstance(raw_statuses, list) else []:
        key = entry.get("key") if isinstance(entry, dict) else None
        for name, text in entry.items() if key else ():
            if str(name).startswith(("label", "plural")) and isinstance(text, str):
                statuses.setdefault(name_key(text), key)
    by_category = {status.category: status.key for status in config.statuses}
    for language in available():
        for entry in catalogue(language).statuses if raw_statuses is None else ():
            key = by_category.get(entry.get("category", ""))
            for name in (entry.get("key"), entry.get("label"), entry.get("plural")):
                if key and name:
                    statuses.setdefault(name_key(name), key)
    bodies: dict[str, Any] = {}
    for body in data.bodies:
        for name in (body.key, body.short, body.name):
            if name:
                bodies.setdefault(name_key(name), body.key)
    labels = {status.key: status.label for status in config.statuses}
    month_first = config.language == "en-US"
    return Names({"statuses": statuses, "bodies": bodies}, labels, month_first)
