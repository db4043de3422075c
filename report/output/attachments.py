"""Open data: the measures as YAML and CSV, attached to the PDF so readers can reuse them.

The files are derived from the validated model (not copied from the sources), so what is
attached is exactly what the report shows.
"""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass

import yaml

from report.i18n.messages import translator
from report.sources.config import Config
from report.sources.model import PlanData


@dataclass(frozen=True)
class DataFile:
    """One file to embed in the PDF."""

    name: str
    payload: bytes
    description: str
    relationship: str
    mime_type: str


DESCRIPTIONS = {
    "fr": {
        "yaml": "Mesures, axes, organismes et bilan officiel, tels que le rapport les "
        "utilise (YAML)",
        "csv": "Une ligne par mesure : numéro, axe, intitulé, statut, pilote, sources (CSV, UTF-8)",
    },
    "en": {
        "yaml": "Measures, axes, bodies and official tally, as the report uses them (YAML)",
        "csv": "One row per measure: number, axis, title, status, lead, sources (CSV, UTF-8)",
    },
}
CSV_COLUMNS = (
    "number",
    "axis",
    "action",
    "title",
    "status",
    "status_label",
    "lead",
    "partners",
    "comment",
    "sources",
)


def data_uri(payload: bytes, mime_type: str) -> str:
    """Embed a file in a URI: SVG charts in the HTML, attachments (with their MIME type)."""
    return f"data:{mime_type};base64,{base64.b64encode(payload).decode()}"


def measure_rows(data: PlanData) -> list[dict[str, str]]:
    """One flat row per measure; lists are joined with ' | ' and unknown titles left empty."""
    rows = []
    for measure in data.measures:
        rows.append(
            {
                "number": str(measure.number),
                "axis": measure.axis.key,
                "action": measure.action.key if measure.action else "",
                "title": measure.title or "",
                "status": measure.status.key,
                "status_label": measure.status.label,
                "lead": " | ".join(body.name for body in measure.lead),
                "partners": " | ".join(body.name for body in measure.partners),
                "comment": measure.comment,
                "sources": " | ".join(measure.sources),
            }
        )
    return rows


def measures_csv(data: PlanData) -> bytes:
    """UTF-8 CSV with a header row (with BOM, so spreadsheet software reads the accents)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(measure_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def measures_yaml(data: PlanData) -> bytes:
    """The plan's data as one YAML document, in the same schema authors write."""
    document = {
        "axes": [axis.model_dump(exclude_defaults=True) for axis in data.axes],
        "actions": [action.model_dump(exclude_defaults=True) for action in data.actions],
        "bodies": [body.model_dump(exclude_defaults=True) for body in data.bodies],
        "measures": [m.model_dump(mode="json", exclude_defaults=True) for m in data.measures],
    }
    if data.tally is not None:
        document["tally"] = data.tally.model_dump(exclude_defaults=True)
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")


def attachments(data: PlanData, config: Config) -> list[DataFile]:
    """The attachments of the report, named after its output file, sorted by name (the PDF
    name tree that lists them must be sorted)."""
    stem = f"{config.output}-{translator(config.language)('measures_file')}"
    files = [
        DataFile(
            f"{stem}.yaml",
            measures_yaml(data),
            DESCRIPTIONS[config.language]["yaml"],
            "Source",
            "application/yaml",
        ),
        DataFile(
            f"{stem}.csv",
            measures_csv(data),
            DESCRIPTIONS[config.language]["csv"],
            "Data",
            "text/csv",
        ),
    ]
    return sorted(files, key=lambda item: item.name)
