"""The limits BENCHMARKS.md checks, and the synthetic project sizes they compare.

Kept apart so that the measuring code and every report section read the same numbers.
"""

from __future__ import annotations

SYNTHETIC_SIZES = (45, 180, 720)  # measures; the scaling checks compare these three
TARGET_OVERHEAD = 1.10  # builder end to end / raw weasyprint on the same HTML and CSS
TARGET_LINEAR = 1.2  # time or memory per page, 720 measures / 45 measures
TARGET_UNCHANGED = 0.5  # seconds for a second `report build` with nothing changed
