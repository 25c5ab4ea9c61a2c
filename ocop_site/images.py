"""Photos → resized, metadata-free web images, cached by the source bytes' hash.

Producers send phone photos (huge, rotated by EXIF, with GPS inside); visitors are on
cheap phones. Output names carry a content hash so hosts can cache them forever.
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from PIL import Image, ImageOps

from .errors import ContentError

WIDTHS = (320, 640, 1024, 1600)
MAX_PIXELS = 50_000_000
PIPELINE_VERSION = "1"
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow raises DecompressionBombError past 2x this


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative, e.g. "img/che-1a2b3c4d-640.jpg"
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class ProcessedImage:
    """Every file made from one source photo."""

    width: int  # of the largest variant
    height: int
    variants: tuple[Variant, ...]  # ascending width

    @property
    def fallback(self) -> Variant:
        return self.variants[-1]

    def srcset(self, mime: str = "image/jpeg") -> str:
        return ", ".join(f"{v.url} {v.width}w" for v in self.variants if v.mime == mime)

    def closest(self, width: int) -> Variant:
        for variant in self.variants:
            if variant.width >= width:
                return variant
        return self.variants[-1]


class ImageError(Exception):
    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.en, self.vi = en, vi


def _open_checked(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ImageError(
                f"the image is {image.width}×{image.height} pixels; the limit is "
                f"{MAX_PIXELS // 1_000_000} megapixels",
                f"ảnh có {image.width}×{image.height} điểm ảnh; giới hạn là "
                f"{MAX_PIXELS // 1_000_000} megapixel",
            )
        image.load()
        return image
    except ImageError:
        raise
    except Image.DecompressionBombError:
        raise ImageError("the image has too many pixels (decompression bomb)",
                         "ảnh có quá nhiều điểm ảnh") from None
    except Exception as exc:  # Pillow raises many types for broken files
        raise ImageError(
            f"cannot read this image ({type(exc).__name__}); is it a complete JPEG/PNG/WebP "
            "file? Re-export or re-upload it",
            f"không đọc được ảnh ({type(exc).__name__}); tệp có bị hỏng hoặc không phải "
            "JPEG/PNG/WebP? Hãy xuất hoặc tải lên lại",
        ) from None


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def process(source: Path, cache_dir: Path) -> ProcessedImage:
    """Make (or reuse from cache) every variant of one photo; raise ImageError if bad."""
    data = source.read_bytes()
    digest = hashlib.sha256(data + PIPELINE_VERSION.encode()).hexdigest()[:16]
    stem = source.stem.encode("ascii", "ignore").decode().lower() or "img"
    stem = "".join(ch if ch.isalnum() else "-" for ch in stem).strip("-")[:40] or "img"
    manifest = cache_dir / f"{digest}.txt"
    if manifest.is_file():
        variants = []
        for line in manifest.read_text().splitlines():
            name, width, height, mime = line.split("\t")
            variants.append(Variant(f"img/{stem}-{name}", int(width), int(height), mime))
        return ProcessedImage(variants[-1].width, variants[-1].height, tuple(variants))

    image = _open_checked(data)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    variants, lines = [], []
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    for width in sorted(set(widths)):
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        payload = _encode(resized)
        name = f"{hashlib.sha256(payload).hexdigest()[:10]}-{width}.jpg"
        _atomic_write(cache_dir / name, payload)
        variants.append(Variant(f"img/{stem}-{name}", width, height, "image/jpeg"))
        lines.append(f"{name}\t{width}\t{height}\timage/jpeg")
    _atomic_write(manifest, ("\n".join(lines) + "\n").encode())
    return ProcessedImage(variants[-1].width, variants[-1].height, tuple(variants))


def cached_file(cache_dir: Path, variant: Variant) -> Path:
    """Where a variant's bytes live in the cache (the writer links them into the site)."""
    name = variant.url.rsplit("-", 2)
    return cache_dir / f"{name[-2]}-{name[-1]}"


def _atomic_write(path: Path, payload: bytes) -> None:
    """Write-temp-then-rename: a killed build never leaves a half-written cache file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def process_all(sources: Iterable[tuple[Path, str, int]], cache_dir: Path
                ) -> tuple[dict[Path, ProcessedImage], list[ContentError]]:
    """Process each distinct source once; errors name the file and line that refer to it."""
    results: dict[Path, ProcessedImage] = {}
    errors: list[ContentError] = []
    for source, shown, line in sources:
        if source in results:
            continue
        try:
            results[source] = process(source, cache_dir)
        except ImageError as exc:
            errors.append(ContentError(shown, line, "images", exc.en, exc.vi))
    return results, errors
