"""Reading the content folder, the edges: nested duplicates and dates, encodings, front matter.

``test_load.py`` covers the common cases; these tests pin where a problem is said to be
(file, line and field path) when it is deep inside the YAML, and the rarer shapes of
front matter and of YAML errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from report.sources import files
from report.sources.files import (
    LocatedDict,
    SourceError,
    load_markdown,
    locate,
    parse_yaml,
    read_text,
)

NOT_A_DATE = "is not a real date; write it as YYYY-MM-DD"


def problem_of(call, *args) -> str:
    with pytest.raises(SourceError) as caught:
        call(*args)
    [problem] = caught.value.problems
    return str(problem)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- duplicate keys, wherever they are --------------------------------------------------


def test_a_duplicate_key_in_a_nested_mapping_names_its_field_path() -> None:
    text = "theme:\n  colors:\n    accent: '#111111'\n    accent: '#222222'\n"
    assert problem_of(parse_yaml, text, Path("report.yaml")) == (
        "report.yaml:4: theme.colors: duplicate key 'accent' (first defined on line 3); "
        "remove or rename one of them"
    )


def test_a_duplicate_key_in_a_list_inside_a_list() -> None:
    text = "grid:\n  - - x: 1\n      x: 2\n"
    assert problem_of(parse_yaml, text, Path("g.yaml")) == (
        "g.yaml:3: grid[0][0]: duplicate key 'x' (first defined on line 2); "
        "remove or rename one of them"
    )


def test_a_duplicate_key_deep_in_measures() -> None:
    text = (
        "measures:\n"
        "  - number: 1\n"
        "  - number: 2\n"
        "    sources:\n"
        "      - url: https://a.fr\n"
        "        title: A\n"
        "        url: https://b.fr\n"
    )
    assert problem_of(parse_yaml, text, Path("m.yaml")) == (
        "m.yaml:7: measures[1].sources[0]: duplicate key 'url' (first defined on line 5); "
        "remove or rename one of them"
    )


def test_the_same_key_in_two_mappings_is_no_duplicate() -> None:
    data = parse_yaml("a:\n  x: 1\nb:\n  x: 2\n", Path("ok.yaml"))
    assert data == {"a": {"x": 1}, "b": {"x": 2}}
    assert data["b"].key_lines == {"x": 4}


# --- impossible dates, named by their field ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "value"),
    [
        ("date: 2023-02-30\n", "x.yaml:1: date:", "2023-02-30"),
        ("dates:\n  - 2023-01-01\n  - 2023-02-30\n", "x.yaml:3: dates[1]:", "2023-02-30"),
        (
            "measures:\n  - number: 1\n    evidence:\n      - date: 2023-04-31\n",
            "x.yaml:4: measures[0].evidence[0].date:",
            "2023-04-31",
        ),
        ("plan:\n  period:\n    end: 2023-13-01\n", "x.yaml:3: plan.period.end:", "2023-13-01"),
        ("2023-02-30\n", "x.yaml:1:", "2023-02-30"),
    ],
)
def test_an_impossible_date_names_its_line_and_field(text: str, where: str, value: str) -> None:
    assert problem_of(parse_yaml, text, Path("x.yaml")) == f"{where} '{value}' {NOT_A_DATE}"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("tags: !!set {? 2023-02-30}\n", "x.yaml:1: tags:"),
        ("tags:\n  - !!set {? 2023-02-30}\n", "x.yaml:2: tags[0]:"),
        ("- !!set {? 2023-02-30}\n", "x.yaml:1: [0]:"),
    ],
)
def test_an_impossible_date_inside_a_yaml_set_is_named_by_its_field(text: str, where: str) -> None:
    assert problem_of(parse_yaml, text, Path("x.yaml")) == f"{where} '2023-02-30' {NOT_A_DATE}"


def test_an_impossible_date_in_front_matter_is_on_its_file_line(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\ndate: 2023-02-30\n---\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == f"c.md:3: date: '2023-02-30' {NOT_A_DATE}"


def test_real_dates_are_dates() -> None:
    data = parse_yaml("date: 2024-02-29\n", Path("x.yaml"))
    assert str(data["date"]) == "2024-02-29"


# --- YAML errors -----------------------------------------------------------------------


def test_a_yaml_error_with_only_a_context_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    mark = yaml.Mark("x.yaml", 0, 4, 0, None, None)

    def fail(*args, **kwargs):
        raise yaml.MarkedYAMLError(context="while parsing a block mapping", context_mark=mark)

    monkeypatch.setattr(files.yaml, "load", fail)
    assert problem_of(parse_yaml, "a: 1\n", Path("x.yaml")) == (
        "x.yaml:5: YAML syntax error: while parsing a block mapping"
    )


def test_a_yaml_error_without_position_or_reason_is_still_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args, **kwargs):
        raise yaml.MarkedYAMLError()

    monkeypatch.setattr(files.yaml, "load", fail)
    assert problem_of(parse_yaml, "a: 1\n", Path("x.yaml")) == (
        "x.yaml: YAML syntax error: invalid YAML"
    )


def test_a_tab_indentation_error_is_located() -> None:
    assert problem_of(parse_yaml, "a:\n\t- b\n", Path("x.yaml")) == (
        "x.yaml:2: YAML syntax error: found character '\\t' that cannot start any token"
    )


# --- encodings and unreadable files -----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "byte"),
    [
        (b"\xffa: 1\n", 1, "0xff"),
        ("a: é\nb: « c »\nc: d\n".encode() + b"d: \xe9t\xe9\n", 4, "0xe9"),
        (b"a: 1\r\nb: 2\r\nc: \x80\r\n", 3, "0x80"),
    ],
)
def test_bad_utf8_names_its_line_and_byte(here: Path, raw: bytes, line: int, byte: str) -> None:
    path = here / "data.yaml"
    path.write_bytes(raw)
    assert problem_of(read_text, path) == (
        f"data.yaml:{line}: invalid UTF-8 (byte {byte}); save the file with UTF-8 encoding"
    )


def test_a_folder_in_place_of_a_file_says_why_it_cannot_be_read(here: Path) -> None:
    (here / "report.yaml").mkdir()
    assert problem_of(read_text, here / "report.yaml") == (
        "report.yaml: cannot be read (Is a directory)"
    )


# --- front matter ----------------------------------------------------------------------


def test_front_matter_may_end_with_three_dots(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\n...\n# Corps\n", encoding="utf-8")
    source = load_markdown(path)
    assert (source.front_matter, source.body, source.body_line) == (
        {"title": "Un"},
        "# Corps\n",
        4,
    )


def test_front_matter_markers_may_carry_trailing_spaces(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\n---  \nCorps\n", encoding="utf-8")
    assert load_markdown(path).front_matter == {"title": "Un"}


def test_front_matter_ends_at_the_first_closing_line(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\n---\nA\n\n---\n\nB\n", encoding="utf-8")
    source = load_markdown(path)
    assert (source.body, source.body_line) == ("A\n\n---\n\nB\n", 4)


@pytest.mark.parametrize("meta", ["Juste une phrase", "- un\n- deux", "42"])
def test_front_matter_that_is_not_a_mapping_is_refused(here: Path, meta: str) -> None:
    path = here / "c.md"
    path.write_text(f"---\n{meta}\n---\nTexte\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == (
        "c.md:2: front matter must be a mapping of 'key: value' lines"
    )


def test_front_matter_never_closed_is_refused(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\n--\n# Corps\n", encoding="utf-8")
    assert problem_of(load_markdown, path) == (
        "c.md:1: front matter is not closed; add a line '---' after it"
    )


def test_front_matter_lines_are_lines_of_the_file(here: Path) -> None:
    path = here / "c.md"
    path.write_text("---\ntitle: Un\nclasses:\n  - large\n  - sombre\n---\nX\n", encoding="utf-8")
    meta = load_markdown(path).front_matter
    assert isinstance(meta, LocatedDict)
    assert (meta.line, meta.key_lines, meta["classes"].item_lines) == (
        2,
        {"title": 2, "classes": 3},
        [4, 5],
    )
    assert meta.path == path


# --- locate ----------------------------------------------------------------------------

PLAN = """\
axes:
  - key: a1
    actions:
      - key: a1.1
        bodies: [ministere, region]
      - key: a1.2
  - key: a2
