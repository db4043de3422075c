"""Where each fact comes from: the data's sources, checked like the rest of the data.

A data source is a web address or ``@key``, the key of a bibliography entry (with an
optional locator: ``@cncdh-avis-2023, p. 9``); an evidence's ``cite:`` is a key with an
optional locator. A key the bibliography does not hold is an error, located on its line.
The rest are warnings, because the report can still be read, but a ministry's lawyer
would stop there:

- an address that is not http(s), which no reader can open;
- an address on a mirror, aggregator or proxy host (``mirrors:`` in report.yaml): the
  primary document's address belongs in ``URL:``, the mirror in ``copy-url:``;
- a dated fact later than the report's own date: an evidence, a chronology event, a
  dataset's year, a document of the bibliography (its issue or consultation date).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from report.errors import Problem
from report.sources.bibliography import KEY, BibEntry
from report.sources.dates import earliest_day, iso
from report.sources.problems import suggest

if TYPE_CHECKING:
    from report.sources.model import PlanData
    from report.sources.validate import Entry

CITED = re.compile(rf"^@?(?P<key>{KEY})(?:\s*,\s*(?P<locator>.+))?$")
# Sections whose ``source`` is a line of text printed under a chart, not a source.
PRINTED_SOURCE = frozenset({"figures"})
# The sections of PlanData that may cite sources.
DATA_SECTIONS = (
    "axes",
    "actions",
    "bodies",
    "measures",
    "recommendations",
    "datasets",
    "chronology",
)
# Nested lists whose items carry an address: a measure's evidence and history, a dataset's
# points.
NESTED = ("evidence", "history", "points")


def cited_key(text: str) -> tuple[str, str] | None:
    """'@key, p. 9' -> ('key', 'p. 9'); None when ``text`` is an address, not a key."""
    text = text.strip()
    if not text.startswith("@"):
        return None
    found = CITED.match(text)
    return (found["key"], found["locator"] or "") if found else ("", "")


def parse_cite(text: str) -> tuple[str, str]:
    """An evidence's ``cite:`` ('key, p. 9', with or without '@') -> ('key', 'p. 9')."""
    found = CITED.match(text.strip())
    return (found["key"], found["locator"] or "") if found else ("", "")


def addresses(section: str, value: Any) -> Iterator[tuple[tuple, str]]:
    """(where in the entry, text) of every source an entry gives, keys and addresses."""
    if section in PRINTED_SOURCE:
        return
    for index, text in enumerate(getattr(value, "sources", ())):
        yield ("sources", index), text
    if getattr(value, "source", ""):
        yield ("source",), value.source
    for name in NESTED:
        for index, part in enumerate(getattr(value, name, ())):
            for field in ("url", "source"):
                if getattr(part, field, ""):
                    yield (name, index, field), getattr(part, field)


def cites(section: str, value: Any) -> Iterator[tuple[tuple, str, str]]:
    """(where, key, locator) of every bibliography key an entry cites."""
    for where, text in addresses(section, value):
        found = cited_key(text)
        if found is not None:
            yield where, *found
    for index, evidence in enumerate(getattr(value, "evidence", ())):
        if evidence.cite:
            yield ("evidence", index, "cite"), *parse_cite(evidence.cite)


def cited_by_data(data: PlanData) -> frozenset[str]:
    """The bibliography keys the data cites, in every section."""
    return frozenset(
        key
        for section in (*DATA_SECTIONS, "tally")
        for value in _values(getattr(data, section))
        for _, key, _ in cites(section, value)
    )


def _values(section: Any) -> tuple:
    if section is None:
        return ()
    return section if isinstance(section, tuple) else (section,)


def check_cited_keys(
    entries: Mapping[str, list[Entry]], bibliography: Mapping[str, BibEntry], name: str
) -> Iterator[Problem]:
    """Every key the data cites is in the bibliography (``name`` is its file)."""
    for section, listed in entries.items():
        for entry in listed:
            for where, key, _ in cites(section, entry.value):
                if key not in bibliography:
                    yield entry.item.problem(where, unknown_key(key, bibliography, name))


