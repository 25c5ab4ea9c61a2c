"""Photos → responsive, metadata-free web images, cached by the source bytes' hash.

Visitors are on cheap phones over slow networks. So every photo becomes a few widths in
WebP (what browsers download) plus JPEG (what old browsers and social networks can read),
a square thumbnail for lists and a 1200×630 crop for link previews (the pixel work is
images/pixels.py's), each file published under a name that carries a hash of its bytes, so
hosts can cache them forever.

A cold build spends its time decoding and encoding, so photos are processed in worker
processes (base/workers.py). Every result is cached under a key made of the source bytes'
hash, every parameter and a pipeline version (imaging.Settings): the files under
`files/`, what was made of a photo in `manifests/`. A warm build opens no photo: an
index of each photo's signature (inputs.signature: size, times, inode) → hash spares
even the hashing, and the manifest keeps the sizes. Cache files are written atomically.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..base import inputs
from ..base.files import write_atomically
from ..base.inputs import Signature
from ..base.workers import fork_map
from ..errors import ContentError
from ..text import vietnamese

# the photo's pixels: everything callers knew from here keeps its name
from .pixels import DEFAULT_SETTINGS, JPEG, WEBP, ImageError, Output, Settings, render

_EXT = {WEBP: "webp", JPEG: "jpg"}
_STAT_INDEX = "stat-index.json"


@dataclass(frozen=True)
class Variant:
    """One output file."""

    url: str  # site-relative, e.g. "img/che-1a2b3c4d5e-640.webp"
    width: int
    height: int
    mime: str
    cache_name: str = ""  # the file's name in the cache's files/ folder
    bytes: int = 0  # its size: what saving it for offline reading costs (site/pages.py)


@dataclass(frozen=True)
class ProcessedImage:
    """Every file made from one source photo, as templates and pages use them.

    `variants` are the responsive widths (WebP and JPEG, ascending width); `thumb` is the
    same for the square list thumbnail; `social` is the 1200×630 JPEG for link previews.
    """

    width: int  # of the largest variant: the intrinsic size templates put on <img>
    height: int
    variants: tuple[Variant, ...]
    thumb: "ProcessedImage | None" = None
    social: Variant | None = None

    @property
    def webp(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == WEBP)

    @property
    def jpeg(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.mime == JPEG)

    @property
    def fallback(self) -> Variant:
        """The largest JPEG: `src` for browsers that read neither WebP nor srcset."""
        return self.jpeg[-1] if self.jpeg else self.variants[-1]

    def srcset(self, mime: str = JPEG) -> str:
        return ", ".join(f"{v.url} {v.width}w" for v in self.variants if v.mime == mime)

    def closest(self, width: int, mime: str = JPEG) -> Variant:
        """The smallest variant at least `width` wide (or the largest there is)."""
        candidates = [v for v in self.variants if v.mime == mime] or list(self.variants)
        for variant in candidates:
            if variant.width >= width:
                return variant
        return candidates[-1]

    @property
    def files(self) -> tuple[Variant, ...]:
        """Every file to publish for this photo: variants, thumbnail and social image."""
        extra = (self.thumb.files if self.thumb else ()) + ((self.social,) if self.social
                                                             else ())
        return self.variants + extra



# -- reading -----------------------------------------------------------------------------
def _read(source: Path, settings: Settings) -> tuple[bytes, Signature]:
    """The file's bytes (bounded) and the stat signature they were read under."""
    name = source.name
    try:
        with open(source, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_size > settings.max_bytes:
                raise ImageError(
                    f"'{name}' is {st.st_size:,} bytes; the limit is {settings.max_bytes:,} "
                    "(send a smaller photo)",
                    f"'{name}' nặng {st.st_size:,} byte; giới hạn là {settings.max_bytes:,} "
                    "(hãy gửi ảnh nhỏ hơn)")
            data = handle.read(settings.max_bytes + 1)
    except OSError as exc:
        raise ImageError(f"cannot read '{name}' ({exc.strerror or exc})",
                         f"không đọc được tệp '{name}' ({exc.strerror or exc})") from None
    return data, inputs.signature(st)


# -- the cache ---------------------------------------------------------------------------
def _cache_key(digest: str, settings_key: str) -> str:
    return hashlib.sha256(f"{digest}\n{settings_key}".encode()).hexdigest()[:32]


def _manifest_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "manifests" / f"{key}.json"


def cached_file(cache_dir: Path, variant: Variant) -> Path:
    """Where a variant's bytes live in the cache (the writer links them into the site)."""
    return cache_dir / "files" / variant.cache_name


def _cached_names(cache_dir: Path) -> frozenset[str]:
    """Names in the cache's files/ folder: one directory read instead of a stat per file."""
    try:
        return frozenset(os.listdir(cache_dir / "files"))
    except OSError:
        return frozenset()


def _read_manifest(cache_dir: Path, key: str, present: frozenset[str] | None = None
                   ) -> dict | None:
    """A complete cache entry, or None (missing, unreadable, or a file was deleted).
    `present`: the files known to be in the cache (else each is checked on disk)."""
    try:
        manifest = json.loads(_manifest_path(cache_dir, key).read_text())
        names = [out["file"] for out in manifest["outputs"]]
        if present is None:
            present = frozenset(n for n in names if (cache_dir / "files" / n).is_file())
        # (entries written before sizes were recorded are made again, once)
        if all(name in present for name in names) \
                and all("bytes" in out for out in manifest["outputs"]):
            return manifest
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _store(cache_dir: Path, key: str, full: tuple[int, int], outputs: list[Output]
           ) -> dict:
    files = cache_dir / "files"
    rows = []
    for out in outputs:
        name = f"{hashlib.sha256(out.data).hexdigest()[:24]}.{_EXT[out.mime]}"
        if not (files / name).is_file():
            write_atomically(files / name, out.data)
        rows.append({"role": out.role, "width": out.width, "height": out.height,
                     "mime": out.mime, "file": name, "bytes": len(out.data)})
    manifest = {"width": full[0], "height": full[1], "outputs": rows}
    write_atomically(_manifest_path(cache_dir, key), json.dumps(manifest).encode())
    return manifest


@dataclass(frozen=True)
class _Work:
    """What every photo's worker needs besides the photo (pickled to each worker)."""

    cache_dir: str
    settings: Settings


@dataclass(frozen=True)
class _Done:
    source: str
    signature: Signature
    digest: str
    manifest: dict


@dataclass(frozen=True)
class _Failed:
    source: str
    error: tuple[str, str]  # English, Vietnamese


def _run(work: _Work, name: str) -> _Done | _Failed:
    """Read, hash, and (unless another build just did) process the photo at `name`.
    Runs in a worker process: takes and returns plain values, reports bad photos as
    values."""
    source, cache_dir = Path(name), Path(work.cache_dir)
    try:
        data, signature = _read(source, work.settings)
        digest = hashlib.sha256(data).hexdigest()
        key = _cache_key(digest, work.settings.key())
        manifest = _read_manifest(cache_dir, key)
        if manifest is None:
            full, outputs = render(data, source.name, work.settings)
            manifest = _store(cache_dir, key, full, outputs)
    except ImageError as exc:
        return _Failed(name, (exc.en, exc.vi))
    return _Done(name, signature, digest, manifest)


def _stem(source: Path) -> str:
    return vietnamese.slugify(source.stem)[:40].strip("-") or "img"


def _assemble(source: Path, manifest: Mapping) -> ProcessedImage:
    stem = _stem(source)
    by_role: dict[str, list[Variant]] = {"variant": [], "thumb": [], "social": []}
    for out in manifest["outputs"]:
        label = {"variant": str(out["width"]), "thumb": f"sq{out['width']}",
                 "social": "social"}[out["role"]]
        digest = out["file"].split(".")[0][:10]
        url = f"img/{stem}-{digest}-{label}.{_EXT[out['mime']]}"
        by_role[out["role"]].append(Variant(url, out["width"], out["height"], out["mime"],
                                            out["file"], out["bytes"]))

    def picture(variants: list[Variant]) -> ProcessedImage:
        ordered = tuple(sorted(variants, key=lambda v: (v.width, v.mime)))
        return ProcessedImage(ordered[-1].width, ordered[-1].height, ordered)

    main = picture(by_role["variant"])
    thumb = picture(by_role["thumb"]) if by_role["thumb"] else None
    social = by_role["social"][0] if by_role["social"] else None
    return ProcessedImage(main.width, main.height, main.variants, thumb, social)


def _load_index(cache_dir: Path) -> dict[str, list]:
    try:
        index = json.loads((cache_dir / _STAT_INDEX).read_text())
        return index if isinstance(index, dict) else {}
    except (OSError, ValueError):
        return {}


def process_all(sources: Iterable[tuple[Path, str, int]], cache_dir: Path,
                settings: Settings = DEFAULT_SETTINGS, workers: int | None = None
                ) -> tuple[dict[Path, ProcessedImage], list[ContentError]]:
    """Process each distinct source once, in parallel, reusing the cache.

    `sources` are (photo, content file naming it, line); an error is reported at every
    place that names a bad photo. Returns the processed photos and the errors.
    """
    places: dict[Path, list[tuple[str, int]]] = {}
    for source, named_in, line in sources:
        places.setdefault(source, []).append((named_in, line))

    index = _load_index(cache_dir)
    settings_key = settings.key()
    present = _cached_names(cache_dir) if index else frozenset()
    manifests: dict[Path, dict] = {}
    failures: dict[Path, tuple[str, str]] = {}
    todo: list[str] = []
    for source in places:
        entry = index.get(str(source))
        try:
            signature = inputs.signature(os.stat(source))
        except OSError:
            signature = None
        if signature is not None and isinstance(entry, list) and len(entry) == 5 \
                and tuple(entry[:4]) == signature:
            manifest = _read_manifest(cache_dir, _cache_key(entry[4], settings_key), present)
            if manifest is not None:
                manifests[source] = manifest
                continue
        todo.append(str(source))

    if todo:
        # from a fork server: Pillow's threads are never forked mid-state, and the
        # server imports Pillow once for every later pool (serve's rebuilds)
        for result in fork_map(_run, todo, _Work(str(cache_dir), settings), workers,
                               ordered=True, start="forkserver"):
            source = Path(result.source)
            if isinstance(result, _Failed):
                failures[source] = result.error
                index.pop(result.source, None)
            else:
                manifests[source] = result.manifest
                index[result.source] = [*result.signature, result.digest]
        index = {key: value for key, value in index.items() if Path(key) in places}
        try:
            write_atomically(cache_dir / _STAT_INDEX, json.dumps(index).encode())
        except OSError:
            pass  # only a speed-up: the next build hashes again

    results = {source: _assemble(source, manifest) for source, manifest in manifests.items()}
    errors = [ContentError(named_in, line, "images", en, vi)
              for source, (en, vi) in failures.items() for named_in, line in places[source]]
    return results, errors


def process(source: Path, cache_dir: Path, settings: Settings = DEFAULT_SETTINGS
            ) -> ProcessedImage:
    """One photo (in this process); raise ImageError if it cannot be published."""
    result = _run(_Work(str(cache_dir), settings), str(source))
    if isinstance(result, _Failed):
        raise ImageError(*result.error)
    return _assemble(source, result.manifest)


def site_files(images: Iterable[ProcessedImage], cache_dir: Path) -> dict[str, Path]:
    """Site path → cached file, for every output of every photo (each path once: two
    identical photos under one name share their files)."""
    files: dict[str, Path] = {}
    for image in images:
        for variant in image.files:
            files.setdefault(variant.url, cached_file(cache_dir, variant))
    return files
