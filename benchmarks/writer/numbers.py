"""How numbers are written in BENCHMARKS.md, the same in every section."""

from __future__ import annotations


def fmt(seconds: float) -> str:
    """Seconds: milliseconds shown below 10 s, hundredths above."""
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.2f}"


def mb(size: float) -> str:
    """A file size in bytes, as megabytes."""
    return f"{size / 1e6:.2f} MB"


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"
