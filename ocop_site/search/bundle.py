"""Pagefind's bundle as data: put in a fixed order, and merged from shards.

Pagefind keeps every page of a language in memory several times over while it builds the
index (~160 KB a product page: 1.6 GiB at 10,000), so search/pagefind.py feeds it the products in
shards of a few thousand, one Pagefind process after another, and `merge_shards` joins
their bundles into the one Pagefind would have written for all the pages at once: the
same pages in the same order, the same fragments (named by Pagefind's own hash), the same
words with the same positions and weights, the same filter and metadata indexes. Only
the split of the word list into index chunks is ours (Pagefind 1.5's rule is not
published); the search script finds words through the chunk ranges in the metadata
either way, so results and ranking are the same.

Pagefind 1.5 also writes each filter's values in hash-map order, which changes from run
to run (upstream issue Pagefind/pagefind#638: fragments and word indexes are stable,
filter and metadata indexes are not). The filter chunks are renamed by their hash, so
the metadata file listing them and the entry file naming that change too;
`canonical_bundle` sorts those lists and renames the files by the hash of the sorted
content. Pagefind only finds files through these names, so the bundle works the same.

The files are gzip + a "pagefind_dcd" signature + CBOR made of integers, strings and
arrays. Their layout, as Pagefind 1.5 writes it (anything else stops the build rather
than guess):

    metadata  [version, [[fragment, word count]…] (page order), [[from, to, chunk]…],
               [[filter, chunk]…], [sort…] (unused here), [meta field…] (sorted)]
    word      [[word, [page…], [[variant, [page…]]…]]…] (sorted; variants: spellings
               with diacritics, in the order they first occur)
    page      [page number - previous page number, [positions…], [meta positions…]]
              (meta positions: -(field index + 1) then the positions in that field)
    filter    [filter, [[value, [page number…]]…]]
"""
from __future__ import annotations

import gzip
import hashlib
import heapq
import json
from typing import Iterator

import cbor2

from ..errors import SiteError

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
CHUNK_LOCATIONS = 20_000  # positions per word index chunk (Pagefind's own figure)


class BundleFormatError(SiteError):
    """A Pagefind file is not in the layout above (search/pagefind.py reports it as its own)."""

    def __init__(self, name: str):
        super().__init__(f"unexpected Pagefind file {name}: this version of ocop-site needs "
                         "pagefind 1.5 (pip install 'pagefind[bin]>=1.5,<1.6')",
                         f"tệp Pagefind {name} không đúng dạng mong đợi: cần pagefind 1.5")


# -- reading and writing chunks -----------------------------------------------------------

def read_chunk(data: bytes, name: str, round_trip: bool = True) -> list:
    """A chunk's value; `round_trip`: checked to encode back to the same bytes (for the
    chunks canonical_bundle rewrites: a value it cannot write back exactly stops it)."""
    try:
        raw = gzip.decompress(data)
        if not raw.startswith(SIGNATURE):
            raise ValueError("no signature")
        body = raw[len(SIGNATURE):]
        value = cbor2.loads(body)
        if not isinstance(value, list) or (round_trip and cbor2.dumps(value) != body):
            raise ValueError("not a round trip")
    except (OSError, ValueError, EOFError, cbor2.CBORDecodeError) as exc:
        raise BundleFormatError(name) from exc
    return value


def chunk_bytes(value: list) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _rename(old: str, data: bytes, length: int) -> str:
    """'vi_3f76bac' -> 'vi_' + the first `length` hex digits of the content's SHA-256."""
    return old.rsplit("_", 1)[0] + "_" + hashlib.sha256(data).hexdigest()[:length]


def pagefind_hash(data: bytes) -> str:
    """Pagefind's content hash (utils::full_hash): SHA-1, each byte in hex unpadded."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _meta_name(language: dict) -> str:
    return f"pagefind.{language['hash']}.pf_meta"


# -- a fixed order ------------------------------------------------------------------------

def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its filter chunks, metadata and entry file in a fixed order."""
    files = dict(files)
    entry = json.loads(files[ENTRY])
    for language in entry["languages"].values():
        meta_name = _meta_name(language)
        meta = read_chunk(files.pop(meta_name), meta_name)
        lists = [item for item in meta if isinstance(item, list) and item
                 and all(_is_filter_ref(ref, files) for ref in item)]
        if len(lists) > 1 or (not lists and any(n.startswith("filter/") for n in files)):
            raise BundleFormatError(meta_name)
        for refs in lists:
            for ref in refs:
                name, old = ref
                chunk = read_chunk(files.pop(f"filter/{old}.pf_filter"), old)
                if not (len(chunk) == 2 and chunk[0] == name and all(
                        isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                        for v in chunk[1])):
                    raise BundleFormatError(old)
                chunk[1].sort(key=lambda value: value[0])
                ref[1] = _rename(old, chunk_bytes(chunk), 7)
                files[f"filter/{ref[1]}.pf_filter"] = chunk_bytes(chunk)
            refs.sort(key=lambda ref: ref[0])
        language["hash"] = _rename(language["hash"], chunk_bytes(meta), 10)
        files[_meta_name(language)] = chunk_bytes(meta)
    files[ENTRY] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return files


