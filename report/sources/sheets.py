"""Read a coalition's spreadsheet (.csv, .xlsx, .ods) into rows of cells with their place.

Associations fill in their measures in whatever their office runs: Excel, LibreOffice,
a CSV saved by French Excel (semicolons, a byte order mark). Every format becomes the
same ``Sheet``: a name, the header row, and each following row with the number a
spreadsheet shows beside it, so a problem reads ``mesures.xlsx:12: Statut: ...``.
python-calamine reads both workbook formats (and is fast); the csv module reads CSV, its
separator guessed from the header row. Only values are read, never formulas or macros.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.errors import Problem, SourceError
from report.sources.files import MAX_BYTES

SHEET_FORMATS = (".csv", ".xlsx", ".ods", ".xlsm", ".xls")  # calamine reads old Excel too
MAX_ROWS = 100_000  # a plan has hundreds of measures; more is not a plan's sheet


@dataclass(frozen=True)
class Row:
    """One row under the header: its number as the spreadsheet shows it, and its cells."""

    number: int
    cells: tuple[Any, ...]

    @property
    def blank(self) -> bool:
        return all(cell is None or str(cell).strip() == "" for cell in self.cells)


@dataclass(frozen=True)
class Sheet:
    """A sheet of a workbook (a CSV file is one sheet, named after the file)."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    header_row: int = 1


def read_sheets(path: Path) -> list[Sheet]:
    """Every non-empty sheet of the file; an unreadable file is one located line."""
    suffix = path.suffix.lower()
    if suffix not in SHEET_FORMATS:
        raise SourceError(Problem(path, "not a spreadsheet; give a .xlsx, .ods or .csv file"))
    payload = _read_bytes(path)
    if suffix == ".csv":
        return [_sheet(path.stem, _csv_rows(payload, path))]
    return [sheet for sheet in _workbook(payload, path) if sheet.headers]


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SourceError(
                Problem(path, f"larger than {MAX_BYTES // 10**6} MB; this is not a plan's sheet")
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(Problem(path, "file not found; check the name")) from None
    except IsADirectoryError:
        raise SourceError(Problem(path, "is a folder; give the spreadsheet file")) from None
    except OSError as error:
        raise SourceError(Problem(path, f"cannot be read ({error.strerror})")) from None


def _csv_rows(payload: bytes, path: Path) -> list[list[Any]]:
    """UTF-8 with or without a byte order mark; comma or semicolon (French Excel), as the
    header row says; a cell may hold several lines."""
    try:
        text = payload.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise SourceError(
            Problem(
                path,
                "is not UTF-8; save it as 'CSV UTF-8' (Excel) or with the UTF-8 character set",
            )
        ) from None
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise SourceError(Problem(path, f"is not a readable CSV file ({error})")) from None


def _workbook(payload: bytes, path: Path) -> list[Sheet]:
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(io.BytesIO(payload))
        return [
            _sheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except (CalamineError, ValueError, OSError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SourceError(
            Problem(path, f"cannot be read as a spreadsheet ({reason}); save it again as .xlsx")
        ) from None


def _sheet(name: str, rows: list[list[Any]]) -> Sheet:
    """The first non-empty row is the header; rows are numbered as the spreadsheet does."""
    rows = rows[:MAX_ROWS]
    start = next((i for i, row in enumerate(rows) if any(_cell(c) is not None for c in row)), 0)
    headers = tuple(str(_cell(c) or "").strip() for c in rows[start]) if rows else ()
    while headers and not headers[-1]:
        headers = headers[:-1]
    body = tuple(
        Row(start + index + 2, tuple(_cell(cell) for cell in row))
        for index, row in enumerate(rows[start + 1 :])
    )
    return Sheet(name, headers, tuple(row for row in body if not row.blank), start + 1)


def _cell(value: Any) -> Any:
    """Empty cells as None, whole numbers as int (workbooks store 12 as 12.0), dates
    without a time of day as dates."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value
