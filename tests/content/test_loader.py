"""Loader semantics on real files: references, defaults, and errors collected together."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.content.loader import add_months
from ocop_site.errors import ContentErrors

from ..conftest import TODAY


def load(site: Path, today: dt.date = TODAY):
    return builder.load(site, today=today)


def errors_of(site: Path) -> list[str]:
    with pytest.raises(ContentErrors) as info:
        load(site)
    return [e.format() for e in info.value.errors]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_valid_fixture_loads(site: Path) -> None:
    config, catalogue, warnings = load(site)
    assert [p.slug for p in catalogue.products] == [
        "che-xanh-dong-thinh", "dui-ga-hun-khoi-nhu-thuy", "mat-ong-hoa-nhan-don-nhan"]
    assert config.region_name == "Thử Nghiệm"
    che = catalogue.products[0]
    assert che.commune == "song-lo" and che.commune_as_written == "Đồng Thịnh"
    assert che.certificate.valid_until == dt.date(2027, 5, 12)  # date + 36 months
    assert che.summary == "Chè búp xanh hái tay trên đồi Đồng Thịnh."  # first paragraph
    assert che.images[0].alt == "Búp chè xanh"


def test_commune_names_match_regardless_of_tone_placement_and_prefix(site: Path) -> None:
    product = site / "content/products/dui-ga-nhu-thuy.md"
    edit(product, "commune: Như Thụy", "commune: xã Như Thuỵ")
    _, catalogue, _ = load(site)
    assert {p.slug: p.commune for p in catalogue.products}["dui-ga-hun-khoi-nhu-thuy"] == "song-lo"


def test_nfd_front_matter_is_normalised(site: Path) -> None:
    import unicodedata
    product = site / "content/products/mat-ong-don-nhan.md"
    product.write_text(unicodedata.normalize("NFD", product.read_text()))
    _, catalogue, _ = load(site)
    honey = [p for p in catalogue.products if p.slug == "mat-ong-hoa-nhan-don-nhan"][0]
    assert honey.name == unicodedata.normalize("NFC", "Mật ong hoa nhãn Đôn Nhân")


def test_category_by_name_is_accepted_but_a_group_is_not(site: Path) -> None:
    product = site / "content/products/mat-ong-don-nhan.md"
    edit(product, "category: mat-ong", "category: Mật ong và sản phẩm từ mật ong")
    _, catalogue, _ = load(site)
    assert {p.slug: p.category for p in catalogue.products}["mat-ong-hoa-nhan-don-nhan"] == "mat-ong"
    edit(product, "category: Mật ong và sản phẩm từ mật ong", "category: thuc-pham")
    [error] = errors_of(site)
    assert error.startswith("content/products/mat-ong-don-nhan.md:4: category: 'thuc-pham' is "
                            "a group; choose one of its product sets: thuc-pham-che-bien")


def test_all_errors_are_collected_across_files(site: Path) -> None:
    edit(site / "content/products/mat-ong-don-nhan.md", "stars: 3", "stars: 1")
    edit(site / "content/products/che-xanh-dong-thinh.md", "producer: htx-che-dong-thinh",
         "producer: htx-che-dong-thin")
    edit(site / "content/producers/ho-mat-ong-don-nhan.md", "type: household", "type: family")
    errors = errors_of(site)
    assert len(errors) == 3
    assert errors[0].startswith("content/producers/ho-mat-ong-don-nhan.md:3: type: unknown "
                                "type 'family'")
    assert errors[1].startswith("content/products/che-xanh-dong-thinh.md:6: producer: unknown "
                                "producer 'htx-che-dong-thin' — did you mean "
                                "'htx-che-dong-thinh'?")
    assert errors[2].startswith("content/products/mat-ong-don-nhan.md:3: stars: must be 3, 4 "
                                "or 5 (got 1)")


def test_a_broken_producer_does_not_cascade_into_product_errors(site: Path) -> None:
    edit(site / "content/producers/htx-che-dong-thinh.md", 'phone: "0900 000 101"',
         "phone: 84900000101")
    errors = errors_of(site)
    assert len(errors) == 1, errors
    assert "write the phone number in quotes" in errors[0]


def test_valid_until_and_future_dates(site: Path) -> None:
    product = site / "content/products/dui-ga-nhu-thuy.md"
    edit(product, "  date: 2025-09-30", "  date: 2026-07-01")
    [error] = errors_of(site)
    assert error.startswith("content/products/dui-ga-nhu-thuy.md:9: certificate.date: "
                            "2026-07-01 is in the future")
    edit(product, "  date: 2026-07-01", "  date: 2025-09-30\n  valid_until: 2025-01-01")
    [error] = errors_of(site)
    assert error.startswith("content/products/dui-ga-nhu-thuy.md:10: certificate.valid_until:")


def test_duplicate_url_names_both_files(site: Path) -> None:
    source = site / "content/products/che-xanh-dong-thinh.md"
    (site / "content/products/zz-copy.md").write_text(source.read_text())
    [error] = errors_of(site)
    assert "'content/products/che-xanh-dong-thinh.md'" in error
    assert "'content/products/zz-copy.md'" in error
    assert "san-pham/che-xanh-dong-thinh/" in error


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2023, 5, 12), 36) == dt.date(2026, 5, 12)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
