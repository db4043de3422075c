"""``report.yaml``: defaults, and one located line per invalid value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import REPORT_YAML

from report.errors import ConfigError, ReportError, SourceError
from report.sources.config import Config, load_config
from report.sources.statuses import DEFAULT_STATUSES

NO_GERMAN = (
    "no catalogue for the language 'de' (known: en, en-US, fr); add languages/de.yaml to "
    "the content folder (see docs/adapting.md)"
)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c").mkdir()
    return tmp_path / "c"


def load(content: Path, text: str) -> Config:
    (content / "report.yaml").write_text(text, encoding="utf-8")
    return load_config(Path("c"))


def problems(content: Path, text: str) -> list[str]:
    with pytest.raises(ReportError) as caught:
        load(content, text)
    return [str(problem) for problem in caught.value.problems]


def test_defaults(content: Path) -> None:
    config = load(content, REPORT_YAML)
    assert config.title == "Rapport de test"
    assert config.date == dt.date(2023, 1, 2)
    assert config.language == "fr"
    assert config.output == "rapport"
    assert config.subtitle == "" and config.organisation == ""
    assert config.authors == () and config.keywords == () and config.chapters == ()
    assert config.plan is None
    assert config.statuses == DEFAULT_STATUSES
    assert [s.key for s in config.statuses] == [
        "réalisée",
        "partiellement réalisée",
        "non réalisée",
        "non documentée",
    ]
    assert [s.category for s in config.statuses] == ["done", "partial", "not_done", "unknown"]
    assert config.theme.font_body == "Linux Libertine O"
    assert config.theme.color_primary.startswith("#")


def test_every_setting_is_documented() -> None:
    for name, field in Config.model_fields.items():
        assert field.description, name


def test_full_config(content: Path) -> None:
    config = load(
        content,
        REPORT_YAML
        + """\
subtitle: Sous-titre
organisation: Collectif
authors: [Une, Deux]
language: en
output: mon-rapport_2023
keywords: [a, b]
chapters: [b.md, a.md]
plan:
  title: Plan fictif
  period: 2020-2022
theme:
  color_primary: '#123456'
statuses:
  - key: fait
    label: Fait
    color: '#00aa00'
    category: done
  - key: inconnu
    label: Inconnu
    color: '#999999'
    category: unknown
    symbol: '~'
""",
    )
    assert config.language == "en" and config.output == "mon-rapport_2023"
    assert config.authors == ("Une", "Deux") and config.chapters == ("b.md", "a.md")
    assert config.plan is not None and config.plan.title == "Plan fictif"
    assert config.plan.period == "2020-2022"
    assert config.theme.color_primary == "#123456"
    assert config.theme.font_body == "Linux Libertine O"
    shapes = {status.key: status.shape for status in config.statuses}
    assert shapes["fait"] == "●" and shapes["inconnu"] == "~"


def test_config_is_frozen(content: Path) -> None:
    config = load(content, REPORT_YAML)
    with pytest.raises(ValueError, match="frozen"):
        config.title = "Autre"


def test_missing_required_keys_are_all_reported(content: Path) -> None:
    assert problems(content, "subtitle: x\n") == [
        "c/report.yaml:1: title: is required; add it",
        "c/report.yaml:1: date: is required; add it",
    ]


def test_unknown_key_suggests_the_closest(content: Path) -> None:
    allowed = ", ".join(field.alias or name for name, field in Config.model_fields.items())
    assert problems(content, REPORT_YAML + "langage: fr\n") == [
        f"c/report.yaml:3: langage: unknown key 'langage' (allowed: {allowed}; "
        "did you mean 'language'?)"
    ]


def test_unknown_nested_key_lists_the_keys_allowed_there(content: Path) -> None:
    assert problems(content, REPORT_YAML + "plan:\n  title: P\n  periode: 2020\n") == [
        "c/report.yaml:5: plan.periode: unknown key 'periode' (allowed: title, short_title, "
        "period, evaluator; did you mean 'period'?)"
    ]


def test_bad_values_are_located(content: Path) -> None:
    assert problems(content, "title: 12\ndate: hier\nlanguage: de\n") == [
        "c/report.yaml:1: title: expected text, got 12",
        "c/report.yaml:2: date: expected a date written YYYY-MM-DD, got 'hier'",
        "c/report.yaml:3: language: " + NO_GERMAN,
    ]


def test_bad_colour_and_output_name_are_located(content: Path) -> None:
    found = problems(content, REPORT_YAML + "output: a/b\ntheme:\n  color_accent: red\n")
    assert [line.split(" ", 2)[:2] for line in found] == [
        ["c/report.yaml:3:", "output:"],
        ["c/report.yaml:5:", "theme.color_accent:"],
    ]
    assert "'a/b'" in found[0] and "'red'" in found[1]


def test_status_category_must_be_known(content: Path) -> None:
    assert problems(
        content,
        REPORT_YAML
        + """\
statuses:
  - key: fait
    label: Fait
    color: '#00aa00'
    category: finished
""",
    ) == [
        "c/report.yaml:7: statuses[0].category: input should be 'done', 'partial', "
        "'not_done', 'unknown' or 'excluded', got 'finished'"
    ]


def test_status_keys_must_be_unique(content: Path) -> None:
    assert problems(
        content,
        REPORT_YAML
        + """\
statuses:
  - {key: fait, label: Fait, color: '#00aa00', category: done}
  - {key: fait, label: Encore, color: '#00aa00', category: done}
""",
    ) == ["c/report.yaml:3: statuses: status keys must be unique; repeated: fait"]


@pytest.mark.parametrize("text", ["- a\n- b\n", "", "juste du texte\n"])
def test_report_yaml_must_be_a_mapping(content: Path, text: str) -> None:
    assert problems(content, text) == ["c/report.yaml:1: expected a mapping of 'key: value' lines"]


def test_missing_report_yaml(content: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_config(Path("c"))
    assert str(caught.value) == "c/report.yaml: file not found; create it or fix the name"


def test_missing_content_folder(content: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(Path("absent"))
    assert str(caught.value) == (
        "absent: content folder not found; give the folder that holds report.yaml"
    )


def test_theme_logo_must_exist_in_the_content_folder(content: Path) -> None:
    found = problems(content, REPORT_YAML + "theme:\n  logo: images/logo.png\n")
    assert len(found) == 1
    assert found[0].startswith("c/report.yaml:4: theme.logo: image 'images/logo.png' ")


def test_impossible_date_is_a_config_error(content: Path) -> None:
    found = problems(content, "title: T\ndate: 2023-02-30\n")
    assert len(found) == 1
    assert found[0].startswith("c/report.yaml:2: date: ")


def test_a_list_given_as_text_asks_for_a_list(content: Path) -> None:
    assert problems(content, REPORT_YAML + "authors: Moi\n") == [
        "c/report.yaml:3: authors: expected a list (lines starting with '- '), got 'Moi'"
    ]
