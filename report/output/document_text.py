"""What the HTML says the PDF must hold: every id once, and every piece of text.

HTML-to-PDF can lose text without an error: a comment left open, a tag broken by a
stray ``>``, a stylesheet that hides a block. The gate reads the document as a browser's
parser would (``html.parser``), collects each element id and each run of text outside
the head, styles and scripts, remembering the chapter it belongs to; ``lost_text()`` then
looks for each run in the text WeasyPrint laid out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

NOT_PRINTED = frozenset({"head", "title", "style", "script", "svg", "template"})
IGNORED = re.compile(r"[\s\u00ad\u2010\u2011\u00a0\u202f-]+")  # spaces, hyphens


def normal(text: str) -> str:
    """Text as compared: no spaces nor hyphens (line breaks and hyphenation add or move
    them), case folded (stylesheets may capitalise)."""
    return IGNORED.sub("", text).casefold()


@dataclass(frozen=True)
class TextRun:
    """A run of text and the id of the chapter it is in ('' before the first)."""

    text: str
    chapter: str


class DocumentText(HTMLParser):
    """The ids and the runs of text of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.runs: list[TextRun] = []
        self.chapter = ""
        self.hidden = 0
        self.footnotes = 0  # elements of class "footnote": each must print as a note

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if identifier := values.get("id"):
            self.ids[identifier] += 1
        classes = (values.get("class") or "").split()
        self.footnotes += "footnote" in classes and not self.hidden
        if tag == "section" and "chapter" in classes:
            self.chapter = values.get("id") or ""
        if tag in NOT_PRINTED:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_PRINTED and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and normal(data):
            self.runs.append(TextRun(data, self.chapter))


def read(html: str) -> DocumentText:
    document = DocumentText()
    document.feed(html)
    document.close()
    return document


def lost_text(runs: list[TextRun], flow: str, notes: str) -> list[TextRun]:
    """The runs found neither in the laid-out flow nor in the footnotes (laid out apart,
    at the foot of their page).

    Each run is first looked for from where the previous one was found, as the text mostly
    comes in reading order: that only keeps the search linear on a long report, since a
    run found nowhere after that point is then looked for anywhere.
    """
    flow, notes = normal(flow), normal(notes)
    lost, cursor = [], 0
    for run in runs:
        wanted = normal(run.text)
        found = flow.find(wanted, cursor)
        if found < 0:
            found = flow.find(wanted)
        if found >= 0:
            cursor = found + len(wanted)
        elif wanted not in notes:
            lost.append(run)
    return lost
