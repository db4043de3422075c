"""The default report in ``content/``: its data says only what the sources say, and it builds.

Three guards:

* the data: measures 1-9 carry the CNCDH's statuses, every other measure is
  ``non documentée`` and untitled (except 16 and 19, whose titles are published);
* the PDF: built once per module, it shows every measure, the official tally, the known
  titles, and the bibliography of every document the content cites, mirrors only as
  copies consulted;
* the chapters: no tally figure is typed by hand, all come from template expressions.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from report.app.build import build

CONTENT = Path(__file__).resolve().parent.parent / "content"

# The CNCDH's status for the only measures whose status is published (avis A-2023-1, TOC).
KNOWN_STATUSES = {
    1: "partiellement réalisée",
    2: "non réalisée",
    3: "partiellement réalisée",
    4: "non réalisée",
    5: "partiellement réalisée",
    6: "partiellement réalisée",
    7: "partiellement réalisée",
    8: "partiellement réalisée",
    9: "partiellement réalisée",
}
KNOWN_TITLES = {
    1: "Informer et sensibiliser sur les risques d'exploitation",
    2: "Créer un site gouvernemental dédié",
    3: "Soutenir des campagnes d'information et de sensibilisation menées par les associations",
    4: "Instaurer une journée nationale",
    5: "Informer le monde de l'entreprise",
    6: "Introduire dans les programmes scolaires le sujet de la TEH et de ses formes "
    "d'exploitation",
    7: "Sensibiliser les populations migrantes sur les risques d'exploitation",
    8: "Pérenniser l'enquête sur les victimes de TEH suivies par les associations",
    9: "Publier annuellement les données administratives disponibles en France",
    16: "Mettre en place un mécanisme national de référence",
    19: "Soutenir les projets innovants",
}
OFFICIAL_TALLY = {"réalisée": 3, "partiellement réalisée": 28, "non réalisée": 14}
UNKNOWN = "non documentée"


# --- (a) the data says only what the sources say -------------------------------------


def test_the_plan_has_45_measures_numbered_1_to_45(data):
    assert [m.number for m in data.measures] == list(range(1, 46))


def test_measures_1_to_9_have_the_cncdh_statuses(data):
    statuses = {m.number: m.status.key for m in data.measures if m.number <= 9}
    assert statuses == KNOWN_STATUSES


def test_every_other_measure_is_undocumented(data):
    """Fails as soon as a measure beyond 9 gets a status no source gives."""
    wrong = {
        m.number: m.status.key
        for m in data.measures
        if m.number not in KNOWN_STATUSES and m.status.key != UNKNOWN
    }
    assert wrong == {}


def test_titles_only_where_published(data):
    titles = {m.number: m.title for m in data.measures if m.title}
    assert titles == KNOWN_TITLES


def test_measure_10_fragment_stays_out_of_the_title(data):
    measure = data.measure_by_number[10]
    assert measure.title is None
    assert "Réalis…" in measure.comment


def test_no_measure_names_a_pilot_the_plan_text_does_not_show(data):
    """The plan's text was not found: no measure has a lead or partner body. Measure 8 says
    who ran its survey, as a fact about the survey, and that the plan's pilot is unknown."""
    named = {m.number for m in data.measures if m.lead or m.partners}
    assert named == set()
    comment = data.measure_by_number[8].comment
    for body in ("MIPROF", "ONDRP", "SSMSI"):
        assert body in comment
    assert "pilote que le plan désigne" in comment and "n'est pas documenté" in comment


def test_the_ondrp_closed_at_the_end_of_2020_and_the_ssmsi_took_over(data):
    ondrp = data.body_by_key["ondrp"]
    assert ondrp.until == dt.date(2020, 12, 31)
    assert ondrp.successor == "ssmsi"


def test_only_axis_1_has_a_title(data):
    titled = [axis.key for axis in data.axes if axis.title]
    assert titled == ["axe-1"]
    assert sorted(axis.number for axis in data.axes if axis.number) == [1, 2, 3, 4, 5, 6]


def test_official_tally(data):
    assert data.tally is not None
    assert data.tally.counts == OFFICIAL_TALLY
    assert data.tally.total == 45
    assert "44" in data.tally.note


