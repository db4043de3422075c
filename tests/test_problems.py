"""Validation failures in words: what each pydantic error becomes in front of the author.

Small models stand in for the report's schemas; the YAML goes through ``parse_yaml`` so
every problem is located the way ``report.yaml`` and the data files are.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
)

from report.errors import ConfigError
from report.sources.config import load_config
from report.sources.files import parse_yaml
from report.sources.problems import (
    field_path,
    fold,
    problems_from,
    suggest,
    unknown_value,
)

PATH = Path("data.yaml")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Strict):
    url: HttpUrl
    date: dt.date | None = None


class Evidence(Strict):
    sources: list[Source] = []
    checked: bool = False


class Measure(Strict):
    number: int
    title: str = ""
    status: Literal["réalisée", "non réalisée"] = "réalisée"
    colour: str = Field("#000000", pattern=r"^#[0-9a-fA-F]{6}$")
    slug: str = Field("m", pattern=r"^[\w.-]+$")
    lead: list[str] = []
    pair: tuple[int, int] = (0, 0)
    counts: dict[str, int] = {}
    evidence: Evidence | None = None
    due: dt.date | None = None

    @field_validator("title")
    @classmethod
    def _no_placeholder(cls, value: str) -> str:
        if value == "TODO":
            raise ValueError("write the real title (not TODO)")
        return value


class Plan(Strict):
    measures: list[Measure]


def problems(text: str, model: type[BaseModel] = Plan, **kwargs) -> list[str]:
    raw = parse_yaml(text, PATH)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw)
    return [str(problem) for problem in problems_from(caught.value, raw, PATH, model, **kwargs)]


def one(field: str, value: str) -> str:
    """The problem of one measure whose ``field`` is set to ``value`` (line 3)."""
    other = "slug: m" if field == "number" else "number: 1"
    [problem] = problems(f"measures:\n  - {other}\n    {field}: {value}\n")
    return problem


# --- every error type in words ---------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "douze", "expected a whole number, got 'douze'"),
        ("title", "12", "expected text, got 12"),
        ("due", "hier", "expected a date written YYYY-MM-DD, got 'hier'"),
        ("due", "[1, 2]", "expected a date written YYYY-MM-DD"),
        ("lead", "Ministère", "expected a list (lines starting with '- '), got 'Ministère'"),
        ("pair", "deux", "expected a list (lines starting with '- '), got 'deux'"),
        ("counts", "beaucoup", "expected a mapping of 'key: value' lines, got 'beaucoup'"),
        ("evidence", "oui", "expected a mapping of 'key: value' lines, got 'oui'"),
        ("status", "faite", "input should be 'réalisée' or 'non réalisée', got 'faite'"),
        ("colour", "rouge", "expected a colour written #rrggbb (e.g. #1f3b5c), got 'rouge'"),
        (
            "slug",
            "a b/c",
            "expected letters, digits, '.', '_' or '-' only (no spaces or slashes), got 'a b/c'",
        ),
        ("title", "TODO", "write the real title (not TODO)"),
    ],
)
def test_each_error_type_is_said_in_words(field: str, value: str, message: str) -> None:
    assert one(field, value) == f"data.yaml:3: measures[0].{field}: {message}"


def test_a_whole_number_given_a_list_does_not_repeat_the_list() -> None:
    assert one("number", "[1, 2]") == "data.yaml:3: measures[0].number: expected a whole number"


def test_text_given_a_mapping_does_not_repeat_the_mapping() -> None:
    assert one("title", "{a: 1}") == "data.yaml:3: measures[0].title: expected text"


def test_a_required_key_that_is_missing_points_at_its_item() -> None:
    assert problems("measures:\n  - title: Sans numéro\n") == [
        "data.yaml:2: measures[0].number: is required; add it"
    ]


def test_a_nested_bool_and_url_are_said_in_words() -> None:
    text = (
        "measures:\n"
        "  - number: 1\n"
        "    evidence:\n"
        "      checked: peut-être\n"
        "      sources:\n"
        "        - url: site.fr\n"
    )
    assert problems(text) == [
        "data.yaml:4: measures[0].evidence.checked: expected true or false, got 'peut-être'",
        "data.yaml:6: measures[0].evidence.sources[0].url: "
        "expected a URL starting with https://, got 'site.fr'",
    ]


def test_an_error_type_without_its_own_words_keeps_pydantic_message() -> None:
    assert one("number", "1.5") == (
        "data.yaml:3: measures[0].number: "
        "Input should be a valid integer, got a number with a fractional part, got 1.5"
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("date_parsing", "expected a date written YYYY-MM-DD, got 'x'"),
        ("date_type", "expected a date written YYYY-MM-DD, got 'x'"),
        ("date_from_datetime_parsing", "expected a date written YYYY-MM-DD, got 'x'"),
        ("int_type", "expected a whole number, got 'x'"),
        ("tuple_type", "expected a list (lines starting with '- '), got 'x'"),
        ("model_type", "expected a mapping of 'key: value' lines, got 'x'"),
        ("dict_type", "expected a mapping of 'key: value' lines, got 'x'"),
        ("url_parsing", "expected a URL starting with https://, got 'x'"),
        ("bool_parsing", "expected true or false, got 'x'"),
    ],
)
def test_every_type_of_the_table_has_its_sentence(kind: str, expected: str) -> None:
    ctx = {"error": "why", "class_name": "Measure"}
    error = ValidationError.from_exception_data(
        "Plan", [{"type": kind, "loc": ("due",), "input": "x", "ctx": ctx}]
    )
    raw = parse_yaml("due: x\n", PATH)
    [problem] = problems_from(error, raw, PATH)
    assert str(problem) == f"data.yaml:1: due: {expected}"


# --- unknown keys ----------------------------------------------------------------------


def test_an_unknown_key_lists_the_keys_allowed_there_and_suggests_one() -> None:
    assert problems("measures:\n  - number: 1\n    titel: Un\n") == [
        "data.yaml:3: measures[0].titel: unknown key 'titel' (allowed: number, title, status, "
        "colour, slug, lead, pair, counts, evidence, due; did you mean 'title'?)"
    ]


def test_an_unknown_key_deep_inside_lists_the_keys_of_its_own_model() -> None:
    text = "measures:\n  - number: 1\n    evidence:\n      sources:\n        - adresse: x\n"
    [missing, unknown] = problems(text)
    assert missing == "data.yaml:5: measures[0].evidence.sources[0].url: is required; add it"
    assert unknown == (
        "data.yaml:5: measures[0].evidence.sources[0].adresse: "
        "unknown key 'adresse' (allowed: url, date)"
    )


def test_an_unknown_top_level_key() -> None:
    assert problems("measures: []\nmesures: []\n") == [
        "data.yaml:2: mesures: unknown key 'mesures' (allowed: measures; did you mean 'measures'?)"
    ]


def test_without_the_model_an_unknown_key_lists_nothing() -> None:
    raw = parse_yaml("measures: []\nextra: 1\n", PATH)
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(raw)
    [problem] = problems_from(caught.value, raw, PATH)
    assert str(problem) == "data.yaml:2: extra: unknown key 'extra' (allowed: )"


# --- where the problems are, and in what order ------------------------------------------


def test_problems_come_in_file_order() -> None:
    """Pydantic reports in the order of the model's fields; the author reads the file."""
    text = "measures:\n  - title: 1\n    number: x\n  - title: Deux\n    numbr: 2\n"
    assert problems(text) == [
        "data.yaml:2: measures[0].title: expected text, got 1",
        "data.yaml:3: measures[0].number: expected a whole number, got 'x'",
        "data.yaml:4: measures[1].number: is required; add it",
        "data.yaml:5: measures[1].numbr: unknown key 'numbr' (allowed: number, title, status, "
        "colour, slug, lead, pair, counts, evidence, due; did you mean 'number'?)",
    ]


