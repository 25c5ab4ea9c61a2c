"""Each language's search index as the last run wrote it, kept in `.cache/search-index/`,
so a build in a fresh process (CI with `.cache/` restored, the CLI after an edit) updates
it the way serve's session updates the one it keeps (search/writer.py `updated_index`):
a one-product edit makes again the shards of the words that product gained or lost, its
card chunk and the manifest, instead of assembling ~1.6 million postings of 10,000
products in two languages and writing every shard's JSON again.

What is kept is the `LanguageIndex` itself (each doc's URL, a digest of its fields and
its words, every file's bytes), so it also gives the words of the docs whose text did
not change when
the index must be made afresh (a product added or renamed moves every ordinal after
it): only the new text is split and folded.

Sound because `updated_index` of an index made by `fresh_index` from some docs gives the
bytes `fresh_index` gives for the new docs (tests/test_searchindex.py); so the file
holds only indexes this very code made: its stamp is the code's version (the whole
package's digest) and the shard size, and any other stamp, format or unreadable file is
no index at all. One pickle, written aside and renamed, in `.cache/` (the build's own,
never committed: content/safepath.cache_root refuses a committed one); ~13 MB a
language at 10,000 products, read in ~0.1 s (a header first: the indexes are not read
when it does not fit).
"""
from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterator

if TYPE_CHECKING:  # the writer imports this module; pickle needs no import of it
    from .writer import LanguageIndex

# a doc's spellings joined by spaces (no word has one) and their field masks, one byte
# each: two objects a doc rather than two a word, so 20,000 docs unpickle in a blink
Terms = tuple[str, bytes]
_FILE = "index.pickle"
_OLD_FILES = ("terms.pickle",)  # what earlier versions kept here: removed at a save
# of the file: a header {"format", "stamp", "split"}, a pickle of (code, LanguageIndex)
# a language, then None
_FORMAT = 3


def pack(terms: tuple[tuple[str, int], ...]) -> Terms:
    return " ".join(spelling for spelling, _ in terms), bytes(mask for _, mask in terms)


def unpack(terms: Terms) -> list[tuple[str, int]]:
    spellings, masks = terms
    return list(zip(spellings.split(" "), masks)) if masks else []


class IndexCache:
    """The last run's index of each language; `folder=None`: nothing is kept (tests,
    benchmarks). `stamp`: what the indexes must have been made by (the code's version
    and the shard size); the file is read when a language's index is first asked for."""

    def __init__(self, folder: Path | None, stamp: str = ""):
        self.folder = folder
        self.stamp = stamp
        self.made = 0  # docs split and folded this run (the rest were known)
        self._read: dict[str, LanguageIndex] | None = None if folder is not None else {}

    def last(self, lang: str, split_bytes: int) -> "LanguageIndex | None":
        """The last run's index of `lang` if it split its shards at `split_bytes`."""
        if self._read is None:
            self._read = self._load(split_bytes)
        return self._read.get(lang)

    def _load(self, split_bytes: int) -> "dict[str, LanguageIndex]":
        assert self.folder is not None
        try:
            with open(self.folder / _FILE, "rb") as handle:
                header = pickle.load(handle)  # the indexes are read only when they fit
                if isinstance(header, dict) and header.get("format") == _FORMAT \
                        and header.get("stamp") == self.stamp \
                        and header.get("split") == split_bytes:
                    languages = {}
                    while (item := pickle.load(handle)) is not None:  # None: the end
                        code, index = item
                        languages[code] = index
                    return languages
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, ImportError, KeyError, IndexError):
            pass
        return {}

    @contextlib.contextmanager
    def keeping(self, split_bytes: int) -> "Iterator[Callable[[str, LanguageIndex], None]]":
        """A function that keeps each language's index as soon as it is made, pickled
        into a temporary file (its objects are not held while the next language's are
        made: a cold build's largest moment), which replaces the last one when every
        language is kept. Nothing is kept when no last index was read (serve's later
        runs: the session keeps them in memory, and an older file is still an index
        this code made, which the next fresh process updates)."""
        handle: BinaryIO | None = None
        temporary = ""

        def keep(lang: str, index: "LanguageIndex") -> None:
            nonlocal handle, temporary
            if self.folder is None or self._read is None:
                return
            if handle is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
                handle = os.fdopen(fd, "wb")
                pickle.dump({"format": _FORMAT, "stamp": self.stamp, "split": split_bytes},
                            handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump((lang, index), handle, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            yield keep
            if handle is not None:
                assert self.folder is not None
                pickle.dump(None, handle)  # the end: every language is in
                handle.close()
                os.replace(temporary, self.folder / _FILE)
                for old in _OLD_FILES:
                    (self.folder / old).unlink(missing_ok=True)
        finally:
            if handle is not None and not handle.closed:
                handle.close()
            if temporary:
                Path(temporary).unlink(missing_ok=True)
