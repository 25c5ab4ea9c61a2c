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
manifest. serve's session keeps each language's index (`KeptIndex`), a fresh process
reads the last run's from `.cache/` (search/indexcache.py), and the next run makes only
those again (`updated_index`: a changed shard from its own files), the same bytes as a
fresh run, which a doc added, removed or moved takes (every ordinal after it changes;
the words of the docs whose text did not change are taken from the last index). JSON
is compact UTF-8 and not compressed here (hosts gzip .json themselves).
A buyer's query fetches the manifest, one shard per word and the card chunks of the
results it shows: a few kilobytes, nothing of the words it did not type.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .indexcache import IndexCache, Terms, pack, unpack
from .records import FACETS, KeptDocs, LanguageDocs
from .tokens import (
    MASK_SPAN,
    decode_postings,
    doc_terms,
    encode_postings,
    fold,
    shard_key,
    shard_name,
)

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
                cache: IndexCache | None = None, split_bytes: int = SPLIT_BYTES,
                kept: KeptIndex | None = None) -> Files:
    """Every file of the index of every language, paths under `target`, sorted.
    `kept` (serve's session): each language's index as the last run wrote it, left
    holding this run's; `cache`: the last run's from `.cache/` where `kept` has none
    (saved at the end). Each is updated where only docs' words or cards changed
    (`updated_index`), else made afresh."""
    cache = cache or IndexCache(None)
    files: Files = []
    written: dict[str, LanguageIndex] = {}
    with cache.keeping(split_bytes) as keep:
        for language in records:
            last = kept.languages.get(language.lang) if kept is not None else None
            if last is None:
                last = cache.last(language.lang, split_bytes)
            index = updated_index(language, last, split_bytes, cache) \
                if last is not None else None
            if index is None:
                index = fresh_index(language, last, split_bytes, cache)
            del last
            files += index.files(f"{target}{language.lang}/")
            keep(language.lang, index)
            if kept is not None:
                written[language.lang] = index
            del index
    if kept is not None:
        kept.languages = written
    return sorted(files)


@dataclass(frozen=True)
class IndexFile:
    """One hashed file of a language's index: its name part ('w/th', 'd/3', 'facets'),
    its bytes, and their hash8 (made once: a kept file is not hashed again)."""

    name: str
    data: bytes
    digest: str

    @classmethod
    def of(cls, name: str, data: bytes) -> "IndexFile":
        return cls(name, data, hash8(data))


# a shard key's files (search/tokens.py shard_key: a word's first two folded
# characters): (split key, file) in key order, one unless the shard was split
Shard = tuple[tuple[str, IndexFile], ...]
Cards = tuple[tuple[tuple[str, str | int], ...], ...]


@dataclass(frozen=True)
class LanguageIndex:
    """One language's index files with what they were made from: the docs' urls (their
    ordinals), a digest of each doc's fields and its terms, each card chunk's cards, the
    products' facet values.
    serve's session keeps it (`KeptIndex`) for the next run to change only what an
    edit changed."""

    urls: tuple[str, ...]
    products: int
    # each doc's fields_digest: what says its words changed, at 16 bytes instead of its
    # text (27 MiB a language at 10,000 products, kept in .cache/ and in serve's memory)
    texts: tuple[bytes, ...]
    terms: tuple[Terms, ...]
    shards: Mapping[str, Shard]
    cards: tuple[tuple[Cards, IndexFile], ...]
    facets: tuple[tuple[tuple[str, ...], ...], IndexFile]
    stars: str  # the manifest's "s"

    def files(self, folder: str) -> Files:
        """Every file, the manifest last, paths under `folder`."""
        words = sorted((pair for shard in self.shards.values() for pair in shard),
                       key=lambda pair: pair[0])
        hashed = [file for _key, file in words] + [file for _cards, file in self.cards] \
            + [self.facets[1]]
        manifest = {"v": FORMAT, "n": len(self.urls), "p": self.products,
                    "w": {shard_name(key): file.digest for key, file in words},
                    "d": [file.digest for _cards, file in self.cards],
                    "f": self.facets[1].digest, "s": self.stars}
        return [(f"{folder}{file.name}.{file.digest}.json", file.data) for file in hashed] \
            + [(f"{folder}index.json", dumps(manifest))]


class KeptIndex:
    """Each language's index as the last run of the writer left it (serve's session:
    an edit of words rewrites the shards of the words it lost or gained, not all)."""

    def __init__(self) -> None:
        self.languages: dict[str, LanguageIndex] = {}
        self.docs = KeptDocs()  # the docs of the last pass (search/records.py)


def fresh_index(language: LanguageDocs, last: LanguageIndex | None = None,
                split_bytes: int = SPLIT_BYTES,
                cache: IndexCache | None = None) -> LanguageIndex:
    """The index of `language` made from its docs alone; the words of a doc whose
    fields `last` has are taken from it (`cache.made` counts the docs split here)."""
    texts = _texts(language)
    known = dict(zip(last.texts, last.terms)) if last is not None else {}
    terms = tuple(_terms_of(doc.fields, text, known, cache)
                  for doc, text in zip(language.docs, texts))
    # per spelling, ordinal * 64 + mask of each doc that has it (the hot loop: ~1.6
    # million postings at 10,000 products in two languages)
    postings: dict[str, list[int]] = {}
    for ordinal, (spellings, masks) in enumerate(terms):
        if not masks:
            continue
        base = ordinal * MASK_SPAN
        for spelling, mask in zip(spellings.split(" "), masks):
            found = postings.get(spelling)
            if found is None:
                postings[spelling] = [base + mask]
            else:
                found.append(base + mask)
    groups: dict[str, dict[str, dict[str, list[int]]]] = {}
    for spelling, values in postings.items():
        folded = fold(spelling)
        groups.setdefault(shard_key(folded), {}).setdefault(folded, {})[spelling] = \
            _deltas(values)
    del postings
    shards = {key: _shard(key, content, split_bytes) for key, content in groups.items()}
    return _assembled(language, texts, terms, shards, None)


