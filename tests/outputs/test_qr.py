"""QR codes: the shipped SVG is rasterised (cairosvg) and decoded (zxing-cpp) in the test;
the mask choice and SVG writer of qr.py give exactly segno's own symbols and SVG bytes."""
from __future__ import annotations

import functools
import io
import random

import cairosvg
import pytest
import segno
import zxingcpp
from PIL import Image

from ocop_site.outputs import qr

from .conftest import Built
from .pagedata import parse


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


def test_product_page_shows_its_qr_code(small: Built) -> None:
    page = parse(small.page("san-pham/che-xanh-dong-thinh/index.html"))
    [qr] = [img for img in page.images if img["src"].endswith("qr.svg")]
    assert (small.root / "san-pham/che-xanh-dong-thinh" / qr["src"]).is_file()
    assert qr["alt"]


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


# --- qr.py's own mask choice and SVG writer against segno (issue 8)

WORDS = ("che", "xanh", "dong", "thinh", "mat", "ong", "hoa", "ban", "nuoc", "mam", "phu",
         "quoc", "gao", "st25", "ca", "phe", "buon", "ma", "thuot", "banh", "pia", "soc",
         "trang", "nem", "chua", "tuong", "ot", "thai", "nguyen", "hai", "duong", "1234")
UNICODE_WORDS = ("chè", "mắm", "Phú", "Quốc", "gạo", "bánh", "pía", "Đồng", "Thịnh", "nước")
HOSTS = ("https://ocop.example.org", "https://ocop-thai-nguyen.vn", "http://a.vn",
         "https://www.ocop.hai-duong.gov.vn")


@functools.cache
def varied_urls() -> tuple[str, ...]:
    """320 product-page URLs, 12 to ~200 characters (QR versions 1 to 10), and a few of
    400 to 900 (versions 14 to 24: 3 or 4 remainder bits after the codewords)."""
    rng = random.Random(18004)
    urls = ["http://a.vn", "https://a.vn/", "HTTPS://OCOP.VN/SAN-PHAM/CHE-XANH/",
            "https://ocop.example.org/san-pham/che-xanh-dong-thinh-1234/",
            "https://ocop.example.org/sản-phẩm/chè-xanh-đồng-thịnh/"]
    while len(urls) < 316:
        words = UNICODE_WORDS + WORDS if rng.random() < 0.1 else WORDS
        length = rng.randrange(12, 200)
        url = rng.choice(HOSTS) + rng.choice(("/san-pham/", "/en/products/", "/vi/"))
        while len(url) < length:
            url += rng.choice(words) + "-"
        url = url[:length].rstrip("-") + "/"
        urls.append(url.upper() if rng.random() < 0.05 else url)  # alphanumeric mode
    urls += [HOSTS[0] + "/san-pham/" + "-".join(rng.choice(WORDS) for _ in range(words)) + "/"
             for words in (90, 140, 180, 220)]
    return tuple(urls)


def test_varied_urls_cover_small_and_large_versions() -> None:
    versions = {segno.make_qr(url, error="m", mask=0).version for url in varied_urls()}
    assert len(varied_urls()) >= 300
    assert {1, 4, 7, 10} <= versions and max(versions) >= 20, versions


def test_mask_and_symbol_are_the_ones_segno_chooses() -> None:
    """ISO/IEC 18004 conformance as segno has it: the same lowest-penalty mask (the
    first of equals), and the very symbol segno encodes when it chooses by itself."""
    for url in varied_urls():
        code = segno.make_qr(url, error="m")
        mask, matrix = qr.encode(url)
        assert mask == code.mask, url
        assert tuple(matrix) == code.matrix, url


