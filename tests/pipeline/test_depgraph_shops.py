"""The dependency graph knows shops (pipeline/depgraph.py): after an edit of a shop's
words only (address, hours, phone, Zalo, position, description, or its translation's
address), a build plans its page and sheet in every language, the pages of the products
it sells, the index that lists it and the outputs that read everything; any change of
its structure (name, kind, commune, products, photos, files) plans everything. Each
writes what a cold build writes, byte for byte (issue 29)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ocop_site.content.models import Shop
from ocop_site.pipeline import builder, depgraph
from ocop_site.pipeline.session import Session
from ocop_site.site.urls import Page

from ..conftest import TODAY
from ..shops.helpers import add_shops
from .test_depgraph import PRODUCT, append, cold, edit, graph_file, tree

SHOP = "content/shops/ocop-song-lo.md"
SHOP_EN = "content/shops/ocop-song-lo.en.md"
KEY = depgraph.shop_key("ocop-song-lo")
TRANSLATION = """---
name: Sông Lô OCOP showroom
address: Đồng Tâm hamlet, Sông Lô commune
---
The district's showroom.
"""
# what reads the showroom: its page and sheet, the pages of the two products it sells,
# the shops index (each in both languages), and what reads everything
READERS = {
    (f"{lang}{path}index.html",) for lang in ("", "en/") for path in (
        "cua-hang/ocop-song-lo/", "cua-hang/ocop-song-lo/in/", "cua-hang/",
        "san-pham/che-xanh-dong-thinh/", "san-pham/mat-ong-hoa-nhan-don-nhan/")
} | {("feed.xml",), ("en/feed.xml",),
     ("catalogue.json", "catalogue.csv", "thong-ke.csv", "shops.csv")}


@pytest.fixture
def shops_site(site: Path) -> Path:
    """The fixture site in Vietnamese and English, with three shops (one translated)."""
    add_shops(site)
    append(site, "site.yaml", "languages: [vi, en]\n")
    (site / SHOP_EN).write_text(TRANSLATION, encoding="utf-8")
    return site


@pytest.fixture
def built(shops_site: Path, tmp_path: Path) -> tuple[Path, builder.BuildResult]:
    first = builder.build(shops_site, tmp_path / "out", today=TODAY, search=False)
    graph = depgraph.load(graph_file(shops_site))
    assert graph is not None
    # the graph's record of the jobs that read the showroom (or everything)
    assert {j.paths for j in graph.jobs if j.reads is None or KEY in j.reads} == READERS
    return shops_site, first


def build_again(site: Path, tmp_path: Path) -> builder.BuildResult:
    """The CLI into the same folder, with the site's caches."""
    return builder.build(site, tmp_path / "out", today=TODAY, search=False)


# -- the walk --------------------------------------------------------------------------------
def test_a_page_reads_the_shops_it_holds() -> None:
    shop = Shop("cho-moi", "Chợ Mới", "market", "dong-thinh", "Đồng Thịnh", "Chợ",
                ("che-xanh-dong-thinh",))
    reads = depgraph.ProductReads()
    found = reads.of(Page("cua-hang/cho-moi/", "shop.html", "Chợ", {"shops": (shop,)}))
    # a shop's products are slugs, read through their own views: not its reads
    assert found == frozenset({"shop:cho-moi"})
    again = reads.of(Page("cua-hang/", "shops.html", "Cửa hàng", {"s": {"x": shop}}))
    assert again == found and next(iter(again)) is next(iter(found))  # one string a shop


# -- words only ---------------------------------------------------------------------------------
@pytest.mark.parametrize("change", [
    ("hours", lambda site: edit(site, SHOP, "Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00")),
    ("address", lambda site: edit(site, SHOP, "address: Thôn Đồng Tâm",
                                  "address: Số 5, thôn Đồng Tâm")),
    ("phone", lambda site: edit(site, SHOP, 'phone: "0900 000 201"', 'phone: "0900 000 202"')),
    ("position", lambda site: edit(site, SHOP, "lat: 21.45", "lat: 21.46")),
    ("description", lambda site: edit(site, SHOP, "Gian trưng bày của huyện.",
                                      "Gian trưng bày chung của huyện.")),
    ("translated address", lambda site: edit(site, SHOP_EN, "Đồng Tâm hamlet",
                                             "Dong Tam hamlet")),
    ("both files", lambda site: (edit(site, SHOP, "Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00"),
                                 edit(site, SHOP_EN, "showroom.", "showroom, open daily."))),
], ids=lambda change: change[0] if isinstance(change, tuple) else "")
def test_a_shop_words_edit_plans_only_what_shows_the_shop(built, tmp_path: Path,
                                                          change) -> None:
    site, first = built
    change[1](site)
    result = build_again(site, tmp_path)
    assert result.planned == len(READERS) == 13, (result.planned, first.planned)
    planned = {path for paths in READERS for path in paths}
    assert result.changed_paths and set(result.changed_paths) <= planned
    assert tree(tmp_path / "out") == cold(site, tmp_path)


