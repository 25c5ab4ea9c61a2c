"""QR codes: every shipped code and hundreds of generated ones are rasterised (cairosvg)
and decoded (zxing-cpp's reader) back to their URL; the symbol is the one zint makes when
it chooses the mask itself, whose penalty a plain module-by-module scorer (ISO/IEC 18004
7.8.3, as zint applies it) finds the lowest of the eight; level and format information
as the standard has them; the SVG draws exactly the symbol, the same bytes in any process."""
from __future__ import annotations

import functools
import io
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import cairosvg
import pytest
import zxingcpp
from PIL import Image

from ocop_site.outputs import qr

from ..conftest import REPO
from .conftest import Built
from .pagedata import parse

SVG_NS = "{http://www.w3.org/2000/svg}"


def decode_svg(svg: bytes, size: int = 400) -> list[tuple[str, str]]:
    png = cairosvg.svg2png(bytestring=svg, output_width=size, output_height=size)
    image = Image.open(io.BytesIO(png)).convert("L")
    return [(result.text, result.format.name) for result in zxingcpp.read_barcodes(image)]


def test_every_qr_code_decodes_to_its_product_page(built: Built) -> None:
    assert built.catalogue.products
    for product in built.catalogue.products:
        page_url = built.config.absolute(f"san-pham/{product.slug}/")
        svg = (built.root / f"san-pham/{product.slug}/qr.svg").read_bytes()
        assert decode_svg(svg) == [(page_url, "QRCode")], product.slug  # never Micro QR
        assert built.file_for(page_url).is_file()


def test_english_codes_open_the_english_pages(sample: Built) -> None:
    shipped = sorted(sample.root.glob("en/san-pham/*/qr.svg"))
    assert len(shipped) == len(sample.catalogue.products)
    for path in shipped:
        page_url = sample.config.absolute(f"en/san-pham/{path.parent.name}/")
        assert decode_svg(path.read_bytes()) == [(page_url, "QRCode")]
        assert sample.file_for(page_url).is_file()


def test_product_page_shows_its_qr_code(small: Built) -> None:
    page = parse(small.page("san-pham/che-xanh-dong-thinh/index.html"))
    [qr_image] = [img for img in page.images if img["src"].endswith("qr.svg")]
    assert (small.root / "san-pham/che-xanh-dong-thinh" / qr_image["src"]).is_file()
    assert qr_image["alt"]


def test_qr_codes_exist_only_for_published_products(small: Built) -> None:
    shipped = sorted(p.parent.name for p in small.root.glob("san-pham/*/qr.svg"))
    assert shipped == sorted(p.slug for p in small.catalogue.products)
    assert "banh-nhap" not in shipped  # the draft


def test_shipped_codes_are_exactly_what_encoding_gives(small: Built) -> None:
    """Codes come from the output cache on later builds: the bytes are the encoder's."""
    for product in small.catalogue.products:
        url = small.config.absolute(f"san-pham/{product.slug}/")
        shipped = (small.root / f"san-pham/{product.slug}/qr.svg").read_bytes()
        assert shipped == qr.qr_svg(url, f"Mã QR: {product.name}")


# --- Generated URLs

WORDS = ("che", "xanh", "dong", "thinh", "mat", "ong", "hoa", "ban", "nuoc", "mam", "phu",
         "quoc", "gao", "st25", "ca", "phe", "buon", "ma", "thuot", "banh", "pia", "soc",
         "trang", "nem", "chua", "tuong", "ot", "thai", "nguyen", "hai", "duong", "1234")
UNICODE_WORDS = ("chè", "mắm", "Phú", "Quốc", "gạo", "bánh", "pía", "Đồng", "Thịnh", "nước")
HOSTS = ("https://ocop.example.org", "https://ocop-thai-nguyen.vn", "http://a.vn",
         "https://www.ocop.hai-duong.gov.vn")


