"""``report.yaml`` as each edition sees it: language, translations, overrides, theme images.

No PDF is built: ``load_config`` is called on a small ``report.yaml`` written in
``tmp_path``, and the assertions are the settings an edition gets and the messages an
author reads.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from support import write_png

from report.errors import ConfigError
from report.sources.config import Config, load_config, report_missing_translations
from report.sources.editions import FULL_REPORT, addressed_to, apply_edition, edition_of

REPORT = """\
title: Rapport
title_en: Report
subtitle: Bilan
date: 2023-01-02
output: rapport
chapters: [01-a.md, 02-b.md]
editions:
  english:
    language: en
    output: report-en
  court:
    kind: brief
    title: Synthèse
    subtitle: En bref
    chapters: [01-a.md]
"""
NO_GERMAN = (
    "no catalogue for the language 'de' (known: en, en-US, fr); add languages/de.yaml to "
    "the content folder (see docs/adapting.md)"
)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c").mkdir()
    return tmp_path / "c"


def load(content: Path, text: str = REPORT, edition: str | None = None) -> Config:
    (content / "report.yaml").write_text(text, encoding="utf-8")
    return load_config(Path("c"), edition)


def problems(content: Path, text: str = REPORT, edition: str | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(content, text, edition)
    return [str(problem) for problem in caught.value.problems]


# --- which edition, and what it changes ------------------------------------------------


def test_without_an_edition_the_report_is_itself(content: Path) -> None:
    config = load(content)
    assert (config.title, config.subtitle, config.language, config.output) == (
        "Rapport",
        "Bilan",
        "fr",
        "rapport",
    )
    assert config.chapters == ("01-a.md", "02-b.md")


def test_an_edition_in_english_takes_the_english_texts_and_its_own_output(
    content: Path,
) -> None:
    config = load(content, edition="english")
    assert (config.title, config.subtitle, config.language, config.output) == (
        "Report",
        "Bilan",
        "en",
        "report-en",
    )
    assert config.chapters == ("01-a.md", "02-b.md")
    assert config.source_language == "fr"


def test_an_edition_overrides_title_subtitle_and_chapters_it_sets(content: Path) -> None:
    config = load(content, edition="court")
    assert (config.title, config.subtitle, config.language, config.output) == (
        "Synthèse",
        "En bref",
        "fr",
        "rapport",
    )
    assert config.chapters == ("01-a.md",)


def test_the_default_edition_needs_no_declaration(content: Path) -> None:
    assert load(content, edition="report").title == "Rapport"


def test_a_declared_default_edition_applies_its_settings(content: Path) -> None:
    text = REPORT + "  report:\n    title: Rapport complet\n"
    assert load(content, text, edition="report").title == "Rapport complet"


def test_an_unknown_edition_lists_the_known_ones_and_suggests(content: Path) -> None:
    assert problems(content, edition="englsh") == [
        "c/report.yaml: editions: 'englsh' is not a known edition "
        "(allowed: report, english, court; did you mean 'english'?)"
    ]


def test_an_edition_in_an_unknown_language_is_refused_and_located(content: Path) -> None:
    text = REPORT + "  mixte:\n    language: de\n"
    assert problems(content, text, edition="mixte") == [
        "c/report.yaml:17: editions.mixte.language: " + NO_GERMAN
    ]


def test_edition_of_finds_the_edition_or_the_full_report(content: Path) -> None:
    config = load(content)
    assert edition_of(config, "court").kind == "brief"
    assert edition_of(config, None) is FULL_REPORT
    assert edition_of(config, "absente") is FULL_REPORT
    declared = load(content, REPORT + "  report:\n    kind: brief\n")
    assert edition_of(declared, None).kind == "brief"


def test_apply_edition_leaves_unset_values_alone(content: Path) -> None:
    config = load(content)
    same = apply_edition(config, "english", Path("c/report.yaml"))
    assert same.title == "Rapport" and same.language == "en" and same.output == "report-en"
    assert apply_edition(config, None, Path("c/report.yaml")) is config


def test_a_dossier_is_named_by_the_editions_pattern_or_after_it(content: Path) -> None:
    pattern = REPORT + "  dossiers:\n    kind: dossier\n    output: dossier-{body}-2024\n"
    config = apply_edition(load(content, pattern), "dossiers", Path("c/report.yaml"))
    addressed = addressed_to(config, "miprof")
    assert addressed.output == "dossier-miprof-2024" and addressed.title == "Rapport"
    plain = REPORT + "  dossiers:\n    kind: dossier\n    output: lettres\n"
    config = apply_edition(load(content, plain), "dossiers", Path("c/report.yaml"))
    assert addressed_to(config, "miprof").output == "lettres-miprof"
    assert config.output == "lettres"


# --- the language the content is written in --------------------------------------------


def test_a_report_written_in_english_translates_into_french(content: Path) -> None:
    text = (
        "title: Report\ntitle_fr: Rapport\ndate: 2023-01-02\nlanguage: en\n"
        "editions:\n  fr:\n    language: fr\n"
    )
    assert load(content, text).title == "Report"
    config = load(content, text, edition="fr")
    assert (config.title, config.language, config.source_language) == ("Rapport", "fr", "en")


def test_an_unknown_report_language_is_refused_not_used(content: Path) -> None:
    assert problems(content, "title: T\ntitle_de: X\ndate: 2023-01-02\nlanguage: de\n") == [
        "c/report.yaml:2: title_de: unknown key 'title_de' (allowed: title, subtitle, "
        "organisation, authors, date, language, vocabulary, plan, statuses, chapters, "
        "output, keywords, theme, size_budget_mb, contact, address, letter, colophon, "
        "bibliography, mirrors, editions, import; did you mean 'title'?)",
        "c/report.yaml:4: language: " + NO_GERMAN,
    ]


def test_an_edition_without_a_language_keeps_the_report_s(content: Path) -> None:
    text = (
        "title: Rapport\ntitle_en: Report\ndate: 2023-01-02\neditions:\n  court:\n    kind: brief\n"
    )
    config = load(content, text, edition="court")
    assert (config.language, config.title) == ("fr", "Rapport")


@pytest.mark.parametrize(
    ("editions", "problem"),
    [
        ("editions: []\n", "c/report.yaml:3: editions: expected a mapping of 'key: value' lines"),
        (
            "editions:\n  english: []\n",
            "c/report.yaml:4: editions.english: expected a mapping of 'key: value' lines",
        ),
        (
            "editions:\n  english: [language, en]\n",
            "c/report.yaml:4: editions.english: expected a mapping of 'key: value' lines",
        ),
    ],
)
def test_a_malformed_editions_section_is_a_located_problem(
    content: Path, editions: str, problem: str
) -> None:
    text = "title: Rapport\ndate: 2023-01-02\n" + editions
    assert problems(content, text, edition="english") == [problem]


# --- texts left untranslated -----------------------------------------------------------


def test_untranslated_texts_are_named_in_one_warning(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="report"):
        load(content, edition="english")
    assert [record.getMessage() for record in caplog.records] == [
        "3 texts have no 'en' translation and stay in the original language "
        "(add '<key>_en:' beside each): report.yaml:3 subtitle; "
        "report.yaml:13 editions.court.title; report.yaml:14 editions.court.subtitle"
    ]


def test_no_warning_when_every_text_is_translated(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="report"):
        load(content)
        report_missing_translations([], "en")
    assert caplog.records == []


@pytest.mark.parametrize(("count", "ellipsis"), [(8, False), (9, True)])
def test_the_warning_shows_eight_texts_at_most(
    caplog: pytest.LogCaptureFixture, count: int, ellipsis: bool
) -> None:
    missing = [f"m.yaml:{line} measures[{line}].title" for line in range(count)]
    with caplog.at_level(logging.WARNING, logger="report"):
        report_missing_translations(missing, "en")
    [record] = caplog.records
    shown = "; ".join(missing[:8]) + ("; ..." if ellipsis else "")
    assert record.getMessage() == (
        f"{count} texts have no 'en' translation and stay in the original language "
        f"(add '<key>_en:' beside each): {shown}"
    )
    assert record.levelno == logging.WARNING


# --- theme images ----------------------------------------------------------------------


def test_theme_images_inside_the_content_folder_are_accepted(content: Path) -> None:
    write_png(content / "images" / "logo.png", 2, 2)
    write_png(content / "images" / "cover.png", 2, 2)
    text = REPORT + "theme:\n  logo: images/logo.png\n  cover_image: images/cover.png\n"
    config = load(content, text)
    assert (config.theme.logo, config.theme.cover_image) == ("images/logo.png", "images/cover.png")


def test_every_missing_theme_image_is_located(content: Path, tmp_path: Path) -> None:
    write_png(tmp_path / "outside.png", 2, 2)
    (content / "images").mkdir()
    text = "title: T\ndate: 2023-01-02\ntheme:\n  logo: ../outside.png\n  cover_image: images\n"
    assert problems(content, text) == [
        "c/report.yaml:4: theme.logo: image '../outside.png' not found in the content folder; "
        "put the file there and give its path relative to report.yaml",
        "c/report.yaml:5: theme.cover_image: image 'images' not found in the content folder; "
        "put the file there and give its path relative to report.yaml",
    ]


def test_a_cover_image_is_checked_without_a_logo(content: Path) -> None:
    text = "title: T\ndate: 2023-01-02\ntheme:\n  cover_image: images/absente.png\n"
    assert problems(content, text) == [
        "c/report.yaml:4: theme.cover_image: image 'images/absente.png' not found in the content "
        "folder; put the file there and give its path relative to report.yaml"
    ]


# --- files named in report.yaml ----------------------------------------------------------

OUTSIDE = "is outside the content folder; keep the file inside the folder of report.yaml"


def test_every_name_leading_out_of_the_content_folder_is_located(content: Path) -> None:
    text = (
        "title: T\ndate: 2023-01-02\n"
        "letter:\n  body: ../lettre.md\n"
        "chapters: [01.md, ../../secret.md]\n"
        "editions:\n"
        "  x:\n"
        "    chapters_dir: ../autre\n"
        "    chapters: [../../secret.md]\n"
        "    stylesheet: ../secret.css\n"
        "  y:\n"
        "    stylesheet: ../report/__init__.py\n"
    )
    assert problems(content, text) == [
        f"c/report.yaml:4: letter.body: '../lettre.md' {OUTSIDE}",
        f"c/report.yaml:5: chapters[1]: '../../secret.md' {OUTSIDE}",
        f"c/report.yaml:8: editions.x.chapters_dir: '../autre' {OUTSIDE}",
        f"c/report.yaml:9: editions.x.chapters[0]: '../../secret.md' {OUTSIDE}",
        f"c/report.yaml:10: editions.x.stylesheet: '../secret.css' {OUTSIDE}",
        f"c/report.yaml:12: editions.y.stylesheet: '../report/__init__.py' {OUTSIDE}",
    ]


def test_names_inside_and_packaged_stylesheets_are_accepted(content: Path) -> None:
    text = (
        "title: T\ndate: 2023-01-02\n"
        "letter:\n  body: lettres/dossier.md\n"
        "chapters: [01.md, ../annexes/02.md]\n"
        "editions:\n"
        "  x:\n"
        "    chapters_dir: chapitres/court\n"
        "    chapters: [../../chapters/01.md]\n"
        "    stylesheet: brief.css\n"
        "  y:\n"
        "    stylesheet: styles/maison.css\n"
    )
    config = load(content, text)
    assert config.editions["x"].stylesheet == "brief.css"
