"""References: each kind of name resolved, and its error worded, in one place."""
from __future__ import annotations

from ocop_site.content.models import Category, Commune
from ocop_site.content.readers.data import category_index
from ocop_site.content.references import References
from ocop_site.text import vietnamese
from ocop_site.errors import ErrorCollector

COMMUNES = (Commune("song-lo", "Sông Lô", "Song Lo", ("Như Thụy", "Đồng Thịnh")),
            Commune("don-nhan", "Đôn Nhân", "Don Nhan"))
CATEGORIES = {
    "do-uong": Category("do-uong", "2", "Đồ uống", "Beverages", "group", None, ("che",)),
    "che": Category("che", "2.3.1", "Chè tươi", "Tea", "category", "do-uong"),
}


def refs(**changes) -> References:
    index = {vietnamese.identity_key(name): c.slug for c in COMMUNES
             for name in (c.name, *c.former_names)}
    return References(COMMUNES, index, CATEGORIES, category_index(CATEGORIES),
                      frozenset({"htx-che"}), **changes)


def reported(check) -> tuple[object, list[str]]:
    errors = ErrorCollector()
    found = check(errors)
    return found, [e.format() for e in errors.errors]


def test_a_commune_by_any_of_its_names() -> None:
    for written in ("Sông Lô", "xã Như Thuỵ", "Thị trấn Đồng Thịnh", "ĐÔN NHÂN"):
        found, errors = reported(lambda e: refs().commune(e, "p.md", 5, written))
        assert (found, errors) == ("don-nhan" if "NHÂN" in written else "song-lo", [])


def test_an_unknown_commune_suggests_the_nearest_name() -> None:
    found, errors = reported(lambda e: refs().commune(e, "p.md", 5, "Đôn Nhan"))
    assert found is None
    assert errors == ["p.md:5: commune: unknown commune 'Đôn Nhan' — did you mean 'Đôn "
                      "Nhân'? (communes are listed in content/data/communes.yaml) / không "
                      "có xã 'Đôn Nhan' — có phải là 'Đôn Nhân'? (danh sách xã ở "
                      "content/data/communes.yaml)"]


def test_no_cascade_when_a_data_file_was_unreadable() -> None:
    quiet = refs(communes_readable=False, categories_readable=False)
    assert reported(lambda e: quiet.commune(e, "p.md", 5, "Hà Nội")) == (None, [])
    assert reported(lambda e: quiet.product_set(e, "p.md", 4, "keo")) == (None, [])


def test_a_product_set_by_id_or_name_but_not_a_group() -> None:
    assert reported(lambda e: refs().product_set(e, "p.md", 4, "che")) == ("che", [])
    assert reported(lambda e: refs().product_set(e, "p.md", 4, "Chè tươi")) == ("che", [])
    found, errors = reported(lambda e: refs().product_set(e, "p.md", 4, "Đồ uống"))
    assert found is None
    assert errors == ["p.md:4: category: 'Đồ uống' is a group; choose one of its product "
                      "sets: che / 'Đồ uống' là nhóm lớn; hãy chọn một bộ sản phẩm trong "
                      "đó: che"]


def test_an_unknown_category_suggests_a_product_set() -> None:
    found, errors = reported(lambda e: refs().product_set(e, "p.md", 4, "chee"))
    assert found is None
    assert errors == ["p.md:4: category: unknown category 'chee' — did you mean 'che'? "
                      "(use a product-set id from content/data/categories.yaml) / không có "
                      "nhóm 'chee' — có phải là 'che'? (dùng id bộ sản phẩm trong "
                      "content/data/categories.yaml)"]


def test_a_producer_by_its_file_name_written_any_way() -> None:
    assert reported(lambda e: refs().producer(e, "p.md", 6, "HTX Chè")) == ("htx-che", [])
    found, errors = reported(lambda e: refs().producer(e, "p.md", 6, "htx-chee"))
    assert found is None
    assert errors[0].startswith("p.md:6: producer: unknown producer 'htx-chee' — did you "
                                "mean 'htx-che'? (the id is the file name in "
                                "content/producers/ without .md) / ")
