"""Citations: ``[@cncdh2023, p. 12]`` in a text becomes a footnote, formatted by
citeproc-py with the builder's CSL style (``csl/fr.csl``, ``csl/en.csl``).

The syntax is Pandoc's and Quarto's: a citation group in square brackets, items
separated by ``;``, each ``@key`` with an optional prefix before it ("voir") and a
locator after a comma ("p. 12", "pp. 3-5", "chap. 2", "§ 4"). In running text a group
becomes a footnote; inside a footnote the author wrote (``[^x]: Explanation [@key].``)
it is set in that note. The first citation of a document gives it in full, later ones
in short ("CNCDH, *Avis*, préc., p. 14"), in reading order, which is why one
``Citations`` object serves one whole document (letter and chapters). Each citation
links to its entry of the bibliography (``{{ bibliography() }}``), or to the document's
own address when the document has no bibliography.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import citeproc
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup, escape

from report.compose.foreign import entry_passages, wrap_passages
from report.compose.labels import address_label, html_text
from report.compose.placement import Deferred
from report.errors import ContentError, Problem, raise_if_any
from report.sources.bibliography import KEY, BibEntry
from report.sources.files import MarkdownSource
from report.sources.sourcing import parse_cite, unknown_key

logger = logging.getLogger(__name__)

STYLES = Path(__file__).resolve().parent / "csl"
LOCALES = Path(citeproc.__file__).resolve().parent / "data" / "locales"
# An item: an optional prefix ending with a space, '@' (or '-@'), the key, the rest. An
# '@' glued to a word (contact@example.org) is an address, not a citation.
ITEM = re.compile(rf"^(?P<prefix>(?:.*?\s)?)-?@(?P<key>{KEY})(?P<rest>.*)$", re.DOTALL)
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


def parse_item(text: str) -> Cited | None:
    """'voir @key, p. 12' -> Cited(key, prefix='voir ', label='page', locator='12')."""
    found = ITEM.match(text.strip())
    if found is None:
        return None
    prefix = found["prefix"].strip()
    label, locator, suffix = _locator(found["rest"].strip().lstrip(",").strip())
    return Cited(found["key"], f"{prefix} " if prefix else "", label, locator, suffix)


def _locator(rest: str) -> tuple[str, str, str]:
    """(CSL label, value, text kept as written) of what follows the key."""
    word, _, value = rest.partition(" ")
    if word.casefold() in LOCATORS and value.strip():
        return LOCATORS[word.casefold()], value.strip(), ""
    return "", "", f", {rest}" if rest else ""


def _engine(style: str, locale: str, entries: dict[str, BibEntry]) -> CitationStylesBibliography:
    with warnings.catch_warnings():  # citeproc warns about CSL features it ignores
        warnings.simplefilter("ignore")
        parsed = CitationStylesStyle(str(STYLES / style), locale=locale, validate=False)
    source = CiteProcJSON([_as_text(entry.csl()) for entry in entries.values()])
    return CitationStylesBibliography(parsed, source, formatter.html)


def _as_text(value: Any, key: str = "") -> Any:
    """The entry's strings escaped for HTML: citeproc's HTML output inserts them as they
    are, and a title or a name is text, never markup (the key and the type are names)."""
    if isinstance(value, dict):
        return {name: _as_text(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_as_text(item, key) for item in value]
    if isinstance(value, str) and key not in ("id", "type"):
        return str(escape(value))
    return value


def csl_locale(locale: str) -> str:
    """The citeproc locale closest to a catalogue's Babel locale (fr_FR -> fr-FR)."""
    wanted = locale.replace("_", "-")
    for name in (wanted, wanted.split("-")[0]):
        if (LOCALES / f"locales-{name}.xml").is_file():
            return name
    return "en-GB"


