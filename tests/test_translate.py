"""Picking each text's language: translations beside the original, and what is missing.

``localize`` is given YAML read by ``parse_yaml`` (as the build does), so the untranslated
texts it lists carry the file and line an author can go to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from report.sources.files import LocatedDict, LocatedList, parse_yaml
from report.sources.translate import localize

MEASURES = """\
measures:
  - number: 1
    title: Créer un site
    title_en: Create a website
    comment: Fait en 2020.
    status: réalisée
  - number: 2
    title: Former les agents
    sources:
      - title: Rapport annuel
        url: https://example.org/rapport
"""


def english(text: str, original: str = "fr") -> tuple[object, list[str]]:
    missing: list[str] = []
    data = localize(parse_yaml(text, Path("data/m.yaml")), "en", original, missing)
    return data, missing


def test_a_translation_replaces_the_original_text() -> None:
    data, _ = english(MEASURES)
    assert data["measures"][0]["title"] == "Create a website"


def test_every_untranslated_text_is_listed_with_its_file_line_and_field() -> None:
    _, missing = english(MEASURES)
    assert missing == [
        "m.yaml:5 measures[0].comment",
        "m.yaml:8 measures[1].title",
        "m.yaml:10 measures[1].sources[0].title",
    ]


def test_an_untranslated_text_keeps_its_original_wording() -> None:
    data, _ = english(MEASURES)
    assert data["measures"][0]["comment"] == "Fait en 2020."
    assert data["measures"][1]["title"] == "Former les agents"


def test_translations_are_dropped_and_other_keys_kept() -> None:
    data, _ = english(MEASURES)
    assert data["measures"][0] == {
        "number": 1,
        "title": "Create a website",
        "comment": "Fait en 2020.",
        "status": "réalisée",
    }
    assert data["measures"][1]["sources"] == [
        {"title": "Rapport annuel", "url": "https://example.org/rapport"}
    ]


def test_in_the_original_language_nothing_is_missing_and_translations_are_dropped() -> None:
    missing: list[str] = []
    data = localize(parse_yaml(MEASURES, Path("m.yaml")), "fr", "fr", missing)
    assert missing == []
    assert data["measures"][0] == {
        "number": 1,
        "title": "Créer un site",
        "comment": "Fait en 2020.",
        "status": "réalisée",
    }


def test_a_source_written_in_english_is_translated_into_french() -> None:
    text = "title: Open data\ntitle_fr: Données ouvertes\nsubtitle: Report\n"
    missing: list[str] = []
    data = localize(parse_yaml(text, Path("report.yaml")), "fr", "en", missing)
    assert data == {"title": "Données ouvertes", "subtitle": "Report"}
    assert missing == ["report.yaml:3 subtitle"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("short_title: Court\nshort_title_en: Short\n", {"short_title": "Short"}),
        ("authors: [Anne, Paul]\nauthors_en: [Ann, Paul]\n", {"authors": ["Ann", "Paul"]}),
        ("recommendations:\n  - Agir\n", {"recommendations": ["Agir"]}),
    ],
)
def test_every_translatable_key_may_carry_its_translation(text: str, value: dict) -> None:
    data, _ = english(text)
    assert data == value


@pytest.mark.parametrize(
    "text",
    [
        "title: ''\n",
        "source: https://example.org/page\n",
        "source: http://example.org/page\n",
        "authors: []\n",
        "authors: [Anne, 12]\n",
        "recommendations: [https://example.org]\n",
        "title: 12\n",
        "number: 1\nstatus: réalisée\n",
    ],
)
def test_values_without_words_to_translate_are_not_missing(text: str) -> None:
    _, missing = english(text)
    assert missing == []


@pytest.mark.parametrize(
    "text",
    ["source: Rapport 2020\n", "authors: [Anne, Paul]\n", "recommendations: [Agir]\n"],
)
def test_texts_and_lists_of_texts_are_missing_without_translation(text: str) -> None:
    _, missing = english(text)
    assert missing == [f"m.yaml:1 {text.split(':')[0]}"]


def test_people_who_sign_keep_their_names_and_bodies_get_theirs_translated() -> None:
    text = (
        "letter:\n"
        "  signatories:\n"
        "    - name: Anne Martin\n"
        "      role: Présidente\n"
        "bodies:\n"
        "  - name: Ministère de la Culture\n"
    )
    _, missing = english(text)
    assert missing == [
        "m.yaml:4 letter.signatories[0].role",
        "m.yaml:6 bodies[0].name",
    ]


def test_a_translation_of_a_key_that_is_not_translatable_is_kept_for_validation() -> None:
    """``status_en`` is not a translation: it stays, and validation calls it unknown."""
    data, _ = english("status: réalisée\nstatus_en: done\ntitle_de: Titel\n")
    assert data == {"status": "réalisée", "status_en": "done", "title_de": "Titel"}


def test_lines_and_paths_survive_translation() -> None:
    data, _ = english(MEASURES)
    assert isinstance(data, LocatedDict) and isinstance(data["measures"], LocatedList)
    assert (data.path, data.line, data.key_lines) == (Path("data/m.yaml"), 1, {"measures": 1})
    assert (data["measures"].line, data["measures"].item_lines) == (2, [2, 7])
    assert data["measures"][0].key_lines == {"number": 2, "title": 3, "comment": 5, "status": 6}
    assert data["measures"][1]["sources"].item_lines == [10]


def test_plain_values_are_returned_as_they_are() -> None:
    missing: list[str] = []
    plain = {"title": "Titre"}
    assert localize(plain, "en", "fr", missing) is plain
    assert localize("texte", "en", "fr", missing) == "texte"
    assert missing == []


def test_a_source_that_is_an_address_or_a_bibliography_key_is_not_text_to_translate() -> None:
    _, missing = english(
        "tally:\n  source: '@cncdh-2023'\ndatasets:\n  - points:\n"
        "      - {x: 1, source: 'https://example.org'}\n      - {x: 2, source: 'un rapport'}\n"
    )
    assert missing == ["m.yaml:6 datasets[0].points[1].source"]


def test_a_chronology_event_is_translated(tmp_path: Path) -> None:
    data, missing = english(
        "chronology:\n  - date: 2019\n    event: Un plan\n    event_en: A plan\n"
    )
    assert data["chronology"][0]["event"] == "A plan" and missing == []
