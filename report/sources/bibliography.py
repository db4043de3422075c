"""Sources as data: the bibliography file, in CSL YAML as Pandoc and Quarto write it.

``bibliography.yaml`` (the name is ``bibliography:`` in report.yaml) lists the documents
the report cites: issuing body or authors, title, identifier (an avis number, a JORF
reference, an ISBN), dates, the official address (``URL``) and, when only a copy was
found, the address of the copy consulted (``copy-url``). Each entry is checked like every
other data: located lines, unknown keys with suggestions, addresses that are web
addresses. Chapters cite entries with ``[@key, p. 12]``; ``compose/citations.py``
formats them with citeproc-py.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from report.errors import DataError, Problem, ReportError, raise_if_any
from report.sources.config import Config
from report.sources.dates import PartialDate, date_parts
from report.sources.files import LocatedDict, LocatedList, load_yaml, parse_yaml, read_text
from report.sources.paths import checked
from report.sources.problems import problems_from, suggest, unknown_value
from report.sources.strict import Strict
from report.sources.translate import localize

# A citation key, as Pandoc reads one: it ends with a letter, a digit or a symbol other
# than '.' and ':', so "[@key]." and "@key:" leave the punctuation outside the key.
KEY = r"[\w:.#$%&+?<>~/-]*[\w#$%&+?<>~/-]"
CSL_TYPES = (
    "report",
    "legislation",
    "legal_case",
    "bill",
    "book",
    "chapter",
    "article-journal",
    "article-newspaper",
    "article-magazine",
    "webpage",
    "post-weblog",
    "document",
    "dataset",
    "speech",
    "interview",
    "pamphlet",
    "manuscript",
    "thesis",
    "treaty",
    "regulation",
    "standard",
    "hearing",
    "personal_communication",
    "entry-encyclopedia",
)


# Other variables of CSL 1.0.2 that reference managers export (Zotero, Pandoc): accepted
# as written and handed to the style, which prints those it knows (page, volume...).
CSL_NAMES = frozenset(
    [
        "editor",
        "translator",
        "container-author",
        "collection-editor",
        "director",
        "interviewer",
        "recipient",
        "reviewed-author",
        "composer",
        "illustrator",
        "original-author",
        "editorial-director",
    ]
)
CSL_DATES = frozenset(["container", "event-date", "original-date", "submitted", "available-date"])
CSL_VARIABLES = (
    CSL_NAMES
    | CSL_DATES
    | frozenset(
        [
            "abstract",
            "annote",
            "archive",
            "archive_location",
            "archive-place",
            "authority",
            "call-number",
            "chapter-number",
            "citation-key",
            "citation-label",
            "collection-number",
            "container-title-short",
            "dimensions",
            "DOI",
            "edition",
            "event",
            "event-place",
            "event-title",
            "ISBN",
            "ISSN",
            "issue",
            "jurisdiction",
            "keyword",
            "medium",
            "number-of-pages",
            "number-of-volumes",
            "original-publisher",
            "original-publisher-place",
            "original-title",
            "page",
            "page-first",
            "PMCID",
            "PMID",
            "publisher-place",
            "references",
            "reviewed-title",
            "scale",
            "section",
            "source",
            "status",
            "version",
            "volume",
            "volume-title",
        ]
    )
)


def csl_date(value: Any) -> Any:
    """A CSL JSON date ({'date-parts': [[2023, 1, 12]]}) or Zotero's YAML one (a list of
    {year, month, day}) as the date forms the builder reads: 2023-01-12, 2023-01, 2023."""
    if isinstance(value, dict) and isinstance(value.get("date-parts"), list):
        parts = value["date-parts"][0] if value["date-parts"] else []
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        parts = [value[0].get(key) for key in ("year", "month", "day")]
    else:
        return value
    parts = [int(part) for part in parts if part not in (None, "")]
    if len(parts) == 3:
        return dt.date(*parts)
    return "-".join(f"{part:02d}" if index else str(part) for index, part in enumerate(parts))


def web_address(value: str) -> str:
    """An address a reader can open: http or https, with a host."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{value}' is not a web address; write it with https://")
    return value


