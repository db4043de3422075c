"""Advocacy report builder: Markdown narrative + YAML measure data -> print-ready PDF."""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
# The stylesheets and the theme's fonts are package data: a wheel (pip, pipx) carries
# them, so a build needs no checkout and no fonts installed on the machine.
PROJECT_STYLES = PACKAGE_DIR / "styles"
PACKAGED_FONTS = PACKAGE_DIR / "fonts"
