"""Writing outputs so that a reader never sees half a file and a failure loses nothing.

Each file is written to a temporary beside its target, flushed to the disk, then renamed
over the target: a reader (or a crash, or a kill) sees the old file or the new one,
never a mix. A build writes its PDF and HTML this way, then the record of a clean build
(``app/cache.py``), which names the pair that belongs together; the record is removed
before the pair is replaced, so a build killed between the two renames is simply built
again next time. Temporaries left by a killed build are removed by the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from report.errors import Problem, RenderError

TEMPORARY = re.compile(r"^\..+\.(?P<pid>\d+)\.tmp$")
TEMPORARY_FOLDER = re.compile(r"^\..+\.(?P<pid>\d+)\.tmpdir$")  # write_folder's


def output_path(folder: Path, name: str) -> Path:
    """``folder/name``, refused when the name (which comes from the content) leads out."""
    path = folder / name
    if path.resolve().parent != folder.resolve():
        raise RenderError(
            Problem(
                path,
                (
                    "this output name leads outside the output folder; use letters, digits, "
                    "'.', '_' and '-' only"
                ),
            )
        )
    return path


def write_atomically(path: Path, payload: bytes) -> None:
    """Write one file beside its target, synced, then rename it over the target."""
    write_together([(path, payload)])


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a synced temporary first, then rename them in the given order:
    a failure before the renames changes nothing at all."""
    try:
        staged = [(_staged(path, payload), path) for path, payload in files]
        for temporary, path in staged:
            temporary.replace(path)
        for folder in dict.fromkeys(path.parent for _, path in staged):
            _sync_folder(folder)
    except OSError as error:
        where = Path(error.filename) if error.filename else files[0][0]
        raise RenderError(Problem(where, f"cannot write output ({error.strerror})")) from None


def write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Replace ``folder`` by one holding exactly ``files`` (paths inside it): the new folder
    is written in full beside it first, so a failure leaves the old one as it was, and no
    file of an earlier build lingers in the new one (a web edition's pages, say)."""
    staged = folder.with_name(f".{folder.name}.{os.getpid()}.tmpdir")
    old = folder.with_name(f".{folder.name}.old.{os.getpid()}.tmpdir")
    try:
        shutil.rmtree(staged, ignore_errors=True)
        for name, payload in sorted(files.items()):
            target = staged / name
            if not target.resolve().is_relative_to(staged.resolve()):
                raise RenderError(Problem(folder / name, "leads outside the output folder"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
        if folder.exists():
            folder.replace(old)
        staged.replace(folder)
        _sync_folder(folder.parent)
    except OSError as error:
        shutil.rmtree(staged, ignore_errors=True)
        if old.exists() and not folder.exists():
            old.replace(folder)
        where = Path(error.filename) if error.filename else folder
        raise RenderError(Problem(where, f"cannot write output ({error.strerror})")) from None
    shutil.rmtree(old, ignore_errors=True)


def _staged(path: Path, payload: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as stream:
        stream.write(payload)
        stream.flush()
        os.fsync(stream.fileno())
    return temporary


def _sync_folder(folder: Path) -> None:
    """Make the renames durable too (a folder's entries are synced like a file's bytes)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporaries of builds that were killed (their process is gone); those of
    a build running beside this one are kept."""
    removed = []
    for path in folder.glob(".*.tmp") if folder.is_dir() else ():
        match = TEMPORARY.match(path.name)
        if match and not _running(int(match["pid"])):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    for path in folder.glob(".*.tmpdir") if folder.is_dir() else ():
        match = TEMPORARY_FOLDER.match(path.name)
        if match and path.is_dir() and not _running(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