@functools.cache
def varied_urls() -> tuple[str, ...]:
    """320 product-page URLs in both languages, 12 to ~200 characters (QR versions 1 to
    10), a few with Vietnamese letters or in capitals (other encoding modes), and four of
    400 to 1,300 (versions 14 to 27)."""
    rng = random.Random(18004)
    urls = ["http://a.vn", "https://a.vn/", "HTTPS://OCOP.VN/SAN-PHAM/CHE-XANH/",
            "https://ocop.example.org/san-pham/che-xanh-dong-thinh-1234/",
            "https://ocop.example.org/en/san-pham/che-xanh-dong-thinh-1234/",
            "https://ocop.example.org/sản-phẩm/chè-xanh-đồng-thịnh/"]
    while len(urls) < 316:
        words = UNICODE_WORDS + WORDS if rng.random() < 0.1 else WORDS
        length = rng.randrange(12, 200)
        url = rng.choice(HOSTS) + rng.choice(("/san-pham/", "/en/san-pham/", "/vi/"))
        while len(url) < length:
            url += rng.choice(words) + "-"
        url = url[:length].rstrip("-") + f"-{rng.randrange(10000)}/"
        urls.append(url.upper() if rng.random() < 0.05 else url)  # alphanumeric mode
    urls += [HOSTS[0] + "/san-pham/" + "-".join(rng.choice(WORDS) for _ in range(words)) + "/"
             for words in (90, 140, 180, 300)]
    return tuple(urls)


@functools.cache
def symbol(url: str) -> qr.Symbol:
    return qr.encode(url)


def version(code: qr.Symbol) -> int:
    return (code.size - 17) // 4


def zint_symbol(url: str, version: int, level: str, mask: int | None = None) -> bytes:
    """zint's own symbol, choosing the mask itself unless `mask` is given (1: dark)."""
    options = {} if mask is None else {"data_mask": mask}
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, version=version,
                                   ec_level=level, **options)
    image = code.to_image(add_quiet_zones=False)
    assert image.shape == (17 + 4 * version,) * 2
    pixels = bytes(memoryview(image))
    assert set(pixels) <= {0, 255}
    return bytes(pixel == 0 for pixel in pixels)


def test_varied_urls_cover_small_and_large_versions() -> None:
    versions = {version(symbol(url)) for url in varied_urls()}
    assert len(varied_urls()) >= 300
    assert set(range(1, 11)) <= versions and max(versions) >= 25, versions


def test_generated_codes_decode_to_their_url() -> None:
    for url in varied_urls():
        code = symbol(url)
        svg = qr.qr_svg(url, "Mã QR")
        assert decode_svg(svg, size=4 * (code.size + 2 * qr.BORDER)) == [(url, "QRCode")], url


def fits(url: str, version: int, level: str) -> bool:
    try:
        zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, version=version,
                                ec_level=level, data_mask=0)
    except ValueError:
        return False
    return True


def test_symbol_is_the_one_zint_makes_choosing_the_mask() -> None:
    """The smallest version for level M, the highest level that fits there, and then the
    very symbol zint encodes when it chooses the mask by itself."""
    higher = {"M": "Q", "Q": "H"}
    for url in varied_urls():
        code = symbol(url)
        assert code.level in ("M", "Q", "H"), url
        assert version(code) == 1 or not fits(url, version(code) - 1, "M"), url
        assert code.level == "H" or not fits(url, version(code), higher[code.level]), url
        assert code.modules == zint_symbol(url, version(code), code.level), url


def plain_penalty(modules: bytes, n: int) -> int:
    """ISO/IEC 18004:2015 7.8.3.1 on a whole symbol, as zint's qr_evaluate applies it:
    rows and columns for N1 and N3, outside the symbol light for N3."""
    score = 0
    rows = [modules[at:at + n] for at in range(0, n * n, n)]
    for line in rows + [modules[j::n] for j in range(n)]:
        score += sum(len(run) - 2 for run in re.findall(rb"\x00{5,}|\x01{5,}", line))
        padded = b"\0" * 4 + line + b"\0" * 4
        for found in re.finditer(rb"(?=\x01\x00\x01\x01\x01\x00\x01)", padded):
            at = found.start()
            if padded[at - 4:at] == b"\0" * 4 or padded[at + 7:at + 11] == b"\0" * 4:
                score += 40
    for above, below in zip(rows, rows[1:]):
        for j in range(n - 1):
            score += 3 * (above[j] == above[j + 1] == below[j] == below[j + 1])
    percent = 100.0 * sum(modules) / (n * n)
    return score + 10 * int(abs(percent - 50.0) / 5.0)


def test_chosen_mask_has_the_lowest_penalty_of_the_eight() -> None:
    """zint encodes each of the eight masks; the plain scorer finds the chosen one the
    first of the lowest, and qr.penalties gives the plain scorer's eight numbers."""
    for url in varied_urls()[::3] + varied_urls()[-4:]:
        code = symbol(url)
        masked = [zint_symbol(url, version(code), code.level, mask) for mask in range(8)]
        scores = [plain_penalty(modules, code.size) for modules in masked]
        assert code.mask == scores.index(min(scores)), (url, scores)
        assert code.modules == masked[code.mask], url
        assert qr.penalties(masked[0], code.size) == scores, url


