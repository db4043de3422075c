"""Repair the structure tree of WeasyPrint's tagged PDF for screen-reader users.

WeasyPrint 70 writes a tagged PDF (PDF/A-3a, PDF/UA-1) whose structure tree has known gaps
(tracker issue #2482). ``fix_tags`` rewrites the PDF with pikepdf so that a screen reader
reads the report, and only the report, in a sensible way:

1. **Running headers and folios become artifacts.** WeasyPrint builds structure elements for
   the page-margin boxes but never links them into the tree, while their text stays marked
   ``/Span <</MCID n>> BDC`` and the ParentTree still maps it. Any marked-content sequence
   whose element is not reachable from the StructTreeRoot becomes ``/Artifact BMC``, and
   its ParentTree slot becomes null. Without this, each page's chapter name and "12 / 30"
   are content that a reader meets in the middle of the text.
2. **Leader dots become artifacts.** ``leader(".")`` (the table of contents) draws every
   dot as its own marked sequence: dozens of "dot" spans per entry. An element whose
   content is two or more marked runs of the same punctuation on one baseline is such a
   leader; its runs become artifacts. The entry title and page number stay readable.
3. **Nested links are merged.** ``a::after`` (the page number of a TOC entry, the page of a
   cross-reference) and the leader become links inside the link: one entry is announced
   as three links, two of them empty. A Link nested in a Link gives its content (text,
   link annotations) to the outer Link, so one entry reads "Title 12", one link.
4. **Table header cells get a scope.** WeasyPrint gives TH cells ``/A << /O /Table >>``
   without ``/Scope``; readers then cannot announce headers reliably. A TH in a THead row,
   or in a row of only TH cells, gets ``/Scope /Column``; a TH in a row with data cells
   gets ``/Scope /Row``. An existing ``/Scope`` is kept.
5. **Empty elements are removed.** Empty HTML elements (``<span></span>``, ``<p></p>``, an
   ``<a id>`` anchor, spacer divs) become elements with no content, which readers announce
   as empty groups. Elements with no marked content, no child element and no annotation
   are removed from their parent, recursively. Table cells (TD, TH) are kept even when
   empty, because removing one would shift the following cells into the wrong column.

The ParentTree stays consistent with the tree (every marked sequence maps to a reachable
element that lists it). The rest of the file is preserved: XMP metadata (PDF/A
identification), attachments, outlines, the document information and the trailer /ID
(which the builder derives from the HTML). The output is deterministic: the same input
gives the same bytes. A PDF without a structure tree (variants ``pdf/a-3b``, ``plain``) is
returned unchanged.

Limits: only page content streams are rewritten (WeasyPrint draws all marked content
there, never in form XObjects, and gives property lists inline); a link annotation inside
a running header would keep pointing at its orphan element (our templates have none);
structure elements must be indirect objects, as the PDF specification requires (a kid's
/P is an indirect reference) and as WeasyPrint writes them.

The modules, from the bottom up (each imports only modules listed before it): ``objects``
reads PDF objects as qpdf JSON; ``tree`` caches the structure tree (``StructTree``) and
writes each change through to pikepdf; ``fonts`` decodes shown strings with a font's
/ToUnicode; ``marks`` scans each page's content for its marked sequences (``PageMarks``)
and makes repair 1; ``repairs`` makes repairs 2 to 5. How the work stays cheap on a long
report is told in ``tree`` and ``marks``; the cyclic garbage collector is paused meanwhile
(``garbage_collection_paused``).
"""

from __future__ import annotations

import gc
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from pikepdf import Array, Pdf

from report.output.tagging.fonts import TextDecoder
from report.output.tagging.marks import PageMarks
from report.output.tagging.repairs import (
    add_header_scopes,
    detach_leaders,
    merge_nested_links,
    remove_empty_elements,
)
from report.output.tagging.tree import StructTree

logger = logging.getLogger(__name__)

# The second /ID word qpdf writes with ``static_id=True``; swapped back for the original.
QPDF_STATIC_ID = bytes.fromhex("31415926535897932384626433832795")


def fix_tags(pdf: bytes) -> bytes:
    """Return ``pdf`` with its structure tree repaired (see the module docstring)."""
    with garbage_collection_paused():
        return repaired(pdf)


def repaired(pdf: bytes) -> bytes:
    """``fix_tags`` itself; its cached tree is freed when it returns."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        if "/StructTreeRoot" not in document.Root:
            return pdf
        tree = StructTree.load(document)
        pages = [PageMarks.scan(page) for page in document.pages]
        runs = {(page.key, mcid): run for page in pages for mcid, run in page.runs.items()}
        leaders = detach_leaders(tree, runs, TextDecoder())
        links = merge_nested_links(tree)
        scopes = add_header_scopes(tree)
        empty = remove_empty_elements(tree)
        artifacts = sum(page.mark_orphans_as_artifacts(tree) for page in pages)
        logger.debug(
            "tagging: %d marked sequences made artifacts (%d leader dots), %d nested "
            "links merged, %d header scopes added, %d empty elements removed",
            artifacts,
            leaders,
            links,
            scopes,
            empty,
        )
        if not (artifacts or links or scopes or empty):
            return pdf  # already repaired: keep the bytes (fix_tags is idempotent)
        return save(document)


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, then restore its state.

    Reading a long report's tree builds some 100,000 small dicts and lists; each batch of
    them would make the collector scan every container alive again (a seventh of the
    running time on 250 pages). None of them is part of a reference cycle: reference
    counting frees them all, before the collector resumes (``repaired`` has returned).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save(document: Pdf) -> bytes:
    """Serialise deterministically, keeping the original trailer /ID.

    qpdf keeps the first /ID word and, with ``static_id``, writes a fixed second word
    instead of one derived from the clock; that word is put back to the original.
    """
    trailer_id = document.trailer.get("/ID")
    out = io.BytesIO()
    document.save(out, static_id=True, fix_metadata_version=False)
    data = out.getvalue()
    if not isinstance(trailer_id, Array) or len(trailer_id) != 2:
        return data
    written = b"<" + QPDF_STATIC_ID.hex().encode() + b">]"
    if data.count(written) != 1:
        raise ValueError("cannot find the /ID qpdf wrote; the trailer /ID would change")
    return data.replace(written, b"<" + bytes(trailer_id[1]).hex().encode() + b">]")
