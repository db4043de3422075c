"""Property-based fuzzing: whatever a content folder holds, the builder answers with located
problems, never a traceback.

Hypothesis writes arbitrary text, arbitrary YAML structures and arbitrary Markdown; each
run is bounded (a fixed number of examples, no deadline) so CI stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report.compose.chapters import Narrative, convert_chapter
from report.compose.placement import Placement
from report.compose.typography import apply_typography
from report.errors import ReportError
from report.i18n.catalogue import catalogue
from report.sources.config import Config
from report.sources.files import load_markdown, parse_yaml
from report.sources.validate import load_data

# CI runs a bounded number of examples; FUZZ_EXAMPLES=5000 digs deeper on a developer's machine.
BOUNDED = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONFIG = Config(title="T", date=dt.date(2023, 1, 2))
YAML_TEXT = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#?,.\n 0123\t\x00é%@`")))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 50),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.dates(),
    st.sampled_from(["réalisée", "a1", "min", "x"]),
)
FIELDS = [
    "number",
    "axis",
    "status",
    "title",
    "lead",
    "key",
    "name",
    "id",
    "text",
    "counts",
    "points",
    "x",
    "value",
    "kind",
    "dataset",
    "evidence",
    "label",
    "url",
]
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5)
    ),
    max_leaves=20,
)
SECTIONS = st.dictionaries(
    st.sampled_from(
        [
            "axes",
            "actions",
            "bodies",
            "measures",
            "recommendations",
            "datasets",
            "figures",
            "tally",
            "autre",
        ]
    ),
    VALUES,
    max_size=4,
)
PIECES = [
    *"ab #*_`[]()!<>/{}%:;?«»'\"-|\n\t=.~^0123",
    " - ",
    "--",
    "p. ",
    "[[M1]]",
    "[[M9]]",
    "{{ total }}",
    "{{",
    "{%",
    "{#",
    "<div>",
    "</div>",
    "```",
    "[^1]",
    "{.x}",
    ":::",
    "<!--",
    "-->",
    "    ",
    "---\n",
    '<span title="a > b">',
]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)

FRENCH_WORDS = Config(title="T", date=dt.date(2023, 1, 2)).words
TYPOGRAPHIES = [catalogue(language).typography for language in ("fr", "en", "en-US")]


def is_located(error: ReportError) -> bool:
    return all(problem.message and problem.path for problem in error.problems)


@BOUNDED
@given(YAML_TEXT)
def test_any_text_as_yaml_is_data_or_a_located_problem(text: str) -> None:
    try:
        parse_yaml(text, Path("data/x.yaml"))
    except ReportError as error:
        assert is_located(error)


@BOUNDED
@given(SECTIONS)
def test_any_data_structure_is_a_plan_or_located_problems(sections: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        (data / "plan.yaml").write_text(yaml.safe_dump(sections, allow_unicode=True))
        try:
            load_data(Path(folder), CONFIG)
        except ReportError as error:
            assert is_located(error)


@BOUNDED
@given(MARKDOWN)
def test_any_markdown_is_a_chapter_or_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        chapter = Path(folder) / "chapters" / "01-x.md"
        chapter.parent.mkdir()
        chapter.write_text(text)
        narrative = Narrative(
            variables={"total": 45},
            components={},
            words=FRENCH_WORDS,
            measures={},
            recommendations={},
            content_dir=Path(folder),
            placement=Placement(),
        )
        try:
            html = convert_chapter(load_markdown(chapter), narrative).html
        except ReportError as error:
            assert is_located(error)
            return
        for typography in TYPOGRAPHIES:
            once = apply_typography(html, typography)
            assert apply_typography(once, typography) == once
