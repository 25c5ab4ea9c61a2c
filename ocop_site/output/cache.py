"""The output cache: every page and file a build made, kept by the key of its inputs.

Each output of a build (a page, a QR code, the sitemap, an asset…) has a *key*: a
digest of everything it is made from (pipeline/jobs.py: its page and the site-wide values,
digested by pipeline/fingerprint.py; the code's version). A page also has the lookups its render
recorded (site/recorded.py: templates, interface strings). A later build, into the same
output folder or a new one, looks each key up: when the entry is there and every
recorded lookup still gives the same value, the files are taken from the cache instead
of being made again.

Files are stored once, named by the hash of their bytes (`blobs/ab/ab12…`), and placed
in the output by hard link: taking 20,000 unchanged pages costs 20,000 links, not
20,000 renders. A blob is used only while its size and modification time are what was
stored (an output file edited in place would change the blob it shares an inode with).

The index (`index.pickle`) is replaced atomically; blobs are written temp-then-rename,
so a killed build leaves at worst a blob nobody names. Entries no build has used for
`KEEP_GENERATIONS` builds are dropped with their blobs (`save`), so the cache stays
the size of what the site's recent builds made. Parts of pages (`Part`: a row of the
print catalogue, site/fragments.py) are kept in the index itself, by the key of what
they show, with their lookups, and dropped the same way. Pickle is safe here as in the content
cache: `.cache/` is the site's own and refused when committed (safepath.cache_root).
"""
from __future__ import annotations

import hashlib
import itertools
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable

from ..base.files import link_or_copy, write_atomically, write_with
from ..site.recorded import Read, ReadResolver

# 2: the index as a header then chunks of items (save); 3: parts as UTF-8; 4: the
# generation that last used each entry and part in tables of their own
FORMAT = "4"
CHUNK = 2048  # items of a table pickled together: the pickler's memo stays small
KEEP_GENERATIONS = 3  # builds an entry survives unused (two outputs built in turn share it)


@dataclass(frozen=True)
class StoredFile:
    path: str  # site path
    blob: str  # name of the blob holding its bytes
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Entry:
    files: tuple[StoredFile, ...]
    readset: str  # '' when the output looked nothing up
    values: bytes  # what the recorded lookups gave (ReadResolver.values_digest)
    parts: tuple[str, ...] = ()  # the kept parts its render joined: used while it is


@dataclass(frozen=True)
class Part:
    """A part of a page kept between builds (its HTML), with its render's lookups."""

    # UTF-8: half the memory of the str of a Vietnamese page (two bytes a character),
    # ~35 MiB at 10,000 products; decoded when a build joins it (PageCache.part)
    html: bytes
    readset: str
    values: bytes
    parts: tuple[str, ...] = ()  # the kept parts it was joined from: used while it is


# what a part's render recorded, as the cache keeps it: (readset id, what its lookups
# gave, the lookups themselves, or () when they were given already)
# (key, html, recorded, the keys of the kept parts it was joined from)
PartMade = tuple[str, str, tuple[str, bytes, tuple[Read, ...]], tuple[str, ...]]


