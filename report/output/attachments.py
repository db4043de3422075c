"""Open data: the measures as YAML and CSV, attached to the PDF so readers can reuse them.

The files are derived from the validated model (not copied from the sources), so what is
attached is exactly what the report shows.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import dataclass

import yaml

from report.sources.aliases import data_words
from report.sources.config import Config
from report.sources.model import Evidence, PlanData


@dataclass(frozen=True)
class DataFile:
    """One file to embed in the PDF."""

    name: str
    payload: bytes
    description: str
    relationship: str
    mime_type: str


# The CSV's columns: the key of each field, then the catalogue message naming it.
CSV_COLUMNS = (
    ("number", "column_number"),
    ("group", "{group}"),
    ("subgroup", "column_action"),
    ("title", "column_title"),
    ("status", "column_status"),
    ("status_label", "column_status_label"),
    ("lead", "column_lead"),
    ("partners", "column_partners"),
    ("comment", "column_comment"),
    ("evidence", "column_evidence"),
    ("recommendations", "column_recommendations"),
    ("sources", "column_sources"),
)
JOINED = " | "  # lists in one CSV cell


def data_uri(payload: bytes, mime_type: str) -> str:
    """Embed a file in a URI: SVG charts in the HTML, attachments (with their MIME type)."""
    return f"data:{mime_type};base64,{base64.b64encode(payload).decode()}"


def measure_rows(data: PlanData) -> list[dict[str, str]]:
    """One flat row per measure, every field; lists are joined with ' | ' and unknown
    titles left empty."""
    return [
        {
            "number": str(measure.number),
            "group": measure.axis.key,
            "subgroup": measure.action.key if measure.action else "",
            "title": measure.title or "",
            "status": measure.status.key,
            "status_label": measure.status.label,
            "lead": JOINED.join(body.name for body in measure.lead),
            "partners": JOINED.join(body.name for body in measure.partners),
            "comment": measure.comment,
            "evidence": JOINED.join(_evidence(item) for item in measure.evidence),
            "recommendations": JOINED.join(measure.recommendations),
            "sources": JOINED.join(measure.sources),
        }
        for measure in data.measures
    ]


def _evidence(item: Evidence) -> str:
    """'Avis de la CNCDH (2023-01-12) <https://...>'."""
    dated = f"{item.label} ({item.date.isoformat()})" if item.date else item.label
    return f"{dated} <{item.url}>" if item.url else dated


def measures_csv(data: PlanData, config: Config) -> bytes:
    """UTF-8 CSV whose header row is in the report's language and words (with BOM, so
    spreadsheet software reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_header(config))
    writer.writerows([row[key] for key, _ in CSV_COLUMNS] for row in measure_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _header(config: Config) -> list[str]:
    words = term_placeholders(config)
    return [
        (config.catalogue.text(name) if name.startswith("column_") else name).format(**words)
        for _, name in CSV_COLUMNS
    ]


def term_placeholders(config: Config) -> dict[str, str]:
    """{item}, {items}, {Items}, {group}, {groups}, {subgroup}, {bodies} for the messages."""
    words = config.words
    return {
        "item": words.item.singular,
        "items": words.item.plural,
        "Items": words.item.titles,
        "group": words.group.singular,
        "groups": words.group.plural,
        "subgroup": words.subgroup.singular,
        "bodies": words.body.plural,
    }


def measures_yaml(data: PlanData, config: Config) -> bytes:
    """The plan's data as one YAML document, in the schema authors write and in their
    words (``commitments:``, ``theme:``), so the builder reads it back."""
    document = {
        "axes": [axis.model_dump(mode="json", exclude_defaults=True) for axis in data.axes],
        "actions": [a.model_dump(mode="json", exclude_defaults=True) for a in data.actions],
        "bodies": [body.model_dump(mode="json", exclude_defaults=True) for body in data.bodies],
        "measures": [m.model_dump(mode="json", exclude_defaults=True) for m in data.measures],
    }
    if data.tally is not None:
        document["tally"] = data.tally.model_dump(exclude_defaults=True)
    document = data_words(config.vocabulary).exported(document)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def attachments(data: PlanData, config: Config) -> list[DataFile]:
    """The attachments of the report, named after its output file and the vocabulary
    (``rapport-mesures.csv``, ``report-commitments.csv``), sorted by name (the PDF name
    tree that lists them must be sorted)."""
    stem = f"{config.output}-{_slug(config.words.item.plural)}"
    words = term_placeholders(config)
    files = [
        DataFile(
            f"{stem}.yaml",
            measures_yaml(data, config),
            config.catalogue.text("attachment_yaml").format(**words),
            "Source",
            "application/yaml",
        ),
        DataFile(
            f"{stem}.csv",
            measures_csv(data, config),
            config.catalogue.text("attachment_csv").format(**words),
            "Data",
            "text/csv",
        ),
    ]
    return sorted(files, key=lambda item: item.name)


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.casefold()).strip("-") or "data"
