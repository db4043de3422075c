"""``report build --web``: the report as a folder of static pages to publish.

The pipeline is the PDF's up to the chapters (``read_inputs``, ``compose_content``); the
pages are then rendered for a browser (``compose/web/``), and the folder gets everything
they use, so that it opens from a disk or any web host with no request elsewhere: the
stylesheet and script, the theme's fonts cut down to the characters the pages use, the
sharing image, the PDFs and the data to download, and a sitemap when the edition says
where it is published. The folder is replaced whole, or not at all.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from report import PROJECT_STYLES
from report.app.build import BuildOptions, compose_content, read_inputs, stage
from report.app.editions import pdf_editions
from report.app.sheet_export import data_files
from report.compose.cover_image import cover_image
from report.compose.document import ReportContext
from report.compose.labels import plain
from report.compose.web.pages import (
    Download,
    Site,
    Translation,
    measures_folder,
    render_site,
)
from report.errors import Problem, RenderError, WarningCounter, display_path
from report.output.attachments import term_placeholders
from report.output.files import output_path, remove_stale_temporaries, write_folder
from report.output.sitemap import sitemap
from report.output.stylesheets import edition_stylesheet
from report.output.webfonts import packaged_faces, web_fonts
from report.sources.config import Config, load_config
from report.sources.editions import Edition, edition_of

logger = logging.getLogger(__name__)

ASSETS = "assets"
IMAGE = f"{ASSETS}/cover.png"
ICON = f"{ASSETS}/icon.svg"
DATA_FORMATS = ("csv", "xlsx", "json")
SIZE_UNITS = (("web_megabytes", 1_000_000), ("web_kilobytes", 1_000))


@dataclass(frozen=True)
class WebResult:
    """What the command line reports of a web edition."""

    folder: Path
    pages: int
    size: int  # bytes in the folder, the PDFs left out
    seconds: float
    warnings: int = 0


def build_web(content_dir: Path, output_dir: Path, options: BuildOptions) -> WebResult:
    """Write the web edition ``options.edition`` into ``output_dir/<its output>/``."""
    started = time.perf_counter()
    remove_stale_temporaries(output_dir)
    configs = functools.cache(lambda name: load_config(content_dir, name))  # per edition
    with WarningCounter() as warnings:
        inputs = read_inputs(content_dir, output_dir / ".cache", options)
        composed = compose_content(content_dir, inputs, options)
        with stage("templates"):
            files, site = _downloads(
                content_dir, output_dir, (inputs.config, inputs.edition), configs
            )
            context = composed.context
            site = Site(
                downloads=site,
                measures_dir=measures_folder(inputs.config.words.item.plural),
                image=IMAGE,
                url=_folder_url(inputs.edition.url),
                stylesheets=_edition_stylesheet(content_dir, inputs.edition, files),
                translations=_translations(configs, inputs.config, options.edition),
            )
            pages = render_site(
                composed.environment, context, composed.chapters, composed.citations, site
            )
            files.update({page.path: page.html().encode() for page in pages})
            # Every character a page shows, the stylesheet's own strings ("›") among them.
            text = "".join(page.tree.text_content() for page in pages)
            text += (PROJECT_STYLES / "web.css").read_text(encoding="utf-8")
            files.update(_assets(context, [page.path for page in pages], text, output_dir))
    folder = output_path(output_dir, inputs.edition.output or options.edition or "web")
    if options.strict and warnings.count:
        raise RenderError(
            Problem(
                folder, f"{warnings.count} warning(s) under --strict; fix them or drop --strict"
            )
        )
    with stage("write"):
        write_folder(folder, files)
    size = sum(len(data) for name, data in files.items() if not name.endswith(".pdf"))
    seconds = time.perf_counter() - started
    return WebResult(folder, len(pages), size, seconds, warnings.count)


# Each edition's settings, read once per build (``functools.cache`` of ``load_config``).
Configs = Callable[[str | None], Config]


def _downloads(
    content_dir: Path, output_dir: Path, web: tuple[Config, Edition], configs: Configs
) -> tuple[dict[str, bytes], tuple[Download, ...]]:
    """The PDFs the web edition offers (built beforehand: ``report build --web`` builds
    them), then the data in each format, with the labels the pages show."""
    config, edition = web
    files: dict[str, bytes] = {}
    offered = []
    texts = config.catalogue.text
    for name in pdf_editions(config, edition):
        edition_config = configs(name)
        pdf = output_dir / f"{edition_config.output}.pdf"
        if not pdf.is_file():
            logger.warning(
                "web edition: %s is not built, so the site does not offer it; "
                "report build --web builds it first",
                display_path(pdf),
            )
            continue
        payload = pdf.read_bytes()
        files[pdf.name] = payload
        label = texts("web_pdf").format(
            title=plain(edition_config.title), size=file_size(len(payload), config)
        )
        offered.append(Download(label, pdf.name, "pdf", edition_config.language))
    words = term_placeholders(config)
    stem = configs(None).output  # the report's name, whichever the edition
    for form, (payload, _) in data_files(content_dir, DATA_FORMATS).items():
        name = f"data/{stem}.{form}"
        files[name] = payload
        label = texts(f"web_data_{form}").format(size=file_size(len(payload), config), **words)
        offered.append(Download(label, name, form, config.language))
    return files, tuple(offered)


def _translations(configs: Configs, config: Config, this: str | None) -> tuple[Translation, ...]:
    """The other web editions of the content in another language, each a folder beside
    this one in the output folder: the site in French and in English link to each other."""
    edition = edition_of(config, this)
    found = []
    for name, other in config.editions.items():
        if other.kind != "web" or name == this:
            continue
        other_config = configs(name)
        language, words = other_config.language, other_config.words
        if language == config.language:
            continue
        shown = Locale.parse(language.replace("-", "_")).get_display_name(language) or language
        found.append(
            Translation(
                language,
                shown[:1].upper() + shown[1:],
                f"../{other.output or name}/",
                measures_folder(words.item.plural),
                (other.axes, other.statuses, other.bodies)
                == (edition.axes, edition.statuses, edition.bodies),
            )
        )
    return tuple(found)


def file_size(size: int, config: Config) -> str:
    """ "1,2 Mo", "48 kB": as the catalogue writes sizes, to one decimal under ten."""
    catalogue = config.catalogue
    for key, unit in SIZE_UNITS:
        if size >= unit:
            value = size / unit
            shown = round(value, 1) if value < 10 else round(value)
            return catalogue.text(key).format(size=catalogue.number(shown))
    return catalogue.text("web_kilobytes").format(size=catalogue.number(1))


def icon(primary: str, accent: str) -> bytes:
    """The site's icon, in the theme's colours: every page names it, so that no browser asks
    the host for a /favicon.ico it may not have (a failed request, an error in the console)."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{primary}"/>'
        f'<rect x="7" y="20" width="18" height="4" fill="{accent}"/></svg>\n'
    ).encode()


