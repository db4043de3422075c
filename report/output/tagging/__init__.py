"""Tags a screen reader can trust: WeasyPrint's structure tree, made right as it is built.

WeasyPrint 70 writes a tagged PDF (PDF/A-3a) from the HTML. Most of what it got wrong was
caused by our own markup and stylesheets and is fixed there (the contents' page numbers and
dots outside the links, cross-references' pages outside the links, the recap grid as a
list, one heading per card, no empty elements, roles and ``lang`` in the HTML). What
WeasyPrint cannot do from any markup is done while it writes the PDF, never by reading the
PDF back:

- ``structure.StructureHook`` finishes each structure element as WeasyPrint makes it:
  ``/Lang`` from ``lang``, Note/Reference/BibEntry from DPUB-ARIA roles, link annotations
  under their Link with a description, header-cell scopes, no empty elements;
- ``margins.MarginArtifacts`` draws running heads and folios as artifacts and keeps side
  notes in the margin as content.

``accessible_tags`` installs the two hooks for the time of one ``write_pdf``; the claim of
PDF/UA-1 these tags allow is written by ``report.output.standards``. The hooks replace two
private WeasyPrint functions, so their signatures are checked first: a WeasyPrint that
changed them is refused with a clear error rather than a PDF that silently loses its tags
(tests/test_tagging.py also fails on such an upgrade, and its canaries tell when
WeasyPrint fixes a defect itself).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from report.output.tagging.margins import MarginArtifacts
from report.output.tagging.structure import StructureHook

logger = logging.getLogger(__name__)

BUILD_SIGNATURE = ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"]
MARKED_SIGNATURE = ["self", "box", "tag"]


class TaggingUnsupported(RuntimeError):
    """The installed WeasyPrint's private tagging functions are not the ones we wrap."""


@contextmanager
def accessible_tags(document: Any) -> Iterator[None]:
    """Install the hooks while ``document.write_pdf`` runs."""
    from weasyprint.pdf import stream, tags

    check_supported(tags._build_box_tree, stream.Stream.marked)
    original_build, original_marked = tags._build_box_tree, stream.Stream.marked
    margins = MarginArtifacts(document.pages)
    hook = StructureHook(original_build, margins.is_margin)
    tags._build_box_tree = hook.build
    stream.Stream.marked = margins.wrap(original_marked)
    try:
        yield
    finally:
        tags._build_box_tree, stream.Stream.marked = original_build, original_marked
    logger.debug("tagging: %s", ", ".join(f"{n} {what}" for what, n in hook.counts.items()))


def check_supported(build: Any, marked: Any) -> None:
    """Refuse a WeasyPrint whose private functions no longer take what we pass them."""
    found = [
        list(inspect.signature(build).parameters),
        list(inspect.signature(inspect.unwrap(marked)).parameters),
    ]
    if found != [BUILD_SIGNATURE, MARKED_SIGNATURE]:
        raise TaggingUnsupported(
            "this WeasyPrint builds its PDF tags differently from the version the builder "
            f"supports (70): {found}; install weasyprint 70 (pip install 'weasyprint==70.*')"
        )
