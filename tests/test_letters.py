"""A dossier's cover letter, as a minister's office expects one.

A fictional project (the sample's editions, with a letterhead, an addressee's title and
address, a subject and a salutation in its data) is built once, for the screen and with
``--print``, and its PDFs are read:

* the letterhead, place and date, addressee block, subject and salutation come from
  the data, in the places French correspondence puts them;
* no line of the letterhead, the address blocks or the signatures ends with a hyphen
  added by hyphenation (and the check does find one when hyphenation is allowed);
* in print, the letter, the cover and the chapters open on right-hand (odd) pages; the
  screen PDF has no blank page;
* no dossier and no letter go to a body closed before the report's date.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pdfplumber
import pytest
from support import Project, pdf_images, reset_logging, write_png
from test_editions import make_project

from report.app.build import BuildOptions, prepare
from report.app.cli import main
from report.errors import ConfigError

MM = 72 / 25.4  # PDF points in a millimetre
RIGHT_COLUMN = (24 + 85) * MM  # the left margin, then the column's indent
LETTER = """address: |
  12, rue de l'Exemple
  69001 Lyon
theme:
  logo: images/logo.png
letter:
  place: Lyon
  subject: "Évaluation du plan fictif : le dossier de {short}"
  enclosure: un dossier
  signatories:
    - name: Jeanne Test
      role: ROLE
""".replace(
    "ROLE",
    "Coordinatrice des Interministérialités transversales et de la Déconcentration administrative",
)
ADDRESSEE = """    short: MFA
    addressee: |
      Madame Jeanne Fictive
      TITLE
    address: |
      Hôtel de l'Administration
      1, place de la Préfecture
      75007 Paris
    salutation: Madame la Ministre,
""".replace(
    "TITLE",
    "Ministre chargée de la Déconcentration administrative et des "
    "Interministérialités transversales",
)
# Texts whose lines may wrap inside a block: none holds a hyphen of its own.
LONG_TEXTS = ("Interministérialités", "Déconcentration", "administrative", "transversales")


def make_letter_project(folder: Path) -> Path:
    """The editions' sample project, with everything a letter can take from the data."""
    project = make_project(folder)
    config = project / "report.yaml"
    text = config.read_text(encoding="utf-8")
    start = text.index("letter:\n")
    end = text.index("editions:\n")
    config.write_text(text[:start] + LETTER + text[end:], encoding="utf-8")
    plan = project / "data" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("    short: MFA\n", ADDRESSEE), encoding="utf-8"
    )
    write_png(project / "images" / "logo.png", 31, 17)
    return project


def build(project: Path, out: Path, *options: str) -> str:
    stderr = io.StringIO()
    capture = pytest.MonkeyPatch()
    capture.setattr(sys, "stderr", stderr)
    try:
        code = main(["build", str(project), "-o", str(out), "--edition", "dossiers", *options])
    finally:
        capture.undo()
        reset_logging()
    assert code == 0, stderr.getvalue()
    return stderr.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("letters")
    project = make_letter_project(root / "project")
    build(project, root / "out")
    build(project, root / "out", "--print")
    return root / "out"


def lines(page, left: float = 0, right: float | None = None, below: float = 0) -> list[dict]:
    """The text lines of a region of the page, top to bottom (a column is cut apart so
    that lines of two columns at the same height stay two lines)."""
    region = page.crop((left, below, right or page.width, page.height))
    return region.extract_text_lines()


def first_line(page, text: str) -> dict:
    return next(line for line in page.extract_text_lines() if text in line["text"])


def block_lines(page) -> list[dict]:
    """The lines of the blocks that must never be hyphenated: the letterhead (the left
    column above the subject), and the right column (date, addressee, signatories)."""
    subject = first_line(page, "Objet")
    left = [line for line in lines(page, right=RIGHT_COLUMN - 2) if line["top"] < subject["top"]]
    return left + lines(page, left=RIGHT_COLUMN - 2)


