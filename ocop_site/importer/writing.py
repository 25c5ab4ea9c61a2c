"""The plan's files on disk: each replaced in one rename, all of them or none.

Every file is written whole (atomicfile.write_atomically); if writing one fails, or the
checker then finds an error, every file written is put back as it was (a new one
removed), so the site is never left half imported.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..base.files import write_atomically
from ..errors import ContentError, ContentErrors
from .plan import FileWrite

DEFAULT_MODE = 0o644  # a content file anyone may read, as an editor would save it


def _restore(source: Path, saved: Sequence[tuple[str, bytes | None, int]]) -> None:
    for path, before, mode in reversed(saved):
        target = source / path
        if before is None:
            target.unlink(missing_ok=True)
        else:
            write_atomically(target, before, mode)


def write_plan(source: Path, writes: Sequence[FileWrite],
               check: Callable[[Path], object]) -> tuple[ContentError, ...]:
    """Write every file, then run `check(source)`; on ContentErrors (returned) or any
    failure (raised), every file is put back."""
    saved: list[tuple[str, bytes | None, int]] = []
    try:
        for write in writes:
            target = source / write.path
            if target.exists() and not write.new:
                before, mode = target.read_bytes(), target.stat().st_mode & 0o7777
            elif target.exists():  # appeared since the plan was made: never overwritten
                raise FileExistsError(f"{write.path} already exists")
            else:
                before, mode = None, DEFAULT_MODE
            saved.append((write.path, before, mode))
            write_atomically(target, write.data, mode)
        try:
            check(source)
        except ContentErrors as exc:
            _restore(source, saved)
            return exc.errors
    except BaseException:
        _restore(source, saved)
        raise
    return ()