def unknown_key(key: str, bibliography: Mapping[str, BibEntry], name: str) -> str:
    """The sentence for a key the bibliography does not hold, with the closest keys."""
    if not key:
        return "expected a bibliography key such as '@cncdh-2023' or '@cncdh-2023, p. 9'"
    if not bibliography:
        return f"'@{key}' is cited but there is no bibliography; add {name} with its entry"
    return f"'@{key}' is not in {name}{suggest(key, bibliography)}; fix the key or add the entry"


def data_warnings(
    entries: Mapping[str, list[Entry]], mirrors: Iterable[str], report_date: dt.date
) -> Iterator[Problem]:
    """Addresses no reader can open or that point to a mirror, and facts dated after the
    report."""
    hosts = tuple(mirrors)
    for section, listed in entries.items():
        for entry in listed:
            for where, text in addresses(section, entry.value):
                if cited_key(text) is None:
                    message = address_problem(text, hosts)
                    if message:
                        yield entry.item.problem(where, message)
            for where, fact, day in dated_facts(section, entry.value):
                if day > report_date:
                    yield entry.item.problem(where, later_than(fact, report_date))


def address_problem(
    text: str, mirrors: tuple[str, ...], field: str = "", cite: str = "'@key'"
) -> str:
    """Why an address is not a source a reader can trust, or '' when it is."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'{text}' is not a web address (http or https); write the full https:// address"
    mirror = on_mirror(parts.hostname or "", mirrors)
    if not mirror:
        return ""
    if field:
        return (
            f"{parts.hostname} is a mirror ('{mirror}' in mirrors:); put the primary "
            f"document's address in 'URL:' and this one in 'copy-url:'"
        )
    return (
        f"{parts.hostname} is a mirror ('{mirror}' in mirrors:); cite the primary document "
        f"from the bibliography ({cite}, with this address as its 'copy-url:')"
    )


def on_mirror(host: str, mirrors: Iterable[str]) -> str:
    """The mirror entry ``host`` falls under (itself or a parent domain), or ''."""
    host = host.lower().rstrip(".")
    for mirror in mirrors:
        name = mirror.lower().strip()  # a host; an address written whole gives its host
        name = (urlsplit(name).hostname or "") if "://" in name else name.split("/")[0]
        name = name.removeprefix("www.").strip(".")
        if name and (host == name or host.endswith("." + name)):
            return mirror
    return ""


def dated_facts(section: str, value: Any) -> Iterator[tuple[tuple, str, dt.date]]:
    """(where, as written, first day it could be known) of what an entry says happened: an
    evidence's publication, a chronology event, a dataset's yearly value (a whole-number
    ``x`` between 1900 and 2200, known once its year is over)."""
    for index, evidence in enumerate(getattr(value, "evidence", ())):
        if evidence.date is not None:
            yield ("evidence", index, "date"), iso(evidence.date), evidence.date
    if section == "chronology":
        yield ("date",), iso(value.date), earliest_day(value.date)
    if section == "datasets":
        for index, point in enumerate(value.points):
            if isinstance(point.x, int) and 1900 <= point.x <= 2200 and point.value is not None:
                year = f"the value for {point.x} (a year that ends on {point.x}-12-31)"
                yield ("points", index, "x"), year, dt.date(point.x, 12, 31)


def later_than(fact: str, report_date: dt.date) -> str:
    return (
        f"{fact} is after the report's date ({report_date.isoformat()}); a report cannot "
        "state what happened after it: correct the date, or the report's 'date:' in report.yaml"
    )


def bibliography_warnings(
    entries: Iterable[BibEntry], mirrors: Iterable[str], report_date: dt.date
) -> Iterator[Problem]:
    """Primary addresses on a mirror host, and documents issued or consulted after the
    report's date."""
    hosts = tuple(mirrors)
    for entry in entries:
        if entry.URL:
            message = address_problem(entry.URL, hosts, field="URL")
            if message:
                yield entry.problem("URL", message)
        for field, day in (("issued", entry.issued), ("accessed", entry.accessed)):
            if day is not None and earliest_day(day) > report_date:
                yield entry.problem(field, later_than(iso(day), report_date))
