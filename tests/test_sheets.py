"""Spreadsheets in and out: ``report export`` and ``report import`` on the default report.

An export imported unchanged changes nothing, byte for byte; an export imported into
edited data gives the exported data back; a wrong sheet is every problem on its cell and
nothing written; headers are read in French or English or through report.yaml's
mapping; comments of hand-written YAML survive an import that changes values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = ROOT / "content"
MEASURES = "c/data/measures.yaml"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the default content at ``tmp_path/c``, the cwd set to ``tmp_path``."""
    shutil.copytree(DEFAULT_CONTENT, tmp_path / "c")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "c"


def data_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((folder / "data").glob("*.yaml"))}


def data_loaded(folder: Path) -> dict[str, object]:
    return {
        path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((folder / "data").glob("*.yaml"))
    }


def export(cli, name: str, *options: str) -> Path:
    run = cli("export", "c", "-o", name, *options)
    assert run.code == 0, run.err
    return Path(name)


def edit_workbook(path: Path, sheet: str, changes: dict[tuple[int, str], object]) -> None:
    """Set cells by (row, header) in one sheet of a workbook."""
    workbook = openpyxl.load_workbook(path)
    worksheet = workbook[sheet]
    headers = [cell.value for cell in worksheet[1]]
    for (row, header), value in changes.items():
        worksheet.cell(row=row, column=headers.index(header) + 1).value = value
    workbook.save(path)


def write_csv(path: Path, text: str) -> Path:
    """A CSV as French Excel saves it: a byte order mark, CRLF line ends."""
    path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imported_unchanged_changes_no_byte(content: Path, cli, fmt: str) -> None:
    before = data_bytes(content)
    sheet = export(cli, f"mesures.{fmt}")
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 0, run.err
    assert "nothing changed, no file written" in run.lines[-1]
    assert data_bytes(content) == before


def test_exporting_twice_gives_the_same_file(content: Path, cli) -> None:
    first = export(cli, "a.xlsx").read_bytes()
    assert export(cli, "b.xlsx").read_bytes() == first


def test_the_workbook_holds_every_table_with_headers_in_the_report_language(
    content: Path, cli
) -> None:
    workbook = openpyxl.load_workbook(export(cli, "all.xlsx"))
    assert workbook.sheetnames[:3] == ["Mesures", "Éléments de preuve", "Historique"]
    assert {"Recommandations", "Séries", "Valeurs", "Axes", "Organismes"} <= set(
        workbook.sheetnames
    )
    measures = workbook["Mesures"]
    headers = [cell.value for cell in measures[1]]
    assert headers[:6] == ["Numéro", "Axe", "Action", "Intitulé", "Intitulé (en)", "Statut"]
    assert measures.max_row == 46  # a header and 45 measures
    assert measures.cell(row=2, column=6).value == "Partiellement réalisée"  # the label


def test_the_json_export_is_the_whole_data(content: Path, cli) -> None:
    exported = json.loads(export(cli, "data.json").read_text(encoding="utf-8"))
    written: dict[str, object] = {}
    for document in data_loaded(content).values():
        for section, value in document.items():
            if isinstance(value, list):
                written[section] = [*written.get(section, []), *value]  # type: ignore[misc]
            else:
                written[section] = value
    as_json = json.loads(json.dumps(written, default=dt.date.isoformat))
    assert exported == as_json
    assert len(exported["measures"]) == 45


def test_an_export_imported_into_edited_data_gives_the_data_back(content: Path, cli) -> None:
    before, loaded = data_bytes(content), data_loaded(content)
    sheet = export(cli, "mesures.xlsx")
    measures = content / "data" / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    text = text.replace("status: non réalisée", "status: réalisée", 1)
    text = text.replace('title: "Instaurer une journée nationale"', 'title: "Autre chose"')
    text = text.replace("    lead: []\n", "    lead: [miprof]\n", 1)
    measures.write_text(text, encoding="utf-8")
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 0, run.err
    assert "(measures 1, 2, 4)" in run.lines[-1]
    assert data_loaded(content) == loaded
    assert data_bytes(content) == before