def test_every_measure_and_dataset_cites_a_source(data):
    assert [m.number for m in data.measures if not m.sources] == []
    assert [d.key for d in data.datasets if not d.sources] == []
    for dataset in data.datasets:
        for point in dataset.points:
            assert point.value is None or point.source, (dataset.key, point.x)


def test_missing_years_are_gaps_not_zeros(data):
    points = {p.x: p.value for p in data.dataset_by_key["victimes-accompagnees"].points}
    assert [year for year, value in points.items() if value is None] == [2016, 2017, 2023]
    assert 0 not in points.values()


# --- (b) the built PDF -----------------------------------------------------------------


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the default content once; keep the result and any warning logged."""
    counter = _Warnings()
    loggers = [logging.getLogger(name) for name in ("report", "weasyprint")]
    for log in loggers:
        log.addHandler(counter)
    try:
        result = build(CONTENT, tmp_path_factory.mktemp("default"))
    finally:
        for log in loggers:
            log.removeHandler(counter)
    return result, counter.messages


@pytest.fixture(scope="module")
def pages(built):
    result, _ = built
    return [page.extract_text() or "" for page in PdfReader(result.pdf).pages]


def squeeze(text: str) -> str:
    """Text without spaces or line breaks, ligatures undone, apostrophes straight."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def text(pages):
    return squeeze("\n".join(pages))


def test_build_logs_no_warning(built):
    _, warnings = built
    assert warnings == []


def test_recap_shows_all_45_measures(pages):
    recap = [page for page in pages if "Légende" in page]
    assert recap, "no page holds the recap legend"
    numbers = {int(n) for n in re.findall(r"\b\d{1,2}\b", recap[0])}
    assert set(range(1, 46)) <= numbers


def test_tally_figures_are_printed(text):
    for count in OFFICIAL_TALLY.values():
        assert f"{count}/45" in text


def test_known_titles_are_printed(text):
    for number, title in KNOWN_TITLES.items():
        assert squeeze(title) in text, number


def test_unknown_titles_are_marked(text):
    assert "intitulénonpublié" in text


def spaced(text: str) -> str:
    """No-break spaces (before ':', after a number) as plain ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def longest_run(flags: list[bool]) -> int:
    longest = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        longest = max(longest, current)
    return longest


def test_no_run_of_placeholder_rows_or_cards_is_longer_than_one(built, pages):
    """36 measures are known by their number only: the table says so in one row per run
    ("Mesures 20 à 45 : intitulé non publié"), never in rows of identical placeholders,
    and no two cards in a row are headed "intitulé non publié"."""
    lines = [spaced(line).strip() for page in pages for line in page.splitlines()]
    rows = [bool(re.match(r"\d+ intitulé non publié", line)) for line in lines]
    assert sum(rows) >= 1 and longest_run(rows) == 1
    assert "Mesures 20 à 45 : intitulé non publié ? Non documentée" in lines
    html = built[0].html.read_text(encoding="utf-8")
    titles = re.findall(r'<h3 class="measure-title">.*?</h3>', html)
    assert titles and longest_run(["intitulé non publié" in title for title in titles]) <= 1


def test_the_measures_table_names_every_measure_once(built):
    """Rows and runs of rows together name measures 1 to 45, each once, in order."""
    html = spaced(built[0].html.read_text(encoding="utf-8"))
    table = re.search(r'<table class="measures-table">.*?</table>', html, re.S)[0]
    named: list[int] = []
    for row in re.findall(r"<tr[ >].*?</tr>", table, re.S)[1:]:  # after the header
        number = re.search(r'<td class="number">(\d+)</td>', row)
        if number:
            named.append(int(number[1]))
            continue
        run = re.search(r"Mesures? ([\d à\-et,]+?) :", row)
        for first, last in re.findall(r"(\d+)(?: à |-)?(\d+)?", run[1]):
            named.extend(range(int(first), int(last or first) + 1))
    assert named == list(range(1, 46))
    assert len(re.findall(r"<tr[ >]", table)) < 20  # runs make the table one page long


def test_every_measure_anchor_is_given_once(built):
    """``[[M12]]`` and the recap's links lead to one element per measure."""
    html = built[0].html.read_text(encoding="utf-8")
    ids = Counter(re.findall(r'\sid="(mesure-\d+)"', html))
    assert ids == Counter({f"mesure-{n}": 1 for n in range(1, 46)})