def _is_filter_ref(ref: object, files: dict[str, bytes]) -> bool:
    return (isinstance(ref, list) and len(ref) == 2 and all(isinstance(x, str) for x in ref)
            and f"filter/{ref[1]}.pf_filter" in files)


# -- shards joined ------------------------------------------------------------------------

def merge_shards(shards: list[dict[str, bytes]]) -> dict[str, bytes]:
    """One bundle from the bundles of consecutive shards of pages. A language indexed in
    one shard is taken as Pagefind wrote it; one split over several is merged."""
    by_language: dict[str, list[tuple[dict, dict[str, bytes]]]] = {}
    for files in shards:
        for code, language in json.loads(files[ENTRY])["languages"].items():
            by_language.setdefault(code, []).append((language, files))
    merged: dict[str, bytes] = {}
    entry: dict = {}
    for files in shards:  # the script, the WebAssembly and the entry's other fields
        entry = {**json.loads(files[ENTRY]), **entry}
        merged.update((name, data) for name, data in files.items()
                      if "/" not in name and not name.endswith(".pf_meta") and name != ENTRY)
    languages = {}
    for code, parts in by_language.items():
        if len(parts) == 1:
            language, files = parts[0]
            merged.update(_language_files(files, code, language))
            languages[code] = language
        else:
            languages[code], files = _merge_language(code, parts)
            merged.update(files)
    entry["languages"] = languages
    merged[ENTRY] = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    return merged


def _language_files(files: dict[str, bytes], code: str, language: dict) -> dict[str, bytes]:
    return {name: data for name, data in files.items()
            if name == _meta_name(language) or name.split("/")[-1].startswith(code + "_")}


class _Shard:
    """One shard's part of a language: its metadata, and where its pages start."""

    def __init__(self, code: str, language: dict, files: dict[str, bytes], first_page: int):
        self.files = files
        self.meta = read_chunk(files[_meta_name(language)], _meta_name(language))
        if len(self.meta) != 6 or self.meta[4] or not all(
                isinstance(self.meta[i], list) for i in range(1, 6)):
            raise BundleFormatError(_meta_name(language))
        self.first_page = first_page
        self.pages = len(self.meta[1])
        self.language = language

    def fields_to(self, fields: list[str]) -> dict[int, int]:
        """-(index + 1) markers of this shard's meta fields -> the merged ones, where
        they differ (a shard without a priced product has no 'price' field)."""
        moved = {-(old + 1): -(fields.index(name) + 1) for old, name in enumerate(self.meta[5])}
        return {old: new for old, new in moved.items() if old != new}

    def keyed_words(self, index: int) -> Iterator[tuple[str, int, list]]:
        """(word, shard index, entry) in word order, a chunk decoded at a time."""
        for _start, _end, chunk in self.meta[2]:
            data = read_chunk(self.files[f"index/{chunk}.pf_index"], chunk, round_trip=False)
            if len(data) != 1:
                raise BundleFormatError(chunk)
            for word in data[0]:
                yield word[0], index, word


def _merge_language(code: str, parts: list[tuple[dict, dict[str, bytes]]]
                    ) -> tuple[dict, dict[str, bytes]]:
    shards: list[_Shard] = []
    for language, shard_files in parts:
        first = shards[-1].first_page + shards[-1].pages if shards else 0
        shards.append(_Shard(code, language, shard_files, first))
    files: dict[str, bytes] = {}
    pages = _merge_fragments(code, shards, files)
    fields = sorted({name for shard in shards for name in shard.meta[5]})
    chunks = _merge_words(code, shards, fields, files)
    filters = _merge_filters(code, shards, files)
    meta = [shards[0].meta[0], pages, chunks, filters, [], fields]
    meta_hash = f"{code}_" + pagefind_hash(cbor2.dumps(meta))[:len(code) + 8]
    files[f"pagefind.{meta_hash}.pf_meta"] = chunk_bytes(meta)
    language = {**shards[0].language, "hash": meta_hash, "page_count": len(pages)}
    return language, files


def _merge_fragments(code: str, shards: list[_Shard], files: dict[str, bytes]) -> list:
    """Every page in order, named as Pagefind names fragments: the first 7 hex digits of
    the hash, one more digit for as long as an earlier page already has the name."""
    taken: dict[str, str] = {}
    pages = []
    for shard in shards:
        for name, word_count in shard.meta[1]:
            data = shard.files[f"fragment/{name}.pf_fragment"]
            raw = gzip.decompress(data)
            full = pagefind_hash(raw[len(SIGNATURE):])
            length = 7
            while taken.get(full[:length], full) != full:
                length += 1
            short = f"{code}_{full[:length]}"
            taken[full[:length]] = full
            files[f"fragment/{short}.pf_fragment"] = data
            pages.append([short, word_count])
    return pages


