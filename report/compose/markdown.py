"""Markdown to HTML: CommonMark with tables, footnotes, attributes, heading ids and boxes.

This module knows Markdown and HTML, nothing about the report's data. Footnote texts are
moved to their call sites as ``<span class="footnote">`` inside the span of their call
(WeasyPrint's ``float: footnote`` prints them at the foot of the calling page), heading
ids are made unique across the whole document, every image must be a file inside the
content folder, every link says where it leads (its ``title``), and external links are
collected for the sources annex.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from report.compose.sanitise import MAX_NESTING, nesting, sanitise
from report.errors import ContentError, Problem, display_path, raise_if_any
from report.sources.files import MarkdownSource
from report.sources.paths import inside

logger = logging.getLogger(__name__)

BOX_KINDS = ("encadre", "callout", "quote", "keyfigures", "aside")


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark plus tables, footnotes, attributes, heading ids and ``:::`` boxes."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    # [texte]{lang=en} marks a passage in another language (a span with its attributes)
    md.use(footnote_plugin).use(attrs_block_plugin).use(attrs_plugin, spans=True)
    md.use(anchors_plugin, min_level=2, max_level=4)
    for kind in BOX_KINDS:
        md.use(container_plugin, kind, render=_render_aside if kind == "aside" else None)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("list_item_open", _render_tight_in_item)
    md.add_render_rule("paragraph_close", _render_tight_in_item)
    # markdown-it silently prints `![x](file:///...)` as text; we accept every URL here and
    # refuse non-local images ourselves, with a message naming the file and line.
    md.validateLink = lambda url: True
    return md


class Link(NamedTuple):
    """An external link of a text, the line of the block that holds it, and what the link
    says it leads to (its title)."""

    href: str
    line: int | None
    title: str = ""


@dataclass(frozen=True)
class MarkdownHtml:
    """What one Markdown text gives: its HTML, the external links it cites (in reading
    order, for the sources annex and the mirror check) and the heading ids it took."""

    html: str
    links: tuple[Link, ...]
    ids: frozenset[str]


def markdown_to_html(
    text: str, source: MarkdownSource, content_dir: Path, taken_ids: frozenset[str] = frozenset()
) -> MarkdownHtml:
    """Render Markdown, moving footnote texts to their calls and checking every image.

    Heading ids avoid ``taken_ids`` (ids used elsewhere in the document): an id is unique
    in the whole report, not only in its chapter.
    """
    env: dict[str, Any] = {}
    md = markdown_parser()
    tokens = md.parse(text, env)
    links = _external_links(tokens, source.body_line)
    _check_images(tokens, source, content_dir)
    _warn_about_empty_headers(tokens, source)
    ids = _unique_heading_ids(tokens, taken_ids)
    tokens, notes = _extract_footnotes(tokens, env, source)
    env["inline_footnotes"] = notes
    html = sanitise(md.renderer.render(tokens, md.options, env))
    if (depth := nesting(html)) > MAX_NESTING:
        raise ContentError(
            Problem(
                source.path,
                (
                    f"the HTML of this text nests elements {depth} levels deep, over the limit of "
                    f"{MAX_NESTING}; simplify it"
                ),
            )
        )
    return MarkdownHtml(html, tuple(links), ids)


def _extract_footnotes(
    tokens: list[Token], env: dict, source: MarkdownSource
) -> tuple[list[Token], dict[int, str]]:
    """Pull footnote definitions out of the flow and pre-render their inline HTML.

    A footnote cannot call another one: a note is printed at the foot of the page, where
    no further note can be called from.
    """
    notes: dict[int, str] = {}
    kept: list[Token] = []
    current: Token | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token
            notes[current.meta["id"]] = ""
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            children = token.children or []
            for call in (child for child in children if child.type == "footnote_ref"):
                message = (
                    f"footnote {_label(current)} calls footnote {_label(call)}; a footnote "
                    f"cannot hold another: write its text into {_label(current)}"
                )
                line = source.body_line + token.map[0] if token.map else None
                raise ContentError(Problem(source.path, message, line))
            md = markdown_parser()
            text = md.renderer.renderInline(children, md.options, env)
            notes[current.meta["id"]] += (" " if notes[current.meta["id"]] else "") + text
        elif current is not None and token.type == "html_block":  # a note that starts with
            said = notes[current.meta["id"]]  # a tag or a comment (a citation)
            notes[current.meta["id"]] += (" " if said else "") + token.content.strip()
        elif current is None and not token.type.startswith("footnote_block"):
            kept.append(token)
    return kept, notes


def _label(token: Token) -> str:
    """How the author wrote a footnote: ``[^a]``, or ``^[...]`` for an inline one."""
    label = token.meta.get("label")
    return f"[^{label}]" if label else "^[...]"


def _unique_heading_ids(tokens: list[Token], taken: frozenset[str]) -> frozenset[str]:
    """Give each heading an id no other heading or block of the document has."""
    used: set[str] = set()
    for token in tokens:
        if token.type != "heading_open" or "id" not in token.attrs:
            continue
        base = candidate = str(token.attrs["id"])
        suffix = 2
        while candidate in taken or candidate in used:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        used.add(candidate)
        token.attrs["id"] = candidate
    return frozenset(used)


def _external_links(tokens: list[Token], first_line: int) -> list[Link]:
    """Every http(s) link target, footnotes included, in reading order, with its line."""
    found = []
    for token in tokens:
        line = first_line + token.map[0] if token.map else None
        for child in [token, *(token.children or [])]:
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href.startswith(("http://", "https://")):
                found.append(Link(href, line, link_title(token.children or [], child)))
    return found


def link_title(tokens: list[Token], opening: Token) -> str:
    """What a link says it leads to, for the PDF's link description: the ``title`` its
    author gave (``[text](url "title")``), else its text, else (when its text is its
    address) the address's host."""
    given = str(opening.attrs.get("title") or "")
    if given:
        return given
    words, depth, started = [], 0, False
    for token in tokens:
        if token is opening:
            started = True
        elif started and token.type == "link_open":
            depth += 1
        elif started and token.type == "link_close":
            if depth == 0:
                break
            depth -= 1
        elif started and token.type in ("text", "code_inline", "image"):
            words.append(token.content)
        elif started and token.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return describe_address(str(opening.attrs.get("href", "")), "".join(words))


