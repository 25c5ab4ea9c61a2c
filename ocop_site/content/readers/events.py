"""content/events/<slug>.md: fairs and markets, each naming the products shown there."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ...errors import did_you_mean, nearest
from ...text import vietnamese
from ...text.frontmatter import Document
from ...text.markdown import first_paragraph_text
from ..lookup import product_references
from ..models import Event, Product
from ..schema import EVENT_FIELDS, EVENT_TEXT_FIELDS, check_fields
from .checks import file_name_url_ok, first_per_key
from .context import ReadContext, file_id
from .translations import read_translations

ProductNames = dict[str, str | None]  # any way to name a product → slug (None: broken)


def product_names(ctx: ReadContext, products: Iterable[Product],
                  product_files: Iterable[Path]) -> ProductNames:
    """A product is named by its slug or, as a convenience, by its file name or name.
    Files that failed to load are known too (mapped to None), so one broken product
    file does not also make every event that shows it an error."""
    products = tuple(products)
    known: ProductNames = {}
    loaded = {p.source for p in products}
    for path in product_files:
        if ctx.shown(path) not in loaded:
            known[file_id(path)] = None
    known.update(product_references(products))
    return known


def read_events(ctx: ReadContext, known: ProductNames,
                paths: Iterable[Path]) -> tuple[Event, ...]:
    """The events that load, in file order; two giving one URL are an error."""
    def same_url(event: Event, other: Event) -> None:
        ctx.errors.add(event.source, 1, "file",
                       f"'{event.source}' and '{other.source}' both map to the URL "
                       f"su-kien/{event.slug}/; rename one of the files",
                       f"'{event.source}' và '{other.source}' cùng địa chỉ "
                       f"su-kien/{event.slug}/; hãy đổi tên một tệp")

    loaded = (read_event(ctx, known, path) for path in paths)
    return tuple(first_per_key((e for e in loaded if e is not None), lambda e: e.slug,
                               same_url).values())


def read_event(ctx: ReadContext, known: ProductNames, path: Path) -> Event | None:
    """One event file, its products checked against `known`; None if it has errors."""
    shown = ctx.shown(path)
    slug = file_id(path)
    doc = ctx.read_document(path)
    if doc is None:
        return None
    errors = ctx.errors
    before = ctx.error_count()
    clean = check_fields(doc, EVENT_FIELDS, shown, errors)
    file_name_url_ok(ctx, shown, slug)
    start = clean.get("start")
    end = clean.get("end") or start
    if start is not None and end is not None and end < start:
        errors.add(shown, doc.line_of("end"), "end",
                   f"ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                   f"ngày kết thúc ({end.isoformat()}) trước ngày bắt đầu "
                   f"({start.isoformat()})")
    products = _event_products(ctx, shown, doc, clean.get("products", []), known)
    translations = read_translations(ctx, path, EVENT_TEXT_FIELDS, EVENT_FIELDS)
    if ctx.error_count() > before or start is None or end is None:  # (end: None if start is)
        return None
    body_html = ctx.body_html(doc)
    return Event(
        slug=slug, title=clean["title"], start=start, end=end, place=clean["place"],
        products=products, summary=clean.get("summary") or first_paragraph_text(body_html),
        body_html=body_html, source=shown, translations=translations)


def _event_products(ctx: ReadContext, shown: str, doc: Document, items: list,
                    known: ProductNames) -> tuple[str, ...]:
    """The slugs of the products the event lists, each once, in the order written."""
    slugs: list[str] = []
    for position, item in enumerate(items):
        line = doc.line_of("products", str(position))
        if not isinstance(item, str) or not item.strip():
            ctx.errors.add(shown, line, "products",
                           f"each product is a product slug, got {item!r}",
                           f"mỗi sản phẩm là một slug sản phẩm, đang ghi {item!r}")
            continue
        written = vietnamese.slugify(item)
        if written not in known:
            en, vi = did_you_mean(nearest(written, sorted(s for s in known.values() if s)))
            ctx.errors.add(shown, line, "products",
                           f"unknown product '{item}'{en} (write the product's slug: the "
                           "last part of its address, san-pham/<slug>/)",
                           f"không có sản phẩm '{item}'{vi} (ghi slug của sản phẩm: phần "
                           "cuối địa chỉ san-pham/<slug>/)")
            continue
        slug = known[written]
        if slug is not None and slug not in slugs:
            slugs.append(slug)
    return tuple(slugs)