def test_an_hours_edit_remakes_the_shops_pages_its_products_and_the_open_data(
        built, tmp_path: Path) -> None:
    site, first = built
    edit(site, SHOP, "Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00")
    result = build_again(site, tmp_path)
    assert result.planned == 13 and first.planned > 90
    pages = {f"{lang}{path}index.html" for lang in ("", "en/") for path in (
        "cua-hang/ocop-song-lo/", "cua-hang/ocop-song-lo/in/", "cua-hang/",
        "san-pham/che-xanh-dong-thinh/", "san-pham/mat-ong-hoa-nhan-don-nhan/")}
    assert set(result.changed_paths) == pages | {"catalogue.json", "shops.csv"}
    assert result.made == len(pages) + 1  # the open data is one job; the feeds were kept
    assert "08:00–11:00" in (tmp_path / "out/en/cua-hang/ocop-song-lo/index.html"
                             ).read_text(encoding="utf-8")
    assert tree(tmp_path / "out") == cold(site, tmp_path)
    # the graph it saved serves the next edit too
    edit(site, SHOP, "address: Thôn Đồng Tâm", "address: Thôn Đồng Tâm mới")
    assert build_again(site, tmp_path).planned == 13
    assert tree(tmp_path / "out") == cold(site, tmp_path / "again")


def test_a_product_and_a_shop_edited_together_plan_both(built, tmp_path: Path) -> None:
    site, first = built
    graph = depgraph.load(graph_file(site))
    assert graph is not None
    chicken = "dui-ga-hun-khoi-nhu-thuy"  # sold by no shop
    readers = {j.paths for j in graph.jobs if j.reads is None or j.reads & {KEY, chicken}}
    assert READERS < readers
    edit(site, SHOP, "Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00")
    edit(site, "content/products/dui-ga-nhu-thuy.md", "price: 90000", "price: 95000")
    result = build_again(site, tmp_path)
    assert result.planned == len(readers) < first.planned / 2
    assert set(result.changed_paths) <= {path for paths in readers for path in paths}
    assert tree(tmp_path / "out") == cold(site, tmp_path)


# -- structure ----------------------------------------------------------------------------------
@pytest.mark.parametrize("change", [
    ("products", lambda site: edit(site, SHOP, "  - che-xanh-dong-thinh\n", "")),
    ("name", lambda site: edit(site, SHOP, "name: Điểm giới thiệu", "name: Gian giới thiệu")),
    ("kind", lambda site: edit(site, SHOP, "kind: showroom", "kind: shop")),
    ("commune", lambda site: edit(site, SHOP, "commune: Như Thuỵ", "commune: Hải Lựu")),
    ("translated name", lambda site: edit(site, SHOP_EN, "name: Sông Lô OCOP showroom",
                                          "name: Showroom of Sông Lô")),
    ("photo", lambda site: (
        shutil.copy(site / "content/products/images/che.jpg",
                    site / "content/shops/showroom.jpg"),
        edit(site, SHOP, "products:", "images: [showroom.jpg]\nproducts:"))),
    ("translation removed", lambda site: (site / SHOP_EN).unlink()),
    ("shop added", lambda site: (site / "content/shops/cho-moi.md").write_text(
        (site / SHOP).read_text(encoding="utf-8").replace("name: Điểm", "name: Chợ"),
        encoding="utf-8")),
    ("shop and product", lambda site: (
        edit(site, SHOP, "Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00"),
        edit(site, PRODUCT, "stars: 4", "stars: 5"))),
], ids=lambda change: change[0] if isinstance(change, tuple) else "")
def test_a_shop_structure_change_plans_everything(built, tmp_path: Path, change) -> None:
    site, first = built
    change[1](site)
    result = build_again(site, tmp_path)
    graph = depgraph.load(graph_file(site))  # written again, whole
    assert graph is not None and result.planned == len(graph.jobs) > 90
    assert tree(tmp_path / "out") == cold(site, tmp_path)


# -- serve ----------------------------------------------------------------------------------------
def test_a_shop_edit_in_serve_writes_what_a_cold_build_writes(shops_site: Path,
                                                              tmp_path: Path) -> None:
    session = Session(shops_site, tmp_path / "live", today=TODAY, search=False)
    session.build()
    edit(shops_site, SHOP, "Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00")
    result = session.build()
    assert result.planned == len(READERS)
    assert tree(tmp_path / "live") == cold(shops_site, tmp_path)
    edit(shops_site, SHOP_EN, "Đồng Tâm hamlet", "Dong Tam hamlet")
    assert session.build().planned == len(READERS)
    assert tree(tmp_path / "live") == cold(shops_site, tmp_path / "again")
