"""communes.yaml and categories.yaml → References."""
from __future__ import annotations

from pathlib import Path

from ocop_site.text import vietnamese
from ocop_site.content.readers.data import read_categories, read_communes, read_data_files

from . import context, lines, write

COMMUNES = """\
communes:
  - name: Sông Lô
    former_names: [Đồng Thịnh, Như Thuỵ]
  - name: Đôn Nhân
    name_en: Don Nhan commune
"""
CATEGORIES = """\
groups:
  - id: do-uong
    name: Đồ uống
    subgroups:
      - id: che-va-san-pham-tu-che
        name: Chè và sản phẩm từ chè
        categories:
          - id: che-tuoi
            code: "2.3.1"
            name: Chè tươi, chè chế biến
  - id: mat-ong
    name: Mật ong
"""


def test_communes_are_indexed_by_every_name(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/communes.yaml", COMMUNES)
    communes, index, readable = read_communes(ctx)
    assert readable and lines(ctx) == []
    assert [(c.slug, c.name_en) for c in communes] == [("song-lo", "Song Lo"),
                                                        ("don-nhan", "Don Nhan commune")]
    assert index[vietnamese.identity_key("Như Thụy")] == "song-lo"  # any tone-mark placement
    assert index[vietnamese.identity_key("Đôn Nhân")] == "don-nhan"


def test_a_name_two_communes_claim_and_a_shared_slug_are_errors(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/communes.yaml", COMMUNES + "  - name: Hải Lựu\n"
          "    former_names: [Đồng Thịnh]\n  - name: Sông-Lô\n")
    communes, _, readable = read_communes(ctx)
    assert readable and [c.slug for c in communes] == ["song-lo", "don-nhan", "hai-luu"]
    # names are indexed once every commune is read (former units may need the district)
    assert sorted(lines(ctx)) == [
        "content/data/communes.yaml:6: former_names: 'Đồng Thịnh' belongs to two communes "
        "(Sông Lô and Hải Lựu) / 'Đồng Thịnh' thuộc về hai xã (Sông Lô và Hải Lựu)",
        "content/data/communes.yaml:8: slug: two communes share the URL slug 'song-lo' "
        "(also line 2); give one a different 'slug:' / hai xã trùng slug 'song-lo' (cũng "
        "ở dòng 2); hãy đặt 'slug:' khác cho một xã"]


def test_a_file_without_its_list_is_unreadable(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/communes.yaml", "xa: []\n")
    write(tmp_path / "content/data/categories.yaml", "groups: []\n")
    references = read_data_files(ctx)
    assert not references.communes_readable and not references.categories_readable
    assert [line.split(" / ")[0] for line in lines(ctx)] == [
        "content/data/communes.yaml:1: communes: expected 'communes:' followed by a list "
        "of communes",
        "content/data/categories.yaml:1: groups: expected 'groups:' followed by a list"]


def test_categories_keep_file_order_with_parents_and_children(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/categories.yaml", CATEGORIES)
    categories, readable, _ = read_categories(ctx)
    assert readable and lines(ctx) == []
    assert list(categories) == ["do-uong", "che-va-san-pham-tu-che", "che-tuoi", "mat-ong"]
    tea = categories["che-tuoi"]
    assert (tea.level, tea.parent, tea.code, tea.children) == (
        "category", "che-va-san-pham-tu-che", "2.3.1", ())
    assert categories["do-uong"].children == ("che-va-san-pham-tu-che",)


def test_categories_are_found_by_id_or_name(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/communes.yaml", COMMUNES)
    write(tmp_path / "content/data/categories.yaml", CATEGORIES)
    index = read_data_files(ctx).category_index
    assert index["che-tuoi"] == index[vietnamese.slugify("Chè tươi, chè chế biến")] == "che-tuoi"


def test_bad_category_entries_are_each_reported(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/categories.yaml", CATEGORIES + "  - id: Mật Ong\n"
          "    name: x\n  - id: mat-ong\n    name: again\n  - name: no id\n")
    categories, readable, _ = read_categories(ctx)
    assert readable and "mat-ong" in categories
    assert [line.split(" / ")[0] for line in lines(ctx)] == [
        "content/data/categories.yaml:13: id: an id uses only a-z, 0-9 and '-'; write "
        "'mat-ong'",
        "content/data/categories.yaml:15: id: duplicate id 'mat-ong'",
        "content/data/categories.yaml:17: group: each entry needs 'id:' and 'name:'"]