class BibEntry(Strict):
    """One document the report may cite (CSL fields, as in CSL YAML)."""

    # Other CSL variables are kept (extra); keys that are none of them are refused on
    # loading, where their line is known (``unknown_keys``).
    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    id: str = Field(pattern=rf"^{KEY}$", description="Key cited as [@key].")
    type: str = Field(default="document", description="CSL type: report, legislation...")
    author: tuple[str | dict[str, str], ...] = Field(
        default=(), description="Issuing bodies or people (text, or family/given)."
    )
    title: str = Field(description="Exact title.")
    title_short: str = Field(default="", alias="title-short", description="Short title.")
    container_title: str = Field(
        default="", alias="container-title", description="Where it appeared (JORF...)."
    )
    collection_title: str = Field(default="", alias="collection-title", description="Series.")
    genre: str = Field(default="", description="Kind of document: avis, décret, rapport...")
    number: str = Field(default="", description="Identifier: avis number, NOR, ISBN...")
    publisher: str = Field(default="", description="Publisher.")
    issued: PartialDate | None = Field(default=None, description="Date of the document.")
    accessed: dt.date | None = Field(default=None, description="Date consulted.")
    URL: str = Field(default="", description="Official address (http or https).")
    copy_url: str = Field(
        default="", alias="copy-url", description="Address of the copy consulted, if any."
    )
    note: str = Field(default="", description="A note printed after the entry.")
    language: str = Field(default="", description="Its language, when not the report's.")

    _line: int | None = PrivateAttr(default=None)
    _path: Path | None = PrivateAttr(default=None)
    _index: int = PrivateAttr(default=0)
    _field_lines: dict[str, int] = PrivateAttr(default_factory=dict)
    _translated: frozenset[str] = PrivateAttr(default=frozenset())

    @field_validator("type")
    @classmethod
    def _csl_type(cls, value: str) -> str:
        if value not in CSL_TYPES:
            raise ValueError(unknown_value(value, CSL_TYPES, "CSL type"))
        return value

    @field_validator("issued", "accessed", mode="before")
    @classmethod
    def _csl_dates(cls, value: Any) -> Any:
        return csl_date(value)

    @field_validator("URL", "copy_url")
    @classmethod
    def _web(cls, value: str) -> str:
        return web_address(value) if value else value

    @property
    def line(self) -> int | None:
        """Its line in the bibliography file, for warnings."""
        return self._line

    @property
    def translated(self) -> frozenset[str]:
        """The fields given in the edition's language (``note_en``); the others are in the
        language the bibliography is written in."""
        return self._translated

    def problem(self, field: str, message: str) -> Problem:
        """A problem located on one field of this entry, in the bibliography file."""
        line = self._field_lines.get(field, self._line)
        return Problem(self._path or "bibliography", message, line, f"[{self._index}].{field}")

    @property
    def anchor(self) -> str:
        """The HTML id of its bibliography entry, the target of its citations."""
        return "ref-" + re.sub(r"[^\w-]", "-", self.id)

    @property
    def year(self) -> int | None:
        return date_parts(self.issued)[0] if self.issued is not None else None

    def csl(self) -> dict[str, Any]:
        """The entry as CSL JSON, what citeproc-py reads."""
        fields: dict[str, Any] = {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "author": [_name(author) for author in self.author],
        }
        for name, value in (
            ("title-short", self.title_short),
            ("container-title", self.container_title),
            ("collection-title", self.collection_title),
            ("genre", self.genre),
            ("number", self.number),
            ("publisher", self.publisher),
        ):
            if value:
                fields[name] = value
        if self.issued is not None:
            fields["issued"] = {"date-parts": [date_parts(self.issued)]}
        for name, value in (self.model_extra or {}).items():
            fields[name] = _csl_value(name, value)
        return fields


def _csl_value(name: str, value: Any) -> Any:
    """Another CSL variable as citeproc reads it: names as name lists, dates as parts."""
    if name in CSL_NAMES:
        return [_name(item) for item in (value if isinstance(value, list) else [value])]
    if name in CSL_DATES:
        return {"date-parts": [date_parts(csl_date(value))]}
    return value if isinstance(value, int | float) else str(value)


