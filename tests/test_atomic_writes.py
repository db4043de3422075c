"""Atomic writes, function by function: a reader sees the old file or the new one, a
failure changes nothing and says which file, and only dead builds' temporaries go.

``test_writes.py`` checks the same promises through whole builds.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from report.errors import RenderError
from report.output import files
from report.output.files import (
    output_path,
    remove_stale_temporaries,
    write_atomically,
    write_together,
)


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The output folder ``out``, named relative to the cwd as the command line does."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    return Path("out")


def problem_of(call, *args) -> str:
    with pytest.raises(RenderError) as caught:
        call(*args)
    [problem] = caught.value.problems
    return str(problem)


def test_an_output_name_is_checked_after_resolution(tmp_path: Path) -> None:
    assert output_path(tmp_path, "rapport.pdf") == tmp_path / "rapport.pdf"
    with pytest.raises(RenderError):
        output_path(tmp_path, "../rapport.pdf")
    (tmp_path / "lien").symlink_to(tmp_path.parent)
    with pytest.raises(RenderError):
        output_path(tmp_path, "lien/rapport.pdf")


def test_an_output_name_leading_out_says_what_names_are_allowed(out: Path) -> None:
    assert problem_of(output_path, out, "../rapport.pdf") == (
        "rapport.pdf: this output name leads outside the output folder; use letters, digits, "
        "'.', '_' and '-' only"
    )


def test_a_file_is_written_in_folders_made_for_it_and_leaves_no_temporary(out: Path) -> None:
    target = out / "2024" / "dossiers" / "rapport.pdf"
    write_atomically(target, b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert [path.name for path in target.parent.iterdir()] == ["rapport.pdf"]


def test_files_written_together_are_replaced_only_once_all_are_staged(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "missing" / "b.html"
    first.write_bytes(b"old")
    (tmp_path / "missing").write_text("a file where a folder should be")
    with pytest.raises(RenderError):
        write_together([(first, b"new"), (second, b"new")])
    assert first.read_bytes() == b"old"


def test_a_failed_write_names_the_file_that_failed(out: Path) -> None:
    (out / "dossiers").write_text("a file where a folder should be")
    files_ = [(out / "rapport.pdf", b"new"), (out / "dossiers" / "min.pdf", b"new")]
    assert problem_of(write_together, files_) == "out/dossiers: cannot write output (File exists)"


def test_a_full_disk_is_told_on_the_first_file(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write error names no file: the message names the first of the files written."""

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    (out / "rapport.pdf").write_bytes(b"old")
    monkeypatch.setattr(files.os, "fsync", full)
    files_ = [(out / "rapport.pdf", b"new"), (out / "rapport.html", b"new")]
    assert problem_of(write_together, files_) == (
        "out/rapport.pdf: cannot write output (No space left on device)"
    )
    assert (out / "rapport.pdf").read_bytes() == b"old"


# --- temporaries of killed builds ------------------------------------------------------


def test_temporaries_of_killed_builds_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".rapport.pdf.{dead.pid}.tmp"
    live = tmp_path / f".rapport.pdf.{os.getpid()}.tmp"
    other = tmp_path / "notes.tmp"
    for path in (stale, live, other):
        path.write_text("x")
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert live.exists() and other.exists() and not stale.exists()


def test_the_temporary_of_a_build_running_beside_is_kept_and_the_build_left_alone(
    tmp_path: Path,
) -> None:
    beside = subprocess.Popen(["sleep", "30"])
    try:
        temporary = tmp_path / f".rapport.pdf.{beside.pid}.tmp"
        temporary.write_text("x")
        assert remove_stale_temporaries(tmp_path) == [] and temporary.exists()
        with pytest.raises(subprocess.TimeoutExpired):  # asked whether it runs, not stopped
            beside.wait(timeout=0.3)
    finally:
        beside.kill()
        beside.wait()


def test_the_temporary_of_another_users_build_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_allowed(pid: int, signal: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    temporary = tmp_path / ".rapport.pdf.999999.tmp"
    temporary.write_text("x")
    monkeypatch.setattr(files.os, "kill", not_allowed)
    assert remove_stale_temporaries(tmp_path) == [] and temporary.exists()


def test_a_folder_named_like_a_temporary_is_left_alone(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / f".rapport.pdf.{dead.pid}.tmp").mkdir()
    assert remove_stale_temporaries(tmp_path) == []
    assert remove_stale_temporaries(tmp_path / "absent") == []
