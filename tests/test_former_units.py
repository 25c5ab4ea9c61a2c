"""Commune former units and aliases, and the pages that send old addresses on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ocop_site.content import communemap
from ocop_site.content.lookup import find_commune
from ocop_site.errors import ContentErrors
from ocop_site.pipeline import builder

from .conftest import REPO, TODAY


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("former") / "public"
    builder.build(REPO, out, today=TODAY)
    return out


def test_the_sample_communes_and_the_units_they_were_formed_from():
    _, catalogue, _ = builder.load(REPO, today=TODAY)
    formed = {c.name: c.formed_from_names for c in catalogue.communes}
    assert formed == {
        "Tam Sơn": ("thị trấn Tam Sơn", "xã Tân Lập", "xã Đồng Quế"),
        "Sông Lô": ("xã Yên Thạch", "xã Đồng Thịnh", "xã Tứ Yên", "xã Đức Bác"),
        "Hải Lựu": ("xã Hải Lựu", "xã Nhân Đạo", "xã Đôn Nhân", "xã Phương Khoan"),
        "Yên Lãng": ("xã Lãng Công", "xã Quang Yên")}
    aliases = {c.name: c.aliases for c in catalogue.communes}
    assert "Như Thuỵ" in aliases["Tam Sơn"] and "Bạch Lưu" in aliases["Hải Lựu"]
    assert {c.code for c in catalogue.communes} == {"08824", "08848", "08782", "08773"}


def test_a_commune_page_lists_its_units_once_each(sample_out: Path):
    page = (sample_out / "xa/tam-son/index.html").read_text(encoding="utf-8")
    assert "Hình thành từ: thị trấn Tam Sơn, xã Tân Lập, xã Đồng Quế." in page
    assert "Như Thuỵ" not in page.split("Hình thành từ:")[1].split("</p>")[0]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_each_former_unit_has_a_page_sending_to_its_commune(sample_out: Path, prefix: str):
    page = (sample_out / f"{prefix}xa/don-nhan/index.html").read_text(encoding="utf-8")
    back = "../../" + ("../" if prefix else "")  # links are relative to the page
    target = f"{back}{prefix}xa/hai-luu/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
    assert (f'<link rel="canonical" href="https://ocop.example.org/{prefix}xa/hai-luu/">'
            in page)
    assert re.search(rf'<a href="{re.escape(target)}">[^<]+</a>', page)
    assert '<meta name="robots" content="noindex">' in page
    for unit in ("tan-lap", "dong-que", "nhan-dao", "phuong-khoan", "lang-cong", "quang-yen",
                 "dong-thinh", "tu-yen", "duc-bac", "yen-thach"):
        assert (sample_out / f"{prefix}xa/{unit}/index.html").is_file(), unit
    # the unit that gave the commune its name has the commune's own page
    assert "http-equiv" not in (sample_out / f"{prefix}xa/hai-luu/index.html").read_text()


def test_former_units_are_not_in_the_sitemap_or_the_lists(sample_out: Path):
    sitemap = (sample_out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/xa/don-nhan/" not in sitemap and "/xa/hai-luu/" in sitemap
    communes = (sample_out / "xa/index.html").read_text(encoding="utf-8")
    assert 'xa/don-nhan/' not in communes and 'href="../xa/hai-luu/"' in communes


def write_communes(site: Path, body: str) -> None:
    (site / "content/data/communes.yaml").write_text("communes:\n" + body, encoding="utf-8")


TWO_SONG_LO = """  - name: Sông Lô
    formed_from: ["xã Đồng Thịnh, huyện Sông Lô"]
  - name: Hải Lựu
    formed_from: ["xã Đôn Nhân, huyện Sông Lô"]
    aliases: [Như Thụy]
  - name: Thanh Miếu
    kind: phường
    formed_from: ["xã Sông Lô, thành phố Việt Trì", "xã Cao Phong, huyện Việt Trì"]
  - name: Sơn Đông
    formed_from: ["xã Cao Phong, huyện Sông Lô"]
"""


def test_a_former_name_in_two_districts_is_qualified_by_the_district(site: Path):
    write_communes(site, TWO_SONG_LO)
    product = site / "content/products/che-xanh-dong-thinh.md"
    text = product.read_text(encoding="utf-8")
    product.write_text(text.replace("commune: Đồng Thịnh", "commune: Cao Phong"),
                       encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    [line] = [e.format() for e in info.value.errors if "Cao Phong" in e.message_en]
    assert ("commune: 'Cao Phong' was the name of units of several former districts; write "
            "which one: Cao Phong, Việt Trì or Cao Phong, Sông Lô") in line
    product.write_text(text.replace("commune: Đồng Thịnh", "commune: Cao Phong, huyện Sông Lô"),
                       encoding="utf-8")
    _, catalogue, _ = builder.load(site, today=TODAY)
    tea = [p for p in catalogue.products if p.slug == "che-xanh-dong-thinh"][0]
    assert tea.commune == "son-dong"
    # "Sông Lô" is first the current commune; the former one is reached with its district
    product.write_text(text.replace("commune: Đồng Thịnh", "commune: Sông Lô (TP Việt Trì)"),
                       encoding="utf-8")
    _, catalogue, _ = builder.load(site, today=TODAY)
    assert [p.commune for p in catalogue.products if p.slug == "che-xanh-dong-thinh"] == [
        "thanh-mieu"]


def test_redirect_slugs_are_qualified_where_a_name_is_taken(site: Path, tmp_path: Path):
    write_communes(site, TWO_SONG_LO)
    _, catalogue, _ = builder.load(site, today=TODAY)
    slugs = {u.full_name + "/" + u.district: u.slug for c in catalogue.communes
             for u in c.formed_from}
    assert slugs["xã Sông Lô/Việt Trì"] == "song-lo-viet-tri"  # song-lo is a commune
    assert slugs["xã Cao Phong/Việt Trì"] == "cao-phong-viet-tri"
    assert slugs["xã Cao Phong/Sông Lô"] == "cao-phong-song-lo"
    assert slugs["xã Đôn Nhân/Sông Lô"] == "don-nhan"


def test_an_alias_two_communes_claim_is_an_error(site: Path):
    write_communes(site, TWO_SONG_LO + "    aliases: [Như Thụy]\n")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    assert any("'Như Thụy' belongs to two communes (Hải Lựu and Sơn Đông)" in e.message_en
               for e in info.value.errors)


def test_an_alias_without_diacritics_matches_the_name_with_any(site: Path):
    """init writes names merged before 2025 unmarked ("Bach Luu"); a product writes them
    as a certificate does. An exact name still comes first; two communes claiming one
    unmarked name is the usual error."""
    write_communes(site, TWO_SONG_LO + "    aliases: [Bach Luu]\n")
    _, catalogue, _ = builder.load(site, today=TODAY)
    index, clashes = communemap.index_communes(catalogue.communes)
    assert clashes == []
    for written in ("Bạch Lưu", "xã Bạch Lưu", "bach luu", "BẠCH LƯU", "Bạch Lựu"):
        assert find_commune(index, written) == "son-dong", written
    assert find_commune(index, "Hải Lựu") == "hai-luu"
    assert find_commune(index, "Bạch") is None
    write_communes(site, TWO_SONG_LO.replace("[Như Thụy]", "[Như Thụy, Bach-Luu]")
                   + "    aliases: [Bach Luu]\n")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    assert any("'Bach Luu' belongs to two communes" in e.message_en for e in info.value.errors)
