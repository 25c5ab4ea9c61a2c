"""A photo's bytes → every web image made from it, as bytes: Pillow's part of images/photos.py.

Producers send phone photos: huge, rotated by EXIF, with the GPS position of their homes
inside, often HEIC, sometimes broken. So a photo is opened only after its header says
it is a JPEG, PNG, WebP or HEIC of a bounded number of pixels, then turned upright, into
sRGB, with no metadata at all, and made into a few widths in WebP and JPEG, square
thumbnails and a 1200×630 crop for link previews (`render`).

Speed: a cold build spends its time decoding, resizing and encoding, so JPEGs are decoded
at a reduced scale (`draft`) when the biggest output allows it, whole factors are taken
out with reduce() before Lanczos, and smaller widths are made from the previous one.
`Settings` holds everything that shapes the bytes, so the cache (images/photos.py) can key on it.
"""
from __future__ import annotations

import io
import json
import math
import warnings
from dataclasses import asdict, dataclass

import PIL
from PIL import Image, ImageCms

from ..content.safepath import MAX_IMAGE_BYTES
from ..errors import InvalidInput

try:  # iPhone photos are HEIC; Pillow reads them through this plugin
    import pillow_heif
except ImportError:  # pragma: no cover - a declared dependency; keep JPEG/PNG working
    pass
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


class ImageError(InvalidInput):
    """A photo that cannot be published; `en`/`vi` say why and what to do."""


# -- decoding ----------------------------------------------------------------------------
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


def check_photo(data: bytes, name: str, settings: Settings | None = None) -> None:
    """Raise ImageError unless `data` is a photo the build accepts (format, pixels),
    reading only its header: serve's web form checks an upload before saving it."""
    _open(data, name, settings or DEFAULT_SETTINGS)


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
class Output:
    """One file made from a photo, before the cache (images/photos.py) names and stores it."""

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


def render(data: bytes, name: str, settings: Settings
           ) -> tuple[tuple[int, int], list[Output]]:
    """The photo's upright full size and every output made from it, as bytes; raises
    ImageError for a photo that cannot be published."""
    image, full = _decode(data, name, settings)
    fw, fh = full
    outputs: list[Output] = []

    def emit(role: str, picture: Image.Image) -> None:
        for mime in (WEBP, JPEG):
            outputs.append(Output(role, picture.width, picture.height, mime,
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
    for thumb in thumbs[1:]:
        previous = previous.resize((thumb, thumb), _LANCZOS, reducing_gap=_REDUCING_GAP)
        emit("thumb", previous)

    sw, sh = settings.social_size
    cw: float
    ch: float
    if fw * sh > fh * sw:
        cw, ch = fh * sw / sh, fh
    else:
        cw, ch = fw, fw * sh / sw
    box = ((fw - cw) / 2, (fh - ch) / 2, (fw + cw) / 2, (fh + ch) / 2)
    tw = min(sw, math.floor(cw))
    social = _cover(made, full, box, (tw, max(1, round(tw * sh / sw))))
    outputs.append(Output("social", social.width, social.height, JPEG,
                          _encode(social, JPEG, settings)))
    return full, outputs
