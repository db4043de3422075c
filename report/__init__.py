"""Advocacy report builder: Markdown narrative + YAML measure data -> print-ready PDF."""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
# The packaged stylesheets live beside the package in a checkout (installed with -e).
PROJECT_STYLES = PACKAGE_DIR.parent / "styles"
