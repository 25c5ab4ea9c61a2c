"""The photo pipeline (ocop_site/images.py), run through the real loader and builder on a
copy of the fixture site: real files in, real files out, opened again with Pillow."""
from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, ImageCms, ImageFile

from ocop_site.pipeline import builder
from ocop_site import cli
from ocop_site.images import photos as images
from ocop_site.content.safepath import MAX_IMAGE_BYTES
from ocop_site.errors import ContentErrors

from .conftest import REPO, TODAY

PRODUCT = "content/products/che-xanh-dong-thinh.md"
PHOTO = "images/che.jpg"  # as written in PRODUCT's front-matter


# -- helpers -------------------------------------------------------------------------
def photo_line(site: Path) -> int:
    """The line of PRODUCT that names the photo (where errors must point)."""
    lines = (site / PRODUCT).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if PHOTO in line)


def use_photo(site: Path, written: str) -> None:
    """Make PRODUCT name `written` instead of its photo."""
    path = site / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace(PHOTO, written),
                    encoding="utf-8")


def put_photo(site: Path, name: str, data: bytes) -> Path:
    """Save `data` as content/products/images/<name> and make PRODUCT show it."""
    target = site / "content" / "products" / "images" / name
    target.write_bytes(data)
    if name != "che.jpg":
        use_photo(site, f"images/{name}")
    return target


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def quadrants(size: tuple[int, int]) -> Image.Image:
    """Red top-left quarter on grey: shows where the picture's corner ended up."""
    picture = Image.new("RGB", size, (128, 128, 128))
    picture.paste((255, 0, 0), (0, 0, size[0] // 2, size[1] // 2))
    return picture


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (21.0, 18.0, 43.2)
    gps[3], gps[4] = "E", (105.0, 25.0, 7.9)
    return exif


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
       b'exif:GPSLatitude="21,18.72N"/></rdf:RDF></x:xmpmeta>')


def expect_error(site: Path, tmp_path: Path, line: int, phrase: str) -> None:
    """The build fails with exactly one images error at PRODUCT:line, writing nothing."""
    out = tmp_path / "public"
    with pytest.raises(ContentErrors) as caught:
        builder.build(site, out, today=TODAY)
    errors = [(e.path, e.line, e.field) for e in caught.value.errors]
    assert errors == [(PRODUCT, line, "images")], caught.value
    error = caught.value.errors[0]
    assert phrase in error.message_en, error.format()
    assert error.message_vi and error.message_vi != error.message_en
    assert error.format().startswith(f"{PRODUCT}:{line}: images: ")
    assert not out.exists(), "a failed build must write nothing"


def image_files(out: Path) -> list[Path]:
    files = sorted((out / "img").iterdir())
    assert files, "the build published no image"
    return files


def build(site: Path, tmp_path: Path, name: str = "public") -> Path:
    out = tmp_path / name
    builder.build(site, out, today=TODAY)
    return out


def processed(site: Path) -> dict[Path, images.ProcessedImage]:
    """What the build made of each photo (from the warm cache, so this is cheap)."""
    config, catalogue, _warnings = builder.load(site, today=TODAY)
    return builder._process_images(config, catalogue)


def the_photo(site: Path, name: str) -> images.ProcessedImage:
    found = processed(site)
    source = (site / "content" / "products" / "images" / name).resolve()
    return found[source]


# -- bad input: each case through the real loader and builder --------------------------
def test_missing_photo(site: Path, tmp_path: Path) -> None:
    line = photo_line(site)
    use_photo(site, "images/khong-co.jpg")
    expect_error(site, tmp_path, line, "'images/khong-co.jpg' not found")


@pytest.mark.parametrize("written", ["../../../../../../etc/passwd", "../../site.yaml"])
def test_path_leaving_the_content_folder(site: Path, tmp_path: Path, written: str) -> None:
    line = photo_line(site)
    use_photo(site, written)
    expect_error(site, tmp_path, line, "points outside the content folder")


def test_absolute_path(site: Path, tmp_path: Path) -> None:
    line = photo_line(site)
    use_photo(site, "/etc/passwd")
    expect_error(site, tmp_path, line, "is an absolute path")


def test_symlink_pointing_out(site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(encode(quadrants((64, 48)), "JPEG"))
    link = site / "content" / "products" / "images" / "link.jpg"
    link.symlink_to(outside)
    line = photo_line(site)
    use_photo(site, "images/link.jpg")
    expect_error(site, tmp_path, line, "points outside the content folder")


def test_oversized_file(site: Path, tmp_path: Path) -> None:
    line = photo_line(site)
    big = site / "content" / "products" / "images" / "big.jpg"
    with open(big, "wb") as handle:  # sparse: the size is what matters, not the bytes
        handle.truncate(MAX_IMAGE_BYTES + 1)
    use_photo(site, "images/big.jpg")
    expect_error(site, tmp_path, line, f"the limit is {MAX_IMAGE_BYTES:,}")


def test_truncated_jpeg(site: Path, tmp_path: Path) -> None:
    line = photo_line(site)
    whole = encode(quadrants((640, 480)), "JPEG", quality=90)
    put_photo(site, "cut.jpg", whole[: len(whole) // 2])
    expect_error(site, tmp_path, line, "'cut.jpg' is damaged or incomplete")


def test_corrupt_png(site: Path, tmp_path: Path) -> None:
    data = bytearray(encode(quadrants((64, 48)), "PNG"))
    start = data.index(b"IDAT") + 4
    data[start:start + 16] = b"\xff" * 16  # the compressed pixels no longer inflate
    line = photo_line(site)
    put_photo(site, "hong.png", bytes(data))
    expect_error(site, tmp_path, line, "'hong.png' is damaged or incomplete")


@pytest.mark.parametrize("data", [
    "Đây là văn bản, không phải ảnh.\n".encode(),
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n",
    encode(quadrants((32, 24)), "BMP"),  # an image, but not a format cameras send
], ids=["text", "pdf", "bmp"])
def test_not_an_image(site: Path, tmp_path: Path, data: bytes) -> None:
    line = photo_line(site)
    put_photo(site, "van-ban.jpg", data)
    expect_error(site, tmp_path, line, "is not a JPEG, PNG, WebP or HEIC photo")


def test_decompression_bomb(site: Path, tmp_path: Path, monkeypatch) -> None:
    # 60 megapixels of nothing: a few KB on disk, 180 MB once decoded
    bomb = encode(Image.new("1", (10_000, 6_000)), "PNG")
    assert len(bomb) < 100_000
    decoded: list[str] = []  # observation hook: count decodes, then decode as usual
    load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load",
                        lambda self: decoded.append("x") or load(self))
    line = photo_line(site)
    put_photo(site, "bom.png", bomb)
    expect_error(site, tmp_path, line, "10000×6000 pixels; the limit is 50 megapixels")
    assert not decoded, "refused from the header, before decoding"


def test_bad_photo_named_twice_is_reported_at_both_places(site: Path, tmp_path: Path
                                                           ) -> None:
    put_photo(site, "che.jpg", b"not a photo")
    other = site / "content" / "producers" / "htx-che-dong-thinh.md"
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("---\n", "---\nimage: ../products/images/che.jpg\n", 1),
                     encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        builder.build(site, tmp_path / "public", today=TODAY)
    assert [(e.path, e.line, e.field) for e in caught.value.errors] == [
        ("content/producers/htx-che-dong-thinh.md", 2, "images"),
        (PRODUCT, photo_line(site), "images")]


def test_bad_commune_photo_names_its_line(site: Path, tmp_path: Path) -> None:
    communes = site / "content" / "data" / "communes.yaml"
    text = communes.read_text(encoding="utf-8")
    communes.write_text(text.replace("    description: Xã thử nghiệm.\n",
                                     "    description: Xã thử nghiệm.\n"
                                     "    image: communes/song-lo.jpg\n", 1),
                        encoding="utf-8")
    (site / "content" / "communes").mkdir()
    (site / "content" / "communes" / "song-lo.jpg").write_bytes(b"<html>not a photo</html>")
    line = communes.read_text(encoding="utf-8").splitlines().index(
        "    image: communes/song-lo.jpg") + 1
    with pytest.raises(ContentErrors) as caught:
        builder.build(site, tmp_path / "public", today=TODAY)
    assert [(e.path, e.line, e.field) for e in caught.value.errors] == [
        ("content/data/communes.yaml", line, "images")]


def test_check_reports_image_errors(site: Path) -> None:
    line = photo_line(site)
    put_photo(site, "che.jpg", b"not a photo")
    with pytest.raises(ContentErrors) as caught:
        builder.check(site, today=TODAY)
    assert [(e.path, e.line, e.field) for e in caught.value.errors] == [
        (PRODUCT, line, "images")]
    run = subprocess.run([sys.executable, "build.py", "check", "--source", str(site)],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == cli.EXIT_CONTENT
    assert f"{PRODUCT}:{line}: images: 'che.jpg' is not a JPEG" in run.stderr


def test_byte_limit_is_enforced_by_the_pipeline_too(tmp_path: Path) -> None:
    # the loader checks sizes first; the pipeline re-checks what it actually reads
    photo = tmp_path / "a.jpg"
    photo.write_bytes(encode(quadrants((64, 48)), "JPEG"))
    found, errors = images.process_all([(photo, "x.md", 3)], tmp_path / "cache",
                                       images.Settings(max_bytes=100))
    assert not found
    assert [(e.path, e.line, e.field) for e in errors] == [("x.md", 3, "images")]
    assert "the limit is 100" in errors[0].message_en


# -- what comes out --------------------------------------------------------------------
def test_exif_orientation_is_applied(site: Path, tmp_path: Path) -> None:
    # stored 640×480 with orientation 6: shown rotated 90° clockwise, 480×640
    put_photo(site, "xoay.jpg", encode(quadrants((640, 480)), "JPEG", quality=95,
                                       exif=gps_exif(orientation=6).tobytes()))
    out = build(site, tmp_path)
    photo = the_photo(site, "xoay.jpg")
    assert (photo.width, photo.height) == (480, 640)
    for variant in photo.variants:
        with Image.open(out / variant.url) as picture:
            assert picture.size == (variant.width, variant.height)
            assert picture.height > picture.width
            rgb = picture.convert("RGB")
            w, h = rgb.size
            # the stored top-left corner is now the top-right one
            red, green, _ = rgb.getpixel((w * 3 // 4, h // 4))
            assert red > 200 and green < 60
            assert rgb.getpixel((w // 4, h // 4))[0] < 180


def assert_no_metadata(path: Path) -> None:
    raw = path.read_bytes()
    # long markers only: a short one ("GPS") turns up in compressed pixels by chance
    for marker in (b"Exif\x00\x00", b"PhoneMaker", b"xmpmeta", b"ns.adobe.com",
                   b"ICC_PROFILE"):
        assert marker not in raw, f"{path.name} contains {marker!r}"
    with Image.open(path) as picture:
        assert not picture.getexif(), path.name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile"} & set(picture.info), \
            (path.name, picture.info.keys())


def test_all_metadata_is_stripped(site: Path, tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    put_photo(site, "che.jpg", encode(quadrants((1800, 1200)), "JPEG", quality=90,
                                      exif=gps_exif().tobytes(), xmp=XMP, icc_profile=srgb))
    source = site / "content" / "products" / "images" / "che.jpg"
    with Image.open(source) as check:  # the test photo really carries all of it
        assert check.getexif().get_ifd(0x8825) and "xmp" in check.info
    out = build(site, tmp_path)
    files = image_files(out)
    assert len(files) == 13  # 4 widths + 2 thumbnails, WebP and JPEG each, + social
    for path in files:
        assert_no_metadata(path)


def test_heic_is_accepted_and_stripped(site: Path, tmp_path: Path) -> None:
    heic = encode(quadrants((800, 600)), "HEIF", quality=80, exif=gps_exif().tobytes())
    assert heic[4:12] == b"ftypheic"
    put_photo(site, "iphone.heic", heic)
    out = build(site, tmp_path)
    photo = the_photo(site, "iphone.heic")
    assert (photo.width, photo.height) == (800, 600)
    assert [v.width for v in photo.webp] == [320, 640, 800]
    for path in image_files(out):
        assert_no_metadata(path)
        with Image.open(path) as picture:
            assert picture.format in ("WEBP", "JPEG")


def test_png_transparency_is_kept_in_webp(site: Path, tmp_path: Path) -> None:
    logo = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (100, 75, 300, 225))
    put_photo(site, "logo.png", encode(logo, "PNG"))
    out = build(site, tmp_path)
    photo = the_photo(site, "logo.png")
    for variant in photo.files:
        with Image.open(out / variant.url) as picture:
            corner = picture.convert("RGBA").getpixel((0, 0))
            middle = picture.convert("RGBA").getpixel((picture.width // 2,
                                                       picture.height // 2))
            if variant.mime == images.WEBP:
                assert picture.mode == "RGBA"
                assert corner[3] == 0 and middle[3] == 255
            else:  # JPEG has no alpha: flattened on white
                assert picture.mode == "RGB"
                assert min(corner[:3]) >= 245
            assert middle[0] > 150 and middle[1] < 80


def icc_profile(primaries: dict[str, tuple[float, float, float]], name: str) -> bytes:
    """A minimal ICC v2 RGB matrix/TRC display profile (gamma 2.2, D50 white)."""
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(values) -> bytes:
        return b"XYZ \0\0\0\0" + b"".join(s15(v) for v in values)

    ascii_name = name.encode() + b"\0"
    tags = {
        b"desc": b"desc\0\0\0\0" + struct.pack(">I", len(ascii_name)) + ascii_name
                 + b"\0" * 4 + b"\0" * 4 + b"\0" * 3 + b"\0" * 67,
        b"cprt": b"text\0\0\0\0" + b"No copyright\0",
        b"wtpt": xyz((0.9642, 1.0, 0.8249)),
        b"rXYZ": xyz(primaries["r"]), b"gXYZ": xyz(primaries["g"]),
        b"bXYZ": xyz(primaries["b"]),
    }
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"
    tags.update({b"rTRC": curve, b"gTRC": curve, b"bTRC": curve})
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags.items():
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"\0" * 4 + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


SRGB_D50 = {"r": (0.4361, 0.2225, 0.0139), "g": (0.3851, 0.7169, 0.0971),
            "b": (0.1431, 0.0606, 0.7141)}


def test_colours_are_converted_to_srgb(site: Path, tmp_path: Path) -> None:
    # a profile whose "red" channel is sRGB's blue: correct conversion turns red to blue
    swapped = icc_profile({"r": SRGB_D50["b"], "g": SRGB_D50["g"], "b": SRGB_D50["r"]},
                          "Swapped primaries")
    ImageCms.ImageCmsProfile(io.BytesIO(swapped))  # a valid profile for littlecms
    put_photo(site, "mau.png", encode(Image.new("RGB", (64, 48), (255, 0, 0)), "PNG",
                                      icc_profile=swapped))
    out = build(site, tmp_path)
    for variant in the_photo(site, "mau.png").files:
        with Image.open(out / variant.url) as picture:
            red, green, blue = picture.convert("RGB").getpixel((picture.width // 2,
                                                                 picture.height // 2))
            assert blue > 200 and red < 60 and green < 60, (variant.url, red, green, blue)
            assert "icc_profile" not in picture.info


def test_srgb_photos_keep_their_colours(site: Path, tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    put_photo(site, "mau.png", encode(Image.new("RGB", (64, 48), (255, 0, 0)), "PNG",
                                      icc_profile=srgb))
    out = build(site, tmp_path)
    with Image.open(out / the_photo(site, "mau.png").fallback.url) as picture:
        red, green, blue = picture.convert("RGB").getpixel((32, 24))
        assert red > 240 and green < 20 and blue < 20


def _palette_with_hole() -> Image.Image:
    picture = Image.new("P", (64, 48), 1)
    picture.putpalette([0, 0, 0, 255, 0, 0])
    picture.paste(0, (0, 0, 32, 48))
    return picture


@pytest.mark.parametrize("picture, fmt, options, middle, alpha", [
    (Image.new("I;16", (64, 48), 40_000), "PNG", {}, (156, 156, 156), False),  # 16-bit
    (Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG", {}, (255, 0, 0), False),
    # half see-through grey 100: the JPEG shows it over white, 100 + (255 - 100) / 2
    (Image.new("LA", (64, 48), (100, 128)), "PNG", {}, (100, 100, 100), True),
    (_palette_with_hole(), "PNG", {"transparency": 0}, (255, 0, 0), True),
], ids=["grey-16-bit", "cmyk", "grey-alpha", "palette-transparent"])
def test_unusual_pixel_formats(tmp_path: Path, picture: Image.Image, fmt: str,
                               options: dict, middle: tuple, alpha: bool) -> None:
    source = tmp_path / f"anh.{fmt.lower()}"
    source.write_bytes(encode(picture, fmt, **options))
    found, errors = images.process_all([(source, "x.md", 1)], tmp_path / "cache")
    assert not errors
    for variant in found[source].variants:
        with Image.open(images.cached_file(tmp_path / "cache", variant)) as out:
            x, y = out.width * 3 // 4, out.height // 2
            pixel = out.convert("RGB").getpixel((x, y))
            expected = middle
            if alpha and variant.mime == images.JPEG:
                opacity = picture.convert("RGBA").getpixel((48, 24))[3] / 255
                expected = tuple(round(c * opacity + 255 * (1 - opacity)) for c in middle)
            assert all(abs(a - b) <= 12 for a, b in zip(pixel, expected)), (variant, pixel)
            assert out.mode == ("RGBA" if alpha and variant.mime == images.WEBP else "RGB")


def test_never_upscaled(site: Path, tmp_path: Path) -> None:
    put_photo(site, "nho.jpg", encode(quadrants((500, 375)), "JPEG", quality=90))
    out = build(site, tmp_path)
    photo = the_photo(site, "nho.jpg")
    assert [v.width for v in photo.webp] == [v.width for v in photo.jpeg] == [320, 500]
    assert (photo.width, photo.height) == (500, 375)
    assert [v.width for v in photo.thumb.webp] == [200, 375]
    assert (photo.social.width, photo.social.height) == (500, 262)
    for variant in photo.files:
        with Image.open(out / variant.url) as picture:
            assert picture.size == (variant.width, variant.height)
            assert picture.width <= 500 and picture.height <= 375


def test_widths_thumbnail_and_social_image(site: Path, tmp_path: Path) -> None:
    put_photo(site, "lon.jpg", encode(quadrants((2400, 1800)), "JPEG", quality=90))
    out = build(site, tmp_path)
    photo = the_photo(site, "lon.jpg")
    assert [(v.width, v.height) for v in photo.webp] == [
        (320, 240), (640, 480), (1024, 768), (1600, 1200)]
    assert [(v.width, v.height) for v in photo.jpeg] == [
        (320, 240), (640, 480), (1024, 768), (1600, 1200)]
    assert photo.fallback == photo.jpeg[-1]
    assert [(v.width, v.height, v.mime) for v in photo.thumb.variants] == [
        (200, 200, images.JPEG), (200, 200, images.WEBP),
        (400, 400, images.JPEG), (400, 400, images.WEBP)]
    assert (photo.social.width, photo.social.height, photo.social.mime) == (
        1200, 630, images.JPEG)
    for variant in photo.files:
        data = (out / variant.url).read_bytes()
        # the name carries a hash of the bytes: safe to cache forever
        assert hashlib.sha256(data).hexdigest()[:10] in variant.url
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == (variant.width, variant.height)
            assert picture.format == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[
                variant.mime]


def test_parallel_processing_matches_in_process(tmp_path: Path) -> None:
    sources = []
    for index in range(3):
        path = tmp_path / f"anh-{index}.jpg"
        path.write_bytes(encode(quadrants((700 + 100 * index, 500)), "JPEG"))
        sources.append((path, "x.md", index + 1))
    parallel, errors = images.process_all(sources, tmp_path / "a", workers=2)
    assert not errors
    serial, errors = images.process_all(sources, tmp_path / "b", workers=1)
    assert not errors
    assert parallel == serial
    assert [parallel[p].width for p, _, _ in sources] == [700, 800, 900]


# -- the cache -------------------------------------------------------------------------
def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_warm_build_opens_no_photo(site: Path, tmp_path: Path, monkeypatch) -> None:
    put_photo(site, "che.jpg", encode(quadrants((1200, 900)), "JPEG", exif=gps_exif(6)
                                      .tobytes()))
    out = build(site, tmp_path)
    cache = builder.image_cache_dir(builder.load(site, today=TODAY)[0])
    before, published = snapshot(cache), snapshot(out / "img")
    assert any(name.startswith("manifests/") for name in before)

    # observation hooks only: count, then do exactly what the real functions do
    opened, read = [], []
    real_open, real_read = Image.open, images._read
    monkeypatch.setattr(Image, "open",
                        lambda *a, **k: opened.append(a) or real_open(*a, **k))
    monkeypatch.setattr(images, "_read", lambda *a, **k: read.append(a) or real_read(*a, **k))

    builder.build(site, out, today=TODAY)
    assert opened == [] and read == [], "a warm build decodes and reads no photo"
    assert snapshot(cache) == before, "no cache file written or rewritten"
    assert snapshot(out / "img") == published

    # touched but unchanged bytes: hashed again (read), still not decoded
    photo = site / "content" / "products" / "images" / "che.jpg"
    os.utime(photo, ns=(photo.stat().st_atime_ns, photo.stat().st_mtime_ns + 10**9))
    builder.build(site, out, today=TODAY)
    assert opened == [] and len(read) == 1
    assert snapshot(out / "img") == published

    # new bytes: processed, and published under new names
    photo.write_bytes(encode(quadrants((1000, 900)), "JPEG"))
    builder.build(site, out, today=TODAY)
    assert len(opened) == 1
    assert set(snapshot(out / "img")).isdisjoint(published)


def test_deleted_cache_file_is_made_again(site: Path, tmp_path: Path) -> None:
    out = build(site, tmp_path)
    cache = builder.image_cache_dir(builder.load(site, today=TODAY)[0])
    victim = sorted((cache / "files").iterdir())[0]
    victim.unlink()
    build(site, tmp_path, "again")
    assert victim.is_file()
    assert snapshot(out / "img").keys() == snapshot(tmp_path / "again" / "img").keys()


def test_cache_key_covers_the_parameters(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(encode(quadrants((900, 600)), "JPEG"))
    cache = tmp_path / "cache"
    first, _ = images.process_all([(photo, "x.md", 1)], cache)
    other, _ = images.process_all([(photo, "x.md", 1)], cache,
                                  images.Settings(webp_quality=50))
    assert first[photo].webp != other[photo].webp
    assert first[photo].webp[-1].url != other[photo].webp[-1].url


# -- pages -----------------------------------------------------------------------------
class Pictures(HTMLParser):
    """Collects each <picture>'s <source> and <img> attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.pictures: list[dict] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "picture":
            self.pictures.append({"sources": [], "img": None})
            self.inside = True
        elif tag == "source" and self.inside:
            self.pictures[-1]["sources"].append(dict(attrs))
        elif tag == "img" and self.inside:
            self.pictures[-1]["img"] = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self.inside = False


def pictures(page: Path) -> list[dict]:
    parser = Pictures()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.pictures


def check_srcset(page: Path, srcset: str, fmt: str) -> None:
    """Every candidate exists, is of the format, and is as wide as it says."""
    for candidate in srcset.split(", "):
        url, width = candidate.split(" ")
        with Image.open((page.parent / url).resolve()) as picture:
            assert picture.format == fmt and f"{picture.width}w" == width, candidate


def test_product_page_serves_a_responsive_picture(site: Path, tmp_path: Path) -> None:
    out = build(site, tmp_path)
    page = out / "san-pham" / "che-xanh-dong-thinh" / "index.html"
    first = pictures(page)[0]
    (source,) = first["sources"]
    img = first["img"]
    assert source["type"] == "image/webp" and source["sizes"]
    check_srcset(page, source["srcset"], "WEBP")
    check_srcset(page, img["srcset"], "JPEG")
    assert img["sizes"] == source["sizes"]
    assert img["alt"] == "Búp chè xanh"  # from the front-matter
    assert (img["width"], img["height"]) == ("800", "600")  # the fixture photo's size
    with Image.open((page.parent / img["src"]).resolve()) as fallback:
        assert fallback.format == "JPEG" and fallback.size == (800, 600)
    assert "loading" not in img, "the first image of a page loads at once"


def test_cards_use_the_square_thumbnail_lazily(site: Path, tmp_path: Path) -> None:
    out = build(site, tmp_path)
    page = out / "index.html"
    found = pictures(page)
    assert found
    for picture in found:
        img = picture["img"]
        assert img["width"] == img["height"] == "400" and img["alt"] == ""
        assert img["loading"] == "lazy"
        check_srcset(page, picture["sources"][0]["srcset"], "WEBP")


def test_alt_defaults_to_the_product_name(site: Path, tmp_path: Path) -> None:
    path = site / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("    alt: Búp chè xanh\n", ""),
                    encoding="utf-8")
    out = build(site, tmp_path)
    img = pictures(out / "san-pham" / "che-xanh-dong-thinh" / "index.html")[0]["img"]
    assert img["alt"] == "Chè xanh Đồng Thịnh"


def test_heif_plugin_is_registered() -> None:
    assert pillow_heif.__version__ and "HEIF" in Image.OPEN
