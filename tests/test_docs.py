"""The documentation stays in step with the code.

* every key of ``report.yaml`` (``Config``, ``PlanConfig``, ``StatusDef``, ``Theme``, and
  ``Edition``, ``Letter``, ``Signatory``, ``Colophon``) has a row in its table of
  ``docs/configuration.md``, and every row there is a real key;
* every field of the data model (``report/model.py``) has a row in its section of
  ``docs/schema.md``, and every row there is a real field;
* every front matter key (``ChapterMeta``) has a row in ``docs/writing.md``;
* the README's first code block is exactly the two commands, and ``.ci/run`` runs them;
* relative links between the Markdown documents point to files that exist.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from pydantic import BaseModel

from report.compose import chapters as content
from report.i18n import catalogue
from report.sources import bibliography, colophon, config, editions, model, vocabulary

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COMMANDS = ["./setup.sh", "python -m pytest -q"]

# (document, heading of the section holding the table, model documented there)
SECTIONS: list[tuple[str, str, type[BaseModel]]] = [
    ("configuration.md", "## Top-level keys", config.Config),
    ("configuration.md", "## plan", config.PlanConfig),
    ("configuration.md", "## statuses", config.StatusDef),
    ("configuration.md", "## vocabulary", vocabulary.Vocabulary),
    ("configuration.md", "### terms", catalogue.Term),
    ("configuration.md", "## theme", config.Theme),
    ("configuration.md", "## editions", editions.Edition),
    ("configuration.md", "## letter", editions.Letter),
    ("configuration.md", "### signatories", editions.Signatory),
    ("configuration.md", "## colophon", colophon.Colophon),
    ("schema.md", "### axes", model.Axis),
    ("schema.md", "### actions", model.Action),
    ("schema.md", "### bodies", model.Body),
    ("schema.md", "### assessors", model.Assessor),
    ("schema.md", "#### history (inside a measure)", model.Assessment),
    ("schema.md", "#### evidence (inside a measure)", model.Evidence),
    ("schema.md", "### measures", model.Measure),
    ("schema.md", "### tally", model.Tally),
    ("schema.md", "### recommendations", model.Recommendation),
    ("schema.md", "### datasets", model.Dataset),
    ("schema.md", "#### points (inside a dataset)", model.Point),
    ("schema.md", "### figures", model.Figure),
    ("schema.md", "### chronology", model.Event),
    ("sources.md", "### Fields of an entry", bibliography.BibEntry),
    ("writing.md", "### Front matter keys", content.ChapterMeta),
]

FIELD_ROW = re.compile(r"^\|\s*`(?P<name>[^`]+)`\s*\|", re.MULTILINE)
FENCE = re.compile(r"^```[^\n]*\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def written_names(schema: type[BaseModel]) -> list[str]:
    """The keys as authors write them (``title-short``, a field's alias, when it has one)."""
    return [field.alias or name for name, field in schema.model_fields.items()]


def section(document: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading (of any level)."""
    text = FENCE.sub("", (DOCS / document).read_text(encoding="utf-8"))  # "# " in YAML
    start = re.search(rf"^{re.escape(heading)}\s*$", text, flags=re.MULTILINE)
    assert start, f"docs/{document} has no heading {heading!r}"
    end = re.compile(r"^#{1,6} ", flags=re.MULTILINE).search(text, start.end())
    return text[start.end() : end.start() if end else len(text)]


def documented_fields(document: str, heading: str) -> list[str]:
    """Names in the first column of the section's table (``| `name` | ...``)."""
    return FIELD_ROW.findall(section(document, heading))


@pytest.mark.parametrize(
    ("document", "heading", "schema"),
    SECTIONS,
    ids=[f"{doc}:{cls.__name__}" for doc, _, cls in SECTIONS],
)
def test_every_field_is_documented(document: str, heading: str, schema: type[BaseModel]) -> None:
    documented = documented_fields(document, heading)
    missing = [name for name in written_names(schema) if name not in documented]
    assert not missing, (
        f"{schema.__name__} fields missing from the table under {heading!r} in "
        f"docs/{document}: {missing}"
    )


@pytest.mark.parametrize(
    ("document", "heading", "schema"),
    SECTIONS,
    ids=[f"{doc}:{cls.__name__}" for doc, _, cls in SECTIONS],
)
def test_no_documented_field_is_stale(document: str, heading: str, schema: type[BaseModel]) -> None:
    written = written_names(schema)
    stale = [name for name in documented_fields(document, heading) if name not in written]
    assert not stale, (
        f"docs/{document} documents under {heading!r} keys that {schema.__name__} "
        f"does not have: {stale}"
    )


def test_every_config_and_model_field_is_named() -> None:
    """The brief's wording, checked directly: each name appears in its document."""
    configuration = (DOCS / "configuration.md").read_text(encoding="utf-8")
    schema = (DOCS / "schema.md").read_text(encoding="utf-8")
    for cls in (config.Config, config.PlanConfig, config.StatusDef, config.Theme):
        for name in written_names(cls):
            assert f"`{name}`" in configuration, f"{cls.__name__}.{name} not named"
    for cls in (
        model.Axis,
        model.Action,
        model.Body,
        model.Evidence,
        model.Measure,
        model.Tally,
        model.Recommendation,
        model.Point,
        model.Dataset,
        model.Figure,
    ):
        for name in cls.model_fields:
            assert f"`{name}`" in schema, f"{cls.__name__}.{name} not named"


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = FENCE.search(readme)
    assert first, "README.md has no code block"
    return [line.strip() for line in first["body"].splitlines() if line.strip()]


def test_readme_first_code_block_is_the_two_commands() -> None:
    assert readme_commands() == COMMANDS


def test_ci_runs_the_readme_commands_in_order() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in script.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    normalised = [shlex.join(shlex.split(line)) for line in commands]
    positions = []
    for command in COMMANDS:
        assert command in normalised, f".ci/run does not run {command!r}"
        positions.append(normalised.index(command))
    assert positions == sorted(positions), ".ci/run must run ./setup.sh before the tests"


@pytest.mark.parametrize(
    "document",
    [
        "README.md",
        "ARCHITECTURE.md",
        *(f"docs/{path.name}" for path in sorted(DOCS.glob("*.md"))),
    ],
)
def test_links_between_documents_exist(document: str) -> None:
    path = ROOT / document
    broken = []
    for match in LINK.finditer(path.read_text(encoding="utf-8")):
        target = match["target"].split("#", 1)[0]
        if not target or "://" in target or not target.endswith(".md"):
            continue
        if not (path.parent / target).is_file():
            broken.append(match["target"])
    assert not broken, f"{document} links to missing documents: {broken}"
