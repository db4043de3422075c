"""The theme's fonts shipped in the package, and whether a theme's fonts can be found.

The default theme's fonts (Linux Libertine O, Linux Biolinum O) travel inside the package
(``report/fonts/``, declared by ``@font-face`` rules in ``styles/report.css``), so a
``pip install`` renders the same PDF on a laptop without them as on a machine that has
them installed. A family is present when the package ships it or fontconfig knows it;
anything else would be silently replaced by a fallback font, which changes line breaks
and page count, so the build warns.
"""

from __future__ import annotations

import functools
import logging
import subprocess
from pathlib import Path

from report import PACKAGED_FONTS

logger = logging.getLogger(__name__)

FONT_SUFFIXES = (".otf", ".ttf")


def font_files(folder: Path = PACKAGED_FONTS) -> list[Path]:
    """The font files shipped in the package, in name order (the same order everywhere)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix.lower() in FONT_SUFFIXES)


@functools.cache
def packaged_families(folder: Path = PACKAGED_FONTS) -> frozenset[str]:
    """The family names the shipped files declare (their name table, as fontconfig reads
    it), casefolded: the names a theme or a stylesheet uses to ask for them."""
    from fontTools.ttLib import TTFont, TTLibError

    families = set()
    for path in font_files(folder):
        try:
            with TTFont(path, lazy=True) as font:
                family = font["name"].getDebugName(16) or font["name"].getDebugName(1)
        except (OSError, TTLibError, KeyError) as error:
            logger.debug("packaged font %s unreadable: %s", path.name, error)
            continue
        if family:
            families.add(family.casefold())
    return frozenset(families)


def installed_families() -> frozenset[str] | None:
    """The families fontconfig knows on this machine, casefolded; None when ``fc-list``
    (package fontconfig) is not there to ask."""
    try:
        listing = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset(
        name.strip().casefold() for line in listing.splitlines() for name in line.split(",")
    )