def describe_address(url: str, text: str = "") -> str:
    """A link's text as its description, unless the text is the address itself: then the
    host ("legifrance.gouv.fr"), which says more than a path; or the address."""
    said = " ".join(text.split())
    if said and said.rstrip("/") != url.rstrip("/"):
        return said
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return host or url


def _render_tight_in_item(self, tokens, index, options, env) -> str:
    """No line break between a list item's paragraphs (a loose list): they are inline
    blocks (report.css), and a line break between two would be a space of its own, an
    element of the PDF's structure tree that reads nothing."""
    html = self.renderToken(tokens, index, options, env)
    token = tokens[index]
    if token.hidden or (token.type == "paragraph_close" and token.level == 0):
        return html
    parent = next(
        (tokens[i] for i in range(index - 1, -1, -1) if tokens[i].level < token.level),
        None,
    )
    in_item = token.type == "list_item_open" or (
        parent is not None and parent.type == "list_item_open"
    )
    return html.rstrip("\n") if in_item else html


def _render_link_open(self, tokens, index, options, env) -> str:
    """Every link carries a title (see ``link_title``), which the PDF copies into the
    link's description: a screen reader lists links by it."""
    token = tokens[index]
    if not token.attrs.get("title"):
        token.attrSet("title", link_title(tokens, token))
    return self.renderToken(tokens, index, options, env)


def _render_aside(self, tokens, index, options, env) -> str:
    """A side note, then an empty one: the stylesheet shows the first side note of a page
    in its outer margin, and the empty one is what the next pages inherit (running
    elements carry over to the pages after, where nothing should show)."""
    if tokens[index].nesting == 1:
        return '<div class="aside">\n'
    return '</div>\n<div class="aside aside-end"></div>\n'


def _render_footnote_ref(self, tokens, index, options, env) -> str:
    """The note where it is called: WeasyPrint prints it at the foot of the page and leaves
    its number (``::footnote-call``) here, inside the call's span. The DPUB-ARIA roles say
    which is the note and which the call (the PDF stage makes them a Note and a
    Reference)."""
    note = env["inline_footnotes"].get(tokens[index].meta["id"], "")
    return (
        '<span class="footnote-call" role="doc-noteref">'
        f'<span class="footnote" role="doc-footnote">{note}</span></span>'
    )


def _warn_about_empty_headers(tokens: list[Token], source: MarkdownSource) -> None:
    """A table's header cell with no word: a screen reader names each data cell by its
    headers, and would name these by nothing. Hidden words are words all the same."""
    line = None
    for index, token in enumerate(tokens):
        line = source.body_line + token.map[0] if token.map else line
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "th_open" and following is not None and not following.content.strip():
            logger.warning(
                "%s:%s: a table's header cell is empty; give it a word (a screen reader "
                "names each cell of the column by it), hidden if need be: "
                "[N°]{.visually-hidden}",
                display_path(source.path),
                line,
            )


def _check_images(tokens: list[Token], source: MarkdownSource, content_dir: Path) -> None:
    """Images must be files inside the content folder; refuse others, report missing ones."""
    problems = []
    for block in tokens:
        for token in block.children or []:
            if token.type != "image":
                continue
            line = source.body_line + (block.map[0] if block.map else 0)
            resolved = resolve_local(
                str(token.attrs.get("src", "")), source.path.parent, content_dir
            )
            if isinstance(resolved, str):
                logger.warning(
                    "%s:%d: image '%s' refused: %s",
                    display_path(source.path),
                    line,
                    token.attrs.get("src"),
                    resolved,
                )
                token.attrs.pop("src")
                token.attrs["data-refused"] = "true"
            elif not resolved.is_file():
                problems.append(
                    Problem(
                        source.path,
                        (
                            f"image '{token.attrs.get('src')}' not found (looked for "
                            f"{display_path(resolved)}); fix the path or add the file"
                        ),
                        line,
                    )
                )
            else:
                token.attrs["src"] = resolved.relative_to(content_dir.resolve()).as_posix()
    raise_if_any(problems, ContentError)


def resolve_local(url: str, base: Path, content_dir: Path) -> Path | str:
    """Resolve a relative URL inside the content folder; return a reason string if refused."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        return (
            "only files inside the content folder may be used "
            "(no network, no absolute paths); copy the file into images/"
        )
    path = base / unquote(parts.path)
    if not inside(path, content_dir):
        return "it points outside the content folder; copy the file into images/"
    return path.resolve()
