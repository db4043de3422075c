"""The web edition's parts: subset fonts, the sharing image, the sitemap, inline charts.

Each is a pure function the site's pages call; these tests hold what a reader of the site
would notice: a missing accent, a file that changes on every build, an image cut off, a
chart drawn with another chart's pattern.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from report import PACKAGED_FONTS
from report.compose.charts import draw_all
from report.compose.cover_image import cover_image
from report.compose.inline_svg import inline_svg
from report.compute.counts import compute
from report.output.sitemap import sitemap
from report.output.webfonts import FontFace, faces_in, font_face_rule, packaged_faces, web_fonts

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


def test_the_same_text_gives_the_same_bytes_and_the_fonts_own_date() -> None:
    (mono,) = [face for face in packaged_faces() if face.path.name == "LinLibertine_M.otf"]
    first, again = web_fonts([mono], FRENCH), web_fonts([mono], FRENCH)
    assert first[0].data == again[0].data
    with TTFont(mono.path) as source:
        web = TTFont(io.BytesIO(first[0].data))
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
    assert 'font-family: "Quote \\"Q\\" \\\\"' in font_face_rule(odd, "q.woff2")


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


SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def charts(config, data, tmp_path_factory) -> dict[str, str]:
    """The default report's status charts ('bilan', 'documentation': dot hatches, and the
    same pattern ids in both) and a bar chart, as the PDF prints them."""
    kept = tuple(f for f in data.figures if f.id in ("bilan", "documentation", "victimes-greta"))
    data = data.model_copy(update={"figures": kept})
    cache = tmp_path_factory.mktemp("charts")
    drawn = draw_all(data, compute(data, config), config, cache)
    return {key: chart.svg for key, chart in drawn.items()}


def references(markup: str) -> set[str]:
    """The ids a chart's markup points to: url(#...) and href="#..."."""
    return set(re.findall(r"url\(#([^)]+)\)", markup)) | set(re.findall(r'href="#([^"]+)"', markup))


def test_charts_placed_twice_in_a_page_keep_their_own_ids(charts) -> None:
    original = charts["bilan"]
    assert len(references(original)) >= 3  # the axes' clip path and two hatch patterns
    shared = references(original) & set(re.findall(r'id="([^"]+)"', charts["documentation"]))
    assert len(shared) >= 2  # the two charts' hatch patterns have the same ids
    figures = [
        inline_svg(charts["bilan"], "fig-1-", "Bilan officiel"),
        inline_svg(charts["documentation"], "fig-2-", "Documentation"),
        inline_svg(charts["bilan"], "fig-3-", "Bilan officiel, encore"),
    ]
    page = "<!DOCTYPE html><html><body>" + "".join(figures) + "</body></html>"
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for figure, prefix in zip(figures, ("fig-1-", "fig-2-", "fig-3-"), strict=True):
        own = set(re.findall(r'\sid="([^"]+)"', figure))
        assert references(figure) and references(figure) <= own  # each finds its own
        assert all(name.startswith(prefix) for name in own)


def test_an_inline_chart_is_an_image_with_words_that_fits_a_phone(charts) -> None:
    markup = inline_svg(charts["bilan"], "f-", 'Bilan « officiel » : 3 < 28 & "rien"')
    assert markup.startswith("<svg ") and markup.endswith("</svg>")
    assert "<?xml" not in markup and "DOCTYPE" not in markup and "metadata" not in markup
    assert "<style" not in markup  # a style element would apply to the whole page
    root = ElementTree.fromstring(markup)
    assert root.get("role") == "img" and root.get("focusable") == "false"
    assert root.get("aria-label") == 'Bilan « officiel » : 3 < 28 & "rien"'
    assert "max-width:100%" in root.get("style") and "height:auto" in root.get("style")
    assert "stroke-linejoin:round" in root.get("style")  # what the style element said
    assert root.get("viewBox") == ElementTree.fromstring(charts["bilan"]).get("viewBox")


def test_an_inline_chart_says_the_same_things(charts) -> None:
    for original in charts.values():
        before, after = (
            ElementTree.fromstring(original),
            ElementTree.fromstring(inline_svg(original, "f-", "x")),
        )
        assert texts(after) == texts(before)
        assert paints(after) == paints(before)


def texts(root: ElementTree.Element) -> list[tuple[str, str | None, str | None]]:
    return [(t.text, t.get("x"), t.get("y")) for t in root.iter(f"{SVG}text")]


def paints(root: ElementTree.Element) -> set[str]:
    return set(re.findall(r"#[0-9a-f]{6}", ElementTree.tostring(root, encoding="unicode")))


