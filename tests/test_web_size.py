"""The web edition's weight: what a reader downloads to read the report online.

The PDFs are offered, not loaded; everything else (pages, stylesheet, script, fonts, the
sharing image, the data) stays under a megabyte for the default report, so that the
site opens quickly on a phone and fits any free host.
"""

from __future__ import annotations

from pathlib import Path

LIMIT = 1_000_000  # bytes


def test_the_default_site_without_its_pdfs_weighs_under_a_megabyte(default_site: Path) -> None:
    sizes = {
        path.relative_to(default_site).as_posix(): path.stat().st_size
        for path in default_site.rglob("*")
        if path.is_file() and path.suffix != ".pdf"
    }
    total = sum(sizes.values())
    heaviest = sorted(sizes.items(), key=lambda item: item[1], reverse=True)[:5]
    assert total < LIMIT, f"{total:,} bytes; the heaviest files: {heaviest}"
    assert list(default_site.glob("*.pdf")), "the PDFs are in the folder, only not counted"
