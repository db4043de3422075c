"""Fixtures shared by the tests; plain helpers live in ``support.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import Project, Run, copy_sample, reset_logging

from report.app.cli import main
from report.sources.config import load_config
from report.sources.validate import load_data

DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    reset_logging()
    yield
    reset_logging()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A copy of the sample project at ``tmp_path/p``, with the cwd set to ``tmp_path``."""
    copy_sample(tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path / "p", "p")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """``cli("build", "p", "-o", "out")`` runs the real entry point and captures its output."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        reset_logging()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="module")
def config():
    """The default report's settings (content/), shared by the default-content tests."""
    return load_config(DEFAULT_CONTENT)


@pytest.fixture(scope="module")
def data(config):
    """The default report's validated data."""
    return load_data(DEFAULT_CONTENT, config)


@pytest.fixture(scope="session")
def default_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of the default report (``report build content --all``: the PDFs, then
    the web edition's ``site/``), built once per session and shared by the modules that
    only read them: the editions' content, the accessibility checks, the web edition.
    Tests must not write into this folder."""
    folder = tmp_path_factory.mktemp("editions")
    try:
        code = main(["build", str(DEFAULT_CONTENT), "-o", str(folder), "--all"])
    finally:
        reset_logging()
    assert code == 0, "report build content --all failed"
    return folder


@pytest.fixture(scope="session")
def default_site(default_editions: Path) -> Path:
    """The default report's web edition, ``site/`` (its edition's ``output:``), with the
    PDFs it offers beside it: ``--all`` builds it after them, as ``--web`` does, so the
    session's one build of every edition serves these tests too. Tests only read it."""
    site = default_editions / "site"
    assert (site / "index.html").is_file(), "report build content --all wrote no site/"
    return site
