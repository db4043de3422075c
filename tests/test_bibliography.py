"""The bibliography file as data: CSL YAML or a reference manager's CSL JSON, each entry
checked and located like every other entry, and handed to citeproc as CSL JSON."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from report.errors import DataError
from report.sources.bibliography import BibEntry, csl_date, load_bibliography, web_address
from report.sources.config import Config
from report.sources.dates import date_parts, earliest_day, iso

CONFIG = Config(title="T", date=dt.date(2025, 12, 31))


def load(folder: Path, text: str, name: str = "bibliography.yaml") -> tuple[BibEntry, ...]:
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    config = (
        CONFIG if name == "bibliography.yaml" else CONFIG.model_copy(update={"bibliography": name})
    )
    return load_bibliography(folder, config)


def problems(folder: Path, text: str, name: str = "bibliography.yaml") -> list[str]:
    with pytest.raises(DataError) as caught:
        load(folder, text, name)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ({"date-parts": [[2023, 1, 12]]}, dt.date(2023, 1, 12)),
        ({"date-parts": [[2023, 1]]}, "2023-01"),
        ({"date-parts": [[2023]]}, "2023"),
        ({"date-parts": [["2023", "3", ""]]}, "2023-03"),
        ([{"year": 2021, "month": 6}], "2021-06"),
        ([{"year": 2021, "month": 6, "day": 5}], dt.date(2021, 6, 5)),
        ("2023-01", "2023-01"),
        (2023, 2023),
    ],
)
def test_dates_are_read_as_reference_managers_write_them(written, read) -> None:
    assert csl_date(written) == read


def test_an_empty_date_parts_is_no_date() -> None:
    assert csl_date({"date-parts": []}) == ""


@pytest.mark.parametrize("address", ["www.example.org", "https://", "ftp://example.org/x"])
def test_an_address_a_reader_cannot_open_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match="is not a web address; write it with https://"):
        web_address(address)


def test_entries_keep_their_file_lines_for_every_later_message(tmp_path: Path) -> None:
    [first, second] = load(
        tmp_path,
        """\
        references:
          - id: a
            title: A
          - id: b
            title: B
            URL: https://example.org/b
        """,
    )
    assert (first.line, second.line) == (2, 4)
    assert str(second.problem("URL", "m")) == f"{tmp_path / 'bibliography.yaml'}:6: [1].URL: m"
    assert str(second.problem("issued", "m")).endswith(":4: [1].issued: m")  # the entry's line


def test_other_csl_variables_reach_citeproc_as_csl_json(tmp_path: Path) -> None:
    [entry] = load(
        tmp_path,
        """\
        - id: a
          type: chapter
          title: Un chapitre
          author: [{family: Martin, given: Anne}, CNCDH]
          collection-title: Études
          editor: [Paul Durand]
          translator: Marie Petit
          original-date: {date-parts: [[1999, 4]]}
          page: 12-14
          volume: 3
          issued: 2021-03
        """,
    )
    assert entry.csl() == {
        "id": "a",
        "type": "chapter",
        "title": "Un chapitre",
        "author": [{"family": "Martin", "given": "Anne"}, {"literal": "CNCDH"}],
        "collection-title": "Études",
        "issued": {"date-parts": [[2021, 3]]},
        "editor": [{"literal": "Paul Durand"}],
        "translator": [{"literal": "Marie Petit"}],
        "original-date": {"date-parts": [[1999, 4]]},
        "page": "12-14",
        "volume": 3,
    }


def test_a_csl_json_export_indented_with_tabs_is_read_with_its_lines(tmp_path: Path) -> None:
    text = '[\n\t{\n\t\t"id": "a",\n\t\t"title": "A",\n\t\t"URL": "example.org"\n\t}\n]\n'
    assert problems(tmp_path, text, "export.json") == [
        f"{tmp_path / 'export.json'}:5: [0].URL: 'example.org' is not a web address; write it "
        "with https://"
    ]


def test_a_file_that_is_not_a_list_says_how_to_write_it(tmp_path: Path) -> None:
    assert problems(tmp_path, "id: a\ntitle: A\n") == [
        f"{tmp_path / 'bibliography.yaml'}:1: expected a list of entries (lines starting with "
        "'- '), or 'references:' and the list"
    ]


def test_a_yaml_mistake_is_a_data_error_on_its_line(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, "- id: a\n  title: [A\n")
    assert problem.startswith(f"{tmp_path / 'bibliography.yaml'}:") and "YAML syntax" in problem


def test_every_wrong_entry_is_told_not_only_the_first(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        - id: a
          auteur: X
          title: A
        - id: b
          type: rapport
          title: B
        - id: c
          title: C
        - id: c
          title: C again
        - id: d
        """,
    )
    path = tmp_path / "bibliography.yaml"
    assert found == [
        f"{path}:2: [0].auteur: unknown key 'auteur' (allowed: id, type, author, title, "
        "title-short, container-title, collection-title, genre, number, publisher, issued, "
        "accessed, URL, copy-url, note, language, or any CSL variable such as page, volume, "
        "DOI; did you mean 'author'?)",
        f"{path}:5: [1].type: 'rapport' is not a known CSL type (allowed: report, legislation, "
        "legal_case, bill, book, chapter, article-journal, article-newspaper, article-magazine, "
        "webpage, post-weblog, document, dataset, speech, interview, pamphlet, manuscript, "
        "thesis, treaty, regulation, standard, hearing, personal_communication, "
        "entry-encyclopedia; did you mean 'report'?)",
        f"{path}:9: [3].id: the key 'c' is already used (line 7); each entry needs its own",
        f"{path}:11: [4].title: is required; add it",
    ]


def test_no_file_is_no_bibliography(tmp_path: Path) -> None:
    assert load_bibliography(tmp_path, CONFIG) == ()


def test_a_translated_description_replaces_the_original_in_its_edition(tmp_path: Path) -> None:
    text = '- id: a\n  title: "[Page du Collectif]"\n  title_en: "[The Collectif\'s page]"\n'
    (tmp_path / "bibliography.yaml").write_text(text, encoding="utf-8")
    english = CONFIG.model_copy(update={"language": "en"})
    english._source_language = "fr"
    assert load_bibliography(tmp_path, english)[0].title == "[The Collectif's page]"
    assert load_bibliography(tmp_path, CONFIG)[0].title == "[Page du Collectif]"


@pytest.mark.parametrize(
    ("written", "parts", "first_day", "shown"),
    [
        ("2023-1-5", [2023, 1, 5], dt.date(2023, 1, 5), "2023-01-05"),
        ("2023-01", [2023, 1], dt.date(2023, 1, 1), "2023-01"),
        (2023, [2023], dt.date(2023, 1, 1), "2023"),
        (dt.date(2023, 2, 28), [2023, 2, 28], dt.date(2023, 2, 28), "2023-02-28"),
    ],
)
def test_a_partial_date_is_as_precise_as_written(written, parts, first_day, shown) -> None:
    assert (date_parts(written), earliest_day(written), iso(written)) == (parts, first_day, shown)


@pytest.mark.parametrize("written", ["2023-02-30", "2023-13", "23", "2023/01", "janvier 2023"])
def test_a_date_that_does_not_exist_says_how_to_write_one(written) -> None:
    with pytest.raises(ValueError) as caught:
        date_parts(written)
    assert str(caught.value) == f"'{written}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY"