def _merge_words(code: str, shards: list[_Shard], fields: list[str],
                 files: dict[str, bytes]) -> list:
    """The shards' sorted word lists merged word by word, page numbers made global;
    each chunk written as soon as it is full (the whole index is never decoded at once).
    Returns the chunks' ranges for the metadata."""
    streams = [shard.keyed_words(index) for index, shard in enumerate(shards)]
    remaps = [shard.fields_to(fields) for shard in shards]
    chunks = _Chunks(code, files)
    current: list | None = None
    last_pages: dict[str, int] = {}  # last global page of the word and of each variant
    variants: dict[str, list] = {}
    for key, index, word in heapq.merge(*streams):
        if len(word) != 3:
            raise BundleFormatError(key)
        if current is None or current[0] != key:
            if current is not None:
                chunks.add(current)
            current, last_pages, variants = [key, [], []], {}, {}
        shard = shards[index]
        _append_pages(current[1], word[1], shard, remaps[index], last_pages, "")
        for spelling, pages in word[2]:
            if spelling not in variants:
                variants[spelling] = []
                current[2].append([spelling, variants[spelling]])
            _append_pages(variants[spelling], pages, shard, remaps[index], last_pages,
                          spelling)
    if current is not None:
        chunks.add(current)
    return chunks.ranges()


def _append_pages(target: list, pages: list, shard: _Shard, remap: dict[int, int],
                  last_pages: dict[str, int], key: str) -> None:
    """A shard's pages of one word (or spelling) after those of the shards before."""
    if not pages:
        return
    first = pages[0]
    delta = shard.first_page + first[0] - last_pages.get(key, 0)
    page = shard.first_page + sum(entry[0] for entry in pages)
    if remap:
        pages = [[d, locations, [remap.get(m, m) if m < 0 else m for m in meta]]
                 if meta else [d, locations, meta] for d, locations, meta in pages]
    target.append([delta, pages[0][1], pages[0][2]])
    target.extend(pages[1:])
    last_pages[key] = page


class _Chunks:
    """Word index chunks written as they fill up: a chunk closes once it holds
    CHUNK_LOCATIONS positions (one more for each page of a word)."""

    def __init__(self, code: str, files: dict[str, bytes]):
        self.code, self.files = code, files
        self.words: list = []
        self.size = 0
        self.written: list[list[str]] = []

    def add(self, word: list) -> None:
        self.words.append(word)
        self.size += sum(len(page[1]) + 1 for pages in [word[1]] + [v[1] for v in word[2]]
                         for page in pages)
        if self.size >= CHUNK_LOCATIONS:
            self._write()

    def _write(self) -> None:
        body = cbor2.dumps([self.words])
        full = pagefind_hash(body)
        length = 7
        while f"index/{self.code}_{full[:length]}.pf_index" in self.files:
            length += 1
        name = f"{self.code}_{full[:length]}"
        # level 6, like Pagefind's own: 9 takes ~8x longer on these for 3% less
        self.files[f"index/{name}.pf_index"] = gzip.compress(SIGNATURE + body, 6, mtime=0)
        self.written.append([self.words[0][0], self.words[-1][0], name])
        self.words, self.size = [], 0

    def ranges(self) -> list[list[str]]:
        """[from, to, chunk] of each chunk, the ends cut to the shortest prefixes that
        still tell neighbouring chunks apart (as Pagefind's chunk_meta does)."""
        if self.words:
            self._write()
        ranges = self.written
        for before, after in zip(ranges, ranges[1:]):
            common = 0
            for a, b in zip(before[1], after[0]):
                if a != b:
                    break
                common += 1
            before[1], after[0] = before[1][:common + 1], after[0][:common + 1]
        return ranges


def _merge_filters(code: str, shards: list[_Shard], files: dict[str, bytes]) -> list:
    values: dict[str, dict[str, list[int]]] = {}
    for shard in shards:
        for name, chunk_name in shard.meta[3]:
            chunk = read_chunk(shard.files[f"filter/{chunk_name}.pf_filter"], chunk_name)
            if len(chunk) != 2 or chunk[0] != name:
                raise BundleFormatError(chunk_name)
            merged = values.setdefault(name, {})
            for value, pages in chunk[1]:
                merged.setdefault(value, []).extend(shard.first_page + p for p in pages)
    refs = []
    for name, by_value in values.items():
        chunk = [name, [[value, pages] for value, pages in by_value.items()]]
        ref = f"{code}_" + pagefind_hash(cbor2.dumps(chunk))[:7]
        files[f"filter/{ref}.pf_filter"] = chunk_bytes(chunk)
        refs.append([name, ref])
    return refs
