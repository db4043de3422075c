"""``report doctor``: one line per part, the fixes of what is missing on each system, exit
code 1 only when a build would fail, and the summary line last."""

from __future__ import annotations

import builtins
import re
from importlib import metadata
from pathlib import Path

import pytest
from support import Project

from report.app import doctor as doctor_module
from report.app.doctor import Check, pango_check, python_check
from report.output import fonts, render

READY = re.compile(r"^Checked this computer: ready to build( \(\d optional missing\))? in ")


def status_of(run, name: str) -> str:
    """The status word of the line about ``name``."""
    for line in run.lines:
        parts = line.split(maxsplit=1)
        if len(parts) == 2 and parts[1].startswith(f"{name}:"):
            return parts[0]
    raise AssertionError(f"no line about {name} in:\n{run.err}")


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint installed, Pango not: what importing it raises on a bare Mac or Windows,
    after printing a page of advice to stdout."""

    def fails() -> tuple[str, int]:
        print("WeasyPrint could not import some external libraries.")
        raise OSError("cannot load library 'libpango-1.0-0': error 0x7e")

    monkeypatch.setattr(render, "engine_versions", fails)


def test_a_ready_computer_exits_0_with_every_part_ok(project: Project, cli) -> None:
    run = cli("doctor", "p")
    assert run.code == 0, run.err
    for name in ("Python", "WeasyPrint", "Pango", "packaged fonts", "theme fonts"):
        assert status_of(run, name) == "OK"
    assert status_of(run, "p/report.yaml") == "OK"
    assert "Linux Libertine O (packaged)" in run.err
    assert READY.match(run.lines[-1]), run.lines[-1]
    assert run.out == ""


def test_missing_pango_fails_with_the_fix_for_each_system(project: Project, cli, no_pango) -> None:
    run = cli("doctor", "p")
    assert run.code == 1
    assert status_of(run, "WeasyPrint") == "OK"
    assert status_of(run, "Pango") == "MISSING"
    assert "cannot be loaded (cannot load library 'libpango-1.0-0': error 0x7e)" in run.err
    assert "Debian/Ubuntu: sudo apt install libpango-1.0-0" in run.err
    assert "macOS:         brew install pango" in run.err
    assert "pacman -S mingw-w64-ucrt-x86_64-pango" in run.err
    assert "pacman -S mingw-w64-x86_64-pango" in run.err
    assert run.lines[-1].startswith(
        "Checked this computer: not ready, 1 required part missing (Pango) in"
    )
    assert run.out == "", "WeasyPrint's own advice is not printed over the doctor's"


def test_weasyprint_not_installed(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(doctor_module.metadata, "version", absent)
    run = cli("doctor", "p")
    assert run.code == 1
    assert status_of(run, "WeasyPrint") == "MISSING"
    assert status_of(run, "Pango") == "MISSING"
    assert "pipx reinstall advocacy-report" in run.err
    assert "(WeasyPrint, Pango)" in run.lines[-1]


def test_a_broken_python_dependency_is_not_blamed_on_pango(
    project: Project, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> tuple[str, int]:
        raise ImportError("cannot import name 'CSS' from 'tinycss2'")

    monkeypatch.setattr(render, "engine_versions", broken)
    run = cli("doctor", "p")
    assert run.code == 1
    assert "does not import (cannot import name 'CSS' from 'tinycss2')" in run.err
    assert "Pango: not checked (WeasyPrint does not import)" in run.err


def test_a_theme_font_neither_packaged_nor_installed(
    project: Project, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("report.yaml", project.read("report.yaml") + "theme:\n  font_body: Comic Neue\n")
    monkeypatch.setattr(fonts.subprocess, "run", _fc_list("DejaVu Sans\n"))
    run = cli("doctor", "p")
    assert run.code == 1
    assert status_of(run, "theme fonts") == "MISSING"
    assert "theme fonts: Comic Neue not found" in run.err
    assert "or set theme: font_body and font_heading in report.yaml" in run.err


def test_an_installed_theme_font_is_found(
    project: Project, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("report.yaml", project.read("report.yaml") + "theme:\n  font_body: Comic Neue\n")
    monkeypatch.setattr(fonts.subprocess, "run", _fc_list("Comic Neue,Comic Neue Bold\n"))
    run = cli("doctor", "p")
    assert run.code == 0, run.err
    assert "Comic Neue (installed), Linux Biolinum O (packaged)" in run.err


def _fc_list(listing: str):
    class Done:
        stdout = listing

    return lambda *args, **kwargs: Done()


def test_content_that_does_not_load_is_listed(project: Project, cli) -> None:
    project.write("report.yaml", "title: Essai\n")
    run = cli("doctor", "p")
    assert run.code == 1
    assert status_of(run, "p/report.yaml") == "MISSING"
    assert "does not load (1 problem)" in run.err
    assert "p/report.yaml:1: date: is required; add it" in run.err


def test_a_folder_without_report_yaml(tmp_path: Path, cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    run = cli("doctor", "empty")
    assert run.code == 1
    assert "MISSING  empty/report.yaml: not found" in run.err
    assert "report new my-report" in run.err


def test_without_any_project_the_content_line_is_optional(tmp_path: Path, cli, monkeypatch) -> None:
    """Right after installing, before any project: the doctor still says ready."""
    monkeypatch.chdir(tmp_path)
    run = cli("doctor")
    assert run.code == 0, run.err
    assert "missing  content: no content/report.yaml here (optional)" in run.err


def test_optional_tools_missing_do_not_fail(
    project: Project, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(doctor_module, "CHROMIUM_FILE", project.root / "no-chromium")
    run = cli("doctor", "p")
    assert run.code == 0, run.err
    for name in ("poppler-utils", "qpdf", "Chromium"):
        assert status_of(run, name) == "missing"
    assert "brew install --cask chromium" in run.err
    assert READY.match(run.lines[-1]) and "(3 optional missing)" in run.lines[-1]


def test_versions_below_the_minimum() -> None:
    assert python_check((3, 10, 4)).ok is False
    assert "3.10.4 is too old" in python_check((3, 10, 4)).detail
    assert python_check((3, 11, 0)).ok
    assert pango_check(15010) == Check("Pango", True, "1.50.10")
    assert pango_check(14400).ok
    old = pango_check(14210)
    assert (old.ok, old.detail) == (False, "1.42.10 is too old: WeasyPrint needs 1.44 or later")
    assert old.fix[1].startswith("macOS:         brew install pango")


def test_the_real_engine_answers() -> None:
    """The one function that imports WeasyPrint for the doctor, unmocked."""
    version, pango = render.engine_versions()
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", version)
    assert pango >= 14400


def test_a_build_without_pango_fails_in_one_line_naming_the_doctor(
    project: Project, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a traceback: the problem line says where to look."""
    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0': error 0x7e.  Additionally...")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pango)
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.lines[-2] == (
        "p: WeasyPrint cannot load its system libraries (cannot load library "
        "'libpango-1.0-0': error 0x7e); run 'report doctor' to see what is missing and how "
        "to install it"
    )
    assert run.lines[-1].startswith("Build failed: 1 problem")
