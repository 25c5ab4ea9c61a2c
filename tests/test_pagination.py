"""Long lists come in pages of 60: real builds, links crawled over real HTTP."""
from __future__ import annotations

import re
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.site.listpages import PAGE_SIZE

from .conftest import TODAY
from .linkcheck import crawl
from .test_build_cache import many_products

EXTRA = 2 * PAGE_SIZE + 5  # the fixture's products + these: three pages of "all products"


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="card" data-rank="(\d+)"', html)


def test_long_lists_are_split_and_every_product_is_reached(site: Path, tmp_path: Path,
                                                           http_root) -> None:
    many_products(site, EXTRA)
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY, search=False)
    first = (out / "san-pham/index.html").read_text()
    second = (out / "san-pham/page/2/index.html").read_text()
    third = (out / "san-pham/page/3/index.html").read_text()
    assert not (out / "san-pham/page/4").exists()
    total = len(cards(first)) + len(cards(second)) + len(cards(third))
    assert (len(cards(first)), len(cards(second))) == (PAGE_SIZE, PAGE_SIZE)
    # ranks continue across pages: page 2 starts where page 1 stopped
    assert cards(second)[0] == str(PAGE_SIZE)
    # the heading counts the whole list, not the page
    assert f"{total} sản phẩm" in first and f"{total} sản phẩm" in second
    # first page at the list's own URL; prev/next for browsers and crawlers
    assert '<link rel="next" href="../san-pham/page/2/">' in first
    assert 'rel="prev"' not in first.split("</head>")[0]
    assert '<link rel="prev" href="../../../san-pham/">' in second
    assert '<link rel="next" href="../../../san-pham/page/3/">' in second
    assert "(trang 2)" in second.split("</title>")[0]
    # the sort and filter controls are still there, for the products on the page
    assert '<form class="list-tools" hidden' in second and "list.js" in second
    # every page of every list is reachable by plain links, none broken
    pages, broken = crawl(http_root(out) + "/")
    assert broken == []
    assert any(url.endswith("/san-pham/page/3/") for url in pages)
    assert sum("/san-pham/" in url and "/page/" not in url and url.count("/") == 5
               for url in pages) >= total


def test_short_lists_stay_one_page_without_page_links(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY, search=False)
    html = (out / "san-pham/index.html").read_text()
    assert 'class="pagination"' not in html and 'rel="next"' not in html
    assert not (out / "san-pham/page").exists()
