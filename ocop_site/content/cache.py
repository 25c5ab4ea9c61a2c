"""Parsed content files, cached by the hash of their bytes, so an unchanged file is never
parsed again.

Reading a product costs ~3 ms: YAML with line numbers, then Markdown and the HTML
allow-list (most of it). Both are pure functions of the file's bytes and of the code
and libraries doing them, so the cache keeps, per file, the front-matter values, the
line of every key and the body's sanitised HTML under a key made of the bytes' BLAKE2
hash; the whole cache is dropped when `version` (the project's code and the parsing
libraries, see `parse_version`) differs. Everything that depends on other files
(communes, categories, producers, duplicate URLs, photos, today's date) is not cached:
the readers check it again on every build from the cached values, which is cheap.

A warm build opens no file it already knows: an index of each file's signature (size,
times, inode: inputs.signature, what every change detector uses) → hash spares even the
reading, as images/photos.py does for photos. Files the cache does not know are parsed in
worker processes (base/workers.py) when there are many of them (a cold build).

Stored as 16 pickle shards by the first hex digit of the key, each replaced atomically
(temp file + os.replace) and only when it changed, so one edit rewrites one shard.
Pickle is safe here: the cache folder is the site's own `.cache/`, written only by us.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..base import inputs
from ..base.files import write_atomically
from ..base.inputs import Signature
from ..base.version import code_digest, library_versions
from ..base.workers import fork_map
from ..text.frontmatter import Document, FrontMatterError, parse_document
from ..text.markdown import MarkdownRenderer, first_paragraph_text
from .safepath import MAX_TEXT_BYTES, UnsafePath, read_bounded

FORMAT = "2"  # bump when what an entry holds changes (2: the first paragraph's text)
SHARDS = "0123456789abcdef"
# files per worker task; fewer files than this are parsed in this process (a pool costs
# ~0.1 s)
CHUNK = 64
_LIBRARIES = ("markdown", "nh3", "pyyaml")

# front-matter data, key lines, body line, body HTML, its first paragraph as text (the
# default summary: text/markdown.first_paragraph_text, 13,000 a build at 10,000 products)
Entry = tuple[dict, dict, int, str, str]


def parse_version() -> str:
    """What parsing a file depends on besides its bytes: this project's code and the
    Markdown, HTML-cleaning and YAML libraries."""
    return f"{FORMAT}:{code_digest()}:{library_versions(_LIBRARIES)}"


@dataclass(frozen=True)
class ParsedDocument(Document):
    """A Document whose body was already turned into sanitised HTML (`body` is left
    empty: the Markdown source is not needed again and would double the memory)."""

    body_html: str = ""
    first_paragraph: str = ""  # first_paragraph_text(body_html), made with it


def _key(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def parse(raw: bytes, markdown: MarkdownRenderer) -> Entry:
    """Bytes of a content file → the cache entry (raises FrontMatterError)."""
    document = parse_document(raw)
    html = markdown.render(document.body)
    return document.data, document.lines, document.body_line, html, first_paragraph_text(html)


class ContentCache:
    """Front-matter and body HTML of content files by the hash of their bytes.

    `read()` serves the readers (ReadContext.read_document); `prime()` parses, ahead and
    in parallel, the files the cache does not know; `save()` writes back what changed.
    `parsed` counts the files actually parsed by this instance, so tests and benchmarks
    can see the cache work.
    """

    def __init__(self, folder: Path | None, version: str | None = None):
        self.folder = folder
        self.version = version if version is not None else parse_version()
        self.entries: dict[str, Entry] = {}
        self.index: dict[str, tuple[Signature, str]] = {}  # path → (signature, key)
        self.used: set[str] = set()
        self.parsed = 0
        self._dirty_shards: set[str] = set()
        self._index_dirty = False
        self._safe_dirs: dict[str, bool] = {}
        self._primed: dict[str, Signature] = {}  # signatures prime() just took
        self._markdown: MarkdownRenderer | None = None
        if folder is not None:
            self._load()

    # -- storage ---------------------------------------------------------------------
    def _shard_path(self, shard: str) -> Path:
        assert self.folder is not None
        return self.folder / f"shard-{shard}.pickle"

    def _load(self) -> None:
        for shard in SHARDS:
            stored = _read_pickle(self._shard_path(shard))
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.version:
                self.entries.update(stored[1])
        stored = _read_pickle(self.folder / "index.pickle")  # type: ignore[operator]
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.version:
            self.index = stored[1]

    def save(self) -> None:
        """Write back the shards that gained entries or hold entries no longer used."""
        if self.folder is None or self._released:
            return
        by_shard: dict[str, dict[str, Entry]] = {s: {} for s in SHARDS}
        for key, entry in self.entries.items():
            by_shard[key[0]][key] = entry
        try:
            for shard, entries in by_shard.items():
                kept = {k: v for k, v in entries.items() if k in self.used}
                if shard in self._dirty_shards or len(kept) < len(entries):
                    _atomic_pickle(self._shard_path(shard), (self.version, kept))
            if self._index_dirty:
                _atomic_pickle(self.folder / "index.pickle", (self.version, self.index))
        except OSError:
            return  # only a speed-up: the next build parses again
        self._dirty_shards.clear()
        self._index_dirty = False

    def release(self) -> None:
        """Save, then let go of the parsed files (a one-off build has its models now:
        at 10,000 products that is the memory of 10,000 descriptions twice)."""
        self.save()
        self.entries = {}
        self._released = True

    _released = False

    # -- reading -------------------------------------------------------------------
    def _fast_signature(self, path: Path, root: Path) -> Signature | None:
        """The file's signature when it is a plain file in a folder inside `root` (the
        checks read_bounded makes, without resolving the path component by component);
        None sends the file through read_bounded, which says what is wrong."""
        parent = os.path.dirname(path)
        safe = self._safe_dirs.get(parent)
        if safe is None:
            safe = Path(os.path.realpath(parent)).is_relative_to(Path(os.path.realpath(root)))
            self._safe_dirs[parent] = safe
        if not safe:
            return None
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_TEXT_BYTES:
            return None
        return inputs.signature(st)

    def read(self, path: Path, root: Path) -> ParsedDocument:
        """The file's front-matter and body HTML; raises FrontMatterError or UnsafePath
        like reading and parsing it would."""
        name = str(path)
        signature = self._primed.pop(name, None) or self._fast_signature(path, root)
        known = self.index.get(name)
        if signature is not None and known is not None and known[0] == signature \
                and known[1] in self.entries:
            return self._hit(known[1])
        raw = read_bounded(path, root)
        key = _key(raw)
        if signature is not None:
            self.index[name] = (signature, key)
            self._index_dirty = True
        if key not in self.entries:
            if self._markdown is None:
                self._markdown = MarkdownRenderer()
            self._store(key, parse(raw, self._markdown))
        return self._hit(key)

    def _hit(self, key: str) -> ParsedDocument:
        self.used.add(key)
        data, lines, body_line, html, first = self.entries[key]
        return ParsedDocument(data=data, lines=lines, body="", body_line=body_line,
                              body_html=html, first_paragraph=first)

    def _store(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self._dirty_shards.add(key[0])
        self.parsed += 1

    def prime(self, paths: Iterable[Path], root: Path, workers: int | None = None) -> None:
        """Parse ahead, in worker processes when there are many, every file among `paths`
        the cache does not know. Files that fail are left for `read()` to report."""
        jobs: dict[str, bytes] = {}  # key → bytes: two identical files are parsed once
        for path in paths:
            name = str(path)
            signature = self._fast_signature(path, root)
            if signature is not None:
                self._primed[name] = signature
            known = self.index.get(name)
            if signature is None or (known is not None and known[0] == signature
                                     and known[1] in self.entries):
                continue
            try:
                raw = read_bounded(path, root)
            except UnsafePath:
                continue
            key = _key(raw)
            self.index[name] = (signature, key)
            self._index_dirty = True
            if key not in self.entries:
                jobs[key] = raw
        if self._markdown is None:
            self._markdown = MarkdownRenderer()
        work = _ParseWork(tuple(jobs.items()), self._markdown)
        # forked workers inherit the bytes: only where a chunk starts goes out to them
        for parsed in fork_map(_parse_chunk, range(0, len(work.jobs), CHUNK), work,
                               workers, ordered=True):
            for key, entry in parsed:  # stored as they come back
                self._store(key, entry)


@dataclass(frozen=True)
class _ParseWork:
    """What prime()'s workers inherit: the files to parse and a Markdown converter."""

    jobs: tuple[tuple[str, bytes], ...]  # (key, bytes)
    markdown: MarkdownRenderer


def _parse_chunk(work: _ParseWork, start: int) -> list[tuple[str, Entry]]:
    """Worker: parse what parses of CHUNK files from `start`; the rest is re-read by its
    reader for its error."""
    done = []
    for key, raw in work.jobs[start:start + CHUNK]:
        try:
            done.append((key, parse(raw, work.markdown)))
        except FrontMatterError:
            continue
    return done


def _read_pickle(path: Path) -> object:
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        return None


def _atomic_pickle(path: Path, value: object) -> None:
    write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
