"""Chapters in Markdown (with YAML front matter) become HTML fragments.

Before Markdown, three things make the narrative use the data, so figures never drift
and every fact leads to its source: ``[@key, p. 3]`` becomes a footnote (``citations.py``);
``[[M12]]`` becomes a link to measure 12 (with its page number, added by CSS), and Jinja
expressions such as ``{{ figures.total }}`` or ``{{ figure('tally') }}`` are evaluated in a
sandbox. A component call leaves a placeholder; the blocks are drawn once every text of
the document is read (``placement.py``). Markdown itself is ``markdown.py``'s business.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from pydantic import Field, ValidationError

from report.compose.citations import Citations, cite_in_text
from report.compose.crossrefs import link_references
from report.compose.literal import set_code_aside
from report.compose.markdown import Link, markdown_to_html
from report.compose.placement import Deferred, Placement
from report.compose.sandbox import ContentSandbox, with_column
from report.errors import ContentError, Problem, ReportError, raise_if_any
from report.sources.config import Config
from report.sources.files import MarkdownSource, load_markdown
from report.sources.model import Measure, Recommendation
from report.sources.paths import checked
from report.sources.problems import problems_from
from report.sources.sourcing import address_problem
from report.sources.strict import Strict
from report.sources.vocabulary import Words

logger = logging.getLogger(__name__)

CHAPTER_DIR = "chapters"
# What a chapter's expression can raise: each is the author's mistake, told in one line.
EXPRESSION_MISTAKES = (
    jinja2.UndefinedError,
    jinja2.exceptions.SecurityError,
    TypeError,
    LookupError,
    ValueError,
    ArithmeticError,  # {{ x / 0 }}, OverflowError
    RecursionError,  # a macro that calls itself for ever
    MemoryError,
)


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


@dataclass
class Narrative:
    """What Markdown can reach: data for expressions, functions for components, and the
    document's placement (shared by every text of one document, the letter included).

    A component function checks its arguments when a text calls it and returns a
    deferred renderer: blocks are drawn once every text is read, so a recap knows which
    measures have a card elsewhere (and where links must point).
    """

    variables: Mapping[str, Any]
    components: Mapping[str, Callable[..., Deferred]]
    words: Words
    measures: Mapping[int, Measure]
    recommendations: Mapping[str, Recommendation]
    content_dir: Path
    placement: Placement
    citations: Citations | None = None
    mirrors: tuple[str, ...] = ()
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    sandbox: ContentSandbox = field(init=False)

    def __post_init__(self) -> None:
        """One sandbox for every text of the document: its limits count for all of them."""
        self.sandbox = ContentSandbox(
            undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
        )
        self.sandbox.filters.update(self.filters)


def chapter_files(content_dir: Path, config: Config, chapters_dir: str = CHAPTER_DIR) -> list[Path]:
    """The chapters in the order of ``report.yaml`` (default: every ``*.md``, by name)."""
    folder = content_dir / chapters_dir
    if config.chapters:
        return [folder / name for name in config.chapters]
    return sorted(folder.glob("*.md"))


def load_chapters(
    content_dir: Path, config: Config, narrative: Narrative, chapters_dir: str = CHAPTER_DIR
) -> list[Chapter]:
    """Read and convert every chapter, reporting every problem of every file at once.

    Their component blocks are still placeholders: ``place_blocks`` draws them.
    """
    sources: list[tuple[int, MarkdownSource]] = []
    found: list[tuple[int, Problem]] = []  # by file, so they are listed in file order
    for order, path in enumerate(chapter_files(content_dir, config, chapters_dir)):
        try:
            if config.chapters and not path.exists():
                raise ContentError(
                    Problem(
                        path,
                        (
                            f"not found in {chapters_dir}/, although report.yaml lists it in its "
                            "chapters; fix the name there or add the file"
                        ),
                    )
                )
            sources.append((order, load_markdown(checked(path, content_dir))))
        except ReportError as error:  # a file that cannot be read
            found += [(order, problem) for problem in error.problems]
    # Chapters' ids first, so that no heading of an earlier chapter takes one of them.
    narrative.placement.taken_ids |= {_chapter_id(source) for _, source in sources}
    chapters = []
    for order, source in sources:
        try:
            chapters.append(convert_chapter(source, narrative))
        except ReportError as error:  # its content
            found += [(order, problem) for problem in error.problems]
    problems = [problem for _, problem in sorted(found, key=lambda item: item[0])]
    raise_if_any(problems, ContentError)
    if not chapters:
        message = "no chapter found; add Markdown files (*.md) to this folder"
        raise ContentError(Problem(content_dir / chapters_dir, message))
    return chapters


def place_blocks(
    placement: Placement, chapters: list[Chapter], letter: str = ""
) -> tuple[list[Chapter], str]:
    """Draw every component block of the document into the letter and the chapters."""
    letter, *htmls = placement.draw([letter, *(chapter.html for chapter in chapters)])
    return [replace(c, html=html) for c, html in zip(chapters, htmls, strict=True)], letter


def convert_chapter(source: MarkdownSource, narrative: Narrative) -> Chapter:
    """Front matter + references + expressions + Markdown -> one chapter's HTML."""
    try:
        meta = ChapterMeta.model_validate(source.front_matter)
    except ValidationError as error:
        raise ContentError(
            problems_from(error, source.front_matter, source.path, ChapterMeta)
        ) from None
    title, html = convert_text(source, narrative, meta)
    return Chapter(
        _chapter_id(source),
        title,
        meta.short_title or title,
        meta.toc,
        meta.classes,
        html,
        source.path,
    )