def updated_index(language: LanguageDocs, last: LanguageIndex,
                  split_bytes: int = SPLIT_BYTES,
                  cache: IndexCache | None = None) -> LanguageIndex | None:
    """The index of `language` made from `last`'s: the shards of the words whose
    postings changed made again from their files, the card chunks and facets whose
    values changed, the rest as they were; the bytes `fresh_index` would give. None
    when a doc was added, removed or moved (every ordinal after it changes)."""
    docs = language.docs
    if language.products != last.products or len(docs) != len(last.urls) \
            or any(doc.url != url for doc, url in zip(docs, last.urls)):
        return None
    terms = list(last.terms)
    edits: dict[str, dict[str, dict[int, int]]] = {}  # shard key → spelling → ordinal → mask
    texts = _texts(language)
    for ordinal, (doc, text, before_text) in enumerate(zip(docs, texts, last.texts)):
        if text == before_text:
            continue
        before = dict(unpack(terms[ordinal]))
        terms[ordinal] = _terms_of(doc.fields, text, {}, cache)
        after = dict(unpack(terms[ordinal]))
        for spelling in before.keys() | after.keys():
            if before.get(spelling) != after.get(spelling):  # 0: the doc lost the word
                edits.setdefault(shard_key(fold(spelling)), {}).setdefault(
                    spelling, {})[ordinal] = after.get(spelling, 0)
    shards = dict(last.shards)
    for key, changes in edits.items():
        content: dict[str, dict[str, list[int]]] = {}
        for _split_key, file in last.shards.get(key, ()):
            content.update(json.loads(file.data))
        for spelling, change in changes.items():
            folded = fold(spelling)
            spellings = content.setdefault(folded, {})
            masks = dict(decode_postings(spellings.get(spelling, ())))
            for ordinal, mask in change.items():
                if mask:
                    masks[ordinal] = mask
                else:
                    masks.pop(ordinal, None)
            if masks:
                spellings[spelling] = encode_postings(sorted(masks.items()))
            else:
                spellings.pop(spelling, None)
                if not spellings:
                    del content[folded]
        if content:
            shards[key] = _shard(key, content, split_bytes)
        else:
            shards.pop(key, None)
    return _assembled(language, texts, tuple(terms), shards, last)


def _texts(language: LanguageDocs) -> tuple[bytes, ...]:
    return tuple(fields_digest(doc.fields) for doc in language.docs)


def fields_digest(fields: tuple[str, ...]) -> bytes:
    """16 bytes that change when a doc's fields do (its words are theirs alone)."""
    text = "".join(f"{len(field)}:{field}" for field in fields)  # no two fields alike
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _terms_of(fields: tuple[str, ...], text: bytes, known: Mapping[bytes, Terms],
              cache: IndexCache | None) -> Terms:
    found = known.get(text)
    if found is None:
        found = pack(doc_terms(fields))
        if cache is not None:
            cache.made += 1
    return found


def _shard(key: str, content: dict[str, Any], split_bytes: int) -> Shard:
    return tuple((split, IndexFile.of(f"w/{shard_name(split)}", data))
                 for split, data in sorted(_split({key: content}, split_bytes).items()))


def _assembled(language: LanguageDocs, texts: tuple[bytes, ...], terms: tuple[Terms, ...],
               shards: Mapping[str, Shard], last: LanguageIndex | None) -> LanguageIndex:
    """The index with its card chunks and facets: `last`'s where their values are the
    same."""
    docs = language.docs
    cards = []
    for number, start in enumerate(range(0, len(docs), CARDS_PER_CHUNK)):
        chunk = tuple(doc.card for doc in docs[start:start + CARDS_PER_CHUNK])
        before = last.cards[number] if last is not None and number < len(last.cards) \
            else None
        cards.append(before if before is not None and before[0] == chunk else
                     (chunk, IndexFile.of(f"d/{number}", dumps([dict(c) for c in chunk]))))
    values = tuple(doc.facets for doc in docs[:language.products])
    facets = last.facets if last is not None and last.facets[0] == values \
        else (values, IndexFile.of("facets", dumps(facet_table(language))))
    return LanguageIndex(
        tuple(doc.url for doc in docs), language.products,
        texts, terms, shards, tuple(cards), facets,
        "".join(str(dict(doc.card).get("s", 0)) for doc in docs))


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
                 cache: IndexCache | None = None, kept: KeptIndex | None = None):
        self._files: Files | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run,
                                        args=(records, target, cache, kept),
                                        name="search-index", daemon=True)
        self._thread.start()

    def _run(self, records: Iterable[LanguageDocs], target: str,
             cache: IndexCache | None, kept: KeptIndex | None) -> None:
        try:
            self._files = index_files(records, target, cache, kept=kept)
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
