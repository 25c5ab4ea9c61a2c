"""Full-text search: Pagefind turns the rendered product pages into a static index.

Pagefind (PyPI `pagefind[bin]`) splits the index into small hashed chunks, so one query
downloads a few kilobytes instead of a whole hand-written JSON index, and it needs no
server and no CDN. It runs after the pages are rendered into the staging folder and
before the atomic swap, so a failed index fails the build and the old site stays up.

Vietnamese buyers often type without diacritics. Pagefind already matches across
combining marks ("thinh" finds "Thịnh", and ranks the exact spelling first), but `đ` is a
letter of its own, not `d` plus a mark, so "dong" would never find "Đồng". Each product
page therefore carries, hidden and weighted below its real text, the folded spelling of
exactly those words that contain đ/Đ (`search_aliases`): "dong" finds "Đồng Quế" through
the alias, while "Đồng" still matches only the real text.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import text
from .errors import SetupError, SiteError

# Pagefind's ready-made search UIs (~400 KB). The search page has its own small script,
# so they are left out of the site; everything else in the bundle is written as is.
UNUSED_BUNDLE_FILES = frozenset({
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
})
TIMEOUT_SECONDS = 600

_TAG = re.compile(r"<[^>]*>")
_WORD_WITH_D = re.compile(r"\w*[đĐðÐ]\w*")  # Ð: Đ's look-alike (text.py)


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
    words = dict.fromkeys(text.fold(word) for chunk in texts
                          for word in _WORD_WITH_D.findall(text.nfc(chunk)))
    return " ".join(words)


def product_aliases(name: str, *texts: str) -> SearchAliases:
    """Aliases for a product page: those of its name, then the others not already given."""
    from_name = search_aliases(name)
    named = set(from_name.split())
    rest = " ".join(w for w in search_aliases(*texts).split() if w not in named)
    return SearchAliases(name=from_name, text=rest)


@dataclass(frozen=True)
class PageAliases:
    """`product_aliases(name, *texts, plain_text(html))`, worked out when the page is
    rendered (in a worker process, and only for pages that are rendered) rather than
    when every page is planned: the description's words are most of the work. Two are
    equal when their inputs are, which is what an incremental rebuild compares."""

    name_text: str
    texts: tuple[str, ...] = ()
    html: str = ""

    @cached_property
    def aliases(self) -> SearchAliases:
        return product_aliases(self.name_text, *self.texts, plain_text(self.html))

    @property
    def name(self) -> str:
        return self.aliases.name

    @property
    def text(self) -> str:
        return self.aliases.text


def pagefind_executable() -> str:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH (Pagefind's own convention) if set, else
    the one the `pagefind[bin]` package ships. Called directly: `python -m pagefind`
    spends about a second importing its wrapper before the 0.1 s the binary needs."""
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        return explicit
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:
        raise PagefindMissing("Pagefind is not installed: pip install 'pagefind[bin]'",
                              "chưa cài Pagefind: pip install 'pagefind[bin]'") from exc
    return str(get_executable())


def index_pages(site: Path, glob: str, target: str) -> tuple[tuple[str, bytes], ...]:
    """Run Pagefind over the pages of `site` matching `glob`; the bundle goes to `target`.

    Returns the bundle as (site path, bytes) pairs in sorted order, for the SiteWriter to
    place like any other output (so the one-writer-per-path guard and the hard links
    for unchanged files apply). Chunk names are content hashes; the few files Pagefind
    writes in arbitrary order are put in order (`canonical_bundle`), so an unchanged
    catalogue rebuilds byte-identical.
    """
    return PagefindRun(site, glob, target).bundle()


class PagefindRun:
    """Pagefind running in the background over pages already written, so the build
    goes on with the pages it does not read (lists, print catalogue, QR codes, open
    data) meanwhile: Pagefind keeps about one and a half of two cores busy, and the
    rest of a large build fills the gap. `bundle()` waits for it; `cancel()` stops it
    (the build failed elsewhere). Either must be called: they remove its folder."""

    def __init__(self, site: Path, glob: str, target: str):
        self.target = target
        executable = pagefind_executable()
        self._tmp = tempfile.TemporaryDirectory(prefix="ocop-pagefind-")
        self._bundle = Path(self._tmp.name) / "bundle"
        command = [executable, "--site", str(site), "--glob", glob,
                   "--output-path", str(self._bundle), "--silent"]
        # its messages go to a file, not a pipe: nobody reads a pipe while the build
        # goes on, and a full one would stop Pagefind
        self._log = open(Path(self._tmp.name) / "log", "w+", encoding="utf-8",
                         errors="replace")
        try:
            # cwd: a folder of our own, so no stray pagefind.yml changes the index
            self._process = subprocess.Popen(command, cwd=self._tmp.name,
                                             stdout=self._log, stderr=subprocess.STDOUT)
        except OSError as exc:
            self._log.close()
            self._tmp.cleanup()
            raise PagefindMissing.at(executable, exc.strerror or str(exc)) from exc

    def bundle(self) -> tuple[tuple[str, bytes], ...]:
        try:
            try:
                self._process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired as exc:
                raise SearchIndexError(f"could not run Pagefind: {exc}",
                                       f"không chạy được Pagefind: {exc}") from exc
            if self._process.returncode != 0 or not (self._bundle / "pagefind.js").is_file():
                self._log.seek(0)
                detail = self._log.read().strip().splitlines()
                hint = detail[0] if detail else f"exit code {self._process.returncode}"
                raise SearchIndexError(f"the search index was not built: {hint}",
                                       f"không tạo được chỉ mục tìm kiếm: {hint}")
            files = {p.relative_to(self._bundle).as_posix(): p.read_bytes()
                     for p in self._bundle.rglob("*")
                     if p.is_file() and p.name not in UNUSED_BUNDLE_FILES}
        finally:
            self.cancel()
        files = canonical_bundle(files)
        return tuple((self.target + name, files[name]) for name in sorted(files))

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._log.close()
        self._tmp.cleanup()


