"""Names in a row → the site's ids, against the loaded fixture site."""
from __future__ import annotations

from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.importer.command import load_site
from ocop_site.importer.resolve import (Producers, address_units, guess_type,
    producer_id_for, producer_key, producer_type, resolve_category, resolve_commune)

from ..conftest import FIXTURE_SITE, TODAY


@pytest.fixture(scope="module")
def catalogue():
    return builder.load(FIXTURE_SITE, today=TODAY)[1]


def test_address_units() -> None:
    assert address_units("Thôn 2, xã Đôn Nhân, huyện Sông Lô, tỉnh Vĩnh Phúc") == (
        ["Đôn Nhân"], "Sông Lô")
    assert address_units("Tổ 5 - TT. Tam Sơn - H. Sông Lô") == (["Tam Sơn"], "Sông Lô")
    assert address_units("Đồng Thịnh") == (["Đồng Thịnh"], "")


def test_communes_through_the_chain() -> None:
    steps = load_site(FIXTURE_SITE)[0].commune_steps
    current = resolve_commune("xã Hải Lựu, huyện Sông Lô", steps)
    assert (current.slug, current.former, current.source) == ("hai-luu", "", "")
    former = resolve_commune("xã Như Thụy, huyện Sông Lô", steps)  # communes.yaml: Như Thuỵ
    assert (former.slug, former.written, former.source) == ("song-lo", "Như Thụy", "")
    # not a former name in the site's communes.yaml: the official 2025 mapping says
    official = resolve_commune("Thôn 1, xã Phương Khoan, huyện Sông Lô, tỉnh Vĩnh Phúc", steps)
    assert (official.slug, official.written, official.former, official.source) == (
        "hai-luu", "Hải Lựu", "Phương Khoan", "official 2025 mapping")
    # "huyện Sông Lô" is a district, never the commune Sông Lô
    assert resolve_commune("xã Cao Phong, huyện Sông Lô", steps[:-1]) is None
    outside = resolve_commune("xã Cao Phong, huyện Sông Lô", steps)  # the official map
    assert (outside.slug, outside.written) == ("", "Sơn Đông")  # not in the site
    assert resolve_commune("xã Không Có, huyện Đâu Đó", steps) is None


def test_producers_by_identity_key(catalogue) -> None:
    producers = Producers.of(catalogue.producers, frozenset(catalogue.producers))
    assert producers.find("HTX chè Đồng Thịnh") == "htx-che-dong-thinh"
    assert producers.find("HỢP TÁC XÃ CHÈ ĐỒNG THỊNH") == "htx-che-dong-thinh"
    # the same words without (or with other) diacritics: found by the id they give (the
    # plan says so in a note, see test_plan)
    assert producers.find("HTX Che Dong Thinh") == "htx-che-dong-thinh"
    assert producers.find("Hợp tác xã Chè Đồng Thinh") == "htx-che-dong-thinh"
    assert producers.find("Hợp tác xã Chè Tứ Yên") is None
    assert producers.find("", "ho-mat-ong-don-nhan") == "ho-mat-ong-don-nhan"
    assert producer_key("HTX  Hoà Bình") == producer_key("Hợp tác xã Hòa Bình")


@pytest.mark.parametrize("name, kind, words, producer_id", [
    ("HTX cây trồng Sông Lô Xanh", "cooperative", "HTX", "htx-cay-trong-song-lo-xanh"),
    ("Hợp tác xã Chè Đồng Thịnh", "cooperative", "Hợp tác xã", "htx-che-dong-thinh"),
    ("THT bánh tẻ Tứ Yên", "cooperative_group", "THT", "tht-banh-te-tu-yen"),
    ("Công ty TNHH Lô Giang", "enterprise", "Công ty", "cty-tnhh-lo-giang"),
    ("CTCP Ong Tam Đảo", "enterprise", "CTCP", "ctcp-ong-tam-dao"),
    ("Hộ kinh doanh Nguyễn Thị Mùi", "household", "Hộ", "hkd-nguyen-thi-mui"),
    ("Cơ sở giò chả Phương Khoan", "household", "Cơ sở", "co-so-gio-cha-phuong-khoan"),
])
def test_new_producer_type_and_id(name: str, kind: str, words: str, producer_id: str) -> None:
    assert guess_type(name) == (kind, words)
    assert producer_id_for(name) == producer_id


def test_a_name_that_tells_no_type() -> None:
    assert guess_type("Nguyễn Văn An") is None
    assert producer_type("Hợp tác xã") == "cooperative"
    assert producer_type("hộ sản xuất kinh doanh") == "household"
    assert producer_type("câu lạc bộ") is None


def test_categories_by_id_name_or_code(catalogue) -> None:
    leaf = next(c for c in catalogue.categories.values() if not c.children)
    group = next(c for c in catalogue.categories.values() if c.children)
    index = {c.id: c.id for c in catalogue.categories.values()}
    for written in (leaf.id, leaf.name, leaf.name.upper(), leaf.code):
        assert resolve_category(written, catalogue.categories, index)[0] == leaf.id
    found, (en, _) = resolve_category(group.name, catalogue.categories, index)
    assert found is None and "write one of its product sets" in en
    found, (en, _) = resolve_category("Bánh kẹo", catalogue.categories, index)
    assert found is None and en.startswith("unknown product set 'Bánh kẹo'")


def test_a_unit_name_two_districts_had_is_settled_by_the_district(site: Path) -> None:
    """communes.yaml's formed_from: the old xã Sông Lô of Việt Trì went to Thanh Miếu;
    the current commune Sông Lô is another place."""
    (site / "content/data/communes.yaml").write_text("""communes:
  - name: Sông Lô
    formed_from: ["xã Đồng Thịnh, huyện Sông Lô"]
  - name: Thanh Miếu
    formed_from: ["xã Sông Lô, thành phố Việt Trì", "phường Thanh Miếu, thành phố Việt Trì"]
  - name: Hải Lựu
    formed_from: ["xã Hải Lựu, huyện Sông Lô", "xã Bạch Lưu, huyện Sông Lô"]
  - name: Đôn Nhân
  - name: Dương Quang
""", encoding="utf-8")
    steps = load_site(site)[0].commune_steps
    old = resolve_commune("Tổ 3, xã Sông Lô, thành phố Việt Trì", steps)
    assert (old.slug, old.written, old.former) == ("thanh-mieu", "Sông Lô, Việt Trì", "Sông Lô")
    now = resolve_commune("xã Sông Lô", steps)
    assert (now.slug, now.former) == ("song-lo", "")
    itself = resolve_commune("xã Hải Lựu, huyện Sông Lô", steps)  # gave the commune its name
    assert (itself.slug, itself.former) == ("hai-luu", "")
