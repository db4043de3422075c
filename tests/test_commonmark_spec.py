"""Every example of the CommonMark spec, run through the chapter stage, keeps all its text
and its code literal.

The builder adds things to Markdown (expressions, ``[[M12]]``, footnotes, attributes,
sanitising, typography), so its HTML is not the spec's, but a reader must see the same
words: for each example, the text a browser would show (both sides parsed by the same
HTML5 parser, with the same allow-list) is compared, spaces and typographic marks aside,
and the content of every code element must come out unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from commonmark_spec import SPEC, download, examples

from report.compose.chapters import Narrative, convert_text
from report.compose.markdown import markdown_parser
from report.compose.placement import Placement
from report.compose.sanitise import sanitise
from report.compose.typography import apply_typography
from report.i18n.catalogue import catalogue
from report.sources.config import Config
from report.sources.files import MarkdownSource

if not SPEC.is_file():  # setup.sh fetches it; fetch it here when the tests run alone
    download()
EXAMPLES = examples()
TYPOGRAPHY = re.compile(r"[\s\u00a0\u202f]+")

FRENCH_WORDS = Config(title="T", date=dt.date(2023, 1, 2)).words
FRENCH = catalogue("fr").typography
QUOTES = str.maketrans({"’": "'", "«": '"', "»": '"'})


class _Text(HTMLParser):
    """The text a reader sees, and the content of each code element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.code: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "code":
            self.in_code += 1
            self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self.in_code:
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.in_code:
            self.code[-1] += data


def seen(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(sanitise(html))
    parser.close()

    def normal(text: str) -> str:
        return TYPOGRAPHY.sub("", text).translate(QUOTES)

    return normal("".join(parser.text)), parser.code


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder holding a file for every local image the examples show."""
    folder = tmp_path_factory.mktemp("commonmark") / "c"
    (folder / "chapters").mkdir(parents=True)
    for _, markdown, _ in EXAMPLES:
        for block in markdown_parser().parse(markdown):
            for token in block.children or []:
                source = str(token.attrs.get("src", "")) if token.type == "image" else ""
                parts = urlsplit(source)
                if source and not (parts.scheme or parts.netloc or source.startswith("/")):
                    image = (folder / "chapters" / unquote(parts.path)).resolve()
                    if image.is_relative_to(folder) and not image.is_dir():
                        image.parent.mkdir(parents=True, exist_ok=True)
                        image.touch()
    return folder


@pytest.mark.parametrize(
    ("number", "markdown", "expected"),
    [pytest.param(*example, id=f"example {example[0]}") for example in EXAMPLES],
)
def test_the_example_keeps_its_text_and_its_code(
    content: Path, number: int, markdown: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)  # images with absolute paths are refused with a warning
    narrative = Narrative(
        variables={},
        components={},
        words=FRENCH_WORDS,
        measures={},
        recommendations={},
        content_dir=content,
        placement=Placement(),
    )
    source = MarkdownSource(content / "chapters" / f"{number}.md", {}, markdown, 1)
    html = apply_typography(convert_text(source, narrative)[1], FRENCH)
    expected_text, expected_code = seen(expected)
    text, code = seen(html)
    assert text == expected_text
    assert code == expected_code
