"""The web edition (``report build --web``) in a real browser: headless Chromium (Debian's
``chromium`` package, driven by Playwright for Python through ``executable_path``;
Playwright's own browser download is never needed) and axe-core for accessibility.

Two sites are served by a small local HTTP server each: the default report's and a new
project's (``report new``). Every kind of page must load all it uses from the site alone,
with no console error and no serious accessibility violation; the measures tool must
filter as the data says, keep the filter in a shareable address and work from the
keyboard; deep links, notes and a phone's width must work as a reader expects.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import threading
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
import yaml
from support import run_main

from report.sources.config import load_config

CHROMIUM = Path("/usr/bin/chromium")
DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "content"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is a test extra"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="needs Debian's chromium (/usr/bin/chromium: apt-get install chromium; setup.sh)",
)
expect = sync_api.expect

# The data decides what the pages should show: read as the author wrote it.
MEASURES = yaml.safe_load((DEFAULT_CONTENT / "data" / "measures.yaml").read_text("utf-8"))[
    "measures"
]
STATUSES = yaml.safe_load((DEFAULT_CONTENT / "report.yaml").read_text("utf-8"))["statuses"]
TITLED = next(m["number"] for m in MEASURES if m.get("title"))
UNTITLED = next(m["number"] for m in MEASURES if not m.get("title"))
LAST = MEASURES[-1]["number"]
# Each kind of page of both sites; {m} is the measures' folder (mesures, measures).
PAGES = [
    ("default", "index.html"),
    ("default", "{m}/index.html"),
    ("default", f"{{m}}/{TITLED}.html"),
    ("default", f"{{m}}/{UNTITLED}.html"),
    ("default", f"{{m}}/{LAST}.html"),
    ("new", "index.html"),
    ("new", "{m}/index.html"),
    ("new", "{m}/1.html"),
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Site:
    folder: Path
    url: str  # of the local server, ending in "/"
    measures: str  # the measures' folder: the vocabulary's plural

    def address(self, path: str) -> str:
        return self.url + path.format(m=self.measures)


@dataclass
class Visit:
    """A page loaded once and shared by the tests that only read it, with what it did."""

    page: object
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions
    elsewhere: list[str] = field(default_factory=list)  # requests to other hosts
    failed: list[str] = field(default_factory=list)  # failed requests, statuses not 200


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` at http://127.0.0.1:PORT/, as any static host would serve it."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``report new p`` then ``report build p --web``: a new project's site."""
    root = tmp_path_factory.mktemp("new-web")
    assert run_main(["new", "p"], root).code == 0
    built = run_main(["build", "p", "-o", "out", "--web"], root)
    assert built.code == 0, built.err
    return root / "out" / "site"


@pytest.fixture(scope="module")
def sites(default_site: Path, new_site: Path) -> Iterator[dict[str, Site]]:
    with served(default_site) as default_url, served(new_site) as new_url:
        yield {
            "default": Site(default_site, default_url, "mesures"),
            "new": Site(new_site, new_url, "measures"),
        }


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(
    browser, url: str, origin: str, viewport: dict = DESKTOP, settle: bool = False
) -> Visit:
    """A new page at ``url``, recording its errors and requests, once its fonts are in;
    ``settle`` waits for the network to be quiet: the browser asks for an icon late."""
    page = browser.new_page(viewport=viewport)
    visit = Visit(page)
    page.on("console", lambda m: m.type == "error" and visit.errors.append(m.text))
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("request", lambda r: r.url.startswith(origin) or visit.elsewhere.append(r.url))
    page.on("requestfailed", lambda r: visit.failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status == 200 or visit.failed.append(f"{r.url}: {r.status}"))
    page.goto(url, wait_until="networkidle" if settle else "load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return visit


@pytest.fixture(scope="module")
def visited(browser, sites) -> Iterator[Callable[[str, str], Visit]]:
    """Each page of ``PAGES`` loaded once, at a desktop's width."""
    opened: dict[tuple[str, str], Visit] = {}

    def visit(name: str, path: str) -> Visit:
        if (name, path) not in opened:
            site = sites[name]
            opened[name, path] = open_page(browser, site.address(path), site.url, settle=True)
        return opened[name, path]

    yield visit
    for shown in opened.values():
        shown.page.close()


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_each_page_loads_everything_from_the_site_alone(visited, name, path) -> None:
    visit = visited(name, path)
    assert visit.errors == []
    assert visit.elsewhere == [], "every file the page uses is in the site's folder"
    assert visit.failed == []
    page = visit.page
    links = page.locator("link[rel=stylesheet]").count()
    assert links >= 2
    loaded = page.evaluate(
        "[...document.styleSheets].filter(s => s.href && s.cssRules.length > 0).length"
    )
    assert loaded == links, "every stylesheet loaded"
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    fonts = page.evaluate("[...document.fonts].map(f => f.status)")
    assert "error" not in fonts and "loaded" in fonts, fonts


def test_the_report_opens_from_a_disk_too(browser, default_site: Path) -> None:
    index = default_site / "index.html"
    visit = open_page(browser, index.as_uri(), default_site.as_uri(), settle=True)
    assert visit.errors == [] and visit.elsewhere == [] and visit.failed == []
    fonts = visit.page.evaluate("[...document.fonts].map(f => f.status)")
    assert "error" not in fonts and "loaded" in fonts, fonts
    visit.page.close()


def serious(violations: list[dict]) -> list[str]:
    """One line per serious or critical violation: rule, impact, help, where."""
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_no_serious_accessibility_violation(visited, name, path) -> None:
    page = visited(name, path).page
    results = axe_playwright.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    found = serious(results.response["violations"])
    assert found == [], "axe-core:\n" + "\n".join(found)


@pytest.mark.parametrize(("name", "path"), PAGES)
def test_one_h1_and_no_heading_level_skipped(visited, name, path) -> None:
    levels = visited(name, path).page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1])"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == [], levels


