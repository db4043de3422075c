"""The data's sources, unit by unit: which texts are keys, which are addresses, where each
is, and when a fact counts as later than the report."""

from __future__ import annotations

import datetime as dt

import pytest

from report.sources.config import DEFAULT_STATUSES
from report.sources.model import (
    Assessment,
    Axis,
    Dataset,
    Event,
    Evidence,
    Figure,
    Measure,
    PlanData,
    Point,
    Tally,
)
from report.sources.sourcing import (
    address_problem,
    addresses,
    cited_by_data,
    cited_key,
    cites,
    dated_facts,
    later_than,
    parse_cite,
    unknown_key,
)

STATUS = DEFAULT_STATUSES[0]
MEASURE = Measure(
    number=1,
    axis=Axis(key="a"),
    status=STATUS,
    sources=("@plan, p. 3", "https://example.org/plan"),
    evidence=(
        Evidence(label="Avis", url="https://example.org/avis", date=dt.date(2023, 1, 12)),
        Evidence(cite="avis-2023, p. 9"),
    ),
    history=(Assessment(date=dt.date(2022, 1, 1), status=STATUS, source="@bilan-2022"),),
)
DATASET = Dataset(
    key="d",
    title="D",
    points=(
        Point(x=2022, value=1, source="@enquete"),
        Point(x=2023, value=None),
        Point(x="total", value=3),
        Point(x=2024, value=5),
    ),
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("@plan", ("plan", "")),
        ("  @plan, p. 3 ", ("plan", "p. 3")),
        ("@jorf:2023.1,chap. 2", ("jorf:2023.1", "chap. 2")),
        ("https://example.org/@plan", None),
        ("rapport.pdf", None),
        ("@", ("", "")),
    ],
)
def test_a_source_is_a_key_when_it_starts_with_an_at_sign(text, found) -> None:
    assert cited_key(text) == found


def test_an_evidences_cite_may_drop_the_at_sign() -> None:
    assert parse_cite("avis-2023, p. 9") == ("avis-2023", "p. 9")
    assert parse_cite("@avis-2023") == ("avis-2023", "")
    assert parse_cite(", p. 9") == ("", "")


def test_every_source_of_an_entry_is_found_where_it_is_written() -> None:
    assert list(addresses("measures", MEASURE)) == [
        (("sources", 0), "@plan, p. 3"),
        (("sources", 1), "https://example.org/plan"),
        (("evidence", 0, "url"), "https://example.org/avis"),
        (("history", 0, "source"), "@bilan-2022"),
    ]
    assert list(addresses("datasets", DATASET)) == [(("points", 0, "source"), "@enquete")]
    assert list(addresses("tally", Tally(counts={}, source="@bilan"))) == [(("source",), "@bilan")]


def test_a_figures_source_is_a_printed_line_not_a_source() -> None:
    figure = Figure(id="f", kind="status_tally", title="T", source="rapport.pdf, p. 3")
    assert list(addresses("figures", figure)) == []


def test_the_keys_an_entry_cites_with_their_place_and_locator() -> None:
    assert list(cites("measures", MEASURE)) == [
        (("sources", 0), "plan", "p. 3"),
        (("history", 0, "source"), "bilan-2022", ""),
        (("evidence", 1, "cite"), "avis-2023", "p. 9"),
    ]


def test_the_keys_the_data_cites_in_every_section() -> None:
    data = PlanData(
        axes=(Axis(key="a", sources=("@axes",)),),
        measures=(MEASURE,),
        datasets=(DATASET,),
        tally=Tally(counts={}, source="@bilan"),
        chronology=(Event(date=2019, event="E", sources=("@chrono",)),),
    )
    assert cited_by_data(data) == {
        "axes",
        "plan",
        "bilan-2022",
        "avis-2023",
        "enquete",
        "bilan",
        "chrono",
    }
    assert cited_by_data(PlanData()) == frozenset()


def test_a_key_no_bibliography_holds_says_what_to_do() -> None:
    assert unknown_key("", {}, "b.yaml") == (
        "expected a bibliography key such as '@cncdh-2023' or '@cncdh-2023, p. 9'"
    )
    assert unknown_key("avis", {}, "b.yaml") == (
        "'@avis' is cited but there is no bibliography; add b.yaml with its entry"
    )


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("https://example.org/x", ""),
        ("http://example.org", ""),
        ("https://", "'https://' is not a web address (http or https)"),
        ("ftp://example.org/x", "'ftp://example.org/x' is not a web address (http or https)"),
        ("example.org/x", "'example.org/x' is not a web address (http or https)"),
        ("https://fr.readkong.com/x", "fr.readkong.com is a mirror ('readkong.com' in mirrors:)"),
    ],
)
def test_an_address_a_reader_cannot_open_or_trust(address: str, message: str) -> None:
    found = address_problem(address, ("readkong.com",))
    assert found.startswith(message) and bool(found) == bool(message)


def test_what_a_mirror_warning_asks_depends_on_where_the_address_is() -> None:
    url = "https://fr.readkong.com/x"
    assert address_problem(url, ("readkong.com",), field="URL").endswith(
        "put the primary document's address in 'URL:' and this one in 'copy-url:'"
    )
    assert address_problem(url, ("readkong.com",), cite="[@key]").endswith(
        "cite the primary document from the bibliography ([@key], with this address as its "
        "'copy-url:')"
    )


def test_a_yearly_value_is_known_once_its_year_is_over() -> None:
    facts = list(dated_facts("datasets", DATASET))
    assert facts == [
        (
            ("points", 0, "x"),
            "the value for 2022 (a year that ends on 2022-12-31)",
            dt.date(2022, 12, 31),
        ),
        (
            ("points", 3, "x"),
            "the value for 2024 (a year that ends on 2024-12-31)",
            dt.date(2024, 12, 31),
        ),
    ]  # 2023 has no value, 'total' is no year


def test_an_evidence_and_an_event_are_dated_from_their_first_day() -> None:
    assert list(dated_facts("measures", MEASURE)) == [
        (("evidence", 0, "date"), "2023-01-12", dt.date(2023, 1, 12))
    ]
    event = Event(date="2023-02", event="E")
    assert list(dated_facts("chronology", event)) == [(("date",), "2023-02", dt.date(2023, 2, 1))]


def test_a_fact_of_the_reports_own_day_is_not_later(project, cli) -> None:
    project.replace("data/measures.yaml", "date: 2022-05-01", "date: 2023-02-18")
    project.write("data/chronologie.yaml", "chronology:\n  - {date: 2023-02-18, event: E}\n")
    project.write(
        "bibliography.yaml",
        "- {id: a, title: A, issued: 2023-02-18, accessed: 2023-02-18}\n",
    )
    project.append("chapters/01-synthese.md", "[@a]\n")
    assert cli("check", "p").warnings == []


def test_the_later_than_sentence_names_both_dates() -> None:
    assert later_than("2024", dt.date(2023, 2, 18)) == (
        "2024 is after the report's date (2023-02-18); a report cannot state what happened "
        "after it: correct the date, or the report's 'date:' in report.yaml"
    )
