"""Data files: typed model, located messages, cross-file checks, the official tally."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from support import REPORT_YAML, write_files

from report.errors import DataError
from report.sources.config import load_config
from report.sources.model import PlanData
from report.sources.validate import compress_numbers, load_data

STATUSES = "réalisée, partiellement réalisée, non réalisée, non documentée"
PLAN = """\
axes:
  - key: a1
    number: 1
    title: Prévenir
  - key: a2
bodies:
  - key: min
    name: Ministère
    short: MIN
"""


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_files(tmp_path / "c", {"report.yaml": REPORT_YAML, "data/0-plan.yaml": PLAN})


def load(content: Path, **files: str) -> PlanData:
    write_files(content, {f"data/{name}.yaml": text for name, text in files.items()})
    return load_data(Path("c"), load_config(Path("c")))


def problems(content: Path, **files: str) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(content, **files)
    return [str(problem) for problem in caught.value.problems]


def measures(*rows: str) -> str:
    """``measures("1 a1 réalisée", ...)``: number, axis and status of each measure."""
    text = "measures:\n"
    for row in rows:
        number, axis, status = row.split(" ", 2)
        text += f"  - number: {number}\n    axis: {axis}\n    status: {status}\n"
    return text


# --- the typed model -------------------------------------------------------------------


def test_data_becomes_typed_frozen_objects(content: Path) -> None:
    data = load(content, m=measures("1 a1 réalisée", "2 a2 non documentée"))
    assert [m.number for m in data.measures] == [1, 2]
    assert data.axis_by_key["a1"].title == "Prévenir" and data.axis_by_key["a2"].title is None
    assert data.body_by_key["min"].label == "MIN"
    assert data.measure_by_number[2].anchor == "mesure-2"
    assert data.tally is None
    with pytest.raises(ValueError, match="frozen"):
        data.measures[0].status = "non réalisée"


def test_sections_may_be_split_across_files_in_name_order(content: Path) -> None:
    data = load(
        content,
        **{
            "b-more": measures("3 a1 réalisée"),
            "a-first": measures("1 a1 réalisée", "2 a2 réalisée"),
        },
    )
    assert [m.number for m in data.measures] == [1, 2, 3]


def test_no_data_folder_is_an_empty_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path / "c", {"report.yaml": REPORT_YAML})
    data = load_data(Path("c"), load_config(Path("c")))
    assert data.measures == () and data.tally is None


def test_empty_data_file_is_ignored(content: Path) -> None:
    assert load(content, empty="# nothing yet\n").measures == ()


# --- located messages ------------------------------------------------------------------


def test_status_typo_suggests_the_known_status(content: Path) -> None:
    assert problems(content, m=measures("1 a1 réalisée", "2 a1 realisee")) == [
        f"c/data/m.yaml:7: measures[1].status: 'realisee' is not a known status (allowed: "
        f"{STATUSES}; did you mean 'réalisée'?)"
    ]


def test_wrong_type_and_missing_field(content: Path) -> None:
    text = "measures:\n  - number: un\n    axis: a1\n    status: réalisée\n  - number: 2\n"
    assert problems(content, m=text) == [
        "c/data/m.yaml:2: measures[0].number: expected a whole number, got 'un'",
        "c/data/m.yaml:5: measures[1].axis: is required; add it",
        "c/data/m.yaml:5: measures[1].status: is required; add it",
    ]


def test_unknown_field_suggests_the_closest(content: Path) -> None:
    text = measures("1 a1 réalisée") + "    titre: Informer\n"
    [problem] = problems(content, m=text)
    assert problem.startswith(
        "c/data/m.yaml:5: measures[0].titre: unknown key 'titre' (allowed: "
        "number, axis, action, title, status, "
    )
    assert problem.endswith("; did you mean 'title'?)")


def test_unknown_section(content: Path) -> None:
    assert problems(content, m="mesures: []\n") == [
        "c/data/m.yaml:1: mesures: 'mesures' is not a known section (allowed: axes, assessors, "
        "actions, bodies, measures, recommendations, datasets, figures, tally, chronology; "
        "did you mean 'measures'?)"
    ]


def test_section_must_be_a_list(content: Path) -> None:
    assert problems(content, m="measures:\n  number: 1\n") == [
        "c/data/m.yaml:1: measures: expected a list (lines starting with '- ')"
    ]


def test_file_must_hold_sections(content: Path) -> None:
    assert problems(content, m="- 1\n- 2\n") == [
        "c/data/m.yaml:1: expected sections such as 'measures:' at the top"
    ]


def test_unknown_references_are_located(content: Path) -> None:
    text = measures("1 a3 réalisée") + "    lead: [min, mnistere]\n    action: x1\n"
    assert problems(content, m=text) == [
        "c/data/m.yaml:3: measures[0].axis: 'a3' is not a known axis (allowed: a1, a2)",
        "c/data/m.yaml:5: measures[0].lead[1]: 'mnistere' is not a known body (allowed: min)",
        "c/data/m.yaml:6: measures[0].action: 'x1' is not a known action (none is declared)",
    ]


def test_duplicate_measure_numbers_name_the_first(content: Path) -> None:
    assert problems(content, m=measures("1 a1 réalisée"), n=measures("1 a2 réalisée")) == [
        "c/data/n.yaml:2: measures[0].number: measure number 1 is already used (m.yaml:2); "
        "each must be unique"
    ]


def test_duplicate_keys_across_files(content: Path) -> None:
    [problem] = problems(content, more="actions:\n  - {key: x, axis: a1}\n  - {key: x, axis: a2}\n")
    assert problem == (
        "c/data/more.yaml:3: actions[1].key: action key 'x' is already used "
        "(more.yaml:2); each must be unique"
    )


def test_duplicate_axis_and_body_keys_are_named_in_english(content: Path) -> None:
    assert problems(content, more="axes:\n  - key: a1\nbodies:\n  - {key: min, name: M}\n") == [
        "c/data/more.yaml:2: axes[0].key: axis key 'a1' is already used (0-plan.yaml:2); "
        "each must be unique",
        "c/data/more.yaml:4: bodies[0].key: body key 'min' is already used (0-plan.yaml:7); "
        "each must be unique",
    ]


def test_recommendations_reference_bodies_and_measures(content: Path) -> None:
    text = measures("1 a1 réalisée") + (
        "recommendations:\n  - id: r1\n    text: Agir\n    addressees: [min, zz]\n"
        "    measures: [1, 9]\n"
    )
    assert problems(content, m=text) == [
        "c/data/m.yaml:8: recommendations[0].addressees[1]: 'zz' is not a known body "
        "(allowed: min)",
        "c/data/m.yaml:9: recommendations[0].measures[1]: '9' is not a known measure (allowed: 1)",
    ]


def test_figure_dataset_must_exist(content: Path) -> None:
    text = (
        "datasets:\n  - key: victimes\n    title: Victimes\n    points:\n"
        "      - {x: 2020, value: 1}\nfigures:\n  - id: f\n    kind: bars\n"
        "    dataset: victime\n    title: F\n"
    )
    assert problems(content, d=text) == [
        "c/data/d.yaml:9: figures[0].dataset: 'victime' is not a known dataset "
        "(allowed: victimes; did you mean 'victimes'?)"
    ]


def test_all_problems_of_all_files_are_reported_together(content: Path) -> None:
    found = problems(content, m=measures("1 a1 realisee"), n="figures:\n  - id: f\n")
    assert found == [
        f"c/data/m.yaml:4: measures[0].status: 'realisee' is not a known status (allowed: "
        f"{STATUSES}; did you mean 'réalisée'?)",
        "c/data/n.yaml:2: figures[0].kind: is required; add it",
        "c/data/n.yaml:2: figures[0].title: is required; add it",
    ]
    # schema and reference problems of every file are listed in one run, in file order
    found = problems(
        content,
        m=measures("1 a1 realisee"),
        n="figures:\n  - id: f\n    kind: bars\n    dataset: x\n    title: F\n",
    )
    assert found == [
        f"c/data/m.yaml:4: measures[0].status: 'realisee' is not a known status (allowed: "
        f"{STATUSES}; did you mean 'réalisée'?)",
        "c/data/n.yaml:4: figures[0].dataset: 'x' is not a known dataset (none is declared)",
    ]


# --- the official tally ----------------------------------------------------------------

TALLY = "tally:\n  counts:\n    réalisée: 1\n    partiellement réalisée: 1\n    non réalisée: 1\n"


def test_tally_is_read(content: Path) -> None:
    data = load(
        content, m=measures("1 a1 réalisée", "2 a1 non documentée", "3 a2 non documentée"), t=TALLY
    )
    assert data.tally is not None and data.tally.total == 3
    assert data.tally.counts["réalisée"] == 1


def test_more_done_measures_than_the_tally_allows(content: Path) -> None:
    assert problems(
        content, m=measures("1 a1 réalisée", "2 a1 réalisée", "3 a2 non réalisée"), t=TALLY
    ) == [
        "c/data/t.yaml:2: tally.counts: 2 measures are marked 'réalisée' but the official "
        "tally allows 1; correct the measures or the tally"
    ]


def test_status_absent_from_the_tally_allows_none(content: Path) -> None:
    tally = "tally:\n  counts:\n    non réalisée: 2\n"
    assert problems(content, m=measures("1 a1 réalisée", "2 a1 non réalisée"), t=tally) == [
        "c/data/t.yaml:2: tally.counts: 1 measures are marked 'réalisée' but the official "
        "tally allows 0; correct the measures or the tally"
    ]


def test_tally_total_must_match_the_number_of_measures(content: Path) -> None:
    assert problems(content, m=measures("1 a1 réalisée", "2 a2 non documentée"), t=TALLY) == [
        "c/data/t.yaml:2: tally.counts: the tally counts 3 measures but the data holds 2; "
        "add the missing measures (status unknown if need be) or correct the tally"
    ]


def test_tally_statuses_must_be_known(content: Path) -> None:
    tally = TALLY + "    abandonnée: 0\n"
    assert problems(
        content, m=measures("1 a1 réalisée", "2 a1 non documentée", "3 a2 non documentée"), t=tally
    ) == [
        f"c/data/t.yaml:6: tally.counts.abandonnée: 'abandonnée' is not a known status "
        f"(allowed: {STATUSES})"
    ]


def test_only_one_tally(content: Path) -> None:
    assert problems(content, t=TALLY, u=TALLY) == [
        "c/data/u.yaml:1: tally: 'tally' is already defined in t.yaml; keep only one"
    ]


def test_unknown_statuses_are_listed_in_a_note(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="report")
    load(
        content,
        m=measures(
            "1 a1 non documentée",
            "2 a1 non documentée",
            "3 a1 réalisée",
            "4 a2 non documentée",
            "5 a2 non documentée",
            "7 a2 non documentée",
        ),
    )
    notes = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert notes == ["5 of 6 measures have no documented status: 1-2, 4-5, 7"]


def test_no_note_when_every_status_is_known(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="report")
    load(content, m=measures("1 a1 réalisée"))
    assert not [r for r in caplog.records if r.name.startswith("report")]


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([], ""),
        ([4], "4"),
        ([3, 4], "3-4"),
        ([7, 1, 2, 3], "1-3, 7"),
        ([1, 3, 5], "1, 3, 5"),
    ],
)
def test_compress_numbers(numbers: list[int], text: str) -> None:
    assert compress_numbers(numbers) == text


def test_impossible_date_in_data_is_located(content: Path) -> None:
    text = (
        measures("1 a1 réalisée") + "    evidence:\n      - label: Rapport\n"
        "        date: 2022-02-30\n"
    )
    found = problems(content, m=text)
    assert len(found) == 1 and found[0].startswith("c/data/m.yaml:7: ")


# --- references become objects ---------------------------------------------------------


def test_a_measure_holds_its_status_axis_action_and_bodies(content: Path) -> None:
    text = (
        "actions:\n  - {key: x1, axis: a1, title: Informer}\n"
        + measures("1 a1 réalisée")
        + "    action: x1\n    lead: [min]\n"
        + "recommendations:\n  - {id: R1, text: Agir, addressees: [min], measures: [1]}\n"
    )
    data = load(content, m=text)
    measure = data.measures[0]
    assert (measure.status.label, measure.status.category) == ("Réalisée", "done")
    assert measure.axis is data.axes[0] and measure.axis.title == "Prévenir"
    assert measure.action is data.actions[0] and measure.action.axis is data.axes[0]
    assert [body.label for body in measure.lead] == ["MIN"]
    recommendation = data.recommendations[0]
    assert recommendation.addressees == (data.bodies[0],)
    assert recommendation.measures == (measure,)


def test_a_reference_must_be_a_key_not_an_entry_written_in_place(content: Path) -> None:
    """A mapping would make an axis or a status the plan does not declare, counted nowhere."""
    text = (
        "measures:\n  - number: 1\n    axis: {key: zz, title: Fantôme}\n"
        "    status: {key: inventée, label: Faite, category: done, color: '#ff0000'}\n"
        "    lead: [true]\n"
    )
    assert problems(content, m=text) == [
        "c/data/m.yaml:3: measures[0].axis: expected the key of an axis",
        "c/data/m.yaml:4: measures[0].status: expected the key of a status",
        "c/data/m.yaml:5: measures[0].lead[0]: expected the key of a body, got True",
    ]


def test_the_exported_form_writes_the_keys_again(content: Path) -> None:
    data = load(content, m=measures("1 a1 réalisée") + "    lead: [min]\n")
    dumped = data.measures[0].model_dump(mode="json", exclude_defaults=True)
    assert dumped == {"number": 1, "axis": "a1", "status": "réalisée", "lead": ["min"]}


def test_a_reference_to_a_broken_entry_is_not_reported_twice(content: Path) -> None:
    broken_axis = "axes:\n  - key: a3\n    numero: 3\n"
    assert problems(content, more=broken_axis, m=measures("1 a3 réalisée")) == [
        "c/data/more.yaml:3: axes[0].numero: unknown key 'numero' (allowed: key, number, "
        "title, sources; did you mean 'number'?)"
    ]


def test_a_file_that_cannot_be_read_hides_no_other_problem_but_its_keys(content: Path) -> None:
    """A YAML error in one file, a wrong value in another: both are reported; references
    to what the unreadable file may declare are not (they would be false alarms)."""
    unreadable = "axes:\n  - key: a3\n  title: [\n"
    found = problems(content, a=unreadable, m=measures("1 a3 réalisée", "deux a1 réalisée"))
    assert len(found) == 2
    assert found[0].startswith("c/data/a.yaml:3: YAML syntax error: ")
    assert found[1] == "c/data/m.yaml:5: measures[1].number: expected a whole number, got 'deux'"


def test_duplicate_recommendation_ids_and_dataset_keys(content: Path) -> None:
    text = (
        "recommendations:\n  - {id: R1, text: Un}\n  - {id: R1, text: Deux}\n"
        "datasets:\n  - {key: v, title: V, points: []}\n  - {key: v, title: W, points: []}\n"
        "figures:\n  - {id: f, kind: status_counts, title: F}\n"
        "  - {id: f, kind: status_tally, title: G}\n"
    )
    assert problems(content, more=text) == [
        "c/data/more.yaml:3: recommendations[1].id: recommendation id 'R1' is already used "
        "(more.yaml:2); each must be unique",
        "c/data/more.yaml:6: datasets[1].key: dataset key 'v' is already used (more.yaml:5); "
        "each must be unique",
        "c/data/more.yaml:9: figures[1].id: figure id 'f' is already used (more.yaml:8); "
        "each must be unique",
    ]


# --- recommendation codes --------------------------------------------------------------


def test_recommendations_are_coded_by_position_unless_given(content: Path) -> None:
    text = (
        "recommendations:\n  - {id: un, text: Un}\n  - {id: deux, text: Deux, code: CNCDH-2}\n"
        "  - {id: trois, text: Trois}\n"
    )
    data = load(content, r=text)
    assert [r.code for r in data.recommendations] == ["R1", "CNCDH-2", "R3"]


def test_recommendation_codes_are_unique_and_never_read_as_measures(content: Path) -> None:
    text = (
        "recommendations:\n  - {id: un, text: Un, code: R2}\n  - {id: deux, text: Deux}\n"
        "  - {id: trois, text: Trois, code: M3}\n"
    )
    assert problems(content, r=text) == [
        "c/data/r.yaml:4: recommendations[2].code: 'M3' would read as a measure in [[M3]]; use R3"
    ]
    text = "recommendations:\n  - {id: un, text: Un, code: R2}\n  - {id: deux, text: Deux}\n"
    assert problems(content, r=text) == [
        "c/data/r.yaml:3: recommendations[1].code: recommendation code 'R2' is already used "
        "(r.yaml:2); each must be unique"
    ]


# --- which files and entries are read, and in what order problems come -------------------


def test_data_files_may_end_in_yml(content: Path) -> None:
    (content / "data" / "m.yml").write_text(measures("1 a1 réalisée"), encoding="utf-8")
    assert [m.number for m in load(content).measures] == [1]


def test_an_empty_file_does_not_stop_the_reading_of_the_next(content: Path) -> None:
    data = load(content, **{"0-empty": "# nothing yet\n", "m": measures("1 a1 réalisée")})
    assert [m.number for m in data.measures] == [1]
    assert [axis.key for axis in data.axes] == ["a1", "a2"]


def test_a_file_without_sections_does_not_hide_the_next_files_problems(content: Path) -> None:
    assert problems(content, a="- 1\n", m=measures("deux a1 réalisée")) == [
        "c/data/a.yaml:1: expected sections such as 'measures:' at the top",
        "c/data/m.yaml:2: measures[0].number: expected a whole number, got 'deux'",
    ]


def test_a_problem_before_an_unreadable_file_is_still_reported(content: Path) -> None:
    found = problems(content, a="mesures: []\n", b="axes:\n  - key: a3\n  title: [\n")
    assert len(found) == 2
    assert found[0].startswith("c/data/a.yaml:1: mesures: 'mesures' is not a known section")
    assert found[1].startswith("c/data/b.yaml:3: YAML syntax error: ")


def test_problems_of_one_file_are_listed_by_line_whatever_the_section(content: Path) -> None:
    """Axes are validated before measures, but a measure written above them comes first."""
    text = measures("1 a1 realisee") + "axes:\n  - key: a3\n    numero: 3\n"
    found = problems(content, m=text)
    assert [problem.split(": ")[0] for problem in found] == ["c/data/m.yaml:4", "c/data/m.yaml:7"]


def test_a_tally_problem_is_listed_in_file_order_with_the_others(content: Path) -> None:
    tally = "tally:\n  counts:\n    réalisée: un\n"
    assert problems(content, t=tally, m=measures("1 a1 realisee")) == [
        f"c/data/m.yaml:4: measures[0].status: 'realisee' is not a known status (allowed: "
        f"{STATUSES}; did you mean 'réalisée'?)",
        "c/data/t.yaml:3: tally.counts.réalisée: expected a whole number, got 'un'",
    ]


def test_an_entry_written_as_a_plain_value_is_located(content: Path) -> None:
    assert problems(content, more="axes:\n  - a3\nactions:\n  - x1\n", t="tally: 3\n") == [
        "c/data/more.yaml:2: axes[0]: expected a mapping of 'key: value' lines, got 'a3'",
        "c/data/more.yaml:4: actions[0]: expected a mapping of 'key: value' lines, got 'x1'",
        "c/data/t.yaml:1: tally: expected a mapping of 'key: value' lines, got 3",
    ]


def test_a_tally_may_come_before_the_measures(content: Path) -> None:
    data = load(content, t=TALLY)
    assert data.measures == () and data.tally is not None and data.tally.total == 3


def test_untranslated_data_texts_are_listed_in_one_warning(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    english = REPORT_YAML + "title_en: Test report\neditions:\n  english:\n    language: en\n"
    write_files(content, {"report.yaml": english, "data/m.yaml": measures("1 a1 réalisée")})
    caplog.set_level(logging.WARNING, logger="report")
    data = load_data(Path("c"), load_config(Path("c"), "english"))
    assert data.axes[0].title == "Prévenir"
    assert [r.getMessage() for r in caplog.records] == [
        "2 texts have no 'en' translation and stay in the original language (add "
        "'<key>_en:' beside each): 0-plan.yaml:4 axes[0].title; 0-plan.yaml:8 bodies[0].name"
    ]
