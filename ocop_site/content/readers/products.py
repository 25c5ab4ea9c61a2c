"""content/products/*.md: the certified products, each checked against the References
(commune, category, producer) and given its certificate's validity."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from ...rules import certifier
from ...text import vietnamese
from ...text.frontmatter import Document
from ..models import Certificate, ImageRef, Product
from ..references import References
from ..schema import PRODUCT_FIELDS, PRODUCT_TEXT_FIELDS, check_fields
from .checks import first_per_key, image_refs, url_part_ok
from .context import ReadContext
from .online import online_stores
from .translations import read_translations

CERTIFICATE_MONTHS = 36


def read_products(ctx: ReadContext, refs: References,
                  paths: Iterable[Path]) -> tuple[Product, ...]:
    """The products that load, in file order; two giving one URL are both kept and the
    second is reported (the build stops on it anyway)."""
    def same_url(product: Product, other: Product) -> None:
        ctx.errors.add(product.source, 1, "slug",
                       f"'{product.source}' and '{other.source}' both map to the URL "
                       f"san-pham/{product.slug}/; give one of them a different "
                       "'slug:' or name",
                       f"'{product.source}' và '{other.source}' cùng địa chỉ "
                       f"san-pham/{product.slug}/; hãy đổi 'slug:' hoặc tên của một "
                       "sản phẩm")

    loaded = (read_product(ctx, refs, path) for path in paths)
    products = tuple(p for p in loaded if p is not None)
    first_per_key(products, lambda p: p.slug, same_url)
    return products


def read_product(ctx: ReadContext, refs: References, path: Path) -> Product | None:
    """One product file checked against `refs`; None if it has errors. Checks that span
    products (duplicate URLs, events) are read_products' and the events reader's."""
    shown = ctx.shown(path)
    doc = ctx.read_document(path)
    if doc is None:
        return None
    errors = ctx.errors
    before = ctx.error_count()
    clean = check_fields(doc, PRODUCT_FIELDS, shown, errors)
    stars = clean.get("stars")
    _check_stars(ctx, shown, doc, stars)
    category = commune = producer = None
    if "category" in clean:
        category = refs.product_set(errors, shown, doc.line_of("category"), clean["category"])
    if "commune" in clean:
        commune = refs.commune(errors, shown, doc.line_of("commune"), clean["commune"])
    if "producer" in clean:
        producer = refs.producer(errors, shown, doc.line_of("producer"), clean["producer"])
    certificate = read_certificate(ctx, doc, clean.get("certificate"), shown)
    price = clean.get("price")
    if price is not None and price < 0:
        errors.add(shown, doc.line_of("price"), "price", "must not be negative",
                   "không được là số âm")
    name = clean.get("name", "")
    slug = clean.get("slug") or vietnamese.slugify(name)
    if name:
        url_part_ok(ctx, shown, doc, clean.get("slug"), slug, doc.line_of("name"))
    images: tuple[ImageRef, ...] = ()
    if "images" in clean:
        images = image_refs(ctx, doc, clean["images"], path.parent, shown, "images", name)
    stores = online_stores(ctx, shown, doc, clean.get("buy_online", []), refs.platforms)
    # a required field missing or unreadable, or a producer not found, is an error
    if ctx.error_count() > before or certificate is None or stars is None or producer is None:
        return None
    _warn_if_miscertified(ctx, refs, shown, doc, clean.get("stars"), certificate)
    _warn_if_expired(ctx, shown, doc, certificate)
    translations = read_translations(ctx, path, PRODUCT_TEXT_FIELDS, PRODUCT_FIELDS)
    if ctx.error_count() > before:
        return None
    body_html = ctx.body_html(doc)
    # a product set or commune is None without an error here only when the data file
    # listing them could not be read: its own error stops the build (as for producers)
    return Product(
        slug=slug, name=name, stars=stars, category=category or "", commune=commune or "",
        commune_as_written=clean["commune"], producer=producer, certificate=certificate,
        summary=clean.get("summary") or ctx.first_paragraph(doc, body_html),
        body_html=body_html, price=price, unit=clean.get("unit", ""), images=images,
        featured=clean.get("featured", False), draft=clean.get("draft", False),
        source=shown, translations=translations, buy_online=stores)


def _check_stars(ctx: ReadContext, shown: str, doc: Document, stars: int | None) -> None:
    if stars is not None and not 3 <= stars <= 5:
        ctx.errors.add(shown, doc.line_of("stars"), "stars",
                       f"must be 3, 4 or 5 (got {stars}); only 3★ and above are certified",
                       f"phải là 3, 4 hoặc 5 (đang ghi {stars}); chỉ sản phẩm từ 3 sao "
                       "trở lên được công nhận")


def _warn_if_miscertified(ctx: ReadContext, refs: References, shown: str, doc: Document,
                          stars: int | None, certificate: Certificate) -> None:
    """Warn where stars, date and signer disagree with the period's rule."""
    if stars is None:
        return
    found = certifier.check(stars, certificate.date, certificate.issued_by,
                            certificate.issuer_level or None, refs.certifier_rules)
    if found:
        line = doc.line_of("certificate", "issued_by") if certificate.issued_by else \
            doc.line_of("certificate", "issuer_level")
        ctx.errors.warn(shown, line, "certificate", *found)


def _warn_if_expired(ctx: ReadContext, shown: str, doc: Document,
                     certificate: Certificate) -> None:
    if certificate.expired_on(ctx.today):
        until = certificate.valid_until.isoformat()
        ctx.errors.warn(shown, doc.line_of("certificate", "date"), "certificate",
                        f"the certificate expired on {until}; the page says so until it "
                        "is renewed",
                        f"giấy chứng nhận đã hết hạn ngày {until}; trang sản phẩm sẽ ghi "
                        "rõ cho tới khi được công nhận lại")


def read_certificate(ctx: ReadContext, doc: Document, value: dict | None,
                     shown: str) -> Certificate | None:
    """The certificate with its validity (36 months unless `valid_until` says); None
    when it is missing (check_fields reported that) or its dates are wrong."""
    if not value or "decision" not in value or "date" not in value:
        return None
    signed: dt.date = value["date"]
    line = doc.line_of("certificate", "date")
    ok = True
    if signed > ctx.today:
        ctx.errors.add(shown, line, "certificate.date",
                       f"{signed.isoformat()} is in the future; write the date the "
                       "decision was signed",
                       f"{signed.isoformat()} là ngày trong tương lai; hãy ghi ngày ký "
                       "quyết định")
        ok = False
    valid_until = value.get("valid_until") or add_months(signed, CERTIFICATE_MONTHS)
    if valid_until <= signed:
        ctx.errors.add(shown, doc.line_of("certificate", "valid_until"),
                       "certificate.valid_until", "must be after the certificate date",
                       "phải sau ngày cấp giấy chứng nhận")
        ok = False
    level = value.get("issuer_level", "")
    if level and certifier.parse_level(level) is None:
        ctx.errors.add(shown, doc.line_of("certificate", "issuer_level"),
                       "certificate.issuer_level",
                       f"'{level}' is not a level; write commune, district, province or "
                       "central",
                       f"'{level}' không phải là cấp; hãy ghi commune (xã), district "
                       "(huyện), province (tỉnh) hoặc central (trung ương)")
        ok = False
    if not ok:
        return None
    return Certificate(value["decision"], signed, valid_until, value.get("issued_by", ""),
                       (certifier.parse_level(level) or "") if level else "")


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamping the day (29 Feb + 36 months → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")
