"""Spreadsheets written: the data's tables as CSV, XLSX or JSON bytes.

What ``report export`` hands to the coalition. CSV is UTF-8 with a byte order mark, so
Excel reads the accents, and holds one table; XLSX holds a sheet per table, headers in
bold and frozen, dates as dates, each list one item per line of its cell; JSON is the
data itself, for programs. The bytes depend only on the data (the workbook's dates are
fixed), so exporting twice gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

FORMATS = ("csv", "xlsx", "json")
FIXED_TIME = dt.datetime(2000, 1, 1)  # the workbook's creation date: same data, same bytes
MAX_WIDTH = 60  # characters: a long comment wraps in its cell instead of a wide column


@dataclass(frozen=True)
class SheetTable:
    """One sheet: its name, its header row and its rows of cell values."""

    name: str
    headers: list[str]
    rows: list[list[Any]]


def csv_bytes(table: SheetTable) -> bytes:
    """One table as CSV: comma-separated, every cell as text, dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([[_csv_cell(cell) for cell in row] for row in table.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def xlsx_bytes(tables: list[SheetTable]) -> bytes:
    """A workbook with a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.name))
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        _format_cells(sheet, Alignment(wrap_text=True, vertical="top"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _format_cells(sheet: Any, wrapped: Any) -> None:
    """Dates shown YYYY-MM-DD, cells of several lines wrapped, columns as wide as their
    text (up to MAX_WIDTH)."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            text = "" if cell.value is None else str(cell.value)
            if "\n" in text or len(text) > MAX_WIDTH:
                cell.alignment = wrapped
            longest = max((len(line) for line in text.split("\n")), default=0)
            widths[cell.column_letter] = max(widths.get(cell.column_letter, 8), longest + 2)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = min(width, MAX_WIDTH)


def _sheet_name(name: str) -> str:
    """Excel's rules: 31 characters at most, none of []:*?/\\."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31]


def _fixed_zip_times(payload: bytes) -> bytes:
    """The same workbook twice gives the same bytes: every member dated FIXED_TIME."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            member = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl dates it when it saves
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                member = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, member)
            target.writestr(fixed, member)
    return buffer.getvalue()


def json_bytes(document: dict[str, Any]) -> bytes:
    """The data as JSON: dates as YYYY-MM-DD, text as written (UTF-8, not escaped)."""
    text = json.dumps(document, ensure_ascii=False, indent=2, default=_json_value)
    return (text + "\n").encode("utf-8")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
