"""The data as tables: which sheets a spreadsheet has, which columns, and their names.

A coalition shares its measures as a spreadsheet; ``report export`` writes one and
``report import`` reads it back. The tables and their columns are derived from the data
model (``model.py``), so a field added there is a column here: each data section with a
key is a table (``measures``, keyed by number), and a list of entries inside an entry
(a measure's ``evidence`` and ``history``, a dataset's ``points``) is a table of its
own, one row per item, its first column naming the entry it belongs to.

A column is found by its header in any language the builder has a catalogue for
(``column_<field>`` messages: "Intitulé" or "title"), by the coalition's vocabulary
("Engagement"), by the field's own name, or through ``import: columns:`` in
report.yaml; a translation's header is the text's with its language: "Intitulé (en)".
"""

from __future__ import annotations

import datetime as dt
import re
import types
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from report.i18n.catalogue import Catalogue, available, catalogue
from report.sources.model import (
    Action,
    Assessment,
    Axis,
    Body,
    Dataset,
    Evidence,
    Measure,
    Point,
    Recommendation,
)
from report.sources.problems import fold
from report.sources.translate import TRANSLATABLE
from report.sources.vocabulary import Vocabulary, Words, resolve

# What a cell holds, derived from the field's type: see ``kind_of``.
Kind = Literal["int", "number", "int_or_text", "bool", "date", "text", "texts", "ref", "refs"]
IGNORE = "ignore"  # ``import: columns: {"Notes internes": ignore}`` skips a column


@dataclass(frozen=True)
class Column:
    """One column: the YAML key it holds (``title``, ``title_en``) and what a cell is."""

    field: str
    kind: Kind
    target: str = ""  # for references: the section named ("statuses", "bodies"...)
    language: str = ""  # for a translation: its language ("en")

    @property
    def base(self) -> str:
        """The field a translation translates (``title`` for ``title_en``)."""
        return self.field.removesuffix(f"_{self.language}") if self.language else self.field


@dataclass(frozen=True)
class Table:
    """A data section as a sheet (``parent`` set for a list inside each entry)."""

    name: str  # "measures", or "evidence" for a measure's evidence
    section: str  # the data section its entries live in: "measures"
    model: type[BaseModel]
    key: str  # the field naming an entry: "number"; a child table's parent column
    parent: str = ""  # for a child table: the field holding its items ("evidence")

    @property
    def fields(self) -> list[str]:
        """The model's fields that are cells (lists of entries are tables of their own)."""
        return [name for name in self.model.model_fields if name not in CHILDREN.get(self.name, {})]


# The sections a spreadsheet holds, in sheet order, with the field that names an entry.
TABLES = (
    Table("measures", "measures", Measure, "number"),
    Table("evidence", "measures", Evidence, "number", parent="evidence"),
    Table("history", "measures", Assessment, "number", parent="history"),
    Table("recommendations", "recommendations", Recommendation, "id"),
    Table("datasets", "datasets", Dataset, "key"),
    Table("points", "datasets", Point, "key", parent="points"),
    Table("axes", "axes", Axis, "key"),
    Table("actions", "actions", Action, "key"),
    Table("bodies", "bodies", Body, "key"),
)
TABLE_BY_NAME = {table.name: table for table in TABLES}
# Lists of entries inside an entry, and the table that holds them.
CHILDREN = {
    table.section: {t.parent: t.name for t in TABLES if t.parent and t.section == table.section}
    for table in TABLES
    if not table.parent
}
# The words a sheet of each table is named with, besides the vocabulary's plurals.
VOCABULARY_TABLES = {
    "measures": "item",
    "axes": "group",
    "actions": "subgroup",
    "recommendations": "recommendation",
    "bodies": "body",
}
# Reference targets with a number for key (a recommendation's measures).
NUMBERED = frozenset({"measures"})


def kind_of(annotation: Any) -> tuple[Kind, str]:
    """What a cell of a field of this type holds, and the section a reference names."""
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) in (Union, types.UnionType):
        if {int, float} <= set(args):
            return "number", ""
        if set(args) == {str, int}:
            return "int_or_text", ""
        return kind_of(args[0])
    if get_origin(annotation) is tuple:
        inner, target = kind_of(args[0])
        return ("refs" if inner == "ref" else "texts"), target
    if get_origin(annotation) is Annotated:
        return "ref", _section_of(args[0])
    if isinstance(annotation, type) and annotation.__name__ in REFERENCED:
        return "ref", REFERENCED[annotation.__name__]  # pydantic keeps a field's own metadata
    simple = {int: "int", bool: "bool", dt.date: "date"}
    return simple.get(annotation, "text"), ""  # type: ignore[return-value]


# The models references name (``references.ref``), and their sections.
REFERENCED = {
    "Axis": "axes",
    "Action": "actions",
    "Body": "bodies",
    "StatusDef": "statuses",
    "Assessor": "assessors",
    "Measure": "measures",
    "Dataset": "datasets",
}


