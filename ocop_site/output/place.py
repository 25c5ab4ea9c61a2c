"""The one way bytes reach the output folder: `Output`.

A job's files come from the output cache (cache.py) or are made now; either way they go
through an `Output`, which puts them where they are served (folder.py: a staging folder
swapped in whole, or serve's in-place writer), keeps made bytes in the cache, and
counts what changed. The cache and the folder never call each other: this module joins
them, and nothing here knows of pages, jobs or templates.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from types import TracebackType
from typing import Iterable, Mapping, Protocol, TypeVar

from ..site.recorded import Read, ReadResolver
from .ahead import FoldersAhead
from .cache import PageCache, PartMade, StoredFile, blob_file, blob_name, store
from .folder import LiveWriter, SiteWriter


class Held(Protocol):
    """A job whose files the output may hold from the last build (the dependency
    graph's record of it)."""

    @property
    def key(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def paths(self) -> tuple[str, ...]: ...


HeldJob = TypeVar("HeldJob", bound=Held)

# what a render recorded, as the cache keeps it: (readset id, what its lookups gave, the
# lookups themselves, or () when this readset was sent already)
Recorded = tuple[str, bytes, tuple[Read, ...]]


class Output:
    """Where the files of one build go, and the cache they are kept in. Open it with
    `Output.staged` (a new or replaced output, swapped in whole by `finish`) or
    `Output.in_place` (serve: each changed file replaced where it stands, what is no
    longer made removed by `finish`)."""

    def __init__(self, folder: SiteWriter | LiveWriter, cache: PageCache,
                 previous: Mapping[str, str]):
        self._folder = folder
        self.cache = cache
        self._previous = previous  # site path → blob the output held before
        self.blobs: dict[str, str] = {}  # site path → blob this build placed there

    @classmethod
    def staged(cls, path: Path, cache: PageCache, previous: Mapping[str, str],
               ahead: FoldersAhead | None = None) -> "Output":
        """`ahead`: its staging folder, made before the build planned (output/ahead.py)."""
        return cls(SiteWriter(path, ahead), cache, previous)

    @classmethod
    def in_place(cls, path: Path, cache: PageCache, previous: Mapping[str, str]) -> "Output":
        return cls(LiveWriter(path, previous), cache, previous)

    def __enter__(self) -> "Output":
        self._folder.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._folder.__exit__(exc_type, exc, tb)

    # -- what the build has written, for its result and its state ----------------------
    @property
    def path(self) -> Path:
        return self._folder.output

    @property
    def folders(self) -> set[str]:
        """The folders holding the files of a staged build, once it is swapped in."""
        return self._folder.folders_used

    @property
    def files(self) -> int:
        return len(self._folder.written)

    @property
    def changed(self) -> int:
        return self._folder.changed

    @property
    def unchanged(self) -> int:
        return self._folder.unchanged

    def changed_paths(self) -> tuple[str, ...]:
        """Site paths whose bytes this build changed, added or removed, sorted."""
        before, now = self._previous, self.blobs
        return tuple(sorted(path for path in before.keys() | now.keys()
                            if before.get(path) != now.get(path)))

    # -- putting files in place --------------------------------------------------------
    def make_folders(self, site_paths: Iterable[str]) -> None:
        """The folders of every path this build will fill, made at once (a new output:
        one sorted pass; in place: those missing, as files are claimed)."""
        self._folder.make_folders(site_paths)

    def claim(self, site_path: str, kind: str) -> None:
        """`site_path` is this build's to fill (each path once: a second claim fails)."""
        self._folder.claim(site_path, kind)

    def from_cache(self, key: str, resolver: ReadResolver | None, kind: str,
                   claimed: Iterable[str] = ()) -> bool:
        """The files kept under `key`, placed, when they are still what its inputs
        would make (`claimed`: the paths claimed for it already); False: make them."""
        found = self.cache.lookup(key, resolver)
        if found is None:
            return False
        self.place_stored(found, kind, frozenset(claimed))
        return True

    def adopt_all(self, held: Iterable[HeldJob]) -> list[HeldJob]:
        """In place (serve), the files of the jobs the output holds from the last build
        and keeps untouched (those no edit reached, pipeline/graphplan.py), in one pass:
        claimed and noted, their cache entries marked used, nothing read or linked.
        Returns the jobs not adopted (every one when the output is staged; else those
        whose files the output does not hold or whose entry the cache lost): place them
        otherwise."""
        folder = self._folder
        if not isinstance(folder, LiveWriter):
            return list(held)
        entries, previous, blobs = self.cache.entries, self._previous, self.blobs
        mark_used, adopt_one = self.cache.mark_used, folder.adopt_one
        rest = []
        for job in held:  # ~45,000 a rebuild at 10,000 products
            entry = entries.get(job.key)
            paths = job.paths
            if entry is not None and len(paths) == 1 and len(entry.files) == 1:
                # a page: one file (all but a few hundred), checked without a loop
                stored, path = entry.files[0], paths[0]
                if stored.path == path and previous.get(path) == stored.blob \
                        and adopt_one(path, job.kind):
                    mark_used(job.key)
                    blobs[path] = stored.blob
                else:
                    rest.append(job)
                continue
            if entry is None or len(entry.files) != len(paths) \
                    or not all(stored.path == path and previous.get(path) == stored.blob
                               for stored, path in zip(entry.files, paths)) \
                    or not folder.adopt(paths, job.kind):
                rest.append(job)
                continue
            self.cache.mark_used(job.key)
            for stored in entry.files:
                blobs[stored.path] = stored.blob
        return rest

    def send_links(self) -> None:
        """The files `place_stored` placed from the cache so far, linked: by a child
        process while the build goes on, when there are many (output/ahead.py)."""
        self._folder.send_links()

    def place_stored(self, found: Iterable[StoredFile], kind: str,
                     claimed: frozenset[str] = frozenset()) -> None:
        """Files the cache had (looked up already), placed by hard link; in place
        (serve), a file the output holds already from the last build is left as it is."""
        in_place = isinstance(self._folder, LiveWriter)
        for stored in found:
            if stored.path not in claimed:
                self._folder.claim(stored.path, kind)
            if not (in_place and self._previous.get(stored.path) == stored.blob):
                self._folder.place_blob(stored.path, self.cache.blob_file(stored))
            self.placed(stored)

    def write(self, site_path: str, data: bytes) -> StoredFile:
        """Fresh bytes for a claimed path: created where they are served and kept in the
        cache as their blob. Touches nothing but that file and the blob, so worker
        processes call it; the parent then calls `placed` and `keep`."""
        assert self.cache.folder is not None
        made = self._folder.new_file(site_path)
        stored = dataclasses.replace(store(self.cache.folder, data, made), path=site_path)
        self._folder.settle(site_path, made)
        return stored

    def placed(self, stored: StoredFile) -> None:
        """Note a file now in the output (in this process)."""
        self.blobs[stored.path] = stored.blob
        self._folder.count(self._previous.get(stored.path) != stored.blob)

    def keep(self, key: str, files: Iterable[StoredFile],
             recorded: Recorded | None = None, parts: tuple[str, ...] = ()) -> None:
        """Keep what a job just made under its key, with the lookups its render made
        and the kept parts it joined."""
        self.cache.record(key, files, recorded, parts)

    def part(self, key: str, resolver: ReadResolver | None
             ) -> tuple[str, tuple[Read, ...]] | None:
        """A part of a page kept under `key` (its HTML and lookups), if still valid."""
        return self.cache.part(key, resolver)

    def keep_parts(self, used: Iterable[str], made: Iterable[PartMade]) -> None:
        """Parts a render (maybe in a worker process) took from the cache or made."""
        for key in used:
            self.cache.touch_part(key)
        self.cache.record_parts(made)

    def write_all(self, key: str, kind: str, files: Iterable[tuple[str, bytes]]) -> None:
        """A job's files made in this process (named as they were made): claimed,
        written, noted and kept."""
        stored_files = []
        for site_path, data in files:
            self._folder.claim(site_path, kind)
            stored = self._held(site_path, data) or self.write(site_path, data)
            self.placed(stored)
            stored_files.append(stored)
        self.keep(key, stored_files)

    def _held(self, site_path: str, data: bytes) -> StoredFile | None:
        """In place (serve), the file the output holds at `site_path` when it has these
        very bytes (the blob of the same name, whole): left as it is, not written
        again (serve's search index: thousands of files, a few changed by an edit)."""
        if not isinstance(self._folder, LiveWriter) or self.cache.folder is None:
            return None
        name = self._previous.get(site_path)
        if name is None or name != blob_name(data):
            return None
        try:
            st = os.stat(blob_file(str(self.cache.folder), name))
        except OSError:
            return None
        return StoredFile(site_path, name, st.st_size, st.st_mtime_ns) \
            if st.st_size == len(data) else None

    def keep_as_is(self, site_path: str, blob: str, kind: str) -> None:
        """A file the output holds and keeps untouched (serve's search index while it is
        remade)."""
        self._folder.claim(site_path, kind)
        self.blobs[site_path] = blob

    def copy(self, site_path: str, source: Path, kind: str, blob: str) -> None:
        """A file of another cache (a processed photo), linked in place."""
        self._folder.copy(site_path, source, kind)
        self.blobs[site_path] = blob

    def finish(self) -> None:
        """Everything is in place: swap the staging folder in (or, in place, remove
        what this build no longer makes)."""
        if isinstance(self._folder, LiveWriter):
            self._folder.remove_others()
        self._folder.commit()
