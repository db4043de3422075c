"""Data in the coalition's own words: ``commitments:`` for ``measures:``, ``theme: t1`` for
``axis: t1``.

With a vocabulary, the data files may name the sections and the reference fields with
the coalition's words as well as with the builder's: the plural of each word names its
section (``commitments``, ``themes``, ``actions``, ``recommendations``, ``institutions``),
the singular the field that refers to one (``theme`` in a commitment or an action,
``action`` in a commitment), and a recommendation's related entries are its
``commitments``. Data is read in the builder's names; messages speak the author's; the
attached YAML is written in the author's words, so it can be read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from report.sources.files import LocatedDict, LocatedList
from report.sources.vocabulary import Vocabulary

# Each term of the vocabulary and the data section its plural names.
TERMS = {
    "item": "measures",
    "group": "axes",
    "subgroup": "actions",
    "recommendation": "recommendations",
    "body": "bodies",
}
CANONICAL_SECTIONS = tuple(TERMS.values())


def key_of(word: str) -> str:
    """A word as a YAML key: 'policy area' -> 'policy_area'."""
    return re.sub(r"\W+", "_", word.strip().casefold()).strip("_")


@dataclass(frozen=True)
class DataWords:
    """Author's key -> builder's key, for sections and for the fields of each section."""

    sections: dict[str, str] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)

    def canonical(self, raw: LocatedDict) -> LocatedDict:
        """A data file with the builder's section and field names, lines kept."""
        renamed = _renamed(raw, self.sections)
        for section, value in list(renamed.items()):
            aliases = self.fields.get(section)
            if aliases and isinstance(value, LocatedList):
                renamed[section] = _each(value, aliases)
        return renamed

    def authored(self, path: str) -> str:
        """``measures[2].axis`` as the author wrote it: ``commitments[2].theme``."""
        found = re.match(r"^(\w+)(.*)$", path, re.DOTALL)
        if found is None:
            return path
        section, rest = found[1], found[2]
        names = {builder: author for author, builder in self.fields.get(section, {}).items()}
        rest = re.sub(r"(?<=\]\.)(\w+)", lambda m: names.get(m[1], m[1]), rest)
        sections = {builder: author for author, builder in self.sections.items()}
        return sections.get(section, section) + rest

    def exported(self, document: dict[str, Any]) -> dict[str, Any]:
        """The attached YAML in the author's words (what ``canonical`` reads back)."""
        reverse = {builder: author for author, builder in self.sections.items()}
        result = {}
        for section, value in document.items():
            fields = {b: a for a, b in self.fields.get(section, {}).items()}
            entries = (
                [{fields.get(k, k): v for k, v in entry.items()} for entry in value]
                if isinstance(value, list)
                else value
            )
            result[reverse.get(section, section)] = entries
        return result


def data_words(vocabulary: Vocabulary) -> DataWords:
    """The aliases the words report.yaml gives (the language's defaults give none, so a
    report without ``vocabulary:`` reads and writes the builder's names only)."""
    named = {name: getattr(vocabulary, name) for name in TERMS}
    plural = {name: key_of(term.plural) for name, term in named.items() if term}
    singular = {name: key_of(term.singular) for name, term in named.items() if term}
    sections = _aliases({plural.get(name, ""): section for name, section in TERMS.items()})
    fields = {
        "measures": _aliases(
            {singular.get("group", ""): "axis", singular.get("subgroup", ""): "action"}
        ),
        "actions": _aliases({singular.get("group", ""): "axis"}),
        "recommendations": _aliases({plural.get("item", ""): "measures"}),
    }
    return DataWords(sections, {section: names for section, names in fields.items() if names})


def _aliases(candidates: dict[str, str]) -> dict[str, str]:
    """Only real aliases: not the builder's name itself, not another builder name."""
    return {
        author: builder
        for author, builder in candidates.items()
        if author
        and author != builder
        and author not in CANONICAL_SECTIONS
        and author not in ("axis", "action")
    }


def _renamed(raw: LocatedDict, aliases: dict[str, str]) -> LocatedDict:
    """``raw`` with each alias under its builder's name, unless that name is written too
    (then the alias stays, and validation reports it as unknown)."""
    result = LocatedDict()
    result.path, result.line, result.key_lines = raw.path, raw.line, {}
    for key, value in raw.items():
        name = aliases.get(key, key)
        name = key if name != key and name in raw else name
        result[name] = value
        result.key_lines[name] = raw.key_lines[key]
    return result


def _each(entries: LocatedList, aliases: dict[str, str]) -> LocatedList:
    result = LocatedList(
        _renamed(entry, aliases) if isinstance(entry, LocatedDict) else entry for entry in entries
    )
    result.path, result.line, result.item_lines = entries.path, entries.line, entries.item_lines
    return result