def _section_of(target: type) -> str:
    return REFERENCED[target.__name__]


def columns_of(table: Table, languages: list[str] | tuple[str, ...] = ()) -> list[Column]:
    """The table's columns: its key first for a child table, then each field, each
    translatable text followed by its translations into ``languages``."""
    found = [Column(table.key, "int" if table.section in NUMBERED else "text")]
    found = found if table.parent else []
    for name in table.fields:
        kind, target = kind_of(table.model.model_fields[name].annotation)
        found.append(Column(name, kind, target))
        if name in TRANSLATABLE and kind in ("text", "texts"):
            found += [Column(f"{name}_{code}", kind, "", code) for code in languages]
    return found


def translation_languages(entries: list[dict], table: Table, source: str) -> list[str]:
    """The languages the entries translate some text of this table into (``title_en``)."""
    codes = {
        key.rsplit("_", 1)[1]
        for entry in entries
        for key in entry
        if isinstance(key, str)
        and "_" in key
        and key.rsplit("_", 1)[0] in TRANSLATABLE
        and key.rsplit("_", 1)[0] in table.fields
    }
    return sorted(code for code in codes if code != source and re.fullmatch(r"[a-z]{2,3}", code))


@dataclass(frozen=True)
class Headers:
    """How the sheets and columns of one report are named, and found again."""

    catalogue: Catalogue
    words: Words
    mapping: dict[str, str]  # import: columns: header -> field (or "ignore")

    def table_name(self, table: Table) -> str:
        """The sheet's name in the report's language: "Mesures", "Éléments de preuve"."""
        term = VOCABULARY_TABLES.get(table.name)
        if term:
            return getattr(self.words, term).titles
        return _capital(self.catalogue.messages.get(f"sheet_{table.name}", table.name))

    def header(self, column: Column) -> str:
        """The column's header in the report's language: "Intitulé (en)"."""
        text = _capital(_column_word(self.catalogue, column.base, self.words))
        return f"{text} ({column.language})" if column.language else text

    def find_table(self, sheet_name: str) -> Table | None:
        """The table a sheet holds, by its name in any language or the vocabulary's."""
        return self._tables.get(_key(sheet_name))

    def find_column(self, header: str, columns: list[Column]) -> Column | str | None:
        """The column a header names, ``IGNORE`` for a mapped-away one, else None."""
        mapped = {_key(name): field for name, field in self.mapping.items()}
        wanted = _key(header)
        if wanted in mapped:
            if mapped[wanted] == IGNORE:
                return IGNORE
            wanted = _key(mapped[wanted])
        found = re.fullmatch(r"(.+?)\s*[(\[_]\s*([a-z]{2,3})\s*[)\]]?", wanted)
        for column in columns:
            names = self._names.get(column.base, {_key(column.base)})
            if wanted in names and not column.language:
                return column
            if found and column.language == found[2] and found[1] in names:
                return column
        return None

    @cached_property
    def _tables(self) -> dict[str, Table]:
        """Every name of every table: the builder's, each catalogue's, the vocabulary's."""
        names = {_key(table.name): table for table in TABLES}
        for language in available():
            other = Headers(catalogue(language), _default_words(language), {})
            names |= {_key(other.table_name(table)): table for table in TABLES}
        return names | {_key(self.table_name(table)): table for table in TABLES}

    @cached_property
    def _names(self) -> dict[str, set[str]]:
        """Every name of every field: its own, its header and table header in each
        catalogue (with that language's default words), its header in the report's words."""
        found: dict[str, set[str]] = {}
        for field in known_fields():
            names = found.setdefault(field, {_key(field), _key(field.replace("_", " "))})
            for language in available():
                words = _default_words(language)
                names.add(_key(_column_word(catalogue(language), field, words)))
                names.add(_key(catalogue(language).messages.get(field, field)))
            names.add(_key(_column_word(self.catalogue, field, self.words)))
        return found


def _column_word(catalogue: Catalogue, field: str, words: Words) -> str:
    """The ``column_<field>`` message, its {item}, {group}... in the report's words."""
    message = catalogue.messages.get(f"column_{field}", field.replace("_", " "))
    return message.format(
        item=words.item.singular,
        items=words.item.plural,
        group=words.group.singular,
        subgroup=words.subgroup.singular,
        bodies=words.body.plural,
    )


def _default_words(language: str) -> Words:
    """Another language's default words (the report's own vocabulary is in its language)."""
    return resolve(Vocabulary(), catalogue(language))


def _key(text: str) -> str:
    """Headers compared without case, accents, extra spaces or a trailing colon, and
    with straight apostrophes ("jusqu’au" is "jusqu'au")."""
    text = fold(str(text)).replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip().rstrip(":*").strip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def known_fields() -> set[str]:
    """Every field a column may hold, for checking ``import: columns:`` in report.yaml."""
    fields = {column.field for table in TABLES for column in columns_of(table)}
    return fields | {table.key for table in TABLES}
