"""One file written safely. Write-temp-then-rename for the files a build keeps outside its
staging folder (caches, build state, serve's updates): a killed build never leaves a
half-written file, and a reader sees the old bytes or the new ones, never a mix. A hard
link or, across file systems, a copy: how cached bytes reach the output."""
from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def write_atomically(path: Path, data: bytes, mode: int | None = None,
                     prefix: str = ".tmp-") -> None:
    """Replace `path` with `data` in one rename (its folder made if missing); `mode`:
    permissions to give it (mkstemp's 0600 otherwise: fine for caches, not for a page a
    web server reads). The temporary file is removed if anything fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_with(path: Path, write: Callable[[BinaryIO], None], prefix: str = ".tmp-") -> None:
    """write_atomically of what `write` writes into the open temporary file: streamed,
    its bytes never all in memory at once (the output cache's index at 10,000 products
    is 50 MiB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def pickle_atomically(path: Path, value: object, prefix: str = ".tmp-") -> None:
    """write_atomically of `value` pickled, streamed into the temporary file."""
    write_with(path, lambda handle: pickle.dump(value, handle,
                                                protocol=pickle.HIGHEST_PROTOCOL), prefix)


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to a cached file; a copy where links cannot go (another file system).
    A failure names the target: that is the disk or folder that said no."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        raise
    except OSError:
        pass
    try:
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
