"""The print product's page boxes and crop marks, as a print shop's preflight expects.

WeasyPrint lays the pages out with a 3 mm bleed (``bleed: 3mm`` in print.css): the cover's
colour runs past the trim. Its own crop marks are drawn inside that bleed, where the
cutter would print them on the cover; so the builder draws them itself, in a slug area
added around the bleed: the media box grows by ``SLUG``, the trim box stays the A4 page,
the bleed box is the trim plus 3 mm, and each corner gets two hairlines that start
outside the bleed. The marks are artifacts (no screen reader reads them) drawn in
DeviceGray, which the PDF/A output intent allows.
"""

from __future__ import annotations

import io

from pikepdf import Array, Pdf, Stream

MM = 72 / 25.4
BLEED = 3 * MM  # must match print.css
GAP = 1 * MM  # between the bleed's edge and a mark
LENGTH = 6 * MM
SLUG = BLEED + GAP + LENGTH + 2 * MM  # the media box around the trim
LINE = 0.25  # pt: a hairline
# The second /ID word qpdf writes with ``static_id=True``; swapped back for the original.
QPDF_STATIC_ID = bytes.fromhex("31415926535897932384626433832795")


def add_crop_marks(pdf: bytes) -> bytes:
    """Every page of ``pdf`` with a slug, trim and bleed boxes, and crop marks."""
    with Pdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            left, bottom, right, top = (float(value) for value in page.obj.TrimBox)
            page.obj.MediaBox = _box(left - SLUG, bottom - SLUG, right + SLUG, top + SLUG)
            page.obj.BleedBox = _box(left - BLEED, bottom - BLEED, right + BLEED, top + BLEED)
            page.obj.CropBox = page.obj.MediaBox
            page.contents_add(Stream(document, b"q\n"), prepend=True)
            page.contents_add(Stream(document, b"Q\n" + marks(left, bottom, right, top)))
        return save(document)


def marks(left: float, bottom: float, right: float, top: float) -> bytes:
    """Two hairlines at each corner of the trim, in the slug, never inside the bleed."""
    start, end = BLEED + GAP, BLEED + GAP + LENGTH
    lines = []
    for x, y, out_x, out_y in (
        (left, bottom, -1, -1),
        (right, bottom, 1, -1),
        (left, top, -1, 1),
        (right, top, 1, 1),
    ):
        lines.append((x + out_x * start, y, x + out_x * end, y))  # horizontal, along the edge
        lines.append((x, y + out_y * start, x, y + out_y * end))  # vertical
    paths = "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S\n" for a, b, c, d in lines)
    return f"/Artifact BMC\nq {LINE} w 0 G [] 0 d 0 J\n{paths}Q\nEMC\n".encode()


def _box(*values: float) -> Array:
    return Array([round(value, 4) for value in values])


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
