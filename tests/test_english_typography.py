"""Typography driven by the catalogue, rule by rule, in French, British and American English.

Each test gives what a reader sees once the rules have run (``NBSP`` a no-break space,
``NNBSP`` a narrow one), with the traps of each rule: quotes around inline elements,
apostrophes beside closing quotes, ISO dates and identifiers, addresses, code.
"""

from __future__ import annotations

import pytest

from report.compose.typography import apply_typography
from report.i18n.catalogue import Typography, catalogue

NNBSP, NBSP, WJ = "\u202f", "\u00a0", "\u2060"  # WJ: the word joiner, no line break
EN_DASH = f"{WJ}–{WJ}"  # a range never breaks: 2019–2021
EM_DASH = f"{WJ}—"  # no line starts with a dash
LANGUAGES = ("fr", "en-GB", "en-US")


def typeset(language: str, html: str) -> str:
    return apply_typography(html, catalogue(language).typography)


def in_all(before: str, after: str) -> list[tuple[str, str, str]]:
    """The same case in every language."""
    return [(language, before, after) for language in LANGUAGES]


# --- double quotes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", '<p>dit "non" puis</p>', f"<p>dit «{NNBSP}non{NNBSP}» puis</p>"),
        ("en-GB", '<p>said "no" then</p>', "<p>said “no” then</p>"),
        ("en-US", '<p>said "no" then</p>', "<p>said “no” then</p>"),
        ("en-GB", '<p>"Yes," she said, "now."</p>', "<p>“Yes,” she said, “now.”</p>"),
        ("en-GB", '<p>("a") ["b"] - "c"</p>', f"<p>(“a”) [“b”]{NBSP}– “c”</p>"),
    ],
)
def test_straight_double_quotes_open_and_close_by_context(
    language: str, before: str, after: str
) -> None:
    assert typeset(language, before) == after


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", '<p>"<em>mot</em>" et</p>', f"<p>«{NNBSP}<em>mot</em>{NNBSP}» et</p>"),
        ("en-GB", '<p>"<em>word</em>" and</p>', "<p>“<em>word</em>” and</p>"),
        ("en-US", '<p>a "<a href="#x">link</a>".</p>', '<p>a “<a href="#x">link</a>”.</p>'),
        ("en-GB", '<p>say "<code>x: "y"</code>" now</p>', '<p>say “<code>x: "y"</code>” now</p>'),
    ],
)
def test_quotes_around_inline_elements_read_the_text_before_them(
    language: str, before: str, after: str
) -> None:
    assert typeset(language, before) == after


def test_a_quote_opening_a_paragraph_does_not_read_the_one_before() -> None:
    html = '<p>The end.</p><p>"Quoted"</p><td>x</td><td>"y"</td>'
    assert typeset("en-GB", html) == "<p>The end.</p><p>“Quoted”</p><td>x</td><td>“y”</td>"


@pytest.mark.parametrize("language", ["en-GB", "en-US"])
def test_a_quote_with_spaces_on_both_sides_closes_only_what_is_open(language: str) -> None:
    assert typeset(language, '<p>a " b</p>') == '<p>a " b</p>'
    assert typeset(language, '<p>"odd " case</p>') == "<p>“odd ” case</p>"


def test_quotes_in_attributes_comments_and_addresses_are_left_alone() -> None:
    html = (
        '<p title="a "b"">x <!-- "c" --> see "https://x.org/a" or "www.x.org/b". \'x.org/faq\'</p>'
    )
    assert typeset("en-GB", html) == (
        '<p title="a "b"">x <!-- "c" --> see “https://x.org/a” or “www.x.org/b”. ‘x.org/faq’</p>'
    )


def test_quotes_around_an_address_stay_outside_it() -> None:
    assert typeset("fr", '<p>"https://x.org/a" et «x.org/b»</p>') == (
        f"<p>«{NNBSP}https://x.org/a{NNBSP}» et «{NNBSP}x.org/b{NNBSP}»</p>"
    )
    assert typeset("en-US", "<p>'https://x.org/?q='a'' and \"www.x.org/b\"</p>") == (
        "<p>‘https://x.org/?q='a'’ and “www.x.org/b”</p>"
    )


