"""The data stage: load the data files into the typed model and check that they agree.

Sections may be split across several files of ``data/``; lists are concatenated, in file
name order. Entries are validated section by section, in the order their references
need (axes and bodies before the actions and measures that name them, measures before
the recommendations that cite them), so each reference is resolved into its object as
it is validated (``references.py``). Then the checks no single entry can make: unique
numbers and keys, and the per-measure statuses against the evaluator's official tally.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from report.errors import DataError, Problem, ReportError, raise_if_any
from report.i18n.catalogue import number_ranges
from report.sources.aliases import DataWords, data_words
from report.sources.bibliography import BibEntry, load_bibliography
from report.sources.config import Config, report_missing_translations
from report.sources.files import LocatedDict, load_yaml, locate
from report.sources.model import (
    Action,
    Assessor,
    Axis,
    Body,
    Dataset,
    Event,
    Figure,
    Measure,
    PlanData,
    Recommendation,
    Tally,
)
from report.sources.paths import checked
from report.sources.problems import field_path, problems_from, unknown_value
from report.sources.references import Known
from report.sources.sourcing import bibliography_warnings, check_cited_keys, data_warnings
from report.sources.timeline import check_histories, check_successors
from report.sources.translate import localize

logger = logging.getLogger(__name__)

DATA_DIR = "data"
SECTIONS: dict[str, type[BaseModel]] = {
    "axes": Axis,
    "assessors": Assessor,
    "actions": Action,
    "bodies": Body,
    "measures": Measure,
    "recommendations": Recommendation,
    "datasets": Dataset,
    "figures": Figure,
    "tally": Tally,
    "chronology": Event,
}
# The order references need: a section only names sections validated before it.
VALIDATION_ORDER = (
    "axes",
    "assessors",
    "bodies",
    "datasets",
    "actions",
    "measures",
    "recommendations",
    "figures",
    "tally",
    "chronology",
)
SINGLE_SECTIONS = frozenset({"tally"})  # one mapping, in one file; the others are lists
# The field by which other entries name an entry of these sections.
REFERENCE_KEYS = {
    "axes": "key",
    "actions": "key",
    "bodies": "key",
    "datasets": "key",
    "measures": "number",
    "assessors": "key",
}
# What must be unique across all files: (section, field, what it is called in messages).
UNIQUE = (
    ("measures", "number", "measure number"),
    ("recommendations", "id", "recommendation id"),
    ("recommendations", "code", "recommendation code"),
    ("axes", "key", "axis key"),
    ("actions", "key", "action key"),
    ("bodies", "key", "body key"),
    ("assessors", "key", "assessor key"),
    ("datasets", "key", "dataset key"),
    ("figures", "id", "figure id"),
)


@dataclass(frozen=True)
class Item:
    """One entry as written, with its place: ``raw`` is the YAML, ``order`` its file's rank,
    so problems are listed in file order whatever the section order, and ``line`` where it
    starts, for an entry written as a plain value (which has no lines of its own)."""

    raw: Any
    path: Path
    loc: tuple
    order: int
    line: int | None = None

    def problem(self, field: str | tuple, message: str) -> Problem:
        """A problem located on ``field`` of this entry (a name or a path of names)."""
        loc = (*self.loc, *(field if isinstance(field, tuple) else (field,)))
        return Problem(self.path, message, locate(self.raw, loc[len(self.loc) :]), field_path(loc))


@dataclass(frozen=True)
class Entry:
    """A validated object and the item it was read from."""

    value: Any
    item: Item


def data_paths(content_dir: Path) -> list[Path]:
    """The YAML files of ``data/``, in name order."""
    folder = content_dir / DATA_DIR
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def load_data(content_dir: Path, config: Config, notes: bool = True) -> PlanData:
    """Read every data file, validate each entry, then check what spans entries.

    Texts are taken in ``config.language``; the data is written in the language of
    report.yaml, with translations beside the texts (e.g. ``title_en``).
    """
    missing: list[str] = []
    aliases = data_words(config.vocabulary)
    items, problems = _read_items(content_dir, config, missing, aliases)
    entries, invalid = _validate(items, config, complete=not problems)
    raise_if_any(_in_their_words(_in_file_order(problems + invalid), aliases), DataError)
    _number_recommendations(entries)
    raise_if_any(_in_their_words(list(_cross_check(entries, config)), aliases), DataError)
    bibliography = load_bibliography(content_dir, config)
    cited = {entry.id: entry for entry in bibliography}
    problems = list(check_cited_keys(entries, cited, config.bibliography))
    raise_if_any(_in_their_words(problems, aliases), DataError)
    data = PlanData(**_sections(entries), bibliography=bibliography)
    report_missing_translations(missing, config.language)
    if notes:
        _report_unknown_statuses(data)
        _warn_about_sources(entries, bibliography, config, aliases)
    return data


def _warn_about_sources(
    entries: dict[str, list[Entry]],
    bibliography: tuple[BibEntry, ...],
    config: Config,
    aliases: DataWords,
) -> None:
    """Sources no reader can open or trust, facts dated after the report (sourcing.py)."""
    found = [
        *data_warnings(entries, config.mirrors, config.date),
        *bibliography_warnings(bibliography, config.mirrors, config.date),
    ]
    in_file_order = sorted(found, key=lambda problem: (str(problem.path), problem.line or 0))
    for problem in _in_their_words(in_file_order, aliases):
        logger.warning("%s", problem)


def _number_recommendations(entries: dict[str, list[Entry]]) -> None:
    """A recommendation without a code is R and its position in the data: R1, R2..."""
    entries["recommendations"] = [
        entry
        if entry.value.code
        else Entry(entry.value.model_copy(update={"code": f"R{position}"}), entry.item)
        for position, entry in enumerate(entries.get("recommendations", []), start=1)
    ]


def _sections(entries: dict[str, list[Entry]]) -> dict[str, Any]:
    """The validated objects by section, ready for ``PlanData``."""
    found: dict[str, Any] = {}
    for section, listed in entries.items():
        values = tuple(entry.value for entry in listed)
        found[section] = values[0] if section in SINGLE_SECTIONS else values
    return found


def _in_file_order(problems: list[tuple[int, Problem]]) -> list[Problem]:
    return [problem for _, problem in sorted(problems, key=lambda p: (p[0], p[1].line or 0))]


def _in_their_words(problems: list[Problem], aliases: DataWords) -> list[Problem]:
    """Field paths as the author wrote them (``commitments[2].theme``)."""
    return [replace(p, field=aliases.authored(p.field)) if p.field else p for p in problems]


def _read_items(
    content_dir: Path, config: Config, missing: list[str], aliases: DataWords
) -> tuple[dict[str, list[Item]], list[tuple[int, Problem]]]:
    """Every entry of every file, by section, in the edition's language and the builder's
    names (a vocabulary's words are aliases, see ``aliases.py``)."""
    items: dict[str, list[Item]] = {}
    problems: list[tuple[int, Problem]] = []
    for order, path in enumerate(data_paths(content_dir)):
        try:
            raw = load_yaml(checked(path, content_dir))
        except ReportError as error:
            problems += [(order, problem) for problem in error.problems]
            continue
        if raw is None:
            continue
        if not isinstance(raw, LocatedDict):
            message = "expected sections such as 'measures:' at the top"
            problems.append((order, Problem(path, message, 1)))
            continue
        raw = localize(raw, config.language, config.source_language, missing, config.languages)
        raw = aliases.canonical(raw)
        for section, value in raw.items():
            problem = _read_section(section, value, Item(raw, path, (), order), items)
            problems += [(order, problem)] if problem else []
    return items, problems


def _read_section(
    section: str, value: Any, file: Item, items: dict[str, list[Item]]
) -> Problem | None:
    """Add the entries of one section of a file (``file.raw``, its top mapping) to ``items``."""
    line = file.raw.key_lines[section]
    if section not in SECTIONS:
        return Problem(file.path, unknown_value(section, list(SECTIONS), "section"), line, section)
    if section in SINGLE_SECTIONS:
        if items.get(section):
            first = items[section][0].path.name
            message = f"'{section}' is already defined in {first}; keep only one"
            return Problem(file.path, message, line, section)
        items[section] = [Item(value, file.path, (section,), file.order, line)]
        return None
    if not isinstance(value, list):
        return Problem(file.path, "expected a list (lines starting with '- ')", line, section)
    listed = items.setdefault(section, [])
    listed += [
        Item(entry, file.path, (section, i), file.order, value.item_lines[i])
        for i, entry in enumerate(value)
    ]
    return None


def _validate(
    items: dict[str, list[Item]], config: Config, complete: bool
) -> tuple[dict[str, list[Entry]], list[tuple[int, Problem]]]:
    """Validate every entry on its own, resolving its references to earlier sections.

    ``complete`` is False when some file or section could not be read: references are then
    resolved where possible but an unknown key is not reported (it may be in that file).
    """
    known = Known(complete=complete)
    for status in config.statuses:
        known.add("statuses", status.key, status)
    entries: dict[str, list[Entry]] = {}
    problems: list[tuple[int, Problem]] = []
    for section in VALIDATION_ORDER:
        model = SECTIONS[section]
        for item in items.get(section, []):
            key = _key_of(section, item.raw)
            try:
                value = model.model_validate(item.raw, context={"known": known})
            except ValidationError as error:
                found = problems_from(error, item.raw, item.path, model, prefix=item.loc)
                problems += [(item.order, replace(p, line=p.line or item.line)) for p in found]
                known.add_broken(section, key)
                continue
            entries.setdefault(section, []).append(Entry(value, item))
            known.add(section, key, value)
    return entries, problems


def _key_of(section: str, raw: Any) -> Any:
    """The key other entries use to name this one (None for sections nobody names, or
    when what is written there cannot be a key, such as a list)."""
    field = REFERENCE_KEYS.get(section)
    key = raw.get(field) if field and isinstance(raw, dict) else None
    return key if isinstance(key, str | int) else None


def _cross_check(entries: dict[str, list[Entry]], config: Config) -> Iterator[Problem]:
    """Unique numbers and keys across files; the tally against the measures."""
    for section, field, what in UNIQUE:
        yield from _duplicates(entries.get(section, []), field, what)
    yield from _check_tally(entries, config)
    yield from check_histories(entries.get("measures", []), config.date)
    yield from check_successors(entries.get("bodies", []))


def _duplicates(entries: list[Entry], field: str, what: str) -> Iterator[Problem]:
    first_seen: dict[Any, Entry] = {}
    for entry in entries:
        value = getattr(entry.value, field)
        if value not in first_seen:
            first_seen[value] = entry
            continue
        first = first_seen[value].item
        where = f"{first.path.name}:{locate(first.raw, (field,))}"
        message = f"{what} {value!r} is already used ({where}); each must be unique"
        yield entry.item.problem(field, message)


def _check_tally(entries: dict[str, list[Entry]], config: Config) -> Iterator[Problem]:
    """Per-measure statuses may be incomplete, but must never contradict the official tally."""
    if not entries.get("tally"):
        return
    entry = entries["tally"][0]
    tally: Tally = entry.value
    statuses = [status.key for status in config.statuses]
    for key in tally.counts:
        if key not in statuses:
            yield entry.item.problem(("counts", key), unknown_value(key, statuses, "status"))
    measures = [e.value for e in entries.get("measures", [])]
    used = Counter(measure.status.key for measure in measures)
    for status in config.statuses:
        allowed = tally.counts.get(status.key, 0)
        if status.category != "unknown" and used[status.key] > allowed:
            yield entry.item.problem(
                "counts",
                (
                    f"{used[status.key]} measures are marked '{status.key}' but the official "
                    f"tally allows {allowed}; correct the measures or the tally"
                ),
            )
    if measures and tally.total != len(measures):
        yield entry.item.problem(
            "counts",
            (
                f"the tally counts {tally.total} measures but the data holds {len(measures)}; "
                "add the missing measures (status unknown if need be) or correct the tally"
            ),
        )


def _report_unknown_statuses(data: PlanData) -> None:
    unknown = [m.number for m in data.measures if m.status.category == "unknown"]
    if unknown:
        logger.info(
            "%d of %d measures have no documented status: %s",
            len(unknown),
            len(data.measures),
            compress_numbers(unknown),
        )


def compress_numbers(numbers: list[int]) -> str:
    """Write ``[1, 2, 3, 7]`` as ``1-3, 7``: readable lists of measure numbers in messages."""
    return ", ".join(
        str(first) if first == last else f"{first}-{last}" for first, last in number_ranges(numbers)
    )
