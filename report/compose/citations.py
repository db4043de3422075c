"""Citations: ``[@cncdh2023, p. 12]`` in a chapter becomes a footnote, formatted by
citeproc-py with the builder's CSL style (``csl/fr.csl``, ``csl/en.csl``).

The syntax is Pandoc's and Quarto's: a citation group in square brackets, items
separated by ``;``, each ``@key`` with an optional prefix before it ("voir") and a
locator after a comma ("p. 12", "pp. 3-5", "chap. 2", "§ 4"). Each group becomes a
footnote; the first note citing a document gives it in full, later ones in short
("CNCDH, *Avis*, préc., p. 14"), and each cited document links to its entry of the
bibliography (``{{ bibliography() }}``). Citations are formatted in reading order, by
one ``Citations`` object per document, so "first" means first in the document.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from report.errors import ContentError, Problem, raise_if_any
from report.sources.bibliography import BibEntry
from report.sources.files import MarkdownSource

STYLES = Path(__file__).resolve().parent / "csl"
LOCALES = {"fr": "fr-FR", "en": "en-GB"}
# [@key], [voir @key, p. 12], [@a; @b]: a bracket holding at least one @key, not a link.
GROUP = re.compile(r"(?<![!\]\w])\[(?P<body>[^\[\]\n]*?-?@[\w:.#$%&+?<>~/-][^\[\]\n]*)\](?!\()")
ITEM = re.compile(r"^(?P<prefix>.*?)-?@(?P<key>[\w:.#$%&+?<>~/-]*[\w#$%&+?<>~/-])(?P<rest>.*)$")
LOCATORS = {
    "p.": "page",
    "pp.": "page",
    "page": "page",
    "pages": "page",
    "chap.": "chapter",
    "ch.": "chapter",
    "chapitre": "chapter",
    "chapter": "chapter",
    "§": "section",
    "sec.": "section",
    "section": "section",
    "para.": "paragraph",
    "al.": "paragraph",
    "vol.": "volume",
    "n°": "issue",
    "no.": "issue",
    "fig.": "figure",
    "note": "note",
}


@dataclass(frozen=True)
class Cited:
    """One item of a citation group, as written."""

    key: str
    prefix: str = ""
    label: str = ""
    locator: str = ""
    suffix: str = ""


@dataclass
class Citations:
    """The citations of one document, formatted in reading order."""

    entries: dict[str, BibEntry]
    language: str = "fr"
    cited: list[str] = field(default_factory=list)
    notes: int = 0

    def __post_init__(self) -> None:
        base = self.language.split("-")[0]
        style_file = STYLES / f"{base if base in LOCALES else 'en'}.csl"
        with warnings.catch_warnings():  # citeproc warns about CSL it does not use
            warnings.simplefilter("ignore")
            style = CitationStylesStyle(
                str(style_file), locale=LOCALES.get(base, "en-GB"), validate=False
            )
        source = CiteProcJSON([entry.csl() for entry in self.entries.values()])
        self._engine = CitationStylesBibliography(style, source, formatter.html)

    def note(self, items: list[Cited]) -> str:
        """The footnote of one citation group: each item linked to its bibliography entry."""
        parts = []
        for item in items:
            text = self._cite(item)
            parts.append(
                f'{item.prefix}<a class="citation" href="#{anchor(item.key)}">'
                f"{text}</a>{item.suffix}".strip()
            )
        return "; ".join(parts) + "."

    def _cite(self, item: Cited) -> str:
        locator = Locator(item.label, item.locator) if item.label else None
        citation = Citation([CitationItem(item.key, locator=locator)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._engine.register(citation)
            text = str(self._engine.cite(citation, lambda _: None))
        if item.locator and not item.label:  # a locator citeproc has no label for
            text = text.rstrip(".") + f", {item.locator}"
        self.cited.append(item.key)
        return text.rstrip(".")

    def bibliography(self) -> list[tuple[BibEntry, str]]:
        """Every entry, cited or not, sorted as the style sorts, with its formatted text."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key in self.entries:
                if key not in self.cited:
                    self._engine.register(Citation([CitationItem(key)]))
            self._engine.sort()
            texts = [str(text) for text in self._engine.bibliography()]
        return [
            (self.entries[key], text) for key, text in zip(self._engine.keys, texts, strict=True)
        ]

    def uncited(self) -> list[BibEntry]:
        return [entry for key, entry in self.entries.items() if key not in self.cited]


def anchor(key: str) -> str:
    """The HTML id of a bibliography entry."""
    return "ref-" + re.sub(r"[^\w-]", "-", key)


def cite_in_text(text: str, source: MarkdownSource, citations: Citations) -> str:
    """Replace each citation group by a footnote call, and add the notes at the end of the
    text (so no line moves); an unknown key is a located error."""
    problems: list[Problem] = []
    notes: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        lines[index] = GROUP.sub(
            lambda m, n=index: _footnote(
                m, Problem(source.path, "", source.body_line + n), citations, notes, problems
            ),
            line,
        )
    raise_if_any(problems, ContentError)
    return "\n".join(lines) + "".join(notes)


def _footnote(
    match: re.Match, where: Problem, citations: Citations, notes: list[str], problems: list[Problem]
) -> str:
    parsed = [parse_item(part) for part in match["body"].split(";")]
    items = [item for item in parsed if item is not None]
    if len(items) < len(parsed):
        return match[0]  # not a citation group after all ("[écrire à x@y.fr; ...]")
    unknown = [item.key for item in items if item.key not in citations.entries]
    if unknown:
        keys = list(citations.entries)
        known = (
            ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "")
            if keys
            else ("none: add a bibliography file")
        )
        problems += [
            replace(
                where,
                message=(
                    f"'@{key}' is not in the bibliography (known: {known}); fix the key or add the "
                    "entry"
                ),
            )
            for key in unknown
        ]
        return match[0]
    citations.notes += 1
    label = f"cite-{citations.notes}"
    notes.append(f"\n\n[^{label}]: {citations.note(items)}")
    return f"[^{label}]"


def parse_item(text: str) -> Cited | None:
    """'voir @key, p. 12' -> Cited(key, prefix='voir ', label='page', locator='12')."""
    found = ITEM.match(text.strip())
    if found is None:
        return None
    rest = found["rest"].strip().lstrip(",").strip()
    label, locator, suffix = "", "", ""
    if rest:
        word, _, value = rest.partition(" ")
        if word.casefold() in LOCATORS and value:
            label, locator = LOCATORS[word.casefold()], value.strip()
        else:
            suffix = f", {rest}"
    prefix = found["prefix"].strip()
    return Cited(found["key"], f"{prefix} " if prefix else "", label, locator, suffix)
