"""The builder's own words, numbers, dates and typography, one catalogue file a language.

A catalogue (``catalogues/fr.yaml``, ``en.yaml``, ``en-US.yaml``...) holds the words the
builder writes itself (table headers, "Sommaire", "n.d."), the default vocabulary of a
plan (measure, axis...), the form of a cross-reference, the Babel locale for numbers and
dates, and the typographic rules of the language as settings. Adding a language is
adding one file, here or in a content folder's ``languages/`` folder: no Python change.
A regional variant (``en-US``) ``extends`` its language and lists only what differs.
Report text comes from the content folder, never from here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton, get_month_names
from babel.numbers import format_decimal, format_percent
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from report.i18n.spellout import spell

PACKAGE_CATALOGUES = Path(__file__).resolve().parent / "catalogues"
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


class Term(BaseModel):
    """What one kind of entry is called: "mesure", "mesures", feminine."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    singular: str = Field(description="The word for one, e.g. commitment.")
    plural: str = Field(description="The word for several, e.g. commitments.")
    gender: str = Field(default="", description="f, m or n where the language needs it.")

    @property
    def title(self) -> str:
        """The singular as a heading or label starts: "Mesure", "Commitment"."""
        return self.singular[:1].upper() + self.singular[1:]

    @property
    def titles(self) -> str:
        return self.plural[:1].upper() + self.plural[1:]


class Typography(BaseModel):
    """How the language is set in type; each setting is applied to running text only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    narrow_space_before: str = ""
    guillemets: bool = False
    double_quotes: tuple[str, str] | None = None
    single_quotes: tuple[str, str] | None = None
    apostrophe: str = "’"
    space_after_number: bool = False
    percent: str | None = None  # None: the space before % stays as typed
    ranges: str | None = None
    dash: str | None = None
    no_break_after: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    ordinals: tuple[str, ...] = ()


class Catalogue(BaseModel):
    """One language's catalogue, merged with the one it extends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    extends: str | None = None
    locale: str
    terms: dict[str, Term] = {}
    reference: str = "{item} {number}, p. {page}"
    messages: dict[str, str] = {}
    typography: Typography = Typography()
    # The default status vocabulary (report.yaml's statuses: replaces it): key, label,
    # plural, color, category of each, checked by the report's settings.
    statuses: tuple[dict[str, str], ...] = ()

    @property
    def base(self) -> str:
        """The language without its region: the suffix of translated keys (``title_en``)."""
        return self.language.split("-")[0]

    def text(self, key: str) -> str:
        """One of the builder's words; a missing key is a bug in a catalogue, so it raises."""
        return self.messages[key]

    def number(self, value: float) -> str:
        """Numbers written the way the language writes them (2 872 / 2,872)."""
        return format_decimal(value, locale=self.locale)

    def in_words(self, value: float, gender: str = "") -> str:
        """A whole number in words, as correspondence writes counts ("quarante-cinq",
        "vingt et une" with ``gender`` 'f'); in digits when the language has no speller
        or the number is not whole."""
        whole = int(value) if isinstance(value, float) and value.is_integer() else value
        return spell(whole, self.language, gender) or self.number(value)

    def percent(self, share: float) -> str:
        """A share (0-1) as a whole percentage: "7 %" / "7%"."""
        return format_percent(share, locale=self.locale)

    def long_date(self, value: dt.date) -> str:
        """'12 janvier 2023' / '12 January 2023' / 'January 12, 2023'."""
        return format_date(value, format="long", locale=self.locale)

    def days(self, start: dt.date, end: dt.date) -> str:
        """Days of one month, as the language writes a date: '16–25 juin 2025', 'June
        16–25, 2025' (CLDR's own intervals abbreviate the month in some languages)."""
        last = format_skeleton("yMMMMd", end, locale=self.locale)
        days = f"{start.day}\u2013{end.day}"
        return re.sub(rf"\b{end.day}\b", days, last, count=1)

    def day_and_month(self, day: dt.date) -> str:
        """A date without its year, when the year is said after: '8 février'."""
        return format_skeleton("MMMMd", day, locale=self.locale)

    def month_name(self, month: int) -> str:
        """A month's name alone, in a range of months: 'mars' (of 'mars–mai 2020')."""
        return get_month_names("wide", locale=self.locale)[month]

    def month(self, year: int, month: int) -> str:
        """A month of a year, for dates known to the month: 'mars 2012' / 'March 2012'."""
        return format_skeleton("yMMMM", dt.date(year, month, 1), locale=self.locale)

    def plural_form(self, count: float) -> str:
        """Babel's plural category of ``count`` in this language: 'one' or 'other'..."""
        return Locale.parse(self.locale).plural_form(count)

    def numbers(self, numbers: list[int]) -> str:
        """Numbers as a reader takes them in: runs written as ranges, then joined like
        names: "10 à 15, 17-18 et 20" / "10–15, 17–18 and 20" (``number_range`` for three
        or more in a row, ``number_pair`` for two)."""
        written = [
            str(first)
            if first == last
            else self.text("number_pair" if last == first + 1 else "number_range").format(
                first=first, last=last
            )
            for first, last in number_ranges(numbers)
        ]
        return self.join(written)

    def join(self, names: list[str]) -> str:
        """A list of names read unambiguously: "A, B et C"; with semicolons when a name
        holds a comma itself ("Ministère de l'Intérieur, DGEF ; MIPROF et SSMSI")."""
        if len(names) < 2:
            return "".join(names)
        separator = "; " if any("," in name for name in names) else ", "
        return f"{separator.join(names[:-1])} {self.text('and')} {names[-1]}"


