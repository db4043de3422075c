"""Stage 1: read files from the content folder, keeping line numbers for error messages.

YAML mappings are loaded as :class:`LocatedDict` (a dict that remembers the line of each
key) and sequences as :class:`LocatedList`, so later stages can point at ``file:line``.
Duplicate keys are an error: PyYAML silently keeps the last one, which loses data.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from report.errors import Problem, SourceError


class LocatedDict(dict):
    """A YAML mapping that knows the file and line of itself and of each of its keys."""

    path: Path
    line: int
    key_lines: dict[Any, int]


class LocatedList(list):
    """A YAML sequence that knows the file and line of each of its items."""

    path: Path
    line: int
    item_lines: list[int]


@contextmanager
def _field_prefix(part: str) -> Iterator[None]:
    """Name the field of a value that fails to construct (``evidence[0].date``)."""
    try:
        yield
    except SourceError as problem:
        inner = problem.problems[0]
        field = (
            part
            if not inner.field
            else (
                f"{part}{inner.field}" if inner.field.startswith("[") else f"{part}.{inner.field}"
            )
        )
        raise SourceError(Problem(inner.path, inner.message, inner.line, field)) from None


MAX_BYTES = 10_000_000  # a report's chapters and data are kilobytes; a 10 MB text is a mistake
MAX_DEPTH = 64  # lists in mappings in lists...: a report needs fewer than ten levels
MAX_VALUES = 1_000_000  # values a file may stand for once its aliases (*name) are expanded
TOO_MANY_VALUES = (
    f"the YAML aliases (*name) of this file expand to more than {MAX_VALUES:,} values; "
    "write the values out instead of repeating aliases of aliases"
)
TOO_DEEP = f"the YAML is nested more than {MAX_DEPTH} levels deep; flatten it"


def _make_loader(path: Path, first_line: int = 1) -> type[yaml.SafeLoader]:
    """Build a SafeLoader subclass bound to ``path`` that records lines and refuses duplicates.

    ``first_line`` is the file line where the YAML text starts (2 for front matter).
    """

    def line_of(node: yaml.Node) -> int:
        return node.start_mark.line + first_line

    class LocatingLoader(yaml.SafeLoader):
        depth = 0
        first_alias: int | None = None

        def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
            """Refuse nesting deeper than any report needs (it would exhaust the stack)."""
            event = self.peek_event()
            line = event.start_mark.line + first_line
            if isinstance(event, yaml.AliasEvent) and self.first_alias is None:
                self.first_alias = line
            if self.depth >= MAX_DEPTH:
                raise SourceError(Problem(path, TOO_DEEP, line))
            self.depth += 1
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def compose_document(self) -> yaml.Node:
            """Refuse aliases (*name) that expand to more values than a report holds: a few
            lines of them can stand for billions (a "billion laughs")."""
            node = super().compose_document()
            if self.first_alias is None:
                return node
            try:
                size = _expanded(node, {})
            except _TooDeep:
                raise SourceError(Problem(path, TOO_DEEP, self.first_alias)) from None
            if size > MAX_VALUES:
                raise SourceError(Problem(path, TOO_MANY_VALUES, self.first_alias))
            return node

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:
            result = LocatedDict()
            result.path, result.line, result.key_lines = path, line_of(node), {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                line = line_of(key_node)
                if not isinstance(key, Hashable):  # '[Note]: x' makes a list the key
                    raise SourceError(
                        Problem(
                            path,
                            "a key must be plain text, not a list or mapping; "
                            "put it in quotes if it starts with '[' or '{'",
                            line,
                        )
                    )
                if key in result:
                    first = result.key_lines[key]
                    raise SourceError(
                        Problem(
                            path,
                            (
                                f"duplicate key '{key}' (first defined on line {first}); "
                                "remove or rename one of them"
                            ),
                            line,
                        )
                    )
                with _field_prefix(str(key)):
                    result[key] = self.construct_object(value_node, deep=True)
                result.key_lines[key] = line
            return result

        def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocatedList:
            result = LocatedList()
            for index, child in enumerate(node.value):
                with _field_prefix(f"[{index}]"):
                    result.append(self.construct_object(child, deep=True))
            result.path, result.line = path, line_of(node)
            result.item_lines = [line_of(child) for child in node.value]
            return result

        def construct_yaml_timestamp(self, node: yaml.ScalarNode):  # type: ignore[override]
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:
                raise SourceError(
                    Problem(
                        path,
                        (f"'{node.value}' is not a real date; write it as YYYY-MM-DD"),
                        line_of(node),
                    )
                ) from None

    LocatingLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LocatingLoader.construct_mapping
    )
    LocatingLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, LocatingLoader.construct_sequence
    )
    LocatingLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", LocatingLoader.construct_yaml_timestamp
    )
    return LocatingLoader


class _TooDeep(Exception):
    """Aliases nest the values deeper than MAX_DEPTH once written out."""


def _expanded(node: yaml.Node, sizes: dict[int, tuple[int, int]], level: int = 0) -> int:
    """How many values ``node`` stands for once every alias is written out (an alias is
    the very node of its anchor, so each node is measured once), refusing a nesting
    deeper than MAX_DEPTH on the way (so this never exhausts the stack either)."""
    if level > MAX_DEPTH or level + sizes.get(id(node), (0, 0))[1] > MAX_DEPTH:
        raise _TooDeep
    if id(node) not in sizes:
        sizes[id(node)] = (1, 0)  # a node within itself (a recursive alias) counts once
        children = node.value if isinstance(node, yaml.CollectionNode) else []
        if isinstance(node, yaml.MappingNode):
            children = [item for pair in children for item in pair]
        sizes[id(node)] = (
            1 + sum(_expanded(child, sizes, level + 1) for child in children),
            1 + max((sizes[id(child)][1] for child in children), default=0),
        )
    return sizes[id(node)][0]


def read_text(path: Path) -> str:
    """Read a UTF-8 file, turning a missing file or bad encoding into a located problem.

    A byte order mark (which Windows editors put at the start) is dropped, and a file
    larger than any report's text is refused before it is read.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            size = path.stat().st_size / 1e6
            raise SourceError(
                Problem(
                    path,
                    (
                        f"the file is {size:.0f} MB, over the limit of {MAX_BYTES // 10**6} MB "
                        "for a text or data file; split it or remove what is not text"
                    ),
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(Problem(path, "file not found; create it or fix the name")) from None
    except OSError as error:
        raise SourceError(Problem(path, f"cannot be read ({error.strerror})")) from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            Problem(
                path,
                (
                    f"invalid UTF-8 (byte 0x{raw[error.start]:02x}); "
                    "save the file with UTF-8 encoding"
                ),
                line,
            )
        ) from None


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML text; ``first_line`` shifts line numbers for front matter inside Markdown."""
    try:
        data = yaml.load(text, Loader=_make_loader(path, first_line))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        reason = error.problem or error.context or "invalid YAML"
        raise SourceError(Problem(path, f"YAML syntax error: {reason}", line)) from None
    except yaml.reader.ReaderError as error:  # a control character, say
        line = text[: error.position].count("\n") + first_line
        raise SourceError(
            Problem(
                path,
                (f"the character U+{error.character:04X} is not allowed in YAML; remove it"),
                line,
            )
        ) from None
    return data


def load_yaml(path: Path) -> Any:
    """Read and parse one YAML file with located mappings."""
    return parse_yaml(read_text(path), path)


@dataclass(frozen=True)
class MarkdownSource:
    """A chapter file split into its front matter and its Markdown body."""

    path: Path
    front_matter: dict
    body: str
    body_line: int


def load_markdown(path: Path) -> MarkdownSource:
    """Split ``---`` YAML front matter from the Markdown body, keeping the body's first line."""
    text = read_text(path)
    if not text.startswith("---"):
        return MarkdownSource(path, {}, text, 1)
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            meta = parse_yaml("".join(lines[1:index]), path, first_line=2) or {}
            if not isinstance(meta, dict):
                raise SourceError(
                    Problem(path, ("front matter must be a mapping of 'key: value' lines"), 2)
                )
            return MarkdownSource(path, meta, "".join(lines[index + 1 :]), index + 2)
    raise SourceError(Problem(path, ("front matter is not closed; add a line '---' after it"), 1))


def locate(data: Any, loc: tuple) -> int | None:
    """Find the line of the item at ``loc`` (a pydantic-style path) inside loaded YAML."""
    line = getattr(data, "line", None)
    for part in loc:
        if isinstance(data, LocatedDict) and part in data:
            line, data = data.key_lines.get(part, line), data[part]
        elif isinstance(data, LocatedList) and isinstance(part, int) and part < len(data):
            line, data = data.item_lines[part], data[part]
        else:
            break
    return line
