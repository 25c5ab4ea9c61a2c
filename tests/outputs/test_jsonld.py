"""schema.org JSON-LD: parsed with json and checked field by field, on real built pages."""
from __future__ import annotations

from pathlib import Path

from ocop_site.pipeline import builder

from ..conftest import TODAY
from .conftest import Built, copy_fixture
from .pagedata import jsonld, of_type, parse


def test_product_page_describes_the_product(small: Built) -> None:
    base = small.config.base_url
    blocks = jsonld(small.page("san-pham/che-xanh-dong-thinh/index.html"))
    [product] = of_type(blocks, "Product")
    assert product["@context"] == "https://schema.org"
    assert product["name"] == "Chè xanh Đồng Thịnh"
    assert product["url"] == base + "san-pham/che-xanh-dong-thinh/"
    assert product["description"] == "Chè búp xanh hái tay trên đồi Đồng Thịnh."
    assert product["award"] == "OCOP 4 sao"
    assert product["category"].endswith("Chè tươi, chè chế biến")
    assert product["offers"] == {
        "@type": "Offer", "price": 150000, "priceCurrency": "VND",
        "url": base + "san-pham/che-xanh-dong-thinh/",
        "seller": {"@id": base + "co-so/htx-che-dong-thinh/#organization"}}
    for role in ("brand", "manufacturer"):
        assert product[role]["name"] == "Hợp tác xã Chè Đồng Thịnh"
        assert product[role]["url"] == base + "co-so/htx-che-dong-thinh/"
    assert product["manufacturer"]["telephone"] == "0900 000 101"
    assert product["manufacturer"]["address"]["addressCountry"] == "VN"
    assert product["image"], "the product has a photo"
    for url in product["image"]:
        assert small.file_for(url).is_file(), url


def test_price_and_award_only_when_true(small: Built) -> None:
    # the honey has no price, and its certificate expired on 2024-03-01
    [honey] = of_type(jsonld(small.page("san-pham/mat-ong-hoa-nhan-don-nhan/index.html")),
                      "Product")
    assert "offers" not in honey
    assert "award" not in honey
    assert "image" not in honey  # no photo: no made-up image URL
    [chicken] = of_type(jsonld(small.page("san-pham/dui-ga-hun-khoi-nhu-thuy/index.html")),
                        "Product")
    assert chicken["award"] == "OCOP 5 sao"
    assert chicken["offers"]["price"] == 90000


def test_producer_page_is_a_local_business(small: Built) -> None:
    blocks = jsonld(small.page("co-so/ho-mat-ong-don-nhan/index.html"))
    [business] = of_type(blocks, "LocalBusiness")
    assert business["name"] == "Hộ ông Nguyễn Văn An"
    assert business["telephone"] == "0900 000 102"
    assert business["url"] == small.config.base_url + "co-so/ho-mat-ong-don-nhan/"
    assert business["address"] == {
        "@type": "PostalAddress", "streetAddress": "Thôn 2, xã Đôn Nhân",
        "addressLocality": "Đôn Nhân", "addressRegion": "Phú Thọ", "addressCountry": "VN"}
    assert business["sameAs"] == ["https://example.org/mat-ong"]


def test_breadcrumbs_match_the_visible_trail(small: Built) -> None:
    [trail] = of_type(jsonld(small.page("danh-muc/che-tuoi-che-bien/index.html")),
                      "BreadcrumbList")
    items = trail["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert [i["name"] for i in items] == [
        "OCOP Thử nghiệm", "Danh mục", "Đồ uống", "Chè và sản phẩm từ chè",
        "Chè tươi, chè chế biến"]
    assert items[-1]["item"] == small.config.base_url + "danh-muc/che-tuoi-che-bien/"
    for item in items:
        assert small.file_for(item["item"]).is_file()


def test_every_page_of_the_sample_has_valid_json_ld(sample: Built) -> None:
    pages = sorted(sample.root.rglob("*.html"))
    assert len(pages) > 50
    products = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        blocks = jsonld(html)  # raises on invalid JSON
        canonical = [link["href"] for link in parse(html).links
                     if link.get("rel") == "canonical"]
        for block in of_type(blocks, "Product"):
            products += 1
            assert [block["url"]] == canonical
            assert block["name"] and block["description"]
            assert block["manufacturer"]["name"] == block["brand"]["name"]
            for url in block.get("image", []):
                assert sample.file_for(url).is_file(), url
            if "offers" in block:
                assert block["offers"]["priceCurrency"] == "VND"
                assert isinstance(block["offers"]["price"], int)
        for block in of_type(blocks, "BreadcrumbList"):
            assert block["itemListElement"][-1]["item"] == canonical[0]
    # one Product block per product page, in every language of the site
    assert products == len(sample.catalogue.products) * len(sample.config.languages)


def test_event_page_describes_the_event(small: Built) -> None:
    [event] = of_type(jsonld(small.page("su-kien/phien-cho-thu-nghiem/index.html")), "Event")
    assert event["name"] == "Phiên chợ OCOP thử nghiệm"
    assert (event["startDate"], event["endDate"]) == ("2026-06-20", "2026-06-21")
    assert event["location"]["name"] == "Nhà văn hóa xã Sông Lô"


def test_text_cannot_break_out_of_the_script_element(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    product = site / "content/products/che-xanh-dong-thinh.md"
    hostile = 'Chè "ngon" </script><script>alert(1)</script> <!-- <script> & end'
    source = product.read_text(encoding="utf-8")
    product.write_text(source.replace("featured: true",
                                      f"featured: true\nsummary: '{hostile}'"),
                       encoding="utf-8")
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    html = (out / "san-pham/che-xanh-dong-thinh/index.html").read_text("utf-8")
    # the HTML parser sees only the JSON-LD scripts, the share button's (partials/share.html)
    # and the service worker's registration (base.html): nothing closed one early or added one
    scripts = parse(html).scripts
    others = [text for kind, text in scripts if kind != "application/ld+json"]
    assert len(scripts) > len(others) == 2
    assert "navigator" in others[0] and "serviceWorker.register" in others[1]
    assert not any("alert" in text for text in others)
    [product_ld] = of_type(jsonld(html), "Product")
    _config, catalogue, _warnings = builder.load(site, today=TODAY)
    [loaded] = [p for p in catalogue.products if p.slug == "che-xanh-dong-thinh"]
    assert "</script><script>alert(1)</script> <!-- <script>" in loaded.summary
    assert product_ld["description"] == loaded.summary
