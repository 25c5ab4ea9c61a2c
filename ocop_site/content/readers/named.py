"""Products named in another file (an event's or a shop's `products:`): by slug, file
name or exact name, each unknown one reported with a "did you mean"."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ...errors import did_you_mean, nearest
from ...text import vietnamese
from ...text.frontmatter import Document
from ..lookup import product_references
from ..models import Product
from .context import ReadContext, file_id

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


def named_products(ctx: ReadContext, shown: str, doc: Document, items: list,
                   known: ProductNames, field: str = "products") -> tuple[str, ...]:
    """The slugs of the products `items` name (an event's or a shop's `products:`),
    each once, in the order written; each unknown one reported with a "did you mean"."""
    slugs: list[str] = []
    for position, item in enumerate(items):
        line = doc.line_of(field, str(position))
        if not isinstance(item, str) or not item.strip():
            ctx.errors.add(shown, line, field,
                           f"each product is a product slug, got {item!r}",
                           f"mỗi sản phẩm là một slug sản phẩm, đang ghi {item!r}")
            continue
        written = vietnamese.slugify(item)
        if written not in known:
            en, vi = did_you_mean(nearest(written, sorted(s for s in known.values() if s)))
            ctx.errors.add(shown, line, field,
                           f"unknown product '{item}'{en} (write the product's slug: the "
                           "last part of its address, san-pham/<slug>/)",
                           f"không có sản phẩm '{item}'{vi} (ghi slug của sản phẩm: phần "
                           "cuối địa chỉ san-pham/<slug>/)")
            continue
        slug = known[written]
        if slug is not None and slug not in slugs:
            slugs.append(slug)
    return tuple(slugs)
