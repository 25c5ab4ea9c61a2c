"""Walk a site's content folder into validated models, collecting every error on the way.

The work is done by one reader per content kind (content/readers/); this module only
calls them in the order the references need: the data files first (communes and
categories, into a frozen References), then producers, products (which point at all
three), events and shops (which point at products) and stray translation files.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..errors import ErrorCollector
from .cache import ContentCache
from .config import SiteConfig
from .models import Category, Commune, Event, Producer, Product, Shop
from .readers.context import ReadContext
from .readers.data import read_data_files
from .readers.events import read_events
from .readers.named import product_names
from .readers.producers import producer_ids, read_producers
from .readers.products import add_months, read_product, read_products
from .readers.shops import read_shops
from .readers.translations import check_translation_files
from .references import References

__all__ = ["Content", "load_content", "reload_product", "add_months"]


@dataclass(frozen=True)
class Content:
    """Everything loaded from one site folder; the input of the catalogue stage."""

    communes: tuple[Commune, ...]
    categories: dict[str, Category]
    producers: dict[str, Producer]
    products: tuple[Product, ...]  # published and drafts; the catalogue filters
    events: tuple[Event, ...] = ()  # fairs and markets, in file order
    shops: tuple[Shop, ...] = ()  # points of sale, in file order
    # How names written in the files resolve, for reloading one file and for tools that
    # check references as they are typed (scaffold)
    references: References = References()

    @property
    def commune_index(self) -> Mapping[str, str]:
        """Identity key of any commune name → slug."""
        return self.references.commune_index

    @property
    def category_index(self) -> Mapping[str, str]:
        """Category id or name → id."""
        return self.references.category_index

    @property
    def producer_ids(self) -> frozenset[str]:
        """Every producer file's id, loaded or not."""
        return self.references.producer_ids


def load_content(config: SiteConfig, errors: ErrorCollector,
                 cache: ContentCache | None = None) -> Content:
    """Load and validate everything under `config.content_dir`; errors go to `errors`.
    With a `cache`, files parsed by an earlier build are not parsed again (their
    references are still checked every time) and new ones are parsed ahead, in parallel."""
    ctx = ReadContext.of(config, errors, cache)
    files = {folder: ctx.markdown_files(folder)
             for folder in ("producers", "products", "events", "shops")}
    if cache is not None:
        cache.prime([path for paths in files.values() for path in paths], ctx.root)
    references = read_data_files(ctx)
    references = dataclasses.replace(references,
                                     producer_ids=producer_ids(files["producers"]))
    producers = read_producers(ctx, references, files["producers"])
    products = read_products(ctx, references, files["products"])
    known = product_names(ctx, products, files["products"])
    events = read_events(ctx, known, files["events"])
    shops = read_shops(ctx, references, known, files["shops"])
    check_translation_files(ctx)
    return Content(references.communes, dict(references.categories), producers, products,
                   events, shops, references)


def reload_product(config: SiteConfig, content: Content, path: Path, errors: ErrorCollector,
                   cache: ContentCache | None = None) -> Product | None:
    """One product file read again and checked against the rest of `content` (communes,
    categories, producers) exactly as a full load checks it: for a rebuild after an edit.
    Checks that span products (duplicate URLs, events) are the caller's. Every name
    that does not resolve is reported, even if a data file was unreadable when `content`
    was loaded: this reload has no data-file error of its own to defer to, and a product
    without its commune must not reach the pages."""
    references = dataclasses.replace(content.references, communes_readable=True,
                                     categories_readable=True)
    return read_product(ReadContext.of(config, errors, cache), references, path)