1: un
"""


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("axes", 0, "actions", 1, "key"), 6),
        (("axes", 0, "actions", 0, "bodies", 1), 5),
        (("axes", 1), 7),
        (("axes", 1, "key"), 7),
        # one past the end of a list, or a key that is not there: the enclosing item
        (("axes", 2), 1),
        (("axes", 0, "actions", 2, "key"), 3),
        (("axes", 0, "actions", 0, "bodies", 2), 5),
        (("axes", 1, "actions"), 7),
        # a list is not indexed by a name, nor a mapping by a position
        (("axes", "key"), 1),
        (("axes", 0, 0), 2),
        # integer keys of a mapping are keys
        ((1,), 8),
    ],
)
def test_locate_walks_lists_and_mappings_and_stops_at_their_end(loc: tuple, line: int) -> None:
    assert locate(parse_yaml(PLAN, Path("plan.yaml")), loc) == line


def test_locate_on_a_list_file() -> None:
    data = parse_yaml("\n- a\n- b\n", Path("l.yaml"))
    assert locate(data, ()) == 2
    assert locate(data, (1,)) == 3
    assert locate(data, (2,)) == 2


# --- keys that are not text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[Note]: texte\n", "x.yaml:1:"),
        ("measures:\n  - number: 1\n    {a: 1}: x\n", "x.yaml:3: measures[0]:"),
        ("a:\n  ? [b, c]\n  : d\n", "x.yaml:2: a:"),
    ],
)
def test_a_list_or_mapping_written_as_a_key_is_a_located_problem(text: str, where: str) -> None:
    assert problem_of(parse_yaml, text, Path("x.yaml")) == (
        f"{where} a key must be plain text, not a list or mapping; "
        "put it in quotes if it starts with '[' or '{'"
    )


def test_a_key_in_quotes_may_start_with_a_bracket() -> None:
    assert parse_yaml("'[Note]': texte\n", Path("x.yaml")) == {"[Note]": "texte"}
