"""The builder's own words, numbers and dates, in every language the report supports.

Report text comes from the content folder; only the builder's own words live here.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "contents": "Sommaire",
        "measure": "mesure",
        "measure_title": "Mesure",
        "measures": "mesures",
        "page": "p.",
        "number": "N°",
        "title": "Intitulé",
        "axis": "Axe",
        "action": "Action",
        "status": "Statut",
        "lead": "Pilote",
        "partners": "Partenaires",
        "comment": "Appréciation",
        "evidence": "Éléments de preuve",
        "recommendation": "Recommandation",
        "untitled": "intitulé non publié",
        "unknown_body": "non connu",
        "figure": "Figure",
        "source": "Source",
        "not_available": "n.d.",
        "total": "Total",
        "legend": "Légende",
        "official_tally": "Bilan officiel",
        "addressees": "Destinataires",
        "list_of_figures": "Liste des figures",
        "file": "Fichier",
        "measures_file": "mesures",
        "on_date": "le",
        "dossier_for": "Dossier à l’attention de :",
        "salutation": "Madame, Monsieur,",
        "content": "Contenu",
        "format": "Format",
    },
    "en": {
        "contents": "Contents",
        "measure": "measure",
        "measure_title": "Measure",
        "measures": "measures",
        "page": "p.",
        "number": "No.",
        "title": "Title",
        "axis": "Axis",
        "action": "Action",
        "status": "Status",
        "lead": "Lead",
        "partners": "Partners",
        "comment": "Assessment",
        "evidence": "Evidence",
        "recommendation": "Recommendation",
        "untitled": "title not published",
        "unknown_body": "not known",
        "figure": "Figure",
        "source": "Source",
        "not_available": "n/a",
        "total": "Total",
        "legend": "Legend",
        "official_tally": "Official tally",
        "addressees": "Addressed to",
        "list_of_figures": "List of figures",
        "file": "File",
        "measures_file": "measures",
        "on_date": "",
        "dossier_for": "Dossier for",
        "salutation": "Dear Sir or Madam,",
        "content": "Content",
        "format": "Format",
    },
}


LOCALES = {"fr": "fr_FR", "en": "en_GB"}  # numbers and dates: "12 January 2023", not US


def locale_of(language: str) -> str:
    """The Babel locale used to write numbers, percentages and dates in ``language``."""
    return LOCALES[language]


def number(value: float, language: str) -> str:
    """Numbers written the way the language writes them (2 872 / 2,872)."""
    return format_decimal(value, locale=locale_of(language))


def percent(share: float, language: str) -> str:
    """A share (0-1) as a whole percentage: "7 %" / "7%"."""
    return format_percent(share, locale=locale_of(language))


def long_date(value: dt.date, language: str) -> str:
    """'12 janvier 2023' / '12 January 2023'."""
    return format_date(value, format="long", locale=locale_of(language))


def translator(language: str):
    """Return ``_(key)`` for one language; a missing key is a bug, so it raises."""
    catalogue = MESSAGES[language]

    def translate(key: str) -> str:
        return catalogue[key]

    return translate