@dataclass
class Citations:
    """The citations of one document, formatted in reading order.

    ``from_data`` holds the keys the data cites (an evidence, a source): they count as
    cited and are listed in the bibliography. ``placed`` is set when the document draws
    its bibliography, so citations link to its entries.
    """

    entries: dict[str, BibEntry]
    language: str = "fr"
    locale: str = "fr_FR"
    from_data: frozenset[str] = frozenset()
    file: str = "bibliography.yaml"
    source_language: str = ""  # the bibliography's language (default: the edition's)
    cited: list[str] = field(default_factory=list)
    notes: int = 0
    placed: bool = False

    def __post_init__(self) -> None:
        self._notes = _engine(self.style, csl_locale(self.locale), self.entries)
        self._short = _engine("short.csl", csl_locale(self.locale), self.entries)
        self._titles: dict[str, str] = {}

    @property
    def style(self) -> str:
        return style_for(self.language)

    def format(self, items: list[Cited], sentence: bool = False) -> Callable[[], str]:
        """One citation group, formatted now (so first and later citations follow reading
        order); its links are drawn with the document's blocks, once it is known whether
        the document has a bibliography. A ``sentence`` (a note of its own) ends with a
        full stop."""
        parts = [(item, self._text(item)) for item in items]
        last = parts[-1][1] + parts[-1][0].suffix
        stop = "." if sentence and not re.sub(r"<[^>]*>", "", last).endswith(".") else ""
        return lambda: (
            "; ".join(
                f"{escape(item.prefix)}{self.link(item.key, text)}{escape(item.suffix)}"
                for item, text in parts
            )
            + stop
        )

    def _text(self, item: Cited) -> str:
        text = _render(self._notes, item)
        self.cited.append(item.key)
        return text

    def short(self, key: str, locator: str = "") -> Markup:
        """The short form (author, short title, locator) a card or a table shows, linked
        to the entry; it leaves the notes' first and later citations as they are."""
        item = parse_item(f"@{key}, {locator}" if locator else f"@{key}")
        assert item is not None  # keys are checked when the data is read
        return Markup(self.link(key, _render(self._short, item) + str(escape(item.suffix))))

    def cite(self, text: str, label: str | None = None) -> Markup:
        """A source as data gives it, for templates: a key ('@key, p. 9' or, in an
        evidence's ``cite:``, 'key, p. 9') in short form, or ``label`` (HTML) linked to
        its entry; an address as a link showing its host (or the label)."""
        parts = urlsplit(text.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            shown = label or escape((parts.hostname or "").removeprefix("www."))
            title = escape(address_label(text.strip(), str(shown)))
            return Markup(f'<a href="{escape(text.strip())}" title="{title}">{shown}</a>')
        key, locator = parse_cite(text)
        return Markup(self.link(key, str(label))) if label else self.short(key, locator)

    def link(self, key: str, text: str) -> str:
        """``text`` linked to its bibliography entry when the document has one, else to
        the document's own address (or the copy consulted), else not linked."""
        entry = self.entries[key]
        text = self.in_languages(entry, text)
        title = escape(self.title_of(key))  # what the link says it leads to
        if self.placed:
            return f'<a class="citation" href="#{entry.anchor}" title="{title}">{text}</a>'
        address = entry.URL or entry.copy_url
        if not address:
            return text
        return f'<a class="citation" href="{escape(address)}" title="{title}">{text}</a>'

    def in_languages(self, entry: BibEntry, text: str) -> str:
        """Its title, names... marked in their language where not the edition's (foreign.py)."""
        passages = entry_passages(entry, self.source_language or self.language)
        return wrap_passages(text, passages, self.language)

    def title_of(self, key: str) -> str:
        """A document's short reference as plain text ("CNCDH, Avis A-2023-1"): the
        description of the links to it."""
        if key not in self._titles:
            self._titles[key] = html_text(_render(self._short, Cited(key)))
        return self._titles[key]

    def listed(self) -> list[tuple[BibEntry, str]]:
        """The entries the document or its data cites, sorted as the style sorts, with
        their formatted reference."""
        wanted = [key for key in self.entries if key in self.from_data or key in self.cited]
        engine = _engine(
            self.style, csl_locale(self.locale), {key: self.entries[key] for key in wanted}
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key in wanted:
                engine.register(Citation([CitationItem(key)]))
            engine.sort()
            texts = [str(text) for text in engine.bibliography()]
        return [
            (self.entries[key], self.in_languages(self.entries[key], text))
            for key, text in zip(engine.keys, texts, strict=True)
        ]

    def uncited(self) -> list[BibEntry]:
        """Entries neither the texts nor the data cite."""
        used = {*self.cited, *self.from_data}
        return [entry for key, entry in self.entries.items() if key not in used]


def style_for(language: str) -> str:
    """The notes' style: French notes say "préc."; other languages, the short form."""
    return "fr.csl" if language.split("-")[0] == "fr" else "en.csl"


def reference(entry: BibEntry, language: str, locale: str) -> str:
    """One entry written as the bibliography writes it (HTML): the report's own, for
    the suggested citation of its colophon."""
    engine = _engine(style_for(language), csl_locale(locale), {entry.id: entry})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engine.register(Citation([CitationItem(entry.id)]))
        return str(engine.bibliography()[0])


def _render(engine: CitationStylesBibliography, item: Cited) -> str:
    locator = Locator(item.label, str(escape(item.locator)))  # text, like the entry's
    located = {"locator": locator} if item.label else {}
    citation = Citation([CitationItem(item.key, **located)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engine.register(citation)
        return str(engine.cite(citation, _ignore))


_ignore: Callable[[object], None] = lambda _: None  # noqa: E731 (citeproc's "unknown key" hook)


# [@key], [voir @key, p. 12], [@a; @b]: a bracket holding an @key; not a link's text
# ("[@key](url)", "[@key][label]"), an image, an escaped bracket or an inline footnote.
GROUP = re.compile(
    rf"(?<![!\]\\^])\[(?P<body>(?:[^\[\]\n]*?\s)?-?@{KEY}[^\[\]\n]*)\](?!\(|\[(?!\^))"
)
NOTE_START = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:")
NOTE_CALL = re.compile(r"\[\^(?P<label>[^\]\s]+)\](?!:)")


@dataclass(frozen=True)
class Group:
    """A citation group found in a text, and where a reader meets it."""

    order: tuple[float, ...]
    line: int
    span: tuple[int, int]
    items: list[Cited]
    in_note: bool


def cite_in_text(
    text: str, source: MarkdownSource, citations: Citations, defer: Callable[[Deferred], str]
) -> str:
    """Replace each citation group: in running text by a footnote call (its note added at
    the end of the text, so no line moves), inside a footnote by the citation itself.
    Groups are formatted in the order a reader meets them, a note where it is called.
    An unknown key is a located error."""
    lines = text.split("\n")
    groups = find_groups(lines)
    problems = [
        Problem(
            source.path,
            unknown_key(item.key, citations.entries, citations.file),
            source.body_line + g.line,
        )
        for g in groups
        for item in g.items
        if item.key not in citations.entries
    ]
    raise_if_any(problems, ContentError)
    notes: list[str] = []
    replaced: dict[tuple[int, tuple[int, int]], str] = {}
    for group in sorted(groups, key=lambda g: g.order):
        placeholder = defer(citations.format(group.items, sentence=not group.in_note))
        if group.in_note:
            replaced[group.line, group.span] = placeholder
        else:
            citations.notes += 1
            notes.append(f"\n\n[^cite-{citations.notes}]: {placeholder}")
            replaced[group.line, group.span] = f"[^cite-{citations.notes}]"
    for (index, (start, end)), new in sorted(replaced.items(), reverse=True):
        lines[index] = lines[index][:start] + new + lines[index][end:]
    return "\n".join(lines) + "".join(notes)


def find_groups(lines: list[str]) -> list[Group]:
    """Every citation group of a text, with its reading order: a group inside a footnote
    is read where the footnote is first called."""
    notes = note_lines(lines)
    calls: dict[str, tuple[int, int]] = {}
    for index, line in enumerate(lines):
        if index not in notes:
            for call in NOTE_CALL.finditer(line):
                calls.setdefault(call["label"], (index, call.start()))
    groups = []
    for index, line in enumerate(lines):
        label = notes.get(index)
        for match in GROUP.finditer(line):
            parsed = [parse_item(part) for part in match["body"].split(";")]
            items = [item for item in parsed if item is not None]
            if len(items) < len(parsed) or _defines_a_reference(line, match):
                continue  # not a citation group ("[write to x@y.org; or call]", "[@x]: url")
            if label is None:
                order: tuple[float, ...] = (index, match.start(), -1, -1)
                start = len(line[: match.start()].rstrip(" \t\u00a0"))  # "2007 [@a]" -> "2007¹"
            else:
                order = (*calls.get(label, (float("inf"), 0)), index, match.start())
                start = match.start()
            groups.append(Group(order, index, (start, match.end()), items, label is not None))
    return groups


def _defines_a_reference(line: str, match: re.Match) -> bool:
    """'[@key]: https://...' at the start of a line defines a link reference."""
    return (
        line[match.end() : match.end() + 1] == ":"
        and len(line[: match.start()]) <= 3
        and (not line[: match.start()].strip())
    )


def note_lines(lines: list[str]) -> dict[int, str]:
    """The lines of footnote definitions ('[^x]: ...' and its indented continuation), by
    index, with the note's label."""
    found: dict[int, str] = {}
    label = None
    for index, line in enumerate(lines):
        start = NOTE_START.match(line)
        if start:
            label = start["label"]
        elif line.strip() and not line.startswith(("    ", "\t")):
            label = None
        if label is not None:
            found[index] = label
    return found


def warn_uncited(citations: Citations) -> None:
    """One located warning per bibliography entry that neither the texts nor the data
    cite: the full report lists what it cites, and cites what it lists."""
    for entry in citations.uncited():
        logger.warning(
            "%s",
            entry.problem(
                "id",
                f"'{entry.id}' is never cited; cite it ([@{entry.id}] in a text, '@{entry.id}' "
                "in the data) or remove the entry",
            ),
        )
