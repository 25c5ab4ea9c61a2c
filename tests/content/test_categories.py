"""content/data/categories.yaml: Decision 148/QĐ-TTg's classification, and the old ids.

The file under test is the project's own (what `init` copies into every new site), put
into the small fixture site; every expected name is the Appendix's wording.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors

from ..conftest import REPO, TODAY

CLASSIFICATION = REPO / "content" / "data" / "categories.yaml"
PRODUCT = """---
name: Sản phẩm {n}
stars: 3
category: {category}
commune: Đồng Thịnh
producer: htx-che-dong-thinh
certificate:
  decision: {n}/QĐ-UBND
  date: 2024-05-12
  issued_by: UBND huyện Sông Lô
---
Mô tả.
"""


@pytest.fixture
def national(site: Path) -> Path:
    """The fixture site with the national classification instead of its own small one."""
    shutil.copy(CLASSIFICATION, site / "content/data/categories.yaml")
    for folder in ("products", "events"):
        for item in (site / "content" / folder).glob("*.md"):
            item.unlink()
    return site


def write_products(site: Path, categories: list[str]) -> None:
    for n, category in enumerate(categories, 1):
        (site / f"content/products/p{n:02d}.md").write_text(
            PRODUCT.format(n=n, category=category), encoding="utf-8")


def leaves(data: dict) -> list[tuple[str, dict]]:
    """(code path, entry) of every product set, in file order."""
    found = []
    for group in data["groups"]:
        for subgroup in group["subgroups"]:
            for category in subgroup.get("categories") or [subgroup]:
                found.append((group["code"], category))
    return found


def test_six_sectors_and_26_product_sets_as_the_appendix_numbers_them():
    data = yaml.safe_load(CLASSIFICATION.read_text(encoding="utf-8"))
    assert [g["code"] for g in data["groups"]] == ["I", "II", "III", "IV", "V", "VI"]
    assert [g["name"] for g in data["groups"]] == [
        "Thực phẩm", "Đồ uống", "Dược liệu và sản phẩm từ dược liệu", "Hàng thủ công mỹ nghệ",
        "Sinh vật cảnh", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"]
    sets = leaves(data)
    assert len(sets) == 26
    assert [sum(1 for g, _ in sets if g == code) for code in ("I", "II", "III", "IV", "V", "VI")
            ] == [13, 4, 3, 2, 3, 1]
    food = {s["name"]: s["code"] for s in data["groups"][0]["subgroups"]}
    assert food == {"Thực phẩm tươi sống": "I.1", "Thực phẩm thô, sơ chế": "I.2",
                    "Thực phẩm chế biến": "I.3", "Gia vị": "I.4", "Chè": "I.5",
                    "Cà phê, ca cao": "I.6"}  # tea and coffee are food, not beverages
    drinks = [s["name"] for s in data["groups"][1]["subgroups"]]
    assert drinks == ["Đồ uống có cồn", "Đồ uống không cồn"]
    names = {c["id"]: c["name"] for _, c in sets}
    assert names["thit-thuy-san-trung-sua-tuoi"] == "Thịt, thủy sản, trứng, sữa tươi"
    assert names["gao-ngu-coc-hat-so-che"] == "Gạo, ngũ cốc, hạt sơ chế khác"
    assert names["san-pham-che-tu-thuc-vat-khac"] == "Sản phẩm chè từ thực vật khác"
    assert names["thu-cong-my-nghe-gia-dung"] == "Thủ công mỹ nghệ gia dụng, trang trí"
    assert all(c.get("name_en") for _, c in sets)


def test_every_product_set_is_reachable_and_files_a_product(national: Path):
    data = yaml.safe_load(CLASSIFICATION.read_text(encoding="utf-8"))
    ids = [c["id"] for _, c in leaves(data)]
    write_products(national, ids)
    _, catalogue, warnings = builder.load(national, today=TODAY)
    assert not [w for w in warnings if w.field == "category"]
    leaf_ids = [c.id for c in catalogue.categories.values() if not c.children]
    assert leaf_ids == ids
    for category_id in ids:
        path = catalogue.category_path(category_id)
        assert path[0].parent is None and path[0].level == "group"  # reached from a sector
        for node in path:  # the product is listed on its set, group and sector pages
            assert len(catalogue.by_category[node.id]) >= 1
        assert [p.category for p in catalogue.by_category[category_id]] == [category_id]


def test_a_set_is_found_by_its_name_even_when_its_group_has_the_same_name(national: Path):
    write_products(national, ["Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
                              "Cà phê, ca cao"])
    _, catalogue, _ = builder.load(national, today=TODAY)
    assert [p.category for p in catalogue.products] == ["dich-vu-du-lich", "ca-phe-ca-cao"]


def test_old_ids_still_build_with_a_warning_naming_the_new_one(national: Path):
    write_products(national, ["mat-ong", "ca-phe", "du-lich-cong-dong"])
    _, catalogue, warnings = builder.load(national, today=TODAY)
    assert [p.category for p in catalogue.products] == [
        "mat-ong-nong-san-thuc-pham-khac", "ca-phe-ca-cao", "dich-vu-du-lich"]
    lines = [w.format() for w in warnings if w.field == "category"]
    assert lines[0] == (
        "content/products/p01.md:4: warning: category: 'mat-ong' is now "
        "'mat-ong-nong-san-thuc-pham-khac' (I.2.b Mật ong, mật khác và nông sản thực phẩm "
        "khác, the product set of the national classification); it still works, but write "
        "'category: mat-ong-nong-san-thuc-pham-khac' / 'mat-ong' nay là "
        "'mat-ong-nong-san-thuc-pham-khac' (I.2.b Mật ong, mật khác và nông sản thực phẩm "
        "khác, bộ sản phẩm theo phân loại quốc gia); vẫn dùng được, nhưng hãy ghi "
        "'category: mat-ong-nong-san-thuc-pham-khac'")
    assert len(lines) == 3


def test_every_old_id_of_the_earlier_40_set_list_is_an_alias_of_a_set():
    data = yaml.safe_load(CLASSIFICATION.read_text(encoding="utf-8"))
    current = {c["id"] for _, c in leaves(data)}
    aliases = data["aliases"]
    kept = {"rau-cu-qua-hat-tuoi", "do-an-nhanh", "che-bien-tu-gao-ngu-coc",
            "che-bien-tu-rau-cu-qua", "tuong-nuoc-mam-gia-vi-long", "gia-vi-khac",
            "che-tuoi-che-bien", "ruou-trang", "do-uong-co-con-khac", "do-uong-khong-con-khac"}
    assert kept <= current
    assert len(aliases) + len(kept) == 40  # the project's earlier list had 40 leaves
    assert set(aliases.values()) <= current and not set(aliases) & current


def test_a_bad_alias_is_an_error_on_its_line(national: Path):
    path = national / "content/data/categories.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  gom-cu: thuc-pham\n  hoa: cay-canh\n",
                    encoding="utf-8")
    write_products(national, ["hoa"])
    with pytest.raises(ContentErrors) as info:
        builder.load(national, today=TODAY)
    messages = [e.format() for e in info.value.errors]
    assert any("'gom-cu' points to 'thuc-pham', which is not a product set" in m
               for m in messages)
    assert any("'hoa' is still an id of this file" in m for m in messages)
