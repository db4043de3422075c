"""Typography of the final HTML: French spacing and apostrophes, code and URLs untouched."""

from __future__ import annotations

import pytest

from report.compose.typography import apply_typography
from report.i18n.catalogue import catalogue

NNBSP, NBSP = "\u202f", "\u00a0"


def fr(html: str) -> str:
    return apply_typography(html, catalogue("fr").typography)


def en(html: str) -> str:
    return apply_typography(html, catalogue("en").typography)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "<p>Vraiment ? Oui ! Non ; enfin : bon</p>",
            f"<p>Vraiment{NNBSP}? Oui{NNBSP}! Non{NNBSP}; enfin{NNBSP}: bon</p>",
        ),
        (
            "<p>Vraiment? Oui! Non; enfin: bon</p>",
            f"<p>Vraiment{NNBSP}? Oui{NNBSP}! Non{NNBSP}; enfin{NNBSP}: bon</p>",
        ),
        (f"<p>Déjà{NBSP}? Oui{NNBSP}!</p>", f"<p>Déjà{NNBSP}? Oui{NNBSP}!</p>"),
        (
            "<p>« Citation » et «autre»</p>",
            f"<p>«{NNBSP}Citation{NNBSP}» et «{NNBSP}autre{NNBSP}»</p>",
        ),
        ("<p>(voir plus bas): oui</p>", f"<p>(voir plus bas){NNBSP}: oui</p>"),
        ("<p>l'État et l'évaluateur</p>", "<p>l’État et l’évaluateur</p>"),
        ("<p>12 mesures sur 45 mesures</p>", f"<p>12{NBSP}mesures sur 45{NBSP}mesures</p>"),
    ],
)
def test_french_rules(before: str, after: str) -> None:
    assert fr(before) == after


def test_rules_are_idempotent() -> None:
    once = fr("<p>« Quoi ? » dit l'auteur : 3 fois !</p>")
    assert fr(once) == once


@pytest.mark.parametrize(
    "html",
    [
        "<p>à 10:30, 3:2</p>",
        "<p>?</p>",
        '<span class="badge-shape" aria-hidden="true">?</span>',
        "<p>a &amp; b &lt;c&gt;</p>",
    ],
)
def test_no_space_where_none_belongs(html: str) -> None:
    assert fr(html) == html


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/page?x=1:2;y=3!",
        "http://example.org/l'article",
        "www.example.fr/a:b?c",
    ],
)
def test_urls_in_text_are_untouched(url: str) -> None:
    assert fr(f"<p>Voir {url} ici</p>") == f"<p>Voir {url} ici</p>"


def test_attributes_are_untouched() -> None:
    html = '<p>Voir : <a href="https://x.org/a:b?c" title="l\'a : b">lien</a></p>'
    assert fr(html) == (
        f'<p>Voir{NNBSP}: <a href="https://x.org/a:b?c" title="l\'a : b">lien</a></p>'
    )


@pytest.mark.parametrize("tag", ["code", "pre", "style", "script", "title"])
def test_protected_elements_are_untouched(tag: str) -> None:
    inner = "a ; b : c'd « e » 3 mesures ?"
    html = f"<{tag}>{inner}</{tag}>"
    assert fr(html) == html


def test_text_after_a_protected_element_is_fixed_again() -> None:
    html = "<p><code>x: y</code> puis: l'effet</p>"
    assert fr(html) == f"<p><code>x: y</code> puis{NNBSP}: l’effet</p>"


def test_nested_code_in_pre_stays_protected_until_pre_closes() -> None:
    html = "<pre><code>if x:\n  y</code> z: w</pre><p>a: b</p>"
    assert fr(html) == f"<pre><code>if x:\n  y</code> z: w</pre><p>a{NNBSP}: b</p>"


def test_english_keeps_its_punctuation_spacing() -> None:
    html = "<p>Is it? Yes: it's fine; ok! « no » 12 items</p>"
    assert en(html) == "<p>Is it? Yes: it’s fine; ok! « no » 12 items</p>"


def test_english_code_is_untouched() -> None:
    assert en('<code>it\'s "a" 2019-2021 p. 3 a - b</code>') == (
        '<code>it\'s "a" 2019-2021 p. 3 a - b</code>'
    )


def test_escaped_text_stays_escaped() -> None:
    assert fr("<p>x &lt; y : ok</p>") == f"<p>x &lt; y{NNBSP}: ok</p>"


def test_space_after_an_inline_element_becomes_narrow_no_break() -> None:
    assert fr("<p><strong>À retenir</strong> : x</p>") == (
        f"<p><strong>À retenir</strong>{NNBSP}: x</p>"
    )


# --- the document is parsed, not cut with a pattern --------------------------------------


def test_comments_and_attribute_values_are_never_text() -> None:
    html = (
        '<p>Un <!-- TODO : vérifier -> source --> texte <span title="a > b : c">gardé</span>'
        " : fin</p><p>Chapitre suivant ?</p>"
    )
    assert fr(html) == (
        f'<p>Un <!-- TODO : vérifier -> source --> texte <span title="a > b : c">gardé</span>'
        f"{NNBSP}: fin</p><p>Chapitre suivant{NNBSP}?</p>"
    )


@pytest.mark.parametrize("tag", ["code", "pre", "kbd", "samp", "var", "CODE"])
def test_code_keyboard_sample_and_variable_text_is_left_alone(tag: str) -> None:
    html = f"<p><{tag}>a : b ; l'x 25%</{tag}> et c : d</p>"
    assert fr(html) == f"<p><{tag}>a : b ; l'x 25%</{tag}> et c{NNBSP}: d</p>"


@pytest.mark.parametrize(
    "address",
    [
        "irc://serveur.org/salon:1",
        "ftp://depot.fr/a;b",
        "mailto:contact@asso.fr",
        "contact@asso.fr",
        "example.org/faq:x",
        "www.asso.fr/l'appel",
    ],
)
def test_addresses_of_any_kind_are_left_alone(address: str) -> None:
    assert fr(f"<p>Voir {address} ici</p>") == f"<p>Voir {address} ici</p>"


def test_a_question_after_an_address_gets_its_narrow_space() -> None:
    assert fr("<p>Lu sur example.org/faq ?</p>") == f"<p>Lu sur example.org/faq{NNBSP}?</p>"


def test_applying_twice_changes_nothing() -> None:
    once = fr("<p>La MIPROF et le GRETA : l'État, 25% ; « oui »</p>")
    assert fr(once) == once
    assert once.count('class="acronym"') == 2


def test_entities_doctype_and_unclosed_tags_survive() -> None:
    html = "<!DOCTYPE html><p>A &amp; B &lt;c&gt; d :<br><img src=x alt='a : b'></p>"
    expected = f"<!DOCTYPE html><p>A &amp; B &lt;c&gt; d{NNBSP}:<br><img src=x alt='a : b'></p>"
    assert fr(html) == expected


@pytest.mark.parametrize("document", ["", "   ", "<", "texte <div", "<p>a</p><!-- fin"])
def test_empty_or_cut_documents_come_back_whole(document: str) -> None:
    assert fr(document).replace(NNBSP, " ") == document
