"""Writing outputs so that a reader never sees half a file and a failure loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

from report.errors import Problem, RenderError


def write_atomically(path: Path, payload: bytes) -> None:
    """Write beside the target then rename: readers never see a half-written file, and a
    failed build leaves the previous file as it was."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        temporary.replace(path)
    except OSError as error:
        raise RenderError(Problem(path, f"cannot write output ({error.strerror})")) from None
