"""The official lists (vietnam-provinces, vietnamadminunits) as the gazetteer reads them.

Expected values are the official ones: counts from the 2025 resolutions (Phú Thọ 148 per
1676/NQ-UBTVQH15, Hà Nội 126 per 1656/NQ-UBTVQH15), codes from the National Statistics
Office's list as vietnam-provinces ships it, units per the packages' 2025 mapping.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from ocop_site.regions import gazetteer


@pytest.fixture(scope="module")
def phu_tho() -> gazetteer.Province:
    province = gazetteer.find_province("Phú Thọ")
    assert province is not None
    return province


def formed_from(province: gazetteer.Province, name: str) -> set[str]:
    commune = gazetteer.find_commune(province, name)
    assert commune is not None, name
    listed = [f"{unit.full_name} ({unit.district_kind} {unit.district})"
              for unit in commune.formed_from]
    assert len(set(listed)) == len(listed)  # each unit once
    return set(listed)


def test_34_provinces_and_3321_communes():
    provinces = gazetteer.provinces()
    assert len(provinces) == 34
    assert sum(len(gazetteer.communes_of(p)) for p in provinces) == 3321
    assert all(c.formed_from for p in provinces for c in gazetteer.communes_of(p))


def test_province_names_in_any_form(phu_tho):
    assert phu_tho == gazetteer.Province("Phú Thọ", "tỉnh", "25")
    assert gazetteer.find_province("tỉnh Phú Thọ") == phu_tho
    assert gazetteer.find_province("  TỈNH  PHÚ THỌ ") == phu_tho
    assert gazetteer.find_province("TP. Hồ Chí Minh").code == "79"
    assert gazetteer.find_province("Thành phố Hà Nội").kind == "thành phố"
    assert gazetteer.find_province("Khánh Hoà") == gazetteer.find_province("Khánh Hòa")
    assert gazetteer.find_province("Vĩnh Phúc") is None  # merged into Phú Thọ


def test_phu_tho_has_148_communes_in_vietnamese_order(phu_tho):
    communes = gazetteer.communes_of(phu_tho)
    assert len(communes) == 148
    assert {c.kind for c in communes} == {"xã", "phường"}
    assert sum(c.kind == "phường" for c in communes) == 15  # 133 xã, 15 phường
    assert communes[0].name == "An Bình"  # "a" first; Đ after D, not after Z
    names = [c.name for c in communes]
    assert names.index("Đạo Trù") > names.index("Dân Chủ")
    assert len({c.code for c in communes}) == 148


def test_song_lo_area_communes_and_their_former_units(phu_tho):
    assert gazetteer.find_commune(phu_tho, "xã Sông Lô").code == "08848"
    assert formed_from(phu_tho, "Tam Sơn") == {
        "thị trấn Tam Sơn (huyện Sông Lô)", "xã Tân Lập (huyện Sông Lô)", "xã Đồng Quế (huyện Sông Lô)"}
    assert formed_from(phu_tho, "Sông Lô") == {
        "xã Tứ Yên (huyện Sông Lô)", "xã Yên Thạch (huyện Sông Lô)",
        "xã Đức Bác (huyện Sông Lô)", "xã Đồng Thịnh (huyện Sông Lô)"}
    assert formed_from(phu_tho, "Hải Lựu") == {
        "xã Hải Lựu (huyện Sông Lô)", "xã Nhân Đạo (huyện Sông Lô)",
        "xã Phương Khoan (huyện Sông Lô)", "xã Đôn Nhân (huyện Sông Lô)"}
    assert formed_from(phu_tho, "Yên Lãng") == {
        "xã Lãng Công (huyện Sông Lô)", "xã Quang Yên (huyện Sông Lô)"}
    # Cao Phong went to Sơn Đông, with two communes of the former Lập Thạch district
    assert "xã Cao Phong (huyện Sông Lô)" in formed_from(phu_tho, "Sơn Đông")
    unit = gazetteer.find_commune(phu_tho, "Hải Lựu").formed_from[0]
    assert unit.address == "xã Hải Lựu, huyện Sông Lô, tỉnh Vĩnh Phúc"


def test_resolve_an_old_address_to_the_current_commune():
    resolution = gazetteer.resolve_address("xã Đôn Nhân, huyện Sông Lô, tỉnh Vĩnh Phúc")
    assert resolution.commune.name == "Hải Lựu"
    assert resolution.commune.province == "Phú Thọ"
    assert not resolution.ambiguous
    assert gazetteer.resolve_address("Thôn 3, xã Đôn Nhân, huyện Sông Lô").commune.name == "Hải Lựu"
    assert gazetteer.resolve_address("Đôn Nhân, Sông Lô, Vĩnh Phúc").commune.name == "Hải Lựu"


def test_names_in_any_tone_placement_and_with_or_without_the_unit_word():
    for written in ("Đôn Nhân", "xã Đôn Nhân", "Xã  ĐÔN NHÂN", "xã Ðôn Nhân"):
        assert gazetteer.resolve_former(written).commune.name == "Hải Lựu", written
    same = gazetteer.resolve_former("Lộc Thuỷ", "Phú Lộc").commune
    assert same == gazetteer.resolve_former("Lộc Thủy", "huyện Phú Lộc").commune
    assert same.name == "Chân Mây – Lăng Cô"


def test_a_name_in_two_districts_is_an_ambiguity_settled_by_the_district():
    resolution = gazetteer.resolve_former("Cao Phong")
    assert resolution.ambiguous and resolution.commune is None
    assert {c.name for c in resolution.communes} == {"Sơn Đông", "Cao Phong"}
    assert gazetteer.resolve_former("Cao Phong", "huyện Sông Lô").commune.name == "Sơn Đông"
    assert gazetteer.resolve_former("Cao Phong", "Cao Phong", "Hòa Bình").commune.name == "Cao Phong"
    # the old xã Sông Lô of Việt Trì city became part of phường Thanh Miếu
    song_lo = gazetteer.resolve_former("xã Sông Lô", "thành phố Việt Trì")
    assert song_lo.commune.full_name == "phường Thanh Miếu"
    assert gazetteer.resolve_former("Sông Lô", "huyện Sông Lô").candidates == ()


def test_a_former_province_narrows_as_well_as_the_current_one():
    assert gazetteer.resolve_former("Đôn Nhân", province="Vĩnh Phúc").commune.name == "Hải Lựu"
    assert gazetteer.resolve_former("Đôn Nhân", province="tỉnh Phú Thọ").commune.name == "Hải Lựu"
    assert gazetteer.resolve_former("Đôn Nhân", province="Hà Nội").candidates == ()


def test_a_divided_unit_lists_every_commune_and_the_default_one(phu_tho):
    resolution = gazetteer.resolve_former("Vầy Nưa", "Đà Bắc")
    assert {c.name for c in resolution.communes} == {"Thống Nhất", "Tiền Phong"}
    assert resolution.ambiguous
    assert [c.commune.name for c in resolution.candidates if c.default] == ["Tiền Phong"]
    assert all(c.former.part for c in resolution.candidates)


def test_names_merged_before_2025_resolve_through_the_unit_that_took_them():
    # Nhạo Sơn and Như Thụy had joined thị trấn Tam Sơn, Bạch Lưu xã Hải Lựu
    nhu_thuy = gazetteer.resolve_former("Như Thuỵ")
    assert nhu_thuy.commune.name == "Tam Sơn"
    assert nhu_thuy.candidates[0].by_alias
    assert nhu_thuy.candidates[0].former.full_name == "thị trấn Tam Sơn"
    assert gazetteer.resolve_former("Bạch Lưu").commune.name == "Hải Lựu"
    assert gazetteer.resolve_former("Nowhere At All").candidates == ()


def test_names_merged_before_2025_are_kept_unmarked_as_the_data_has_them(phu_tho):
    """vietnamadminunits gives them as keys ("xabachluu", "bachluu"): split into syllables
    by how the lists' own names use them, never given marks they do not have."""
    units = {(u.name, u.district): u.merged for c in gazetteer.communes_of(phu_tho)
             for u in c.formed_from}
    assert units["Hải Lựu", "Sông Lô"] == ("Bach Luu",)
    assert units["Tam Sơn", "Sông Lô"] == ("Nhao Son", "Nhu Thuy")
    assert units["Xuân Áng", "Hạ Hòa"] == ("Lam Loi", "Chue Luu")
    assert units["Đôn Nhân", "Sông Lô"] == ()
    hanoi = gazetteer.find_province("Hà Nội")
    units = {(u.name, u.district): u.merged for c in gazetteer.communes_of(hanoi)
             for u in c.formed_from}
    assert units["Trúc Bạch", "Ba Đình"] == ("Nguyen Trung Truc",)


def test_another_province_hanoi():
    hanoi = gazetteer.find_province("Hà Nội")
    communes = gazetteer.communes_of(hanoi)
    assert len(communes) == 126
    hoan_kiem = gazetteer.find_commune(hanoi, "phường Hoàn Kiếm")
    assert hoan_kiem.kind == "phường" and hoan_kiem.code == "00070"


def test_reading_the_lists_imports_neither_package_nor_geopy():
    """The data files are read directly: no geopy/shapely import, no network."""
    code = ("import sys; from ocop_site.regions import gazetteer as g; "
            "g.communes_of(g.find_province('Phú Thọ')); "
            "print(sorted(m for m in ('vietnamadminunits', 'vietnam_provinces', 'geopy',"
            " 'shapely') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sources_name_the_packages_and_versions():
    assert gazetteer.sources().startswith("vietnam-provinces 20")
    assert "vietnamadminunits 1." in gazetteer.sources()
