"""Editions from one source: brief, dossiers, English edition, built in parallel."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from report.app.cli import main
from report.i18n.catalogue import catalogue
from report.sources.files import parse_yaml
from report.sources.translate import localize

SAMPLE = Path(__file__).parent / "samples" / "minimal"
EDITIONS = """
title_en: Test report
subtitle_en: A fictional evaluation
organisation_en: Test collective
contact: contact@example.org
letter:
  place: Lyon
  signatories:
    - name: Jeanne Test
      role: Coordinatrice
      role_en: Coordinator
editions:
  note:
    kind: brief
    chapters_dir: brief
    stylesheet: brief.css
    output: note
    max_pages: 2
  dossiers:
    kind: dossier
    chapters_dir: dossier
    output: dossier-{body}
  en:
    language: en
    chapters_dir: chapters-en
    output: report-en
"""
FILES = {
    "brief/01-note.md": "---\ntitle: Note\n---\n\nSur {{ figures.total }} mesures.\n\n"
    "{{ key_figures() }}\n\n{{ figure('tally') }}\n",
    "dossier/01-mesures.md": "---\ntitle: Vos mesures\n---\n\n{{ measure_cards() }}\n",
    "letters/dossier.md": "Voici les {{ data.measures | length }} mesures de {{ body.name }}.\n",
    "chapters-en/01-summary.md": "---\ntitle: Summary\n---\n\nOut of {{ figures.total }} "
    "measures.\n\n{{ key_figures() }}\n\n{{ recap() }}\n\n"
    "{{ measures_table() }}\n",
}


def make_project(folder: Path) -> Path:
    shutil.copytree(SAMPLE, folder)
    settings = folder / "report.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "  evaluator: Évaluateur fictif\n",
            "  evaluator: Évaluateur fictif\n  evaluator_en: Fictional evaluator\n",
        )
        + EDITIONS,
        encoding="utf-8",
    )
    for name, text in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    measures = folder / "data" / "measures.yaml"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace(
            "    title: Informer le public\n",
            "    title: Informer le public\n    title_en: Inform the public\n",
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    root = tmp_path_factory.mktemp("editions")
    project = make_project(root / "project")
    out = root / "out"
    capture = pytest.MonkeyPatch()
    import io
    import sys

    stderr = io.StringIO()
    capture.setattr(sys, "stderr", stderr)
    try:
        code = main(["build", str(project), "-o", str(out), "--all"])
    finally:
        capture.undo()
    return out, code, stderr.getvalue()


def text_of(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def pages_of(pdf: Path) -> int:
    with pdfplumber.open(pdf) as document:
        return len(document.pages)


def test_all_builds_every_edition_and_prints_a_table(built: tuple[Path, int, str]) -> None:
    out, code, stderr = built
    assert code == 0, stderr
    assert sorted(path.name for path in out.glob("*.pdf")) == [
        "dossier-agence.pdf",
        "dossier-min-a.pdf",
        "essai.pdf",
        "note.pdf",
        "report-en.pdf",
    ]
    lines = stderr.splitlines()
    header = next(line for line in lines if line.startswith("edition"))
    assert header.split() == ["edition", "file", "pages", "seconds", "warnings"]
    assert any(line.startswith("dossiers:min-a") for line in lines)
    assert "Built 5 of 5 PDFs" in lines[-1]


def test_dossier_holds_only_its_bodys_measures(built: tuple[Path, int, str]) -> None:
    out = built[0]
    ministry = text_of(out / "dossier-min-a.pdf")
    agency = text_of(out / "dossier-agence.pdf")
    assert "Voici les 2 mesures de Ministère fictif A." in ministry
    assert "Créer un site dédié" in ministry and "Informer le public" in ministry
    assert "Voici les 1 mesures de Agence fictive." in agency
    assert "Créer un site dédié" not in agency


def test_dossier_opens_with_the_letter(built: tuple[Path, int, str]) -> None:
    with pdfplumber.open(built[0] / "dossier-min-a.pdf") as document:
        first = document.pages[0].extract_text()
    assert "Ministère fictif A" in first
    assert "Lyon, le 18 février 2023" in first
    assert "Madame, Monsieur," in first and "Jeanne Test" in first


def test_body_with_nothing_gets_no_dossier_and_the_build_says_so(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    plan = project / "data" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "    name: Agence fictive\n",
            "    name: Agence fictive\n  - key: oublie\n    name: Office oublié\n",
        ),
        encoding="utf-8",
    )
    assert main(["build", str(project), "-o", str(tmp_path / "out"), "--all"]) == 0
    assert "no dossier for Office oublié" in capsys.readouterr().err
    assert not (tmp_path / "out" / "dossier-oublie.pdf").exists()


def test_english_edition_shows_no_french_label(built: tuple[Path, int, str]) -> None:
    text = text_of(built[0] / "report-en.pdf")
    assert "Inform the public" in text
    french_only = {
        value
        for key, value in catalogue("fr").messages.items()
        if value != catalogue("en").messages[key] and len(value) > 3
    }
    for label in french_only:
        assert label not in text, label
    assert "Contents" in text and "Legend" in text


def test_figures_are_the_same_in_every_edition(built: tuple[Path, int, str]) -> None:
    out = built[0]
    for name in ("essai.pdf", "note.pdf", "report-en.pdf"):
        text = "".join(
            subprocess.run(
                ["pdftotext", str(out / name), "-"], check=True, capture_output=True, text=True
            ).stdout.split()
        )
        for figure in ("1/4", "2/4"):
            assert figure in text, (name, figure)


def test_brief_stays_within_its_page_limit(built: tuple[Path, int, str]) -> None:
    assert pages_of(built[0] / "note.pdf") <= 2


def test_a_failed_edition_does_not_stop_the_others(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    shutil.rmtree(project / "chapters-en")
    assert main(["build", str(project), "-o", str(tmp_path / "out"), "--all"]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "Built 4 of 5 PDFs" in err and "1 failed)" in err
    assert (tmp_path / "out" / "note.pdf").exists()


def test_one_edition_by_name(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    assert main(["build", str(project), "-o", str(tmp_path / "out"), "--edition", "note"]) == 0
    assert [path.name for path in (tmp_path / "out").glob("*.pdf")] == ["note.pdf"]
    assert main(["build", str(project), "--edition", "nope"]) == 1
    err = capsys.readouterr().err
    assert "'nope' is not a known edition (allowed: report, note, dossiers, en" in err


def test_translations_are_taken_and_missing_ones_listed() -> None:
    raw = parse_yaml(
        "measures:\n  - title: Créer\n    title_en: Create\n    comment: Rien\n"
        "letter:\n  signatories:\n    - name: Jeanne\n",
        Path("m.yaml"),
    )
    missing: list[str] = []
    english = localize(raw, "en", "fr", missing)
    assert english["measures"][0] == {"title": "Create", "comment": "Rien"}
    assert missing == ["m.yaml:4 measures[0].comment"]
    french = localize(raw, "fr", "fr", missing := [])
    assert french["measures"][0]["title"] == "Créer" and "title_en" not in french["measures"][0]
    assert missing == []


def test_missing_translations_are_one_warning(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    assert main(["build", str(project), "-o", str(tmp_path / "out"), "--edition", "en"]) == 0
    warnings = [
        line for line in capsys.readouterr().err.splitlines() if "no 'en' translation" in line
    ]
    assert len(warnings) == 2, "one warning for report.yaml, one for the data files"
    assert "11 texts have no 'en' translation" in warnings[-1], "URLs are not texts"
    assert "measures[0].comment" in warnings[-1]
    assert "measures[0].title" not in warnings[-1], "the title is translated"


def test_a_dossier_edition_alone_builds_one_pdf_per_body(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    out = tmp_path / "out"
    assert main(["build", str(project), "-o", str(out), "--edition", "dossiers"]) == 0
    assert sorted(path.name for path in out.glob("*.pdf")) == [
        "dossier-agence.pdf",
        "dossier-min-a.pdf",
    ]


def test_all_and_edition_together_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["build", str(SAMPLE), "--all", "--edition", "note"]) == 2
    assert "--all covers every edition" in capsys.readouterr().err


def test_edition_filters_must_name_known_keys(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    config = project / "report.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "    max_pages: 2\n", "    max_pages: 2\n    axes: [zz]\n"
        ),
        encoding="utf-8",
    )
    assert main(["build", str(project), "-o", str(tmp_path / "out"), "--edition", "note"]) == 1
    assert (
        "editions.note.axes: 'zz' is not a known axis (allowed: a1, a2)" in capsys.readouterr().err
    )


def test_publisher_can_opt_out_of_dossiers(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    plan = project / "data" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "    name: Agence fictive\n", "    name: Agence fictive\n    dossier: false\n"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["build", str(project), "-o", str(out), "--edition", "dossiers"]) == 0
    assert [path.name for path in out.glob("*.pdf")] == ["dossier-min-a.pdf"]


def test_check_covers_every_edition_and_names_it(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    chapter = project / "chapters-en" / "01-summary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n{{ totl }}\n", encoding="utf-8")
    assert main(["check", str(project)]) == 1
    err = capsys.readouterr().err
    assert "01-summary.md:" in err and "'totl' is undefined" in err
    assert err.count("(edition en)") == 1


def test_a_problem_shared_by_editions_is_listed_once(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path / "project")
    letter = project / "letters" / "dossier.md"
    letter.write_text("{{ body.nom }}\n", encoding="utf-8")
    assert main(["check", str(project)]) == 1
    lines = [
        line
        for line in capsys.readouterr().err.splitlines()
        if "body.nom" in line or "'nom'" in line
    ]
    assert len(lines) == 1
    assert lines[0].endswith("(editions dossiers:min-a, dossiers:agence)")


def test_an_edition_with_its_own_folder_does_not_take_the_report_s_chapter_list(
    tmp_path: Path, capsys
) -> None:
    project = make_project(tmp_path / "project")
    with (project / "report.yaml").open("a", encoding="utf-8") as config:
        config.write("chapters: [01-synthese.md, 02-mesures.md]\n")
    assert main(["check", str(project), "--edition", "en"]) == 0, capsys.readouterr().err
    # its own list, when given, is read from its own folder, and a wrong name says so
    text = (
        (project / "report.yaml")
        .read_text(encoding="utf-8")
        .replace("    output: report-en\n", "    output: report-en\n    chapters: [02-absent.md]\n")
    )
    (project / "report.yaml").write_text(text, encoding="utf-8")
    assert main(["check", str(project), "--edition", "en"]) == 1
    assert (
        "chapters-en/02-absent.md: not found in chapters-en/, although report.yaml lists it in "
        "its chapters; fix the name there or add the file"
    ) in capsys.readouterr().err
