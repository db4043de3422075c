"""Stage 3: chapters in Markdown (with YAML front matter) become HTML fragments.

Before Markdown, two things make the narrative use the data, so figures never drift:
``[[M12]]`` becomes a link to measure 12 (with its page number, added by CSS), and Jinja
expressions such as ``{{ figures.total }}`` or ``{{ figure('tally') }}`` are evaluated in a
sandbox. Footnotes become inline ``<span class="footnote">`` for WeasyPrint's
``float: footnote``, so they print at the foot of the page that calls them.
"""

from __future__ import annotations

import functools
import logging
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pydantic import Field, ValidationError

from report.errors import ContentError, Problem, ReportError, display_path, raise_if_any
from report.sources.config import Config, Strict
from report.sources.files import MarkdownSource, load_markdown
from report.sources.problems import problems_from

logger = logging.getLogger(__name__)

CHAPTER_DIR = "chapters"
BOX_KINDS = ("encadre", "callout", "quote", "keyfigures")
MEASURE_REF = re.compile(r"\[\[\s*M(?P<number>[^\]\s]*)\s*\]\]")
PLACEHOLDER = "<!--component:{}-->"
PLACEHOLDER_RE = re.compile(r"<!--component:(\d+)-->")


class ChapterMeta(Strict):
    """Front matter keys a chapter may set."""

    title: str | None = Field(default=None, description="Chapter title (default: first # heading).")
    id: str | None = Field(default=None, description="Anchor of the chapter (default: file name).")
    short_title: str | None = Field(default=None, description="Title in the running header.")
    toc: bool = Field(default=True, description="Whether the chapter is listed in the contents.")
    classes: tuple[str, ...] = Field(default=(), description="Extra CSS classes (e.g. annex).")


@dataclass(frozen=True)
class Chapter:
    """One rendered chapter, ready for the page template."""

    id: str
    title: str
    short_title: str
    toc: bool
    classes: tuple[str, ...]
    html: str
    path: Path


Deferred = Callable[[], str]


@dataclass
class Narrative:
    """What Markdown can reach: data for expressions, functions for components.

    A component function checks its arguments when the chapter calls it and returns a
    deferred renderer: blocks are drawn once every chapter is read, so a recap knows
    which measures have a card elsewhere (and where links must point).
    """

    variables: Mapping[str, Any]
    components: Mapping[str, Callable[..., Deferred]]
    measure_label: str
    known_measures: set[int]
    content_dir: Path
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    pending: list[Deferred] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)


def chapter_files(content_dir: Path, config: Config, chapters_dir: str = CHAPTER_DIR) -> list[Path]:
    """The chapters in the order of ``report.yaml`` (default: every ``*.md``, by name)."""
    folder = content_dir / chapters_dir
    if config.chapters:
        return [folder / name for name in config.chapters]
    return sorted(folder.glob("*.md"))


def load_chapters(
    content_dir: Path, config: Config, narrative: Narrative, chapters_dir: str = CHAPTER_DIR
) -> list[Chapter]:
    """Read and convert every chapter, reporting every problem of every file at once."""
    chapters, problems = [], []
    for path in chapter_files(content_dir, config, chapters_dir):
        try:
            chapters.append(convert_chapter(load_markdown(path), narrative))
        except ReportError as error:  # a file that cannot be read, or its content
            problems += error.problems
    raise_if_any(problems, ContentError)
    if not chapters:
        raise ContentError(
            Problem(
                content_dir / chapters_dir,
                ("no chapter found; add Markdown files (*.md) to this folder"),
            )
        )
    return _place_components(chapters, narrative)


def _place_components(chapters: list[Chapter], narrative: Narrative) -> list[Chapter]:
    """Render the deferred components, in document order, into their placeholders."""
    blocks = [render() for render in narrative.pending]
    placed = []
    for chapter in chapters:
        html = PLACEHOLDER_RE.sub(lambda match: blocks[int(match[1])], chapter.html)
        placed.append(replace(chapter, html=html))
    return placed


def convert_chapter(source: MarkdownSource, narrative: Narrative) -> Chapter:
    """Front matter + references + expressions + Markdown -> one chapter's HTML."""
    try:
        meta = ChapterMeta.model_validate(source.front_matter)
    except ValidationError as error:
        raise ContentError(
            problems_from(error, source.front_matter, source.path, ChapterMeta)
        ) from None
    title, html = convert_text(source, narrative, meta)
    chapter_id = meta.id or _slug(source.path.stem)
    return Chapter(
        chapter_id, title, meta.short_title or title, meta.toc, meta.classes, html, source.path
    )


def convert_text(
    source: MarkdownSource, narrative: Narrative, meta: ChapterMeta | None = None
) -> tuple[str, str]:
    """References, expressions, then Markdown; returns the title (if asked for) and HTML."""
    text = link_measures(source, narrative)
    text = expand_expressions(text, source, narrative)
    title = ""
    if meta is not None:
        title, text = _split_title(meta, text, source)
    html = markdown_to_html(
        text, source, narrative.content_dir, narrative.links, narrative.used_ids
    )
    return title, html


def load_letter(path: Path, narrative: Narrative) -> str:
    """The cover letter of a dossier: Markdown with the same expressions as chapters."""
    _, html = convert_text(load_markdown(path), narrative)
    blocks = [render() for render in narrative.pending]
    return PLACEHOLDER_RE.sub(lambda match: blocks[int(match[1])], html)


