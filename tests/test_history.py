"""Year after year: the example tracker, its counts checked against its own data files,
history checks, accountability through successors, and the rollover to next year."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support import Project, run_main

from report.compute.history import History
from report.sources.config import load_config
from report.sources.validate import load_data

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "housing-tracker"
RANK = {"not_done": 1, "partial": 2, "done": 3}


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def raw_example() -> tuple[dict, list[dict]]:
    """The example's settings and commitments, read straight from its files."""
    settings = yaml.safe_load((EXAMPLE / "report.yaml").read_text(encoding="utf-8"))
    items = yaml.safe_load((EXAMPLE / "data" / "commitments.yaml").read_text(encoding="utf-8"))
    return settings, items["commitments"]


def expected_moves() -> dict[str, int]:
    """What changed between the last two dates, recomputed here from the YAML alone."""
    settings, items = raw_example()
    statuses = settings["statuses"]
    place = {
        s["key"]: (RANK[s["category"]], -i) for i, s in enumerate(statuses) if s["category"] in RANK
    }
    reference = {None, "ombudsman"}
    last_date = settings["date"]
    earlier = sorted(
        {
            h["date"]
            for item in items
            for h in item.get("history", [])
            if h.get("assessor") in reference
        }
    )
    since = earlier[-1]
    counts = dict.fromkeys(("up", "down", "same", "first", "other"), 0)
    for item in items:
        then = [
            h
            for h in item.get("history", [])
            if h.get("assessor") in reference and h["date"] <= since
        ]
        before, after = (then[-1]["status"] if then else None), item["status"]
        now_place, then_place = place.get(after), place.get(before) if before else None
        if now_place is None:
            counts["other"] += 1
        elif then_place is None:
            counts["first"] += 1
        else:
            counts[
                "up" if now_place > then_place else "down" if now_place < then_place else "same"
            ] += 1
    assert last_date > since
    return counts


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("tracker")
    run = run_main(["build", str(EXAMPLE), "-o", "out", "--all", "--strict"], root)
    assert run.code == 0, run.err
    return root / "out", run.err


def test_the_example_builds_every_edition_with_no_warning(built) -> None:
    out, err = built
    assert "0 warnings" in err.splitlines()[-1]
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "housing-2025-social.pdf",
        "housing-2025-territories.pdf",
        "housing-2025.pdf",
    ]


def test_what_changed_matches_the_data(built) -> None:
    text = " ".join(pdf_text(built[0] / "housing-2025.pdf").split())
    moves = expected_moves()
    assert "What changed since last year" in text
    assert f"Moved up ({moves['up']})" in text
    assert f"Moved down ({moves['down']})" in text
    assert f"No change: {moves['same']}" in text
    assert (
        f"moved up, {moves['up']}; moved down, {moves['down']}; no change, "
        f"{moves['same']}; rated for the first time, {moves['first']}; withdrawn or not "
        f"rated, {moves['other']}"
    ) in text


def test_the_evolution_chart_and_trajectories_are_drawn(built) -> None:
    text = " ".join(pdf_text(built[0] / "housing-2025.pdf").split())
    assert "The commitments by status at each assessment" in text
    _, items = raw_example()
    with_history = [i for i in items if i.get("history")]
    # each card and table row of a commitment with a history shows its years, in order
    assert len(re.findall(r"2023 \S+ → 2024 \S+ → 2025", text)) >= 2 * sum(
        1 for i in with_history if any(h["date"].year == 2023 for h in i["history"])
    )


def test_accountability_follows_successors_and_matches_the_data(built) -> None:
    text = " ".join(pdf_text(built[0] / "housing-2025.pdf").split())
    _, items = raw_example()
    renamed_or_merged = {"housing", "agency"}
    led_by_territories = [i for i in items if set(i.get("lead", [])) & renamed_or_merged]
    table = text.split("Who is behind")[1].split("Two assessors")[0]
    assert "Territories" in table and "Housing " not in table.replace("Territories and Housing", "")
    open_ = sum(1 for i in led_by_territories if i["status"] in ("not started", "no evidence"))
    share = round(100 * open_ / len(led_by_territories))
    rows = subprocess.run(  # the table's rows, as laid out
        ["pdftotext", "-layout", str(built[0] / "housing-2025.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(rf"Territories(\s+\d+){{6}}\s+{len(led_by_territories)}\s+{share} ?%", rows)


def test_each_body_dossier_highlights_its_line(built) -> None:
    html = (built[0] / "housing-2025-territories.html").read_text(encoding="utf-8")
    assert '<tr class="highlight"><th scope="row">Territories</th>' in html


def test_ratings_side_by_side_count_the_disagreements(built) -> None:
    _, items = raw_example()
    disagreements = 0
    for item in items:
        by_date: dict[dt.date, set[str]] = {}
        for rating in item.get("history", []):
            by_date.setdefault(rating["date"], set()).add(rating["status"])
        disagreements += sum(1 for statuses in by_date.values() if len(statuses) > 1)
    assert f"Disagreements: {disagreements}" in pdf_text(built[0] / "housing-2025.pdf")


# --- the history is checked like everything else --------------------------------------


def test_check_refuses_an_unknown_status_in_a_history(project: Project, cli) -> None:
    line = (
        project.replace(
            "data/measures.yaml",
            "    status: non réalisée\n",
            "    status: non réalisée\n    history:\n"
            "      - {date: 2022-01-01, status: realisee}\n",
        )
        + 2
    )
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0].startswith(
        f"p/data/measures.yaml:{line}: measures[1].history[0].status: 'realisee' is not a "
        "known status (allowed: "
    )
    assert run.problems[0].endswith("did you mean 'réalisée'?)")


def test_check_refuses_a_rating_after_the_report_date(project: Project, cli) -> None:
    line = (
        project.replace(
            "data/measures.yaml",
            "    status: non réalisée\n",
            "    status: non réalisée\n    history:\n"
            "      - {date: 2024-01-01, status: réalisée}\n",
        )
        + 2
    )
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[:1] == [
        f"p/data/measures.yaml:{line}: measures[1].history[0].date: 2024-01-01 is after the "
        "report's date (2023-02-18); a history holds earlier ratings only"
    ]


def test_check_refuses_a_history_out_of_order_and_a_rating_given_twice(
    project: Project, cli
) -> None:
    project.replace(
        "data/measures.yaml",
        "    status: non réalisée\n",
        "    status: non réalisée\n    history:\n      - {date: 2022-01-01, status: réalisée}\n"
        "      - {date: 2021-01-01, status: réalisée}\n"
        "      - {date: 2021-01-01, status: non réalisée}\n",
    )
    messages = cli("check", "p").problems
    assert any("comes before the rating above it (2022-01-01)" in m for m in messages)
    assert any("two ratings on 2021-01-01 by the same assessor" in m for m in messages)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "successor: nulle-part, until: 2022-01-01",
            "'nulle-part' is not a known body (allowed: agence, min-a",
        ),
        ("successor: agence", "a successor takes over on a date: add 'until:'"),
    ],
)
def test_a_successor_is_a_known_body_on_a_date(project: Project, cli, body, message) -> None:
    project.replace(
        "data/plan.yaml",
        "    short: MFA\n",
        f"    short: MFA\n    {body.replace(', ', chr(10) + '    ')}\n",
    )
    assert any(message in m for m in cli("check", "p").problems)


