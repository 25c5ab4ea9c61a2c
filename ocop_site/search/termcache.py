"""Each doc's terms (search/tokens.py `doc_terms`), kept in `.cache/search-index/` by the
digest of the doc's fields, so a build in a fresh process splits and folds only the text
of the docs that changed.

The index files are assembled from these terms on every run; the terms are a pure
function of the fields, so a cached entry gives exactly the bytes a cold build would.
The file is one pickle (the caches in .cache/ are the build's own, never committed:
content/safepath.cache_root refuses a committed one), written aside and renamed; one
that cannot be read, or is of another format, is an empty cache. Each save keeps only
the entries that run used.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Sequence

from ..base.files import write_atomically
from .tokens import TOKENIZER_VERSION, doc_terms

# a doc's spellings joined by spaces (no word has one) and their field masks, one byte
# each: two objects a doc rather than two a word, so 20,000 docs unpickle in a blink
Terms = tuple[str, bytes]
_FILE = "terms.pickle"
_FORMAT = 2  # of the file: {"format": _FORMAT, "terms": {digest: Terms}}


def pack(terms: tuple[tuple[str, int], ...]) -> Terms:
    return " ".join(spelling for spelling, _ in terms), bytes(mask for _, mask in terms)


def unpack(terms: Terms) -> list[tuple[str, int]]:
    spellings, masks = terms
    return list(zip(spellings.split(" "), masks)) if masks else []


def fields_digest(fields: Sequence[str]) -> str:
    """The key of a doc's terms: its fields and the tokenizer's version."""
    data = "\0".join((TOKENIZER_VERSION, *fields)).encode()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class TermCache:
    """Terms by fields digest; `folder=None`: nothing is kept (tests, benchmarks)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.entries: dict[str, Terms] = {}
        self.used: dict[str, Terms] = {}
        self.made = 0  # docs split and folded this run (the rest came from the cache)
        self._loaded = folder is None  # the file is read when a doc's terms are first asked

    def _load(self) -> None:
        self._loaded = True
        assert self.folder is not None
        try:
            loaded = pickle.loads((self.folder / _FILE).read_bytes())
            if isinstance(loaded, dict) and loaded.get("format") == _FORMAT:
                self.entries = loaded["terms"]
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, ImportError):
            self.entries = {}

    def terms(self, fields: Sequence[str]) -> Terms:
        """The doc's terms, packed (`unpack` gives (spelling, mask) pairs)."""
        if not self._loaded:
            self._load()
        key = fields_digest(fields)
        found = self.used.get(key) or self.entries.get(key)
        if found is None:
            found = pack(doc_terms(fields))
            self.made += 1
        self.used[key] = found
        return found

    def save(self) -> None:
        """Keep this run's entries (only when some were new or some unused; nothing when
        no doc's terms were asked: serve's kept index updated)."""
        if self.folder is None or not self._loaded \
                or (self.made == 0 and len(self.used) == len(self.entries)):
            return
        write_atomically(self.folder / _FILE,
                         pickle.dumps({"format": _FORMAT, "terms": self.used},
                                      protocol=pickle.HIGHEST_PROTOCOL))
