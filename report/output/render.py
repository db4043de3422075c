"""HTML + stylesheets -> PDF pages with WeasyPrint (the only module importing it).

WeasyPrint may fetch only files inside the content folder and the stylesheets folder,
plus ``data:`` URIs: no network, no ``file:///etc/passwd``, no ``../`` escape.
A refused URL is logged as a warning naming the URL (an error under ``--strict``).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from report.errors import Problem, RenderError
from report.output.attachments import DataFile, data_uri
from report.output.fonts import installed_families, packaged_families
from report.output.footnotes import kept_footnotes
from report.output.print_marks import add_crop_marks
from report.output.standards import finish_pdf
from report.output.tagging import TaggingUnsupported, accessible_tags
from report.output.verify import PageSummary

logger = logging.getLogger(__name__)


FORCED_BREAKS = ("page", "left", "right", "recto", "verso")


class RefusedURL(ValueError):
    """A URL outside the allowed folders; WeasyPrint skips the resource."""


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes, and a summary of each page for the verification gate."""

    pdf: bytes
    pages: list[PageSummary]


def _make_fetcher(allowed_roots: list[Path]):
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class LocalOnlyFetcher(URLFetcher):
        """Serve ``data:`` URIs and files under the allowed roots; refuse everything else."""

        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                # url2pathname: /C:/Users/... is C:\Users\... on Windows, unquoted
                path = Path(url2pathname(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            logger.warning(
                "refused to load '%s': only files inside the content folder and "
                "styles may be used; copy the file into the content folder",
                url,
            )
            raise RefusedURL(url)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"))


def missing_fonts(families: list[str]) -> list[str]:
    """Theme fonts neither shipped in the package nor known to fontconfig: WeasyPrint
    would silently fall back. fc-list is only asked about fonts the package lacks, so
    the default theme needs no fontconfig tools (macOS, Windows)."""
    packaged = packaged_families()
    asked = [family for family in families if family.casefold() not in packaged]
    if not asked:
        return []
    installed = installed_families()
    if installed is None:
        logger.warning("cannot check fonts: fc-list (package fontconfig) is not installed")
        return []
    return [family for family in asked if family.casefold() not in installed]


def warn_missing_fonts(families: list[str]) -> None:
    """One clear warning per missing font, naming what to do."""
    for family in missing_fonts(families):
        logger.warning(
            "font '%s' is not installed, so the PDF would use a fallback font; install "
            "it on this computer or set theme fonts in report.yaml to installed fonts "
            "(the builder ships Linux Libertine O and Linux Biolinum O)",
            family,
        )


def engine_versions() -> tuple[str, int]:
    """WeasyPrint's version and the Pango it loaded (15010 for 1.50.10), for ``report
    doctor``; raises what importing WeasyPrint raises (OSError when Pango is missing)."""
    import weasyprint
    from weasyprint.text.ffi import pango

    return weasyprint.__version__, int(pango.pango_version())


class _DropRefusals(logging.Filter):
    """WeasyPrint re-logs our refusals as errors; we already warned once, clearly."""

    def filter(self, record: logging.LogRecord) -> bool:
        return RefusedURL.__name__ not in record.getMessage()


@dataclass(frozen=True)
class PdfSettings:
    """How the PDF is serialised: standard variant, attachments, fixed dates and ID."""

    variant: str | None
    identifier: bytes
    date: dt.datetime
    attachments: tuple[DataFile, ...] = ()
    crop_marks: bool = False  # the print product: slug, trim and bleed boxes, crop marks


def render_pdf(
    html: str,
    base_dir: Path,
    stylesheets: list[Path],
    allowed_roots: list[Path],
    settings: PdfSettings,
) -> RenderedPdf:
    """Lay out the document and serialise it reproducibly (no wall-clock date, fixed ID)."""
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
    except OSError as error:  # Pango missing: one line that leads to the fix, no traceback
        reason = str(error).split(".  ", 1)[0]
        raise RenderError(
            Problem(
                base_dir,
                f"WeasyPrint cannot load its system libraries ({reason}); run 'report doctor' "
                "to see what is missing and how to install it",
            )
        ) from None

    fetcher = _make_fetcher([base_dir, *allowed_roots])
    refusals = _DropRefusals()
    weasy_logger = logging.getLogger("weasyprint")
    weasy_logger.addFilter(refusals)
    # WeasyPrint keeps millions of small objects alive until the PDF is written and
    # repaired: cyclic collections walk an ever larger heap and free nothing (measured:
    # 8 % of a 30-page build, 27 % of a 248-page one; see BENCHMARKS.md).
    gc.disable()
    try:
        fonts = FontConfiguration()
        css = [
            weasyprint.CSS(filename=str(path), url_fetcher=fetcher, font_config=fonts)
            for path in stylesheets
        ]
        with kept_footnotes():
            document = weasyprint.HTML(
                string=html, base_url=f"{base_dir.resolve()}/", url_fetcher=fetcher
            ).render(stylesheets=css, font_config=fonts)
        attachments = [
            weasyprint.Attachment(
                url=data_uri(item.payload, item.mime_type),
                name=item.name,
                description=item.description,
                created=settings.date,
                modified=settings.date,
                relationship=item.relationship,
            )
            for item in settings.attachments
        ]
        with accessible_tags(document):
            pdf = document.write_pdf(
                pdf_identifier=settings.identifier,
                custom_metadata=True,
                pdf_variant=settings.variant,
                attachments=attachments,
                uncompressed_pdf=False,
                finisher=finish_pdf(settings.variant),
            )
        seen: set[int] = set()  # the elements of the pages before: a block there goes on
        pages = [summarise(page, seen) for page in document.pages]
        if settings.crop_marks:
            pdf = add_crop_marks(pdf)
    except (OSError, TaggingUnsupported) as error:
        raise RenderError(Problem(base_dir, f"PDF rendering failed: {error}")) from None
    except RecursionError:  # a template override can nest deeper than chapters may
        raise RenderError(
            Problem(
                base_dir,
                (
                    "the document nests elements too deeply for the layout engine; simplify the "
                    "HTML of the templates or chapters"
                ),
            )
        ) from None
    finally:
        gc.enable()
        weasy_logger.removeFilter(refusals)
    return RenderedPdf(pdf, pages)


def summarise(page, seen: set[int] | None = None) -> PageSummary:
    """Anchors, text, images and boxes sticking out of the page's content area.

    The text of the page's flow and of its footnotes is kept apart: a paragraph cut by a
    page break must read as one across pages, without the notes between its two parts.
    """
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    left, right = page_box.content_box_x(), page_box.content_box_x() + page_box.width
    if not page_box.margin_left and not page_box.margin_right:  # a full-bleed page (cover)
        left -= page_box.style["bleed_left"].value
        right += page_box.style["bleed_right"].value
    flow: list[str] = []
    notes: list[str] = []
    has_image, overflows = False, []
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):  # a side note placed there is the content's
            notes += [box.text for box in child.descendants() if _from_content(box)]
            continue
        texts = notes if isinstance(child, boxes.FootnoteAreaBox) else flow
        # placeholders=True: absolutely positioned boxes (the cover's parts) count too
        for box in child.descendants(placeholders=True):
            if isinstance(box, boxes.TextBox):
                texts.append(box.text)
            has_image = has_image or isinstance(box, boxes.ReplacedBox)
            overflow = _overflow(box, left, right)
            if overflow:
                overflows.append(overflow)
    chars = sum(len(text.strip()) for text in (*flow, *notes))
    footnotes = sum(
        len(child.children)
        for child in page_box.children
        if isinstance(child, boxes.FootnoteAreaBox)
    )
    return PageSummary(
        frozenset(page.anchors),
        chars,
        has_image,
        tuple(overflows[:3]),
        text="".join(flow),
        notes="".join(notes),
        empty_below=_empty_below(page_box),
        forced_start=_forced_start(page_box, set() if seen is None else seen),
        footnotes=footnotes,
    )


def _from_content(box) -> bool:
    """Text in a margin box that comes from the document (a side note), not generated by
    the stylesheet (running head, folio)."""
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.TextBox) and box.element is not None