def _folder_url(url: str | None) -> str | None:
    return None if url is None else url.rstrip("/") + "/"


def _edition_stylesheet(content_dir: Path, edition: Edition, files: dict[str, bytes]) -> tuple:
    """The edition's own stylesheet (``stylesheet:``), found as a PDF edition's is (the
    package's styles/ or the content folder, nothing a link leads to elsewhere), copied in."""
    if not edition.stylesheet:
        return ()
    path = edition_stylesheet(content_dir, edition.stylesheet)
    files[f"{ASSETS}/{path.name}"] = path.read_bytes()
    return (f"{ASSETS}/{path.name}",)


def _assets(
    context: ReportContext, pages: list[str], text: str, output_dir: Path
) -> dict[str, bytes]:
    """The stylesheet, the script, the theme and its fonts, the sharing image, the sitemap."""
    config = context.config
    theme = config.theme
    fonts = web_fonts(packaged_faces(), text, cache_dir=output_dir / ".cache" / "webfonts")
    assets = {f"{ASSETS}/fonts/{font.filename}": font.data for font in fonts}
    variables = "\n".join(
        [
            ":root {",
            f'  --font-body: "{theme.font_body}";',
            f'  --font-heading: "{theme.font_heading}";',
            f"  --color-primary: {theme.color_primary};",
            f"  --color-accent: {theme.color_accent};",
            f"  --color-text: {theme.color_text};",
            "}",
        ]
    )
    rules = "\n".join(font.css for font in fonts)
    assets[f"{ASSETS}/theme.css"] = f"{variables}\n{rules}\n".encode()
    for name in ("web.css", "web.js"):
        assets[f"{ASSETS}/{name}"] = (PROJECT_STYLES / name).read_bytes()
    assets[ICON] = icon(theme.color_primary, theme.color_accent)
    assets[IMAGE] = cover_image(
        plain(config.title),
        plain(config.subtitle),
        plain(config.organisation),
        config.catalogue.long_date(config.date),
        theme.color_primary,
        theme.color_accent,
        theme.color_text,
        theme.font_heading,
        theme.font_body,
    )
    if context.edition.url:
        dated = [(page, config.date) for page in pages]
        assets["sitemap.xml"] = sitemap(_folder_url(context.edition.url) or "", dated)
    else:  # a sitemap lists full addresses: without the site's, there is none to write
        logger.info(
            "web edition: no sitemap.xml; give the edition the address it is published at "
            "(url: https://...) for one"
        )
    return assets
