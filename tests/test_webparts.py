"""The web edition's parts: subset fonts, the sharing image, the sitemap, inline charts.

Each is a pure function the site's pages call; these tests hold what a reader of the site
would notice: a missing accent, a file that changes on every build, an image cut off, a
chart drawn with another chart's pattern.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from report import PACKAGED_FONTS
from report.output.sitemap import sitemap
from report.output.webfonts import FontFace, faces_in, packaged_faces, web_fonts

FRENCH = (
    "Évaluation du plan « Zéro victime » : 45 % des mesures réalisées, 1 234 € engagés. "
    "Cœur, œuvre, ÇA, naïveté, l’État — « ouvrez » ; 2025–2026 ? ½ … "
)


@pytest.fixture(scope="module")
def roman() -> FontFace:
    return next(face for face in packaged_faces() if face.path.name == "LinLibertine_R.otf")


@pytest.fixture(scope="module")
def roman_web(roman: FontFace):
    (font,) = web_fonts([roman], FRENCH)
    return font


def test_every_packaged_font_is_a_declared_face_whose_file_exists() -> None:
    faces = packaged_faces()
    assert all(face.path.is_file() and face.path.parent == PACKAGED_FONTS for face in faces)
    assert {face.path.name for face in faces} == {
        path.name for path in PACKAGED_FONTS.glob("*.otf")
    }
    styles = {(face.family, face.style, face.weight) for face in faces}
    assert ("Linux Libertine O", "italic", 700) in styles
    assert len(styles) == len(faces)  # no face declared twice


def test_faces_are_read_however_the_rule_is_written(tmp_path: Path) -> None:
    css = (
        "/* a comment */ body { color: red }\n"
        "@font-face { font-family: Some Sans; src: local(Some), url(f/a.woff2); "
        "font-weight: 600 }\n"
        '@font-face { font-family: "No File"; }\n'
        "@FONT-FACE { FONT-FAMILY: 'B'; Font-Style: Italic; src: url('b.otf') }"
    )
    assert faces_in(css, tmp_path) == [
        FontFace("Some Sans", "normal", 600, tmp_path / "f" / "a.woff2"),
        FontFace("B", "italic", 400, tmp_path / "b.otf"),
    ]


def test_the_subset_holds_every_character_of_the_text_in_both_cases(roman, roman_web) -> None:
    with TTFont(roman.path) as source:
        available = set(source.getBestCmap())
    web = TTFont(io.BytesIO(roman_web.data))
    assert web.flavor == "woff2"
    kept = set(web.getBestCmap())
    wanted = {ord(c) for c in FRENCH + FRENCH.upper() + FRENCH.lower()} | set(range(32, 127))
    assert wanted & available <= kept
    assert ord("É") in kept and ord("é") in kept and ord("Œ") in kept  # uppercase on screen
    assert ord("ß") not in kept  # the subset is the text's, not the font's


def test_the_features_the_styles_ask_for_survive(roman_web) -> None:
    web = TTFont(io.BytesIO(roman_web.data))
    substitutions = {r.FeatureTag for r in web["GSUB"].table.FeatureList.FeatureRecord}
    assert {"onum", "lnum", "smcp", "c2sc", "liga"} <= substitutions
    assert "kern" in {r.FeatureTag for r in web["GPOS"].table.FeatureList.FeatureRecord}
    assert "FFTM" not in web and "fpgm" not in web  # FontForge's stamps, hinting: dropped


def test_the_subset_is_a_small_fraction_of_the_packaged_font(roman, roman_web) -> None:
    assert len(roman_web.data) < roman.path.stat().st_size / 10


def test_the_same_text_gives_the_same_bytes_and_the_fonts_own_date(roman, roman_web) -> None:
    (again,) = web_fonts([roman], FRENCH)
    assert again.data == roman_web.data
    with TTFont(roman.path) as source:
        web = TTFont(io.BytesIO(roman_web.data))
        assert web["head"].modified == source["head"].modified  # not the build's time


def test_the_rule_loads_the_published_file(roman, roman_web) -> None:
    assert roman_web.filename == "LinLibertine_R.woff2"
    css = roman_web.css
    assert css.startswith("@font-face {") and css.endswith("}")
    assert 'src: url("fonts/LinLibertine_R.woff2") format("woff2")' in css
    assert 'font-family: "Linux Libertine O"' in css
    assert "font-style: normal" in css and "font-weight: 400" in css
    assert "font-display: swap" in css
    odd = FontFace('Quote "Q" \\', "italic", 700, roman.path)
    (quoted,) = web_fonts([odd], "a")
    assert 'font-family: "Quote \\"Q\\" \\\\"' in quoted.css


def test_only_the_families_asked_for_and_no_warning(caplog) -> None:
    faces = packaged_faces()
    with caplog.at_level(logging.INFO):
        fonts = web_fonts(faces, "abc", families={"linux libertine mono o"})
    assert [font.filename for font in fonts] == ["LinLibertine_M.woff2"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_absolute_escaped_addresses_with_their_dates() -> None:
    pages = [
        ("", dt.date(2025, 3, 1)),
        ("mesures/m12.html", dt.date(2025, 2, 28)),
        ("données & sources.html", dt.datetime(2025, 1, 5, 13, 30)),
    ]
    xml = sitemap("https://example.org/rapport-2025", pages)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ElementTree.fromstring(xml)
    assert root.tag == f"{SITEMAP}urlset"
    entries = [
        (url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod"))
        for url in root.iterfind(f"{SITEMAP}url")
    ]
    assert entries == [
        ("https://example.org/rapport-2025/", "2025-03-01"),
        ("https://example.org/rapport-2025/mesures/m12.html", "2025-02-28"),
        ("https://example.org/rapport-2025/donn%C3%A9es%20&%20sources.html", "2025-01-05"),
    ]
    assert b"&amp;" in xml  # the ampersand escaped as XML, as the protocol requires
    for url in root.iterfind(f"{SITEMAP}url"):
        assert [child.tag for child in url] == [f"{SITEMAP}loc", f"{SITEMAP}lastmod"]
    assert sitemap("https://example.org/rapport-2025/", pages) == xml  # same bytes


@pytest.mark.parametrize(
    ("base", "path"),
    [
        ("rapport/", "index.html"),  # no site address: search engines need one
        ("ftp://example.org/", "index.html"),
        ("https://example.org/", "https://elsewhere.org/page.html"),
        ("https://example.org/", "/etc/page.html"),
        ("https://example.org/r/", "../other/page.html"),
    ],
)
def test_the_sitemap_refuses_an_address_outside_the_site(base: str, path: str) -> None:
    with pytest.raises(ValueError):
        sitemap(base, [(path, dt.date(2025, 1, 1))])


def test_the_sitemap_refuses_a_page_listed_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        sitemap("https://example.org/", [("a.html", dt.date(2025, 1, 1))] * 2)
