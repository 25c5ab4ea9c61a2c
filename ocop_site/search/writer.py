"""The static search index: the files assets/js/search.js fetches, written from the docs
of search/records.py, in pure Python, the same bytes for the same docs.

For each language L, under `target` (Urls.search_index):

    L/index.json              the manifest, not hashed (the script fetches it with
                              cache 'no-cache'): {"v": FORMAT, "n": docs, "p": products,
                              "w": {shard: hash8}, "d": [hash8 of each card chunk],
                              "f": hash8 of the facets, "s": one star digit per doc
                              ('0' for a shop), for ranking ties}
    L/w/<shard>.<hash8>.json  the words whose folded form starts with <shard> (its first
                              two characters, search/tokens.py shard_name):
                              {folded: {spelling: [postings]}}, keys sorted. A shard
                              over SPLIT_BYTES is split by one more character ("th" ->
                              "tha", "thi"…, "th" keeping only the word "th"), again if
                              need be: a word is in the shard of its longest prefix the
                              manifest names (`shard_of`), at 10,000 products no word
                              costs more than ~50 KB before gzip
    L/d/<n>.<hash8>.json      the result cards of ordinals n*32 .. n*32+31, an array:
                              a product's {u,t,s,c,p,i}, a shop's {u,t,k,c}
    L/facets.<hash8>.json     {"names": [...], "values": [[value…] per facet],
                              "docs": [[value index per facet] per product ordinal]};
                              fetched only when the filters are used

hash8 is the first 8 hex digits of the sha256 of the file's bytes, so a file whose
content did not change keeps its name (and the browser's cached copy): a one-product
edit changes the shards of the words it lost or gained, its card chunk, and the
manifest. JSON is compact UTF-8 and not compressed here (hosts gzip .json themselves).
A buyer's query fetches the manifest, one shard per word and the card chunks of the
results it shows: a few kilobytes, nothing of the words it did not type.
"""
from __future__ import annotations

import hashlib
import json
import threading
from typing import Any, Iterable

from .records import FACETS, LanguageDocs
from .termcache import TermCache
from .tokens import MASK_SPAN, fold, shard_key, shard_name

FORMAT = 1
CARDS_PER_CHUNK = 32
SPLIT_BYTES = 50_000

Files = list[tuple[str, bytes]]


def dumps(value: Any, sort_keys: bool = False) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=sort_keys).encode()


def hash8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def index_files(records: Iterable[LanguageDocs], target: str,
                cache: TermCache | None = None, split_bytes: int = SPLIT_BYTES) -> Files:
    """Every file of the index of every language, paths under `target`, sorted.
    `cache`: each doc's terms from the last run when its text is unchanged (saved
    at the end)."""
    cache = cache or TermCache(None)
    files: Files = []
    for language in records:
        files += language_files(language, f"{target}{language.lang}/", cache, split_bytes)
    cache.save()
    return sorted(files)


def language_files(language: LanguageDocs, folder: str, cache: TermCache,
                   split_bytes: int = SPLIT_BYTES) -> Files:
    files: Files = []

    def add(name: str, data: bytes) -> str:
        digest = hash8(data)
        files.append((f"{folder}{name}.{digest}.json", data))
        return digest

    # per spelling, ordinal * 64 + mask of each doc that has it (the hot loop: ~1.6
    # million postings at 10,000 products in two languages)
    postings: dict[str, list[int]] = {}
    for ordinal, doc in enumerate(language.docs):
        spellings, masks = cache.terms(doc.fields)
        if not masks:
            continue
        base = ordinal * MASK_SPAN
        for spelling, mask in zip(spellings.split(" "), masks):
            found = postings.get(spelling)
            if found is None:
                postings[spelling] = [base + mask]
            else:
                found.append(base + mask)
    shards: dict[str, dict[str, dict[str, list[int]]]] = {}
    for spelling, values in postings.items():
        folded = fold(spelling)
        shards.setdefault(shard_key(folded), {}).setdefault(folded, {})[spelling] = \
            _deltas(values)
    words = {}
    for key, data in sorted(_split(shards, split_bytes).items()):
        name = shard_name(key)
        words[name] = add(f"w/{name}", data)
    cards = []
    for start in range(0, len(language.docs), CARDS_PER_CHUNK):
        chunk = [dict(doc.card) for doc in language.docs[start:start + CARDS_PER_CHUNK]]
        cards.append(add(f"d/{start // CARDS_PER_CHUNK}", dumps(chunk)))
    facets = add("facets", dumps(facet_table(language)))
    manifest = {"v": FORMAT, "n": len(language.docs), "p": language.products,
                "w": words, "d": cards, "f": facets,
                "s": "".join(str(dict(doc.card).get("s", 0)) for doc in language.docs)}
    files.append((f"{folder}index.json", dumps(manifest)))
    return files


def _split(shards: dict[str, dict[str, Any]], split_bytes: int) -> dict[str, bytes]:
    """Each shard's JSON, those over `split_bytes` split by one more character of the
    folded word (words no longer than the key stay in it) until they fit or cannot."""
    done: dict[str, bytes] = {}
    todo = list(shards.items())
    while todo:
        key, content = todo.pop()
        data = dumps(content, sort_keys=True)
        if len(data) <= split_bytes or all(len(folded) <= len(key) for folded in content):
            done[key] = data
            continue
        size = len(key) + 1
        parts: dict[str, dict[str, Any]] = {}
        for folded, spellings in content.items():
            parts.setdefault(folded[:size] if len(folded) >= size else key, {})[folded] = \
                spellings
        todo += parts.items()
    return done


def shard_of(names: Iterable[str] | dict[str, str], folded: str) -> str | None:
    """The shard (file name part) holding `folded` given the manifest's shard names: the
    longest prefix of at least two characters (the word itself when shorter) that is
    one; what assets/js/search.js does."""
    known = names if isinstance(names, dict) else set(names)
    for size in range(len(folded), min(2, len(folded)) - 1, -1):
        name = shard_name(folded[:size])
        if name in known:
            return name
    return None


def _deltas(values: list[int]) -> list[int]:
    """[ordinal * 64 + mask…] -> tokens.encode_postings' [delta * 64 + mask…]."""
    previous = 0
    for i, value in enumerate(values):
        values[i] = value - previous
        previous = value - value % MASK_SPAN
    return values


def facet_table(language: LanguageDocs) -> dict[str, Any]:
    """Each facet's values in the order products first have them, and per product
    ordinal the index of its value in each."""
    values: list[dict[str, int]] = [{} for _ in FACETS]
    docs = []
    for doc in language.docs[:language.products]:
        docs.append([known.setdefault(value, len(known))
                     for known, value in zip(values, doc.facets)])
    return {"names": list(FACETS), "values": [list(known) for known in values],
            "docs": docs}


class IndexRun:
    """`index_files` in a background thread, so the build renders its pages meanwhile
    (builder.build calls `bundle()` for the files, `cancel()` in any case)."""

    def __init__(self, records: Iterable[LanguageDocs], target: str,
                 cache: TermCache | None = None):
        self._files: Files | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(records, target, cache),
                                        name="search-index", daemon=True)
        self._thread.start()

    def _run(self, records: Iterable[LanguageDocs], target: str,
             cache: TermCache | None) -> None:
        try:
            self._files = index_files(records, target, cache)
        except BaseException as error:  # handed to the build's thread by bundle()
            self._error = error

    def bundle(self) -> Files:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._files is not None
        return self._files

    def cancel(self) -> None:
        """Nothing to stop: the thread only computes, and its result is dropped."""