def _name(author: str | dict[str, str]) -> dict[str, str]:
    return {"literal": author} if isinstance(author, str) else dict(author)


def load_bibliography(content_dir: Path, config: Config) -> tuple[BibEntry, ...]:
    """The entries of the bibliography file (none when the report has no such file), in
    the edition's language: a description written ``title_en`` or ``note_en`` beside the
    French replaces it; a document's own title stays in its language, untranslated, and
    no warning lists it."""
    path = content_dir / config.bibliography
    if not path.exists():
        return ()
    try:
        raw = _read(checked(path, content_dir))
    except ReportError as error:
        raise DataError(error.problems) from None
    translated = _translated_fields(raw, config)
    raw = localize(raw, config.language, config.source_language, [], config.languages)
    items = raw.get("references") if isinstance(raw, LocatedDict) else raw
    if not isinstance(items, LocatedList):
        raise DataError(
            Problem(
                path,
                (
                    "expected a list of entries (lines starting with '- '), or 'references:' and "
                    "the list"
                ),
                1,
            )
        )
    entries = _entries(items, path)
    for entry in entries:
        entry._translated = translated.get(entry._index, frozenset())
    return entries


def _translated_fields(raw: Any, config: Config) -> dict[int, frozenset[str]]:
    """For each entry, by its index, the fields it translates into the edition's language
    ("note" for ``note_en``)."""
    language, source = config.language.split("-")[0], config.source_language.split("-")[0]
    items = raw.get("references") if isinstance(raw, dict) else raw
    if language == source or not isinstance(items, list):
        return {}
    suffix = f"_{language}"
    return {
        index: frozenset(str(key).removesuffix(suffix) for key in item if str(key).endswith(suffix))
        for index, item in enumerate(items)
        if isinstance(item, dict)
    }


def unknown_keys(item: Any, index: int, path: Path) -> list[Problem]:
    """Keys that are neither the builder's nor CSL variables: a typo, told on its line."""
    if not isinstance(item, LocatedDict):
        return []
    known = [field.alias or name for name, field in BibEntry.model_fields.items()]
    return [
        Problem(
            path,
            f"unknown key '{key}' (allowed: {', '.join(known)}, or any CSL variable such as "
            f"page, volume, DOI{suggest(key, [*known, *CSL_VARIABLES])})",
            item.key_lines.get(key),
            f"[{index}].{key}",
        )
        for key in item
        if key not in known and key not in BibEntry.model_fields and key not in CSL_VARIABLES
    ]


def _read(path: Path) -> Any:
    """CSL YAML, or CSL JSON (a reference manager's export), read by the same YAML loader
    so every entry keeps its line; JSON never holds a raw tab inside a string, so the tabs
    some exports indent with are spaces to YAML."""
    if path.suffix.lower() == ".json":
        return parse_yaml(read_text(path).replace("\t", "    "), path)
    return load_yaml(path)


def _entries(items: LocatedList, path: Path) -> tuple[BibEntry, ...]:
    entries, problems, seen = [], [], {}
    for index, item in enumerate(items):
        wrong = unknown_keys(item, index, path)
        if wrong:
            problems += wrong
            continue
        try:
            entry = BibEntry.model_validate(item)
        except ValidationError as error:
            problems += problems_from(error, item, path, BibEntry, prefix=(index,))
            continue
        entry._line, entry._path, entry._index = items.item_lines[index], path, index
        if isinstance(item, LocatedDict):
            entry._field_lines = dict(item.key_lines)
        if entry.id in seen:
            problems.append(
                Problem(
                    path,
                    (
                        f"the key '{entry.id}' is already used (line {seen[entry.id]}); each entry "
                        "needs its own"
                    ),
                    entry.line,
                    f"[{index}].id",
                )
            )
        seen[entry.id] = entry.line
        entries.append(entry)
    raise_if_any(problems, DataError)
    return tuple(entries)
