"""The web edition without a browser: the folder `report build --web` writes, its pages,
links, notes, figures, downloads and metadata, and how a mistake leaves it.

The browser's side (filters, keyboard, axe-core) is tests/test_web_browser.py.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml
from support import copy_sample

from report.app.sheet_export import data_bytes
from report.compose.web.markup import WebPage, link_pages, notes_in_place

DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def site(default_editions: Path) -> Path:
    """The default content's web edition, built by ``--all`` with the PDFs (edition site)."""
    return default_editions / "site"


def pages(site: Path) -> dict[str, lxml.html.HtmlElement]:
    return {
        str(path.relative_to(site)): lxml.html.parse(str(path)).getroot()
        for path in sorted(site.rglob("*.html"))
    }


def measures() -> list[dict]:
    document = yaml.safe_load((DEFAULT_CONTENT / "data" / "measures.yaml").read_text())
    return document["measures"]


def test_every_measure_has_its_page_and_a_row_in_the_tool(site: Path) -> None:
    numbers = [m["number"] for m in measures()]
    tool = lxml.html.parse(str(site / "mesures" / "index.html")).getroot()
    rows = tool.xpath('//table[@class="measures-tool"]/tbody/tr')
    assert [row.get("id") for row in rows] == [f"mesure-{n}" for n in numbers]
    assert len(tool.xpath('//ol[@class="recap-grid"]/li')) == len(numbers)
    for number in numbers:
        page = lxml.html.parse(str(site / "mesures" / f"{number}.html")).getroot()
        assert f" {number}" in page.xpath("string(//h1)")


def test_rows_carry_the_status_the_data_gives(site: Path) -> None:
    tool = lxml.html.parse(str(site / "mesures" / "index.html")).getroot()
    given = {f"mesure-{m['number']}": m["status"] for m in measures()}
    for row in tool.xpath('//table[@class="measures-tool"]/tbody/tr'):
        assert row.get("data-status") == given[row.get("id")]


@pytest.mark.parametrize("name", ["site", "site-en"])
def test_every_link_inside_the_site_leads_to_a_file_and_an_id_it_has(
    default_editions: Path, name: str
) -> None:
    """Within the site, or into its translation beside it (site <-> site-en), and nowhere
    else on the disk."""
    sites = [default_editions / "site", default_editions / "site-en"]
    ids = {
        (folder / path).resolve(): set(page.xpath("//@id"))
        for folder in sites
        for path, page in pages(folder).items()
    }
    site = default_editions / name
    for path, page in pages(site).items():
        for href in page.xpath("//a/@href | //link/@href | //script/@src"):
            parts = urlsplit(href)
            if parts.scheme or href.startswith("mailto:"):
                continue
            target = (Path(path).parent / unquote(parts.path)).as_posix() if parts.path else path
            resolved = (site / target).resolve()
            assert resolved.is_file(), f"{path}: {href} leads to no file"
            inside = [folder for folder in sites if resolved.is_relative_to(folder.resolve())]
            assert inside, f"{path}: {href} leaves the sites"
            if parts.fragment and resolved.suffix == ".html":
                assert parts.fragment in ids[resolved], f"{path}: {href} leads to no id"


def test_each_page_links_to_its_counterpart_in_the_other_language(default_editions: Path) -> None:
    french = lxml.html.parse(str(default_editions / "site" / "mesures" / "12.html")).getroot()
    english = french.xpath('//nav[@class="site-nav"]//a[@hreflang="en"]')[0]
    assert english.get("href") == "../../site-en/measures/12.html"
    assert english.text_content() == "English" and english.get("lang") == "en"
    back = lxml.html.parse(str(default_editions / "site-en" / "measures" / "12.html")).getroot()
    assert back.xpath('string(//link[@hreflang="fr"]/@href)') == "../../site/mesures/12.html"
    assert back.xpath("string(/html/@lang)") == "en"


def test_nothing_is_fetched_from_another_site(site: Path) -> None:
    """Stylesheets, scripts, images and fonts are all in the folder (links to sources are
    the only addresses outside it, and a browser fetches them only when followed)."""
    for path, page in pages(site).items():
        for address in page.xpath("//link[@rel='stylesheet']/@href | //script/@src | //img/@src"):
            assert not urlsplit(address).scheme, f"{path} fetches {address}"
    for stylesheet in (site / "assets").glob("*.css"):
        for address in re.findall(r"url\(\s*['\"]?([^'\")]+)", stylesheet.read_text()):
            assert not urlsplit(address).scheme, f"{stylesheet.name} fetches {address}"
            assert (stylesheet.parent / address).is_file(), f"{stylesheet.name}: {address}"


