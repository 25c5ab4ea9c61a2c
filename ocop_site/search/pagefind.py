"""Full-text search: Pagefind turns one small record per product page into a static index.

Pagefind (PyPI `pagefind[bin]`) splits the index into small hashed chunks, so one query
downloads a few kilobytes instead of a whole hand-written JSON index, and it needs no
server and no CDN. It does not read the rendered pages: search/records.py makes, for each
product in each language, an HTML fragment of just what buyers search (the indexed text
with its weights, the filters, the result card's metadata), and `index_records` hands
those to the Pagefind binary running as a service (`pagefind --service`, the protocol of
the `pagefind` Python package: base64 JSON messages over stdin/stdout). It runs in the
background while the pages are rendered, before the atomic swap, so a failed index
fails the build and the old site stays up.

Pagefind holds every page several times over while it builds an index (~160 KB a
product: 1.6 GiB at 10,000), so the records go in shards (`Sharding`), one Pagefind
process after another, and search/bundle.py joins the shards' bundles into the one
Pagefind would have made of all of them. Each shard's bundle is kept by what it
holds (search/cache.py), so after an edit only the edited product's shard is indexed
again; the merge (~1 ms a record) is made again whenever any shard changed.

Vietnamese buyers often type without diacritics. Pagefind already matches across
combining marks ("thinh" finds "Thịnh", and ranks the exact spelling first), but `đ` is a
letter of its own, not `d` plus a mark, so "dong" would never find "Đồng". Each record
therefore carries, hidden and weighted below its real text, the folded spelling of
exactly those words that contain đ/Đ (`search_aliases`): "dong" finds "Đồng Quế" through
the alias, while "Đồng" still matches only the real text.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import multiprocessing
import os
import re
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, Iterable, Iterator, Sized

from ..errors import SetupError, SiteError
from ..text import vietnamese
from .bundle import BundleFormatError, canonical_bundle, merge_shards
from .cache import ShardCache, shard_key

# Pagefind's ready-made search UIs (~400 KB). The search page has its own small script,
# so they are left out of the site; everything else in the bundle is written as is.
UNUSED_BUNDLE_FILES = frozenset({
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
})
TIMEOUT_SECONDS = 600  # for one Pagefind process (one shard)
IN_FLIGHT = 32  # records sent ahead of Pagefind's answers


@dataclass(frozen=True)
class Sharding:
    """Where a language's records are cut into shards: after `max_pages`, or after a
    record whose URL's hash is a multiple of `gap` once the shard has `min_pages` (cuts
    that stay put when products are added or removed elsewhere: search/cache.py)."""

    max_pages: int
    min_pages: int
    gap: int

    @classmethod
    def for_records(cls, count: int) -> Sharding:
        """~30 shards a language of a two-language site, whatever its size: an edit
        re-indexes a thirtieth of the records, and the merge reads ~30 streams at once
        (each holds a decoded chunk: ~5 MiB). The gap is a power of two, so it changes
        only when the catalogue doubles or halves; at most 2,000 records a Pagefind
        process (~170 MiB a thousand, benchmarks/search_index.py)."""
        gap = 1 << max(4, min(10, (max(1, count // 64) - 1).bit_length()))
        return cls(max_pages=2000, min_pages=gap // 2, gap=gap)

    def cuts_after(self, shard: list["SearchRecord"]) -> bool:
        if len(shard) >= self.max_pages:
            return True
        if len(shard) < self.min_pages:
            return False
        digest = hashlib.blake2b(shard[-1].url.encode("utf-8"), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.gap == 0


_TAG = re.compile(r"<[^>]*>")
_WORD_WITH_D = re.compile(r"(?<!\w)\w*[đĐðÐ]\w*")  # Ð: Đ's look-alike (text/vietnamese.py)


class SearchIndexError(SiteError):
    """Pagefind could not build the index; the build stops and the old site stays."""


class PagefindMissing(SetupError):
    """The Pagefind program is not installed or cannot be started."""

    @classmethod
    def at(cls, executable: str, reason: str) -> PagefindMissing:
        return cls(f"Pagefind (the search indexer) cannot be started from {executable}: "
                   f"{reason}; pip install 'pagefind[bin]', or set PAGEFIND_BINARY_PATH to "
                   "the pagefind program",
                   f"không chạy được Pagefind (công cụ tạo chỉ mục tìm kiếm) ở {executable}: "
                   f"{reason}; hãy cài bằng pip install 'pagefind[bin]', hoặc đặt "
                   "PAGEFIND_BINARY_PATH là đường dẫn tới chương trình pagefind")


def plain_text(fragment: str) -> str:
    """The text of a sanitised HTML fragment (product descriptions), tags dropped."""
    return html.unescape(_TAG.sub(" ", fragment))


@dataclass(frozen=True)
class SearchAliases:
    """The hidden folded words of one product page, in two weights: a buyer typing "dong"
    most likely means the "Đồng" in a product's name, not one in its description."""

    name: str  # from the product name: weighted above body text, below the real name
    text: str  # from the rest of the indexed page (summary, places, producer, description)


