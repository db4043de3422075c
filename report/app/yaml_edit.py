"""The data files as their authors wrote them, edited in place: comments, order, quotes.

``report import`` changes a few values in hand-written YAML. ruamel.yaml's round trip
keeps comments, key order, quoting and folded blocks; a changed list is emptied and
refilled in place, so it keeps its flow style (``[a, b]``); a new key goes where the
data model puts it. ruamel writes a few things its own way (``null`` as nothing), so
each line ruamel changed that still says the same thing is put back as it was: an
unchanged entry keeps its bytes. The files were read by the bounded loader first
(``load_data``), so ruamel only ever sees files that passed it.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from report.sources.aliases import DataWords
from report.sources.paths import checked
from report.sources.validate import REFERENCE_KEYS, data_paths

KEYED = {**REFERENCE_KEYS, "recommendations": "id"}  # the field naming each entry
QUOTED = (DoubleQuotedScalarString, SingleQuotedScalarString)


def round_trip() -> YAML:
    """Round-trip YAML that writes lists as the builder's examples do ("  - ")."""
    parser = YAML()
    parser.preserve_quotes = True
    parser.width = 4096  # never wrap an author's line
    parser.indent(mapping=2, sequence=4, offset=2)
    return parser


@dataclass
class Written:
    """Every data file's document, and each keyed entry with the file it is in."""

    texts: dict[Path, str] = field(default_factory=dict)
    documents: dict[Path, CommentedMap] = field(default_factory=dict)
    entries: dict[str, dict[Any, tuple[Path, CommentedMap]]] = field(default_factory=dict)
    aliases: DataWords = field(default_factory=DataWords)
    sections: dict[str, list[Any]] = field(default_factory=dict)  # all sections, merged

    def plain(self, section: str) -> dict[Any, dict]:
        """The entries of a section by key, with the builder's field names."""
        return {
            key: self.builder_view(section, entry)
            for key, (_, entry) in self.entries.get(section, {}).items()
        }

    def builder_view(self, section: str, entry: CommentedMap) -> dict:
        names = self.aliases.fields.get(section, {})
        return {names.get(key, key): value for key, value in entry.items()}

    def writes_empty(self, section: str, name: str) -> bool:
        """Whether some entry of the section writes the field as an empty list, ``[]``."""
        return any(
            isinstance(value, list) and not value
            for entry in self.plain(section).values()
            for key, value in entry.items()
            if key == name
        )

    def key_in(self, section: str, entry: CommentedMap, name: str) -> str:
        """The key the entry writes a field with: the builder's name or the author's."""
        names = self.aliases.fields.get(section, {})
        return next((key for key in entry if names.get(key, key) == name), name)


def read_written(content_dir: Path, aliases: DataWords) -> Written:
    """The data files as round-trip documents (call after ``load_data`` has passed)."""
    written = Written(aliases=aliases)
    parser = round_trip()
    for path in data_paths(content_dir):
        text = checked(path, content_dir).read_text(encoding="utf-8").removeprefix("\ufeff")
        document = parser.load(text)
        written.texts[path] = text
        if not isinstance(document, CommentedMap):
            continue
        written.documents[path] = document
        for author, value in document.items():
            section = aliases.sections.get(author, author)
            _index(written, section, path, value)
    return written


def _index(written: Written, section: str, path: Path, value: Any) -> None:
    if not isinstance(value, list):
        written.sections[section] = value
        return
    written.sections.setdefault(section, []).extend(
        written.builder_view(section, entry) if isinstance(entry, dict) else entry
        for entry in value
    )
    key = KEYED.get(section)
    for entry in value if key else []:
        name = written.key_in(section, entry, key) if isinstance(entry, CommentedMap) else key
        if isinstance(entry, CommentedMap) and entry.get(name) is not None:
            written.entries.setdefault(section, {}).setdefault(entry[name], (path, entry))


def set_value(entry: CommentedMap, key: str, value: Any, order: list[str], keep: bool) -> None:
    """Write one field of an entry in the style its old value had; an emptied field is
    removed (its default applies) unless ``keep`` (a required one, or a list its file
    writes ``[]`` elsewhere, as an unknown lead); a new one goes in the model's order."""
    if _empty(value) and not keep:
        if key in entry:
            del entry[key]
        return
    if key in entry:
        old = entry[key]
        if isinstance(old, CommentedSeq) and isinstance(value, list):
            styled = [_styled(item, old[0] if old else None) for item in value]
            if not old:  # an empty list is written [] inline: its items stay on its line
                old.fa.set_flow_style()
            del old[:]
            old.extend(styled)
            return
        entry[key] = _styled(value, old)
        return
    entry.insert(_position(entry, key, order), key, _new(value))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _styled(value: Any, old: Any) -> Any:
    """A new text keeps the quotes or block style of the text it replaces."""
    if not isinstance(value, str) or not isinstance(old, str):
        return value
    if isinstance(old, QUOTED):
        return type(old)(value)
    if isinstance(old, LiteralScalarString) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(old, FoldedScalarString):
        return FoldedScalarString(value)
    return value


def _new(value: Any) -> Any:
    if isinstance(value, list):
        return CommentedSeq(value)
    return value


def _position(entry: CommentedMap, key: str, order: list[str]) -> int:
    """After the last key the model lists before this one (the end, when unknown)."""
    rank = _rank(key, order)
    before = [i for i, name in enumerate(entry) if _rank(name, order) <= rank and name != key]
    return before[-1] + 1 if before else 0


def _rank(key: str, order: list[str]) -> float:
    """A field's place in the model; a translation (``title_en``) just after its text."""
    base = key.rsplit("_", 1)[0]
    if key in order:
        return order.index(key)
    return order.index(base) + 0.5 if base in order else len(order)


def new_item(values: dict[str, Any], order: list[str]) -> CommentedMap:
    """A new list item (an evidence row the sheet adds), its fields in the model's order."""
    item = CommentedMap()
    for name in order:
        if name in values and not _empty(values[name]):
            item[name] = _new(values[name])
    return item


def dumped(document: CommentedMap, original: str) -> str:
    """The document as text, each line that says what it said before kept as written."""
    buffer = io.StringIO()
    round_trip().dump(document, buffer)
    return keep_spelling(original, buffer.getvalue())


def keep_spelling(original: str, new: str) -> str:
    """Lines ruamel respelled (``value: null`` as ``value:``) but that hold the same
    value are put back as the author wrote them."""
    old_lines, new_lines = original.splitlines(keepends=True), new.splitlines(keepends=True)
    result: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "replace" and a2 - a1 == b2 - b1:
            pairs = zip(old_lines[a1:a2], new_lines[b1:b2], strict=True)
            result += [old if _same_line(old, line) else line for old, line in pairs]
        else:
            result += new_lines[b1:b2]
    return "".join(result)


def _same_line(old: str, new: str) -> bool:
    """Both lines are one ``key: value`` (or ``- value``) that YAML reads the same."""
    if old.strip() == new.strip():
        return old.rstrip("\n") == new.rstrip("\n")
    indent = len(old) - len(old.lstrip())
    if indent != len(new) - len(new.lstrip()):
        return False
    try:
        return yaml.safe_load(old.strip()) == yaml.safe_load(new.strip()) and _scalar_line(old)
    except yaml.YAMLError:
        return False


def _scalar_line(line: str) -> bool:
    """A line that is a whole key and value (not a block's opening ``key: >-``)."""
    text = line.strip()
    return not text.endswith((">", ">-", "|", "|-", ":")) or text.endswith(": null")
