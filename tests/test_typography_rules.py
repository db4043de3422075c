"""Typography, rule by rule: the cases a French or English text meets beyond the basics.

``test_typography.py`` shows one example of each rule; these tests pin the edges: per cent
signs, punctuation against closing quotes and brackets, apostrophes before a link, tags in
capitals, comments, URLs, acronyms, running the rules twice, and English left alone.
"""

from __future__ import annotations

import pytest

from report.compose.typography import apply_typography
from report.i18n.catalogue import Typography, catalogue

NNBSP, NBSP = "\u202f", "\u00a0"


def fr(html: str) -> str:
    return apply_typography(html, catalogue("fr").typography)


def en(html: str) -> str:
    return apply_typography(html, catalogue("en").typography)


def acronym(letters: str) -> str:
    return f'<span class="acronym">{letters}</span>'


# --- per cent ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>50 % des mesures</p>", f"<p>50{NNBSP}% des mesures</p>"),
        ("<p>50% des mesures</p>", f"<p>50{NNBSP}% des mesures</p>"),
        (f"<p>50{NBSP}% des mesures</p>", f"<p>50{NNBSP}% des mesures</p>"),
        (f"<p>50{NNBSP}% des mesures</p>", f"<p>50{NNBSP}% des mesures</p>"),
        ("<p>soit 12,5 %.</p>", f"<p>soit 12,5{NNBSP}%.</p>"),
    ],
)
def test_a_per_cent_sign_after_a_number_gets_a_narrow_space(before: str, after: str) -> None:
    assert fr(before) == after


@pytest.mark.parametrize("html", ["<p>le signe % seul</p>", "<p>%</p>", "<p>50  %</p>"])
def test_a_per_cent_sign_not_right_after_a_number_is_left_alone(html: str) -> None:
    assert fr(html) == html


# --- punctuation against quotes and brackets -------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>« Vraiment ?»</p>", f"<p>«{NNBSP}Vraiment{NNBSP}?{NNBSP}»</p>"),
        ("<p>« Non !»</p>", f"<p>«{NNBSP}Non{NNBSP}!{NNBSP}»</p>"),
        ("<p>«Vraiment?»</p>", f"<p>«{NNBSP}Vraiment{NNBSP}?{NNBSP}»</p>"),
        ("<p>(vraiment ?)</p>", f"<p>(vraiment{NNBSP}?)</p>"),
        ("<p>[sic !]</p>", f"<p>[sic{NNBSP}!]</p>"),
    ],
)
def test_question_and_exclamation_marks_before_a_closing_quote_or_bracket(
    before: str, after: str
) -> None:
    assert fr(before) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>(voir annexe): oui</p>", f"<p>(voir annexe){NNBSP}: oui</p>"),
        ("<p>[note]: oui</p>", f"<p>[note]{NNBSP}: oui</p>"),
        ("<p>« cité »: oui</p>", f"<p>«{NNBSP}cité{NNBSP}»{NNBSP}: oui</p>"),
        ("<p>« cité » : oui</p>", f"<p>«{NNBSP}cité{NNBSP}»{NNBSP}: oui</p>"),
    ],
)
def test_a_colon_after_a_bracket_or_a_closing_quote(before: str, after: str) -> None:
    assert fr(before) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>fin !</p>", f"<p>fin{NNBSP}!</p>"),
        ("<p>fin  ;  suite</p>", f"<p>fin{NNBSP};  suite</p>"),
        (f"<p>fin{NNBSP}{NBSP}: suite</p>", f"<p>fin{NNBSP}: suite</p>"),
        ("<p>Ah!Oh</p>", "<p>Ah!Oh</p>"),
    ],
)
def test_spaces_before_double_punctuation_become_one_narrow_space(before: str, after: str) -> None:
    assert fr(before) == after


def test_punctuation_starting_a_run_after_a_tag_gets_its_narrow_space() -> None:
    assert fr("<p><em>Attention</em>  ! fin</p>") == f"<p><em>Attention</em>{NNBSP}! fin</p>"


def test_punctuation_glued_to_a_tag_after_a_word_gets_its_narrow_space() -> None:
    """The run before ended with a word ('Attention', a citation's link): French sets a
    narrow space before '!' all the same."""
    assert fr("<p><em>Attention</em>! fin</p>") == f"<p><em>Attention</em>{NNBSP}! fin</p>"
    linked = '<p><a href="#r">A</a>; <a href="#s">B</a></p>'
    assert fr(linked) == f'<p><a href="#r">A</a>{NNBSP}; <a href="#s">B</a></p>'


def test_punctuation_glued_to_a_tag_after_a_space_or_nothing_is_left_alone() -> None:
    assert fr("<p><em>a </em>! fin</p>") == "<p><em>a </em>! fin</p>"
    assert fr("<p><em></em>! fin</p>") == "<p><em></em>! fin</p>"