def test_a_bad_status_and_a_bad_date_are_two_located_lines_and_nothing_written(
    content: Path, cli
) -> None:
    before = data_bytes(content)
    sheet = export(cli, "mesures.xlsx")
    edit_workbook(sheet, "Mesures", {(12, "Statut"): "fait"})
    edit_workbook(sheet, "Éléments de preuve", {(3, "Date"): "2023-02-30"})
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 1
    assert run.problems == [
        "mesures.xlsx[Mesures]:12: Statut: 'fait' is not a known status (allowed: "
        "Réalisée, Partiellement réalisée, Non réalisée, Non documentée)",
        "mesures.xlsx[Éléments de preuve]:3: Date: '2023-02-30' is not a real date; "
        "write it as YYYY-MM-DD",
        "Nothing written: 2 problems; every file is as it was",
    ]
    assert "Traceback" not in run.err
    assert data_bytes(content) == before


def test_an_unknown_measure_and_a_duplicate_row_are_reported(content: Path, cli) -> None:
    before = data_bytes(content)
    sheet = write_csv(
        content.parent / "m.csv",
        "N°;Statut\n3;Réalisée\n99;Réalisée\n3;Non réalisée\n",
    )
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 1
    assert run.problems[:2] == [
        "m.csv:3: N°: no measure 99 in the data; add it to the data files first, or fix the N°",
        "m.csv:4: N°: measure 3 is already on row 2; keep one row per measure",
    ]
    assert data_bytes(content) == before


@pytest.mark.parametrize(
    "header",
    ["N°;Intitulé;Statut;Pilote", "Numéro;intitule;STATUT;Pilote", "number;title;status;lead"],
)
def test_headers_in_french_or_english(content: Path, cli, header: str) -> None:
    sheet = write_csv(
        content.parent / "m.csv",
        f"{header}\n11;Une mesure retrouvée;Done;MIPROF\n12;;not documented;\n",
    )
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 0, run.err
    measure = yaml.safe_load((content / "data/measures.yaml").read_text())["measures"][10]
    assert measure["title"] == "Une mesure retrouvée"
    assert measure["status"] == "réalisée"
    assert measure["lead"] == ["miprof"]


def test_an_unknown_header_is_named_with_a_suggestion(content: Path, cli) -> None:
    sheet = write_csv(content.parent / "m.csv", "N°,Statu\n3,Réalisée\n")
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 1
    assert run.problems[0].startswith("m.csv:1: Statu: unknown column (known: Numéro, Axe,")
    assert "did you mean 'Statut'?" in run.problems[0]


def test_a_mapping_in_report_yaml_names_the_coalition_columns(content: Path, cli) -> None:
    config = content / "report.yaml"
    mapping = 'import:\n  columns:\n    "Statut 2025": status\n    Observations: ignore\n'
    config.write_text(config.read_text(encoding="utf-8") + mapping, encoding="utf-8")
    sheet = write_csv(
        content.parent / "m.csv", "N°;Statut 2025;Observations\n11;Réalisée;à revoir\n"
    )
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 0, run.err
    assert yaml.safe_load((content / "data/measures.yaml").read_text())["measures"][10][
        "status"
    ] == ("réalisée")


def test_a_wrong_mapping_is_a_located_line_of_report_yaml(content: Path, cli) -> None:
    config = content / "report.yaml"
    lines = config.read_text(encoding="utf-8").count("\n")
    config.write_text(
        config.read_text(encoding="utf-8") + 'import:\n  columns:\n    "Statut 2025": statut\n',
        encoding="utf-8",
    )
    run = cli("check", "c")
    assert run.code == 1
    assert run.problems[0].startswith(f"c/report.yaml:{lines + 2}: import.columns: 'Statut 2025'")
    assert "did you mean 'status'?" in run.problems[0]


def test_comments_and_fields_the_sheet_lacks_survive_an_import(content: Path, cli) -> None:
    measures = content / "data" / "measures.yaml"
    comments = [line for line in measures.read_text().splitlines() if "#" in line]
    sheet = write_csv(
        content.parent / "m.csv",
        "N°,Appréciation\n8,Nouvelle appréciation\n10,Intitulé enfin trouvé\n",
    )
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 0, run.err
    text = measures.read_text()
    assert [line for line in text.splitlines() if "#" in line] == comments
    eight = yaml.safe_load(text)["measures"][7]
    assert eight["comment"] == "Nouvelle appréciation"
    assert eight["comment_en"].startswith("Status given by the CNCDH")  # not in the sheet
    assert eight["evidence"]  # nor this