def test_penalties_equal_segnos_scores_of_its_eight_matrices(monkeypatch) -> None:
    """The eight matrices segno scores (before format and version information) are
    caught as it scores them; `penalties` gives the same scores from the mask-0 symbol,
    and `penalty` the same score of each caught matrix."""
    scored = []

    def evaluate_mask(matrix, width, height):
        score = real_evaluate_mask(matrix, width, height)
        scored.append(([bytes(row) for row in matrix], score))
        return score

    real_evaluate_mask = segno.encoder.evaluate_mask
    monkeypatch.setattr(segno.encoder, "evaluate_mask", evaluate_mask)
    for url in varied_urls()[::40] + varied_urls()[-2:]:
        scored.clear()
        segno.make_qr(url, error="m")
        matrix = segno.make_qr(url, error="m", mask=0).matrix
        n = len(matrix)
        scores = qr.penalties(qr._pack(matrix), qr._pack(qr._transpose(matrix)), n)
        assert scores == [score for _, score in scored], url
        for caught, score in scored:
            assert qr.penalty(qr._pack(caught), qr._pack(qr._transpose(caught)), n) == score


def test_penalty_equals_segno_on_any_matrix(monkeypatch) -> None:
    """Random matrices, some with overlapping finder-like patterns: segno does not count
    a pattern starting 4 or 6 modules after one it counted, and neither does `penalty`."""
    skipped = []

    def n3_count(found: int) -> int:
        count = real_n3_count(found)
        skipped.append(found.bit_count() - count)
        return count

    real_n3_count = qr._n3_count
    monkeypatch.setattr(qr, "_n3_count", n3_count)
    rng = random.Random(7)
    overlaps = (b"\0\0\0\0\1\0\1\1\1\0\1\1\1\0\1\0\0\0\0",  # at 4 and 8
                b"\1\0\1\1\1\0\1\0\1\1\1\0\1\0\0\0\0")  # at 0 and 6
    for trial in range(120):
        n = rng.choice((21, 25, 33, 45))
        dark = rng.choice((0.3, 0.5, 0.7))
        rows = [bytearray(rng.random() < dark for _ in range(n)) for _ in range(n)]
        if trial % 2:
            for row in rng.sample(rows, 3):
                start = rng.randrange(n - 19)
                row[start:start + 19] = overlaps[rng.randrange(2)].ljust(19, b"\0")
        score = qr.penalty(qr._pack(rows), qr._pack(qr._transpose(rows)), n)
        assert score == segno.encoder.evaluate_mask(rows, n, n), trial
    assert any(skipped)  # found patterns that segno does not count were among them


@pytest.mark.parametrize("title", ["Mã QR: Chè xanh Đồng Thịnh", 'Mã QR: <Bánh & "pía">'])
def test_svg_is_segnos_svg(title: str) -> None:
    """Same look as segno's writer: the same bytes, title escaped for XML text."""
    for url in varied_urls()[::16]:
        code = segno.make_qr(url, error="m")
        out = io.BytesIO()
        code.save(out, kind="svg", scale=qr.MODULE_PX, border=qr.BORDER, dark="#000",
                  light="#fff", xmldecl=False, omitsize=True, title=title, svgclass="qr",
                  lineclass=None)
        assert qr.qr_svg(url, title) == out.getvalue(), url
    assert b"<title>M\xc3\xa3 QR: &lt;B\xc3\xa1nh &amp; \"p\xc3\xada\"&gt;</title>" \
        in qr.qr_svg("https://a.vn/", 'Mã QR: <Bánh & "pía">')


def test_generated_codes_decode_to_their_url() -> None:
    urls = varied_urls()[::6] + varied_urls()[-4:]
    assert len(urls) >= 50
    for url in urls:
        svg = qr.qr_svg(url, "Mã QR")
        assert decode_svg(svg, size=800) == [(url, "QRCode")], url


def test_same_input_same_bytes_and_cache_key_names_the_writer(monkeypatch) -> None:
    url, title = varied_urls()[3], "Mã QR: Chè xanh"
    assert qr.qr_svg(url, title) == qr.qr_svg(url, title)
    key = qr._cache_key(url, title)
    monkeypatch.setattr(qr, "WRITER", qr.WRITER + "+")
    assert qr._cache_key(url, title) != key  # codes cached by the earlier writer are not reused