def test_a_prefix_names_the_section_the_data_came_from() -> None:
    assert problems("measures:\n  - number: x\n", prefix=("plan",)) == [
        "data.yaml:2: plan.measures[0].number: expected a whole number, got 'x'"
    ]


def test_validator_steps_do_not_show_in_the_field_path() -> None:
    class Wrapped(Strict):
        values: list[int] = Field(default=[])

        @field_validator("values", mode="wrap")
        @classmethod
        def _wrap(cls, value, handler):
            return handler(value)

    [problem] = problems("values:\n  - 1\n  - deux\n", Wrapped)
    assert problem == "data.yaml:3: values[1]: expected a whole number, got 'deux'"


def test_validator_steps_inside_a_union_do_not_show_in_the_field_path() -> None:
    """Pydantic names the validator (``function-after[...]``) in the location of its errors."""

    class Checked(Strict):
        mode: Annotated[Evidence, AfterValidator(lambda value: value)] | int = 0

    found = problems("mode:\n  checked: oui\n  sorces: []\n", Checked)
    assert "data.yaml:2: mode.checked: expected true or false, got 'oui'" in found
    assert (
        "data.yaml:3: mode.sorces: unknown key 'sorces' (allowed: sources, checked; "
        "did you mean 'sources'?)"
    ) in found
    assert not [problem for problem in found if "function" in problem]