def test_an_inline_chart_is_much_smaller(charts) -> None:
    for key, original in charts.items():
        markup = inline_svg(original, "f-", "x")
        assert len(markup) < len(original) * (0.05 if "<pattern" in original else 0.9), key
    shapes = re.findall(r'\sd="([^"]+)"', inline_svg(charts["bilan"], "f-", "x"))
    decimals = {len(n.split(".")[1]) for d in shapes for n in re.findall(r"\d+\.\d+", d)}
    assert max(decimals) == 6 and 2 in decimals  # a hatch's dot keeps matplotlib's numbers


def dots(pattern: ElementTree.Element, radius: float = 0.4) -> set[tuple[float, float]]:
    """The centres of a dot hatch's dots within a 72 pt square, however it is written."""
    path = pattern.find(f"{SVG}path")
    if path is not None:  # matplotlib: every dot of the tile, each starting at its top
        starts = re.findall(r"M ?(-?[\d.]+) (-?[\d.]+)", path.get("d"))
        return {(round(float(x), 3), round(float(y) - radius, 3)) for x, y in starts}
    width, height = float(pattern.get("width")), float(pattern.get("height"))
    copies = [(float(u.get("x")), float(u.get("y"))) for u in pattern.iter(f"{SVG}use")]
    return {
        (round(x + i * width, 3), round(y + j * height, 3))
        for x, y in copies
        for i in range(int(72 / width) + 1)
        for j in range(int(72 / height) + 1)
        if 0 <= x + i * width <= 72 and 0 <= y + j * height <= 72
    }


def test_the_dot_hatch_is_a_small_tile_of_the_same_dots(charts) -> None:
    before = ElementTree.fromstring(charts["bilan"])
    after = ElementTree.fromstring(inline_svg(charts["bilan"], "f-", "x"))
    (dotted,) = [
        p
        for p in before.iter(f"{SVG}pattern")
        if "C " in ElementTree.tostring(p, encoding="unicode")
    ]
    (tile,) = [p for p in after.iter(f"{SVG}pattern") if p.find(f".//{SVG}use") is not None]
    assert tile.get("id") == "f-" + dotted.get("id")
    assert (float(tile.get("width")), float(tile.get("height"))) == (12, 24)  # 16 x 32 px
    assert dots(tile) == dots(dotted) and len(dots(dotted)) == 352
    dot = tile.find(f"{SVG}defs/{SVG}path")
    assert dot.get("style") == dotted.find(f"{SVG}path").get("style")  # the same paint
    first = dotted.find(f"{SVG}path").get("d").split("z")[0]  # the dot at (0, 72)
    curves = [float(n) for n in re.findall(r"-?[\d.]+", first)]
    moved = [round(n - (72 if i % 2 else 0), 6) for i, n in enumerate(curves)]
    assert [float(n) for n in re.findall(r"-?[\d.]+", dot.get("d"))] == moved  # its curves
    background = tile.find(f"{SVG}rect")
    assert background.get("fill") == dotted.find(f"{SVG}rect").get("fill")


def circle(x: float, y: float, r: float = 1) -> str:
    """A circle as matplotlib writes one: four quarter curves (its eight are halves)."""
    k = 0.552285 * r
    return (
        f"M {x} {y + r} C {x + k} {y + r} {x + r} {y + k} {x + r} {y} "
        f"C {x + r} {y - k} {x + k} {y - r} {x} {y - r} "
        f"C {x - k} {y - r} {x - r} {y - k} {x - r} {y} "
        f"C {x - r} {y + k} {x - k} {y + r} {x} {y + r} z"
    )


def hatch(d: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><defs>'
        '<pattern id="h" patternUnits="userSpaceOnUse" x="0" y="0" width="72" height="72">'
        f'<rect x="0" y="0" width="73" height="73" fill="#d55e00"/><path d="{d}"/>'
        '</pattern></defs><rect width="72" height="72" style="fill: url(#h)"/></svg>'
    )


GRID = [(x, y) for x in range(0, 73, 8) for y in range(0, 73, 8)]


