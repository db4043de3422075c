"""``report.yaml``, the report's settings; every key is declared once, here.

Each field has a type, a default and a one-line description (``Field(description=...)``);
``docs/configuration.md`` lists them and a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

from pydantic import Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from report import PROJECT_STYLES
from report.errors import ConfigError, Problem
from report.i18n.catalogue import LANGUAGE_TAG, Catalogue, catalogue, known_languages
from report.sources.colophon import Colophon
from report.sources.editions import Edition, Letter, apply_edition, with_catalogue
from report.sources.files import load_yaml, locate
from report.sources.paths import OUTSIDE, inside
from report.sources.problems import field_path, problems_from
from report.sources.statuses import DEFAULT_STATUSES, StatusDef, grayscale_clashes
from report.sources.strict import Strict
from report.sources.translate import localize
from report.sources.vocabulary import Vocabulary, Words, resolve

logger = logging.getLogger(__name__)

CONFIG_FILE = "report.yaml"
LANGUAGES_DIR = "languages"  # a content folder's own catalogues (es.yaml...)
NOT_FOUND = (
    "not found in the content folder; put the file there and give its path relative to report.yaml"
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
    logo: str = Field(
        default="", description="Logo image on the cover and the letterhead, relative to content."
    )
    cover_image: str = Field(default="", description="Image on the cover, relative to content.")


class SheetImport(Strict):
    """How ``report import`` reads the coalition's spreadsheet (docs/spreadsheets.md)."""

    columns: dict[str, str] = Field(
        default={},
        description=(
            'Headers of the sheet and the field each holds, e.g. "Statut 2025": status; '
            "'ignore' skips a column."
        ),
    )

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, columns: dict[str, str]) -> dict[str, str]:
        # Imported here: the columns are derived from the data model, which imports this
        # module (a bibliography entry is checked against the report's settings).
        from report.sources.columns import IGNORE, known_fields
        from report.sources.problems import unknown_value

        fields = known_fields()
        for header, name in columns.items():
            base = name.rsplit("_", 1)[0] if name not in fields else name
            if name != IGNORE and base not in fields:
                allowed = [*sorted(fields), IGNORE]
                raise ValueError(f"'{header}': {unknown_value(name, allowed, 'field')}")
        return columns


