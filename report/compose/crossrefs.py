"""Cross-references: ``[[M12]]`` to a measure, ``[[R3]]`` to a recommendation.

Each becomes a link whose words come from the vocabulary ("commitment 12"), whose title
says where it leads ("Commitment 12: Set up a national referral mechanism", for the PDF's
link description), and whose page number CSS adds after it (``vocabulary.reference``:
"commitment 12, p. 30"). The page goes after the link, outside it: the link is wrapped in
a span that names its target (``data-target``), whose ``::after`` writes the page; a page
inside the link would be tagged as a link within the link. An unknown number or code is a
located error listing what is known, so a renumbered plan never leaves a silent dangling
reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from report.compose.labels import measure_label, recommendation_label
from report.errors import ContentError, Problem, raise_if_any
from report.sources.files import MarkdownSource
from report.sources.model import Measure, Recommendation
from report.sources.vocabulary import Words

# [[M12]] and [[R3]]; any other [[...]] naming a recommendation's own code is one too.
REFERENCE = re.compile(r"\[\[\s*(?P<name>[^\]\s]+)\s*\]\]")


def link_references(
    text: str,
    source: MarkdownSource,
    measures: Mapping[int, Measure],
    recommendations: Mapping[str, Recommendation],
    words: Words,
) -> str:
    """Replace each reference with its link; every unknown one is reported, with its line."""
    problems: list[Problem] = []

    def link(match: re.Match, line: int) -> str:
        name = match["name"]
        if name in recommendations:
            found = recommendations[name]
            label = words.link_text(words.recommendation, found.code)
            title = recommendation_label(found, words)
            return reference("recommendation-ref", found.anchor, title, label)
        number = name[1:]
        if name.startswith("M") and number.isdigit() and int(number) in measures:
            measure = measures[int(number)]
            label = words.link_text(words.item, measure.number)
            return reference("measure-ref", measure.anchor, measure_label(measure, words), label)
        if name.startswith(("M", "R")):
            problems.append(
                Problem(source.path, _unknown(match[0], measures, recommendations), line)
            )
        return match[0]

    lines = text.split("\n")
    for index, line in enumerate(lines):
        lines[index] = REFERENCE.sub(lambda m, n=index: link(m, source.body_line + n), line)
    raise_if_any(problems, ContentError)
    return "\n".join(lines)


def reference(kind: str, anchor: str, title: str, label: str) -> str:
    """The link, in the span whose ``::after`` writes its page."""
    return (
        f'<span class="{kind}" data-target="#{anchor}"><a href="#{anchor}" '
        f'title="{escape(title)}">{label}</a></span>'
    )


def _unknown(
    written: str, measures: Mapping[int, Measure], recommendations: Mapping[str, Recommendation]
) -> str:
    if written.lstrip("[ ").startswith("M"):
        if not measures:
            return (
                f"'{written}' refers to no measure (the data declares none); fix the number "
                "or add the measure to data/"
            )
        return f"'{written}' refers to no measure (known: M1 to M{max(measures)}); fix the number"
    codes = list(recommendations)
    known = f"{codes[0]} to {codes[-1]}" if codes else "none"
    return f"'{written}' refers to no recommendation (known: {known}); fix the code"
