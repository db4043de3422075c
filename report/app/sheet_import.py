"""``report import``: the coalition's spreadsheet back into the data files, or nothing.

The data must be valid before (a sheet is merged into data the builder understands);
the sheet is read and checked whole, every problem listed on its cell; the changed
entries are written into the YAML in place (``yaml_edit.py``: comments, order and fields
the sheet does not hold are kept), and the result is read again by the data stage
itself, in a scratch copy of the content folder, so that what is written always builds.
Only then are the changed files replaced, together and atomically. A sheet that changes
nothing writes nothing: the files keep their bytes.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from report.app.yaml_edit import Written, dumped, new_item, read_written, set_value
from report.errors import DataError, Problem, ReportError, display_path, raise_if_any
from report.output.files import write_together
from report.sources.aliases import data_words
from report.sources.cells import report_names, same
from report.sources.columns import TABLE_BY_NAME, TABLES, Headers, translation_languages
from report.sources.config import CONFIG_FILE, Config, load_config
from report.sources.files import load_yaml
from report.sources.sheet_rows import (
    Context,
    TableRows,
    check_entries,
    children_of,
    known_from,
    read_tables,
)
from report.sources.sheets import read_sheets
from report.sources.validate import load_data

logger = logging.getLogger(__name__)


@dataclass
class Imported:
    """What an import changed, for the summary line."""

    changed: dict[str, list[Any]] = field(default_factory=dict)  # table -> keys changed
    files: list[Path] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(keys) for keys in self.changed.values())


def import_sheet(sheet: Path, content_dir: Path, dry_run: bool = False) -> Imported:
    """Merge the sheet into the content folder's data; raise with every problem."""
    config = load_config(content_dir)
    data = load_data(content_dir, config, notes=False)
    written = read_written(content_dir, data_words(config.vocabulary))
    context = _context(content_dir, config, data, written)
    tables, problems = read_tables(Path(display_path(sheet)), read_sheets(sheet), context)
    problems += check_entries(tables, context)
    raise_if_any(sorted(problems, key=lambda p: (str(p.path), p.line or 0)), DataError)
    imported = Imported()
    for rows in tables:
        _apply(rows, written, imported)
    texts = {
        path: dumped(written.documents[path], written.texts[path])
        for path in sorted(set(imported.files))
    }
    imported.files = [path for path, text in texts.items() if text != written.texts[path]]
    _check_result(content_dir, {path: texts[path] for path in imported.files})
    if not dry_run:
        write_together([(path, texts[path].encode("utf-8")) for path in imported.files])
    return imported


def _context(content_dir: Path, config: Config, data: Any, written: Written) -> Context:
    raw = load_yaml(content_dir / CONFIG_FILE)
    current = {section: written.plain(section) for section in written.entries}
    entries = [entry for section in current.values() for entry in section.values()]
    languages = sorted(
        set(config.languages - {config.catalogue.base})
        | {code for table in TABLES for code in translation_languages(entries, table, "")}
    )
    return Context(
        headers=Headers(config.catalogue, config.words, config.import_.columns),
        names=report_names(config, data, raw.get("statuses") if isinstance(raw, dict) else None),
        current=current,
        known=known_from(data, config),
        languages=[code for code in languages if code != config.catalogue.base],
    )


def _apply(rows: TableRows, written: Written, imported: Imported) -> None:
    """Write what the sheet changes into the round-trip documents."""
    table = rows.table
    entries = written.entries.get(table.section, {})
    order = list(table.model.model_fields)
    if table.parent:
        grouped = children_of(rows)
        for key, (path, entry) in entries.items():
            if _apply_children(written, entry, grouped.get(key, []), rows, order):
                _changed(imported, table.name, key, path)
        return
    for _, key, values in rows.rows:
        path, entry = entries[key]
        if _apply_fields(written, table.section, entry, values, order, table):
            _changed(imported, table.name, key, path)


def _changed(imported: Imported, table: str, key: Any, path: Path) -> None:
    imported.changed.setdefault(table, []).append(key)
    imported.files.append(path)


def _apply_fields(
    written: Written, section: str, entry: Any, values: dict, order: list[str], table: Any
) -> bool:
    changed = False
    for name, value in values.items():
        if name == table.key and table.parent:
            continue
        key = written.key_in(section, entry, name)
        if same(entry.get(key), value):
            continue
        field_info = table.model.model_fields.get(name)
        keep = bool(field_info and field_info.is_required()) or (
            isinstance(value, list) and not table.parent and written.writes_empty(section, name)
        )
        set_value(entry, key, value, order, keep)
        changed = True
    return changed


def _apply_children(
    written: Written, entry: Any, items: list[tuple[int, dict]], rows: TableRows, order: list
) -> bool:
    """The entry's list (its evidence...) becomes the sheet's rows for it, item by item:
    an unchanged item is left as written, a changed one edited in place."""
    table = rows.table
    key = written.key_in(table.section, entry, table.parent)
    old = entry.get(key) or []
    if not items and not old:
        return False
    if not items:
        del entry[key]
        return True
    changed = False
    for position, (_, values) in enumerate(items):
        values = {k: v for k, v in values.items() if k != table.key}
        if position < len(old):
            changed |= _apply_fields(written, table.section, old[position], values, order, table)
        else:
            item = new_item(values, order)
            if key in entry:
                entry[key].append(item)
            else:
                parent_order = list(TABLE_BY_NAME[table.section].model.model_fields)
                set_value(entry, key, [item], parent_order, False)
            changed = True
    while len(entry[key]) > len(items):
        del entry[key][-1]
        changed = True
    return changed


def _check_result(content_dir: Path, texts: dict[Path, str]) -> None:
    """Read the data as it would be written, in a scratch copy: a sheet cannot leave the
    content folder in a state that does not build (a tally contradicted, say)."""
    if not texts:
        return
    with tempfile.TemporaryDirectory(prefix="report-import-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(content_dir, copy, symlinks=True)
        for path, text in texts.items():
            (copy / path.relative_to(content_dir)).write_text(text, encoding="utf-8")
        try:
            load_data(copy, load_config(copy), notes=False)
        except ReportError as error:
            moved = [_moved(problem, copy, content_dir) for problem in error.problems]
            raise DataError(moved) from None


def _moved(problem: Problem, copy: Path, content_dir: Path) -> Problem:
    """A problem of the scratch copy, said of the file it would be written to."""
    path = Path(problem.path)
    if path.is_relative_to(copy):
        path = content_dir / path.relative_to(copy)
    return replace(problem, path=path, message=f"after the import: {problem.message}")
