"""Reading files: YAML with line numbers, duplicate keys, encodings, front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from report.sources.files import (
    LocatedDict,
    LocatedList,
    SourceError,
    load_markdown,
    load_yaml,
    locate,
    parse_yaml,
    read_text,
)

MEASURES = """\
measures:
  - number: 1
    status: réalisée
    lead: [a, b]

  - number: 2
    status: non réalisée
tally:
  counts:
    réalisée: 1
"""


def problem_of(call, *args) -> str:
    with pytest.raises(SourceError) as caught:
        call(*args)
    return str(caught.value.problems[0])


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- located YAML ----------------------------------------------------------------------


def test_mappings_and_sequences_remember_their_lines() -> None:
    data = parse_yaml(MEASURES, Path("m.yaml"))
    assert isinstance(data, LocatedDict) and isinstance(data["measures"], LocatedList)
    assert data.line == 1 and data.key_lines == {"measures": 1, "tally": 8}
    assert data["measures"].item_lines == [2, 6]
    assert data["measures"][1].key_lines == {"number": 6, "status": 7}
    assert data.path == Path("m.yaml")


def test_values_are_plain_python() -> None:
    data = parse_yaml(MEASURES, Path("m.yaml"))
    assert data == {
        "measures": [
            {"number": 1, "status": "réalisée", "lead": ["a", "b"]},
            {"number": 2, "status": "non réalisée"},
        ],
        "tally": {"counts": {"réalisée": 1}},
    }


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        ((), 1),
        (("measures",), 1),
        (("measures", 0), 2),
        (("measures", 1), 6),
        (("measures", 1, "status"), 7),
        (("measures", 0, "lead", 1), 4),
        (("tally", "counts", "réalisée"), 10),
        # a missing key or index points at the closest enclosing item
        (("measures", 1, "title"), 6),
        (("measures", 9, "status"), 1),
        (("nope",), 1),
    ],
)
def test_locate_finds_the_line_of_a_pydantic_style_path(loc: tuple, line: int) -> None:
    assert locate(parse_yaml(MEASURES, Path("m.yaml")), loc) == line


def test_locate_on_plain_data_gives_none() -> None:
    assert locate({"a": 1}, ("a",)) is None


def test_empty_file_is_none() -> None:
    assert parse_yaml("", Path("e.yaml")) is None
    assert parse_yaml("# only a comment\n", Path("e.yaml")) is None


def test_duplicate_key_is_an_error_naming_both_lines(here: Path) -> None:
    text = "axes:\n  - key: a1\n    title: Un\n    number: 1\n    title: Deux\n"
    assert problem_of(parse_yaml, text, Path("plan.yaml")) == (
        "plan.yaml:5: axes[0]: duplicate key 'title' (first defined on line 3); "
        "remove or rename one of them"
    )


def test_duplicate_top_level_section_is_an_error(here: Path) -> None:
    assert problem_of(parse_yaml, "measures: []\naxes: []\nmeasures: []\n", Path("plan.yaml")) == (
        "plan.yaml:3: duplicate key 'measures' (first defined on line 1); "
        "remove or rename one of them"
    )


def test_yaml_syntax_error_is_located(here: Path) -> None:
    assert problem_of(parse_yaml, "a: 1\nb: [1, 2\nc: 3\n", Path("x.yaml")).startswith(
        "x.yaml:3: YAML syntax error: "
    )
    assert problem_of(parse_yaml, "a: 1\nb: c: d\n", Path("x.yaml")) == (
        "x.yaml:2: YAML syntax error: mapping values are not allowed here"
    )


def test_yaml_is_safe(here: Path) -> None:
    problem = problem_of(
        parse_yaml, "a: !!python/object/apply:os.system ['true']\n", Path("x.yaml")
    )
    assert problem.startswith("x.yaml:1: YAML syntax error: ")


# --- reading files ---------------------------------------------------------------------


def test_missing_file(here: Path) -> None:
    assert problem_of(load_yaml, here / "data" / "absent.yaml") == (
        "data/absent.yaml: file not found; create it or fix the name"
    )


def test_invalid_utf8_names_the_line_and_byte(here: Path) -> None:
    path = here / "latin1.yaml"
    path.write_bytes("a: 1\nb: deux\ntitle: Réalisée\n".encode("latin-1"))
    assert problem_of(read_text, path) == (
        "latin1.yaml:3: invalid UTF-8 (byte 0xe9); save the file with UTF-8 encoding"
    )


def test_utf8_is_read(here: Path) -> None:
    path = here / "ok.yaml"
    path.write_text("status: réalisée « ok »\n", encoding="utf-8")
    assert load_yaml(path) == {"status": "réalisée « ok »"}


def test_unreadable_path_is_a_problem_not_a_crash(here: Path) -> None:
    (here / "folder.yaml").mkdir()
    assert problem_of(read_text, here / "folder.yaml").startswith("folder.yaml: cannot be read (")


# --- Markdown front matter -------------------------------------------------------------


def test_front_matter_is_split_from_the_body(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Synthèse\ntoc: false\n---\n\n# Corps\n", encoding="utf-8")
    source = load_markdown(path)
    assert source.front_matter == {"title": "Synthèse", "toc": False}
    assert source.body == "\n# Corps\n"
    assert source.body_line == 5
    assert source.path == path


def test_no_front_matter_means_the_whole_file_is_the_body(here: Path) -> None:
    path = here / "c.md"
    path.write_text("# Titre\n\nTexte.\n", encoding="utf-8")
    source = load_markdown(path)
    assert (source.front_matter, source.body, source.body_line) == ({}, "# Titre\n\nTexte.\n", 1)


def test_empty_front_matter(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\n---\nTexte\n", encoding="utf-8")
    source = load_markdown(path)
    assert (source.front_matter, source.body, source.body_line) == ({}, "Texte\n", 3)


def test_front_matter_syntax_error_is_located_in_the_file(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\nid: a: b\n---\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == (
        "c.md:3: YAML syntax error: mapping values are not allowed here"
    )


def test_front_matter_must_be_a_mapping(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\n- un\n- deux\n---\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == (
        "c.md:2: front matter must be a mapping of 'key: value' lines"
    )


def test_unclosed_front_matter(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\n\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == (
        "c.md:1: front matter is not closed; add a line '---' after it"
    )


def test_front_matter_duplicate_key_line_is_the_file_line(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\nid: x\ntitle: Deux\n---\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path).startswith("c.md:4: duplicate key 'title'")


def test_front_matter_duplicate_key_names_both_file_lines(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\nid: x\ntitle: Deux\n---\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == (
        "c.md:4: duplicate key 'title' (first defined on line 2); remove or rename one of them"
    )


def test_front_matter_key_lines_are_file_lines(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\ntoc: peut-être\n---\nTexte\n", encoding="utf-8")
    assert locate(load_markdown(path).front_matter, ("toc",)) == 3