class Config(Strict):
    """Settings of one report, read from ``report.yaml``."""

    title: str = Field(description="Title on the cover, in the PDF metadata and headers.")
    subtitle: str = Field(default="", description="Line under the title on the cover.")
    organisation: str = Field(default="", description="Publisher; also the PDF author.")
    authors: tuple[str, ...] = Field(default=(), description="People credited in the colophon.")
    date: dt.date = Field(description="Publication date (YYYY-MM-DD); also the PDF date.")
    language: str = Field(
        default="fr",
        pattern=LANGUAGE_TAG.pattern,
        description="Language of the report: fr, en (British), en-GB, en-US, or a catalogue's.",
    )
    vocabulary: Vocabulary = Field(
        default=Vocabulary(), description="What the plan's entries are called (see below)."
    )
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
    contact: str = Field(
        default="", description="Contact line (e-mail, website): brief, letterhead, colophon."
    )
    address: str = Field(
        default="",
        description="Postal address of the publisher: letterhead of the letters, colophon.",
    )
    letter: Letter = Field(default=Letter(), description="Cover letters of the dossiers.")
    colophon: Colophon = Field(
        default=Colophon(),
        description="Publisher, licence, ISBN, legal deposit: what {{ colophon() }} prints.",
    )
    bibliography: str = Field(
        default="bibliography.yaml",
        description="The bibliography file (CSL YAML) that chapters cite as [@key].",
    )
    mirrors: tuple[str, ...] = Field(
        default=(),
        description=(
            "Hosts of mirrors, aggregators and proxies: a source there gets a warning "
            "asking for the primary document."
        ),
    )
    editions: dict[str, Edition] = Field(
        default={},
        description=("Named editions built with --edition NAME or --all (see docs/editions.md)."),
    )
    import_: SheetImport = Field(
        default=SheetImport(),
        alias="import",
        description="How `report import` maps a spreadsheet's columns (see below).",
    )

    @field_validator("language")
    @classmethod
    def _has_a_catalogue(cls, language: str, info: ValidationInfo) -> str:
        return with_catalogue(language, info)

    @field_validator("editions")
    @classmethod
    def _downloads_are_pdfs(cls, editions: dict[str, Edition]) -> dict[str, Edition]:
        """A web edition offers the PDFs of editions that exist and make one PDF each."""
        pdfs = [name for name, e in editions.items() if e.kind in ("report", "brief")]
        for name, edition in editions.items():
            for wanted in edition.downloads or ():
                if wanted != "report" and wanted not in pdfs:
                    raise ValueError(
                        f"{name}: downloads: '{wanted}' is not an edition of kind report or "
                        f"brief (known: {', '.join(['report', *pdfs])})"
                    )
        return editions

    @field_validator("statuses")
    @classmethod
    def _unique_status_keys(cls, statuses: tuple[StatusDef, ...]) -> tuple[StatusDef, ...]:
        keys = [status.key for status in statuses]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"status keys must be unique; repeated: {', '.join(duplicates)}")
        clashes = grayscale_clashes(statuses)
        if clashes:
            raise ValueError("; ".join(clashes))
        return statuses

    # The language report.yaml is written in; an edition may be in another (set on load).
    _source_language: str | None = PrivateAttr(default=None)

    # The content folder's own catalogues (languages/), if it has any (set on load).
    _languages: Path | None = PrivateAttr(default=None)

    @property
    def source_language(self) -> str:
        """The language the content is written in: translations sit beside its texts."""
        return self._source_language or self.language

    @property
    def languages(self) -> frozenset[str]:
        """The languages texts may be translated into (``title_en``): those with a catalogue."""
        return known_languages(self._languages)

    @property
    def catalogue(self) -> Catalogue:
        """The builder's words, formats and typography in the report's language."""
        return catalogue(self.language, self._languages)

    @property
    def words(self) -> Words:
        """The vocabulary, completed by the catalogue: ``words.item.plural``."""
        return resolve(self.vocabulary, self.catalogue)


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
    languages = content_dir / LANGUAGES_DIR
    folder = languages if languages.is_dir() and inside(languages, content_dir) else None
    localized = localize(raw, language, original, missing, known_languages(folder))
    try:
        config = Config.model_validate(localized, context={"languages": folder})
    except ValidationError as error:
        raise ConfigError(problems_from(error, localized, path, Config)) from None
    config._languages = folder
    _check_paths(config, localized, content_dir, path)
    report_missing_translations(missing, language)
    config._source_language = original
    if "statuses" not in localized:  # the catalogue's, keys in the content's language
        config = config.model_copy(update={"statuses": _default_statuses(config, language)})
    return apply_edition(config, edition, path)


def _raw_language(raw: dict) -> str:
    language = raw.get("language", "fr")
    return language if isinstance(language, str) and LANGUAGE_TAG.match(language) else "fr"


def _edition_language(raw: dict, name: str | None) -> str | None:
    editions = raw.get("editions")
    if not name or not isinstance(editions, dict) or not isinstance(editions.get(name), dict):
        return None
    language = editions[name].get("language")
    return language if isinstance(language, str) and LANGUAGE_TAG.match(language) else None


def _default_statuses(config: Config, language: str) -> tuple[StatusDef, ...]:
    """Without ``statuses:``, the source language's catalogue gives the keys (what the data
    says) and the edition's gives the labels, matched by category."""
    source = catalogue(config.source_language, config._languages).statuses
    shown = {entry["category"]: entry for entry in catalogue(language, config._languages).statuses}
    if not source:
        return DEFAULT_STATUSES
    return tuple(
        StatusDef.model_validate(
            {
                **entry,
                **{
                    key: shown[entry["category"]][key]
                    for key in ("label", "plural")
                    if key in shown.get(entry["category"], {})
                },
            }
        )
        for entry in source
    )


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
    yield ("bibliography",), ".", config.bibliography
    for index, name in enumerate(config.chapters):
        yield ("chapters", index), "chapters", name
    for key, edition in config.editions.items():
        yield ("editions", key, "chapters_dir"), ".", edition.chapters_dir
        for index, name in enumerate(edition.chapters or ()):
            yield ("editions", key, "chapters", index), edition.chapters_dir, name
        packaged = PROJECT_STYLES / edition.stylesheet
        if edition.stylesheet and not (packaged.is_file() and inside(packaged, PROJECT_STYLES)):
            yield ("editions", key, "stylesheet"), ".", edition.stylesheet