# --- single quotes and the apostrophe --------------------------------------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "<p>'cité' et l'État</p>", "<p>'cité' et l’État</p>"),
        ("en-GB", "<p>'cited' and it's</p>", "<p>‘cited’ and it’s</p>"),
        ("en-US", "<p>'cited' and it's</p>", "<p>‘cited’ and it’s</p>"),
        ("en-GB", "<p>\"He said 'no'\"</p>", "<p>“He said ‘no’”</p>"),
        ("en-GB", "<p>'<em>word</em>' here</p>", "<p>‘<em>word</em>’ here</p>"),
        ("en-GB", "<p>'yes,' she said</p>", "<p>‘yes,’ she said</p>"),
    ],
)
def test_single_quotes_only_where_the_catalogue_gives_them(
    language: str, before: str, after: str
) -> None:
    assert typeset(language, before) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>don't, the 1990's</p>", "<p>don’t, the 1990’s</p>"),
        ("<p>the members' votes</p>", "<p>the members’ votes</p>"),
        ("<p>in the '90s, summer of '69</p>", "<p>in the ’90s, summer of ’69</p>"),
        ("<p>'The members' votes,' she said</p>", "<p>‘The members’ votes,’ she said</p>"),
        (
            "<p><em>Bob</em>'s and l'<a href='#'>État</a></p>",
            "<p><em>Bob</em>’s and l’<a href='#'>État</a></p>",
        ),
    ],
)
def test_an_apostrophe_stays_an_apostrophe_in_english(before: str, after: str) -> None:
    for language in ("en-GB", "en-US"):
        assert typeset(language, before) == after


def test_the_apostrophe_is_the_catalogues() -> None:
    typography = Typography(apostrophe="ʼ", single_quotes=("‹", "›"))
    assert apply_typography("<p>it's 'so'</p>", typography) == "<p>itʼs ‹so›</p>"


# --- ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "<p>le plan 2019-2021</p>", "<p>le plan 2019-2021</p>"),
        ("en-GB", "<p>the 2019-2021 plan</p>", f"<p>the 2019{EN_DASH}2021 plan</p>"),
        (
            "en-US",
            "<p>pp. 12-14, 1.5-2.5, 10-20%</p>",
            f"<p>pp.{NBSP}12{EN_DASH}14, 1.5{EN_DASH}2.5, 10{EN_DASH}20%</p>",
        ),
    ],
)
def test_a_hyphen_between_two_numbers_becomes_the_range_sign(
    language: str, before: str, after: str
) -> None:
    assert typeset(language, before) == after


@pytest.mark.parametrize(
    "text",
    [
        "on 2023-01-12",  # an ISO date
        "in 2023-01",  # a year and its month
        "avis A-2023-1",  # an identifier
        "call 01-23-45-67-89, 555-123-4567",  # phone numbers
        "Covid-19, 12-x, x-12, 10:30-11:00",
        "<code>2019-2021</code> https://x.org/2019-2021 x.org/a/1-2",
    ],
)
def test_dates_identifiers_phone_numbers_and_addresses_keep_their_hyphens(text: str) -> None:
    for language in LANGUAGES:
        assert typeset(language, f"<p>{text}</p>") == f"<p>{text}</p>"


# --- dashes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "<p>oui - non</p>", "<p>oui - non</p>"),
        (
            "en-GB",
            "<p>yes - no, yes--no, yes -- no</p>",
            f"<p>yes{NBSP}– no, yes{NBSP}– no, yes{NBSP}– no</p>",
        ),
        (
            "en-US",
            "<p>yes - no, yes--no, yes -- no</p>",
            f"<p>yes{EM_DASH}no, yes{EM_DASH}no, yes{EM_DASH}no</p>",
        ),
        ("en-GB", "<p><em>yes</em> - no</p>", f"<p><em>yes</em>{NBSP}– no</p>"),
        ("en-US", "<p><em>yes</em> - no</p>", f"<p><em>yes</em>{EM_DASH}no</p>"),
    ],
)
def test_a_spaced_or_double_hyphen_between_words_becomes_the_dash(
    language: str, before: str, after: str
) -> None:
    assert typeset(language, before) == after


