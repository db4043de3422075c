"""The command line: arguments, exit codes, the summary line and one located line per problem.

Every test runs ``report.app.cli.main`` from ``tmp_path`` on a copy of the sample project
(``p``), so messages name files as ``p/data/measures.yaml:19``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from support import SAMPLE, SUMMARY, Project

from report.sources.config import Config

STATUSES = "réalisée, partiellement réalisée, non réalisée, non documentée"
NOTE = "note: 2 of 4 measures have no documented status: 3-4"
CHECKED = re.compile(r"^Checked p: content is valid in \d+\.\d s \(0 warnings\)$")


def failed(count: int, command: str = "check") -> str:
    plural = "s" if count != 1 else ""
    if command == "check":
        return f"Check failed: {count} problem{plural}"
    return (
        f"Build failed: {count} problem{plural}; nothing was written "
        "(any previous PDF in out is unchanged)"
    )


# --- arguments and exit codes ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["build", "p", "extra"],
        ["build", "--no-such-option"],
        ["check", "-o", "out"],
    ],
)
def test_usage_errors_exit_2_with_usage_on_stderr(cli, args: list[str]) -> None:
    run = cli(*args)
    assert run.code == 2
    assert "usage: report" in run.err
    assert run.out == ""


def test_version_exits_0(cli) -> None:
    run = cli("--version")
    assert run.code == 0
    assert run.out.strip() == "report 0.1.0"


def test_help_lists_both_commands(cli) -> None:
    run = cli("--help")
    assert run.code == 0
    assert "build" in run.out and "check" in run.out


def test_build_prints_one_summary_line(project: Project, cli) -> None:
    run = cli("build", "p", "-o", "out")
    assert run.code == 0, run.err
    assert run.out == ""
    assert run.lines[:-1] == [NOTE]
    summary = SUMMARY.match(run.lines[-1])
    assert summary, run.lines[-1]
    assert summary["pdf"] == "out/essai.pdf"
    assert summary["warnings"] == "0"
    pdf = project.root.parent / "out" / "essai.pdf"
    assert int(summary["pages"]) == len(pypdf.PdfReader(pdf).pages)
    assert (project.root.parent / "out" / "essai.html").is_file()


def test_check_validates_without_writing_a_pdf(project: Project, cli) -> None:
    run = cli("check", "p")
    assert run.code == 0, run.err
    assert run.lines[:-1] == [NOTE]
    assert CHECKED.match(run.lines[-1]), run.lines[-1]
    assert not list(project.root.parent.rglob("*.pdf"))


def test_quiet_hides_notes(project: Project, cli) -> None:
    run = cli("check", "p", "-q")
    assert run.code == 0
    assert NOTE not in run.lines


def test_default_content_dir_is_content(project: Project, cli) -> None:
    run = cli("check")
    assert run.code == 1
    assert run.lines == [
        "content: content folder not found; give the folder that holds report.yaml",
        failed(1),
    ]


def test_missing_content_folder_is_one_line(project: Project, cli) -> None:
    run = cli("build", "nowhere", "-o", "out")
    assert run.code == 1
    assert run.lines == [
        "nowhere: content folder not found; give the folder that holds report.yaml",
        failed(1, "build"),
    ]


def test_python_dash_m_report_runs_the_same_cli(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "report", "check", str(SAMPLE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.splitlines()[-1].startswith(f"Checked {SAMPLE}: content is valid in ")
    usage = subprocess.run(
        [sys.executable, "-m", "report"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert usage.returncode == 2
    assert "usage: report" in usage.stderr


def test_debug_shows_stage_timings(project: Project, cli) -> None:
    run = cli("check", "p", "--debug")
    assert run.code == 0
    for stage in ("config", "data", "compute", "charts", "content", "templates"):
        assert any(re.fullmatch(rf"stage {stage} +\d+\.\d{{3}} s", line) for line in run.lines), (
            stage
        )


def test_debug_shows_the_traceback_of_a_failure(project: Project, cli) -> None:
    project.replace("data/measures.yaml", "status: non réalisée", "status: realisee")
    run = cli("check", "p", "--debug")
    assert run.code == 1
    assert "Traceback" in run.err


# --- a failed build: one located line, exit 1, previous PDF untouched -------------------


def test_status_typo_is_one_located_line_and_the_previous_pdf_is_untouched(
    project: Project, cli
) -> None:
    first = cli("build", "p", "-o", "out")
    assert first.code == 0, first.err
    out = project.root.parent / "out"
    pdf, html = out / "essai.pdf", out / "essai.html"
    before = (pdf.read_bytes(), pdf.stat().st_mtime_ns, html.read_bytes(), html.stat().st_mtime_ns)

    line = project.replace("data/measures.yaml", "status: non réalisée", "status: realisee")
    run = cli("build", "p", "-o", "out")

    assert run.code == 1
    assert run.lines == [
        f"p/data/measures.yaml:{line}: measures[1].status: 'realisee' is not a known status "
        f"(allowed: {STATUSES}; did you mean 'réalisée'?)",
        failed(1, "build"),
    ]
    assert "nothing was written" in run.lines[-1]
    assert "Traceback" not in run.err
    after = (pdf.read_bytes(), pdf.stat().st_mtime_ns, html.read_bytes(), html.stat().st_mtime_ns)
    assert after == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == [".cache", "essai.html", "essai.pdf"]


def test_paths_are_relative_to_the_cwd_even_when_given_absolute(project: Project, cli) -> None:
    line = project.replace("data/measures.yaml", "status: non réalisée", "status: realisee")
    run = cli("check", str(project.root))
    assert run.code == 1
    assert run.lines[0].startswith(f"p/data/measures.yaml:{line}: measures[1].status: ")


# --- each kind of content problem: one located line, exit 1 ---------------------------


def _duplicate_key(project: Project) -> list[str]:
    first = project.replace(
        "data/plan.yaml", "    title: Prévenir\n", "    title: Prévenir\n    title: Encore\n"
    )
    return [
        f"p/data/plan.yaml:{first + 1}: axes[0]: duplicate key 'title' (first defined on line "
        f"{first}); remove or rename one of them"
    ]


def _invalid_utf8_in_chapter(project: Project) -> list[str]:
    path = project.path("chapters/02-mesures.md")
    line = project.read("chapters/02-mesures.md").count("\n") + 1
    path.write_bytes(path.read_bytes() + "Le caf\u00e9 est servi.\n".encode("latin-1"))
    return [
        f"p/chapters/02-mesures.md:{line}: invalid UTF-8 (byte 0xe9); "
        "save the file with UTF-8 encoding"
    ]


def _invalid_utf8_in_config(project: Project) -> list[str]:
    line = project.line_of("report.yaml", "organisation:")
    project.replace("report.yaml", "organisation: Collectif d'essai", "organisation: Coll")
    path = project.path("report.yaml")
    path.write_bytes(path.read_bytes().replace(b"Coll", b"Coll\xe8ctif"))
    return [f"p/report.yaml:{line}: invalid UTF-8 (byte 0xe8); save the file with UTF-8 encoding"]


def _missing_chapter(project: Project) -> list[str]:
    project.append("report.yaml", "chapters: [01-synthese.md, 03-absent.md]\n")
    return [
        "p/chapters/03-absent.md: not found in chapters/, although report.yaml lists it in "
        "its chapters; fix the name there or add the file"
    ]


def _bad_front_matter(project: Project) -> list[str]:
    line = project.replace(
        "chapters/01-synthese.md", "title: Synthèse", "title: Synthèse: bilan: 2023"
    )
    return [
        f"p/chapters/01-synthese.md:{line}: YAML syntax error: mapping values are not allowed here"
    ]


def _unknown_config_key(project: Project) -> list[str]:
    line = project.append("report.yaml", "titel: Autre titre\n")
    allowed = ", ".join(field.alias or name for name, field in Config.model_fields.items())
    return [
        f"p/report.yaml:{line}: titel: unknown key 'titel' (allowed: {allowed}; "
        "did you mean 'title'?)"
    ]


def _unknown_measure_reference(project: Project) -> list[str]:
    line = project.append("chapters/02-mesures.md", "Voir aussi la [[M99]].\n")
    return [
        f"p/chapters/02-mesures.md:{line}: '[[M99]]' refers to no measure "
        "(known: M1 to M4); fix the number"
    ]


def _unknown_template_variable(project: Project) -> list[str]:
    line = project.append("chapters/02-mesures.md", "Il reste {{ nope }} mesures.\n")
    return [
        f"p/chapters/02-mesures.md:{line}: expression failed: 'nope' is undefined; "
        "check the name against docs/writing.md"
    ]


def _template_syntax_error(project: Project) -> list[str]:
    line = project.append("chapters/02-mesures.md", "Il reste {{ figures.total mesures.\n")
    return [
        f"p/chapters/02-mesures.md:{line}: template syntax error: "
        "expected token 'end of print statement', got 'mesures'"
    ]


def _unknown_figure(project: Project) -> list[str]:
    line = project.append("chapters/02-mesures.md", "{{ figure('carte') }}\n")
    return [
        f"p/chapters/02-mesures.md:{line}: expression failed: no figure 'carte' "
        "(known: tally); check the name against docs/writing.md"
    ]


def _unknown_section(project: Project) -> list[str]:
    line = project.append("data/plan.yaml", "mesures: []\n")
    return [
        f"p/data/plan.yaml:{line}: mesures: 'mesures' is not a known section (allowed: "
        "axes, assessors, actions, bodies, measures, recommendations, datasets, figures, tally, "
        "chronology; did you mean 'measures'?)"
    ]


def _unknown_body(project: Project) -> list[str]:
    line = project.replace("data/measures.yaml", "partners: [agence]", "partners: [agense]")
    return [
        f"p/data/measures.yaml:{line}: measures[0].partners[0]: 'agense' is not a known "
        "body (allowed: agence, min-a; did you mean 'agence'?)"
    ]


def _missing_image(project: Project) -> list[str]:
    line = project.replace(
        "chapters/01-synthese.md",
        "Le plan comptait",
        "![Carte](../images/absent.png)\n\nLe plan comptait",
    )
    return [
        re.compile(
            rf"p/chapters/01-synthese\.md:{line}: image '\.\./images/absent\.png' "
            r"not found \(looked for \S*images/absent\.png\); "
            "fix the path or add the file"
        )
    ]


def _chapter_without_title(project: Project) -> list[str]:
    project.replace("chapters/02-mesures.md", "# État des mesures\n", "")
    return [
        "p/chapters/02-mesures.md:1: chapter has no title; add 'title:' to the front "
        "matter or a '# Title' line"
    ]


CASES = {
    "duplicate YAML key": _duplicate_key,
    "invalid UTF-8 in a chapter": _invalid_utf8_in_chapter,
    "invalid UTF-8 in report.yaml": _invalid_utf8_in_config,
    "missing chapter file": _missing_chapter,
    "front matter does not parse": _bad_front_matter,
    "unknown key in report.yaml": _unknown_config_key,
    "unknown [[M99]] reference": _unknown_measure_reference,
    "unknown template variable": _unknown_template_variable,
    "template syntax error": _template_syntax_error,
    "unknown figure": _unknown_figure,
    "unknown data section": _unknown_section,
    "unknown body key": _unknown_body,
    "missing image": _missing_image,
    "chapter without a title": _chapter_without_title,
}


@pytest.mark.parametrize("breakage", CASES.values(), ids=CASES.keys())
def test_each_problem_is_one_located_line_and_exit_1(project: Project, cli, breakage) -> None:
    expected = breakage(project)
    run = cli("check", "p")
    assert run.code == 1
    assert "Traceback" not in run.err
    assert len(run.problems) == len(expected) + 1, run.err
    for line, wanted in zip(run.problems, expected, strict=False):
        if isinstance(wanted, re.Pattern):
            assert wanted.fullmatch(line), line
        else:
            assert line == wanted
    assert run.problems[-1] == failed(len(expected))


def test_a_problem_stops_the_build_too(project: Project, cli) -> None:
    expected = _unknown_measure_reference(project)
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.problems == [*expected, failed(1, "build")]
    out = project.root.parent / "out"
    assert not (out / "essai.pdf").exists() and not (out / "essai.html").exists()


# --- every problem of a run at once ----------------------------------------------------


def test_schema_errors_in_two_files_are_reported_together(project: Project, cli) -> None:
    number = project.replace("data/measures.yaml", "number: 3", "number: trois")
    name = project.replace("data/plan.yaml", "name: Agence fictive", "nom: Agence fictive")
    item = name - 1
    run = cli("check", "p")
    assert run.code == 1
    assert run.lines == [
        f"p/data/measures.yaml:{number}: measures[2].number: expected a whole number, got 'trois'",
        f"p/data/plan.yaml:{item}: bodies[1].name: is required; add it",
        f"p/data/plan.yaml:{name}: bodies[1].nom: unknown key 'nom' (allowed: key, name, "
        "short, address, addressee, salutation, dossier, sources, until, successor)",
        failed(3),
    ]


def test_reference_errors_in_two_files_are_reported_together(project: Project, cli) -> None:
    status = project.replace("data/measures.yaml", "status: non réalisée", "status: realisee")
    axis = project.replace("data/plan.yaml", "    axis: a1\n", "    axis: a9\n")
    run = cli("check", "p")
    assert run.code == 1
    assert sorted(run.lines[:-1]) == sorted(
        [
            f"p/data/plan.yaml:{axis}: actions[0].axis: 'a9' is not a known axis (allowed: a1, a2)",
            f"p/data/measures.yaml:{status}: measures[1].status: 'realisee' is not a known "
            f"status (allowed: {STATUSES}; did you mean 'réalisée'?)",
        ]
    )
    assert run.lines[-1] == failed(2)


def test_errors_in_two_chapters_are_reported_together(project: Project, cli) -> None:
    first = project.append("chapters/01-synthese.md", "Voir la [[M7]].\n")
    second = project.append("chapters/02-mesures.md", "Soit {{ figures.nope }}.\n")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems == [
        f"p/chapters/01-synthese.md:{first}: '[[M7]]' refers to no measure (known: M1 to M4); "
        "fix the number",
        f"p/chapters/02-mesures.md:{second}: expression failed: 'report.compute.counts.Counts "
        "object' has no attribute 'nope'; check the name against docs/writing.md",
        failed(2),
    ]


# --- the official tally ----------------------------------------------------------------


def test_more_done_measures_than_the_tally_allows_is_an_error(project: Project, cli) -> None:
    project.replace("data/measures.yaml", "status: partiellement réalisée", "status: réalisée")
    project.replace("data/measures.yaml", "status: non réalisée", "status: réalisée")
    counts = project.line_of("data/plan.yaml", "counts:")
    run = cli("check", "p")
    assert run.code == 1
    assert run.lines == [
        f"p/data/plan.yaml:{counts}: tally.counts: 2 measures are marked 'réalisée' but the "
        "official tally allows 1; correct the measures or the tally",
        failed(1),
    ]


def test_tally_total_must_match_the_measures(project: Project, cli) -> None:
    project.replace("data/plan.yaml", "non réalisée: 1", "non réalisée: 2")
    counts = project.line_of("data/plan.yaml", "counts:")
    run = cli("check", "p")
    assert run.code == 1
    assert run.lines == [
        f"p/data/plan.yaml:{counts}: tally.counts: the tally counts 5 measures but the data "
        "holds 4; add the missing measures (status unknown if need be) or correct the tally",
        failed(1),
    ]


def test_unknown_statuses_are_listed_in_a_note(project: Project, cli) -> None:
    project.replace("data/measures.yaml", "status: non réalisée", "status: non documentée")
    project.replace("data/plan.yaml", "non réalisée: 1", "non réalisée: 0")
    project.replace("data/plan.yaml", "partiellement réalisée: 2", "partiellement réalisée: 3")
    run = cli("check", "p")
    assert run.code == 0, run.err
    assert run.lines[0] == "note: 3 of 4 measures have no documented status: 2-4"


# --- bugs ------------------------------------------------------------------------------


def test_impossible_date_is_a_located_line_not_a_traceback(project: Project, cli) -> None:
    line = project.replace("report.yaml", "date: 2023-02-18", "date: 2023-02-30")
    run = cli("check", "p")
    assert run.code == 1
    assert run.lines[0].startswith(f"p/report.yaml:{line}: date: ")
    assert run.lines[-1] == failed(1)


def test_bars_figure_without_dataset_is_a_located_line(project: Project, cli) -> None:
    project.replace("data/plan.yaml", "kind: status_tally", "kind: bars")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0].startswith("p/data/plan.yaml:")
    assert "figures[0]" in run.problems[0]
    assert "Traceback" not in run.err


def test_unknown_chart_kind_names_the_file_and_line(project: Project, cli) -> None:
    line = project.replace("data/plan.yaml", "kind: status_tally", "kind: camembert")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0].startswith(f"p/data/plan.yaml:{line}: figures[0].kind: ")
    assert "'camembert'" in run.problems[0]


def test_front_matter_value_error_names_the_right_line(project: Project, cli) -> None:
    line = (
        project.replace(
            "chapters/01-synthese.md", "title: Synthèse", "title: Synthèse\ntoc: peut-être"
        )
        + 1
    )
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems == [
        f"p/chapters/01-synthese.md:{line}: toc: expected true or false, got 'peut-être'",
        failed(1),
    ]


def test_missing_image_after_a_component_names_the_right_line(project: Project, cli) -> None:
    line = project.append("chapters/02-mesures.md", "![Carte](../images/absent.png)\n")
    run = cli("check", "p")
    assert run.code == 1
    assert run.problems[0].startswith(f"p/chapters/02-mesures.md:{line}: image ")


def test_missing_image_message_shows_a_relative_path(project: Project, cli) -> None:
    _missing_image(project)
    run = cli("check", "p")
    assert "(looked for p/images/absent.png)" in run.problems[0]