def write_ods(path: Path, rows: list[list[object]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice Calc saves one."""
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
            if isinstance(value, int)
            else f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
            for value in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Mesures">'
        f"{cells}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def test_an_ods_sheet_is_imported(content: Path, cli) -> None:
    sheet = write_ods(
        content.parent / "mesures.ods",
        [["Numéro", "Intitulé", "Statut"], [12, "Une mesure de LibreOffice", "Non documentée"]],
    )
    run = cli("import", str(sheet), "--into", "c")
    assert run.code == 0, run.err
    twelve = yaml.safe_load((content / "data/measures.yaml").read_text())["measures"][11]
    assert twelve["title"] == "Une mesure de LibreOffice"


def test_dry_run_says_what_would_change_and_writes_nothing(content: Path, cli) -> None:
    before = data_bytes(content)
    sheet = write_csv(content.parent / "m.csv", "N°,Intitulé\n12,Un titre\n")
    run = cli("import", str(sheet), "--into", "c", "--dry-run")
    assert run.code == 0, run.err
    assert "would update c/data/measures.yaml" in run.lines[-1]
    assert data_bytes(content) == before


def test_export_never_writes_over_a_data_file(content: Path, cli) -> None:
    before = data_bytes(content)
    run = cli("export", "c", "-o", MEASURES, "--format", "json")
    assert run.code == 1
    assert run.problems[0].startswith(f"{MEASURES}: a json file's name ends with .json")
    assert data_bytes(content) == before


def test_a_file_that_is_not_a_spreadsheet_is_one_line(content: Path, cli) -> None:
    (content.parent / "m.xlsx").write_bytes(b"not a workbook")
    run = cli("import", "m.xlsx", "--into", "c")
    assert run.code == 1
    assert run.problems[0].startswith("m.xlsx: cannot be read as a spreadsheet")
    assert len(run.problems) == 2


def test_a_project_in_its_own_words_goes_round_trip(tmp_path: Path, cli, monkeypatch) -> None:
    """Commitments in themes, in English: the sheet speaks the coalition's words, and an
    edit undone by the first export gives every byte back."""
    monkeypatch.chdir(tmp_path)
    assert cli("new", "p", "--items", "commitment", "--groups", "theme").code == 0
    before = data_bytes(tmp_path / "p")
    assert cli("export", "p", "-o", "all.xlsx").code == 0
    assert openpyxl.load_workbook("all.xlsx").sheetnames[0] == "Commitments"
    edit = write_csv(tmp_path / "edit.csv", "Number;Theme;Lead;Sources\n2;t2;interior;@x\n")
    run = cli("import", str(edit), "--into", "p")
    assert run.code == 1  # '@x' is no bibliography key: checked as a build would
    assert "after the import" in run.problems[0]
    edit = write_csv(tmp_path / "edit.csv", "Number;Theme;Lead\n2;t2;interior\n")
    assert cli("import", str(edit), "--into", "p").code == 0
    assert data_bytes(tmp_path / "p") != before
    run = cli("import", "all.xlsx", "--into", "p")
    assert run.code == 0, run.err
    assert data_bytes(tmp_path / "p") == before


@pytest.mark.parametrize(
    ("kind", "cell", "value"),
    [
        ("date", "12/01/2023", dt.date(2023, 1, 12)),  # day first, as French offices write
        ("date", "2023-01-12", dt.date(2023, 1, 12)),
        ("date", dt.datetime(2023, 1, 12), dt.date(2023, 1, 12)),
        ("number", "2 872", 2872),
        ("number", "12,5", 12.5),
        ("number", 3.0, 3),
        ("bool", "Oui", True),
        ("bool", "non", False),
        ("texts", "@a\n@b\n", ["@a", "@b"]),
        ("texts", "@a | @b", ["@a", "@b"]),  # the report's CSV attachment
        ("int_or_text", "2015", 2015),
        ("int_or_text", "Paris", "Paris"),
    ],
)
def test_cells_read_as_people_type_them(kind: str, cell: object, value: object) -> None:
    from report.sources.cells import Names, from_cell
    from report.sources.columns import Column

    assert from_cell(cell, Column("f", kind), Names()) == value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "cell", "message"),
    [
        ("date", "12 janvier", "expected a date written YYYY-MM-DD, got '12 janvier'"),
        ("date", "31/02/2023", "'31/02/2023' is not a real date; write it as YYYY-MM-DD"),
        ("int", "douze", "expected a whole number, got 'douze'"),
        ("bool", "peut-être", "expected yes or no (oui / non, true / false), got 'peut-être'"),
    ],
)
def test_a_cell_that_cannot_be_read_says_what_to_write(kind: str, cell: str, message: str) -> None:
    from report.sources.cells import CellError, Names, from_cell
    from report.sources.columns import Column

    with pytest.raises(CellError, match=f"^{re.escape(message)}$"):
        from_cell(cell, Column("f", kind), Names())  # type: ignore[arg-type]