def search_aliases(*texts: str) -> str:
    """Folded spellings of the words Pagefind cannot fold itself: those with đ/Đ.

    ("Chè xanh Đồng Thịnh", "Thôn Đông") -> "dong" — each alias once, in first-seen order
    so the page (and the index built from it) is the same on every build.
    """
    words = dict.fromkeys(vietnamese.fold(word) for chunk in texts
                          for word in _WORD_WITH_D.findall(vietnamese.nfc(chunk)))
    return " ".join(words)


def product_aliases(name: str, *texts: str) -> SearchAliases:
    """Aliases for a product page: those of its name, then the others not already given."""
    from_name = search_aliases(name)
    named = set(from_name.split())
    rest = " ".join(w for w in search_aliases(*texts).split() if w not in named)
    return SearchAliases(name=from_name, text=rest)


@dataclass(frozen=True)
class SearchRecord:
    """What Pagefind indexes of one product page (made by search/records.py)."""

    url: str  # the result's URL from the site root, as Pagefind gives it: '/san-pham/x/'
    lang: str  # which language's index it belongs to (the fragment's <html lang>)
    html: str  # <html lang><body>…: the indexed text, weights, filters and metadata


def pagefind_executable() -> str:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH (Pagefind's own convention) if set, else
    the one the `pagefind[bin]` package ships."""
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        return explicit
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise PagefindMissing("Pagefind is not installed: pip install 'pagefind[bin]'",
                              "chưa cài Pagefind: pip install 'pagefind[bin]'") from exc
    return str(get_executable())


def index_records(records: Iterable[SearchRecord], target: str,
                  shard_pages: int | None = None, cache: Path | None = None
                  ) -> tuple[tuple[str, bytes], ...]:
    """The Pagefind bundle of `records`, as (site path under `target`, bytes) pairs in
    sorted order, for the SiteWriter to place like any other output. Records of one
    language go into its index in the order given; the same records give the same
    bytes (`canonical_bundle`). `shard_pages`: shards of exactly that many records
    (tests); `cache`: the folder of shard bundles (search/cache.py)."""
    sharding = None if shard_pages is None else Sharding(shard_pages, shard_pages, 1)
    run = SearchRun(records, target, sharding, background=False, cache=cache)
    return run.bundle()


class SearchRun:
    """Pagefind indexing records in a background thread, so the build goes on with the
    pages meanwhile. `bundle()` waits for it; `cancel()` stops it (the build failed
    elsewhere). Either must be called: they stop Pagefind and remove its folder."""

    def __init__(self, records: Iterable[SearchRecord], target: str,
                 sharding: Sharding | None = None, background: bool = True,
                 cache: Path | None = None):
        """`sharding`: by default `Sharding.for_records` of all the records (counted
        when they can be: SiteRecords)."""
        if sharding is None:
            count = len(records) if isinstance(records, Sized) else 0
            sharding = Sharding.for_records(count)
        self.target = target
        self._executable = pagefind_executable()
        self._cache = ShardCache(cache)
        self._tmp = tempfile.TemporaryDirectory(prefix="ocop-pagefind-")
        self._lock = threading.Lock()
        self._service: _Service | None = None
        self._cancelled = False
        self._result: tuple[tuple[str, bytes], ...] | BaseException | None = None
        work = (records, sharding)
        if background:
            self._thread: threading.Thread | None = threading.Thread(
                target=self._run, args=work, name="pagefind", daemon=True)
            self._thread.start()
        else:
            self._thread = None
            self._run(*work)

    def _run(self, records: Iterable[SearchRecord], sharding: Sharding) -> None:
        try:
            files = canonical_bundle(merge_shards(self._languages(records, sharding)))
            self._result = tuple((self.target + name, files[name]) for name in sorted(files))
            self._cache.prune()
        except BundleFormatError as exc:
            self._result = SearchIndexError(exc.message_en, exc.message_vi)
        except BaseException as exc:  # handed to bundle(), in the build's thread
            self._result = exc

    def _languages(self, records: Iterable[SearchRecord], sharding: Sharding
                   ) -> list[dict[str, bytes]]:
        """A bundle per language. A language of several shards is merged while Pagefind
        indexes the next language's, in processes of their own (in this thread it would
        slow the feeding of records); a language of one shard needs no merging."""
        languages: list[dict[str, bytes] | Future[dict[str, bytes]]] = []
        shards: list[dict[str, bytes]] = []
        merging: ProcessPoolExecutor | None = None
        try:
            for shard, last_of_language in _shards(records, sharding):
                key = shard_key(shard, self._executable)
                bundle = self._cache.get(key)
                if bundle is None:
                    bundle = self._index(shard)
                    self._cache.put(key, bundle)
                shards.append(bundle)
                if last_of_language and len(shards) == 1:
                    languages.append(shards[0])
                elif last_of_language:
                    merging = merging or _merging_process()
                    languages.append(merging.submit(merge_shards, shards))
                if last_of_language:
                    shards = []
            return [done.result() if isinstance(done, Future) else done for done in languages]
        finally:
            if merging is not None:
                merging.shutdown(cancel_futures=True)

    def _index(self, shard: list[SearchRecord]) -> dict[str, bytes]:
        with self._lock:
            if self._cancelled:
                raise SearchIndexError("the search index was cancelled",
                                       "đã dừng tạo chỉ mục tìm kiếm")
            self._service = _Service(self._executable, Path(self._tmp.name))
        try:
            return self._service.index(shard)
        finally:
            with self._lock:
                self._service.stop()
                self._service = None

    def bundle(self) -> tuple[tuple[str, bytes], ...]:
        try:
            if self._thread is not None:
                self._thread.join()  # each Pagefind process has TIMEOUT_SECONDS (_Service)
            result = self._result
        finally:
            self.cancel()
        if isinstance(result, BaseException):
            raise result
        assert result is not None
        return result

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._service is not None:
                self._service.stop()  # its thread then fails on the closed pipes
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self._tmp.cleanup()


def _merging_process() -> ProcessPoolExecutor:
    """Workers from the fork server (safe beside the build's threads, see images/photos.py):
    two, so that when the shards come from the cache both languages merge at once."""
    context: BaseContext
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no fork server on this OS
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1), mp_context=context)


def _shards(records: Iterable[SearchRecord], sharding: Sharding
            ) -> Iterator[tuple[list[SearchRecord], bool]]:
    """(consecutive records of one language, cut by `sharding`; whether the language's
    records end there). Records must come language by language."""
    shard: list[SearchRecord] = []
    done: set[str] = set()
    for record in records:
        if shard and record.lang != shard[0].lang:
            done.add(shard[0].lang)
            yield shard, True
            shard = []
        elif shard and sharding.cuts_after(shard):
            yield shard, False
            shard = []
        if record.lang in done:
            raise ValueError(f"search records of {record.lang} are not together")
        shard.append(record)
    if shard:
        yield shard, True


class _Service:
    """One `pagefind --service` process: requests are base64 JSON followed by a comma,
    answered in the same form, in order (Pagefind handles one at a time)."""

    def __init__(self, executable: str, folder: Path):
        # its messages go to a file: nobody reads a pipe of them while it works
        self._log: IO[str] = open(folder / "log", "w+", encoding="utf-8", errors="replace")
        try:
            # cwd: a folder of our own, so no stray pagefind.yml changes the index
            self._process = subprocess.Popen(
                [executable, "--service"], cwd=folder, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=self._log, bufsize=0)
        except OSError as exc:
            self._log.close()
            raise PagefindMissing.at(executable, exc.strerror or str(exc)) from exc
        assert self._process.stdin is not None and self._process.stdout is not None  # PIPE
        self._stdin: IO[bytes] = self._process.stdin
        self._stdout: IO[bytes] = self._process.stdout
        self._sent = 0
        self._buffer = bytearray()
        # a Pagefind that hangs is stopped: its pipes close and the thread fails
        self._expired = False
        self._timeout = threading.Timer(TIMEOUT_SECONDS, self._expire)
        self._timeout.daemon = True
        self._timeout.start()

    def index(self, records: list[SearchRecord]) -> dict[str, bytes]:
        """The bundle of one index of `records`, in memory."""
        self._send({"type": "NewIndex", "config": None})
        index_id = self._answer("NewIndex")["index_id"]
        waiting = 0
        for record in records:
            self._send({"type": "AddFile", "index_id": index_id, "url": record.url,
                        "file_path": None, "file_contents": record.html})
            waiting += 1
            if waiting > IN_FLIGHT:
                self._answer("IndexedFile")
                waiting -= 1
        for _ in range(waiting):
            self._answer("IndexedFile")
        self._send({"type": "GetFiles", "index_id": index_id})
        files = {file["path"]: base64.b64decode(file["content"])
                 for file in self._answer("GetFiles")["files"]}
        return {name: data for name, data in files.items() if name not in UNUSED_BUNDLE_FILES}

    def _send(self, payload: dict) -> None:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload},
                             ensure_ascii=False).encode("utf-8")
        try:
            self._stdin.write(base64.b64encode(message) + b",")
        except (OSError, ValueError) as exc:  # Pagefind has gone (or was stopped)
            raise self._failed() from exc

    def _answer(self, expected: str) -> dict:
        start = 0
        while (end := self._buffer.find(b",", start)) < 0:
            start = len(self._buffer)
            try:
                more = self._stdout.read(1 << 20)
            except (OSError, ValueError):
                more = b""
            if not more:
                raise self._failed()
            self._buffer += more
        message = json.loads(base64.b64decode(self._buffer[:end]))
        del self._buffer[:end + 1]
        payload = message.get("payload") or {}
        if payload.get("type") != expected:
            hint = payload.get("message") or f"unexpected answer {payload.get('type')}"
            raise SearchIndexError(f"the search index was not built: {hint}",
                                   f"không tạo được chỉ mục tìm kiếm: {hint}")
        return payload

    def _failed(self) -> SearchIndexError:
        try:  # it closed a pipe: most likely exiting, with a code and a message to give
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self._process.kill()
            code = self._process.wait()
        try:
            self._log.seek(0)
            detail = self._log.read().strip().splitlines()
        except ValueError:  # stopped by cancel(), which closed the log
            detail = []
        hint = detail[0] if detail else f"exit code {code}"
        if self._expired:
            hint = f"no answer in {TIMEOUT_SECONDS} s"
        return SearchIndexError(f"the search index was not built: {hint}",
                                f"không tạo được chỉ mục tìm kiếm: {hint}")

    def _expire(self) -> None:
        self._expired = True
        self._process.kill()

    def stop(self) -> None:
        """Kill and reap the process (done with it, or the build failed)."""
        self._timeout.cancel()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._stdin, self._stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self._log.close()
