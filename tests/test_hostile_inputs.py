"""Broken and hostile inputs: each is one located line and exit 1, never a traceback, and
the previous PDF stays as it was; valid but unusual inputs build with all their text."""

from __future__ import annotations

import pdfplumber
import pytest
from support import Project

LAUGHS = "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]\n" for i in range(1, 10)
)


@pytest.fixture
def previous_pdf(project: Project, cli) -> bytes:
    assert cli("build", "p", "-o", "out").code == 0
    return (project.root.parent / "out" / "essai.pdf").read_bytes()


def fails_cleanly(project: Project, cli, previous: bytes) -> list[str]:
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert (project.root.parent / "out" / "essai.pdf").read_bytes() == previous
    return [line for line in run.problems if not line.startswith("Build failed")]


def test_a_billion_laughs_is_refused_at_once(project: Project, cli, previous_pdf) -> None:
    project.write("data/rires.yaml", LAUGHS)
    assert fails_cleanly(project, cli, previous_pdf) == [
        "p/data/rires.yaml:2: the YAML aliases (*name) of this file expand to more than "
        "1,000,000 values; write the values out instead of repeating aliases of aliases"
    ]


def test_aliases_of_reasonable_size_still_work(project: Project, cli) -> None:
    project.replace("data/plan.yaml", "bodies:", "x-shared: &shared [a]\nbodies:")
    assert "'x-shared' is not a known section" in cli("check", "p").err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "deep.yaml",
            "a: " + "[" * 5000 + "]" * 5000 + "\n",
            "p/data/deep.yaml:1: the YAML is nested more than 64 levels deep; flatten it",
        ),
        (
            "ctrl.yaml",
            "measures:\n  - number: 1\x07\n",
            "p/data/ctrl.yaml:2: the character U+0007 is not allowed in YAML; remove it",
        ),
        (
            "key.yaml",
            "? [a, b]\n: c\n",
            "p/data/key.yaml:1: a key must be plain text, not a list or mapping; put it in quotes "
            "if it starts with '[' or '{'",
        ),
    ],
    ids=["deep nesting", "control character", "complex key"],
)
def test_malformed_yaml_is_one_line(
    project: Project, cli, previous_pdf, name: str, text: str, message: str
) -> None:
    project.write(f"data/{name}", text)
    assert fails_cleanly(project, cli, previous_pdf) == [message]


def test_a_huge_file_is_refused_before_it_is_read(project: Project, cli, previous_pdf) -> None:
    with project.path("chapters/03-enorme.md").open("wb") as big:
        big.truncate(11_000_000)
    assert fails_cleanly(project, cli, previous_pdf) == [
        "p/chapters/03-enorme.md: the file is 11 MB, over the limit of 10 MB for a text or "
        "data file; split it or remove what is not text"
    ]


def test_html_nested_thousands_deep_is_one_line(project: Project, cli, previous_pdf) -> None:
    project.append("chapters/01-synthese.md", "<div>" * 3000 + "profond" + "</div>" * 3000)
    assert fails_cleanly(project, cli, previous_pdf) == [
        "p/chapters/01-synthese.md: the HTML of this text nests elements 3000 levels deep, "
        "over the limit of 60; simplify it"
    ]


def test_a_chapter_saved_with_a_byte_order_mark_keeps_its_title(project: Project, cli) -> None:
    chapter = project.path("chapters/01-synthese.md")
    chapter.write_bytes(b"\xef\xbb\xbf" + chapter.read_bytes())
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    assert '<h1 class="chapter-title" data-running="Synthèse">Synthèse</h1>' in (
        project.root.parent / "out" / "essai.html"
    ).read_text(encoding="utf-8")


def test_comments_attributes_and_scripts_in_a_chapter(project: Project, cli) -> None:
    project.append(
        "chapters/01-synthese.md",
        "Avant <!-- TODO : vérifier -> source --> le commentaire.\n\n"
        '<span title="a > b">Texte gardé</span> malgré le chevron.\n\n'
        '<p onclick="alert(1)">Un paragraphe<script>alert(2)</script> sans script.</p>\n\n'
        '<a href="javascript:alert(3)">lien piégé</a>\n\n<div class="ouvert">Jamais fermé\n',
    )
    project.append("chapters/02-mesures.md", "Dernière phrase du rapport.\n")
    run = cli("build", "p", "-o", "out", "--strict")
    assert run.code == 0, run.err
    html = (project.root.parent / "out" / "essai.html").read_text(encoding="utf-8")
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    with pdfplumber.open(project.root.parent / "out" / "essai.pdf") as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
    for kept in (
        "le commentaire",
        "Texte gardé malgré",
        "sans script",
        "lien piégé",
        "Jamais fermé",
        "Dernière phrase du rapport",
    ):
        assert kept in " ".join(text.split()), kept


def test_an_unclosed_comment_stays_inside_its_chapter(project: Project, cli) -> None:
    project.append("chapters/01-synthese.md", "Avant.\n\n<!-- jamais fermé\n\nCaché.\n")
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    assert run.warnings == []  # the next chapter, its measures and their anchors are there
    with pdfplumber.open(project.root.parent / "out" / "essai.pdf") as pdf:
        text = " ".join((page.extract_text() or "") for page in pdf.pages)
    assert "État des mesures" in text
