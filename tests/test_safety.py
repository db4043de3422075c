"""WeasyPrint may only read files inside the content folder and styles/: never the network,
never an absolute path, never a ``../`` or symlink escape. A refused URL is one warning
naming it (and, for Markdown images, the chapter and line); ``--strict`` makes it fatal.

One unsafe project is built once for the module: it holds every kind of refused image plus
one allowed image, whose size (3x2 pixels) is the only raster image the PDF may contain.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import SUMMARY, Project, Run, copy_sample, pdf_images, run_main, write_png

REFUSED_LOCAL = (
    "only files inside the content folder may be used (no network, no absolute "
    "paths); copy the file into images/"
)
REFUSED_RENDER = (
    "only files inside the content folder and styles may be used; copy the "
    "file into the content folder"
)
UNSAFE_BLOCK = """\
![passwd](file:///etc/passwd)

![web](https://example.org/tracker.png)

![link](../images/link.png)

![ok](../images/ok.png)

Une note[^img].

[^img]: Voir ![note](https://example.org/note.png)

<img src="../../outside.png" alt="outside">

<img src="https://example.org/raw.png" alt="raw">

<img src="file:///etc/passwd" alt="rawpasswd">

Le plan comptait"""


class Unsafe:
    """The built unsafe project and what the build printed."""

    def __init__(self, root: Path, run: Run, lines: dict[str, int]) -> None:
        self.root, self.run, self.lines = root, run, lines
        self.html = (root / "out" / "essai.html").read_text(encoding="utf-8")
        self.pdf = root / "out" / "essai.pdf"


@pytest.fixture(scope="module")
def unsafe(tmp_path_factory: pytest.TempPathFactory) -> Unsafe:
    site = tmp_path_factory.mktemp("safety") / "site"
    project = Project(copy_sample(site / "p"), "p")
    write_png(site.parent / "outside.png", 7, 5)  # ../../outside.png from p/
    write_png(site / "outside-css.png", 9, 4)  # ../../outside-css.png from p/styles
    write_png(site / "outside-link.png", 6, 6)
    write_png(project.path("images/ok.png"), 3, 2)
    project.path("images/link.png").symlink_to(site / "outside-link.png")
    project.write("styles/extra.css", ".cover { background: url(../../outside-css.png); }\n")
    first = project.replace("chapters/01-synthese.md", "Le plan comptait", UNSAFE_BLOCK)
    lines = {name: first + index * 2 for index, name in enumerate(["passwd", "web", "link"])}
    lines["note"] = project.line_of("chapters/01-synthese.md", "[^img]: Voir")
    run = run_main(["build", "p", "-o", "out"], cwd=site)
    assert run.code == 0, run.err
    return Unsafe(site, run, lines)


def test_markdown_file_url_is_refused_with_file_and_line(unsafe: Unsafe) -> None:
    line = unsafe.lines["passwd"]
    assert (
        f"warning: p/chapters/01-synthese.md:{line}: image 'file:///etc/passwd' refused: "
        f"{REFUSED_LOCAL}"
    ) in unsafe.run.lines


def test_markdown_https_image_is_refused_with_file_and_line(unsafe: Unsafe) -> None:
    line = unsafe.lines["web"]
    assert (
        f"warning: p/chapters/01-synthese.md:{line}: image "
        f"'https://example.org/tracker.png' refused: {REFUSED_LOCAL}"
    ) in unsafe.run.lines


def test_image_in_a_footnote_is_refused_too(unsafe: Unsafe) -> None:
    line = unsafe.lines["note"]
    assert (
        f"warning: p/chapters/01-synthese.md:{line}: image "
        f"'https://example.org/note.png' refused: {REFUSED_LOCAL}"
    ) in unsafe.run.lines


def test_symlink_escaping_the_content_folder_is_refused(unsafe: Unsafe) -> None:
    line = unsafe.lines["link"]
    assert (
        f"warning: p/chapters/01-synthese.md:{line}: image '../images/link.png' refused: "
        "it points outside the content folder; copy the file into images/"
    ) in unsafe.run.lines


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/raw.png",
        "OUTSIDE",
        "OUTSIDE_CSS",
    ],
)
def test_raw_html_and_css_urls_are_refused_at_render(unsafe: Unsafe, url: str) -> None:
    url = {
        "OUTSIDE": (unsafe.root.parent / "outside.png").as_uri(),
        "OUTSIDE_CSS": (unsafe.root / "outside-css.png").as_uri(),
    }.get(url, url)
    assert f"warning: refused to load '{url}': {REFUSED_RENDER}" in unsafe.run.lines


def test_each_refused_url_is_one_warning_and_the_summary_counts_them(unsafe: Unsafe) -> None:
    warnings = unsafe.run.warnings
    assert len(warnings) == 8, "\n".join(warnings)
    assert len(set(warnings)) == len(warnings)
    summary = SUMMARY.match(unsafe.run.lines[-1])
    assert summary and summary["warnings"] == "8"


def test_refused_markdown_images_have_no_src_in_the_html(unsafe: Unsafe) -> None:
    for alt in ("passwd", "web", "link", "note"):
        tags = re.findall(rf'<img [^>]*alt="{alt}"[^>]*>', unsafe.html)
        assert len(tags) == 1, alt
        assert "src=" not in tags[0]
        assert 'data-refused="true"' in tags[0]
    assert "tracker.png" not in unsafe.html
    assert "note.png" not in unsafe.html


def test_only_the_allowed_image_is_embedded_in_the_pdf(unsafe: Unsafe) -> None:
    [allowed] = re.findall(r'<img [^>]*alt="ok"[^>]*>', unsafe.html)
    assert 'src="images/ok.png"' in allowed
    assert pdf_images(unsafe.pdf) == [(3, 2)]
    assert b"root:" not in unsafe.pdf.read_bytes()


def test_strict_check_fails_on_a_refused_image(project: Project, cli) -> None:
    line = project.replace(
        "chapters/01-synthese.md",
        "Le plan comptait",
        "![x](file:///etc/passwd)\n\nLe plan comptait",
    )
    run = cli("check", "p", "--strict")
    assert run.code == 1
    assert run.warnings == [
        f"warning: p/chapters/01-synthese.md:{line}: image "
        f"'file:///etc/passwd' refused: {REFUSED_LOCAL}"
    ]
    assert re.fullmatch(r"Checked p: content is valid in \d+\.\d s \(1 warning\)", run.lines[-2])
    assert run.lines[-1] == "error: --strict: warnings count as errors; fix them or drop --strict"
    assert cli("check", "p").code == 0


def test_strict_build_fails_on_a_render_level_refusal(project: Project, cli) -> None:
    project.append("chapters/02-mesures.md", '<img src="https://example.org/x.png" alt="x">\n')
    run = cli("build", "p", "-o", "out", "--strict")
    assert run.code == 1
    assert run.warnings == [
        f"warning: refused to load 'https://example.org/x.png': {REFUSED_RENDER}"
    ]
    assert run.lines[-1].startswith("Build failed: 1 problem; nothing was written")
    assert not (project.root.parent / "out" / "essai.pdf").exists()


def test_refused_image_warning_path_is_relative_to_the_cwd(project: Project, cli) -> None:
    line = project.replace(
        "chapters/01-synthese.md",
        "Le plan comptait",
        "![x](file:///etc/passwd)\n\nLe plan comptait",
    )
    run = cli("check", str(project.root))
    assert run.warnings[0].startswith(f"warning: p/chapters/01-synthese.md:{line}: image ")
