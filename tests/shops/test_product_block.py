"""The product page's "Where to buy" block as built, without JavaScript: online stores
as buttons with rel="noopener nofollow" and the link as written, then the shops in the
product's commune first and the rest by name, each with its kind, commune, a call
button, a plain directions link and its hours in words."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ocop_site.pipeline import builder

from ..conftest import TODAY
from .helpers import add_shops


@pytest.fixture
def built(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    builder.build(add_shops(site), out, today=TODAY, search=False)
    return out


def block(out: Path, path: str) -> str:
    html = (out / path).read_text("utf-8")
    found = re.search(r'<section class="where-to-buy".*?</section>', html, re.S)
    assert found, path
    return found.group(0)


def test_online_stores_then_shops_in_commune_order(built: Path) -> None:
    html = block(built, "san-pham/che-xanh-dong-thinh/index.html")
    assert '<a class="button" href="https://shopee.vn/che-xanh-i.1.2" rel="noopener nofollow">Shopee</a>' in html
    assert 'href="https://htx-che.example.org/mua" rel="noopener nofollow"' in html
    names = re.findall(r'<p class="shop-name"><a href="([^"]+)"', html)
    # the tea is from Sông Lô: its showroom first, then by Vietnamese name (B < C)
    assert names == ["../../cua-hang/ocop-song-lo/", "../../cua-hang/bach-hoa-an-phu/",
                     "../../cua-hang/cho-don-nhan/"]
    assert html.index("Mua trực tuyến") < html.index("cửa hàng có bán")
    assert "Điểm giới thiệu và bán sản phẩm OCOP · " in html  # its kind, then commune
    assert 'href="tel:0900000201">Gọi 0900 000 201</a>' in html
    assert "<li>Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00</li>" in html
    assert "<li>Thứ Bảy – Chủ nhật: 08:00–12:00</li>" in html
    assert "<li>Thứ Hai – Chủ nhật: 05:00–10:00</li>" in html


def test_directions_are_plain_links_from_coordinates_or_address(built: Path) -> None:
    html = block(built, "san-pham/che-xanh-dong-thinh/index.html").replace("&amp;", "&")
    links = re.findall(r'href="(https://www\.google\.com/maps/dir/[^"]+)"', html)
    assert len(links) == 3
    destinations = [parse_qs(urlsplit(link).query)["destination"][0] for link in links]
    assert destinations[0] == "21.450000,105.390000"
    assert destinations[1] == "Km 3, xã Hải Lựu, tỉnh Phú Thọ"  # no coordinates: the address
    assert "<script src=" in html and "maps.googleapis" not in html  # no map script


def test_the_honey_lists_its_own_communes_market_first(built: Path) -> None:
    html = block(built, "san-pham/mat-ong-hoa-nhan-don-nhan/index.html")
    names = re.findall(r'<p class="shop-name"><a href="[^"]+">([^<]+)</a>', html)
    assert names == ["Chợ Đôn Nhân", "Điểm giới thiệu sản phẩm OCOP Sông Lô"]
    assert "buy-online" not in html  # no online stores: no such list


def test_a_product_no_shop_sells_has_no_block(built: Path) -> None:
    html = (built / "san-pham/dui-ga-hun-khoi-nhu-thuy/index.html").read_text("utf-8")
    assert "where-to-buy" not in html and "shops.js" not in html


def test_the_block_comes_after_price_and_contact(built: Path) -> None:
    html = (built / "san-pham/che-xanh-dong-thinh/index.html").read_text("utf-8")
    assert html.index('class="price big"') < html.index('id="h-contact"') \
        < html.index('id="h-buy"') < html.index('id="h-desc"')
