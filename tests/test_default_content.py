"""The default report in ``content/``: its data says only what the sources say, and it builds.

Three guards:

* the data: measures 1-9 carry the CNCDH's statuses, every other measure is
  ``non documentée`` and untitled (except 16 and 19, whose titles are published);
* the PDF: built once per module, it shows every measure, the official tally, the known
  titles and every source URL the content cites;
* the chapters: no tally figure is typed by hand, all come from template expressions.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from report.app.build import build
from report.compose.markdown import markdown_parser

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


def test_lead_body_known_only_for_measure_8(data):
    leads = {m.number: tuple(b.key for b in m.lead) for m in data.measures if m.lead}
    assert leads == {8: ("miprof", "ondrp", "ssmsi")}


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


def content_urls() -> set[str]:
    """Every URL in data files and chapter links (footnotes included)."""
    urls: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            urls.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((CONTENT / "data").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((CONTENT / "chapters").glob("*.md")):
        urls.update(re.findall(r"\]\((https?://[^)\s]+)\)", path.read_text(encoding="utf-8")))
    return urls


def test_every_source_url_appears_in_the_pdf(text):
    normalize = markdown_parser().normalizeLink
    urls = content_urls()
    assert len(urls) > 50
    missing = sorted(
        url for url in urls if squeeze(url) not in text and squeeze(normalize(url)) not in text
    )
    assert missing == []


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