def hyphenated(block: list[dict]) -> list[str]:
    return [line["text"] for line in block if line["text"].rstrip().endswith(("-", "\u2010"))]


# --- what the letter says, and where ----------------------------------------------------


def test_the_letterhead_comes_from_the_settings(built: Path) -> None:
    pdf = built / "dossier-min-a.pdf"
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        head = [line["text"] for line in lines(page, right=RIGHT_COLUMN - 2)][:4]
        logo = page.images[0]
    assert head == [
        "Collectif d’essai",
        "12, rue de l’Exemple",
        "69001 Lyon",
        "contact@example.org",
    ]
    assert (31, 17) in pdf_images(pdf)
    assert logo["top"] < first_line(page, "Collectif")["top"], "the logo heads the letterhead"


def test_place_date_and_addressee_block_stand_in_the_right_column(built: Path) -> None:
    with pdfplumber.open(built / "dossier-min-a.pdf") as document:
        page = document.pages[0]
        right = [line["text"] for line in lines(page, left=RIGHT_COLUMN - 2)]
        date = first_line(page, "Lyon, le")
    assert right[0] == "Lyon, le 18 février 2023"
    assert date["top"] < first_line(page, "Collectif")["top"] + 2, "at the top, right"
    block = " ".join(right[1 : right.index("75007 Paris") + 1])
    assert block == (
        "Madame Jeanne Fictive Ministre chargée de la Déconcentration administrative et des "
        "Interministérialités transversales Hôtel de l’Administration 1, place de la "
        "Préfecture 75007 Paris"
    )
    assert "Ministère fictif A" not in right, "the addressee's title replaces the body's name"


def test_subject_and_enclosure_come_before_the_salutation(built: Path) -> None:
    with pdfplumber.open(built / "dossier-min-a.pdf") as document:
        page = document.pages[0]
        subject = first_line(page, "Objet")
        enclosure = first_line(page, "P.")
        salutation = first_line(page, "Madame la Ministre,")
        addressee = first_line(page, "75007 Paris")
    assert subject["text"] == "Objet : Évaluation du plan fictif : le dossier de MFA"
    assert enclosure["text"].replace("\u202f", " ") == "P. J. : un dossier"
    assert addressee["top"] < subject["top"] < enclosure["top"] < salutation["top"]
    assert salutation["x0"] < RIGHT_COLUMN / 2, "the salutation starts at the left margin"


def test_a_body_without_addressee_gets_its_name_and_the_neutral_salutation(built: Path) -> None:
    with pdfplumber.open(built / "dossier-agence.pdf") as document:
        page = document.pages[0]
        right = [line["text"] for line in lines(page, left=RIGHT_COLUMN - 2)]
        text = page.extract_text()
    assert right[:2] == ["Lyon, le 18 février 2023", "Agence fictive"]
    assert "Objet : Évaluation du plan fictif : le dossier de Agence fictive" in text
    assert "Madame, Monsieur," in text


# --- no hyphenation in the blocks --------------------------------------------------------


def test_no_line_of_the_letter_s_blocks_ends_with_a_hyphen(built: Path) -> None:
    with pdfplumber.open(built / "dossier-min-a.pdf") as document:
        block = block_lines(document.pages[0])
    texts = " ".join(line["text"] for line in block)
    assert all(word in texts for word in LONG_TEXTS), "the long texts are in the blocks"
    assert len(block) >= 12, "the addressee's title and the role wrap over several lines"
    assert hyphenated(block) == []


def test_the_hyphen_check_finds_a_hyphenated_block(tmp_path: Path) -> None:
    """Allowed to hyphenate, the same blocks do break a word: the check above can fail."""
    project = make_letter_project(tmp_path / "project")
    (project / "styles").mkdir()
    (project / "styles" / "hyphens.css").write_text(
        ".letterhead, .letter-addressee, .letter-signatories { hyphens: auto !important; }\n",
        encoding="utf-8",
    )
    build(project, tmp_path / "out")
    with pdfplumber.open(tmp_path / "out" / "dossier-min-a.pdf") as document:
        assert hyphenated(block_lines(document.pages[0]))


