"""Pick each text's language before validation, so one source gives every edition.

Any translatable key may carry its translations beside it, suffixed with the language:

    title: Créer un site gouvernemental dédié
    title_en: Create a dedicated government website

For an edition in English, ``title_en`` replaces ``title``; translations are then dropped.
The suffix is the language without its region: ``title_en`` serves ``en-GB`` and ``en-US``.
A text with no translation keeps its original wording and is listed, so the build can
warn about exactly what is missing.
"""

from __future__ import annotations

import re
from typing import Any

from report.i18n.catalogue import known_languages
from report.sources.files import LocatedDict, LocatedList
from report.sources.problems import field_path

TRANSLATABLE = frozenset(
    {
        "title",
        "subtitle",
        "short_title",
        "text",
        "comment",
        "name",
        "label",
        "plural",
        "unit",
        "alt",
        "note",
        "source",
        "recommendations",
        "organisation",
        "salutation",
        "addressee",
        "subject",
        "enclosure",
        "publisher",
        "licence",
        "role",
        "place",
        "description",
        "authors",
        "singular",
        "gender",
        "reference",
        "event",
        "genre",
        "evaluator",
    }
)
SUFFIXED = re.compile(r"^(?P<base>\w+?)_(?P<language>[a-z]{2,3})$")


def base_language(language: str) -> str:
    """'en-US' -> 'en': the suffix of translated keys."""
    return language.split("-")[0]


def localize(
    raw: Any,
    language: str,
    original: str,
    missing: list[str],
    known: frozenset[str] | None = None,
    loc: tuple = (),
) -> Any:
    """Return ``raw`` with every translatable text in ``language``; note untranslated ones.

    ``known`` are the languages with a catalogue: ``title_de`` is a translation only if
    there is a German catalogue, else a key validation refuses.
    """
    language, original = base_language(language), base_language(original)
    known = known_languages() if known is None else known
    if isinstance(raw, LocatedDict):
        return _localize_mapping(raw, language, original, missing, known, loc)
    if isinstance(raw, LocatedList):
        result = LocatedList(
            localize(item, language, original, missing, known, (*loc, index))
            for index, item in enumerate(raw)
        )
        result.path, result.line, result.item_lines = raw.path, raw.line, raw.item_lines
        return result
    return raw


def _localize_mapping(
    raw: LocatedDict,
    language: str,
    original: str,
    missing: list[str],
    known: frozenset[str],
    loc: tuple,
) -> LocatedDict:
    result = LocatedDict()
    result.path, result.line, result.key_lines = raw.path, raw.line, {}
    for key, value in raw.items():
        match = SUFFIXED.match(str(key))
        if match and match["base"] in TRANSLATABLE and match["language"] in known:
            continue
        translated_key = f"{key}_{language}"
        if _translatable(key, loc) and language != original and _has_text(value):
            if translated_key in raw:
                value = raw[translated_key]
            else:
                missing.append(f"{_where(raw, key)} {field_path((*loc, key))}")
        result[key] = localize(value, language, original, missing, known, (*loc, key))
        result.key_lines[key] = raw.key_lines[key]
    return result


def _translatable(key: str, loc: tuple) -> bool:
    """People's names are never translated; other names (of bodies) are."""
    return key in TRANSLATABLE and not (key == "name" and "signatories" in loc)


def _has_text(value: Any) -> bool:
    """Words to translate: not empty, not a web address nor a bibliography key (``source``
    may hold either)."""
    if isinstance(value, str):
        return bool(value) and not value.startswith(("http://", "https://", "@"))
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, str) and _has_text(item) for item in value)
    )


def _where(raw: LocatedDict, key: str) -> str:
    return f"{raw.path.name}:{raw.key_lines[key]}"
