"""The Jinja2 page templates and the final HTML document.

Templates receive typed objects (``Config``, ``PlanData``, ``Counts``), never raw YAML.
A content folder may override any packaged template by putting a file of the same name
in its ``templates/`` folder. The environment is made for one document, with everything
templates read given when it is made; nothing is added to it afterwards, so one
document's state never leaks into another's (what a document places travels in its
``Placement``).
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from report.compose.chapters import Chapter
from report.compose.charts import Chart
from report.compose.foreign import in_languages, marked, marked_ranges, unmarked
from report.compose.labels import (
    address_label,
    linked,
    measure_label,
    plain,
    recommendation_label,
)
from report.compose.markdown import markdown_parser
from report.compose.placement import Placement
from report.compose.sandbox import ContentSandbox, with_column
from report.compose.sanitise import sanitise
from report.compose.typography import apply_typography
from report.compute.counts import Counts
from report.compute.history import History
from report.errors import Problem, RenderError
from report.i18n.catalogue import Catalogue, Typography
from report.output.attachments import DataFile
from report.sources.config import Config
from report.sources.dates import date_parts
from report.sources.editions import FULL_REPORT, Edition
from report.sources.model import Body, PlanData
from report.sources.paths import checked

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class ReportContext:
    """Everything the page template can use."""

    config: Config
    data: PlanData
    figures: Counts
    charts: dict[str, Chart]
    attachments: tuple[DataFile, ...] = ()
    edition: Edition = FULL_REPORT
    body: Body | None = None
    history: History | None = None


class ContentTemplates(jinja2.FileSystemLoader):
    """The content folder's ``templates/``, where a link to a file outside is refused."""

    def __init__(self, content_dir: Path) -> None:
        super().__init__(content_dir / "templates")
        self.content_dir = content_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        checked(Path(filename), self.content_dir)
        return source, filename, uptodate