# --- pages: right-hand openings in print, no blank page on screen ------------------------


def blank_pages(pdf: Path) -> list[int]:
    with pdfplumber.open(pdf) as document:
        return [
            number
            for number, page in enumerate(document.pages, start=1)
            if not page.chars and not page.images
        ]


MARKS = {"letter": "Madame la Ministre,", "cover": "Dossier à l’attention de"}


def opening_pages(pdf: Path, marks: dict[str, str] | None = None) -> dict[str, int]:
    """The page where the letter, the cover and the first chapter start (each found by a
    text it holds)."""
    marks = marks or {**MARKS, "chapter": "Vos mesures"}
    found: dict[str, int] = {}
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            text = page.extract_text() or ""
            for part, mark in marks.items():
                if mark in text:
                    found.setdefault(part, number)
    return found


def test_in_print_the_letter_the_cover_and_the_chapters_open_on_right_hand_pages(
    built: Path,
) -> None:
    pages = opening_pages(built / "dossier-min-a-print.pdf")
    assert set(pages) == {"letter", "cover", "chapter"}
    assert all(number % 2 == 1 for number in pages.values()), pages
    assert pages["letter"] < pages["cover"] < pages["chapter"]
    assert blank_pages(built / "dossier-min-a-print.pdf"), "a one-page letter needs a blank"


def test_the_screen_pdf_of_a_dossier_has_no_blank_page(built: Path) -> None:
    for name in ("dossier-min-a.pdf", "dossier-agence.pdf"):
        assert blank_pages(built / name) == [], name
    assert opening_pages(built / "dossier-min-a.pdf") == {"letter": 1, "cover": 2, "chapter": 3}


# --- no letter to a body closed before the report's date --------------------------------


def test_no_letter_to_a_dissolved_body(project: Project, cli) -> None:
    """The agency was dissolved before the report's date (2023-02-18): ``--all`` plans no
    dossier for it and says so, and a dossier asked for by name is refused."""
    for name, text in (
        ("letters/dossier.md", "Voici vos mesures.\n"),
        ("dossier/01-mesures.md", "---\ntitle: Vos mesures\n---\n\n{{ measure_cards() }}\n"),
    ):
        project.write(name, text)
    project.append("report.yaml", "editions:\n  dossiers:\n    kind: dossier\n")
    project.replace(
        "data/plan.yaml",
        "    name: Agence fictive\n",
        "    name: Agence fictive\n    until: 2022-06-30\n    successor: min-a\n",
    )
    run = cli("build", "p", "-o", "out", "--edition", "dossiers")
    assert run.code == 0, run.err
    assert (
        "note: edition dossiers: no dossier nor letter for Agence fictive: it closed on "
        "2022-06-30, before the report's date (2023-02-18); its successor is MFA"
    ) in run.err
    built = sorted(path.name for path in (project.root.parent / "out").glob("*.pdf"))
    assert built == ["essai-min-a.pdf"]
    with pytest.raises(ConfigError) as refused:
        prepare(Path("p"), Path("cache"), BuildOptions(edition="dossiers", body="agence"))
    assert str(refused.value.problems[0]) == (
        "p/data: bodies.agence: no dossier nor letter for Agence fictive: it closed on "
        "2022-06-30, before the report's date (2023-02-18); its successor is MFA"
    )


# --- mistakes -----------------------------------------------------------------------------


def test_an_unknown_placeholder_in_the_subject_is_one_located_line(project: Project, cli) -> None:
    line = project.append("report.yaml", "letter:\n  subject: Le dossier de {nmae}\n") + 1
    run = cli("check", "p")
    assert run.code == 1
    assert run.lines[0] == (
        f"p/report.yaml:{line}: letter.subject: '{{nmae}}' is not a placeholder of a letter "
        "(allowed: {name}, {short}; did you mean 'name'?)"
    )