@pytest.mark.parametrize(
    "drawn",
    [
        [circle(x, y) for x, y in [(0, 0), (5, 3), (11, 2), (20, 20)]],  # no lattice
        [circle(x, y, r=4.5) for x, y in GRID],  # dots that touch
        # Dots at 2, 10... 66: the old tile cut the dot at 2 at its left edge, and the
        # lattice's next dot, at 74, would reach into a smaller tile.
        [circle(x + 2, y + 2, r=3) for x, y in GRID if x < 72 and y < 72],
    ],
)
def test_a_tile_that_is_not_exactly_a_lattice_of_dots_is_left_as_drawn(drawn) -> None:
    markup = inline_svg(hatch(" ".join(drawn)), "x-", "dots")
    assert 'width="72" height="72"' in markup and "<use" not in markup
    assert markup.count("z") == len(drawn)
    assert 'style="fill: url(#x-h)"' in markup


def test_a_lattice_of_dots_gets_its_smallest_whole_pixel_tile() -> None:
    markup = inline_svg(hatch(" ".join(circle(x, y) for x, y in GRID)), "x-", "dots")
    tile = ElementTree.fromstring(markup).find(f".//{SVG}pattern")
    assert (tile.get("width"), tile.get("height")) == ("24", "24")  # 8 pt is 10.67 px
    assert dots(tile, radius=1) == {(float(x), float(y)) for x, y in GRID}
    holed = inline_svg(
        hatch(" ".join(circle(x, y) for x, y in GRID if (x, y) != (40, 40))), "x-", "d"
    )
    tile = ElementTree.fromstring(holed).find(f".//{SVG}pattern")
    assert tile.get("width") == "72" and (40, 40) not in dots(tile, radius=1)  # the same dots


@pytest.mark.parametrize("prefix", ["", "1fig", "fig 1", 'a"b', "a)b"])
def test_an_id_prefix_must_be_safe_in_an_id_and_a_url(prefix: str) -> None:
    with pytest.raises(ValueError):
        inline_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', prefix, "label")


def colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.getcolors(image.width * image.height)}


COVER = {
    "primary": "#1f3b5c",
    "accent": "#b8572a",
    "text_color": "#1a1a1a",
    "font_heading": "Linux Biolinum O",
    "font_body": "Linux Libertine O",
}


def test_the_sharing_image_is_the_cover_at_the_size_networks_ask(config) -> None:
    png = cover_image(
        config.title,
        config.subtitle,
        config.organisation,
        "Novembre 2025",
        **COVER,
    )
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert len(png) < 120_000
    assert "Software" not in image.info  # nor a date: the same texts, the same bytes
    rgb = image.convert("RGB")
    assert rgb.getpixel((5, 5)) == (0x1F, 0x3B, 0x5C)  # the cover's primary colour
    assert rgb.getpixel((5, 625)) == (255, 255, 255)  # the white band at the foot
    assert (0xB8, 0x57, 0x2A) in colours(rgb.crop((80, 520, 400, 620)))  # the date's accent


def test_the_sharing_image_has_the_same_bytes_for_the_same_texts() -> None:
    first = cover_image("Titre", "Sous-titre", "Collectif", "2025", **COVER)
    assert cover_image("Titre", "Sous-titre", "Collectif", "2025", **COVER) == first
    assert cover_image("Titre", "Sous-titre", "Collectif", "2026", **COVER) != first


def test_no_title_however_long_runs_off_the_image() -> None:
    png = cover_image(
        "Anticonstitutionnellementextraordinairementinterminable " + "un titre très long " * 5,
        "un sous-titre qui n’en finit pas " * 5,
        "https://une-organisation-au-nom-tres-long.example.org/" + "chemin/" * 12,
        "le premier jour d’un très long mois " * 3,
        **COVER,
    )
    rgb = Image.open(io.BytesIO(png)).convert("RGB")
    right = colours(rgb.crop((1200 - 70, 0, 1200, 630 - 120)))
    assert right == {(0x1F, 0x3B, 0x5C)}  # past the right margin: the background only
    band = colours(rgb.crop((1200 - 70, 630 - 120, 1200, 630)))
    assert band == {(255, 255, 255)}
    between = colours(rgb.crop((80, 630 - 150, 1120, 630 - 120)))
    assert between == {(0x1F, 0x3B, 0x5C)}  # nothing reaches down to the band


def test_text_on_a_light_primary_colour_takes_the_text_colour() -> None:
    light = {**COVER, "primary": "#f3e37c", "accent": "#f0c000"}
    rgb = Image.open(io.BytesIO(cover_image("Titre", "", "", "2025", **light))).convert("RGB")
    title = colours(rgb.crop((80, 100, 600, 400)))
    assert (0x1A, 0x1A, 0x1A) in title and (255, 255, 255) not in title
    date = colours(rgb.crop((80, 520, 400, 620)))
    assert (0x1A, 0x1A, 0x1A) in date  # the pale accent would not be read on white
