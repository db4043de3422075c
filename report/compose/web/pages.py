"""The pages of the web edition, rendered from the chapters the PDF is made of.

``index.html`` is the report (its head, contents, chapters); ``<measures>/index.html`` the
measures as a tool a reader filters; ``<measures>/12.html`` one page per measure, the
address to share. The folder name is the vocabulary's plural ("mesures", "commitments").
Every page is rendered by the content's sandboxed Jinja environment, gets the catalogue's
typography, then the web markup (``markup.py``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import jinja2

from report.compose.chapters import Chapter
from report.compose.citations import Citations
from report.compose.document import ReportContext, load_template, render_template, safe_chapter
from report.compose.labels import measure_label, plain
from report.compose.typography import apply_typography
from report.compose.web.markup import (
    WebPage,
    headings_under_title,
    link_pages,
    notes_in_place,
    roles_for_browsers,
    tables_in_regions,
)
from report.compose.web.measures import entries, facets
from report.output.attachments import term_placeholders

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Download:
    """A file the site offers: the label says what and how big, ``href`` is in the folder."""

    label: str
    href: str
    kind: str  # pdf, csv, xlsx or json: how the page marks it
    language: str  # of the label: an English edition's PDF, offered on a French page


@dataclass(frozen=True)
class Translation:
    """The same site in another language, published beside this one (another web edition
    of the content): every page links to its counterpart there."""

    language: str
    name: str  # the language in its own words: "English", "Français"
    root: str  # from this site's folder to it: "../site-en/"
    measures_dir: str
    same_measures: bool  # both editions list the same measures: a measure's page exists

    def path_for(self, path: str, measures_dir: str) -> str:
        """The counterpart of this site's page ``path`` (the site's index if it has none)."""
        folder, _, page = path.rpartition("/")
        if not folder:
            return path
        if folder != measures_dir or not (self.same_measures or page == "index.html"):
            return "index.html"
        return f"{self.measures_dir}/{page}"


@dataclass(frozen=True)
class Site:
    """What every page needs to know of the site around it."""

    downloads: tuple[Download, ...]
    measures_dir: str
    image: str  # the sharing image, in the folder
    url: str | None = None  # where the folder is published, ending in "/"
    stylesheets: tuple[str, ...] = ()  # the edition's own, copied into the folder
    translations: tuple[Translation, ...] = ()


def measures_folder(plural: str) -> str:
    """ "mesures", "commitments": the vocabulary's plural as a folder name."""
    plural = unicodedata.normalize("NFKD", plural)
    ascii_name = plural.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "items"


def render_site(
    environment: jinja2.Environment,
    context: ReportContext,
    chapters: list[Chapter],
    citations: Citations,
    site: Site,
) -> list[WebPage]:
    """Every page, finished and linked to each other."""
    config = context.config
    words = term_placeholders(config)
    texts = config.catalogue.text
    common: dict[str, Any] = {
        "site": site,
        "tool_title": texts("web_tool").format(**words),
        "cite": citations.cite,
    }
    index = _page(
        environment,
        "index.html",
        "web/report.html",
        config,
        common,
        kind="report",
        chapters=[safe_chapter(chapter) for chapter in chapters],
        page_title=plain(config.title),
        description=plain(config.subtitle or config.title),
    )
    headings_under_title(index.tree.find(".//div[@class='chapters']"))
    pages = [index, _tool(environment, context, site, common, words)]
    measures = list(context.data.measures)
    for place, measure in enumerate(measures):
        related = [r for r in context.data.recommendations if measure in r.measures]
        pages.append(
            _page(
                environment,
                f"{site.measures_dir}/{measure.number}.html",
                "web/measure.html",
                config,
                common,
                kind="measure",
                m=measure,
                related=related,
                previous=measures[place - 1] if place else None,
                next=measures[place + 1] if place + 1 < len(measures) else None,
                page_title=f"{measure_label(measure, config.words)} · {plain(config.title)}",
                description=plain(measure.comment) or plain(config.title),
            )
        )
    note = config.catalogue.text("web_note")
    for page in pages:
        notes_in_place(page, lambda number: note.format(number=number))
        roles_for_browsers(page)
        tables_in_regions(page)
    for path, anchor in link_pages(pages):
        logger.warning("web edition: %s: a link leads to #%s, which no page has", path, anchor)
    return pages


def _tool(
    environment: jinja2.Environment,
    context: ReportContext,
    site: Site,
    common: dict[str, Any],
    words: dict[str, str],
) -> WebPage:
    """The measures as a tool: the form's words are given to the script in the page."""
    config, texts = context.config, context.config.catalogue.text
    listed = entries(context.data, config)
    shown = {
        name: texts(f"web_shown_{name}").replace("{count}", "%COUNT%").replace("{total}", "%TOTAL%")
        for name in ("none", "one", "many")
    }
    return _page(
        environment,
        f"{site.measures_dir}/index.html",
        "web/measures.html",
        config,
        common,
        kind="measures",
        entries=listed,
        facets=facets(listed, context.data, config),
        shown={name: text.format(**words) for name, text in shown.items()},
        tool_intro=texts("web_tool_intro").format(**words),
        tally_note=texts("web_tally_note").format(
            count=config.catalogue.number(len(context.figures.undocumented)), **words
        ),
        filters_title=texts("web_filters").format(**words),
        table_caption=texts("web_table_caption").format(**words),
        page_title=f"{common['tool_title']} · {plain(config.title)}",
        description=texts("web_tool_intro").format(**words),
    )


def _page(
    environment: jinja2.Environment,
    path: str,
    template: str,
    config: Any,
    common: dict[str, Any],
    **values: Any,
) -> WebPage:
    root = "../" * path.count("/")
    html = render_template(
        load_template(environment, template), path=path, root=root, **common, **values
    )
    return WebPage.parse(path, apply_typography(html, config.catalogue.typography))
