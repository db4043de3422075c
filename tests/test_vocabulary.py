"""The coalition's words and statuses: vocabulary, cross-reference forms, statuses counted
apart, the grayscale check, lists of names, Markdown and other languages in data text."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from support import REPORT_YAML, Project

from report.compose.document import css_string, inline_markdown, report_filters
from report.i18n.catalogue import PACKAGE_CATALOGUES, catalogue
from report.sources.config import Config
from report.sources.vocabulary import Vocabulary

STATUS = '{key: "%s", label: "%s", color: "#00aa00", category: %s%s}'


def config_with(**settings) -> Config:
    return Config.model_validate({"title": "T", "date": dt.date(2023, 1, 2), **settings})


def test_the_language_gives_the_words_report_yaml_can_change() -> None:
    assert config_with().words.item.plural == "mesures"
    assert config_with(language="en").words.group.singular == "axis"
    words = config_with(
        language="en", vocabulary={"item": {"singular": "commitment", "plural": "commitments"}}
    ).words
    assert (words.item.title, words.group.singular) == ("Commitment", "axis")


@pytest.mark.parametrize(
    ("reference", "link", "after"),
    [
        ("{item} {number}, p. {page}", "commitment\u00a012", (", p.\u00a0", "")),
        ("({item} {number}, page {page})", "(commitment\u00a012", (", page\u00a0", ")")),
        ("{item} {number}", "commitment\u00a012", None),
        ("n° {number} p. {page}", "n°\u00a012", (" p.\u00a0", "")),
    ],
)
def test_a_cross_reference_reads_as_its_form_says(reference, link, after) -> None:
    words = config_with(
        vocabulary={
            "item": {"singular": "commitment", "plural": "commitments"},
            "reference": reference,
        }
    ).words
    assert words.link_text(words.item, 12) == link
    assert words.after_link == after


@pytest.mark.parametrize("reference", ["{item} p. {page}", "{page} {number}", "{numero}"])
def test_a_reference_form_must_name_the_number_before_the_page(reference: str) -> None:
    with pytest.raises(ValidationError):
        Vocabulary(reference=reference)


def test_two_statuses_that_look_alike_in_grayscale_are_refused_naming_both(
    project: Project, cli
) -> None:
    line = project.append(
        "report.yaml",
        "statuses:\n"
        + "".join(
            f"  - {STATUS % (key, key.title(), category, extra)}\n"
            for key, category, extra in [
                ("fait", "done", ""),
                ("engagé", "partial", ""),
                ("lancé", "partial", ""),
                ("arrêté", "not_done", ""),
                ("?", "unknown", ""),
            ]
        ),
    )
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/report.yaml:{line}: statuses: statuses 'engagé' and 'lancé' would look the same "
        "in grayscale (shape ◐, pattern '///'); give one of them another symbol: or pattern:"
    )


def test_statuses_sharing_a_category_differ_by_symbol_or_pattern() -> None:
    statuses = [
        {"key": "a", "label": "A", "color": "#000000", "category": "partial"},
        {"key": "b", "label": "B", "color": "#111111", "category": "partial", "pattern": "xx"},
        {"key": "c", "label": "C", "color": "#222222", "category": "partial", "symbol": "◔"},
        {"key": "d", "label": "D", "color": "#333333", "category": "excluded"},
    ]
    config = config_with(statuses=statuses)
    assert [(s.shape, s.hatch) for s in config.statuses] == [
        ("◐", "///"),
        ("◐", "xx"),
        ("◔", "///"),
        ("×", "--"),
    ]


def test_a_withdrawn_entry_is_counted_apart(project: Project, cli) -> None:
    project.replace(
        "report.yaml",
        "output: essai",
        "output: essai\nstatuses:\n"
        + "".join(
            f"  - {STATUS % (key, key.title(), category, '')}\n"
            for key, category in [
                ("réalisée", "done"),
                ("partiellement réalisée", "partial"),
                ("non réalisée", "not_done"),
                ("retirée", "excluded"),
                ("non documentée", "unknown"),
            ]
        ),
    )
    project.replace("data/measures.yaml", "status: non documentée", "status: retirée")
    project.append("chapters/01-synthese.md", "{{ figures.category('excluded') }} retirée.\n")
    project.replace(
        "data/plan.yaml", "partiellement réalisée: 2", "partiellement réalisée: 1\n    retirée: 1"
    )
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    assert "1\u00a0retirée." in (project.root.parent / "out" / "essai.html").read_text()


def test_lists_of_names_follow_the_language_and_survive_commas() -> None:
    class Named:
        def __init__(self, name: str) -> None:
            self.name = name

    names = report_filters(config_with())["names"]
    assert names([Named("MIPROF"), Named("ONDRP"), Named("SSMSI")]) == "MIPROF, ONDRP et SSMSI"
    english = report_filters(config_with(language="en"))["names"]
    assert english([Named("Ministry of the Interior, DGEF"), Named("MoJ")]) == (
        "Ministry of the Interior, DGEF and MoJ"
    )
    assert english([Named("A, B"), Named("C"), Named("D")]) == "A, B; C and D"


def test_data_text_renders_its_markdown_sanitised() -> None:
    assert inline_markdown("Un *plan* [en ligne](https://x.org) et `code`") == (
        'Un <em>plan</em> <a href="https://x.org" title="en ligne">en ligne</a> et '
        "<code>code</code>"
    )
    assert inline_markdown("<script>alert(1)</script>texte <b onclick='x'>gras</b>") == (
        "texte <b>gras</b>"
    )


def test_a_passage_in_another_language_carries_its_language(project: Project, cli) -> None:
    project.replace(
        "data/measures.yaml",
        "title: Informer le public",
        "title: 'Informer le public ([public awareness]{lang=en})'",
    )
    project.append("chapters/01-synthese.md", "Le [National Referral Mechanism]{lang=en}.\n")
    assert cli("build", "p", "-o", "out").code == 0
    html = (project.root.parent / "out" / "essai.html").read_text(encoding="utf-8")
    assert '<span lang="en">National Referral Mechanism</span>' in html
    assert '<span lang="en">public awareness</span>' in html


def test_a_css_string_cannot_close_its_style_element() -> None:
    assert css_string('a"</style><script>') == '"a\\22 \\3c /style\\3e \\3c script\\3e "'


def test_catalogues_agree_on_their_keys() -> None:
    """Every language has every message the templates use (a missing one would crash)."""
    keys = set(catalogue("fr").messages)
    for language in ("en", "en-GB", "en-US"):
        assert set(catalogue(language).messages) == keys, language


def test_a_content_folder_can_add_a_language(project: Project, cli) -> None:
    spanish = (PACKAGE_CATALOGUES / "en.yaml").read_text(encoding="utf-8")
    spanish = spanish.replace("language: en", "language: es")
    spanish = spanish.replace("locale: en_GB", "locale: es_ES").replace("Contents", "Índice")
    project.write("languages/es.yaml", spanish)
    statuses = "".join(
        f"  - {STATUS % (key, key.title(), category, '')}\n"
        for key, category in [
            ("réalisée", "done"),
            ("partiellement réalisée", "partial"),
            ("non réalisée", "not_done"),
            ("non documentée", "unknown"),
        ]
    )
    project.write(
        "report.yaml", REPORT_YAML + "language: es\noutput: essai\nstatuses:\n" + statuses
    )
    project.write("chapters/01-synthese.md", "# Resumen\n\n{{ figures.total }} medidas.\n")
    project.write("chapters/02-mesures.md", "# Medidas\n\n{{ recap() }}\n")
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    html = (project.root.parent / "out" / "essai.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html and "Índice" in html