def test_notes_open_in_place_and_none_is_lost(site: Path, default_editions: Path) -> None:
    index = lxml.html.parse(str(site / "index.html")).getroot()
    printed = (default_editions / "rapport-2025.html").read_text().count('class="footnote-call"')
    calls = index.xpath('//button[@class="note-call"]')
    assert len(calls) == printed > 50
    for number, call in enumerate(calls, start=1):
        note = index.get_element_by_id(call.get("popovertarget"))
        assert note.get("popover") == "" and note.text_content().startswith(f"{number}. ")
        assert len(note.text_content()) > len(f"{number}. ") + 3


def test_chapters_sit_under_the_page_title(site: Path) -> None:
    index = lxml.html.parse(str(site / "index.html")).getroot()
    assert len(index.xpath("//h1")) == 1
    titles = index.xpath('//section[contains(@class, "chapter")]/*[1]')
    assert titles and all(title.tag == "h2" for title in titles)


def test_figures_are_drawn_in_the_page_with_their_numbers_beside(site: Path) -> None:
    index = lxml.html.parse(str(site / "index.html")).getroot()
    figures = index.xpath('//figure[@class="chart"]')
    assert figures and not index.xpath("//figure//img")
    for figure in figures:
        drawing = figure.find(".//svg")
        assert drawing.get("role") == "img" and drawing.get("aria-label")
        table = figure.find(".//details//table")
        assert table is not None and len(table.xpath(".//tbody/tr")) >= 2
    tally = figures[0]  # the official tally: 3 done, 28 partly, 14 not (facts.md)
    cells = [cell.text_content() for cell in tally.xpath(".//tbody/tr/td")]
    assert [re.match(r"\d+", cell)[0] for cell in cells] == ["3", "28", "14"]
    ids = index.xpath("//svg//@id")
    assert len(ids) == len(set(ids)), "two inline figures share an id"


def test_downloads_are_the_pdfs_and_the_data(site: Path, default_editions: Path) -> None:
    index = lxml.html.parse(str(site / "index.html")).getroot()
    offered = index.xpath('//section[@id="downloads"]//a/@href')
    assert "rapport-2025.pdf" in offered and "report-2025-en.pdf" in offered
    assert (site / "rapport-2025.pdf").read_bytes() == (
        default_editions / "rapport-2025.pdf"
    ).read_bytes()
    for form in ("csv", "xlsx", "json"):
        assert f"data/rapport-2025.{form}" in offered
        assert (site / "data" / f"rapport-2025.{form}").read_bytes() == data_bytes(
            DEFAULT_CONTENT, form
        )[0]
    english = index.xpath('//a[@href="report-2025-en.pdf"]')[0]
    assert english.get("lang") == "en"


def test_sharing_metadata_and_image(site: Path) -> None:
    index = lxml.html.parse(str(site / "index.html")).getroot()
    meta = {m.get("property"): m.get("content") for m in index.xpath("//meta[@property]")}
    assert meta["og:title"].startswith("Traite des êtres humains")
    assert meta["og:image"] == "assets/cover.png"
    image = (site / "assets" / "cover.png").read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", image[16:24]) == (1200, 630)
    assert index.xpath("string(//html/@lang)") == "fr"
    footer = index.xpath("string(//footer)").replace("\u00a0", " ")
    assert "Édition du 31 décembre 2025" in footer


def test_link_pages_points_ids_at_the_page_that_has_them() -> None:
    first = WebPage.parse("index.html", '<p id="a"><a href="#b">b</a> <a href="#z">z</a></p>')
    second = WebPage.parse("mesures/2.html", '<p id="b"><a href="#a">a</a></p>')
    assert link_pages([first, second]) == [("index.html", "z")]
    assert first.tree.xpath("//a/@href") == ["mesures/2.html#b", "#z"]
    assert second.tree.xpath("//a/@href") == ["../index.html#a"]


