"""Whole numbers in words, as French correspondence writes its counts (``in_words``)."""

from __future__ import annotations

import pytest
from support import Project

from report.i18n.catalogue import catalogue
from report.i18n.spellout import spell


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zéro"),
        (1, "un"),
        (16, "seize"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (28, "vingt-huit"),
        (45, "quarante-cinq"),
        (70, "soixante-dix"),
        (71, "soixante et onze"),
        (77, "soixante-dix-sept"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (91, "quatre-vingt-onze"),
        (100, "cent"),
        (180, "cent quatre-vingts"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1000, "mille"),
        (2000, "deux mille"),
        (21_000, "vingt et un mille"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (1_000_000, "un million"),
        (200_000_000, "deux cents millions"),
        (2872, "deux mille huit cent soixante-douze"),
        (-3, "moins trois"),
    ],
)
def test_french_follows_the_traditional_spelling(number: int, words: str) -> None:
    assert spell(number, "fr") == words


@pytest.mark.parametrize(
    ("number", "words"), [(1, "une"), (21, "vingt et une"), (81, "quatre-vingt-une")]
)
def test_french_agrees_with_a_feminine_noun(number: int, words: str) -> None:
    assert spell(number, "fr", "f") == words


@pytest.mark.parametrize(
    ("number", "british", "american"),
    [
        (3, "three", "three"),
        (45, "forty-five", "forty-five"),
        (105, "one hundred and five", "one hundred five"),
        (1001, "one thousand and one", "one thousand one"),
        (
            2872,
            "two thousand eight hundred and seventy-two",
            "two thousand eight hundred seventy-two",
        ),
    ],
)
def test_english_british_and_american(number: int, british: str, american: str) -> None:
    assert spell(number, "en") == spell(number, "en-GB") == british
    assert spell(number, "en-US") == american


def test_what_cannot_be_spelled_is_none_and_the_filter_gives_digits() -> None:
    assert spell(10**9, "fr") is None
    assert spell(3, "es") is None
    assert spell(True, "fr") is None
    french = catalogue("fr")
    assert french.in_words(3.0) == "trois"
    assert french.in_words(2.5) == "2,5"
    assert french.in_words(10**9) == "1\u202f000\u202f000\u202f000"


def test_a_chapter_writes_counts_in_words(project: Project, cli) -> None:
    project.append(
        "chapters/01-synthese.md",
        "\nSur {{ figures.total | in_words }} mesures, "
        "{{ figures.category('done') | in_words(words.item.gender) }} a été réalisée.\n",
    )
    assert cli("build", "p", "-o", "out").code == 0
    html = (project.root.parent / "out" / "essai.html").read_text(encoding="utf-8")
    assert "Sur quatre mesures, une a été réalisée." in html
