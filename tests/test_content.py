"""Chapters: Markdown to HTML, footnotes, boxes, attributes, [[M1]], expressions."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from support import write_files, write_png

from report.compose.chapters import (
    Narrative,
    chapter_files,
    convert_chapter,
    load_chapters,
    place_blocks,
)
from report.compose.markdown import markdown_to_html
from report.compose.placement import Placement
from report.errors import ContentError
from report.sources.config import Config
from report.sources.files import MarkdownSource
from report.sources.model import Axis, Measure, Recommendation
from report.sources.statuses import DEFAULT_STATUSES

CONFIG = Config(title="T", date=dt.date(2023, 1, 2))

FRENCH_WORDS = Config(title="T", date=dt.date(2023, 1, 2)).words


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c" / "chapters").mkdir(parents=True)
    return Path("c")


def source(
    content: Path,
    body: str,
    front_matter: dict | None = None,
    body_line: int = 1,
    name: str = "01-synthese.md",
) -> MarkdownSource:
    return MarkdownSource(content / "chapters" / name, front_matter or {}, body, body_line)


def html_of(content: Path, markdown: str) -> str:
    return markdown_to_html(markdown, source(content, markdown), content).html


def narrative(content: Path, **components) -> Narrative:
    axis, status = Axis(key="a"), DEFAULT_STATUSES[0]
    return Narrative(
        variables={"total": 45, "plan": {"title": "Plan"}},
        components=components,
        words=FRENCH_WORDS,
        measures={n: Measure(number=n, axis=axis, status=status) for n in (1, 2, 12)},
        recommendations={},
        content_dir=content,
        placement=Placement(),
    )


def problems_of(call, *args) -> list[str]:
    with pytest.raises(ContentError) as caught:
        call(*args)
    return [str(problem) for problem in caught.value.problems]


# --- Markdown --------------------------------------------------------------------------


def test_footnotes_become_inline_spans_at_their_call(content: Path) -> None:
    html = html_of(
        content,
        "Un fait[^a] et un autre[^b].\n\n[^a]: Source *officielle*.\n[^b]: Deux\n    lignes.\n",
    )
    assert html == (
        '<p>Un fait<span class="footnote-call" role="doc-noteref"><span class="footnote" '
        'role="doc-footnote">Source <em>officielle</em>.</span></span> et un autre<span '
        'class="footnote-call" role="doc-noteref"><span class="footnote" role="doc-footnote">'
        "Deux\nlignes.</span></span>.</p>\n"
    )


def test_a_footnote_calling_another_footnote_is_a_located_error(content: Path) -> None:
    text = "Un fait[^a].\n\n[^a]: Voir aussi[^b].\n[^b]: Autre note.\n"
    assert problems_of(markdown_to_html, text, source(content, text, body_line=4), content) == [
        "c/chapters/01-synthese.md:6: footnote [^a] calls footnote [^b]; a footnote cannot "
        "hold another: write its text into [^a]"
    ]
    inline = "Un fait^[voir ^[encore]].\n"  # inline notes have no line of their own
    assert problems_of(markdown_to_html, inline, source(content, inline), content) == [
        "c/chapters/01-synthese.md: footnote ^[...] calls footnote ^[...]; a footnote cannot "
        "hold another: write its text into ^[...]"
    ]


def test_a_footnote_of_several_paragraphs_is_one_span(content: Path) -> None:
    html = html_of(content, "Un fait[^a].\n\n[^a]: Premier.\n\n    Second.\n")
    assert html == (
        '<p>Un fait<span class="footnote-call" role="doc-noteref"><span class="footnote" '
        'role="doc-footnote">Premier. Second.</span></span>.</p>\n'
    )


def test_footnote_definitions_leave_no_list_behind(content: Path) -> None:
    html = html_of(content, "Texte[^1].\n\n[^1]: Note.\n\nSuite.\n")
    assert "footnotes" not in html and "<hr" not in html and "<ol" not in html
    assert html.endswith("<p>Suite.</p>\n")


def test_headings_get_ids_from_level_2(content: Path) -> None:
    html = html_of(content, "## Un titre\n\n### Sous-titre 2\n\n#### Quatre\n\n##### Cinq\n")
    assert html == (
        '<h2 id="un-titre">Un titre</h2>\n<h3 id="sous-titre-2">Sous-titre 2</h3>\n'
        '<h4 id="quatre">Quatre</h4>\n<h5>Cinq</h5>\n'
    )


def test_repeated_headings_get_distinct_ids_within_a_chapter(content: Path) -> None:
    html = html_of(content, "## Bilan\n\n## Bilan\n")
    assert html.count('id="bilan"') == 1


def test_heading_ids_avoid_the_ids_taken_elsewhere_in_the_document(content: Path) -> None:
    """The contents page, the measures and earlier chapters keep their ids."""
    text = "##### Cinq\n\n## Sommaire\n\n## Bilan\n\n## Bilan\n"
    taken = frozenset({"sommaire", "bilan", "bilan-2"})
    converted = markdown_to_html(text, source(content, text), content, taken)
    assert converted.html == (
        '<h5>Cinq</h5>\n<h2 id="sommaire-2">Sommaire</h2>\n<h2 id="bilan-3">Bilan</h2>\n'
        '<h2 id="bilan-1">Bilan</h2>\n'
    )
    assert converted.ids == {"sommaire-2", "bilan-3", "bilan-1"}


def test_explicit_heading_id(content: Path) -> None:
    assert html_of(content, "{#mon-id}\n## Titre\n") == '<h2 id="mon-id">Titre</h2>\n'


@pytest.mark.parametrize("kind", ["encadre", "callout", "quote", "keyfigures"])
def test_boxes(content: Path, kind: str) -> None:
    html = html_of(content, f"::: {kind}\n**À retenir.** Un point.\n:::\n")
    assert html == (f'<div class="{kind}">\n<p><strong>À retenir.</strong> Un point.</p>\n</div>\n')


def test_unknown_box_kind_stays_text(content: Path) -> None:
    assert "<div" not in html_of(content, "::: inconnu\nx\n:::\n")


def test_block_attributes(content: Path) -> None:
    assert html_of(content, "{.callout}\nUn paragraphe.\n") == (
        '<p class="callout">Un paragraphe.</p>\n'
    )
    assert html_of(content, "{.callout #note-1}\nUn paragraphe.\n") == (
        '<p id="note-1" class="callout">Un paragraphe.</p>\n'
    )


def test_tables(content: Path) -> None:
    html = html_of(content, "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<table>" in html and "<th>a</th>" in html and "<td>2</td>" in html


def test_raw_html_is_kept(content: Path) -> None:
    assert html_of(content, '<div class="x">brut</div>\n') == '<div class="x">brut</div>\n'


def test_external_links_are_collected_for_the_sources_annex(content: Path) -> None:
    text = "[a](https://a.org) [b](#local) [c](http://c.org)[^1]\n\n[^1]: [d](https://d.org)\n"
    converted = markdown_to_html(text, source(content, text), content)
    assert [link.href for link in converted.links] == [
        "https://a.org",
        "http://c.org",
        "https://d.org",
    ]


# --- images ----------------------------------------------------------------------------


def test_local_image_is_rewritten_relative_to_the_content_folder(content: Path) -> None:
    write_png(content / "images" / "carte.png", 2, 2)
    html = html_of(content, "![Carte](../images/carte.png)\n")
    assert html == '<p><img src="images/carte.png" alt="Carte"></p>\n'


def test_missing_image_is_a_located_error(content: Path) -> None:
    text = "Texte.\n\n![Carte](../images/absent.png)\n"
    [problem] = problems_of(markdown_to_html, text, source(content, text, body_line=4), content)
    assert problem.startswith(
        "c/chapters/01-synthese.md:6: image '../images/absent.png' not found (looked for "
    )
    assert problem.endswith("images/absent.png); fix the path or add the file")


def test_every_missing_image_is_reported(content: Path) -> None:
    text = "![a](a.png)\n\n![b](b.png)\n"
    assert len(problems_of(markdown_to_html, text, source(content, text), content)) == 2


NOT_LOCAL = (
    "only files inside the content folder may be used (no network, no absolute paths); "
    "copy the file into images/"
)
OUTSIDE = "it points outside the content folder; copy the file into images/"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", NOT_LOCAL),
        ("https://example.org/a.png", NOT_LOCAL),
        ("/etc/passwd", NOT_LOCAL),
        ("../../outside.png", OUTSIDE),
        ("//example.org/a.png", NOT_LOCAL),
        ("data:image/png;base64,AAAA", NOT_LOCAL),
    ],
)
def test_images_outside_the_content_folder_are_refused(
    content: Path, url: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="report")
    html = html_of(content, f"Texte.\n\n![x]({url})\n")
    assert html == '<p>Texte.</p>\n<p><img alt="x" data-refused="true"></p>\n'
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == f"c/chapters/01-synthese.md:3: image '{url}' refused: {reason}"


def test_an_image_after_text_or_in_an_inline_footnote_is_refused_too(
    content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="report")
    html = html_of(content, "Voir ![a](/etc/a.png) et^[la note ![b](/etc/b.png)].\n")
    assert "src=" not in html and html.count('data-refused="true"') == 2
    assert [r.getMessage().split(" refused")[0] for r in caplog.records] == [
        "c/chapters/01-synthese.md:1: image '/etc/a.png'",
        "c/chapters/01-synthese.md:1: image '/etc/b.png'",
    ]


# --- chapters --------------------------------------------------------------------------


def test_measure_references_become_links(content: Path) -> None:
    """The link says where it leads (its title); its page comes after it, outside it, from
    the span around it (``data-target``)."""
    chapter = convert_chapter(
        source(content, "# T\n\nVoir la [[M1]] et la [[ M12 ]].\n"), narrative(content)
    )
    assert chapter.html == (
        '<p>Voir la <span class="measure-ref" data-target="#mesure-1"><a href="#mesure-1" '
        'title="Mesure 1">mesure&nbsp;1</a></span> et la <span class="measure-ref" '
        'data-target="#mesure-12"><a href="#mesure-12" title="Mesure 12">mesure&nbsp;12</a>'
        "</span>.</p>\n"
    )


def test_unknown_and_malformed_measure_references_are_all_reported(content: Path) -> None:
    text = "# T\n\nVoir [[M99]].\n\nEt [[Mx]], [[M3]].\n"
    assert problems_of(convert_chapter, source(content, text, body_line=5), narrative(content)) == [
        "c/chapters/01-synthese.md:7: '[[M99]]' refers to no measure (known: M1 to M12); "
        "fix the number",
        "c/chapters/01-synthese.md:9: '[[Mx]]' refers to no measure (known: M1 to M12); "
        "fix the number",
        "c/chapters/01-synthese.md:9: '[[M3]]' refers to no measure (known: M1 to M12); "
        "fix the number",
    ]


def test_a_measure_reference_in_a_plan_without_measures_says_so(content: Path) -> None:
    empty = narrative(content)
    empty.measures = {}
    assert problems_of(convert_chapter, source(content, "# T\n\nVoir [[M1]].\n"), empty) == [
        "c/chapters/01-synthese.md:3: '[[M1]]' refers to no measure (the data declares none); "
        "fix the number or add the measure to data/"
    ]


def test_expressions_use_the_data(content: Path) -> None:
    chapter = convert_chapter(
        source(content, "# T\n\n{{ total }} mesures du {{ plan.title }}.\n"), narrative(content)
    )
    assert chapter.html == "<p>45 mesures du Plan.</p>\n"


def test_unknown_variable_is_a_located_error(content: Path) -> None:
    text = "# T\n\nLigne.\n\nIl y a {{ nope }} mesures.\n"
    assert problems_of(convert_chapter, source(content, text, body_line=4), narrative(content)) == [
        "c/chapters/01-synthese.md:8: expression failed: 'nope' is undefined; "
        "check the name against docs/writing.md"
    ]


def test_template_syntax_error_is_located(content: Path) -> None:
    text = "# T\n\n{% if total %}\nsans fin\n"
    [problem] = problems_of(convert_chapter, source(content, text, body_line=3), narrative(content))
    assert problem.startswith("c/chapters/01-synthese.md:")
    assert "template syntax error: " in problem


def test_expressions_are_sandboxed(content: Path) -> None:
    text = "# T\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    [problem] = problems_of(convert_chapter, source(content, text), narrative(content))
    assert problem.startswith("c/chapters/01-synthese.md:3: expression failed: ")
    assert "unsafe" in problem


def test_components_are_rendered_in_place_after_every_chapter_is_read(content: Path) -> None:
    calls: list[str] = []

    def box(label: str):
        calls.append(f"call {label}")
        return lambda: calls.append(f"render {label}") or f'<div class="box">{label}</div>'

    write_files(
        content,
        {
            "chapters/01-a.md": "# A\n\nAvant.\n\n{{ box('un') }}\n\nAprès.\n",
            "chapters/02-b.md": "# B\n\n{{ box('deux') }}\n",
        },
    )
    document = narrative(content, box=box)
    chapters, _ = place_blocks(document.placement, load_chapters(content, CONFIG, document))
    assert calls == ["call un", "call deux", "render un", "render deux"]
    assert chapters[0].html == ('<p>Avant.</p>\n<div class="box">un</div>\n<p>Après.</p>\n')
    assert chapters[1].html == '<div class="box">deux</div>\n'


def test_component_argument_errors_are_located(content: Path) -> None:
    def figure(name: str):
        raise ValueError(f"no figure '{name}' (known: tally)")

    text = "# T\n\nTexte.\n\n{{ figure('carte') }}\n"
    found = problems_of(convert_chapter, source(content, text), narrative(content, figure=figure))
    assert found == [
        "c/chapters/01-synthese.md:5: expression failed: no figure 'carte' (known: tally); "
        "check the name against docs/writing.md"
    ]


def test_title_from_front_matter_or_first_heading(content: Path) -> None:
    from_meta = convert_chapter(
        source(content, "Texte.\n", {"title": "Synthèse"}), narrative(content)
    )
    assert (from_meta.title, from_meta.short_title, from_meta.html) == (
        "Synthèse",
        "Synthèse",
        "<p>Texte.</p>\n",
    )
    from_heading = convert_chapter(
        source(content, "# État des mesures\n\nTexte.\n"), narrative(content)
    )
    assert from_heading.title == "État des mesures"
    assert "<h1" not in from_heading.html and from_heading.html == "<p>Texte.</p>\n"


def test_chapter_without_title_is_an_error(content: Path) -> None:
    assert problems_of(
        convert_chapter, source(content, "Texte.\n", body_line=4), narrative(content)
    ) == [
        "c/chapters/01-synthese.md:4: chapter has no title; add 'title:' to the front matter "
        "or a '# Title' line"
    ]


def test_chapter_id_comes_from_the_file_name_or_front_matter(content: Path) -> None:
    chapter = convert_chapter(
        source(content, "# T\n", name="03-État des lieux.md"), narrative(content)
    )
    assert chapter.id == "état-des-lieux"
    chapter = convert_chapter(
        source(
            content,
            "# T\n",
            {"id": "bilan", "toc": False, "short_title": "B", "classes": ["annex"]},
        ),
        narrative(content),
    )
    assert (chapter.id, chapter.toc, chapter.short_title, chapter.classes) == (
        "bilan",
        False,
        "B",
        ("annex",),
    )


def test_unknown_front_matter_key(content: Path) -> None:
    [problem] = problems_of(
        convert_chapter, source(content, "# T\n", {"titre": "x"}), narrative(content)
    )
    assert problem.endswith(
        "titre: unknown key 'titre' (allowed: title, id, short_title, toc, "
        "classes; did you mean 'title'?)"
    )


def test_chapter_order(content: Path) -> None:
    write_files(
        content,
        {"chapters/02-b.md": "# B\n", "chapters/01-a.md": "# A\n", "chapters/notes.txt": "ignored"},
    )
    assert [p.name for p in chapter_files(content, CONFIG)] == ["01-a.md", "02-b.md"]
    ordered = CONFIG.model_copy(update={"chapters": ("02-b.md", "01-a.md")})
    assert [p.name for p in chapter_files(content, ordered)] == ["02-b.md", "01-a.md"]


def test_problems_of_every_chapter_are_reported_together(content: Path) -> None:
    write_files(
        content,
        {
            "chapters/01-a.md": "# A\n\n[[M99]]\n",
            "chapters/02-b.md": "---\ntitle: [B\n---\n",
            "chapters/03-c.md": "Pas de titre.\n",
        },
    )
    found = problems_of(load_chapters, content, CONFIG, narrative(content))
    assert [line.split(":")[0] for line in found] == [
        "c/chapters/01-a.md",
        "c/chapters/02-b.md",
        "c/chapters/03-c.md",
    ]


def test_no_chapter_is_an_error(content: Path) -> None:
    assert problems_of(load_chapters, content, CONFIG, narrative(content)) == [
        "c/chapters: no chapter found; add Markdown files (*.md) to this folder"
    ]


# --- code is literal -------------------------------------------------------------------


def test_code_spans_and_blocks_keep_expressions_and_references_literal(content: Path) -> None:
    text = (
        "# T\n\nLe total est {{ total }}, voir [[M1]].\n\n"
        "En code : `{{ total }}` et ``[[M1]] `x` `` restent tels quels.\n\n"
        "```bash\necho ${#tableau[@]} {% raw %}\n```\n\n"
        "    {{ indenté }} [[M99]]\n"
    )
    chapter = convert_chapter(source(content, text), narrative(content))
    assert "Le total est 45" in chapter.html
    assert 'href="#mesure-1"' in chapter.html
    assert "<code>{{ total }}</code>" in chapter.html
    assert "<code>[[M1]] `x` </code>" in chapter.html
    assert "echo ${#tableau[@]} {% raw %}" in chapter.html
    assert "{{ indenté }} [[M99]]" in chapter.html


def test_an_unclosed_backtick_is_plain_text_and_expressions_around_it_work(
    content: Path,
) -> None:
    text = "# T\n\nUn ` seul, puis {{ total }}.\n\nEt `{{ total }}\n\nfin` ici {{ total }}.\n"
    html = convert_chapter(source(content, text), narrative(content)).html
    assert "Un ` seul, puis 45." in html
    assert "Et `45" in html and "fin` ici 45." in html


def test_lines_after_code_keep_their_numbers_in_messages(content: Path) -> None:
    text = "# T\n\n```\nun\ndeux\n```\n\nTexte `a\nb` puis {{ nope }}.\n"
    assert problems_of(convert_chapter, source(content, text, body_line=3), narrative(content)) == [
        "c/chapters/01-synthese.md:11: expression failed: 'nope' is undefined; check the "
        "name against docs/writing.md"
    ]


def test_a_stray_character_in_an_expression_is_told_by_line_and_column(content: Path) -> None:
    text = "# T\n\nLigne.\n\nLe total {{ total $ 2 }}.\n"
    assert problems_of(convert_chapter, source(content, text, body_line=4), narrative(content)) == [
        "c/chapters/01-synthese.md:8: template syntax error: unexpected char '$' (column 19)"
    ]


def test_recommendation_references_use_the_code_and_the_vocabulary(content: Path) -> None:
    recommendation = Recommendation(id="delegation", code="R3", text="Créer une délégation.")
    document = narrative(content)
    document.recommendations = {"R3": recommendation}
    chapter = convert_chapter(source(content, "# T\n\nVoir [[R3]] et ([[M12]]).\n"), document)
    assert chapter.html == (
        '<p>Voir <span class="recommendation-ref" data-target="#recommandation-delegation">'
        '<a href="#recommandation-delegation" title="Recommandation R3 : Créer une '
        'délégation.">recommandation&nbsp;R3</a></span> et (<span class="measure-ref" '
        'data-target="#mesure-12"><a href="#mesure-12" title="Mesure 12">mesure&nbsp;12</a>'
        "</span>).</p>\n"
    )


def test_unknown_recommendation_codes_and_measures_are_each_reported(content: Path) -> None:
    document = narrative(content)
    document.recommendations = {
        code: Recommendation(id=f"r{code}", code=code, text="x") for code in ("R1", "R2")
    }
    text = "# T\n\n[[R9]] puis [[M99]] et [[ R2 ]] ; [[autre chose]] reste.\n"
    assert problems_of(convert_chapter, source(content, text, body_line=4), document) == [
        "c/chapters/01-synthese.md:6: '[[R9]]' refers to no recommendation (known: R1 to R2); "
        "fix the code",
        "c/chapters/01-synthese.md:6: '[[M99]]' refers to no measure (known: M1 to M12); "
        "fix the number",
    ]


def test_code_inside_a_loop_is_put_back_at_every_turn(content: Path) -> None:
    text = "# T\n\n{% for i in range(3) %}\n- ligne {{ i }} : `code`\n{% endfor %}\n"
    html = convert_chapter(source(content, text), narrative(content)).html
    assert html.count("<code>code</code>") == 3 and "\x00" not in html


def test_code_is_put_back_exactly_where_it_was(content: Path) -> None:
    text = "Avant `{{ total }}` et {{ total }}.\n\n```\nx\n```\n\nAprès.\n"
    html = convert_chapter(source(content, text, {"title": "T"}), narrative(content)).html
    assert html == (
        "<p>Avant <code>{{ total }}</code> et 45.</p>\n<pre><code>x\n</code></pre>\n<p>Après.</p>\n"
    )


def test_a_text_may_start_with_code(content: Path) -> None:
    text = "`{{ total }}` au début.\n"
    html = convert_chapter(source(content, text, {"title": "T"}), narrative(content)).html
    assert html == "<p><code>{{ total }}</code> au début.</p>\n"
    text = "```\n{{ total }}\n```\nLigne 4 : {{ nope }}\n"
    assert problems_of(
        convert_chapter, source(content, text, {"title": "T"}), narrative(content)
    ) == [
        "c/chapters/01-synthese.md:4: expression failed: 'nope' is undefined; check the name "
        "against docs/writing.md"
    ]


def test_a_fenced_block_with_a_blank_line_stays_literal(content: Path) -> None:
    text = "```\nun\n\n{{ total }} [[M99]]\n```\n"
    html = convert_chapter(source(content, text, {"title": "T"}), narrative(content)).html
    assert html == "<pre><code>un\n\n{{ total }} [[M99]]\n</code></pre>\n"


def test_an_editions_chapters_folder_is_read_instead(content: Path) -> None:
    write_files(content, {"chapters/01-a.md": "# A\n", "chapitres-court/01-b.md": "# B\n"})
    chapters = load_chapters(content, CONFIG, narrative(content), "chapitres-court")
    assert [chapter.title for chapter in chapters] == ["B"]


def test_front_matter_problems_are_located_on_their_line(content: Path) -> None:
    write_files(content, {"chapters/01-a.md": "---\ntitle: A\ntitre: B\n---\nTexte.\n"})
    assert problems_of(load_chapters, content, CONFIG, narrative(content)) == [
        "c/chapters/01-a.md:3: titre: unknown key 'titre' (allowed: title, id, short_title, "
        "toc, classes; did you mean 'title'?)"
    ]


def test_an_image_in_a_chapter_is_found_from_the_chapter_folder(content: Path) -> None:
    write_png(content / "images" / "carte.png", 2, 2)
    text = "# T\n\n![Carte](../images/carte.png)\n"
    html = convert_chapter(source(content, text), narrative(content)).html
    assert html == '<p><img src="images/carte.png" alt="Carte"></p>\n'


def test_a_stray_character_after_a_blank_first_line_is_told_by_its_column(
    content: Path,
) -> None:
    text = "\nLe total {{ total $ 2 }}.\n"
    assert problems_of(
        convert_chapter, source(content, text, {"title": "T"}), narrative(content)
    ) == ["c/chapters/01-synthese.md:2: template syntax error: unexpected char '$' (column 19)"]


def test_a_chapter_id_keeps_letters_digits_and_single_dashes(content: Path) -> None:
    chapter = convert_chapter(
        source(content, "# T\n", name="02-Bilan (suite) !.md"), narrative(content)
    )
    assert chapter.id == "bilan-suite"