@pytest.mark.parametrize(
    "text",
    [
        "well-known",  # a hyphenated word
        "5 - 3, 5--3",  # a subtraction, or numbers: not a dash
        "- a list, typed",  # nothing before it
        "a --- b, a---b",  # three hyphens: not ours to read
        "<code>a - b -- c</code> https://x.org/a--b",
    ],
)
def test_hyphens_that_are_not_dashes_stay(text: str) -> None:
    for language in LANGUAGES:
        assert typeset(language, f"<p>{text}</p>") == f"<p>{text}</p>"


# --- no-break spaces: after abbreviations, before units, after numbers ------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "<p>p. 12, n° 5, M. Dupont</p>", f"<p>p.{NBSP}12, n°{NBSP}5, M.{NBSP}Dupont</p>"),
        ("en-GB", "<p>p. 12, No. 5, Mr Smith</p>", f"<p>p.{NBSP}12, No.{NBSP}5, Mr{NBSP}Smith</p>"),
        (
            "en-US",
            "<p>pp. 3, Mrs Smith, Dr Who</p>",
            f"<p>pp.{NBSP}3, Mrs{NBSP}Smith, Dr{NBSP}Who</p>",
        ),
        ("en-GB", "<p>stop. 12 apples, Mrs. Smith</p>", "<p>stop. 12 apples, Mrs. Smith</p>"),
    ],
)
def test_an_abbreviation_is_tied_to_what_follows(language: str, before: str, after: str) -> None:
    assert typeset(language, before) == after


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "<p>10 km et 3 mesures</p>", f"<p>10{NBSP}km et 3{NBSP}mesures</p>"),
        (
            "en-GB",
            "<p>10 km, 5 m, 2 min, 10 €</p>",
            f"<p>10{NBSP}km, 5{NBSP}m, 2{NBSP}min, 10{NBSP}€</p>",
        ),
        ("en-US", "<p>10 km, 3 members, 5 mm</p>", f"<p>10{NBSP}km, 3 members, 5 mm</p>"),
    ],
)
def test_a_unit_is_tied_to_its_number(language: str, before: str, after: str) -> None:
    """French ties a number to any word after it; English only to a listed unit."""
    assert typeset(language, before) == after


# --- per cent, punctuation, guillemets -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("fr", "<p>25% et 25 %</p>", f"<p>25{NNBSP}% et 25{NNBSP}%</p>"),
        ("en-GB", "<p>25% and 25 %</p>", "<p>25% and 25%</p>"),
        ("en-US", f"<p>25{NBSP}% and 25%</p>", "<p>25% and 25%</p>"),
    ],
)
def test_per_cent_is_written_the_languages_way(language: str, before: str, after: str) -> None:
    assert typeset(language, before) == after


@pytest.mark.parametrize(
    ("language", "after"),
    [
        ("fr", f"<p>Vraiment{NNBSP}? «{NNBSP}oui{NNBSP}»{NNBSP}: non{NNBSP}!</p>"),
        ("en-GB", "<p>Vraiment? «oui»: non!</p>"),
        ("en-US", "<p>Vraiment? «oui»: non!</p>"),
    ],
)
def test_narrow_spaces_before_signs_and_inside_guillemets_are_french(
    language: str, after: str
) -> None:
    assert typeset(language, "<p>Vraiment? «oui»: non!</p>") == after


# --- ordinals --------------------------------------------------------------------------


def test_french_sets_its_ordinals_in_superscript_english_leaves_them() -> None:
    """French prints 1er, 2e, XXIe with a superscript suffix; English writes 1st, 2nd on
    the line."""
    assert typeset("fr", "<p>le 1er, la 1re, la 2e, le 2nd, le XXIe siècle</p>") == (
        "<p>le 1<sup>er</sup>, la 1<sup>re</sup>, la 2<sup>e</sup>, le 2<sup>nd</sup>, le "
        '<span class="acronym">XXI</span><sup>e</sup> siècle</p>'
    )
    for language in ("en", "en-GB", "en-US"):
        assert typeset(language, "<p>the 1st, the 2nd</p>") == "<p>the 1st, the 2nd</p>"


def test_a_word_is_never_taken_for_a_roman_ordinal() -> None:
    assert typeset("fr", "<p>Ce Le Ve, M1e</p>") == "<p>Ce Le Ve, M1e</p>"


