"""Shop pages, the shops index, their JSON-LD, the sitemap, the open data and the
printable sheet, on a real build of the fixture site with three shops."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from ocop_site.pipeline import builder

from ..conftest import TODAY
from .helpers import add_shops


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from ..conftest import FIXTURE_SITE
    root = tmp_path_factory.mktemp("shops")
    site = root / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    out = root / "public"
    builder.build(add_shops(site), out, today=TODAY, search=False,
                  base_url="https://ocop.example.org/tinh/")
    return out


def jsonld(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_each_shop_page_lists_its_products_hours_contact_and_directions(built: Path) -> None:
    html = (built / "cua-hang/ocop-song-lo/index.html").read_text("utf-8")
    assert "<h1 id=\"h-shop\">Điểm giới thiệu sản phẩm OCOP Sông Lô</h1>" in html
    cards = re.findall(r'<a class="card-link" href="([^"]+)"', html) or re.findall(
        r'href="(\.\./\.\./san-pham/[^"]+/)"', html)
    assert "../../san-pham/che-xanh-dong-thinh/" in cards
    assert "../../san-pham/mat-ong-hoa-nhan-don-nhan/" in cards
    assert "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00" in html
    assert 'href="tel:0900000201"' in html and 'href="https://zalo.me/0900000201"' in html
    assert "destination=21.450000,105.390000" in html
    assert 'href="../../cua-hang/ocop-song-lo/in/"' in html  # the printable sheet


@pytest.mark.parametrize(("shop", "kind", "geo", "hours"), [
    ("ocop-song-lo", "Store", True, True),
    ("cho-don-nhan", "Store", True, True),
    ("bach-hoa-an-phu", "GroceryStore", False, False),
])
def test_the_json_ld_of_each_shop_names_type_address_geo_and_hours(
        built: Path, shop: str, kind: str, geo: bool, hours: bool) -> None:
    blocks = jsonld((built / f"cua-hang/{shop}/index.html").read_text("utf-8"))
    store = next(b for b in blocks if b["@type"] not in ("BreadcrumbList",))
    assert store["@type"] == kind
    assert store["url"] == f"https://ocop.example.org/tinh/cua-hang/{shop}/"
    assert store["address"]["@type"] == "PostalAddress"
    assert store["address"]["addressCountry"] == "VN" and store["address"]["streetAddress"]
    assert ("geo" in store) is geo and ("openingHoursSpecification" in store) is hours
    if shop == "ocop-song-lo":
        assert store["geo"] == {"@type": "GeoCoordinates", "latitude": 21.45,
                                "longitude": 105.39}
        assert store["telephone"] == "0900 000 201"
        first = store["openingHoursSpecification"][0]
        assert first["dayOfWeek"][0] == "https://schema.org/Monday"
        assert (first["opens"], first["closes"]) == ("07:30", "11:30")
        assert len(store["openingHoursSpecification"]) == 3


def test_the_index_groups_shops_by_commune(built: Path) -> None:
    html = (built / "cua-hang/index.html").read_text("utf-8")
    headings = re.findall(r'<h2 id="h-([a-z-]+)">', html)
    assert headings == ["don-nhan", "hai-luu", "song-lo"]  # Vietnamese order: Đ after D
    assert html.index("Chợ Đôn Nhân") < html.index("Bách hóa An Phú") \
        < html.index("Điểm giới thiệu sản phẩm OCOP Sông Lô")
    menu = (built / "index.html").read_text("utf-8")
    assert 'href="cua-hang/">Mua ở đâu</a>' in menu


def test_sitemap_open_data_and_csv_list_the_shops(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text("utf-8")
    for shop in ("ocop-song-lo", "cho-don-nhan", "bach-hoa-an-phu"):
        assert f"https://ocop.example.org/tinh/cua-hang/{shop}/</loc>" in sitemap
    data = json.loads((built / "catalogue.json").read_text("utf-8"))
    shops = {s["id"]: s for s in data["shops"]}
    assert shops["ocop-song-lo"]["products"] == ["che-xanh-dong-thinh",
                                                    "mat-ong-hoa-nhan-don-nhan"]
    assert set(shops["ocop-song-lo"]["products"]) <= {p["slug"] for p in data["products"]}
    assert shops["ocop-song-lo"]["geo"] == {"lat": 21.45, "lng": 105.39}
    rows = list(csv.DictReader(io.StringIO((built / "shops.csv").read_text("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["bach-hoa-an-phu", "cho-don-nhan", "ocop-song-lo"]
    assert rows[1]["products"] == "che-xanh-dong-thinh mat-ong-hoa-nhan-don-nhan"


def test_the_shelf_sheet_shows_each_product_with_its_qr_code(built: Path) -> None:
    html = (built / "cua-hang/cho-don-nhan/in/index.html").read_text("utf-8")
    qrs = re.findall(r'<img src="([^"]+qr\.svg)"', html)
    assert qrs == ["../../../san-pham/che-xanh-dong-thinh/qr.svg",
                   "../../../san-pham/mat-ong-hoa-nhan-don-nhan/qr.svg"]
    for qr in qrs:
        assert (built / "cua-hang/cho-don-nhan/in" / qr).resolve().is_file()


def test_a_site_without_shops_has_no_shop_files(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY, search=False)
    assert not (out / "cua-hang").exists() and not (out / "shops.csv").exists()
    assert "shops" not in json.loads((out / "catalogue.json").read_text("utf-8"))