def blob_name(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def blob_path(folder: Path, name: str) -> Path:
    return Path(blob_file(str(folder), name))


def blob_file(folder: str, name: str) -> str:
    """blob_path as a string: lookups stat ~2 blobs a page (pathlib's joins were ~8%
    of a one-edit build at 10,000 products)."""
    return f"{folder}/blobs/{name[:2]}/{name}"


def store(folder: Path, data: bytes, target: Path) -> StoredFile:
    """Write `data` as the new file `target` (in the output, where it will be served)
    and keep it as the blob of its bytes, by hard link: one file created, not a temporary
    one renamed and linked again (creating files is most of a cold build's I/O). When
    the blob exists already (the same bytes made before), it is linked at `target`
    instead, so an unchanged file keeps its inode and modification time. Safe in worker
    processes: nothing but `target` and the blob is touched. The path in the result is
    empty; the caller knows it."""
    name = blob_name(data)
    blob = blob_path(folder, name)
    try:
        st = os.stat(blob)
        # the same bytes already stored (checked: a blob edited in place must go)
        if st.st_size == len(data) and blob.read_bytes() == data:
            link_or_copy(blob, target)
            return StoredFile("", name, st.st_size, st.st_mtime_ns)
        os.unlink(blob)
    except OSError:
        pass
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.fchmod(fd, 0o644)  # a page: the web server must read it, whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    try:
        os.link(target, blob)
    except FileNotFoundError:
        blob.parent.mkdir(parents=True, exist_ok=True)
        _link_blob(target, blob)
    except FileExistsError:
        pass  # another worker stored the same bytes meanwhile: theirs is as good
    except OSError:  # the cache on another file system: a copy, written aside first
        write_atomically(blob, data, mode=0o644)
    st = os.stat(blob)
    return StoredFile("", name, st.st_size, st.st_mtime_ns)


def _link_blob(target: Path, blob: Path) -> None:
    try:
        os.link(target, blob)
    except FileExistsError:
        pass
    except OSError:
        write_atomically(blob, target.read_bytes(), mode=0o644)


class PageCache:
    """The index of a site's output cache, in memory for one build (or serve session)."""

    def __init__(self, folder: Path | None, version: str):
        self.folder = folder
        self.version = version
        self.entries: dict[str, Entry] = {}
        self.readsets: dict[str, tuple[Read, ...]] = {}
        self.parts: dict[str, Part] = {}
        # the generation (build) that last used each entry and part: apart from them,
        # so a build that uses 45,000 entries sets 45,000 numbers, not makes new entries
        self.entries_used: dict[str, int] = {}
        self.parts_used: dict[str, int] = {}
        self.generation = 0
        self._dirty = False
        # this build's hits: key → (entry, files), so a key looked up twice (planning
        # from the dependency graph, then placing) stats its blobs once
        self._hits: dict[str, tuple[Entry, tuple[StoredFile, ...]]] = {}
        self._reads: dict[Read, Read] = {}  # each lookup of a readset kept, once
        if folder is not None:
            self._load()

    def _load(self) -> None:
        assert self.folder is not None
        tables: dict[str, dict] = {"entries": {}, "readsets": {}, "parts": {},
                                   "entries used": {}, "parts used": {}}
        try:
            with open(self.folder / "index.pickle", "rb") as handle:
                stored = pickle.load(handle)
                if not (isinstance(stored, dict) and stored.get("format") == FORMAT
                        and stored.get("version") == self.version):
                    return
                for _ in range(stored["chunks"]):
                    name, items = pickle.load(handle)
                    tables[name].update(items)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                IndexError, KeyError, TypeError, ValueError):
            return
        self.entries = tables["entries"]
        self.readsets = tables["readsets"]
        self.parts = tables["parts"]
        self.entries_used = tables["entries used"]
        self.parts_used = tables["parts used"]
        self.generation = stored["generation"]

    def begin(self) -> None:
        """A new build starts: what it uses is marked with the next generation."""
        self.generation += 1
        self._dirty = True
        self._hits = {}

    # -- lookups -----------------------------------------------------------------------
    def lookup(self, key: str, resolver: ReadResolver | None, trusted: bool = False
               ) -> tuple[StoredFile, ...] | None:
        """The stored files of `key` if they are still what its inputs would make.
        `trusted`: the caller knows its recorded lookups give what they gave (the
        dependency graph planned the build: no template, string or translation changed);
        only the blobs are checked."""
        entry = self.entries.get(key)
        if entry is None or self.folder is None:
            return None
        hit = self._hits.get(key)
        if hit is not None and hit[0] is entry:
            return hit[1]
        if entry.readset and not trusted:
            reads = self.readsets.get(entry.readset)
            if reads is None or resolver is None \
                    or resolver.values_digest(entry.readset, reads) != entry.values:
                return None
        folder = str(self.folder)
        for stored in entry.files:
            try:
                st = os.stat(blob_file(folder, stored.blob))
            except OSError:
                return None
            if st.st_size != stored.size or st.st_mtime_ns != stored.mtime_ns:
                return None
        entry = self.mark_used(key)
        self._hits[key] = (entry, entry.files)
        return entry.files

    def mark_used(self, key: str) -> Entry:
        """This build uses the entry of `key` (it has one): kept with its parts."""
        entry = self.entries[key]
        if self.entries_used.get(key) != self.generation:
            self.entries_used[key] = self.generation
            for part in entry.parts:
                self.touch_part(part)
        return entry

    def record(self, key: str, files: Iterable[StoredFile],
               recorded: tuple[str, bytes, tuple[Read, ...]] | None = None,
               parts: tuple[str, ...] = ()) -> None:
        """Keep what a build just made under its key (blobs already written), with the
        lookups its render recorded: (readset id, what they gave, the lookups — or ()
        when this readset was sent before), and the kept parts it joined (kept as long
        as it is)."""
        readset, values = "", b""
        if recorded is not None:
            readset, values, reads = recorded
            if reads:
                self._keep_readset(readset, reads)
            assert readset in self.readsets, "a readset's lookups never came"
        self.entries[key] = Entry(tuple(files), readset, values, parts)
        self.entries_used[key] = self.generation
        self._dirty = True

    def _keep_readset(self, readset: str, reads: tuple[Read, ...]) -> None:
        """A new readset's lookups, each the one object of its value (a render's come
        back from its worker process as new tuples: 1.5 million lookups, ~5,400
        distinct, in a cold build at 10,000 products)."""
        if readset not in self.readsets:
            known = self._reads
            self.readsets[readset] = tuple(known.setdefault(read, read) for read in reads)

    def part(self, key: str, resolver: ReadResolver | None
             ) -> tuple[str, tuple[Read, ...]] | None:
        """The HTML of a kept part and its lookups, if they still give what they gave."""
        part = self.parts.get(key)
        if part is None:
            return None
        reads: tuple[Read, ...] = ()
        if part.readset:
            found = self.readsets.get(part.readset)
            if found is None or resolver is None \
                    or resolver.values_digest(part.readset, found) != part.values:
                return None
            reads = found
        self.touch_part(key)
        return part.html.decode(), reads

    def touch_part(self, key: str) -> None:
        """A part this build used (looked up in a worker process)."""
        part = self.parts.get(key)
        if part is not None and self.parts_used.get(key) != self.generation:
            self.parts_used[key] = self.generation
            for joined in part.parts:
                self.touch_part(joined)

    def record_parts(self, made: Iterable[PartMade]) -> None:
        """Keep parts a build just rendered."""
        for key, html, (readset, values, reads), joined in made:
            if reads:
                self._keep_readset(readset, reads)
            assert not readset or readset in self.readsets, "a readset's lookups never came"
            self.parts[key] = Part(html.encode(), readset, values, joined)
            self.parts_used[key] = self.generation
            self._dirty = True

    def blob(self, stored: StoredFile) -> Path:
        assert self.folder is not None
        return blob_path(self.folder, stored.blob)

    def blob_file(self, stored: StoredFile) -> str:
        """blob() as a string (placing 65,000 files parses no path)."""
        assert self.folder is not None
        return blob_file(str(self.folder), stored.blob)

    # -- keeping it small ----------------------------------------------------------------
    def save(self) -> None:
        """Drop entries unused for KEEP_GENERATIONS builds (and the blobs only they
        named), then write the index. Only a speed-up: failures cost a later build time."""
        if self.folder is None or not self._dirty:
            return
        oldest = self.generation - KEEP_GENERATIONS + 1
        used, parts_used = self.entries_used, self.parts_used
        dropped = {k: e for k, e in self.entries.items() if used.get(k, 0) < oldest}
        for key in dropped:
            del self.entries[key]
        live = {f.blob for e in self.entries.values() for f in e.files}
        for entry in dropped.values():
            for stored in entry.files:
                if stored.blob not in live:
                    try:
                        os.unlink(blob_path(self.folder, stored.blob))
                    except OSError:
                        pass
        self.parts = {k: p for k, p in self.parts.items() if parts_used.get(k, 0) >= oldest}
        self.entries_used = {k: used.get(k, 0) for k in self.entries}
        self.parts_used = {k: parts_used.get(k, 0) for k in self.parts}
        named = {e.readset for e in self.entries.values()} \
            | {p.readset for p in self.parts.values()}
        self.readsets = {k: v for k, v in self.readsets.items() if k in named}
        try:
            write_with(self.folder / "index.pickle", self._dump)
        except OSError:
            return
        self._dirty = False

    def _dump(self, handle: BinaryIO) -> None:
        """The index as pickles one after the other: a header, then the tables' items
        CHUNK at a time, the pickler's memo cleared between them. One pickle of the
        whole index made the memo of every object it holds: +110 MiB at 10,000 products,
        the largest moment of a build."""
        # ~1.5 million lookups in 25,000 readsets are ~5,400 distinct ones at 10,000
        # products: each pickled once a chunk (the memo shares the same objects), not
        # once a readset (980,000 tuples read back, 80 MiB in the next build). They are
        # one object each already: a readset read back shares them with the others of
        # its chunk (pickle's memo), a new one with every new one (_keep_readset); made
        # one again here, they cost 0.25 s a save at 10,000 products
        tables = (("entries", len(self.entries), iter(self.entries.items())),
                  ("readsets", len(self.readsets), iter(self.readsets.items())),
                  ("parts", len(self.parts), iter(self.parts.items())),
                  ("entries used", len(self.entries_used), iter(self.entries_used.items())),
                  ("parts used", len(self.parts_used), iter(self.parts_used.items())))
        pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump({"format": FORMAT, "version": self.version,
                      "generation": self.generation,
                      "chunks": sum(-(-size // CHUNK) for _, size, _ in tables)})
        pickler.clear_memo()  # each pickle is read by its own pickle.load
        for name, size, items in tables:
            for _ in range(-(-size // CHUNK)):
                pickler.dump((name, list(itertools.islice(items, CHUNK))))
                pickler.clear_memo()

    def size(self) -> tuple[int, int]:
        """(entries, bytes of the blobs they name), for the benchmark's report."""
        blobs = {f.blob: f.size for e in self.entries.values() for f in e.files}
        return len(self.entries), sum(blobs.values())
