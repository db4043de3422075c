"""Stage 2: load the data files into the typed model and check that they agree.

Sections may be split across several files of ``data/``; lists are concatenated, in file
name order. Checks span files: references to axes, bodies and statuses, unique numbers,
and the per-measure statuses against the evaluator's official tally.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from report.errors import DataError, Problem, ReportError, raise_if_any
from report.sources.config import Config, report_missing_translations
from report.sources.files import LocatedDict, load_yaml, locate
from report.sources.model import (
    Action,
    Axis,
    Body,
    Dataset,
    Figure,
    Measure,
    PlanData,
    Recommendation,
    Tally,
)
from report.sources.problems import field_path, problems_from, unknown_value
from report.sources.translate import localize

logger = logging.getLogger(__name__)

DATA_DIR = "data"
LIST_SECTIONS: dict[str, type[BaseModel]] = {
    "axes": Axis,
    "actions": Action,
    "bodies": Body,
    "measures": Measure,
    "recommendations": Recommendation,
    "datasets": Dataset,
    "figures": Figure,
}
SINGLE_SECTIONS: dict[str, type[BaseModel]] = {"tally": Tally}


@dataclass(frozen=True)
class Entry:
    """A validated object with the place it came from, for located cross-file errors."""

    value: Any
    raw: Any
    path: Path
    loc: tuple

    def problem(self, field: str, message: str) -> Problem:
        loc = (*self.loc, field) if field else self.loc
        return Problem(
            self.path,
            message,
            locate(self.raw, loc[len(self.loc) :]) or getattr(self.raw, "line", None),
            field_path(loc),
        )


def data_paths(content_dir: Path) -> list[Path]:
    """The YAML files of ``data/``, in name order."""
    folder = content_dir / DATA_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def load_data(content_dir: Path, config: Config, notes: bool = True) -> PlanData:
    """Read every data file, validate each entry, then check references across files.

    Texts are taken in ``config.language``; the data is written in the language of
    report.yaml, with translations beside the texts (e.g. ``title_en``).
    """
    missing: list[str] = []
    entries, problems = _read_entries(
        data_paths(content_dir), config.language, config.source_language, missing
    )
    raise_if_any(problems, DataError)
    problems = list(_cross_check(entries, config))
    raise_if_any(problems, DataError)
    sections = {name: tuple(e.value for e in entries.get(name, [])) for name in LIST_SECTIONS}
    singles = {name: entries[name][0].value for name in SINGLE_SECTIONS if entries.get(name)}
    data = PlanData(**sections, **singles)
    report_missing_translations(missing, config.language)
    if notes:
        _report_unknown_statuses(data, config)
    return data


def _read_entries(
    paths: list[Path], language: str, source_language: str, missing: list[str]
) -> tuple[dict[str, list[Entry]], list[Problem]]:
    entries: dict[str, list[Entry]] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            raw = load_yaml(path)
        except ReportError as error:
            problems += error.problems
            continue
        if raw is None:
            continue
        if not isinstance(raw, LocatedDict):
            problems.append(Problem(path, "expected sections such as 'measures:' at the top", 1))
            continue
        raw = localize(raw, language, source_language, missing)
        for section, value in raw.items():
            problems += _read_section(section, value, raw, path, entries)
    return entries, problems


def _read_section(
    section: str, value: Any, raw: LocatedDict, path: Path, entries: dict[str, list[Entry]]
) -> list[Problem]:
    line = raw.key_lines[section]
    if section in SINGLE_SECTIONS:
        if entries.get(section):
            first = entries[section][0]
            return [
                Problem(
                    path,
                    (f"'{section}' is already defined in {first.path.name}; keep only one"),
                    line,
                    section,
                )
            ]
        items: list[tuple[tuple, Any]] = [((section,), value)]
    elif section in LIST_SECTIONS:
        if not isinstance(value, list):
            return [Problem(path, "expected a list (lines starting with '- ')", line, section)]
        items = [((section, index), item) for index, item in enumerate(value)]
    else:
        allowed = [*LIST_SECTIONS, *SINGLE_SECTIONS]
        return [Problem(path, unknown_value(section, allowed, "section"), line, section)]
    model = {**LIST_SECTIONS, **SINGLE_SECTIONS}[section]
    problems = []
    for loc, item in items:
        try:
            entries.setdefault(section, []).append(
                Entry(model.model_validate(item), item, path, loc)
            )
        except ValidationError as error:
            problems += problems_from(error, item, path, model, prefix=loc)
    return problems


def _cross_check(entries: dict[str, list[Entry]], config: Config) -> Iterator[Problem]:
    keys = {
        name: {e.value.key for e in entries.get(name, [])}
        for name in ("axes", "actions", "bodies", "datasets")
    }
    statuses = [status.key for status in config.statuses]
    yield from _duplicates(entries.get("measures", []), "number", "measure number")
    yield from _duplicates(entries.get("recommendations", []), "id", "recommendation id")
    for name, noun in (
        ("axes", "axis"),
        ("actions", "action"),
        ("bodies", "body"),
        ("datasets", "dataset"),
    ):
        yield from _duplicates(entries.get(name, []), "key", f"{noun} key")
    for entry in entries.get("actions", []):
        yield from _reference(entry, "axis", entry.value.axis, keys["axes"], "axis")
    for entry in entries.get("measures", []):
        yield from _check_measure(entry, keys, statuses)
    measure_numbers = {e.value.number for e in entries.get("measures", [])}
    for entry in entries.get("recommendations", []):
        for index, key in enumerate(entry.value.addressees):
            yield from _reference(entry, ("addressees", index), key, keys["bodies"], "body")
        for index, number in enumerate(entry.value.measures):
            yield from _reference(entry, ("measures", index), number, measure_numbers, "measure")
    for entry in entries.get("figures", []):
        if entry.value.dataset is not None:
            yield from _reference(
                entry, "dataset", entry.value.dataset, keys["datasets"], "dataset"
            )
    yield from _check_tally(entries, statuses, config)


def _check_measure(entry: Entry, keys: dict[str, set], statuses: list[str]) -> Iterator[Problem]:
    measure: Measure = entry.value
    yield from _reference(entry, "status", measure.status, statuses, "status")
    yield from _reference(entry, "axis", measure.axis, keys["axes"], "axis")
    if measure.action is not None:
        yield from _reference(entry, "action", measure.action, keys["actions"], "action")
    for field in ("lead", "partners"):
        for index, key in enumerate(getattr(measure, field)):
            yield from _reference(entry, (field, index), key, keys["bodies"], "body")


def _reference(
    entry: Entry, field: str | tuple, value: Any, allowed: Any, what: str
) -> Iterator[Problem]:
    if value in allowed:
        return
    loc = field if isinstance(field, tuple) else (field,)
    choices = allowed if isinstance(allowed, list) else sorted(allowed, key=str)
    message = unknown_value(value, [str(choice) for choice in choices], what)
    line = locate(entry.raw, loc) or getattr(entry.raw, "line", None)
    yield Problem(entry.path, message, line, field_path((*entry.loc, *loc)))


def _duplicates(entries: list[Entry], field: str, what: str) -> Iterator[Problem]:
    first_seen: dict[Any, Entry] = {}
    for entry in entries:
        value = getattr(entry.value, field)
        if value in first_seen:
            first = first_seen[value]
            where = f"{first.path.name}:{locate(first.raw, (field,))}"
            yield entry.problem(
                field, f"{what} {value!r} is already used ({where}); each must be unique"
            )
        else:
            first_seen[value] = entry


def _check_tally(
    entries: dict[str, list[Entry]], statuses: list[str], config: Config
) -> Iterator[Problem]:
    """Per-measure statuses may be incomplete, but must never contradict the official tally."""
    if not entries.get("tally"):
        return
    entry = entries["tally"][0]
    tally: Tally = entry.value
    for key in tally.counts:
        yield from _reference(entry, ("counts", key), key, statuses, "status")
    measures = [e.value for e in entries.get("measures", [])]
    used = Counter(measure.status for measure in measures)
    for status in config.statuses:
        if status.category == "unknown":
            continue
        allowed = tally.counts.get(status.key, 0)
        if used[status.key] > allowed:
            yield entry.problem(
                "counts",
                (
                    f"{used[status.key]} measures are marked '{status.key}' but the official "
                    f"tally allows {allowed}; correct the measures or the tally"
                ),
            )
    if measures and tally.total != len(measures):
        yield entry.problem(
            "counts",
            (
                f"the tally counts {tally.total} measures but the data holds {len(measures)}; "
                "add the missing measures (status unknown if need be) or correct the tally"
            ),
        )


def _report_unknown_statuses(data: PlanData, config: Config) -> None:
    unknown = [m.number for m in data.measures if config.status(m.status).category == "unknown"]
    if unknown:
        logger.info(
            "%d of %d measures have no documented status: %s",
            len(unknown),
            len(data.measures),
            compress_numbers(unknown),
        )


def compress_numbers(numbers: list[int]) -> str:
    """Write ``[1, 2, 3, 7]`` as ``1-3, 7``: readable lists of measure numbers."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)