def _forced_start(page_box, seen: set[int]) -> bool:
    """Whether the page's first block asked for a new page (``break-before: page``); a
    block begun on an earlier page (``seen`` holds their elements) only goes on here.
    The elements of this page are added to ``seen``."""
    from weasyprint.formatting_structure import boxes

    box = next((c for c in page_box.children if not isinstance(c, boxes.MarginBox)), None)
    forced = False
    while box is not None and not forced:
        starts_here = box.element is None or id(box.element) not in seen
        forced = starts_here and box.style["break_before"] in FORCED_BREAKS
        children = getattr(box, "children", [])
        box = children[0] if children and isinstance(children[0], boxes.BlockLevelBox) else None
    for child in page_box.children:
        for box in child.descendants():
            if isinstance(box, boxes.BlockLevelBox) and box.element is not None:
                seen.add(id(box.element))
    return forced


def _empty_below(page_box) -> float:
    """How much of the text area stays empty under the last line (mm), above the notes."""
    from weasyprint.formatting_structure import boxes

    if not page_box.margin_left and not page_box.margin_right:  # a cover: designed whole
        return 0.0
    foot = page_box.content_box_y() + page_box.height
    last = page_box.content_box_y()
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox):
            if child.children:
                foot = min(foot, child.position_y)
        elif not isinstance(child, boxes.MarginBox):
            for box in child.descendants():
                if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
                    last = max(last, box.position_y + box.margin_height())
    return max(0.0, (foot - last) * 25.4 / 96)


def _overflow(box, left: float, right: float) -> str:
    """Describe a block or image wider than the text area, else ''."""
    from weasyprint.formatting_structure import boxes

    if not isinstance(box, boxes.BlockBox | boxes.ReplacedBox | boxes.TableBox):
        return ""
    if (box.element_tag or "").endswith("::marker"):
        return ""  # a list's number or bullet hangs in the margin by design
    x, width = box.border_box_x(), box.border_width()
    excess = max(left - x, x + width - right)
    if excess <= 1:
        return ""
    element = box.element_tag + (
        f"#{box.element.get('id')}" if box.element is not None and box.element.get("id") else ""
    )
    return (
        f"<{element}> sticks out of the text area by {excess * 25.4 / 96:.0f} mm "
        "(a wide table, long URL or large image); make it narrower"
    )
