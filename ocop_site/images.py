"""Photos → responsive, metadata-free web images, cached by the source bytes' hash.

Producers send phone photos: huge, rotated by EXIF, with the GPS position of their homes
inside, often HEIC, sometimes broken. Visitors are on cheap phones over slow networks.
So every photo becomes a few widths in WebP (what browsers download) plus JPEG (what old
browsers and social networks can read), a square thumbnail for lists and a 1200×630 crop
for link previews — upright, in sRGB, with no metadata at all.

Speed: a cold build spends its time decoding, resizing and encoding, so JPEGs are decoded
at a reduced scale (`draft`) when the biggest output allows it, whole factors are taken
out with reduce() before Lanczos, smaller widths are made from the previous one, and
photos are processed in parallel processes. Every result is cached under a key made of
the source bytes' hash, every parameter and a pipeline version. A warm build opens no
photo: an index of each photo's signature (inputs.signature: size, times, inode) → hash
spares even the hashing, and the manifest keeps the sizes. Cache files are written atomically; output names carry a hash
of their bytes, so hosts can cache them forever.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Mapping

import PIL
from PIL import Image, ImageCms

from . import inputs, text
from .atomicfile import write_atomically
from .content.safepath import MAX_IMAGE_BYTES
from .errors import ContentError, InvalidInput
from .inputs import Signature
from .workers import fork_map

try:  # iPhone photos are HEIC; Pillow reads them through this plugin
    import pillow_heif
except ImportError:  # pragma: no cover - a declared dependency; keep JPEG/PNG working
    pillow_heif = None
else:
    pillow_heif.register_heif_opener()

PIPELINE_VERSION = "3"  # bump when the processing changes in a way parameters don't show
WIDTHS = (320, 640, 1024, 1600)
THUMB_SIZES = (200, 400)
SOCIAL_SIZE = (1200, 630)
MAX_PIXELS = 50_000_000
# Formats a producer's camera or phone writes (the JPEG opener also reads MPO, the
# multi-picture JPEG of some phones). Anything else is refused before decoding, which
# also keeps Pillow's rarely used parsers away from untrusted files.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF")

WEBP, JPEG = "image/webp", "image/jpeg"
_EXT = {WEBP: "webp", JPEG: "jpg"}
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}
_LANCZOS = Image.Resampling.LANCZOS
_REDUCING_GAP = 3.0  # reduce() by whole factors first; the rest resampled with Lanczos
_STAT_INDEX = "stat-index.json"


@dataclass(frozen=True)
class Settings:
    """Everything that shapes the output bytes; all of it is part of the cache key."""

    widths: tuple[int, ...] = WIDTHS
    thumb_sizes: tuple[int, ...] = THUMB_SIZES
    social_size: tuple[int, int] = SOCIAL_SIZE
    webp_quality: int = 80
    # libwebp method 0-6 trades encoding time for size. On photos, 4 (the default) costs
    # 2.5× the time of 2 for about the same bytes at these sizes; see benchmarks/images.py.
    webp_method: int = 2
    jpeg_quality: int = 82
    max_pixels: int = MAX_PIXELS
    max_bytes: int = MAX_IMAGE_BYTES

    def key(self) -> str:
        """Text identifying these settings, the pipeline and the Pillow that runs it."""
        return json.dumps([PIPELINE_VERSION, PIL.__version__, asdict(self)], sort_keys=True)


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Variant:
    """One output file."""

    url: str  # site-relative, e.g. "img/che-1a2b3c4d5e-640.webp"
    width: int
    height: int
    mime: str
    cache_name: str = ""  # the file's name in the cache's files/ folder
    bytes: int = 0  # its size: what saving it for offline reading costs (pages.py)


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


class ImageError(InvalidInput):
    """A photo that cannot be published; `en`/`vi` say why and what to do."""


# -- decoding ----------------------------------------------------------------------------
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


def _damaged(name: str, exc: BaseException) -> ImageError:
    return ImageError(
        f"'{name}' is damaged or incomplete ({type(exc).__name__}: {exc}); export the "
        "photo again or upload it again",
        f"tệp ảnh '{name}' bị hỏng hoặc không đầy đủ ({type(exc).__name__}); hãy xuất lại "
        "hoặc tải ảnh lên lại")


def _open(data: bytes, name: str, settings: Settings) -> Image.Image:
    """Open a photo, reading only its header; refuse non-images and decompression bombs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            Image.init()  # registers every installed opener (once), so the list is known
            formats = [name for name in ACCEPTED_FORMATS if name in Image.OPEN]
            image = Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError:
        image = None
    except Image.UnidentifiedImageError:
        raise ImageError(
            f"'{name}' is not a JPEG, PNG, WebP or HEIC photo (is it a document, or a file "
            "renamed to .jpg?); export it as JPEG",
            f"'{name}' không phải ảnh JPEG, PNG, WebP hay HEIC (có phải tài liệu, hoặc tệp "
            "bị đổi đuôi thành .jpg?); hãy xuất lại thành JPEG") from None
    except Exception as exc:  # Pillow raises many types for broken headers
        raise _damaged(name, exc) from None
    if image is None or image.width * image.height > settings.max_pixels:
        size = f"{image.width}×{image.height} pixels" if image else "too many pixels"
        size_vi = f"{image.width}×{image.height} điểm ảnh" if image else "quá nhiều điểm ảnh"
        limit = settings.max_pixels / 1_000_000
        raise ImageError(
            f"'{name}' has {size}; the limit is {limit:g} megapixels (a decompression bomb "
            "or an unusually large picture); resize it before uploading",
            f"'{name}' có {size_vi}; giới hạn là {limit:g} megapixel; hãy thu nhỏ ảnh "
            "trước khi tải lên")
    return image


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # an unreadable EXIF block is ignored, like browsers do
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _upright(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def _needed_fraction(width: int, height: int, settings: Settings) -> float:
    """Smallest fraction of the upright full size from which every output can be made."""
    largest = min(width, max(settings.widths)) / width
    sw, sh = settings.social_size
    if width * sh > height * sw:  # wider than the social frame: height is the limit
        social = min(sh, height) / height
    else:
        social = min(sw, width) / width
    side = min(width, height)
    thumb = min(side, max(settings.thumb_sizes)) / side
    return max(largest, social, thumb)


def _decode(data: bytes, name: str, settings: Settings
            ) -> tuple[Image.Image, tuple[int, int]]:
    """Upright, sRGB, metadata-free RGB/RGBA pixels, plus the upright full size.

    JPEGs are decoded directly at 1/2, 1/4 or 1/8 scale when the outputs allow it.
    """
    image = _open(data, name, settings)
    try:
        if image.format in ("JPEG", "MPO"):  # EXIF is read with the header: decode less
            orientation = _orientation(image)
            full = _upright(image.size, orientation)
            fraction = _needed_fraction(*full, settings)
            image.draft(image.mode, (math.ceil(image.width * fraction),
                                     math.ceil(image.height * fraction)))
            image.load()
        else:  # PNG and WebP may keep EXIF after the pixels: decode first
            image.load()
            orientation = _orientation(image)
            full = _upright(image.size, orientation)
        icc = image.info.get("icc_profile")
        for method in _TRANSPOSE.get(orientation, ()):
            image = image.transpose(method)
        image = _to_srgb(image, icc)
    except ImageError:
        raise
    except Exception as exc:  # truncated data, bad Huffman tables, zlib errors …
        raise _damaged(name, exc) from None
    image.info = {}  # nothing of the source's metadata may reach an output
    return image, full


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        image.mode == "P" and "transparency" in image.info)


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB (or RGBA when some pixel is see-through) in sRGB, whatever came in."""
    if image.mode.startswith("I"):  # 16-bit grey: scale to 8 bits instead of clipping
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode in ("P", "F"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    alpha = _has_alpha(image)
    if alpha:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] == 255:  # fully opaque after all
            image, alpha = image.convert("RGB"), False
    mode = "RGBA" if alpha else "RGB"
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(profile).lower():
                working = image if image.mode in ("RGB", "RGBA", "CMYK", "L") else \
                    image.convert(mode)
                converted = ImageCms.profileToProfile(
                    working, profile, ImageCms.createProfile("sRGB"),
                    renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode=mode)
                if converted is not None:
                    image = converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: the pixels are still usable as they are
    return image if image.mode == mode else image.convert(mode)


# -- rendering ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Output:
    role: str  # "variant" | "thumb" | "social"
    width: int
    height: int
    mime: str
    data: bytes


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: put see-through pixels on white."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode(image: Image.Image, mime: str, settings: Settings) -> bytes:
    out = io.BytesIO()
    if mime == WEBP:
        image.save(out, "WEBP", quality=settings.webp_quality, method=settings.webp_method)
    else:
        _flatten(image).save(out, "JPEG", quality=settings.jpeg_quality, optimize=True)
    return out.getvalue()


def _cover(sources: list[Image.Image], full: tuple[int, int], box: tuple[float, ...],
           size: tuple[int, int]) -> Image.Image:
    """Resize the region `box` (in full-size coordinates) to `size`, from the smallest
    already-made picture that still has enough pixels there (no upscaling, less work)."""
    def scaled(picture: Image.Image) -> tuple[float, float, float, float]:
        sx, sy = picture.width / full[0], picture.height / full[1]
        return (max(0.0, box[0] * sx), max(0.0, box[1] * sy),
                min(float(picture.width), box[2] * sx),
                min(float(picture.height), box[3] * sy))

    ordered = sorted(sources, key=lambda p: p.width)
    for picture in ordered:
        x0, y0, x1, y1 = scaled(picture)
        if x1 - x0 >= size[0] - 0.5 and y1 - y0 >= size[1] - 0.5:
            break
    else:
        picture = ordered[-1]
    return picture.resize(size, _LANCZOS, box=scaled(picture), reducing_gap=_REDUCING_GAP)


def _steps(limit: int, sizes: tuple[int, ...]) -> list[int]:
    """The sizes not larger than the picture, plus the picture's own size when smaller
    than the largest (never upscale, but do not lose the largest detail either)."""
    return sorted({s for s in sizes if s < limit} | {min(limit, max(sizes))})


def _render(data: bytes, name: str, settings: Settings
            ) -> tuple[tuple[int, int], list[_Output]]:
    """Every output of one photo, as bytes."""
    image, full = _decode(data, name, settings)
    fw, fh = full
    outputs: list[_Output] = []

    def emit(role: str, picture: Image.Image) -> None:
        for mime in (WEBP, JPEG):
            outputs.append(_Output(role, picture.width, picture.height, mime,
                                   _encode(picture, mime, settings)))

    made = [image]
    previous = image
    for width in reversed(_steps(fw, settings.widths)):  # largest first, each from the last
        size = (width, max(1, round(fh * width / fw)))
        previous = previous if previous.size == size else previous.resize(
            size, _LANCZOS, reducing_gap=_REDUCING_GAP)
        made.append(previous)
        emit("variant", previous)

    side = min(fw, fh)
    square = ((fw - side) / 2, (fh - side) / 2, (fw + side) / 2, (fh + side) / 2)
    thumbs = [t for t in reversed(_steps(side, settings.thumb_sizes))]
    previous = _cover(made, full, square, (thumbs[0], thumbs[0]))
    emit("thumb", previous)
    for size in thumbs[1:]:
        previous = previous.resize((size, size), _LANCZOS, reducing_gap=_REDUCING_GAP)
        emit("thumb", previous)

    sw, sh = settings.social_size
    if fw * sh > fh * sw:
        cw, ch = fh * sw / sh, fh
    else:
        cw, ch = fw, fw * sh / sw
    box = ((fw - cw) / 2, (fh - ch) / 2, (fw + cw) / 2, (fh + ch) / 2)
    tw = min(sw, math.floor(cw))
    social = _cover(made, full, box, (tw, max(1, round(tw * sh / sw))))
    outputs.append(_Output("social", social.width, social.height, JPEG,
                           _encode(social, JPEG, settings)))
    return full, outputs


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


def _store(cache_dir: Path, key: str, full: tuple[int, int], outputs: list[_Output]
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
    signature: Signature | None = None
    digest: str = ""
    manifest: dict | None = None
    error: tuple[str, str] | None = None


def _run(work: _Work, name: str) -> _Done:
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
            full, outputs = _render(data, source.name, work.settings)
            manifest = _store(cache_dir, key, full, outputs)
    except ImageError as exc:
        return _Done(name, error=(exc.en, exc.vi))
    return _Done(name, signature, digest, manifest)


def _stem(source: Path) -> str:
    return text.slugify(source.stem)[:40].strip("-") or "img"


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
    for source, shown, line in sources:
        places.setdefault(source, []).append((shown, line))

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
            if result.error is not None:
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
    errors = [ContentError(shown, line, "images", en, vi)
              for source, (en, vi) in failures.items() for shown, line in places[source]]
    return results, errors


def process(source: Path, cache_dir: Path, settings: Settings = DEFAULT_SETTINGS
            ) -> ProcessedImage:
    """One photo (in this process); raise ImageError if it cannot be published."""
    result = _run(_Work(str(cache_dir), settings), str(source))
    if result.error is not None:
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
