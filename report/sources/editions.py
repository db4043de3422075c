"""Editions: the publications made from one content (brief, dossiers, translations).

An edition is data in ``report.yaml`` (``editions:``): which chapters, which measures,
which language, which layout. This module declares what an edition and a dossier's cover
letter may say, and gives the settings as one edition (or one body's dossier) sees them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, ValidationInfo, field_validator

from report.errors import ConfigError, Problem
from report.i18n.catalogue import CatalogueError, catalogue
from report.sources.problems import suggest, unknown_value
from report.sources.strict import Strict

if TYPE_CHECKING:
    from report.sources.config import Config


class Signatory(Strict):
    """A person who signs the cover letters of the dossiers."""

    name: str = Field(description="Full name.")
    role: str = Field(default="", description="Role, printed under the name.")


class Letter(Strict):
    """What the cover letter of each addressee's dossier needs beside the body's own data."""

    place: str = Field(default="", description="Where the letter is written (e.g. Paris).")
    signatories: tuple[Signatory, ...] = Field(default=(), description="Who signs.")
    body: str = Field(
        default="letters/dossier.md",
        description=("Markdown file of the letter's text, relative to the content folder."),
    )
    subject: str = Field(
        default="",
        description="Subject line, printed after 'Objet :'; {name} and {short} name the addressee.",
    )
    enclosure: str = Field(
        default="",
        description="What the letter encloses, printed after 'P. J. :'; {name} and {short} too.",
    )

    @field_validator("subject", "enclosure")
    @classmethod
    def _known_placeholders(cls, text: str) -> str:
        for name in PLACEHOLDER.findall(text):
            if name not in PLACEHOLDERS:
                allowed = ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)
                hint = suggest(name, PLACEHOLDERS)
                raise ValueError(
                    f"'{{{name}}}' is not a placeholder of a letter (allowed: {allowed}{hint})"
                )
        return text

    def subject_for(self, name: str, short: str = "") -> str:
        """The subject line of the letter to one body: its names in the placeholders."""
        return _fill(self.subject, name, short)

    def enclosure_for(self, name: str, short: str = "") -> str:
        """The enclosure line of the letter to one body."""
        return _fill(self.enclosure, name, short)


# {name} and {short} in a letter's subject or enclosure: the addressee's full and short name.
PLACEHOLDER = re.compile(r"\{(\w*)\}")
PLACEHOLDERS = ("name", "short")


def _fill(text: str, name: str, short: str) -> str:
    values = {"name": name, "short": short or name}
    return PLACEHOLDER.sub(lambda found: values[found[1]], text)


class Edition(Strict):
    """One publication made from the same content: full report, brief, dossiers, translation."""

    kind: Literal["report", "brief", "dossier", "web"] = Field(
        default="report",
        description=(
            "report (the full layout), brief (no contents page, a band instead of a cover), "
            "dossier (one PDF per body, opening with a cover letter) or web (a folder of "
            "static pages to publish: report build --web, docs/web.md)."
        ),
    )
    language: str | None = Field(
        pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$",
        default=None,
        description=("Language of this edition (default: the report's)."),
    )
    output: str | None = Field(
        default=None,
        pattern=r"^[\w.{}-]+$",
        description=("File name without extension; dossiers use {body} for the body's key."),
    )
    title: str | None = Field(default=None, description="Title, if not the report's.")
    subtitle: str | None = Field(default=None, description="Subtitle, if not the report's.")
    chapters_dir: str = Field(
        default="chapters",
        description=("Folder of this edition's chapters (e.g. chapters-en, brief)."),
    )
    chapters: tuple[str, ...] | None = Field(
        default=None,
        description=("Chapter files in order (default: the report's list, or all *.md)."),
    )
    axes: tuple[str, ...] = Field(default=(), description="Only measures of these axes.")
    statuses: tuple[str, ...] = Field(default=(), description="Only measures with these statuses.")
    bodies: tuple[str, ...] = Field(
        default=(),
        description=(
            "Only measures these bodies lead or partner, recommendations addressed to them; "
            "for dossiers, the bodies that get one (default: every body concerned)."
        ),
    )
    stylesheet: str = Field(
        default="",
        description=(
            "Extra stylesheet: a file of styles/ in the package (e.g. brief.css) or the content."
        ),
    )
    max_pages: int | None = Field(
        default=None, gt=0, description=("Most pages allowed; the verification gate warns beyond.")
    )
    url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description=(
            "Web editions: the address the folder is published at (https://...), for the "
            "sitemap and the links a shared page shows."
        ),
    )
    downloads: tuple[str, ...] | None = Field(
        default=None,
        description=(
            "Web editions: the editions whose PDFs the site offers (default: every edition "
            "of kind report or brief)."
        ),
    )

    @field_validator("language")
    @classmethod
    def _has_a_catalogue(cls, language: str | None, info: ValidationInfo) -> str | None:
        return with_catalogue(language, info) if language else language


def with_catalogue(language: str, info: ValidationInfo) -> str:
    """A language the builder has a catalogue for (its own, or the content folder's
    ``languages/``, given as the validation context)."""
    try:
        catalogue(language, (info.context or {}).get("languages"))
    except CatalogueError as error:
        raise ValueError(str(error)) from None
    return language


DEFAULT_EDITION = "report"
FULL_REPORT = Edition()
# What `report build --web` builds when report.yaml declares no edition of kind web.
WEB_EDITION = "web"
IMPLICIT = {DEFAULT_EDITION: FULL_REPORT, WEB_EDITION: Edition(kind="web", output="web")}


def declared(config: Config, name: str) -> Edition | None:
    """The edition called ``name`` in report.yaml, or the report and web ones it may leave out."""
    return config.editions.get(name) or IMPLICIT.get(name)


def edition_of(config: Config, name: str | None) -> Edition:
    """The edition called ``name`` (the default full report when None)."""
    return declared(config, name or DEFAULT_EDITION) or FULL_REPORT


def web_editions(config: Config) -> list[str]:
    """The web editions ``report build --web`` builds: those declared, or the implicit one."""
    names = [name for name, edition in config.editions.items() if edition.kind == "web"]
    return names or [WEB_EDITION]


def apply_edition(config: Config, name: str | None, path: Path) -> Config:
    """The settings as this edition sees them (its language, title, output, chapters)."""
    if name is None or (name == DEFAULT_EDITION and name not in config.editions):
        return config
    edition = declared(config, name)
    if edition is None:
        known = [DEFAULT_EDITION, *config.editions]
        raise ConfigError(Problem(path, unknown_value(name, known, "edition"), field="editions"))
    changes = {
        key: value
        for key, value in {
            "language": edition.language,
            "title": edition.title,
            "subtitle": edition.subtitle,
            "output": edition.output,
            "chapters": _chapters(edition),
        }.items()
        if value is not None
    }
    return config.model_copy(update=changes)


def _chapters(edition: Edition) -> tuple[str, ...] | None:
    """An edition with a chapters folder of its own reads its own list, or every file of
    its folder: the report's list names files of another folder."""
    if edition.chapters is not None:
        return edition.chapters
    return () if edition.chapters_dir != Edition().chapters_dir else None


def addressed_to(config: Config, body: str) -> Config:
    """The settings of one body's dossier: its file name is the edition's pattern with
    ``{body}`` replaced, or the edition's name followed by the body's key."""
    pattern = config.output
    output = pattern.replace("{body}", body) if "{body}" in pattern else f"{pattern}-{body}"
    return config.model_copy(update={"output": output})
