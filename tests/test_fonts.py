"""The default theme's fonts travel inside the package: declared, licensed, shipped in the
wheel, allowed by the URL fetcher, counted as present, and used on a machine that has
no fonts at all."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from support import SAMPLE

from report import PACKAGE_DIR, PACKAGED_FONTS, PROJECT_STYLES
from report.output import fonts, render
from report.output.fonts import font_files, packaged_families
from report.sources.config import Theme

ROOT = PACKAGE_DIR.parent
FACE = re.compile(r"@font-face\s*\{([^}]*)\}")


def font_faces() -> list[dict[str, str]]:
    """The descriptors of each ``@font-face`` rule of report.css."""
    css = (PROJECT_STYLES / "report.css").read_text(encoding="utf-8")
    faces = []
    for body in FACE.findall(css):
        descriptors = dict(
            (name.strip(), value.strip().strip('"'))
            for name, value in (part.split(":", 1) for part in body.split(";") if ":" in part)
        )
        faces.append(descriptors)
    return faces


def test_every_face_is_a_shipped_file_of_that_family_weight_and_style() -> None:
    faces = font_faces()
    assert len(faces) == len(font_files())
    for face in faces:
        url = re.fullmatch(r'url\("?\.\./fonts/([\w.]+)"?\)', face["src"])
        assert url, face["src"]
        path = PACKAGED_FONTS / url[1]
        assert path.is_file(), path
        with TTFont(path, lazy=True) as font:
            assert font["name"].getDebugName(1) == face["font-family"]
            bold = bool(font["head"].macStyle & 1)
            italic = bool(font["head"].macStyle & 2)
        assert bold == (face.get("font-weight") == "bold"), path.name
        assert italic == (face.get("font-style") == "italic"), path.name


def test_the_theme_defaults_are_shipped_with_their_licences() -> None:
    theme = Theme()
    assert {theme.font_body.casefold(), theme.font_heading.casefold()} <= packaged_families()
    names = {path.name for path in PACKAGED_FONTS.iterdir()}
    assert {"OFL-1.1.txt", "GPL-2.txt", "README.txt"} <= names
    readme = (PACKAGED_FONTS / "README.txt").read_text(encoding="utf-8")
    for path in font_files():
        assert path.name in readme, f"{path.name} is not described in fonts/README.txt"


def test_the_wheel_carries_the_styles_and_fonts() -> None:
    """pyproject.toml's package data covers every stylesheet, font and licence."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        patterns = tomllib.load(handle)["tool"]["setuptools"]["package-data"]["report"]
    shipped = {path for pattern in patterns for path in PACKAGE_DIR.glob(pattern)}
    for folder in (PROJECT_STYLES, PACKAGED_FONTS):
        files = {path for path in folder.iterdir() if path.is_file()}
        assert files and files <= shipped, sorted(p.name for p in files - shipped)


def test_the_fetcher_serves_the_packaged_fonts_only_when_their_folder_is_allowed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = (PACKAGED_FONTS / "LinLibertine_R.otf").as_uri()
    response = render._make_fetcher([tmp_path, PROJECT_STYLES, PACKAGED_FONTS]).fetch(url)
    try:
        assert response.read(4) == b"OTTO"
    finally:
        response.close()
    with caplog.at_level(logging.WARNING), pytest.raises(render.RefusedURL):
        render._make_fetcher([tmp_path]).fetch(url)


def test_packaged_fonts_count_as_installed_even_unknown_to_fontconfig(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "installed_families", lambda: frozenset())
    assert render.missing_fonts(["Linux Libertine O", "linux biolinum o"]) == []
    assert render.missing_fonts(["Linux Libertine O", "Comic Neue"]) == ["Comic Neue"]


def test_the_default_theme_needs_no_fc_list(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Without fontconfig's tools (a Mac, Windows), the default theme checks silently; a
    font the package lacks cannot be checked, and the build says so once."""
    monkeypatch.setattr(render, "installed_families", lambda: None)
    with caplog.at_level(logging.WARNING):
        render.warn_missing_fonts([Theme().font_body, Theme().font_heading])
        assert caplog.records == []
        render.warn_missing_fonts(["Comic Neue"])
    assert [r.getMessage() for r in caplog.records] == [
        "cannot check fonts: fc-list (package fontconfig) is not installed"
    ]


def test_installed_families_is_none_without_fc_list(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(*args, **kwargs):
        raise FileNotFoundError("fc-list")

    monkeypatch.setattr(fonts.subprocess, "run", absent)
    assert fonts.installed_families() is None


def test_an_unreadable_font_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "broken.otf").write_bytes(b"not a font")
    (tmp_path / "notes.txt").write_text("not a font either")
    assert font_files(tmp_path) == [tmp_path / "broken.otf"]
    assert packaged_families(tmp_path) == frozenset()
    assert font_files(tmp_path / "absent") == []


def test_a_machine_without_any_font_prints_with_the_packaged_ones(tmp_path: Path) -> None:
    """fontconfig configured with no font folder at all: the PDF still embeds Linux
    Libertine and Biolinum, read from the package, and the build has no warning."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "report", "build", str(SAMPLE), "-o", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "(0 warnings)" in run.stderr.splitlines()[-1]
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    with pikepdf.open(pdf) as document:
        names = {
            str(font.BaseFont).split("+", 1)[1]
            for page in document.pages
            for font in page.Resources.Font.values()
        }
    assert names and all(
        name.startswith(("Linux-Libertine-O", "Linux-Biolinum-O")) for name in names
    )
    assert {"Linux-Libertine-O", "Linux-Biolinum-O"} <= names
