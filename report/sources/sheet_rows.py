"""A spreadsheet read as changes to the data, every problem located on its cell.

Each sheet is matched to a table (``columns.py``), each header to a column, each row to
the entry its key names; the cells become YAML values (``cells.py``), merged into what
the YAML says of the entry, then checked by the data model itself, so a sheet is held to
exactly the rules a data file is. Every problem is one line, ``sheet:row: Column: what is
wrong (how to fix)``; they are all collected before anything is decided.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from report.errors import Problem
from report.sources.cells import CellError, Names, check_status, from_cell
from report.sources.columns import IGNORE, TABLE_BY_NAME, Column, Headers, Table, columns_of
from report.sources.config import Config
from report.sources.model import PlanData
from report.sources.problems import problems_from, suggest
from report.sources.references import Known
from report.sources.sheets import Row, Sheet
from report.sources.translate import SUFFIXED, TRANSLATABLE
from report.sources.validate import REFERENCE_KEYS

logger = logging.getLogger(__name__)


@dataclass
class TableRows:
    """What one sheet says: the columns it holds and, for each row, the entry's values."""

    table: Table
    where: str  # how problems name the sheet: the file, or file[sheet]
    columns: dict[str, Column] = field(default_factory=dict)  # header -> column
    rows: list[tuple[int, Any, dict[str, Any]]] = field(default_factory=list)

    def header(self, name: str) -> str:
        """The sheet's own header for a field (problems quote what the author sees)."""
        return next((h for h, c in self.columns.items() if c.field == name), name)


@dataclass(frozen=True)
class Context:
    """What reading a sheet needs: the names, the data as written, what exists."""

    headers: Headers
    names: Names
    current: dict[str, dict[Any, dict]]  # section -> key -> entry as written (builder names)
    known: Known
    languages: list[str]  # languages texts may be translated into (besides the source)


def read_tables(path: Path, sheets: list[Sheet], context: Context) -> tuple[list, list]:
    """Every sheet as ``TableRows``, and every problem found in any of them."""
    tables: list[TableRows] = []
    problems: list[Problem] = []
    for sheet in sheets:
        table = context.headers.find_table(sheet.name)
        if table is None and len(sheets) == 1:
            table = TABLE_BY_NAME["measures"]
        if table is None:
            logger.info("%s: sheet '%s' is no table of the report: not imported", path, sheet.name)
            continue
        where = str(path) if len(sheets) == 1 else f"{path}[{sheet.name}]"
        rows = TableRows(table, where)
        problems += _read_headers(sheet, rows, context)
        if not any(p.line == sheet.header_row and p.path == where for p in problems):
            problems += _read_rows(sheet, rows, context)
        tables.append(rows)
    if not tables and sheets:
        names = ", ".join(f"'{sheet.name}'" for sheet in sheets)
        problems.append(
            Problem(path, f"no sheet is a table of the report ({names}); name one 'Mesures'")
        )
    return tables, problems


def known_from(data: PlanData, config: Config) -> Known:
    """What the sheet's references may name: the statuses and the validated data."""
    known = Known()
    for status in config.statuses:
        known.add("statuses", status.key, status)
    for section, key in REFERENCE_KEYS.items():
        for entry in getattr(data, section):
            known.add(section, getattr(entry, key), entry)
    return known


def _read_headers(sheet: Sheet, rows: TableRows, context: Context) -> list[Problem]:
    available = columns_of(rows.table, context.languages)
    problems = []
    seen: dict[str, str] = {}
    for header in sheet.headers:
        found = context.headers.find_column(header, available) if header else None
        line, where = sheet.header_row, rows.where
        if found is None:
            known = [context.headers.header(column) for column in available]
            message = (
                f"unknown column (known: {', '.join(known)}{suggest(header, known)}); rename "
                "it, or map it in report.yaml (import: columns:), to 'ignore' to skip it"
            )
            problems.append(Problem(where, message, line, header or "(no header)"))
        elif found != IGNORE and found.field in seen:
            message = f"the same column as '{seen[found.field]}'; keep one of them"
            problems.append(Problem(where, message, line, header))
        elif found != IGNORE:
            seen[found.field] = header
            rows.columns[header] = found
    if rows.table.key not in seen and not problems:
        key = context.headers.header(Column(rows.table.key, "text"))
        message = f"no '{key}' column: each row must say which entry it is; add it"
        problems.append(Problem(rows.where, message, sheet.header_row))
    return problems


def _read_rows(sheet: Sheet, rows: TableRows, context: Context) -> list[Problem]:
    problems: list[Problem] = []
    first_row: dict[Any, int] = {}
    for row in sheet.rows:
        values, found = _values(sheet, row, rows, context)
        problems += found
        key = values.get(rows.table.key)
        key_header = rows.header(rows.table.key)
        if found and key is None:
            continue
        problem = _check_key(rows, key, row.number, first_row, context)
        if problem:
            problems.append(Problem(rows.where, problem, row.number, key_header))
            continue
        first_row.setdefault(key, row.number)
        if not found:
            rows.rows.append((row.number, key, values))
    return problems