def test_a_note_keeps_its_links_and_the_sentence_its_tail() -> None:
    page = WebPage.parse(
        "index.html",
        '<p>Un fait<span class="footnote-call" role="doc-noteref"><span class="footnote" '
        'role="doc-footnote">Voir <a href="#ref-x">X</a>, p. 3.</span></span>, dit-on.</p>',
    )
    assert notes_in_place(page, lambda n: f"Note {n}") == 1
    paragraph = page.tree.find(".//p")
    assert paragraph.text_content() == "Un fait11. Voir X, p. 3., dit-on."
    assert paragraph.find(".//span[@popover]/a").get("href") == "#ref-x"


def test_web_and_all_together_is_a_usage_error(cli, project) -> None:
    run = cli("build", "p", "--web", "--all")
    assert run.code == 2 and "--web" in run.err


def test_a_sample_project_gets_its_site_with_a_sitemap_when_it_says_where(
    cli, tmp_path: Path
) -> None:
    content = copy_sample(tmp_path / "c")
    config = content / "report.yaml"
    config.write_text(
        config.read_text()
        + "\neditions:\n  site:\n    kind: web\n    url: https://example.org/rapport\n"
    )
    run = cli("build", str(content), "--web", "-o", str(tmp_path / "out"))
    assert run.code == 0, run.err
    site = tmp_path / "out" / "site"
    sitemap = (site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/rapport/index.html</loc>" in sitemap
    index = lxml.html.parse(str(site / "index.html")).getroot()
    assert index.xpath('string(//link[@rel="canonical"]/@href)') == (
        "https://example.org/rapport/index.html"
    )


def test_a_mistake_leaves_the_previous_site_as_it_was(cli, tmp_path: Path) -> None:
    content = copy_sample(tmp_path / "c")
    out = tmp_path / "out"
    assert cli("build", str(content), "--web", "-o", str(out)).code == 0
    before = {p: p.read_bytes() for p in (out / "web").rglob("*") if p.is_file()}
    chapter = sorted((content / "chapters").glob("*.md"))[0]
    chapter.write_text(chapter.read_text() + "\n{{ figure('nowhere') }}\n")
    run = cli("build", str(content), "--web", "-o", str(out))
    assert run.code == 1
    assert "nowhere" in run.err and "Traceback" not in run.err
    assert {p: p.read_bytes() for p in (out / "web").rglob("*") if p.is_file()} == before


def test_an_english_web_edition_speaks_english(cli, tmp_path: Path) -> None:
    content = copy_sample(tmp_path / "c")
    config = content / "report.yaml"
    config.write_text(
        config.read_text() + "\neditions:\n  site:\n    kind: web\n    language: en\n"
    )
    assert cli("build", str(content), "--web", "-o", str(tmp_path / "out")).code == 0
    site = tmp_path / "out" / "site"
    tool = lxml.html.parse(str(site / "measures" / "index.html")).getroot()
    assert tool.get("lang") == "en"
    assert tool.xpath("string(//legend)") == "Filter the measures"
    assert "Edition of" in tool.xpath("string(//footer)")


def test_markup_in_the_data_does_not_reach_the_pages_as_markup(cli, tmp_path: Path) -> None:
    """A title or comment written with HTML in it (a paste, or a hostile hand) is shown as
    text or sanitised, on every page where it appears, like in the PDF."""
    content = copy_sample(tmp_path / "c")
    measures = content / "data" / "measures.yaml"
    measures.write_text(
        measures.read_text().replace(
            "title: Informer le public",
            "title: 'Informer <img src=x onerror=alert(1)> <script>alert(2)</script>'",
        )
    )
    run = cli("build", str(content), "--web", "-o", str(tmp_path / "out"))
    assert run.code == 0, run.err
    for page in (tmp_path / "out" / "web").rglob("*.html"):
        tree = lxml.html.parse(str(page)).getroot()
        assert not tree.xpath("//@onerror"), page
        assert not tree.xpath("//script[not(@src)]"), page


def test_the_tool_gives_the_official_tally_beside_the_documented_statuses(site: Path) -> None:
    """The CNCDH counted 3 done, 28 partly, 14 not (facts.md), but published the status of
    few measures: the list alone ("2 non réalisées") would read as the verdict."""
    tool = lxml.html.parse(str(site / "mesures" / "index.html")).getroot()
    tally = tool.xpath('string(//p[@class="tool-tally"])').replace("\u00a0", " ")
    assert "3 réalisées, 28 partiellement réalisées, 14 non réalisées" in tally
    assert "36 mesures n’en ont aucun" in tally


def test_a_note_never_starts_a_line_of_its_own() -> None:
    page = WebPage.parse(
        "index.html",
        '<p>le plan 2019-2021<span class="footnote-call"><span class="footnote">A.</span>'
        "</span>. Puis</p>",
    )
    notes_in_place(page, lambda n: f"Note {n}")
    glued = page.tree.find('.//span[@class="note-glue"]')
    assert glued.text == "2019-2021" and glued.find("span[@class='note']") is not None
    assert page.tree.find(".//p").text_content() == "le plan 2019-202111. A.. Puis"


def test_a_page_without_a_counterpart_links_to_the_other_sites_home() -> None:
    from report.compose.web.pages import Translation

    same = Translation("en", "English", "../site-en/", "measures", same_measures=True)
    narrower = Translation("en", "English", "../site-en/", "measures", same_measures=False)
    assert same.path_for("mesures/12.html", "mesures") == "measures/12.html"
    assert narrower.path_for("mesures/12.html", "mesures") == "index.html"
    assert narrower.path_for("mesures/index.html", "mesures") == "measures/index.html"
    assert same.path_for("index.html", "mesures") == "index.html"


@pytest.mark.parametrize("name", ["site", "site-en"])
def test_no_language_mark_is_left_as_written(default_editions: Path, name: str) -> None:
    """report.yaml marks foreign passages ``[…]{lang=fr}``: a page shows the passage in a
    span with its lang, never the mark itself (the English site names the Collectif in
    French)."""
    for path, page in pages(default_editions / name).items():
        assert "{lang=" not in page.text_content(), path
        for value in page.xpath("//@content | //@title | //@aria-label | //@alt"):
            assert "{lang=" not in value, f"{path}: {value}"
    english = lxml.html.parse(str(default_editions / "site-en" / "index.html")).getroot()
    assert english.xpath('//p[@class="site-name"]//span[@lang="fr"]')


def test_the_roles_only_the_pdf_reads_are_not_given_to_browsers(site: Path) -> None:
    """The bibliography's entries are BibEntry in the PDF (doc-biblioentry); a browser
    reads that role as deprecated, and doc-bibliography as misplaced on a list."""
    for path, page in pages(site).items():
        assert not page.xpath('//*[@role="doc-biblioentry"]'), path
        misplaced = page.xpath('//*[@role="doc-bibliography"][not(self::section or self::div)]')
        assert not misplaced, path
    index = lxml.html.parse(str(site / "index.html")).getroot()
    assert index.xpath('//*[@role="doc-noteref" or @role="note"]'), "notes keep theirs"


def test_fonts_read_back_from_the_cache_are_the_fonts_cut_afresh(tmp_path: Path) -> None:
    from report.output.webfonts import packaged_faces, web_fonts

    faces = packaged_faces()[:1]
    fresh = web_fonts(faces, "Traite des êtres humains ›")
    first = web_fonts(faces, "Traite des êtres humains ›", cache_dir=tmp_path)
    [cached] = tmp_path.iterdir()
    assert fresh == first and cached.read_bytes() == first[0].data
    cached.write_bytes(b"read back, not cut again")
    again = web_fonts(faces, "Traite des êtres humains ›", cache_dir=tmp_path)
    assert again[0].data == b"read back, not cut again"
    other = web_fonts(faces, "Évaluation", cache_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2 and other != fresh


def test_the_subset_fonts_hold_the_stylesheets_own_characters(site: Path) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(site / "assets" / "fonts" / "LinBiolinum_R.woff2")
    assert ord("›") in font.getBestCmap()  # the breadcrumb's separator, from web.css


def test_a_web_editions_stylesheet_is_copied_in_or_its_absence_said(cli, tmp_path: Path) -> None:
    content = copy_sample(tmp_path / "c")
    config = content / "report.yaml"
    edition = "\neditions:\n  site:\n    kind: web\n    stylesheet: site.css\n"
    config.write_text(config.read_text() + edition)
    run = cli("build", str(content), "--web", "-o", str(tmp_path / "out"))
    assert run.code == 1 and "stylesheet 'site.css' not found" in run.err
    (content / "site.css").write_text("body { background: #fffdf5; }\n")
    assert cli("build", str(content), "--web", "-o", str(tmp_path / "out")).code == 0
    site = tmp_path / "out" / "site"
    assert (site / "assets" / "site.css").read_text() == "body { background: #fffdf5; }\n"
    index = lxml.html.parse(str(site / "index.html")).getroot()
    assert index.xpath('//link[@rel="stylesheet"]/@href')[-1] == "assets/site.css"