def test_guillemets_take_narrow_spaces_whatever_spaces_were_typed() -> None:
    typed = f"<p>«{NBSP}a{NBSP}» «  b  » «{NNBSP}c{NNBSP}»</p>"
    assert fr(typed) == (f"<p>«{NNBSP}a{NNBSP}» «{NNBSP}b{NNBSP}» «{NNBSP}c{NNBSP}»</p>")


# --- numbers and the word that follows -------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>12 mesures</p>", f"<p>12{NBSP}mesures</p>"),
        ("<p>3 000 euros</p>", f"<p>3 000{NBSP}euros</p>"),
        ("<p>2 élus</p>", f"<p>2{NBSP}élus</p>"),
        ("<p>12 _x, 12 34, 12 -</p>", "<p>12 _x, 12 34, 12 -</p>"),
        ("<p>douze mesures</p>", "<p>douze mesures</p>"),
    ],
)
def test_a_number_is_not_separated_from_the_word_after_it(before: str, after: str) -> None:
    assert fr(before) == after


# --- apostrophes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('<p>l\'<a href="#m1">État</a></p>', '<p>l’<a href="#m1">État</a></p>'),
        ("<p>d'<em>abord</em></p>", "<p>d’<em>abord</em></p>"),
        ("<p>aujourd'hui</p>", "<p>aujourd’hui</p>"),
    ],
)
def test_apostrophes_between_letters_or_before_a_link_are_curled(before: str, after: str) -> None:
    assert fr(before) == after
    assert en(before) == after


def test_single_quotes_are_curled_only_where_the_catalogue_gives_them() -> None:
    """French gives none: 'cité' stays; English curls it. A quote alone stays in both."""
    assert fr("<p>'cité' et ' seul</p>") == "<p>'cité' et ' seul</p>"
    assert en("<p>'cited' and ' alone</p>") == "<p>‘cited’ and ' alone</p>"


# --- what is protected -------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["CODE", "PRE", "Code", "SCRIPT", "STYLE"])
def test_protected_tags_written_in_capitals_are_protected(tag: str) -> None:
    html = f"<{tag}>a : b l'c</{tag}> d : e"
    assert fr(html) == f"<{tag}>a : b l'c</{tag}> d{NNBSP}: e"


def test_a_tag_with_attributes_is_protected_by_its_name() -> None:
    html = '<code class="yaml">a : b</code> c : d'
    assert fr(html) == f'<code class="yaml">a : b</code> c{NNBSP}: d'


def test_svg_text_and_titles_are_untouched() -> None:
    html = "<svg><title>a : b</title><text>3 mesures ?</text></svg> c : d"
    assert fr(html) == f"<svg><title>a : b</title><text>3 mesures ?</text></svg> c{NNBSP}: d"


def test_text_stays_protected_until_the_outer_element_closes() -> None:
    html = "<svg><title>a : b</title> c : d</svg> e : f"
    assert fr(html) == f"<svg><title>a : b</title> c : d</svg> e{NNBSP}: f"


def test_the_same_element_nested_stays_protected_until_the_last_close() -> None:
    html = "<code><code>a : b</code> c : d</code> e : f"
    assert fr(html) == f"<code><code>a : b</code> c : d</code> e{NNBSP}: f"


def test_a_stray_closing_tag_does_not_stop_the_rules() -> None:
    assert fr("<p>a</code> b : c</p>") == f"<p>a</code> b{NNBSP}: c</p>"


def test_a_closing_tag_of_another_element_does_not_end_protection() -> None:
    html = "<pre>a : b</code> c : d</pre> e : f"
    assert fr(html) == f"<pre>a : b</code> c : d</pre> e{NNBSP}: f"


def test_a_self_closing_tag_opens_nothing() -> None:
    assert fr("<code/> a : b <br/> c : d") == f"<code/> a{NNBSP}: b <br/> c{NNBSP}: d"


def test_ordinary_tags_do_not_protect() -> None:
    assert fr("<p><strong>a : b</strong></p>") == f"<p><strong>a{NNBSP}: b</strong></p>"


def test_html_comments_are_left_as_they_are() -> None:
    html = "<p>a <!-- note : l'auteur --> b : c</p>"
    assert fr(html) == f"<p>a <!-- note : l'auteur --> b{NNBSP}: c</p>"


def test_a_comment_holding_a_greater_than_sign_stays_a_comment() -> None:
    """'-->' must not become '--&gt;': the comment would never close and hide the rest."""
    html = "<p>a</p><!-- à revoir si le total > 40 --><p>b : c</p>"
    assert fr(html) == f"<p>a</p><!-- à revoir si le total > 40 --><p>b{NNBSP}: c</p>"


def test_a_comment_over_several_lines_holding_a_tag_is_left_alone() -> None:
    html = "<!--\n<code> : l'a\n--><p>b : c</p>"
    assert fr(html) == f"<!--\n<code> : l'a\n--><p>b{NNBSP}: c</p>"


