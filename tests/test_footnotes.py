"""No footnote lost at a page break (report/output/footnotes.py).

WeasyPrint 70 drops the footnotes called in a paragraph's second line when, to keep that
line with the first (``orphans: 2``), it moves the page's last notes to the next page.
``PAGE`` is the smallest case found: WeasyPrint alone prints one note of two; with the
builder's workaround both are printed, the second on the next page.
"""

from __future__ import annotations

import weasyprint
from weasyprint.formatting_structure import boxes

from report.output.footnotes import kept_footnotes

PAGE = """<style>
@page { size: 80mm 60mm; margin: 5mm; }
body { font-size: 10pt; line-height: 12pt; margin: 0; }
p { margin: 0; orphans: 2; widows: 2; } .fn { float: footnote; }
</style>
<p>Ligne 0</p><p>Ligne 1</p><p>Ligne 2</p><p>Ligne 3</p>
<p>Alpha<span class="fn">Note un assez longue pour prendre deux lignes de pied de page ici</span>
bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike</p>
<p>Premier mot deuxieme ligne ici encore et encore pour remplir<span class="fn">Note deux</span>
suite du texte qui continue longtemps encore et encore et encore et encore</p>"""


def printed_notes() -> list[str]:
    """The text of each footnote laid out, page after page."""
    document = weasyprint.HTML(string=PAGE).render()
    return [
        "".join(box.text for box in note.descendants() if isinstance(box, boxes.TextBox))
        for page in document.pages
        for area in page._page_box.children
        if isinstance(area, boxes.FootnoteAreaBox)
        for note in area.children
    ]


def test_weasyprint_alone_still_drops_the_note() -> None:
    """Fails when a WeasyPrint upgrade fixes the bug: the workaround may then go."""
    assert len(printed_notes()) == 1


def test_every_note_is_printed_in_order_with_the_workaround() -> None:
    with kept_footnotes():
        notes = printed_notes()
    assert len(notes) == 2
    assert notes[0].startswith("1. Note un") and notes[1] == "2. Note deux"


def test_the_workaround_is_removed_after_layout() -> None:
    from weasyprint.layout import block

    original = block._linebox_layout
    with kept_footnotes():
        assert block._linebox_layout is not original
    assert block._linebox_layout is original
