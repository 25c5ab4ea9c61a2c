"""Printing for fair booths: an A4 product sheet and a printable catalogue by commune.

The sheet is checked in real headless Chromium (Debian's package, driven by Playwright):
what matters is what the print engine lays out, not what the CSS file says.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from ocop_site.text import vietnamese

from .conftest import Built
from .pagedata import parse

CHROMIUM = "/usr/bin/chromium"
A4_MM = (210, 297)


class _Groups(HTMLParser):
    """Commune headings of the printable catalogue and the product links under each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.groups: list[tuple[str, list[str]]] = []
        self._in_h2 = False
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section" and "print-commune" in (values.get("class") or ""):
            self.groups.append(("", []))
        elif tag == "h2" and self.groups:
            self._in_h2 = True
        elif tag == "tbody":
            self._in_body = True
        elif tag == "a" and self._in_body and self.groups:
            self.groups[-1][1].append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data: str) -> None:
        if self._in_h2 and self.groups and not self.groups[-1][0]:
            self.groups[-1] = (data.strip(), self.groups[-1][1])


def test_printable_catalogue_groups_every_product_by_commune(built: Built) -> None:
    parser = _Groups()
    parser.feed(built.page("ban-in/index.html"))
    catalogue = built.catalogue
    expected = [(f"Xã {c.name}", [f"../san-pham/{p.slug}/" for p in catalogue.by_commune[c.slug]])
                for c in catalogue.communes if catalogue.by_commune.get(c.slug)]
    assert parser.groups == expected
    names = [name for name, _links in parser.groups]
    assert names == sorted(names, key=vietnamese.sort_key)  # Vietnamese order: Đ after D
    linked = [link for _name, links in parser.groups for link in links]
    assert len(linked) == len(set(linked)) == len(catalogue.products)
    page = parse(built.page("ban-in/index.html"))
    qr_codes = [img["src"] for img in page.images if img["src"].endswith("qr.svg")]
    assert len(qr_codes) == len(catalogue.products)
    for src in qr_codes:
        assert (built.root / "ban-in" / src).resolve().is_file()


def test_pages_load_the_print_stylesheet_for_print_only(small: Built) -> None:
    page = parse(small.page("san-pham/che-xanh-dong-thinh/index.html"))
    [sheet] = [link for link in page.links if "print.css?v=" in link["href"]]
    assert sheet["media"] == "print"
    path = sheet["href"].split("?")[0]  # the query is the file's fingerprint (site/assets.py)
    assert (small.root / "san-pham/che-xanh-dong-thinh" / path).resolve().is_file()


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        yield page
        browser.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def visible(page: Page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_product_page_prints_on_one_a4_sheet(sample: Built, browser_page: Page) -> None:
    # the sample's longest description, with the most photos: the hardest page to fit
    product = max(sample.catalogue.products,
                  key=lambda p: (len(p.body_html), len(p.images)))
    browser_page.goto((sample.root / f"san-pham/{product.slug}/index.html").as_uri())
    browser_page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".notice"):
        assert not visible(browser_page, hidden), hidden
    for shown in ("h1", ".stars", ".producer-card", ".qr-card img", ".product-media img"):
        assert visible(browser_page, shown), shown
    if product.price is not None:
        assert visible(browser_page, ".price")
    assert browser_page.locator(".product-media figure:visible").count() == 1  # one photo
    qr_box = browser_page.locator(".qr-card img").bounding_box()
    assert qr_box and qr_box["width"] >= 100  # ≈ 3 cm: scannable from a booth table
    pdf = browser_page.pdf(format="A4", print_background=True)
    assert pdf_pages(pdf) == 1, f"{product.slug} does not fit one A4 sheet"
    browser_page.emulate_media(media="screen")
    assert visible(browser_page, ".site-header")  # the print rules stay out of the screen


def test_printable_catalogue_prints_without_site_chrome(small: Built,
                                                         browser_page: Page) -> None:
    browser_page.goto((small.root / "ban-in/index.html").as_uri())
    browser_page.emulate_media(media="print")
    assert not visible(browser_page, ".site-header")
    assert not visible(browser_page, ".no-print")
    assert browser_page.locator(".print-table img:visible").count() == len(
        small.catalogue.products)
    assert pdf_pages(browser_page.pdf(format="A4")) >= 1