def cited_keys() -> set[str]:
    """Every bibliography key the content cites: '@key' in the data, [@key] in chapters."""
    keys: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            keys.update(re.findall(r"^@([\w:.-]+)", value.strip()))
        elif isinstance(value, dict):
            if "cite" in value:
                keys.add(value["cite"].split(",")[0].strip().lstrip("@"))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((CONTENT / "data").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((CONTENT / "chapters").glob("*.md")):
        keys.update(re.findall(r"[\[; ]-?@([\w:.-]*\w)", path.read_text(encoding="utf-8")))
    return keys


@pytest.fixture(scope="module")
def bibliography():
    raw = yaml.safe_load((CONTENT / "bibliography.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in raw["references"]}


def test_sources_are_documents_of_the_bibliography_never_bare_addresses():
    """Data and chapters cite documents by key; no address is typed outside the
    bibliography, so every source has its issuing body, title and identifiers."""
    for path in sorted((CONTENT / "data").glob("*.yaml")):
        assert "http" not in path.read_text(encoding="utf-8"), path.name
    for path in sorted((CONTENT / "chapters").glob("*.md")):
        assert not re.search(r"\]\(https?://", path.read_text(encoding="utf-8")), path.name


def test_the_full_report_cites_every_entry_and_only_entries(bibliography):
    keys = cited_keys()
    assert len(keys) > 50
    assert keys == set(bibliography)


def test_mirrors_are_only_copies_consulted(config, bibliography):
    """A mirror, aggregator or proxy never stands for the primary document; Wikipedia is
    never a source."""
    mirrors = tuple(config.mirrors)
    assert "readkong.com" in mirrors and "wikipedia.org" in mirrors

    def on_mirror(url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return any(host == m or host.endswith("." + m) for m in mirrors)

    primary = [key for key, entry in bibliography.items() if on_mirror(entry.get("URL", ""))]
    assert primary == []
    copies = {key for key, entry in bibliography.items() if entry.get("copy-url")}
    assert "cncdh-avis-2023" in copies  # the CNCDH's PDF was not found: its TOC is a copy
    assert bibliography["cncdh-avis-2023"]["URL"].startswith("https://www.legifrance.gouv.fr/")


def flowing(pages: list[str]) -> str:
    """The text of the pages without their running heads and folios, so that a line
    that goes on over a page break reads as one."""
    kept = []
    for page in pages:
        lines = page.splitlines()
        if lines and re.fullmatch(r"\d+ / \d+", lines[-1].strip()):
            lines = lines[:-2]  # the running head and the folio, which pypdf reads last
        kept.append("\n".join(lines))
    return squeeze("\n".join(kept))


def test_every_cited_document_and_its_address_is_in_the_bibliography(text, pages, bibliography):
    read = flowing(pages)
    missing = [
        key
        for key, entry in bibliography.items()
        if (entry.get("URL") or entry.get("copy-url"))
        and squeeze(entry.get("URL") or entry["copy-url"]) not in read
    ]
    assert missing == []
    # A document no address was found for says so (the 2021 decree: Légifrance not found).
    unaddressed = [e for e in bibliography.values() if not (e.get("URL") or e.get("copy-url"))]
    assert all("non trouvée" in entry["note"] for entry in unaddressed)
    assert "Bibliographie" in text and "sourceprimairenontrouvée" in text


def test_nothing_is_dated_after_the_report(config, data, bibliography):
    """The report is dated at the latest fact it cites: no document, event or data year
    is later than its date."""
    issued = [str(entry["issued"]) for entry in bibliography.values() if "issued" in entry]
    assert max(issued) <= config.date.isoformat()
    assert all(str(event.date) <= config.date.isoformat() for event in data.chronology)
    years = [p.x for d in data.datasets for p in d.points if isinstance(p.x, int)]
    assert dt.date(max(years), 12, 31) <= config.date  # the last data year is over


def link_targets(pdf: Path) -> list[str]:
    """Every web address a reader of the PDF can click."""
    with pikepdf.open(pdf) as document:
        return [
            str(annotation.A.URI)
            for page in document.pages
            for annotation in page.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link" and "/URI" in annotation.get("/A", {})
        ]


PROXY = re.compile(r"haohao\.work\.gd|easy24\.cz|siteproxy|google\.[a-z.]+/url|aHR0c")


def test_no_link_of_the_pdf_leads_to_a_proxy_or_stands_a_mirror_for_a_document(
    built, config, bibliography
):
    """A mirror appears only as the copy consulted of a document; a proxy or Wikipedia
    never appears."""
    result, _ = built
    targets = link_targets(result.pdf)
    assert len(targets) > 80
    copies = {entry["copy-url"] for entry in bibliography.values() if "copy-url" in entry}
    mirrors = tuple(config.mirrors)
    on_mirror = [
        url
        for url in targets
        if any(
            (urlsplit(url).hostname or "") == host
            or (urlsplit(url).hostname or "").endswith("." + host)
            for host in mirrors
        )
    ]
    assert on_mirror and set(on_mirror) <= copies
    assert [url for url in targets if PROXY.search(url) or "wikipedia" in url] == []


def test_the_annex_is_a_keyed_bibliography_not_a_list_of_addresses(built, bibliography):
    result, _ = built
    html = result.html.read_text(encoding="utf-8")
    assert '<ol class="sources">' not in html
    entries = re.findall(r'<li id="ref-([^"]+)" role="doc-biblioentry">', html)
    assert sorted(entries) == sorted(re.sub(r"[^\w-]", "-", key) for key in bibliography)
    # Each note's citation leads to its entry.
    cited = set(re.findall(r'<a class="citation" href="#ref-([^"]+)"', html))
    assert cited and cited <= set(entries)


# --- (c) no tally figure typed by hand -------------------------------------------------

TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def typed_figure_patterns() -> list[re.Pattern]:
    """'3 sur 45', '28 partiellement', '14 non réalisées', '45 mesures'... in digits or words."""
    words = {3: "trois", 28: "vingt-huit", 14: "quatorze", 45: "quarante-cinq"}
    nouns = r"(?:sur|mesures?|partiellement|non\s+réalisées?|réalisées?|seulement)"
    patterns = []
    for number in (*OFFICIAL_TALLY.values(), sum(OFFICIAL_TALLY.values())):
        for spelled in (str(number), words[number]):
            patterns.append(
                re.compile(rf"(?<![\w-]){spelled}[\s\u00a0\u202f]+{nouns}\b", re.IGNORECASE)
            )
    patterns.append(re.compile(r"\bsur[\s\u00a0\u202f]+(?:45|quarante-cinq)\b", re.IGNORECASE))
    return patterns


def typed_figures(markdown: str) -> list[str]:
    prose = TEMPLATE_CODE.sub(" ", markdown)
    return [match[0] for pattern in typed_figure_patterns() for match in pattern.finditer(prose)]


def test_detector_catches_typed_figures():
    assert typed_figures("Seules 3 sur 45 ont abouti ; 45 mesures, 14 non réalisées.")
    assert typed_figures("vingt-huit partiellement")
    assert not typed_figures("{{ figures.category('done') }} sur {{ figures.total }} mesures")


@pytest.mark.parametrize(
    "chapter", sorted((CONTENT / "chapters").glob("*.md")), ids=lambda path: path.name
)
def test_no_tally_figure_typed_in_chapters(chapter):
    assert typed_figures(chapter.read_text(encoding="utf-8")) == []


def test_every_font_is_a_theme_font_never_a_fallback(built):
    """No silent fallback: code samples too use the installed Linux Libertine family."""
    import pikepdf

    result, _ = built
    with pikepdf.open(result.pdf) as pdf:
        names = {
            str(font.BaseFont).split("+")[-1]
            for page in pdf.pages
            for font in page.obj.Resources.get("/Font", {}).values()
        }
    assert names and all(
        name.startswith(("Linux-Libertine", "Linux-Biolinum")) for name in names
    ), names