def number_ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """``[7, 1, 2, 3]`` as ``[(1, 3), (7, 7)]``: the runs of consecutive numbers, sorted,
    which every list of measure numbers is written from (a message, a table, a log)."""
    ranges: list[list[int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return [(first, last) for first, last in ranges]


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message names the file."""


def available(folder: Path | None = None) -> list[str]:
    """The languages with a catalogue, the content folder's ``languages/`` included."""
    folders = [path for path in (folder, PACKAGE_CATALOGUES) if path and path.is_dir()]
    return sorted({p.stem for f in folders for p in f.glob("*.yaml") if LANGUAGE_TAG.match(p.stem)})


def known_languages(folder: Path | None = None) -> frozenset[str]:
    """The languages (without region) a text may be translated into: ``title_en``."""
    return frozenset(language.split("-")[0] for language in available(folder))


@functools.cache
def catalogue(language: str, folder: Path | None = None) -> Catalogue:
    """The catalogue of ``language`` ('fr', 'en', 'en-GB', 'en-US'...), merged with the one
    it extends; ``folder`` is a content folder's ``languages/``, looked in first. A region
    without a file of its own ('en-GB') takes its language's."""
    raw = _merged(language, folder, seen=())
    try:
        return Catalogue.model_validate({**raw, "language": language})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CatalogueError(f"catalogue '{language}': {where}: {first['msg']}") from None


def _merged(language: str, folder: Path | None, seen: tuple[str, ...]) -> dict[str, Any]:
    if language in seen:
        raise CatalogueError(f"catalogue '{language}' extends itself ({' > '.join(seen)})")
    path = _file(language, folder)
    if path is None:
        base = language.split("-")[0]
        if base != language:
            return _merged(base, folder, (*seen, language))
        known = ", ".join(available(folder))
        raise CatalogueError(
            f"no catalogue for the language '{language}' (known: {known}); add "
            f"languages/{language}.yaml to the content folder (see docs/adapting.md)"
        )
    data = _read(path)
    parent = data.get("extends")
    return _deep_merge(_merged(parent, folder, (*seen, language)), data) if parent else data


def _file(language: str, folder: Path | None) -> Path | None:
    for place in (folder, PACKAGE_CATALOGUES):
        if place is not None and (place / f"{language}.yaml").is_file():
            return place / f"{language}.yaml"
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path.name}: cannot be read ({error})") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path.name}: expected a mapping of 'key: value' lines")
    return data


def _deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
