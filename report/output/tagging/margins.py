"""Running heads and folios drawn as artifacts, side notes kept as content.

A page's margin boxes hold what the stylesheet generates (the chapter's name, "12 / 30")
and, with ``position: running()``, a side note taken from the text. WeasyPrint marks the
generated text as content and then leaves its elements out of the tree, so a screen reader
would meet "12 / 30" in the middle of a sentence, or nothing that maps. ``MarginArtifacts``
lists, before the pages are drawn, every box of a margin box that the stylesheet made (a
box with no HTML element of its own); ``marked`` then draws those as ``/Artifact`` instead
of giving them a marked-content id, and the structure hook builds elements only for what
is left: the side notes, read after the text of their page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any


class MarginArtifacts:
    """The generated boxes of every margin box of a rendered document."""

    def __init__(self, pages: list[Any]) -> None:
        from weasyprint.formatting_structure import boxes

        self.margin_box = boxes.MarginBox
        self.generated: set[int] = set()
        for page in pages:
            for margin in page._page_box.children:
                if isinstance(margin, boxes.MarginBox):
                    self.generated |= {
                        id(box) for box in margin.descendants() if _generated(box, boxes)
                    }

    def is_margin(self, box: Any) -> bool:
        return isinstance(box, self.margin_box)

    def wrap(
        self, marked: Callable[..., AbstractContextManager]
    ) -> Callable[..., AbstractContextManager]:
        """``Stream.marked``, drawing the generated margin boxes as artifacts."""
        generated = self.generated

        @contextmanager
        def marked_or_artifact(stream: Any, box: Any, tag: str) -> Iterator[None]:
            if id(box) in generated:
                with stream.artifact():
                    yield
            else:
                with marked(stream, box, tag):
                    yield

        return marked_or_artifact


def _generated(box: Any, boxes: Any) -> bool:
    """Text or a picture the stylesheet put in the margin, not a box of the HTML."""
    return isinstance(box, boxes.TextBox | boxes.ReplacedBox) and box.element is None