@pytest.mark.parametrize("quote", ['"', "'"])
def test_an_attribute_holding_a_greater_than_sign_stays_in_its_tag(quote: str) -> None:
    html = f"<abbr title={quote}plus > moins{quote}>PM</abbr> : l'effet"
    assert fr(html) == (
        f"<abbr title={quote}plus > moins{quote}>{acronym('PM')}</abbr>{NNBSP}: l’effet"
    )


def test_a_doctype_and_tags_that_are_not_elements_are_left_alone() -> None:
    html = "<!DOCTYPE html><p>a : b</p>"
    assert fr(html) == f"<!DOCTYPE html><p>a{NNBSP}: b</p>"


def test_entities_are_read_and_written_back_escaped() -> None:
    assert fr("<p>l&#39;État &amp; l&apos;UE : oui</p>") == (
        f"<p>l’État &amp; l’{acronym('UE')}{NNBSP}: oui</p>"
    )


def test_quotes_in_text_are_not_turned_into_entities() -> None:
    assert fr("<p>\"a\" et 'b', c ; d</p>") == f"<p>«{NNBSP}a{NNBSP}» et 'b', c{NNBSP}; d</p>"
    assert apply_typography('<p>"a" et c</p>', Typography()) == '<p>"a" et c</p>'


# --- URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/ONU/rapport?x=1:2;y=3!",
        "http://example.org/l'article",
        "www.example.fr/a:b?c",
        "https://example.org/?a=1&amp;b=2",
        "https://example.org/CNRS",
    ],
)
def test_a_url_in_text_is_untouched_and_the_text_around_it_is_fixed(url: str) -> None:
    assert fr(f"<p>Voir : {url} : l'ONU</p>") == (
        f"<p>Voir{NNBSP}: {url}{NNBSP}: l’{acronym('ONU')}</p>"
    )


def test_several_urls_in_one_text_run_each_stay_in_place() -> None:
    html = "<p>https://a.org/x:y puis www.b.fr/ONG ; enfin https://c.org/?q=1</p>"
    assert fr(html) == (
        f"<p>https://a.org/x:y puis www.b.fr/ONG{NNBSP}; enfin https://c.org/?q=1</p>"
    )


def test_a_url_alone_in_a_link_is_untouched() -> None:
    html = '<a href="https://x.org/a:b">https://x.org/a:b</a>'
    assert fr(html) == html


# --- acronyms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>les ONG</p>", f"<p>les {acronym('ONG')}</p>"),
        ("<p>les ONGs</p>", f"<p>les {acronym('ONGs')}</p>"),
        ("<p>le CNRS et l'UE</p>", f"<p>le {acronym('CNRS')} et l’{acronym('UE')}</p>"),
        ("<p>l'ÉTAT</p>", f"<p>l’{acronym('ÉTAT')}</p>"),
        ("<p>A et B</p>", "<p>A et B</p>"),
        ("<p>Paris, ONGes, OnG</p>", "<p>Paris, ONGes, OnG</p>"),
        ("<p>12 ONG</p>", f"<p>12{NBSP}{acronym('ONG')}</p>"),
    ],
)
def test_acronyms_of_two_capitals_or_more_are_marked(before: str, after: str) -> None:
    assert fr(before) == after


def test_acronyms_are_marked_in_english_too() -> None:
    assert en("<p>the NGOs</p>") == f"<p>the {acronym('NGOs')}</p>"


def test_acronyms_in_code_and_attributes_are_not_marked() -> None:
    html = '<p title="ONU"><code>ONU</code></p>'
    assert fr(html) == html


# --- running the rules twice -----------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>« Quoi ?» dit l'auteur : 3 fois ! 50 % (voir): oui</p>",
        "<p>Voir https://x.org/a:b ; ok</p>",
        "<p><strong>Note</strong> : l'<a href='#'>État</a></p>",
        "<pre>a : b</pre><p>c : d</p>",
    ],
)
def test_applying_the_rules_twice_changes_nothing_more(html: str) -> None:
    for language in ("fr", "en", "en-US"):
        typography = catalogue(language).typography
        once = apply_typography(html, typography)
        assert apply_typography(once, typography) == once


# --- English ---------------------------------------------------------------------------


def test_english_keeps_its_spacing_and_sets_per_cent_close() -> None:
    html = "<p>Done: 50% (12 items)! Really? « ok » ; 50 %</p>"
    assert en(html) == "<p>Done: 50% (12 items)! Really? « ok » ; 50%</p>"


def test_english_never_inserts_narrow_spaces_nor_ties_a_number_to_a_word() -> None:
    html = "<p>Is it? Yes: it's 12 items; 50 % done! « Quote »</p>"
    result = en(html)
    assert NNBSP not in result and NBSP not in result
    assert result == "<p>Is it? Yes: it’s 12 items; 50% done! « Quote »</p>"


def test_a_catalogue_without_typography_only_curls_apostrophes() -> None:
    html = "<p>l'a : b \"c\" 'd' 2019-2021 p. 3 50 % x - y 12 km</p>"
    assert apply_typography(html, Typography()) == (
        "<p>l’a : b \"c\" 'd' 2019-2021 p. 3 50 % x - y 12 km</p>"
    )