@pytest.mark.parametrize(("name", "path"), [page for page in PAGES if page[0] == "default"])
def test_the_language_of_the_page_and_of_its_foreign_passages(visited, sites, name, path):
    page = visited(name, path).page
    assert page.evaluate("document.documentElement.lang") == "fr"
    source = lxml.html.parse(str(sites[name].folder / path.format(m="mesures")))
    written = [(e.tag, e.get("lang")) for e in source.xpath("//body//*[@lang]")]
    shown = page.evaluate(
        "[...document.querySelectorAll('body [lang]')].map(e => [e.localName, e.lang])"
    )
    assert [tuple(pair) for pair in shown] == written
    english = load_config(DEFAULT_CONTENT, "en").output
    link = page.locator(f"a[href$='{english}.pdf']")
    assert link.get_attribute("lang") == "en" and link.get_attribute("hreflang") == "en"


def test_a_new_english_project_says_so(visited) -> None:
    for path in ("index.html", "{m}/index.html"):
        assert visited("new", path).page.evaluate("document.documentElement.lang") == "en"


def plain_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def shown_numbers(page) -> tuple[list[int], list[int]]:
    """The numbers of the measures the table and the grid show."""
    rows = page.locator("table.measures-tool tbody tr:visible td.number").all_inner_texts()
    cells = page.locator("ol.recap-grid li:visible .recap-number").all_inner_texts()
    return [int(n) for n in rows], [int(n) for n in cells]


def test_the_filter_shows_what_the_data_says(browser, sites) -> None:
    site = sites["default"]
    status = next(s for s in STATUSES if s["label"] == "Non réalisée")
    wanted = [m["number"] for m in MEASURES if m["status"] == status["key"]]
    everything = [m["number"] for m in MEASURES]
    visit = open_page(browser, site.address("{m}/index.html"), site.url)
    page = visit.page
    expect(page.locator("#filters")).to_be_visible()
    page.select_option("#filter-status", label=f"Non réalisée ({len(wanted)})")
    assert shown_numbers(page) == (wanted, wanted)
    said = page.locator("#filter-count")
    expect(said).to_contain_text(f"{len(wanted)} mesures sur {len(everything)}")
    assert parse_qs(urlsplit(page.url).query) == {"status": [status["key"]]}

    page.reload()  # the address, shared or bookmarked, gives the same list
    expect(page.locator("#filter-status")).to_have_value(status["key"])
    assert shown_numbers(page) == (wanted, wanted)

    page.get_by_role("button", name="Tout afficher").click()
    expect(said).to_contain_text(f"{len(everything)} mesures sur {len(everything)}")
    assert shown_numbers(page) == (everything, everything)
    assert "status=" not in page.url

    word, number = next(
        (word, m["number"])
        for m in MEASURES
        for word in m.get("title", "").split()
        if plain_word(word) != word and len(word) > 5
    )
    page.fill("#filter-q", plain_word(word).lower())  # "journée" typed "journee"
    rows = page.locator("table.measures-tool tbody tr:visible")
    expect(rows).not_to_have_count(len(everything))
    assert number in shown_numbers(page)[0], word
    page.get_by_role("button", name="Tout afficher").click()
    expect(rows).to_have_count(len(everything))
    assert visit.errors == []
    page.close()


def test_the_tool_works_from_the_keyboard(browser, sites) -> None:
    site = sites["default"]
    page = open_page(browser, site.address("{m}/index.html"), site.url).page
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_class("skip-link")
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"], box
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    reached = []
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, style = getComputedStyle(e);
            return [e.name || e.type || e.localName, style.outlineStyle, style.boxShadow]; }"""
        )
        reached.append(focused[0])
        assert focused[1] != "none" or focused[2] != "none", f"{focused[0]}: no focus ring"
        if focused[0] == "reset":
            break
    assert [n for n in reached if n in ("status", "axis", "q", "reset")] == [
        "status",
        "axis",
        "q",
        "reset",
    ], reached
    page.close()


def in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top > -1 && r.top < innerHeight && r.bottom > 0; }"
    )


@pytest.mark.parametrize("path", ["{m}/index.html#mesure-12", "index.html#mesure-1"])
def test_a_deep_link_shows_its_measure(browser, sites, path) -> None:
    site = sites["default"]
    page = open_page(browser, site.address(path), site.url).page
    anchor = "#" + path.split("#")[1]
    assert in_view(page, anchor), page.evaluate("window.scrollY")
    page.close()


def test_a_measures_own_page(browser, sites) -> None:
    site = sites["default"]
    page = open_page(browser, site.address("{m}/12.html"), site.url).page
    expect(page.locator("h1")).to_contain_text("12")
    page.close()


def test_a_note_opens_in_place_and_escape_closes_it(browser, sites) -> None:
    site = sites["default"]
    page = open_page(browser, site.address("index.html"), site.url).page
    call = page.locator(".note-call").first
    note = page.locator("#" + call.get_attribute("popovertarget"))
    expect(note).to_be_hidden()
    call.click()
    expect(note).to_be_visible()
    assert len(note.inner_text().strip()) > 5
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    page.close()


@pytest.mark.parametrize("path", ["index.html", "{m}/index.html"])
def test_a_phone_never_scrolls_the_page_sideways(browser, sites, path) -> None:
    site = sites["default"]
    phone = {"width": 375, "height": 740}
    page = open_page(browser, site.address(path), site.url, viewport=phone).page
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= phone["width"] + 1
    page.close()
