"""``report new``: a complete small project in the coalition's own words and language.

The project is fictional and says so; it uses every main block (key figures, charts,
recap, table, cards, recommendations, sources, open data), a brief edition, and builds
with no warning, so a new user starts from something that works and replaces texts one
by one. Its files are kept in ``new_project/<language>/`` with ``<<item>>``-style
placeholders (Jinja's braces stay for the chapters' own expressions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from report.errors import Problem, ReportError
from report.sources.aliases import key_of

TEMPLATES = Path(__file__).resolve().parent / "new_project"
DEFAULT_WORDS = {
    "en": ("measure", "axis"),
    "fr": ("mesure", "axe"),
}
# French genders of the usual words; others are guessed, and --item-gender decides.
GENDERS_FR = {
    "mesure": "f",
    "engagement": "m",
    "recommandation": "f",
    "action": "f",
    "objectif": "m",
    "priorité": "f",
    "axe": "m",
    "thème": "m",
    "pilier": "m",
    "chapitre": "m",
    "volet": "m",
}
FEMININE_ENDINGS = ("ion", "té", "ure", "ance", "ence", "ie", "ée", "ette")


@dataclass(frozen=True)
class Words:
    """The words the project is written with, singular and plural."""

    item: str
    items: str
    group: str
    groups: str


def plural(word: str, language: str) -> str:
    """A regular plural, enough for a starting project (authors correct what is wrong)."""
    if language == "fr":
        if word.endswith(("s", "x", "z")):
            return word
        return (
            word[:-2] + "aux"
            if word.endswith("al")
            else word + ("x" if word.endswith("eau") else "s")
        )
    if word.endswith("is"):
        return word[:-2] + "es"  # axis, analysis
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def split_word(given: str | None, default: str, language: str) -> tuple[str, str]:
    """'commitment' or 'commitment/commitments' -> (singular, plural)."""
    word = (given or default).strip()
    singular, _, many = word.partition("/")
    return singular.strip(), (many.strip() or plural(singular.strip(), language))


def create(
    folder: Path,
    language: str = "en",
    items: str | None = None,
    groups: str | None = None,
    item_gender: str | None = None,
    group_gender: str | None = None,
) -> list[Path]:
    """Write the project into ``folder`` (new or empty); returns the files written."""
    base = language.split("-")[0]
    if not (TEMPLATES / base).is_dir():
        known = ", ".join(sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir()))
        raise ReportError(Problem(folder, f"no example project in '{language}' (known: {known})"))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReportError(Problem(folder, "already exists and is not empty; give a new folder"))
    item, many_items = split_word(items, DEFAULT_WORDS[base][0], base)
    group, many_groups = split_word(groups, DEFAULT_WORDS[base][1], base)
    values = _placeholders(
        language,
        Words(item, many_items, group, many_groups),
        item_gender or _gender(item),
        group_gender or _gender(group),
    )
    written = []
    for source in sorted(p for p in (TEMPLATES / base).rglob("*") if p.is_file()):
        target = folder / source.relative_to(TEMPLATES / base)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        target.write_text(re.sub(r"<<(\w+)>>", lambda m: values[m[1]], text), encoding="utf-8")
        written.append(target)
    return written


def _gender(word: str) -> str:
    return GENDERS_FR.get(word, "f" if word.endswith(FEMININE_ENDINGS) else "m")


def _placeholders(language: str, words: Words, gender: str, group_gender: str) -> dict[str, str]:
    feminine = gender == "f"
    return {
        "today": dt.date.today().isoformat(),
        "language": language,
        "item": words.item,
        "items": words.items,
        "Items": words.items[:1].upper() + words.items[1:],
        "group": words.group,
        "groups": words.groups,
        "items_key": key_of(words.items),
        "group_key": key_of(words.group),
        "groups_key": key_of(words.groups),
        "gender": gender,
        "group_gender": group_gender,
        "e": "e" if feminine else "",
        "es": "es" if feminine else "s",
        "un": "une" if feminine else "un",
        "Tous": "Toutes" if feminine else "Tous",
    }
