"""Shops in the search index: the search fixture site with a shop, built with the
index writer and served on 127.0.0.1, searched in headless Chromium the way buyers type
(without diacritics): the shop's name and its commune list its page, whose result card
shows its kind and commune instead of stars and price."""
from __future__ import annotations

import shutil
from typing import Iterator

import pytest

from ocop_site.pipeline import builder

from ..conftest import REPO, TODAY
from ..quality.browser import in_browser
from ..quality.serving import serve

SEARCH_SITE = REPO / "tests" / "data" / "search-site"
NAME = "Quầy đặc sản Bích Ngọc"
SHOP = f"""---
name: {NAME}
kind: supermarket
commune: Hải Lựu
address: Đường tỉnh 307, gần bến xe
products: [che-xanh-dong-thinh, buoi-don-nhan]
---
Quầy đặc sản ở tầng một.
"""
CARDS = """() => [...document.querySelectorAll('[data-results] .card')].map(card => ({
  title: card.querySelector('.card-title').textContent,
  href: card.querySelector('a').getAttribute('href'),
  kind: (card.querySelector('.card-kind') || {}).textContent || '',
  commune: (card.querySelector('.card-commune') || {}).textContent || '',
  stars: !!card.querySelector('.stars'), price: !!card.querySelector('.price')}))"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("shops-search")
    site = root / "site"
    shutil.copytree(SEARCH_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    (site / "content" / "shops").mkdir()
    (site / "content" / "shops" / "quay-bich-ngoc.md").write_text(SHOP, encoding="utf-8")
    out = root / "public"
    served = serve(out)
    builder.build(site, out, base_url=served.origin + "/", today=TODAY)
    yield served.origin
    served.stop()


def search(base: str, queries: list[str], tick: str = "") -> list[list[dict]]:
    """Each query typed key by key into the search page's box: its result cards."""
    def work(browser):
        context = browser.new_context()
        errors: list[str] = []
        context.on("weberror", lambda error: errors.append(str(error.error)))
        page = context.new_page()
        found = []
        for query in queries:
            page.goto(f"{base}/tim-kiem/")
            if tick:
                page.locator(".filters > summary").click()  # closed until asked for
                page.locator(tick).check()
            page.locator("#search-q").press_sequentially(query, delay=15)
            page.wait_for_function(
                "q => document.querySelector('[data-status]').textContent.includes(q)",
                arg=f"“{query}”")
            found.append(page.evaluate(CARDS))
        context.close()
        assert errors == []
        return found
    return in_browser(work)


def test_the_shops_name_and_commune_without_diacritics_find_its_page(base: str) -> None:
    by_name, by_commune, with_marks = search(base, ["bich ngoc", "hai luu", "Bích Ngọc"])
    assert [card["href"] for card in by_name] == ["/cua-hang/quay-bich-ngoc/"]
    assert [card["href"] for card in with_marks] == ["/cua-hang/quay-bich-ngoc/"]
    assert "/cua-hang/quay-bich-ngoc/" in [card["href"] for card in by_commune]
    card = by_name[0]
    assert card["title"] == NAME
    assert card["kind"] == "Siêu thị"
    assert card["commune"] == "Xã Hải Lựu"
    assert not card["stars"] and not card["price"]


def test_the_status_counts_products_and_shops_apart(base: str) -> None:
    def work(browser):
        page = browser.new_page()
        page.goto(f"{base}/tim-kiem/?q=hai+luu")
        page.wait_for_function("document.querySelector('[data-status]').textContent")
        text = page.locator("[data-status]").text_content()
        page.close()
        return text
    assert in_browser(work) == "1 sản phẩm và 1 cửa hàng cho “hai luu”"


def test_a_ticked_facet_leaves_the_shops_out(base: str) -> None:
    [found] = search(base, ["hai luu"], tick='input[name="stars"][value="4"]')
    assert "/cua-hang/quay-bich-ngoc/" not in [card["href"] for card in found]


def test_a_shop_edit_re_indexes(tmp_path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SEARCH_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    (site / "content" / "shops").mkdir()
    shop = site / "content" / "shops" / "quay-bich-ngoc.md"
    shop.write_text(SHOP, encoding="utf-8")
    out = tmp_path / "public"

    def index() -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted((out / "search-index").rglob("*")) if p.is_file()}
    builder.build(site, out, today=TODAY)
    before = index()
    builder.build(site, out, today=TODAY)
    assert index() == before  # nothing edited: the same index
    shop.write_text(SHOP.replace("gần bến xe", "cạnh chợ Hải Lựu"), encoding="utf-8")
    builder.build(site, out, today=TODAY)
    assert index() != before
