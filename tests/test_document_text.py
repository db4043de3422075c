"""What the HTML says the PDF must hold, read back: each id counted, each run of text with
its chapter, and the runs found neither in the laid-out text nor in the footnotes.

``test_document_ids.py`` checks the same through builds; these are pure functions of
strings.
"""

from __future__ import annotations

from itertools import pairwise

from report.output import document_text
from report.output.document_text import TextRun, lost_text, read


def runs(html: str) -> list[tuple[str, str]]:
    return [(run.text, run.chapter) for run in read(html).runs]


def test_hyphenation_line_breaks_footnotes_and_page_breaks_are_not_losses() -> None:
    runs = [
        TextRun("Le plan comptait quarante-cinq mesures", "a"),
        TextRun("Note.", "a"),
        TextRun("Suite du paragraphe", "a"),
        TextRun("Ailleurs", "b"),
    ]
    flow = "Le plan comp‐\ntait QUARANTE-CINQ\u00a0mesures (p. 3) Suite du para‐graphe Ailleurs"
    assert lost_text(runs, flow, notes="1. Note.") == []


def test_a_run_missing_from_flow_and_notes_is_lost() -> None:
    runs = [TextRun("Premier", "a"), TextRun("Disparu", "a"), TextRun("Dernier", "a")]
    assert lost_text(runs, "Premier Dernier", notes="") == [TextRun("Disparu", "a")]


def test_runs_are_read_outside_the_head_styles_and_scripts() -> None:
    document = read(
        "<html><head><title>Titre</title><style>p{}</style></head><body>"
        '<section class="chapter" id="c1"><p>Un <b>deux</b></p><svg><text>x</text></svg>'
        "<script>var a;</script></section></body></html>"
    )
    assert [(run.text, run.chapter) for run in document.runs] == [("Un ", "c1"), ("deux", "c1")]


def test_text_before_the_first_chapter_belongs_to_no_chapter() -> None:
    html = (
        '<p>Couverture</p><section class="chapter" id="c1"><p>Un</p>'
        '<section id="encadre"><p>Deux</p></section></section>'
        '<div class="chapter" id="faux"><p>Trois</p></div>'
        '<section class="chapter annex"><p>Quatre</p></section>'
    )
    assert runs(html) == [
        ("Couverture", ""),
        ("Un", "c1"),
        ("Deux", "c1"),
        ("Trois", "c1"),
        ("Quatre", ""),
    ]


def test_entities_are_read_as_the_characters_they_stand_for() -> None:
    assert runs("<p>Sécurité &amp; droits &#8212; bilan&nbsp;2024</p>") == [
        ("Sécurité & droits \u2014 bilan\u00a02024", "")
    ]


def test_text_nested_in_a_hidden_element_stays_hidden() -> None:
    html = "<svg><title>Légende</title><text>42 %</text></svg><p>Après</p>"
    assert runs(html) == [("Après", "")]


def test_every_id_is_counted_and_empty_ones_ignored() -> None:
    document = read('<p id="a"></p><p id="a"><span id="b" class="x"></span></p><p id=""></p>')
    assert document.ids == {"a": 2, "b": 1}


def test_each_run_is_looked_for_from_where_the_previous_one_was_found(monkeypatch) -> None:
    """The search goes on from the previous run instead of starting over: on a long report
    the check stays linear (from the start each time, it grows with the square of the
    report's length). Counted, not timed: each run is searched once, never from 0."""
    searches: list[int] = []

    class Flow(str):
        def find(self, wanted: str, start: int = 0, *rest: int) -> int:  # type: ignore[override]
            searches.append(start)
            return super().find(wanted, start, *rest)

    original = document_text.normal
    monkeypatch.setattr(document_text, "normal", lambda text: Flow(original(text)))
    runs = [TextRun(f"Paragraphe {number} du rapport", "c") for number in range(500)]
    flow = "".join(run.text + "Pagedurapportannuel" * 20 for run in runs)
    assert lost_text(runs, flow, notes="") == []
    assert len(searches) == len(runs)
    assert searches[0] == 0 and all(a < b for a, b in pairwise(searches))
