"""Pagefind's bundle of each shard of search records, kept in `.cache/search/` by what the
shard holds, so an edit re-indexes only the shard of the edited product.

Re-indexing is most of what a one-product edit costs at scale (~2 ms a record: 40 s for
10,000 products in two languages); a shard's bundle depends only on its records and on
the Pagefind program, so that is its key. Shards end where a record's URL says so
(search._shards: content-defined, like rsync's chunks), so adding or removing a product
moves no other shard's boundaries and leaves the other shards' keys as they were.

An entry is a CBOR map of file name -> bytes, written aside and moved into place (a
killed build leaves no half entry); one that cannot be read is a miss. Each run records
the keys it used; entries none of the last KEPT_RUNS runs used are removed, as the page
cache prunes its blobs.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Iterable, Protocol

import cbor2

from ..base.files import write_atomically

KEPT_RUNS = 3
_RUNS = "runs.json"


class _Record(Protocol):  # read-only, as a frozen dataclass's fields (SearchRecord) are
    @property
    def url(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def html(self) -> str: ...


def shard_key(records: Iterable[_Record], program: str) -> str:
    """What a shard's bundle is made of: its records in order, and the Pagefind program
    (its path, size and time: another version indexes differently)."""
    digest = hashlib.blake2b(digest_size=20)
    try:
        stat = os.stat(program)
        digest.update(f"{os.path.realpath(program)}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
                      .encode())
    except OSError:
        digest.update(program.encode() + b"\0")
    for record in records:
        for part in (record.url, record.lang, record.html):
            encoded = part.encode("utf-8")
            digest.update(len(encoded).to_bytes(8, "little"))
            digest.update(encoded)
    return digest.hexdigest()


class ShardCache:
    """The shard bundles of one site; `None` folder: nothing kept (index_records in
    tests and benchmarks that time Pagefind itself)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.used: list[str] = []

    def get(self, key: str) -> dict[str, bytes] | None:
        if self.folder is None:
            return None
        self.used.append(key)
        try:
            value = cbor2.loads((self.folder / key).read_bytes())
        except (OSError, ValueError, EOFError, cbor2.CBORDecodeError):
            return None
        if not (isinstance(value, dict) and all(
                isinstance(k, str) and isinstance(v, bytes) for k, v in value.items())):
            return None
        return value

    def put(self, key: str, files: dict[str, bytes]) -> None:
        if self.folder is None:
            return
        try:
            write_atomically(self.folder / key, cbor2.dumps(files))
        except OSError:  # a cache that cannot be written is only slower next time
            pass

    def prune(self) -> None:
        """Forget entries that none of the last KEPT_RUNS runs (this one included) used."""
        if self.folder is None or not self.folder.is_dir():
            return
        runs_file = self.folder / _RUNS
        try:
            runs = json.loads(runs_file.read_text(encoding="utf-8"))
            runs = [list(map(str, run)) for run in runs if isinstance(run, list)]
        except (OSError, ValueError):
            runs = []
        runs = (runs + [sorted(set(self.used))])[-KEPT_RUNS:]
        kept = {key for run in runs for key in run}
        try:
            for entry in self.folder.iterdir():
                if entry.name == _RUNS or entry.name in kept or (
                        entry.name.startswith(".tmp-") and _younger(entry, 3600)):
                    continue  # (a file being written by another build of the site)
                entry.unlink(missing_ok=True)
            write_atomically(runs_file, json.dumps(runs).encode("utf-8"))
        except OSError:
            pass


def _younger(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False

