"""No footnote lost at a page break: a workaround for WeasyPrint 70's line layout.

When a paragraph's second line does not fit at a page's foot, WeasyPrint (keeping two
lines together, ``orphans: 2``) moves the page's last footnotes to the next page to make
room, places the line, and stops there, without ever laying out the footnotes called in
that line: they are silently dropped (in the default report, note 90, the source of "102
places"). ``kept_footnotes`` wraps the function that lays out a block's lines; after it,
a footnote whose call was placed but which was never laid out is sent to the next page,
behind the ones moved there, as WeasyPrint does for a footnote that does not fit.
Installed only while the document is laid out; the verification gate also counts the
notes, so a loss of any other cause is reported, not printed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

LINES_SIGNATURE = [
    "context", "box", "index", "child", "new_children", "page_is_empty", "absolute_boxes",
    "fixed_boxes", "adjoining_margins", "bottom_space", "position_y", "skip_stack",
    "first_letter_style", "first_line_style", "draw_bottom_decoration", "max_lines",
]  # fmt: skip


@contextmanager
def kept_footnotes() -> Iterator[None]:
    """Lay out with the workaround; a WeasyPrint whose function differs is left alone."""
    from weasyprint.layout import block

    original = block._linebox_layout
    if list(inspect.signature(original).parameters) != LINES_SIGNATURE:
        yield  # another WeasyPrint: the gate's count of notes still guards the output
        return
    block._linebox_layout = _keeping(original)
    try:
        yield
    finally:
        block._linebox_layout = original


def _keeping(original: Callable[..., tuple]) -> Callable[..., tuple]:
    def linebox_layout(context: Any, box: Any, index: int, child: Any, new_children: list,
                       *args: Any) -> tuple:  # fmt: skip
        result = original(context, box, index, child, new_children, *args)
        dropped = [
            footnote
            for line in new_children
            for footnote in _called(line)
            if footnote in context.footnotes
        ]
        for footnote in dropped:
            context.footnotes.remove(footnote)
            context.reported_footnotes.append(footnote)
            result[4].append(footnote)  # new_footnotes: undone if the block moves on
        return result

    return linebox_layout


def _called(line: Any) -> Iterator[Any]:
    """The footnotes whose calls a placed line holds."""
    for box in line.descendants():
        footnote = getattr(box, "footnote", None)
        if footnote is not None:
            yield footnote
