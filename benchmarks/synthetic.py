"""Generate a synthetic, clearly fictional report project with N measures.

The project follows docs/schema.md and the layout of tests/samples/minimal: report.yaml,
data/*.yaml and chapters/*.md. Everything scales with N (measures, cards, table rows,
narrative paragraphs with footnotes, source URLs) so that the page count is roughly
proportional to N, which is what the linearity targets of BENCHMARKS.md compare.

    python -m benchmarks.synthetic 180 /tmp/synthetic-180
    python -m benchmarks.synthetic 45 /tmp/editions --editions   # with editions
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import yaml

STATUSES = ("réalisée", "partiellement réalisée", "non réalisée", "non documentée")
AXES = 6
ACTIONS_PER_AXIS = 3
BODIES = (
    ("min-a", "Ministère fictif A", "MFA"),
    ("min-b", "Ministère fictif B", "MFB"),
    ("min-c", "Ministère fictif C", "MFC"),
    ("agence-d", "Agence fictive D", "AFD"),
    ("observatoire-e", "Observatoire fictif E", "OFE"),
)
THEMES = ("prévenir", "repérer", "protéger", "poursuivre", "coordonner", "évaluer")
VERBS = (
    "Créer",
    "Renforcer",
    "Évaluer",
    "Financer",
    "Former",
    "Publier",
    "Coordonner",
    "Simplifier",
)
OBJECTS = (
    "un dispositif fictif d'accueil",
    "la formation des agents fictifs",
    "un observatoire imaginaire",
    "les partenariats associatifs fictifs",
    "un guide méthodologique fictif",
    "les données d'un registre inventé",
    "un numéro d'appel fictif",
    "la coopération entre services imaginaires",
)
PARAGRAPHS_PER_BLOCK = 15  # one narrative paragraph (with a footnote) per 15 measures
BASE = "https://example.org/fictif"


def axis_of(number: int, total: int) -> int:
    """Measures are split into 6 contiguous, nearly equal axes (1-based)."""
    return (number - 1) * AXES // total + 1


def status_of(number: int) -> str:
    """Statuses cycle through the whole vocabulary, so every status is used."""
    return STATUSES[(number - 1) % len(STATUSES)]


def measure(number: int, total: int) -> dict:
    axis = axis_of(number, total)
    action = (number - 1) % ACTIONS_PER_AXIS + 1
    lead = BODIES[(number - 1) % len(BODIES)][0]
    partner = BODIES[(number + 1) % len(BODIES)][0]
    entry: dict = {
        "number": number,
        "axis": f"axe-{axis}",
        "action": f"axe-{axis}-action-{action}",
        "title": f"Mesure fictive n° {number} : {VERBS[number % len(VERBS)].lower()} "
        f"{OBJECTS[number % len(OBJECTS)]}",
        "status": status_of(number),
        "lead": [lead],
    }
    if number % 3:
        entry["partners"] = [partner]
    if entry["status"] != "non documentée":
        entry["comment"] = (
            f"Appréciation fictive de la mesure {number} : l'évaluateur imaginaire relève des "
            f"travaux préparatoires sur {OBJECTS[(number + 3) % len(OBJECTS)]}, sans "
            "calendrier publié ni budget identifié. Texte généré pour "
            "les mesures de performance ; il ne décrit aucune politique réelle."
        )
        entry["evidence"] = [
            {
                "label": f"Rapport fictif d'évaluation, fiche {number}",
                "url": f"{BASE}/rapport#mesure-{number}",
                "date": dt.date(2022, 1 + number % 12, 1 + number % 28),
            }
        ]
        entry["sources"] = [f"{BASE}/mesures/{number}"]
    if number % 4 == 2:
        entry["recommendations"] = [
            f"{VERBS[(number + 1) % len(VERBS)]} {OBJECTS[(number + 5) % len(OBJECTS)]} "
            "avant la fin du plan fictif."
        ]
    return entry


def tally(total: int) -> dict[str, int]:
    """How many measures have each status (they take the four in turn)."""
    counts = {
        status: sum(1 for n in range(1, total + 1) if status_of(n) == status) for status in STATUSES
    }
    assert sum(counts.values()) == total
    return counts


def plan(total: int) -> dict:
    """data/plan.yaml: axes, actions, bodies, the official tally, recommendations, charts."""
    counts = tally(total)
    return {
        "axes": _axes(),
        "actions": _actions(),
        "bodies": [{"key": key, "name": name, "short": short} for key, name, short in BODIES],
        "tally": {
            "counts": counts,
            "source": f"{BASE}/bilan",
            "note": "Bilan entièrement fictif, généré pour les mesures de performance.",
        },
        "recommendations": _recommendations(total),
        "datasets": _datasets(),
        "figures": _figures(counts),
    }


def _axes() -> list[dict]:
    return [
        {
            "key": f"axe-{k}",
            "number": k,
            "title": f"Axe fictif {k} : {THEMES[k - 1]}",
            "sources": [f"{BASE}/axes/{k}"],
        }
        for k in range(1, AXES + 1)
    ]


def _actions() -> list[dict]:
    return [
        {
            "key": f"axe-{k}-action-{j}",
            "axis": f"axe-{k}",
            "number": j,
            "title": f"Action fictive {k}.{j}",
        }
        for k in range(1, AXES + 1)
        for j in range(1, ACTIONS_PER_AXIS + 1)
    ]


def _recommendations(total: int) -> list[dict]:
    """One recommendation per 15 measures (at least three), each citing one measure."""
    return [
        {
            "id": f"R{index}",
            "text": f"Recommandation fictive n° {index} : "
            f"{VERBS[index % len(VERBS)].lower()} {OBJECTS[index % len(OBJECTS)]}.",
            "addressees": [BODIES[index % len(BODIES)][0]],
            "priority": index % 5 == 1,
            "author": "Collectif fictif",
            "measures": [min(total, index * 7)],
        }
        for index in range(1, max(3, total // 15) + 1)
    ]


def _datasets() -> list[dict]:
    """One yearly series with a missing year, for the bar chart."""
    return [
        {
            "key": "personnes-accompagnees",
            "title": "Personnes fictives accompagnées",
            "unit": "personnes",
            "points": [
                {"x": year, "value": None if year == 2019 else 1000 + 137 * (year - 2015)}
                for year in range(2015, 2024)
            ],
            "sources": [f"{BASE}/enquete"],
        }
    ]


def _figures(counts: dict[str, int]) -> list[dict]:
    """The three charts: the official tally, the documented statuses, the yearly series."""
    return [
        {
            "id": "bilan",
            "kind": "status_tally",
            "title": "Bilan officiel fictif des mesures",
            "alt": ", ".join(f"{count} {status}" for status, count in counts.items()),
            "source": "Évaluateur fictif",
        },
        {
            "id": "documentation",
            "kind": "status_counts",
            "title": "Statut documenté des mesures fictives",
        },
        {
            "id": "accompagnees",
            "kind": "bars",
            "dataset": "personnes-accompagnees",
            "title": "Personnes fictives accompagnées, 2015-2023",
            "source": "Enquête fictive",
        },
    ]


def paragraph(index: int, total: int) -> str:
    first = min(total, (index - 1) * PARAGRAPHS_PER_BLOCK + 1)
    second = min(total, first + 7)
    return (
        f"Le bloc fictif n° {index} regroupe des mesures imaginaires dont la mise en œuvre "
        f"est inégale. La [[M{first}]] illustre les retards observés, tandis que la "
        f"[[M{second}]] montre qu'un pilotage clair produit des effets mesurables. Ce texte, "
        "généré automatiquement, sert à remplir des pages de façon réaliste : des phrases de "
        "longueur variable, des renvois, des notes de bas de page et des appels de chiffres "
        f"comme {1000 + 37 * index} personnes fictives accompagnées[^bloc-{index}].\n\n"
        f"[^bloc-{index}]: Source imaginaire n° {index} ([example.org]({BASE}/notes/{index})).\n"
    )


def axis_sections(total: int) -> list[str]:
    """One section per axis: its share of the narrative paragraphs, then its measure cards."""
    blocks = max(1, -(-total // PARAGRAPHS_PER_BLOCK))
    per_axis: list[list[int]] = [[] for _ in range(AXES)]
    for index in range(1, blocks + 1):
        first = (index - 1) * PARAGRAPHS_PER_BLOCK + 1
        per_axis[axis_of(min(first, total), total) - 1].append(index)
    return [
        f"## Axe fictif {k} : {THEMES[k - 1]}\n\n"
        + "\n".join(paragraph(i, total) for i in per_axis[k - 1])
        + f"\n{{{{ measure_cards(axis='axe-{k}') }}}}\n"
        for k in range(1, AXES + 1)
    ]


def chapters(total: int) -> dict[str, str]:
    """chapters/*.md, by file name; the measures chapter grows with ``total``."""
    axes = axis_sections(total)
    return {
        "01-synthese.md": (
            "---\ntitle: Synthèse\n---\n\n"
            "Ce rapport est **entièrement fictif** : il a été généré pour mesurer les "
            "performances du constructeur de rapports. Le plan fictif comptait "
            "{{ figures.total }} mesures ; {{ figures.category('done') }} ont été réalisées "
            "selon l'évaluateur imaginaire[^bilan].\n\n"
            "{{ key_figures() }}\n\n{{ figure('bilan') }}\n\n"
            "::: encadre\n**À retenir.** Aucun de ces chiffres ne décrit une politique "
            "réelle.\n:::\n\n"
            "[^bilan]: Bilan fictif publié par l'évaluateur imaginaire.\n"
        ),
        "02-mesures.md": (
            "---\ntitle: État des mesures\n---\n\n"
            "Les mesures fictives sont présentées trois fois : d'un coup d'œil, en tableau, "
            "puis fiche par fiche, axe par axe.\n\n"
            # A sentence under the heading: at 720 measures the recap grid is taller than a
            # page and is pushed to the next one (break-inside: avoid), which would leave the
            # heading alone on a near-empty page and make the verification gate warn.
            "## Récapitulatif\n\n"
            "Chaque case correspond à une mesure fictive ; le symbole indique son statut, la "
            "couleur le rappelle.\n\n{{ recap() }}\n\n{{ figure('documentation') }}\n\n"
            "## Tableau des mesures\n\n{{ measures_table() }}\n\n" + "\n".join(axes)
        ),
        "03-indicateurs.md": (
            "---\ntitle: Indicateurs\n---\n\n"
            "L'enquête fictive compte les personnes accompagnées chaque année ; l'année 2019 "
            "manque[^enquete].\n\n{{ figure('accompagnees') }}\n\n"
            "[^enquete]: Enquête imaginaire ([example.org](https://example.org/fictif/enquete)).\n"
        ),
        "04-recommandations.md": ("---\ntitle: Recommandations\n---\n\n{{ recommendations() }}\n"),
        "05-annexes.md": ("---\ntitle: Sources\nclasses: [annex]\n---\n\n{{ sources() }}\n"),
    }


def report_yaml(total: int) -> dict:
    return {
        "title": f"Rapport fictif de performance ({total} mesures)",
        "subtitle": "Projet synthétique généré pour les mesures de performance",
        "organisation": "Collectif fictif",
        "authors": ["Équipe fictive"],
        "date": dt.date(2023, 2, 18),
        "language": "fr",
        "plan": {
            "title": "Plan d'action fictif 2020-2022",
            "short_title": "plan fictif",
            "period": "2020-2022",
            "evaluator": "Évaluateur fictif",
        },
        "output": f"synthetic-{total}",
        "keywords": ["fictif", "performance"],
        "size_budget_mb": 100,
    }


EDITIONS = {
    "contact": "contact@example.org (adresse fictive)",
    "letter": {
        "place": "Ville fictive",
        "signatories": [{"name": "Personne Fictive", "role": "Coordination fictive"}],
    },
    "editions": {
        "note": {
            "kind": "brief",
            "chapters_dir": "brief",
            "stylesheet": "brief.css",
            "output": "note-fictive",
            "max_pages": 4,
        },
        "dossiers": {"kind": "dossier", "chapters_dir": "dossier", "output": "dossier-{body}"},
        "axe-1": {"axes": ["axe-1"], "chapters_dir": "axe-1", "output": "rapport-fictif-axe-1"},
    },
}
EDITION_FILES = {
    "brief/01-note.md": (
        "---\ntitle: Note fictive\n---\n\nSur {{ figures.total }} mesures fictives, "
        "{{ figures.category('done') }} ont été réalisées.\n\n{{ key_figures() }}\n\n"
        "{{ figure('bilan') }}\n\n"
        "Les mesures non réalisées concernent surtout la coordination entre services "
        "imaginaires et le financement de dispositifs fictifs. Le collectif fictif demande un "
        "calendrier, un budget identifié et un suivi public mesure par mesure, pour que le "
        "prochain plan imaginaire ne reste pas au milieu du gué.\n"
    ),
    "dossier/01-mesures.md": (
        "---\ntitle: Vos mesures\n---\n\n{{ measure_cards() }}\n\n"
        "## Nos recommandations\n\n{{ recommendations() }}\n"
    ),
    "axe-1/01-axe.md": (
        "---\ntitle: Axe fictif 1\n---\n\nLes mesures fictives du premier axe.\n\n"
        "{{ measures_table() }}\n\n{{ measure_cards() }}\n"
    ),
    "letters/dossier.md": (
        "Nous vous adressons l'évaluation fictive des {{ data.measures | length }} mesures "
        "dont {{ body.name }} a la charge. Sur {{ figures.total }} mesures, "
        "{{ figures.category('done') }} seulement ont été réalisées.\n"
    ),
}


def add_editions(folder: Path) -> Path:
    """Declare editions (a brief, one dossier per body, an axis selection) in a project.

    Needs a builder with editions (``report build --all``); older ones reject the keys.
    """
    config = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
    _dump(folder / "report.yaml", {**config, **EDITIONS})
    for name, text in EDITION_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _dump(path: Path, payload: dict) -> None:
    path.write_text(
        yaml.safe_dump(payload, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )


def generate(total: int, folder: Path) -> Path:
    """Write the project into ``folder`` (created; existing files are overwritten)."""
    if total < 1:
        raise ValueError("need at least one measure")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    _dump(folder / "report.yaml", report_yaml(total))
    _dump(folder / "data" / "plan.yaml", plan(total))
    _dump(
        folder / "data" / "measures.yaml",
        {"measures": [measure(n, total) for n in range(1, total + 1)]},
    )
    for name, text in chapters(total).items():
        (folder / "chapters" / name).write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("measures", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--editions",
        action="store_true",
        help="also declare editions (brief, dossiers, axis selection)",
    )
    args = parser.parse_args()
    folder = generate(args.measures, args.folder)
    print(add_editions(folder) if args.editions else folder)


if __name__ == "__main__":
    main()
