"""Printed addresses a reader can follow: the ``linked`` filter of contact lines."""

from __future__ import annotations

from report.compose.labels import linked
from report.i18n.catalogue import catalogue

FRENCH, ENGLISH = catalogue("fr"), catalogue("en")


def test_a_web_address_becomes_a_link_that_names_its_site() -> None:
    assert str(linked("Site : www.contrelatraite.org.", FRENCH)) == (
        'Site : <a href="https://www.contrelatraite.org" title="Site web contrelatraite.org">'
        "www.contrelatraite.org</a>."
    )


def test_an_address_with_its_scheme_keeps_it_and_stops_before_punctuation() -> None:
    html = str(linked("Voir https://example.org/a?b=1, puis (http://x.fr).", FRENCH))
    assert 'href="https://example.org/a?b=1"' in html and ">https://example.org/a?b=1</a>," in html
    assert 'href="http://x.fr"' in html and "</a>)." in html


def test_an_e_mail_address_becomes_a_mailto_link_in_the_edition_language() -> None:
    assert str(linked("contact@example.org", ENGLISH)) == (
        '<a href="mailto:contact@example.org" title="Write to contact@example.org">'
        "contact@example.org</a>"
    )


def test_the_rest_of_the_text_is_escaped_and_plain_text_is_unchanged() -> None:
    assert str(linked("01 23 45 67 89 <b>", FRENCH)) == "01 23 45 67 89 &lt;b&gt;"
    assert str(linked(None, FRENCH)) == ""
