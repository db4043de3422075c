"""``report.yaml``, the report's settings; every key is declared once, here.

Each field has a type, a default and a one-line description (``Field(description=...)``);
``docs/configuration.md`` lists them and a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator

from report import PROJECT_STYLES
from report.errors import ConfigError, Problem
from report.sources.editions import Edition, Letter, apply_edition
from report.sources.files import load_yaml, locate
from report.sources.paths import OUTSIDE, inside
from report.sources.problems import field_path, problems_from
from report.sources.strict import Strict
from report.sources.translate import LANGUAGES, localize

logger = logging.getLogger(__name__)

CONFIG_FILE = "report.yaml"
NOT_FOUND = (
    "not found in the content folder; put the file there and give its path relative to report.yaml"
)
StatusCategory = Literal["done", "partial", "not_done", "unknown"]


class StatusDef(Strict):
    """One entry of the status vocabulary used by the evaluator."""

    key: str = Field(description="The value written in measures' `status` field.")
    label: str = Field(description="How the status is printed in the report.")
    plural: str = Field(
        default="",
        description=(
            "Label after a count of several measures, e.g. 'réalisées' (default: the label)."
        ),
    )
    color: str = Field(
        pattern=r"^#[0-9a-fA-F]{6}$", description="Colour of the badge and chart bar, as #rrggbb."
    )
    category: StatusCategory = Field(
        description=("What the status means for counts: done, partial, not_done or unknown.")
    )
    symbol: str = Field(
        default="",
        description=(
            "Shape printed beside the label so it reads without colour (default per category)."
        ),
    )

    @property
    def many(self) -> str:
        """The label used after a count: '28 mesures partiellement réalisées'."""
        return self.plural or self.label.lower()

    @property
    def shape(self) -> str:
        """The symbol, or the category's default shape."""
        return self.symbol or DEFAULT_SYMBOLS[self.category]


DEFAULT_SYMBOLS: dict[str, str] = {"done": "●", "partial": "◐", "not_done": "○", "unknown": "?"}

# Okabe-Ito colours (safe for colour-blind readers); shapes and hatching carry the meaning
# in grayscale too.
DEFAULT_STATUSES = (
    StatusDef(
        key="réalisée", label="Réalisée", plural="réalisées", color="#009e73", category="done"
    ),
    StatusDef(
        key="partiellement réalisée",
        label="Partiellement réalisée",
        plural="partiellement réalisées",
        color="#e69f00",
        category="partial",
    ),
    StatusDef(
        key="non réalisée",
        label="Non réalisée",
        plural="non réalisées",
        color="#d55e00",
        category="not_done",
    ),
    StatusDef(
        key="non documentée",
        label="Non documentée",
        plural="non documentées",
        color="#999999",
        category="unknown",
    ),
)


class PlanConfig(Strict):
    """The public plan whose implementation the report evaluates."""

    title: str = Field(description="Full title of the plan.")
    short_title: str = Field(default="", description="Short name used in running text.")
    period: str = Field(default="", description="Years the plan covers, e.g. 2019-2021.")
    evaluator: str = Field(default="", description="Who rated the measures (e.g. the CNCDH).")


class Theme(Strict):
    """Fonts and colours shared by the stylesheet (as CSS variables) and the charts."""

    font_body: str = Field(default="Linux Libertine O", description="Font of running text.")
    font_heading: str = Field(
        default="Linux Biolinum O", description=("Font of headings, tables and charts.")
    )
    color_primary: str = Field(
        default="#1f3b5c",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description=("Main colour: cover, headings, rules."),
    )
    color_accent: str = Field(
        default="#b8572a",
        pattern=r"^#[0-9a-fA-F]{6}$",
        description=("Accent colour: key figures, links."),
    )
    color_text: str = Field(
        default="#1a1a1a", pattern=r"^#[0-9a-fA-F]{6}$", description=("Colour of running text.")
    )
    logo: str = Field(default="", description="Logo image on the cover, relative to content.")
    cover_image: str = Field(default="", description="Image on the cover, relative to content.")