def test_a_problem_without_a_line_sorts_first() -> None:
    error = ValidationError.from_exception_data(
        "Plan",
        [
            {"type": "missing", "loc": ("b",), "input": {}},
            {"type": "missing", "loc": ("a",), "input": {}},
        ],
    )
    found = problems_from(error, {"b": 1}, PATH)
    assert [(problem.field, problem.line) for problem in found] == [("b", None), ("a", None)]
    raw = parse_yaml("\n\nb: 1\n", PATH)
    found = problems_from(error, raw, PATH)
    assert [(problem.field, problem.line) for problem in found] == [("b", 3), ("a", 3)]


# --- field paths, folding and suggestions ------------------------------------------------


@pytest.mark.parametrize(
    ("loc", "text"),
    [
        ((), ""),
        (("title",), "title"),
        (("measures", 12, "status"), "measures[12].status"),
        (("plan", "axes", 0, "actions", 3), "plan.axes[0].actions[3]"),
        ((0, "title"), "[0].title"),
        (("grid", 1, 2), "grid[1][2]"),
    ],
)
def test_field_path_reads_like_the_yaml(loc: tuple, text: str) -> None:
    assert field_path(loc) == text


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Réalisée", "realisee"), ("ÉTÉ", "ete"), ("Straße", "strasse"), ("ﬁn", "fin"), (12, "12")],
)
def test_fold_ignores_case_and_accents(text, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("realisee", "; did you mean 'réalisée'?"),
        ("REALISEE", "; did you mean 'réalisée'?"),
        ("Non realisée", "; did you mean 'non réalisée'?"),
        ("partiellement realise", "; did you mean 'partiellement réalisée'?"),
        ("xyz", ""),
    ],
)
def test_suggestions_ignore_accents_and_case(typed: str, hint: str) -> None:
    allowed = ["réalisée", "non réalisée", "partiellement réalisée"]
    assert suggest(typed, allowed) == hint


def test_a_suggestion_needs_a_close_match() -> None:
    assert suggest("abcdef", ["abcxyz"]) == ""
    assert suggest("abcdex", ["abcdef"]) == "; did you mean 'abcdef'?"


def test_a_suggestion_keeps_the_allowed_spelling() -> None:
    assert suggest("etat", ["État", "Région"]) == "; did you mean 'État'?"


def test_suggest_accepts_any_iterable() -> None:
    assert suggest("bleu", (name for name in ["bleu", "rouge"])) == "; did you mean 'bleu'?"


def test_unknown_value_lists_the_allowed_values_and_suggests() -> None:
    assert unknown_value("realisee", ["réalisée", "non réalisée"], "status") == (
        "'realisee' is not a known status (allowed: réalisée, non réalisée; "
        "did you mean 'réalisée'?)"
    )


def test_unknown_value_without_a_close_one() -> None:
    assert unknown_value("zzz", iter(["a1", "a2"]), "axis") == (
        "'zzz' is not a known axis (allowed: a1, a2)"
    )


def test_unknown_value_when_nothing_is_declared() -> None:
    assert unknown_value("a1", [], "axis") == "'a1' is not a known axis (none is declared)"


# --- keys of named entries (a mapping of models) ---------------------------------------


class Edition(Strict):
    title: str = ""
    max_pages: int | None = None


class Report(Strict):
    editions: dict[str, Edition] = {}


def test_an_unknown_key_in_a_named_entry_lists_the_keys_of_that_entry() -> None:
    assert problems("editions:\n  web:\n    max_pagez: 3\n", Report) == [
        "data.yaml:3: editions.web.max_pagez: unknown key 'max_pagez' "
        "(allowed: title, max_pages; did you mean 'max_pages'?)"
    ]


def test_a_named_entry_may_be_called_like_a_field() -> None:
    assert problems("editions:\n  title:\n    titel: x\n", Report) == [
        "data.yaml:3: editions.title.titel: unknown key 'titel' "
        "(allowed: title, max_pages; did you mean 'title'?)"
    ]


def test_an_unknown_edition_setting_in_report_yaml_suggests_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c").mkdir()
    text = "title: T\ndate: 2023-01-02\neditions:\n  web:\n    max_pagez: 3\n"
    (tmp_path / "c" / "report.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "c")
    assert [str(problem) for problem in caught.value.problems] == [
        "c/report.yaml:5: editions.web.max_pagez: unknown key 'max_pagez' (allowed: kind, "
        "language, output, title, subtitle, chapters_dir, chapters, axes, statuses, bodies, "
        "stylesheet, max_pages, url, downloads; did you mean 'max_pages'?)"
    ]