def link_measures(source: MarkdownSource, narrative: Narrative) -> str:
    """Replace ``[[M12]]`` with a link to the measure; an unknown number is an error."""
    problems = []

    def replace(match: re.Match, line: int) -> str:
        raw = match["number"]
        if not raw.isdigit() or int(raw) not in narrative.known_measures:
            problems.append(
                Problem(
                    source.path,
                    (
                        f"'{match[0]}' refers to no measure (known: M1 to "
                        f"M{max(narrative.known_measures, default=0)}); fix the number"
                    ),
                    line,
                )
            )
            return match[0]
        number = int(raw)
        return (
            f'<a class="measure-ref" href="#mesure-{number}">'
            f"{narrative.measure_label}\u00a0{number}</a>"
        )

    lines = source.body.split("\n")
    for index, line in enumerate(lines):
        lines[index] = MEASURE_REF.sub(
            lambda match, n=index: replace(match, source.body_line + n), line
        )
    raise_if_any(problems, ContentError)
    return "\n".join(lines)


def expand_expressions(text: str, source: MarkdownSource, narrative: Narrative) -> str:
    """Evaluate ``{{ ... }}`` in a sandbox; components become placeholders Markdown keeps."""
    environment = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    environment.filters.update(narrative.filters)

    def placeholder(function: Callable[..., str]) -> Callable[..., str]:
        def call(*args: Any, **kwargs: Any) -> str:
            narrative.pending.append(function(*args, **kwargs))
            return PLACEHOLDER.format(len(narrative.pending) - 1)

        return call

    functions = {name: placeholder(f) for name, f in narrative.components.items()}
    try:
        template = environment.from_string(text)
        template.filename = str(source.path)
        return template.render({**narrative.variables, **functions})
    except jinja2.TemplateSyntaxError as error:
        line = source.body_line + (error.lineno or 1) - 1
        raise ContentError(
            Problem(source.path, f"template syntax error: {error.message}", line)
        ) from None
    except (
        jinja2.UndefinedError,
        jinja2.exceptions.SecurityError,
        TypeError,
        LookupError,
        ValueError,
    ) as error:
        line = _template_line(error, source)
        raise ContentError(
            Problem(
                source.path,
                (f"expression failed: {error}; check the name against docs/writing.md"),
                line,
            )
        ) from None


def _template_line(error: Exception, source: MarkdownSource) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == str(source.path) and frame.lineno:
            return source.body_line + frame.lineno - 1
    return None


def _split_title(meta: ChapterMeta, text: str, source: MarkdownSource) -> tuple[str, str]:
    """The title comes from front matter, else from the first ``# `` heading (then removed)."""
    if meta.title:
        return meta.title, text
    match = re.search(r"^# +(.+?) *#*$", text, flags=re.MULTILINE)
    if match is None:
        raise ContentError(
            Problem(
                source.path,
                ("chapter has no title; add 'title:' to the front matter or a '# Title' line"),
                source.body_line,
            )
        )
    return match[1], text[: match.start()] + text[match.end() :]


def _slug(text: str) -> str:
    text = re.sub(r"^\d+[-_ ]*", "", text)
    return re.sub(r"[^\w-]+", "-", text.lower()).strip("-")


@functools.cache
def markdown_parser() -> MarkdownIt:
    """CommonMark plus tables, footnotes, attributes, heading ids and ``:::`` boxes."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    md.use(footnote_plugin).use(attrs_block_plugin).use(attrs_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4)
    for kind in BOX_KINDS:
        md.use(container_plugin, kind)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    # markdown-it silently prints `![x](file:///...)` as text; we accept every URL here and
    # refuse non-local images ourselves, with a message naming the file and line.
    md.validateLink = lambda url: True
    return md


def markdown_to_html(
    text: str,
    source: MarkdownSource,
    content_dir: Path,
    links: list[str] | None = None,
    used_ids: set[str] | None = None,
) -> str:
    """Render Markdown, moving footnote texts to their calls and checking every image.

    External link targets are appended to ``links``: the sources annex lists them.
    """
    env: dict[str, Any] = {}
    md = markdown_parser()
    tokens = md.parse(text, env)
    if links is not None:
        links += _external_links(tokens)
    _check_images(tokens, source, content_dir)
    _unique_heading_ids(tokens, set() if used_ids is None else used_ids)
    tokens, notes = _extract_footnotes(tokens, env)
    env["inline_footnotes"] = notes
    return md.renderer.render(tokens, md.options, env)


def _extract_footnotes(tokens: list[Token], env: dict) -> tuple[list[Token], dict[int, str]]:
    """Pull footnote definitions out of the flow and pre-render their inline HTML."""
    notes: dict[int, str] = {}
    kept: list[Token] = []
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = ""
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            children = [c for c in token.children or [] if c.type != "footnote_anchor"]
            separator = " " if notes[current] else ""
            md = markdown_parser()
            notes[current] += separator + md.renderer.renderInline(children, md.options, env)
        elif current is None and not token.type.startswith("footnote_block"):
            kept.append(token)
    return kept, notes


def _unique_heading_ids(tokens: list[Token], used: set[str]) -> None:
    """Heading ids must be unique in the whole report, not only in their chapter."""
    for token in tokens:
        if token.type != "heading_open" or "id" not in token.attrs:
            continue
        base = candidate = str(token.attrs["id"])
        suffix = 2
        while candidate in used:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        used.add(candidate)
        token.attrs["id"] = candidate


def _external_links(tokens: list[Token]) -> list[str]:
    """Every http(s) link target, footnotes included, in reading order."""
    found = []
    for token in tokens:
        for child in [token, *(token.children or [])]:
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href.startswith(("http://", "https://")):
                found.append(href)
    return found


def _render_footnote_ref(self, tokens, index, options, env) -> str:
    note = env["inline_footnotes"].get(tokens[index].meta["id"], "")
    return f'<span class="footnote">{note}</span>'


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
    path = (base / unquote(parts.path)).resolve()
    if not path.is_relative_to(content_dir.resolve()):
        return "it points outside the content folder; copy the file into images/"
    return path