def make_environment(content_dir: Path, context: ReportContext) -> jinja2.Environment:
    """Jinja2 with autoescape and StrictUndefined; content templates override packaged ones.

    Every template can read ``_`` (the builder's words), ``config``, ``data``, ``figures``
    (the counts), ``charts``, ``edition`` and ``body`` (a dossier's addressee), and use the
    filters ``number``, ``numbers``, ``in_words``, ``longdate`` and ``percent``.
    """
    loader = jinja2.ChoiceLoader(
        [ContentTemplates(content_dir), jinja2.FileSystemLoader(PACKAGE_TEMPLATES)]
    )
    environment = ContentSandbox(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    config = context.config
    environment.globals.update(
        _=config.catalogue.text,
        words=config.words,
        config=config,
        data=context.data,
        figures=context.figures,
        charts=context.charts,
        edition=context.edition,
        body=context.body,
        history=context.history or History(context.data, config.date),
        # What a link says it leads to: <a title="{{ measure_label(m) }}"> (labels.py).
        measure_label=lambda measure: measure_label(measure, config.words),
        recommendation_label=lambda item: recommendation_label(item, config.words),
        address_label=address_label,
        labelled=config.words.labelled,
    )
    environment.filters.update(report_filters(config))
    return environment


def report_filters(config: Config) -> dict[str, Callable[..., str]]:
    """Filters shared by templates and chapters: ``{{ figures.total | number }}``."""
    words = config.catalogue
    return {
        "number": words.number,
        "in_words": words.in_words,
        "longdate": words.long_date,
        "partialdate": lambda value: partial_date(value, words),
        "period": lambda start, end: period(start, end, words),
        "balance": balanced_lines,
        "percent": words.percent,
        "numbers": words.numbers,
        "css_string": css_string,
        "anchored": anchored,
        "md": inline_markdown,
        "linked": lambda text: linked(text, words),
        "marked": marked,
        "unmarked": unmarked,
        "plain": plain,
        "names": lambda bodies, attribute="name": words.join(
            [str(getattr(body, attribute)) for body in bodies]
        ),
    }


def partial_date(value: dt.date | int | str, words: Catalogue) -> str:
    """A date as precise as its source gives it: '12 janvier 2023', 'mars 2012', '2007'."""
    parts = date_parts(value)
    if len(parts) == 3:
        return words.long_date(dt.date(*parts))
    return words.month(*parts) if len(parts) == 2 else str(parts[0])


def period(start: dt.date | int | str, end: dt.date | int | str, words: Catalogue) -> str:
    """A period as precise as its dates: '16–25 juin 2025' within a month, 'du 8 février
    au 12 mars 2021' between days (``date_range`` in the catalogue says how the language
    joins two days), 'mars–mai 2020', '2019–2021', else the two dates and a dash."""
    first, last = date_parts(start), date_parts(end)
    if len(first) == len(last) == 3:
        if first[:2] == last[:2]:
            return words.days(dt.date(*first), dt.date(*last))
        opening = (
            words.day_and_month(dt.date(*first))
            if first[0] == last[0]
            else partial_date(start, words)
        )
        return words.text("date_range").format(start=opening, end=partial_date(end, words))
    if len(first) == len(last) == 2 and first[0] == last[0]:
        return f"{words.month_name(first[1])}\u2013{words.month(*last)}"
    if len(first) == len(last) == 1:
        return f"{first[0]}\u2013{last[0]}"
    return f"{partial_date(start, words)} \u2013 {partial_date(end, words)}"


def balanced_lines(text: str, line_chars: int = 28) -> Markup:
    """``text`` broken into as few lines as ``line_chars`` allows, of nearly equal length:
    a title whose last line is one word looks unfinished. WeasyPrint does not balance
    text (``text-wrap: balance``), so the lines are chosen here, by character count. Each
    line is a block span (``.balanced-line``), not a ``<br>``: WeasyPrint tags a line
    break as an empty element of the PDF's structure tree."""
    plain, passages = marked_ranges(str(text))  # "[passage]{lang=fr}" keeps its language
    words = _words(plain)
    count = max(1, -(-len(" ".join(words)) // max(line_chars, 1)))
    lines = _split_evenly(words, min(count, len(words)), line_chars)
    html, offset = [], 0
    for line in lines:
        html.append(in_languages(line, offset, passages))
        offset += len(line) + 1
    return Markup(" ").join(
        Markup('<span class="balanced-line">{}</span>').format(line) for line in html
    )


def _words(text: str) -> list[str]:
    """The words of a title; a sign that French spaces off (':', '?', '»') stays with the
    word before it, '«' with the word after it."""
    words: list[str] = []
    for word in text.split():
        if words and (word in (":", ";", "!", "?", "»") or words[-1] == "«"):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _split_evenly(words: list[str], count: int, line_chars: int) -> list[str]:
    """The split of ``words`` into ``count`` lines of the most even lengths (least sum of
    squares), none longer than ``line_chars`` when that can be, preferring to end a line
    where the sentence pauses (':', ',')."""
    best: dict[tuple[int, int], tuple[float, list[str]]] = {}
    pause = (len(" ".join(words)) / count) ** 2 / 8  # what ending on a pause is worth

    def cost(line: str) -> float:
        too_long = len(line) > line_chars and " " in line  # the browser would wrap it
        return len(line) ** 2 + (10**6 if too_long else 0)

    def split(start: int, left: int) -> tuple[float, list[str]]:
        if left == 1:
            line = " ".join(words[start:])
            return cost(line), [line]
        if (start, left) not in best:
            options = []
            for end in range(start + 1, len(words) - left + 2):
                line = " ".join(words[start:end])
                rest_cost, rest = split(end, left - 1)
                bonus = pause if line.endswith((":", ";", ",", ".", "»")) else 0
                options.append((cost(line) + rest_cost - bonus, [line, *rest]))
            best[start, left] = min(options, key=lambda option: option[0])
        return best[start, left]

    return split(0, count)[1]


def inline_markdown(text: str) -> Markup:
    """Data text (a title, a comment, a recommendation) with its inline Markdown rendered:
    *emphasis*, `code`, [links](https://...), [passages]{lang=en}; sanitised like chapters."""
    html = markdown_parser().renderInline(str(text), {"inline_footnotes": {}})
    return Markup(sanitise(html))


def anchored(text: str, ids: list[str]) -> Markup:
    """``text`` whose words carry ``ids``: one element that stands for several measures
    (a table's row for a run of blank ones) holds each one's anchor on a word of its text,
    in order, several ids nested on a word when there are more ids than words. No element
    is written only to hold an id: an empty ``<span id>`` is an empty element of the
    tagged PDF. A word keeps the space after it inside its span: a space alone between two
    spans is not drawn, and text extraction would join the words."""
    if not ids:
        return Markup(escape(text))
    words = [f"{word} " for word in str(text).split(" ")]
    words[-1] = words[-1][:-1]
    size = -(-len(ids) // len(words))  # ids per word
    out = Markup()
    for index, word in enumerate(words):
        html = escape(word)
        for anchor in reversed(ids[index * size : (index + 1) * size]):
            html = Markup('<span id="{}">{}</span>').format(anchor, html)
        out += html
    return out


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '\\"<>\n' or ord(char) < 32 else char for char in text
    )
    return Markup(f'"{escaped}"')


def render_document(
    environment: jinja2.Environment,
    typography: Typography,
    chapters: list[Chapter],
    placement: Placement,
    letter: str = "",
) -> str:
    """The whole report as one HTML document, with typography applied to every text run."""
    document = render_template(
        load_template(environment, "report.html"),
        chapters=[safe_chapter(chapter) for chapter in chapters],
        letter=Markup(letter),
        placed_figures=placement.figures,
    )
    return apply_typography(document, typography)


TEMPLATE_MISTAKES = (
    jinja2.TemplateError,  # the sandbox's refusals included
    TypeError,
    LookupError,
    ValueError,
    AttributeError,
    ArithmeticError,
    RecursionError,
    MemoryError,
)


def load_template(environment: jinja2.Environment, name: str) -> jinja2.Template:
    """A template by name; a syntax error in a (possibly overridden) one is located in
    that template's file, by line and column."""
    try:
        return environment.get_template(name)
    except jinja2.TemplateSyntaxError as error:
        message = with_column(error.message or "", error.source or "")
        where = error.filename or name
        problem = Problem(where, f"template syntax error: {message}", error.lineno)
        raise RenderError(problem) from None


def render_template(template: jinja2.Template, **values: Any) -> str:
    """Render one template; a mistake in a (possibly overridden) template is located."""
    try:
        return template.render(**values)
    except TEMPLATE_MISTAKES as error:
        frames = [
            frame
            for frame in traceback.extract_tb(error.__traceback__)
            if frame.filename.endswith(".html")
        ]
        if not frames and not isinstance(error, jinja2.TemplateError):
            raise
        where = frames[-1] if frames else None
        path = where.filename if where else getattr(error, "filename", None) or "templates"
        line = where.lineno if where else getattr(error, "lineno", None)
        raise RenderError(Problem(path, f"template error: {error}", line)) from None


def safe_chapter(chapter: Chapter) -> Chapter:
    """Chapter HTML comes from our Markdown renderer: it is marked safe here, once."""
    return replace(chapter, html=Markup(chapter.html))