def _chapter_id(source: MarkdownSource) -> str:
    """The anchor of a chapter: its front matter's ``id``, else its file's name."""
    given = source.front_matter.get("id")
    return given if isinstance(given, str) and given else _slug(source.path.stem)


def convert_text(
    source: MarkdownSource, narrative: Narrative, meta: ChapterMeta | None = None
) -> tuple[str, str]:
    """References, expressions, citations, then Markdown; returns the title (if asked for)
    and HTML.

    Code spans and blocks are set aside first: they stay literal. Citations come after
    expressions, so a citation inside ``{% if %}`` counts only when it is printed.
    """
    text, literals = set_code_aside(source.body)
    text = link_references(
        text, source, narrative.measures, narrative.recommendations, narrative.words
    )
    text = expand_expressions(text, source, narrative)
    if narrative.citations is not None:
        text = cite_in_text(text, source, narrative.citations, narrative.placement.defer)
    text = literals.restore(text)
    title = ""
    if meta is not None:
        title, text = _split_title(meta, text, source)
    placement = narrative.placement
    converted = markdown_to_html(
        text, source, narrative.content_dir, frozenset(placement.taken_ids)
    )
    placement.taken_ids |= converted.ids
    placement.links += [link.href for link in converted.links]
    for link in converted.links:
        placement.link_titles.setdefault(link.href, link.title)
    warn_about_mirrors(converted.links, source, narrative.mirrors)
    return title, converted.html


def warn_about_mirrors(links: tuple[Link, ...], source: MarkdownSource, mirrors: tuple) -> None:
    """A link to a mirror in a text is a source a lawyer would not accept: cite the primary
    document from the bibliography instead."""
    for link in links:
        message = address_problem(link.href, mirrors, cite="[@key]") if mirrors else ""
        if message:
            logger.warning("%s", Problem(source.path, message, link.line))


def load_letter(path: Path, narrative: Narrative) -> str:
    """A dossier's cover letter: Markdown with the same expressions as chapters (its
    blocks are drawn with the chapters', from the same ids)."""
    return convert_text(load_markdown(checked(path, narrative.content_dir)), narrative)[1]


def expand_expressions(text: str, source: MarkdownSource, narrative: Narrative) -> str:
    """Evaluate ``{{ ... }}`` in a sandbox; components become placeholders Markdown keeps."""
    environment = narrative.sandbox

    def placeholder(function: Callable[..., Deferred]) -> Callable[..., str]:
        def call(*args: Any, **kwargs: Any) -> str:
            return narrative.placement.defer(function(*args, **kwargs))

        return call

    functions = {name: placeholder(f) for name, f in narrative.components.items()}
    try:
        template = environment.from_string(text)
        template.filename = str(source.path)
        return template.render({**narrative.variables, **functions})
    except jinja2.TemplateSyntaxError as error:
        line = source.body_line + (error.lineno or 1) - 1
        message = f"template syntax error: {with_column(error.message or '', text)}"
        raise ContentError(Problem(source.path, message, line)) from None
    except EXPRESSION_MISTAKES as error:
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
