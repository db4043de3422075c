"""One placement per document: each id given once, headings that avoid the ids templates
give, and the links and blocks a dossier's letter and chapters share.

No PDF is built: chapters and letters are converted with a small narrative, and the
assertions are the ids, links and HTML the page templates then receive.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import write_files

from report.compose.chapters import Narrative, load_chapters, load_letter, place_blocks
from report.compose.placement import Anchors, Placement
from report.sources.config import DEFAULT_STATUSES, Config
from report.sources.model import Axis, Measure, PlanData, Recommendation

CONFIG = Config(title="T", date=dt.date(2023, 1, 2))
AXIS = Axis(key="a")
PLAN = PlanData(
    axes=(AXIS,),
    measures=tuple(Measure(number=n, axis=AXIS, status=DEFAULT_STATUSES[0]) for n in (1, 2)),
    recommendations=(Recommendation(id="R1", text="Agir"),),
)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path("c")


def narrative(content: Path, **components) -> Narrative:
    return Narrative(
        variables={"total": 2},
        components=components,
        words=Config(title="T", date=dt.date(2023, 1, 2)).words,
        measures={m.number: m for m in PLAN.measures},
        recommendations={},
        content_dir=content,
        placement=Placement.for_plan(PLAN),
    )


# --- anchors ---------------------------------------------------------------------------


def test_a_measure_with_a_card_gets_its_id_on_the_card_even_after_a_table_row() -> None:
    anchors = Anchors()
    anchors.prefer(["mesure-1"])
    assert anchors.id_for("mesure-1", "row") == ""  # the card, later, takes it
    assert anchors.id_for("mesure-1", "card") == "mesure-1"
    assert anchors.id_for("mesure-1", "card") == ""  # a second card of the same measure


def test_without_a_card_the_first_element_showing_a_measure_gets_its_id() -> None:
    anchors = Anchors()
    assert anchors.id_for("mesure-2", "recap") == "mesure-2"
    assert anchors.id_for("mesure-2", "row") == ""
    assert anchors.id_for("recommandation-R1") == "recommandation-R1"
    assert anchors.id_for("recommandation-R1") == ""


def test_the_contents_measures_and_recommendations_ids_are_taken_from_the_start() -> None:
    assert Placement.for_plan(PLAN).taken_ids == {
        "sommaire",
        "couverture",
        "lettre",
        "mesure-1",
        "mesure-2",
        "recommandation-R1",
    }


# --- what the texts of one document share ----------------------------------------------


def test_headings_avoid_the_ids_of_templates_and_of_earlier_chapters(content: Path) -> None:
    write_files(
        content,
        {
            "chapters/01-a.md": "# A\n\n## Mesure 2\n\n## Bilan\n",
            "chapters/02-b.md": "# B\n\n## Bilan\n\n## Sommaire\n",
        },
    )
    document = narrative(content)
    first, second = load_chapters(content, CONFIG, document)
    assert first.html == '<h2 id="mesure-2-2">Mesure 2</h2>\n<h2 id="bilan">Bilan</h2>\n'
    assert second.html == '<h2 id="bilan-2">Bilan</h2>\n<h2 id="sommaire-2">Sommaire</h2>\n'
    assert {"mesure-2-2", "bilan", "bilan-2", "sommaire-2"} <= document.placement.taken_ids


def test_the_links_of_every_text_are_kept_in_reading_order(content: Path) -> None:
    write_files(
        content,
        {
            "letters/min.md": "Voir [le plan](https://plan.example).\n",
            "chapters/01-a.md": "# A\n\n[a](https://a.example) [local](#bilan)\n",
            "chapters/02-b.md": "# B\n\n[b](http://b.example)\n",
        },
    )
    document = narrative(content)
    load_letter(content / "letters" / "min.md", document)
    load_chapters(content, CONFIG, document)
    assert document.placement.links == [
        "https://plan.example",
        "https://a.example",
        "http://b.example",
    ]


def test_a_letter_is_read_like_a_chapter(content: Path) -> None:
    write_files(content, {"letters/min.md": "Madame,\n\n{{ total }} mesures, dont la [[M1]].\n"})
    html = load_letter(content / "letters" / "min.md", narrative(content))
    assert html == (
        '<p>Madame,</p>\n<p>2 mesures, dont la <span class="measure-ref" '
        'data-target="#mesure-1"><a href="#mesure-1" title="Mesure 1">mesure&nbsp;1</a>'
        "</span>.</p>\n"
    )


def test_blocks_are_drawn_once_every_text_is_read_letter_first(content: Path) -> None:
    drawn: list[str] = []

    def block(name: str):
        return lambda: drawn.append(name) or f"<div>{name}</div>"

    write_files(
        content,
        {
            "letters/min.md": "{{ block('lettre') }}\n",
            "chapters/01-a.md": "# A\n\n{{ block('a') }}\n",
        },
    )
    document = narrative(content, block=block)
    letter = load_letter(content / "letters" / "min.md", document)
    chapters = load_chapters(content, CONFIG, document)
    assert drawn == []
    placed, letter = place_blocks(document.placement, chapters, letter)
    assert drawn == ["lettre", "a"]
    assert (letter, placed[0].html) == ("<div>lettre</div>\n", "<div>a</div>\n")


def test_without_a_letter_the_letter_stays_empty(content: Path) -> None:
    write_files(content, {"chapters/01-a.md": "# A\n\nTexte.\n"})
    document = narrative(content)
    placed, letter = place_blocks(document.placement, load_chapters(content, CONFIG, document))
    assert letter == "" and placed[0].html == "<p>Texte.</p>\n"
