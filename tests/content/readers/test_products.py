"""content/products/*.md, checked against References; certificates and their validity."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ocop_site.text import vietnamese
from ocop_site.content.models import Category
from ocop_site.content.readers.products import add_months, read_product, read_products
from ocop_site.content.references import References

from . import context, lines, warnings, write

REFS = References(
    commune_index={vietnamese.identity_key("Đồng Thịnh"): "song-lo"},
    categories={"che": Category("che", "", "Chè", "Tea", "category")},
    category_index={"che": "che"}, producer_ids=frozenset({"htx-che"}))
PRODUCT = """\
---
name: Chè xanh
stars: 4
category: che
commune: Đồng Thịnh
producer: htx-che
certificate:
  decision: 1/QĐ-UBND
  date: 2024-05-12
---
Chè búp.

Hái tay.
"""


def product_file(root: Path, name: str = "che.md", text_: str = PRODUCT) -> Path:
    return write(root / "content/products" / name, text_)


def test_a_product_is_read_with_its_references_and_certificate(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    product = read_product(ctx, REFS, product_file(tmp_path))
    assert lines(ctx) == [] and warnings(ctx) == []
    assert (product.slug, product.category, product.commune, product.commune_as_written,
            product.producer) == ("che-xanh", "che", "song-lo", "Đồng Thịnh", "htx-che")
    assert product.certificate.valid_until == dt.date(2027, 5, 12)  # 36 months
    assert product.summary == "Chè búp."  # the first paragraph


def test_every_problem_of_one_product_is_reported_together(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    broken = PRODUCT.replace("stars: 4", "stars: 2").replace("htx-che", "htx-x") \
        .replace("2024-05-12", "2027-01-01").replace("Chè búp.", "") \
        .replace("name: Chè xanh", "name: Chè xanh\nslug: Che Xanh\nprice: -1")
    assert read_product(ctx, REFS, product_file(tmp_path, text_=broken)) is None
    assert [line.split(" / ")[0] for line in lines(ctx)] == [
        "content/products/che.md:5: stars: must be 3, 4 or 5 (got 2); only 3★ and above "
        "are certified",
        "content/products/che.md:8: producer: unknown producer 'htx-x' — did you mean "
        "'htx-che'? (the id is the file name in content/producers/ without .md)",
        "content/products/che.md:11: certificate.date: 2027-01-01 is in the future; write "
        "the date the decision was signed",
        "content/products/che.md:4: price: must not be negative",
        "content/products/che.md:3: slug: a slug uses only a-z, 0-9 and '-'; write "
        "'che-xanh'"]


def test_an_expired_certificate_is_a_warning(tmp_path: Path) -> None:
    ctx = context(tmp_path, today=dt.date(2027, 5, 13))
    assert read_product(ctx, REFS, product_file(tmp_path)) is not None
    assert lines(ctx) == []
    assert warnings(ctx) == [
        "content/products/che.md:9: warning: certificate: the certificate expired on "
        "2027-05-12; the page says so until it is renewed / giấy chứng nhận đã hết hạn "
        "ngày 2027-05-12; trang sản phẩm sẽ ghi rõ cho tới khi được công nhận lại"]


def test_valid_until_must_follow_the_date(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    early = PRODUCT.replace("  date: 2024-05-12", "  date: 2024-05-12\n  valid_until: 2024-01-01")
    assert read_product(ctx, REFS, product_file(tmp_path, text_=early)) is None
    assert lines(ctx) == ["content/products/che.md:10: certificate.valid_until: must be after "
                          "the certificate date / phải sau ngày cấp giấy chứng nhận"]


def test_two_products_with_one_url_are_reported(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    paths = [product_file(tmp_path, "a.md"), product_file(tmp_path, "b.md")]
    products = read_products(ctx, REFS, paths)
    assert [p.source for p in products] == ["content/products/a.md", "content/products/b.md"]
    assert lines(ctx)[0].startswith(
        "content/products/b.md:1: slug: 'content/products/b.md' and 'content/products/a.md' "
        "both map to the URL san-pham/che-xanh/")


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