def _values(
    sheet: Sheet, row: Row, rows: TableRows, context: Context
) -> tuple[dict[str, Any], list[Problem]]:
    values: dict[str, Any] = {}
    problems = []
    for index, header in enumerate(sheet.headers):
        column = rows.columns.get(header)
        if column is None:
            continue
        cell = row.cells[index] if index < len(row.cells) else None
        try:
            value = from_cell(cell, column, context.names)
        except CellError as error:
            problems.append(Problem(rows.where, str(error), row.number, header))
            continue
        message = _vocabulary(value, column, context)
        if message:
            problems.append(Problem(rows.where, message, row.number, header))
            continue
        values[column.field] = value
    return values, problems


def _vocabulary(value: Any, column: Column, context: Context) -> str | None:
    if column.target == "statuses" and value is not None:
        return check_status(value, context.names)
    return None


def _check_key(
    rows: TableRows, key: Any, number: int, first_row: dict[Any, int], context: Context
) -> str | None:
    table = rows.table
    noun = _noun(table)
    if key is None or key == "":
        return f"empty: say which {noun} this row is about"
    if not table.parent and key in first_row:
        return f"{noun} {key} is already on row {first_row[key]}; keep one row per {noun}"
    if key not in context.current.get(table.section, {}):
        return (
            f"no {noun} {key} in the data; add it to the data files first, or fix the "
            f"{rows.header(table.key)}"
        )
    return None


NOUNS = {
    "measures": "measure",
    "recommendations": "recommendation",
    "datasets": "dataset",
    "axes": "axis",
    "actions": "action",
    "bodies": "body",
}


def _noun(table: Table) -> str:
    return NOUNS[table.section]


def check_entries(tables: list[TableRows], context: Context) -> list[Problem]:
    """Each changed entry, as it would be written, checked by the data model."""
    problems = []
    for rows in tables:
        if rows.table.parent:
            problems += _check_children(rows, context)
            continue
        for number, key, values in rows.rows:
            entry = {**context.current[rows.table.section][key], **values}
            problems += _validated(rows, rows.table, entry, number, context)
    return problems


def _check_children(rows: TableRows, context: Context) -> list[Problem]:
    problems = []
    for key, items in children_of(rows).items():
        old = context.current[rows.table.section][key].get(rows.table.parent) or []
        for position, (number, values) in enumerate(items):
            base = old[position] if position < len(old) and isinstance(old[position], dict) else {}
            item = {k: v for k, v in {**base, **values}.items() if k != rows.table.key}
            problems += _validated(rows, rows.table, item, number, context)
    return problems


def children_of(rows: TableRows) -> dict[Any, list[tuple[int, dict[str, Any]]]]:
    """A child sheet's rows by the entry they belong to, in sheet order."""
    grouped: dict[Any, list[tuple[int, dict[str, Any]]]] = {}
    for number, key, values in rows.rows:
        grouped.setdefault(key, []).append((number, values))
    return grouped


def _validated(
    rows: TableRows, table: Table, entry: dict, number: int, context: Context
) -> list[Problem]:
    """The model's problems with the entry, each on its row and column."""
    plain = {
        key: _untranslated(value)
        for key, value in entry.items()
        if _is_field(key, table) and _written(key, value, table)
    }
    try:
        table.model.model_validate(plain, context={"known": context.known})
    except ValidationError as error:
        found = problems_from(error, plain, Path(rows.where), table.model)
        return [
            replace(
                p,
                path=rows.where,
                line=number,
                field=rows.header(_field(p.field)),
                message=EMPTY if p.message == MISSING else p.message,
            )
            for p in found
        ]
    return []


MISSING = "is required; add it"
EMPTY = "is empty; fill it in"


def _is_field(key: str, table: Table) -> bool:
    """The model's own fields: translations are checked as texts, by their cells."""
    return key in table.model.model_fields


def _untranslated(value: Any) -> Any:
    """A list of items (a dataset's points) without their translations (``note_en``),
    as the data stage validates them."""
    if isinstance(value, dict):
        return {
            k: _untranslated(v)
            for k, v in value.items()
            if not (SUFFIXED.match(str(k)) and SUFFIXED.match(str(k))["base"] in TRANSLATABLE)
        }
    if isinstance(value, list):
        return [_untranslated(item) for item in value]
    return value


def _written(key: str, value: Any, table: Table) -> bool:
    """An empty cell leaves the field out (its default applies; a required one is then
    reported empty), except where the model takes null itself (a point's unknown value)."""
    if value is not None and value != "":
        return True
    annotation = table.model.model_fields[key].annotation
    return value is None and type(None) in get_args(annotation)


def _field(path: str | None) -> str:
    return (path or "").split(".")[0].split("[")[0]
