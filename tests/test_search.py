"""Search index and list-page markup, on real builds of the search fixture site.

What a buyer sees in the browser is tested in test_search_browser.py; the index
writer's rules in test_searchindex.py; here: the index the build writes (products and
shops, deterministic, kept from the cache), and the markup the search page and list
pages are built from.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder

from .conftest import REPO, TODAY

SEARCH_SITE = REPO / "tests" / "data" / "search-site"
PRODUCT_COUNT = 8  # published products in tests/data/search-site


@pytest.fixture
def search_site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SEARCH_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


@pytest.fixture
def built(search_site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    builder.build(search_site, out, today=TODAY)
    return out


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the index -------------------------------------------------------------------------

def test_build_writes_the_index_of_the_products(built: Path) -> None:
    folder = built / "search-index/vi"
    manifest = json.loads((folder / "index.json").read_text())
    assert manifest["n"] == manifest["p"] == PRODUCT_COUNT
    assert not (built / "pagefind").exists()
    cards = json.loads(next((folder / "d").glob("0.*.json")).read_text())
    assert len(cards) == PRODUCT_COUNT
    assert all(re.fullmatch(r"san-pham/[a-z0-9-]+/", card["u"]) for card in cards)
    che = next(card for card in cards if card["t"] == "Chè xanh Đồng Thịnh")
    assert re.fullmatch(r"img/[^/]+\.jpg", che["i"]) and che["s"] == 4
    assert sorted(p.name.split(".")[0] for p in folder.glob("facets.*.json")) == ["facets"]


def test_product_pages_carry_nothing_for_the_index(built: Path) -> None:
    """The index is made from search docs (test_searchrecords.py), not from pages: the
    products listed on a page do not make it match their names."""
    che = (built / "san-pham/che-xanh-dong-thinh/index.html").read_text()
    assert "data-pagefind" not in che and "Hồng trà Đồng Thịnh" in che
    folder = built / "search-index/vi"
    manifest = json.loads((folder / "index.json").read_text())
    shard = json.loads((folder / f"w/ho.{manifest['w']['ho']}.json").read_text())
    cards = json.loads(next((folder / "d").glob("0.*.json")).read_text())
    ordinal, total = [], 0
    for value in shard["hong"]["hồng"]:
        total += value // 64
        ordinal.append(cards[total]["t"])
    assert ordinal == ["Hồng trà Đồng Thịnh"]


def test_rebuilds_are_byte_identical(search_site: Path, tmp_path: Path) -> None:
    builder.build(search_site, tmp_path / "a", today=TODAY)
    result = builder.build(search_site, tmp_path / "a", today=TODAY)
    assert result.changed == 0  # the index is hard-linked like any unchanged file
    shutil.rmtree(search_site / ".cache")
    builder.build(search_site, tmp_path / "b", today=TODAY)
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert [p for p in a if p.startswith("search-index/vi/w/")]
    assert a == b


def test_an_edit_is_indexed_as_a_cold_build_would(search_site: Path, tmp_path: Path) -> None:
    """The second build takes the other docs' words from .cache/search-index/; its index
    is the one a build without any cache writes."""
    builder.build(search_site, tmp_path / "a", today=TODAY)
    product = search_site / "content/products/buoi-don-nhan.md"
    product.write_text(product.read_text().replace("ngọt như mật", "ngọt như đường"))
    builder.build(search_site, tmp_path / "a", today=TODAY)
    shutil.rmtree(search_site / ".cache")
    builder.build(search_site, tmp_path / "b", today=TODAY)
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert {p: h for p, h in a.items() if p.startswith("search-index/")} == \
        {p: h for p, h in b.items() if p.startswith("search-index/")}


def test_empty_catalogue_builds_without_an_index(search_site: Path, tmp_path: Path) -> None:
    for product in (search_site / "content/products").glob("*.md"):
        product.unlink()
    out = tmp_path / "public"
    builder.build(search_site, out, today=TODAY)
    assert not (out / "search-index").exists()
    html = (out / "tim-kiem/index.html").read_text()
    assert "Chưa có sản phẩm nào để tìm" in html and "search.js" not in html


# -- search page and header ------------------------------------------------------------

def test_every_page_has_the_search_box(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if not p.relative_to(built).parts[0] == "search-index"]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text()
        match = re.search(r'<form class="site-search" role="search" action="([^"]+)" '
                          r'method="get">', html)
        assert match, page
        assert '<label for="site-search-q"' in html and 'name="q"' in html
        # the 404 and offline pages, served at any address, link from the site root
        if page.name != "404.html" and "khong-co-mang" not in page.parts:
            assert (page.parent / match.group(1) / "index.html").resolve() == \
                (built / "tim-kiem/index.html").resolve(), page


def test_search_page_is_honest_without_javascript(built: Path) -> None:
    html = (built / "tim-kiem/index.html").read_text()
    assert '<html lang="vi">' in html
    assert '<p class="alert" id="search-needs-js">Tìm kiếm cần JavaScript' in html
    assert re.search(r'<form class="search-form" role="search" method="get" hidden', html)
    for target in ("../san-pham/", "../xa/", "../danh-muc/", "../sao/"):
        assert f'href="{target}"' in html
    assert 'data-index="../search-index/"' in html
    # facets are rendered by the build, in catalogue order, with product counts
    assert re.search(r'name="stars" value="5"> 5 sao <span class="count" data-count>2<', html)
    communes = re.findall(r'name="commune" value="([^"]+)"', html)
    assert communes == ["Đôn Nhân", "Đồng Quế", "Hải Lựu", "Lãng Công", "Phương Khoản",
                        "Sông Lô"]


# -- list pages ------------------------------------------------------------------------

def _cards(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'data-(\w+)="([^"]*)"', attrs))
            for attrs in re.findall(r'<li class="card"([^>]*)>', html)]


def test_list_pages_carry_sort_keys_in_name_order(built: Path) -> None:
    config, catalogue, _ = builder.load(SEARCH_SITE, today=TODAY)
    html = (built / "san-pham/index.html").read_text()
    cards = _cards(html)
    assert [int(c["rank"]) for c in cards] == list(range(PRODUCT_COUNT))
    names = re.findall(r'<span class="card-title">([^<]+)</span>', html)
    assert names == [p.name for p in catalogue.products]
    honey = cards[names.index("Mật ong hoa rừng Sông Lô")]
    assert honey == {"rank": str(names.index("Mật ong hoa rừng Sông Lô")), "stars": "5",
                     "price": "320000", "date": "2025-10-18",
                     "cats": "thuc-pham thuc-pham-che-bien mat-ong"}
    assert cards[names.index("Rượu men lá Bạch Lưu")]["price"] == ""
    assert re.search(r'<script src="\.\./assets/js/list\.js\?v=[0-9a-f]{10}" defer></script>',
                     html)
    assert re.search(r'<form class="list-tools" hidden', html)


def test_list_filters_offer_only_choices_that_narrow(built: Path) -> None:
    everything = (built / "san-pham/index.html").read_text()
    assert re.findall(r'<option value="([\w-]+)">[^<]+\(\d+\)', everything) == [
        "5", "4", "3", "thuc-pham", "do-uong", "thu-cong-my-nghe"]
    food = (built / "danh-muc/thuc-pham/index.html").read_text()  # one group: product sets
    assert 'name="category"' in food
    assert re.findall(r'<option value="([a-z-]+)">[^<]+\(\d+\)', food) == [
        "rau-cu-qua-hat-tuoi", "mat-ong", "che-bien-tu-thit"]
    five = (built / "sao/5/index.html").read_text()  # one star count: no stars filter
    assert 'name="stars"' not in five and 'name="category"' in five
    single = (built / "xa/dong-que/index.html").read_text()  # one product: no tools at all
    assert "list-tools" not in single and "list.js" not in single


def test_list_script_stays_small() -> None:
    assert (REPO / "assets/js/list.js").stat().st_size < 3 * 1024
