"""One id, one element: a dossier's letter and its chapters share the document's anchors,
and the verification gate names any id given twice."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from support import Project
from test_editions import make_project


def ids_in(html: str) -> Counter[str]:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_a_letter_placing_a_measures_table_gives_each_measure_id_once(
    tmp_path: Path, monkeypatch, cli
) -> None:
    project = make_project(tmp_path / "project")
    letter = project / "letters" / "dossier.md"
    letter.write_text(letter.read_text(encoding="utf-8") + "\n{{ measures_table() }}\n")
    (project / "dossier" / "01-mesures.md").write_text(
        "---\ntitle: Vos mesures\n---\n\n{{ measures_table() }}\n\n{{ measure_cards() }}\n"
    )
    monkeypatch.chdir(tmp_path)
    run = cli("build", "project", "-o", "out", "--edition", "dossiers", "--strict")
    assert run.code == 0, run.err
    dossiers = sorted((tmp_path / "out").glob("dossier-*.html"))
    assert dossiers, run.err
    for dossier in dossiers:
        html = dossier.read_text(encoding="utf-8")
        repeated = {name: n for name, n in ids_in(html).items() if n > 1}
        assert repeated == {}, dossier.name
        # every measure's id is on its card (the target of [[M1]] links), not on a row
        measure_ids = {name for name in ids_in(html) if name.startswith("mesure-")}
        on_cards = set(re.findall(r'<article class="measure-card" id="([^"]+)"', html))
        assert measure_ids and measure_ids == on_cards, dossier.name


def test_the_gate_names_an_id_given_to_two_elements(project: Project, cli) -> None:
    project.append(
        "chapters/02-mesures.md",
        '\n<p id="encadre-chiffres">Un.</p>\n\n<p id="encadre-chiffres">Deux.</p>\n',
    )
    run = cli("build", "p", "-o", "out", "--strict")
    assert run.code == 1
    assert (
        "warning: verification: the id 'encadre-chiffres' is given to 2 elements, so links "
        "to it are ambiguous: place each block (measure table, cards, recommendations) once, "
        "or rename a heading's {#id}"
    ) in run.lines
    assert not (project.root.parent / "out" / "essai.pdf").exists()


# --- every run of text reaches the PDF -------------------------------------------------


def test_text_hidden_or_lost_in_the_layout_is_named_with_its_chapter(project: Project, cli) -> None:
    project.append("chapters/02-mesures.md", '<p style="display: none">Un passage caché.</p>\n')
    run = cli("build", "p", "-o", "out")
    assert run.code == 0
    assert run.warnings == [
        "warning: verification: chapter 'État des mesures': text missing from the PDF: "
        "«Un passage caché.» (lost in the layout, or hidden by a stylesheet: check the HTML "
        "around it)"
    ]
