"""``report export``: the data as a spreadsheet to share, or as JSON for programs.

The data is checked first (an export of data that does not build would travel), then
each table (``sources/columns.py``) is written from the files as their authors wrote
them, translations included (``title_en`` is the column "Intitulé (en)"), so that
``report import`` of the file, unchanged, changes nothing. The output name must end
with its format's extension: an export can never overwrite a data file or report.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report.app.yaml_edit import Written, read_written
from report.errors import Problem, ReportError
from report.output.files import write_atomically
from report.output.sheets import FORMATS, SheetTable, csv_bytes, json_bytes, xlsx_bytes
from report.sources.aliases import data_words
from report.sources.cells import Names, report_names, to_cell
from report.sources.columns import TABLES, Headers, Table, columns_of, translation_languages
from report.sources.config import CONFIG_FILE, Config, load_config
from report.sources.files import load_yaml
from report.sources.validate import load_data


@dataclass(frozen=True)
class Exported:
    """What an export wrote, for the summary line."""

    path: Path
    tables: dict[str, int]  # sheet name -> rows


def export_data(content_dir: Path, output: Path, format: str | None = None) -> Exported:
    """Write the content folder's data to ``output`` as csv, xlsx or json."""
    payload, counts = data_bytes(content_dir, _format(output, format))
    write_atomically(output, payload)
    return Exported(output, counts)


def data_bytes(content_dir: Path, format: str) -> tuple[bytes, dict[str, int]]:
    """The data as one file's bytes (csv, xlsx or json), and the rows of each table."""
    return data_files(content_dir, (format,))[format]


def data_files(
    content_dir: Path, formats: tuple[str, ...] = FORMATS
) -> dict[str, tuple[bytes, dict[str, int]]]:
    """The data in each format, read once: what ``report export`` writes and what the
    web edition offers to download."""
    config = load_config(content_dir)
    data = load_data(content_dir, config, notes=False)
    written = read_written(content_dir, data_words(config.vocabulary))
    files = {}
    if "json" in formats:
        counts = {
            name: len(value) for name, value in written.sections.items() if isinstance(value, list)
        }
        files["json"] = (json_bytes(written.sections), counts)
    if {"csv", "xlsx"} & set(formats):
        raw = load_yaml(content_dir / CONFIG_FILE)
        statuses = raw.get("statuses") if isinstance(raw, dict) else None
        tables = sheet_tables(written, config, report_names(config, data, statuses))
        if "csv" in formats:
            files["csv"] = (csv_bytes(tables[0]), {tables[0].name: len(tables[0].rows)})
        if "xlsx" in formats:
            files["xlsx"] = (xlsx_bytes(tables), {table.name: len(table.rows) for table in tables})
    return files


def _format(output: Path, format: str | None) -> str:
    """The format asked for, or the output's extension; the two must agree."""
    suffix = output.suffix.lower().lstrip(".")
    chosen = format or suffix
    if chosen not in FORMATS:
        message = f"unknown format '{chosen}'; give --format csv, xlsx or json"
        raise ReportError(Problem(output, message))
    if suffix != chosen:
        message = f"a {chosen} file's name ends with .{chosen}; rename it, e.g. mesures.{chosen}"
        raise ReportError(Problem(output, message))
    if output.is_dir():
        raise ReportError(Problem(output, "is a folder; give a file name, e.g. mesures.xlsx"))
    return chosen


def sheet_tables(written: Written, config: Config, names: Names) -> list[SheetTable]:
    """The measures' table first, then every other table the data has entries for."""
    headers = Headers(config.catalogue, config.words, {})
    source = config.catalogue.base
    tables = []
    for table in TABLES:
        entries = list(written.plain(table.section).values())
        if not entries and table.name != "measures":
            continue
        items = _items(table, written, entries)
        languages = translation_languages([item for _, item in items], table, source)
        columns = [
            column
            for column in columns_of(table, languages)
            if not column.language or any(item.get(column.field) for _, item in items)
        ]
        rows = [
            [to_cell(_value(item, column.field, key, table), column, names) for column in columns]
            for key, item in items
        ]
        header_row = [headers.header(column) for column in columns]
        tables.append(SheetTable(headers.table_name(table), header_row, rows))
    return tables


def _items(table: Table, written: Written, entries: list[dict]) -> list[tuple[Any, dict]]:
    """(key, entry) for a table; (key of the parent, item) for a child table."""
    if not table.parent:
        return [(entry.get(table.key), entry) for entry in entries]
    return [
        (entry.get(table.key), item)
        for entry in entries
        for item in entry.get(table.parent) or []
        if isinstance(item, dict)
    ]


def _value(item: dict, name: str, key: Any, table: Table) -> Any:
    return key if table.parent and name == table.key else item.get(name)