def test_a_range_of_ordinals_is_a_range() -> None:
    typography = Typography(ordinals=("er", "e"), ranges="–")
    assert apply_typography("<p>du 1er-3e</p>", typography) == (
        f"<p>du 1<sup>er</sup>{EN_DASH}3<sup>e</sup></p>"
    )


@pytest.mark.parametrize(
    ("ordinals", "before", "after"),
    [
        (
            ("er", "re", "e"),
            "<p>le 1er, la 1re, le 2e</p>",
            "<p>le 1<sup>er</sup>, la 1<sup>re</sup>, le 2<sup>e</sup></p>",
        ),
        (
            ("st", "nd", "rd", "th"),
            "<p>21st, 2nd, 3rd</p>",
            "<p>21<sup>st</sup>, 2<sup>nd</sup>, 3<sup>rd</sup></p>",
        ),
        (
            ("e",),
            "<p>2e3, A4e, 1.5e, <code>2e</code></p>",
            "<p>2e3, A4e, 1.5e, <code>2e</code></p>",
        ),
    ],
)
def test_ordinals_listed_by_a_catalogue_are_set_as_superscript(
    ordinals: tuple[str, ...], before: str, after: str
) -> None:
    typography = Typography(ordinals=ordinals)
    assert apply_typography(before, typography) == after
    assert apply_typography(after, typography) == after


# --- everything at once ----------------------------------------------------------------

SAMPLE = (
    "<p>\"It's the <em>2019-2021</em> plan,\" she said - 'pp. 12-14' of No. 5; "
    "25 % in 10 km -- on 2023-01-12, see https://x.org/a-b?c='d'. "
    '<code>"x" - y</code></p><p>"<a href="#m1">l\'État</a>" 1er mars : 3 mesures ?</p>'
)


@pytest.mark.parametrize(
    ("language", "after"),
    [
        (
            "fr",
            f"<p>«{NNBSP}It’s the <em>2019-2021</em> plan,{NNBSP}» she said - 'pp. 12-14' of "
            f"No. 5{NNBSP}; 25{NNBSP}% in 10{NBSP}km -- on 2023-01-12, see "
            "https://x.org/a-b?c='d'. "
            f'<code>"x" - y</code></p><p>«{NNBSP}<a href="#m1">l’État</a>{NNBSP}» '
            f"1<sup>er</sup> mars{NNBSP}: 3{NBSP}mesures{NNBSP}?</p>",
        ),
        (
            "en-GB",
            f"<p>“It’s the <em>2019{EN_DASH}2021</em> plan,” she said{NBSP}– "
            f"‘pp.{NBSP}12{EN_DASH}14’ of "
            f"No.{NBSP}5; 25% in 10{NBSP}km{NBSP}– on 2023-01-12, see "
            "https://x.org/a-b?c='d'. "
            '<code>"x" - y</code></p><p>“<a href="#m1">l’État</a>” 1er mars : 3 mesures ?</p>',
        ),
        (
            "en-US",
            f"<p>“It’s the <em>2019{EN_DASH}2021</em> plan,” she said{EM_DASH}"
            f"‘pp.{NBSP}12{EN_DASH}14’ of "
            f"No.{NBSP}5; 25% in 10{NBSP}km{EM_DASH}on 2023-01-12, see "
            "https://x.org/a-b?c='d'. "
            '<code>"x" - y</code></p><p>“<a href="#m1">l’État</a>” 1er mars : 3 mesures ?</p>',
        ),
    ],
)
def test_each_language_sets_the_same_text_its_own_way(language: str, after: str) -> None:
    assert typeset(language, SAMPLE) == after


@pytest.mark.parametrize("language", LANGUAGES)
def test_applying_the_rules_twice_changes_nothing(language: str) -> None:
    once = typeset(language, SAMPLE)
    assert typeset(language, once) == once


def test_a_language_is_a_catalogue_setting_no_python() -> None:
    """A catalogue with German settings gets German quotes, with no change to the code."""
    german = Typography(
        double_quotes=("„", "“"), single_quotes=("‚", "‘"), percent=f"{NNBSP}%", ranges="–"
    )
    html = "<p>\"Er sagt 'nein'\", 1914-1918, 25%</p>"
    assert (
        apply_typography(html, german) == f"<p>„Er sagt ‚nein‘“, 1914{EN_DASH}1918, 25{NNBSP}%</p>"
    )