class Config(Strict):
    """Settings of one report, read from ``report.yaml``."""

    title: str = Field(description="Title on the cover, in the PDF metadata and headers.")
    subtitle: str = Field(default="", description="Line under the title on the cover.")
    organisation: str = Field(default="", description="Publisher; also the PDF author.")
    authors: tuple[str, ...] = Field(default=(), description="People credited in the colophon.")
    date: dt.date = Field(description="Publication date (YYYY-MM-DD); also the PDF date.")
    language: Literal["fr", "en"] = Field(default="fr", description="Language of the report.")
    plan: PlanConfig | None = Field(default=None, description="The plan evaluated.")
    statuses: tuple[StatusDef, ...] = Field(
        default=DEFAULT_STATUSES, description=("The status vocabulary, in display order.")
    )
    chapters: tuple[str, ...] = Field(
        default=(),
        description=(
            "Chapter files in `chapters/`, in order (default: all `*.md`, sorted by name)."
        ),
    )
    output: str = Field(
        default="rapport",
        pattern=r"^[\w.-]+$",
        description=("Output file name without extension: build/<output>.pdf."),
    )
    keywords: tuple[str, ...] = Field(default=(), description="PDF keywords.")
    theme: Theme = Field(default=Theme(), description="Fonts, colours and images.")
    size_budget_mb: float = Field(
        default=2.0,
        gt=0,
        description=("Largest acceptable PDF, in MB: mail gateways reject big attachments."),
    )
    contact: str = Field(default="", description="Contact line (e-mail, address) for briefs.")
    letter: Letter = Field(default=Letter(), description="Cover letters of the dossiers.")
    editions: dict[str, Edition] = Field(
        default={},
        description=("Named editions built with --edition NAME or --all (see docs/editions.md)."),
    )

    @field_validator("statuses")
    @classmethod
    def _unique_status_keys(cls, statuses: tuple[StatusDef, ...]) -> tuple[StatusDef, ...]:
        keys = [status.key for status in statuses]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"status keys must be unique; repeated: {', '.join(duplicates)}")
        return statuses

    # The language report.yaml is written in; an edition may be in another (set on load).
    _source_language: str | None = PrivateAttr(default=None)

    @property
    def source_language(self) -> str:
        """The language the content is written in: translations sit beside its texts."""
        return self._source_language or self.language


def load_config(content_dir: Path, edition: str | None = None) -> Config:
    """Read and validate ``report.yaml`` for one edition, reporting every problem at once.

    The edition's language decides which translation of each text is kept; texts with no
    translation are listed in one warning.
    """
    path = content_dir / CONFIG_FILE
    if not content_dir.is_dir():
        raise ConfigError(
            Problem(
                content_dir, ("content folder not found; give the folder that holds report.yaml")
            )
        )
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(Problem(path, "expected a mapping of 'key: value' lines", 1))
    original = _raw_language(raw)
    language = _edition_language(raw, edition) or original
    missing: list[str] = []
    localized = localize(raw, language, original, missing)
    try:
        config = Config.model_validate(localized)
    except ValidationError as error:
        raise ConfigError(problems_from(error, localized, path, Config)) from None
    _check_paths(config, localized, content_dir, path)
    report_missing_translations(missing, language)
    config._source_language = original
    return apply_edition(config, edition, path)


def _raw_language(raw: dict) -> str:
    language = raw.get("language", "fr")
    return language if language in LANGUAGES else "fr"


def _edition_language(raw: dict, name: str | None) -> str | None:
    editions = raw.get("editions")
    if not name or not isinstance(editions, dict) or not isinstance(editions.get(name), dict):
        return None
    language = editions[name].get("language")
    return language if language in LANGUAGES else None


def report_missing_translations(missing: list[str], language: str) -> None:
    """One warning naming every untranslated text (they print in the original language)."""
    if missing:
        shown = "; ".join(missing[:8]) + ("; ..." if len(missing) > 8 else "")
        logger.warning(
            "%d texts have no '%s' translation and stay in the original language "
            "(add '<key>_%s:' beside each): %s",
            len(missing),
            language,
            language,
            shown,
        )


def _check_paths(config: Config, raw: dict, content_dir: Path, path: Path) -> None:
    """Every file or folder report.yaml names must be inside the content folder (the logo
    and cover image must also exist); each wrong one is one located line."""
    problems = [
        Problem(path, message, locate(raw, loc), field_path(loc))
        for loc, message in _wrong_paths(config, content_dir)
    ]
    if problems:
        raise ConfigError(problems)


def _wrong_paths(config: Config, content: Path) -> Iterator[tuple[tuple, str]]:
    for key in ("logo", "cover_image"):
        name = getattr(config.theme, key)
        if name and not (inside(content / name, content) and (content / name).is_file()):
            yield ("theme", key), f"image '{name}' {NOT_FOUND}"
    for loc, folder, name in _named_paths(config):
        if not inside(content / folder / name, content):
            yield loc, f"'{name}' {OUTSIDE}"


def _named_paths(config: Config) -> Iterator[tuple[tuple, str, str]]:
    """(where in report.yaml, folder it is relative to, name) of every file it names."""
    yield ("letter", "body"), ".", config.letter.body
    for index, name in enumerate(config.chapters):
        yield ("chapters", index), "chapters", name
    for key, edition in config.editions.items():
        yield ("editions", key, "chapters_dir"), ".", edition.chapters_dir
        for index, name in enumerate(edition.chapters or ()):
            yield ("editions", key, "chapters", index), edition.chapters_dir, name
        packaged = PROJECT_STYLES / edition.stylesheet
        if edition.stylesheet and not (packaged.is_file() and inside(packaged, PROJECT_STYLES)):
            yield ("editions", key, "stylesheet"), ".", edition.stylesheet
