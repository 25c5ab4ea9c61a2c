"""QR codes: the shipped SVG is rasterised (cairosvg) and decoded (zxing-cpp) in the test."""
from __future__ import annotations

import io

import cairosvg
import zxingcpp
from PIL import Image

from ocop_site.outputs import qr

from .conftest import Built
from .pagedata import parse


def decode_svg(svg: bytes) -> list[tuple[str, str]]:
    png = cairosvg.svg2png(bytestring=svg, output_width=400, output_height=400)
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


def test_cache_holds_exactly_what_encoding_gives(small: Built, tmp_path) -> None:
    cache = qr.cache_dir(small.config)
    assert len(list(cache.glob("*.svg"))) == len(small.catalogue.products)
    for product in small.catalogue.products:
        url = small.config.absolute(f"san-pham/{product.slug}/")
        shipped = (small.root / f"san-pham/{product.slug}/qr.svg").read_bytes()
        assert shipped == qr.qr_svg(url, f"Mã QR: {product.name}")
    # a second run reads the cache and gives the same files; no cache gives them too
    assert qr.files(small.catalogue, cache) == qr.files(small.catalogue, None)
    fresh = tmp_path / "qr"
    assert qr.files(small.catalogue, fresh) == qr.files(small.catalogue, cache)
    assert len(list(fresh.glob("*.svg"))) == len(small.catalogue.products)
