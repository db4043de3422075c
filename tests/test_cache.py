"""Skipping unchanged builds: what the fingerprint covers, and when the record of the last
clean build is believed.

No PDF is built: a small content folder in ``tmp_path``, bytes standing for the PDF and
HTML, and the functions ``build()`` calls before and after a build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from support import write_files

from report.app.cache import (
    LastBuild,
    forget_build,
    input_fingerprint,
    previous_build,
    record_build,
    state_file,
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_files(tmp_path / "c", {"report.yaml": "title: T\n", "chapters/01.md": "# Un\n"})


def fingerprint(content: Path, shaping: str = "") -> str:
    return input_fingerprint(content, shaping, content / "out")


def test_the_fingerprint_is_the_same_while_nothing_changes(content: Path) -> None:
    assert fingerprint(content) == fingerprint(content)


def test_the_fingerprint_changes_with_a_files_bytes_or_name(content: Path) -> None:
    before = fingerprint(content)
    (content / "chapters" / "01.md").write_text("# Deux\n", encoding="utf-8")
    edited = fingerprint(content)
    (content / "chapters" / "01.md").rename(content / "chapters" / "02.md")
    renamed = fingerprint(content)
    assert len({before, edited, renamed}) == 3


def test_the_fingerprint_changes_with_the_options_that_shape_the_pdf(content: Path) -> None:
    assert fingerprint(content, "print=False") != fingerprint(content, "print=True")


def test_the_output_folder_inside_the_content_folder_is_not_an_input(content: Path) -> None:
    before = fingerprint(content)
    write_files(content, {"out/rapport.html": "<p>écrit par le build</p>"})
    assert fingerprint(content) == before


def test_a_link_counts_as_the_name_it_points_to_never_its_bytes(content: Path) -> None:
    link = content / "chapters" / "zero.md"
    link.symlink_to("/dev/zero")  # reading it would never end
    first = fingerprint(content)
    link.unlink()
    link.symlink_to("/dev/null")
    assert fingerprint(content) != first


def test_a_link_to_a_folder_counts_as_the_name_it_points_to(content: Path) -> None:
    """An edition's chapters folder may be a link: pointing it elsewhere is a change."""
    write_files(content, {"chapitres-2023/01.md": "# Un\n", "chapitres-2024/01.md": "# Un\n"})
    link = content / "chapitres-court"
    link.symlink_to("chapitres-2023")
    first = fingerprint(content)
    link.unlink()
    link.symlink_to("chapitres-2024")
    assert fingerprint(content) != first


def test_each_edition_and_dossier_has_its_own_record(tmp_path: Path) -> None:
    assert state_file(tmp_path, None, None) == tmp_path / ".cache" / "last-build-report-all.json"
    assert state_file(tmp_path, "court", None).name == "last-build-court-all.json"
    assert state_file(tmp_path, "dossiers", "min").name == "last-build-dossiers-min.json"


# --- the record of the last clean build ------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, LastBuild]:
    """A clean build of ``rapport.pdf`` and ``rapport.html`` (12 pages), recorded."""
    last = LastBuild(tmp_path / "rapport.pdf", tmp_path / "rapport.html", 12)
    last.pdf.write_bytes(b"%PDF")
    last.html.write_bytes(b"<html>")
    state = state_file(tmp_path, None, None)
    record_build(state, "abc", last, b"%PDF", b"<html>")
    return state, last


def test_an_unchanged_build_is_found_again(built: tuple[Path, LastBuild]) -> None:
    state, last = built
    assert previous_build(state, "abc") == last


def test_the_record_names_the_files_and_their_hashes(built: tuple[Path, LastBuild]) -> None:
    state, last = built
    record = json.loads(state.read_text(encoding="utf-8"))
    assert record["fingerprint"] == "abc" and record["pages"] == 12
    assert (record["pdf"], record["html"]) == (str(last.pdf), str(last.html))
    assert record["pdf_sha256"] == hashlib.sha256(b"%PDF").hexdigest()
    assert record["html_sha256"] == hashlib.sha256(b"<html>").hexdigest()


def test_other_inputs_mean_building_again(built: tuple[Path, LastBuild]) -> None:
    state, _ = built
    assert previous_build(state, "abd") is None


@pytest.mark.parametrize("edited", ["pdf", "html"])
def test_an_output_edited_since_means_building_again(
    built: tuple[Path, LastBuild], edited: str
) -> None:
    state, last = built
    getattr(last, edited).write_bytes(b"changed by hand")
    assert previous_build(state, "abc") is None


@pytest.mark.parametrize(
    "record",
    ["not json", '{"fingerprint": "abc"}', "[]", '{"pdf": null, "html": "x"}'],
    ids=["not json", "no files", "not a mapping", "no path"],
)
def test_a_damaged_record_means_building_again(built: tuple[Path, LastBuild], record: str) -> None:
    state, _ = built
    state.write_text(record, encoding="utf-8")
    assert previous_build(state, "abc") is None


def test_a_forgotten_build_is_built_again(built: tuple[Path, LastBuild]) -> None:
    state, _ = built
    forget_build(state)
    assert previous_build(state, "abc") is None
    forget_build(state)  # nothing to forget is fine
