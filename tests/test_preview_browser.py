"""``report serve`` seen in a real browser: headless Chromium (Debian's ``chromium``
package, driven by Playwright for Python through ``executable_path``; Playwright's own
browser download is never needed).

One server on a copy of the sample project serves the module. The page must follow the
author's saves without a manual reload and keep the reader's place, show a problem as the
one located line the command line prints, and recover on the next good save. Requests for
files outside the content folder are refused.
"""

from __future__ import annotations

import http.client
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from running import Running
from support import SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason="needs Debian's chromium (/usr/bin/chromium: apt-get install chromium; setup.sh)",
)
CHAPTER = "p/chapters/01-synthese.md"
WAIT_MS = 10_000  # an update takes well under a second; this only bounds a failure


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Path]]:
    """``report serve p -o p/build`` from a temporary folder holding a copy of the sample:
    the output folder inside the content folder, as an author may put it."""
    folder = tmp_path_factory.mktemp("serve")
    shutil.copytree(SAMPLE, folder / "p")
    server = Running(["serve", "p", "-o", "p/build"], folder)
    try:
        server.url()
        yield server, folder
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(served: tuple[Running, Path]) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield chromium
        finally:
            chromium.close()


def test_the_page_follows_saves_and_shows_problems_in_place(served, browser) -> None:
    server, folder = served
    chapter = folder / CHAPTER
    original = chapter.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(server.url())
    expect = sync_api.expect
    expect(page.locator("#synthese")).to_contain_text("Ce rapport est un exemple")
    page.evaluate("window.scrollTo(0, 1200)")
    page.wait_for_function("window.scrollY === 1200")
    page.evaluate("window.sameDocument = true")

    chapter.write_text(original + "\nUne phrase écrite maintenant.\n", encoding="utf-8")
    expect(page.locator("#synthese")).to_contain_text("écrite maintenant", timeout=WAIT_MS)
    assert page.evaluate("window.sameDocument"), "updated in place, not reloaded"
    assert page.evaluate("window.scrollY") == 1200  # the reader's place is kept

    broken = original.replace("{{ figures.total }}", "{{ figures.totl }}")
    line = original[: original.index("{{ figures.total }}")].count("\n") + 1
    chapter.write_text(broken, encoding="utf-8")
    problem = page.locator(".preview-problems li")
    expect(problem).to_have_count(1, timeout=WAIT_MS)
    shown = problem.inner_text()
    assert shown.startswith(f"{CHAPTER}:{line}: expression failed: ")
    assert "figures.totl" in shown or "totl" in shown
    assert shown in server.lines, "the page shows the line the terminal prints"
    expect(page.locator("#synthese")).to_contain_text("écrite maintenant")  # last good

    chapter.write_text(original + "\nLa suite corrigée.\n", encoding="utf-8")
    expect(page.locator("#synthese")).to_contain_text("La suite corrigée", timeout=WAIT_MS)
    expect(page.locator(".preview-problems")).to_have_count(0)
    page.close()


def test_the_page_is_the_documents_html_with_the_reports_stylesheets(served, browser) -> None:
    server, folder = served
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(server.url())
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert [urlsplit(sheet).path for sheet in sheets] == [
        "/_preview/styles/report.css",
        "/_preview/styles/preview.css",
    ]
    assert page.locator("figure.chart img").count() == 1  # the chart, embedded
    assert page.evaluate("document.querySelector('figure.chart img').naturalWidth") > 0
    title = page.locator("#synthese .chapter-title")
    page.evaluate("window.scrollTo(0, 900)")

    styles = folder / "p" / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "maison.css").write_text(".chapter-title { color: rgb(1, 2, 3); }\n")
    sync_api.expect(title).to_have_css("color", "rgb(1, 2, 3)", timeout=WAIT_MS)
    assert page.evaluate("window.scrollY") == 900  # reloaded, and put back in place
    (styles / "maison.css").unlink()
    sync_api.expect(title).not_to_have_css("color", "rgb(1, 2, 3)", timeout=WAIT_MS)
    page.close()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/../../etc/passwd", 403),
        ("/%2e%2e/%2e%2e/etc/passwd", 403),
        ("//etc/passwd", 404),
        ("/escape.txt", 403),  # a link out of the content folder
        ("/_preview/styles/../../pyproject.toml", 403),
        ("/.hidden", 404),
        ("/build/essai.html", 404),  # the output folder, inside the content folder
        ("/report.yaml", 200),
        ("/_preview/styles/report.css", 200),
    ],
)
def test_only_the_content_folder_and_the_styles_are_served(served, path, status) -> None:
    server, folder = served
    secret = folder / "secret.txt"
    secret.write_text("not for the browser\n", encoding="utf-8")
    escape = folder / "p" / "escape.txt"
    if not escape.is_symlink():
        escape.symlink_to(secret)
    (folder / "p" / ".hidden").write_text("hidden\n", encoding="utf-8")
    address = urlsplit(server.url())
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", path)  # as written: no client tidies the '..' away
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    assert answer.status == status, body
    assert b"not for the browser" not in body
