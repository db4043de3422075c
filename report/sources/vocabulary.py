"""The coalition's own words: what the plan's entries are called, in each language.

A French plan has *mesures* grouped in *axes*; another coalition evaluates *commitments*
grouped in *themes*. ``vocabulary:`` in report.yaml names them (singular, plural, gender
where the language needs it; translations beside them, ``singular_en:``), and how a
cross-reference reads. What it leaves out comes from the language's catalogue, so a
report without ``vocabulary:`` says "mesure" in French and "measure" in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, field_validator

from report.i18n.catalogue import Catalogue, Term
from report.sources.strict import Strict

PLACEHOLDERS = re.compile(r"\{(\w*)\}")
ALLOWED_PLACEHOLDERS = frozenset({"item", "number", "page"})


class Vocabulary(Strict):
    """What report.yaml may say of the words (each left out comes from the catalogue)."""

    item: Term | None = Field(
        default=None, description="The plan's entries (default: measure / mesure)."
    )
    group: Term | None = Field(
        default=None, description="The groups of entries (default: axis / axe)."
    )
    subgroup: Term | None = Field(
        default=None, description="Groups inside a group (default: action)."
    )
    recommendation: Term | None = Field(
        default=None, description="The recommendations (default: recommendation)."
    )
    body: Term | None = Field(
        default=None, description="Ministries and agencies (default: body / organisme)."
    )
    reference: str | None = Field(
        default=None,
        description=(
            "How [[M12]] reads: {item}, {number}, then {page} (default: "
            "'{item} {number}, p. {page}')."
        ),
    )

    @field_validator("reference")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        if value is None:
            return value
        names = PLACEHOLDERS.findall(value)
        unknown = sorted(set(names) - ALLOWED_PLACEHOLDERS)
        if unknown or "number" not in names:
            raise ValueError(
                "a reference names {number}, and may name {item} and {page}; "
                f"unknown: {', '.join('{' + name + '}' for name in unknown) or 'none'}"
            )
        if "page" in names and value.index("{page}") < value.index("{number}"):
            raise ValueError("{page} comes after {number} in a reference")
        return value


@dataclass(frozen=True)
class Words:
    """The resolved vocabulary templates and chapters read as ``words``."""

    item: Term
    group: Term
    subgroup: Term
    recommendation: Term
    body: Term
    reference: str
    # How a label introduces a text: "Mesure 12 : titre" / "Commitment 12: title".
    labelled_format: str = "{label}: {text}"

    def labelled(self, label: str, text: str) -> str:
        """ "Mesure 12 : Informer..." (the catalogue's ``labelled``); the label alone
        when there is no text."""
        return self.labelled_format.format(label=label, text=text) if text else label

    def link_text(self, term: Term, number: int | str) -> str:
        """What a cross-reference's link says: "commitment 12" (its page comes by CSS)."""
        before = self.reference.split("{number}", 1)[0]
        if before.endswith(" "):  # "mesure 12" never breaks between word and number
            before = before[:-1] + "\u00a0"
        return before.replace("{item}", term.singular) + str(number)

    @property
    def after_link(self) -> tuple[str, str] | None:
        """The text around the page number after the link (", p. " and ""), or None."""
        if "{page}" not in self.reference:
            return None
        between = self.reference.split("{number}", 1)[1]
        before, after = between.split("{page}", 1)
        if before.endswith(" "):  # a page number never starts a line: "p. 12"
            before = before[:-1] + "\u00a0"
        return before, after


def resolve(vocabulary: Vocabulary, catalogue: Catalogue) -> Words:
    """The words of one report: its vocabulary, completed by its language's catalogue."""
    terms = {
        name: getattr(vocabulary, name) or catalogue.terms[name]
        for name in ("item", "group", "subgroup", "recommendation", "body")
    }
    return Words(
        **terms,
        reference=vocabulary.reference or catalogue.reference,
        labelled_format=catalogue.messages.get("labelled", "{label}: {text}"),
    )