def test_successions_that_loop_are_refused(project: Project, cli) -> None:
    project.replace(
        "data/plan.yaml",
        "    short: MFA\n",
        "    short: MFA\n    until: 2022-01-01\n    successor: agence\n",
    )
    project.replace(
        "data/plan.yaml",
        "    name: Agence fictive\n",
        "    name: Agence fictive\n    until: 2022-06-01\n    successor: min-a\n",
    )
    assert any("comes back to it" in m for m in cli("check", "p").problems)


# --- the computations ------------------------------------------------------------------


@pytest.fixture(scope="module")
def history() -> History:
    config = load_config(EXAMPLE)
    data = load_data(EXAMPLE, config, notes=False)
    return History(data, config.date, statuses=config.statuses)


def test_changes_between_any_two_dates(history: History) -> None:
    all_years = history.changes(since=dt.date(2023, 3, 1))
    assert all_years.since == dt.date(2023, 3, 1) and all_years.until == dt.date(2025, 3, 1)
    assert {m.measure.number for m in all_years.up} >= {1, 2, 7}
    assert history.dates == (dt.date(2023, 3, 1), dt.date(2024, 3, 1), dt.date(2025, 3, 1))


def test_a_body_answers_through_its_successor_from_the_date_it_took_over(
    history: History,
) -> None:
    housing = history._bodies["housing"]
    assert history.responsible(housing, dt.date(2024, 6, 30)).key == "housing"
    assert history.responsible(housing, dt.date(2024, 7, 1)).key == "territories"
    before = [row.body.key for row in history.accountability(dt.date(2023, 6, 1))]
    assert "housing" in before and "territories" not in before


def test_accountability_is_worst_first(history: History) -> None:
    shares = [row.share_open for row in history.accountability()]
    assert shares == sorted(shares, reverse=True)


# --- next year -------------------------------------------------------------------------


def test_the_rollover_builds_and_keeps_last_year_as_history(tmp_path: Path) -> None:
    rolled = run_main(["rollover", str(EXAMPLE), "next"], tmp_path)
    assert rolled.code == 0, rolled.err
    before = raw_example()[1]
    after = yaml.safe_load((tmp_path / "next" / "data" / "commitments.yaml").read_text())
    for old, new in zip(before, after["commitments"], strict=True):
        assert new["history"][:-1] == old.get("history", [])
        assert new["history"][-1]["date"] == dt.date(2025, 3, 1)
        assert new["history"][-1]["status"] == old["status"] == new["status"]
    settings = (tmp_path / "next" / "report.yaml").read_text(encoding="utf-8")
    assert "date: 2026-03-01" in settings and "output: housing-2026" in settings
    assert settings.splitlines()[:3] == (EXAMPLE / "report.yaml").read_text().splitlines()[:3]
    run = run_main(["build", "next", "-o", "out", "--all", "--strict"], tmp_path)
    assert run.code == 0, run.err
    text = " ".join(pdf_text(tmp_path / "out" / "housing-2026.pdf").split())
    assert re.search(r"2024 \S+ → 2025 \S+ → 2026", text)
    assert (EXAMPLE / "report.yaml").read_text().count("2025-03-01") == 1  # untouched


def test_the_rollover_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "next").mkdir()
    (tmp_path / "next" / "notes.md").write_text("à garder")
    run = run_main(["rollover", str(EXAMPLE), "next"], tmp_path)
    assert run.code == 1 and "already exists and is not empty" in run.err
    assert (tmp_path / "next" / "notes.md").read_text() == "à garder"
    shutil.rmtree(tmp_path / "next")
    run = run_main(["rollover", str(EXAMPLE), "next", "--date", "2024-01-01"], tmp_path)
    assert run.code == 1 and "is not after the report's date 2025-03-01" in run.err