# -- deterministic bundle ----------------------------------------------------------------
# Pagefind 1.5 writes each filter's values in hash-map order, which changes from run to
# run (upstream issue Pagefind/pagefind#638: fragments and word indexes are stable, filter
# and metadata indexes are not). The filter chunks are renamed by their hash, so the
# metadata file listing them and the entry file naming that change too. We sort those
# lists and rename the files by the hash of the sorted content; Pagefind only finds
# files through these names, so the bundle works the same. The files are gzip + a
# "pagefind_dcd" signature + CBOR made of integers, strings and arrays: a codec for
# just that subset is below, and anything else stops the build rather than guess.

_SIGNATURE = b"pagefind_dcd"


def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle with its filter chunks, metadata and entry file in a fixed order."""
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for language in entry["languages"].values():
        meta_name = f"pagefind.{language['hash']}.pf_meta"
        meta = _read_chunk(files.pop(meta_name), meta_name)
        lists = [item for item in meta if isinstance(item, list) and item
                 and all(_is_filter_ref(ref, files) for ref in item)]
        if len(lists) > 1 or (not lists and any(n.startswith("filter/") for n in files)):
            raise _unsupported(meta_name)
        for refs in lists:
            for ref in refs:
                name, old = ref
                chunk = _read_chunk(files.pop(f"filter/{old}.pf_filter"), old)
                if not (len(chunk) == 2 and chunk[0] == name and all(
                        isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                        for v in chunk[1])):
                    raise _unsupported(old)
                chunk[1].sort(key=lambda value: value[0])
                ref[1] = _rename(old, _chunk_bytes(chunk), 7)
                files[f"filter/{ref[1]}.pf_filter"] = _chunk_bytes(chunk)
            refs.sort(key=lambda ref: ref[0])
        language["hash"] = _rename(language["hash"], _chunk_bytes(meta), 10)
        files[f"pagefind.{language['hash']}.pf_meta"] = _chunk_bytes(meta)
    files["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return files


def _is_filter_ref(ref: object, files: dict[str, bytes]) -> bool:
    return (isinstance(ref, list) and len(ref) == 2 and all(isinstance(x, str) for x in ref)
            and f"filter/{ref[1]}.pf_filter" in files)


def _unsupported(name: str) -> SearchIndexError:
    return SearchIndexError(
        f"unexpected Pagefind file {name}: this version of ocop-site needs pagefind 1.5 "
        f"(pip install 'pagefind[bin]>=1.5,<1.6')",
        f"tệp Pagefind {name} không đúng dạng mong đợi: cần pagefind 1.5")


def _rename(old: str, data: bytes, length: int) -> str:
    """'vi_3f76bac' -> 'vi_' + the first `length` hex digits of the content's SHA-256."""
    return old.rsplit("_", 1)[0] + "_" + hashlib.sha256(data).hexdigest()[:length]


def _read_chunk(data: bytes, name: str) -> list:
    try:
        raw = gzip.decompress(data)
        if not raw.startswith(_SIGNATURE):
            raise ValueError("no signature")
        body = raw[len(_SIGNATURE):]
        value, end = _cbor_decode(body, 0)
        if end != len(body) or _cbor_encode(value) != body or not isinstance(value, list):
            raise ValueError("not a round trip")
    except (OSError, ValueError, IndexError, UnicodeDecodeError, EOFError) as exc:
        raise _unsupported(name) from exc
    return value


def _chunk_bytes(value: list) -> bytes:
    return gzip.compress(_SIGNATURE + _cbor_encode(value), compresslevel=9, mtime=0)


def _cbor_decode(data: bytes, pos: int) -> tuple[object, int]:
    """One CBOR item (unsigned/negative int, byte/text string, array) at `pos`."""
    major, info = data[pos] >> 5, data[pos] & 31
    pos += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise ValueError(f"CBOR additional info {info}")
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major in (2, 3):
        chunk = data[pos:pos + value]
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), pos + value
    if major == 4:
        items = []
        for _ in range(value):
            item, pos = _cbor_decode(data, pos)
            items.append(item)
        return items, pos
    raise ValueError(f"CBOR major type {major}")


def _cbor_encode(value: object) -> bytes:
    """Shortest-form CBOR, as Pagefind writes it (so unchanged chunks round-trip exactly)."""
    if isinstance(value, bool):
        raise ValueError("CBOR booleans are not used by Pagefind chunks")
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)
    raise ValueError(f"cannot encode {type(value).__name__}")


def _cbor_head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise ValueError("CBOR integer too large")
