"""Shops and online stores as content: the reader, opening hours, the platforms' hosts,
the catalogue's order of shops on a product page."""
from __future__ import annotations

from pathlib import Path

import pytest

from ocop_site.content.hours import HoursError, parse_rule, spans_by_day
from ocop_site.pipeline import builder
from ocop_site.rules.platforms import default_platforms, link_problem

from ..conftest import TODAY
from .helpers import add_shops


def test_opening_hours_rules() -> None:
    rule = parse_rule("Mo-Fr 07:30-11:30,13:30-17:00")
    assert rule.days == (0, 1, 2, 3, 4) and rule.spans == ((450, 690), (810, 1020))
    assert parse_rule("Sa-Mo 08:00-24:00").days == (0, 5, 6)  # wraps past Sunday
    assert parse_rule("Mo,We,Fr  06:00-10:00").written == "Mo,We,Fr 06:00-10:00"
    week = spans_by_day((parse_rule("Mo-Fr 07:00-11:00"), parse_rule("Fr 14:00-17:00")))
    assert week[4] == ((420, 660), (840, 1020)) and week[6] == ()
    for bad in ("Mo-Fr", "Monday 08:00-12:00", "Mo 8h-12h", "Mo 17:00-08:00",
                "Mo 08:00-12:00,11:00-13:00", "Mo 25:00-26:00"):
        with pytest.raises(HoursError) as info:
            parse_rule(bad)
        assert "Mo-Fr 07:30-11:30,13:30-17:00" in info.value.en  # a correct example
        assert "Mo-Fr 07:30-11:30,13:30-17:00" in info.value.vi


@pytest.mark.parametrize(("platform", "url", "ok"), [
    ("shopee", "https://shopee.vn/p-i.1.2", True),
    ("shopee", "https://www.shopee.vn/p", True),
    ("shopee", "https://shopee.vn.example.com/p", False),
    ("shopee", "https://evilshopee.vn/p", False),
    ("shopee", "http://shopee.vn/p", False),
    ("shopee", "javascript:alert(1)", False),
    ("shopee", "data:text/html,x", False),
    ("shopee", "https://user@shopee.vn/p", False),
    ("tiktok", "https://www.tiktok.com/@htx/video/1", True),
    ("website", "https://my-own-shop.example.org/", True),
    ("website", "http://my-own-shop.example.org/", False),
])
def test_links_pass_only_on_the_platforms_own_hosts(platform: str, url: str,
                                                     ok: bool) -> None:
    found = default_platforms().get(platform)
    assert found is not None
    assert (link_problem(found, url) is None) is ok


def test_every_platform_of_the_issue_is_shipped() -> None:
    names = {p.name for p in default_platforms().platforms}
    assert {"Shopee", "Lazada", "Tiki", "TikTok Shop", "Sendo", "Postmart", "Voso",
            "Zalo"} <= names
    assert default_platforms().get("website") is not None


def test_shops_load_and_sort_on_product_pages(site: Path) -> None:
    _, catalogue, _ = builder.load(add_shops(site), today=TODAY)
    names = [s.name for s in catalogue.shops]
    assert names == ["Bách hóa An Phú", "Chợ Đôn Nhân", "Điểm giới thiệu sản phẩm OCOP Sông Lô"]
    showroom = next(s for s in catalogue.shops if s.id == "ocop-song-lo")
    assert showroom.commune == "song-lo"  # "Như Thuỵ", a former name, other tone placement
    assert showroom.products == ("che-xanh-dong-thinh", "mat-ong-hoa-nhan-don-nhan")
    assert showroom.geo == (21.45, 105.39) and len(showroom.hours) == 2
    # the tea is from Sông Lô: the showroom first, then the rest by name
    assert [s.id for s in catalogue.shops_by_product["che-xanh-dong-thinh"]] == [
        "ocop-song-lo", "bach-hoa-an-phu", "cho-don-nhan"]
    # the honey is from Đôn Nhân: the market first
    assert [s.id for s in catalogue.shops_by_product["mat-ong-hoa-nhan-don-nhan"]] == [
        "cho-don-nhan", "ocop-song-lo"]
    tea = next(p for p in catalogue.products if p.slug == "che-xanh-dong-thinh")
    assert [(o.platform, o.url) for o in tea.buy_online] == [
        ("shopee", "https://shopee.vn/che-xanh-i.1.2"),
        ("website", "https://htx-che.example.org/mua")]


def test_a_site_may_add_a_platform(site: Path) -> None:
    (site / "content/data/platforms.yaml").write_text(
        "platforms:\n  - id: cho-phien\n    name: Chợ phiên online\n    hosts: [chophien.vn]\n",
        encoding="utf-8")
    tea = site / "content/products/che-xanh-dong-thinh.md"
    tea.write_text(tea.read_text("utf-8").replace(
        "featured: true\n", "featured: true\nbuy_online:\n"
        "  - {platform: cho-phien, url: 'https://chophien.vn/che'}\n"), "utf-8")
    _, catalogue, _ = builder.load(site, today=TODAY)
    assert catalogue.platforms.get("cho-phien") is not None
    assert catalogue.platforms.get("shopee") is not None  # the shipped ones stay