FORMAT_LEVEL_BITS = {"L": 0b01, "M": 0b00, "Q": 0b11, "H": 0b10}


def format_information(level: str, mask: int) -> int:
    """ISO/IEC 18004 7.9.1: 5 data bits, 10 BCH bits (generator 0x537), XOR 0x5412."""
    data = FORMAT_LEVEL_BITS[level] << 3 | mask
    remainder = data << 10
    for bit in range(14, 9, -1):
        if remainder >> bit & 1:
            remainder ^= 0x537 << (bit - 10)
    return (data << 10 | remainder) ^ 0x5412


def test_format_information_names_the_mask_and_level() -> None:
    """Both copies of the format information, read from the symbol (bit 14 first), say
    the chosen mask and level, so every reader unmasks it right."""
    for url in varied_urls()[::10]:
        code = symbol(url)
        n, m = code.size, code.modules

        def module(row: int, col: int) -> int:
            return m[row * n + col]
        around_finder = ([module(8, col) for col in (0, 1, 2, 3, 4, 5, 7, 8)]
                         + [module(row, 8) for row in (7, 5, 4, 3, 2, 1, 0)])
        split = ([module(row, 8) for row in range(n - 1, n - 8, -1)]
                 + [module(8, col) for col in range(n - 8, n)])
        expected = format(format_information(code.level, code.mask), "015b")
        assert "".join(map(str, around_finder)) == expected, url
        assert "".join(map(str, split)) == expected, url
        assert module(n - 8, 8) == 1  # the dark module


def drawn_modules(svg: bytes) -> tuple[int, bytes]:
    """Reads the SVG's stroke path back into modules (a stroke at y + .5 covers row y)."""
    root = ET.fromstring(svg)
    size = int(root.get("viewBox").split()[2]) // qr.MODULE_PX
    n = size - 2 * qr.BORDER
    [background, strokes] = root.iter(f"{SVG_NS}path")
    assert background.get("fill") == "#fff"
    assert background.get("d") == f"M0 0h{size}v{size}h-{size}z"
    assert strokes.get("stroke") == "#000"
    grid = bytearray(n * n)
    x = y = 0.0
    for command, dx, dy in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", strokes.get("d")):
        if command == "h":
            row, start = int(y - qr.BORDER), int(x - qr.BORDER)
            assert 0 <= row < n and 0 <= start and start + int(dx) <= n
            grid[row * n + start:row * n + start + int(dx)] = b"\1" * int(dx)
            x += int(dx)
        elif command == "M":
            x, y = float(dx), float(dy)
        else:
            x, y = x + float(dx), y + float(dy)
    return n, bytes(grid)


def test_svg_draws_exactly_the_symbol_inside_a_quiet_zone() -> None:
    for url in varied_urls()[::8]:
        code = symbol(url)
        svg = qr.qr_svg(url, "Mã QR")
        assert drawn_modules(svg) == (code.size, code.modules), url
        root = ET.fromstring(svg)
        side = (code.size + 2 * qr.BORDER) * qr.MODULE_PX
        assert root.get("viewBox") == f"0 0 {side} {side}" and root.get("class") == "qr"
        assert svg.startswith(b"<svg ") and svg.endswith(b"</svg>\n")  # no XML declaration


@pytest.mark.parametrize("name", ['<Bánh & "pía">', "Chè 'Đồng Thịnh' & <b>x</b>"])
def test_title_is_escaped_text(name: str) -> None:
    svg = qr.qr_svg("https://ocop.example.org/san-pham/banh-pia/", f"Mã QR: {name}")
    title = ET.fromstring(svg).find(f"{SVG_NS}title")
    assert title is not None and title.text == f"Mã QR: {name}"
    assert list(title) == []  # no element smuggled in
    assert b"<b>" not in svg and "&lt;".encode() in svg and b"&amp;" in svg


def test_same_url_and_title_same_bytes_in_another_process() -> None:
    urls = varied_urls()[::40]
    script = ("import sys; from ocop_site.outputs import qr; sys.stdout.buffer.write("
              "b''.join(qr.qr_svg(u, 'Mã QR: Chè') for u in sys.argv[1:]))")
    for seed in ("0", "12345"):
        other = subprocess.run([sys.executable, "-c", script, *urls], cwd=REPO, check=True,
                               capture_output=True, env={"PYTHONHASHSEED": seed}).stdout
        assert other == b"".join(qr.qr_svg(url, "Mã QR: Chè") for url in urls)
