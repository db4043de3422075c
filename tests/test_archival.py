"""Trustworthy PDFs (issue 5): PDF/A-3a and tagged, data attached, metadata, reproducible."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from report.app.build import BuildOptions, build

SAMPLE = Path(__file__).parent / "samples" / "minimal"
LONG_WORDS = (
    "Les recommandations interministérielles restent considérablement insuffisantes "
    "et les externalités institutionnelles demeurent incommensurablement sous-estimées. "
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, plus a paragraph of long words that must be hyphenated."""
    folder = tmp_path_factory.mktemp("archival") / "project"
    shutil.copytree(SAMPLE, folder)
    chapter = folder / "chapters" / "01-synthese.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + "\n" + LONG_WORDS * 12 + "\n", encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def pdf_path(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(project, tmp_path_factory.mktemp("out")).pdf


def test_xmp_declares_pdf_a_3a(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "A")


def test_pdfinfo_says_tagged(pdf_path: Path) -> None:
    info = subprocess.run(
        ["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info


def test_metadata_comes_from_report_yaml_never_the_clock(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "Rapport d'essai"
        assert str(info.Author) == "Collectif d'essai"
        assert str(info.Subject) == "Évaluation fictive d'un plan d'action"
        assert str(info.Keywords) == "essai, plan"
        assert str(info.CreationDate).startswith("D:20230218")
        assert str(info.ModDate).startswith("D:20230218")
        assert str(pdf.Root.Lang) == "fr"


def test_measures_are_attached_as_yaml_and_csv(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        files = {name: spec for name, spec in pdf.attachments.items()}
        assert sorted(files) == ["essai-mesures.csv", "essai-mesures.yaml"]
        csv_spec, yaml_spec = files["essai-mesures.csv"], files["essai-mesures.yaml"]
        assert str(csv_spec.obj.AFRelationship) == "/Data"
        assert str(yaml_spec.obj.AFRelationship) == "/Source"
        assert str(csv_spec.get_file().obj.Subtype) == "/text/csv"
        assert str(yaml_spec.get_file().obj.Subtype) == "/application/yaml"
        params = csv_spec.get_file().obj.Params
        assert str(params.CreationDate).startswith("D:20230218")
        assert str(params.ModDate).startswith("D:20230218")
        rows = csv_spec.get_file().read_bytes().decode("utf-8-sig").splitlines()
        yaml_text = yaml_spec.get_file().read_bytes().decode("utf-8")
    assert rows[0] == (  # in the report's language and words
        "numéro,axe,action,intitulé,statut,statut (libellé),pilote,partenaires,appréciation,"
        "éléments de preuve,recommandations,sources"
    )
    assert len(rows) == 1 + 4
    assert rows[3].startswith("3,a2,,,non documentée,")
    assert "title: Informer le public" in yaml_text and "réalisée: 1" in yaml_text


def test_two_builds_in_separate_processes_are_byte_identical(project: Path, tmp_path: Path) -> None:
    outputs = []
    for name in ("first", "second"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "report", "build", str(project), "-o", str(out), "-q"],
            check=True,
            capture_output=True,
        )
        outputs.append((out / "essai.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_hyphenated_words_extract_whole(pdf_path: Path) -> None:
    raw = subprocess.run(
        ["pdftotext", "-raw", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert any(line.endswith("-") and line[-2].isalpha() for line in raw.splitlines()), (
        "the paragraph was not hyphenated: the test proves nothing"
    )
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "\u2010" not in text
    assert text.count("interministérielles") == 12


def test_other_variants_stay_available(project: Path, tmp_path: Path) -> None:
    result = build(project, tmp_path, BuildOptions(pdf_variant="pdf/ua-1"))
    with pikepdf.open(result.pdf) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        assert "/StructTreeRoot" in pdf.Root
