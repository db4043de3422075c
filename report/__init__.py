"""Advocacy report builder: Markdown narrative + YAML measure data -> print-ready PDF."""

__version__ = "0.1.0"
