"""The catalogue: published products and every index over them, each computed once.

Pages and outputs only read it; a commune page looks up `by_commune[slug]` instead of
scanning all products, so building stays linear in the number of products.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Hashable, Iterable, Mapping, Protocol, Sequence, TypeVar

from ..content.config import SiteConfig
from ..content.loader import Content
from ..content.models import Category, Commune, Event, Producer, Product, Shop
from ..rules.platforms import Platforms, default_platforms
from ..text import vietnamese


@dataclass(frozen=True)
class Catalogue:
    config: SiteConfig
    products: tuple[Product, ...]  # published, in Vietnamese alphabetical order
    communes: tuple[Commune, ...]  # Vietnamese order
    categories: Mapping[str, Category]  # file order (the national classification's)
    groups: tuple[Category, ...]  # top level, file order
    producers: Mapping[str, Producer]
    producers_sorted: tuple[Producer, ...]
    communes_by_slug: Mapping[str, Commune]
    by_commune: Mapping[str, tuple[Product, ...]]
    by_category: Mapping[str, tuple[Product, ...]]  # every node: products in its subtree
    by_stars: Mapping[int, tuple[Product, ...]]
    by_producer: Mapping[str, tuple[Product, ...]]
    producers_by_commune: Mapping[str, tuple[Producer, ...]]
    featured: tuple[Product, ...]
    newest: tuple[Product, ...]  # by certificate date, newest first
    # Events show only published products; an event whose products are all hidden is
    # still listed (the fair happened), just without product links.
    events: tuple[Event, ...] = ()  # by start date, then slug
    upcoming_events: tuple[Event, ...] = ()  # not over on config.today, soonest first
    past_events: tuple[Event, ...] = ()  # most recent first
    event_products: Mapping[str, tuple[Product, ...]] = field(
        default_factory=lambda: MappingProxyType({}))  # event slug → published products
    events_by_product: Mapping[str, tuple[Event, ...]] = field(
        default_factory=lambda: MappingProxyType({}))  # product slug → its events, by date
    # Shops list only published products; a shop whose products are all hidden is
    # still listed (it still sells them), with an empty list.
    shops: tuple[Shop, ...] = ()  # Vietnamese order of names
    shop_products: Mapping[str, tuple[Product, ...]] = field(
        default_factory=lambda: MappingProxyType({}))  # shop id → published products
    # product slug → the shops that sell it: those in the product's own commune first,
    # then the rest, each part in Vietnamese name order (the order without JavaScript)
    shops_by_product: Mapping[str, tuple[Shop, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    shops_by_commune: Mapping[str, tuple[Shop, ...]] = field(
        default_factory=lambda: MappingProxyType({}))  # commune slug → shops, by name
    platforms: Platforms = field(default_factory=default_platforms)
    # language code → (this catalogue in that language, which texts stayed in the
    # default language): made once per build by localize.localized_catalogue, shared by
    # pages, feeds, QR codes and the worker processes
    in_languages: Mapping[str, tuple["Catalogue", Mapping[str, Any]]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False)

    def is_expired(self, product: Product) -> bool:
        return product.certificate.expired_on(self.config.today)

    def category_path(self, category_id: str) -> tuple[Category, ...]:
        """Group → sub-group → product set, for breadcrumbs."""
        path = []
        node: str | None = category_id
        while node is not None:
            path.append(self.categories[node])
            node = self.categories[node].parent
        return tuple(reversed(path))


def product_order(product: Product) -> tuple:
    """Vietnamese alphabetical by name; the slug breaks ties so order is total."""
    return (vietnamese.sort_key(product.name), product.slug)


def shop_order(shop: Shop) -> tuple:
    """Vietnamese alphabetical by name; the id breaks ties."""
    return (vietnamese.sort_key(shop.name), shop.id)


def _group(items: list, key) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _freeze(groups: dict) -> Mapping:
    return MappingProxyType({key: tuple(value) for key, value in groups.items()})


def build_catalogue(config: SiteConfig, content: Content) -> Catalogue:
    """Filter what is published and compute every index in one pass over the products."""
    today = config.today
    published = [
        p for p in content.products
        if not p.draft and not (config.hide_expired and p.certificate.expired_on(today))
    ]
    published.sort(key=product_order)

    by_commune: dict[str, list[Product]] = defaultdict(list)
    by_category: dict[str, list[Product]] = defaultdict(list)
    by_stars: dict[int, list[Product]] = defaultdict(list)
    by_producer: dict[str, list[Product]] = defaultdict(list)
    ancestors = _ancestors(content.categories)
    for product in published:  # already sorted, so every index list is sorted too
        by_commune[product.commune].append(product)
        by_stars[product.stars].append(product)
        by_producer[product.producer].append(product)
        for node in ancestors[product.category]:
            by_category[node].append(product)

    producers_sorted = sorted(content.producers.values(),
                              key=lambda p: (vietnamese.sort_key(p.name), p.id))
    producers_by_commune: dict[str, list[Producer]] = defaultdict(list)
    for producer in producers_sorted:
        producers_by_commune[producer.commune].append(producer)

    current = [p for p in published if not p.certificate.expired_on(today)]
    featured = [p for p in current if p.featured][: config.featured_limit]
    newest = sorted(current, key=lambda p: (p.certificate.date, p.slug), reverse=True)
    communes = sorted(content.communes, key=lambda c: (vietnamese.sort_key(c.name), c.slug))

    events = sorted(content.events, key=lambda e: (e.start, e.end, e.slug))
    event_products, events_by_product = _event_index(events, published)
    shops = sorted(content.shops, key=shop_order)
    shop_products, shops_by_product = _shop_index(shops, published)

    return Catalogue(
        config=config,
        products=tuple(published),
        communes=tuple(communes),
        categories=MappingProxyType(dict(content.categories)),
        groups=tuple(c for c in content.categories.values() if c.parent is None),
        producers=MappingProxyType(dict(content.producers)),
        producers_sorted=tuple(producers_sorted),
        communes_by_slug=MappingProxyType({c.slug: c for c in communes}),
        by_commune=_freeze(by_commune),
        by_category=_freeze(by_category),
        by_stars=_freeze(by_stars),
        by_producer=_freeze(by_producer),
        producers_by_commune=_freeze(producers_by_commune),
        featured=tuple(featured),
        newest=tuple(newest[: config.newest_limit]),
        events=tuple(events),
        upcoming_events=tuple(e for e in events if e.upcoming_on(today)),
        past_events=tuple(reversed([e for e in events if not e.upcoming_on(today)])),
        event_products=MappingProxyType(event_products),
        events_by_product=_freeze(events_by_product),
        shops=tuple(shops),
        shop_products=MappingProxyType(shop_products),
        shops_by_product=MappingProxyType(shops_by_product),
        shops_by_commune=_freeze(_group(shops, lambda s: s.commune)),
        platforms=content.references.platforms,
    )


Key = TypeVar("Key", bound=Hashable)

# the fields of a product that decide whether it is published and which lists hold it
# (its name decides where in them: `with_products` checks its place apart)
PLACE_FIELDS = ("slug", "draft", "certificate", "commune", "category", "stars", "producer",
                "featured")


def with_products(old: Catalogue, config: SiteConfig, edited: Iterable[Product]
                  ) -> Catalogue | None:
    """What build_catalogue makes of `old`'s content with the `edited` products in place
    of their namesakes, made by swapping them into `old`'s lists: serve's rebuild after
    an edit of a product's words shows the page sooner (10,000 products: a few ms
    instead of ~60). `config` equals old's but for its identity. None when an edit
    moves a product into, out of or along a list (or it is new): build it then."""
    position = {product.slug: i for i, product in enumerate(old.products)}
    products = list(old.products)
    swap: dict[int, Product] = {}  # id of an old instance → its edited self
    for product in edited:
        i = position.get(product.slug)
        if i is None or id(products[i]) in swap:
            return None
        was = products[i]
        if any(getattr(was, name) != getattr(product, name) for name in PLACE_FIELDS):
            return None
        products[i] = product
        swap[id(was)] = product
    for product in swap.values():
        i, key = position[product.slug], product_order(product)
        if (i and product_order(products[i - 1]) >= key) or (
                i + 1 < len(products) and key >= product_order(products[i + 1])):
            return None

    def swapped(items: tuple[Product, ...]) -> tuple[Product, ...]:
        return tuple(swap.get(id(item), item) for item in items)

    def lists(index: Mapping[Key, tuple[Product, ...]], keys: Iterable[Key]
              ) -> Mapping[Key, tuple[Product, ...]]:
        changed = dict(index)
        for key in keys:
            changed[key] = swapped(index[key])
        return MappingProxyType(changed)

    edits = tuple(swap.values())
    return dataclasses.replace(
        old, config=config, products=tuple(products),
        by_commune=lists(old.by_commune, {p.commune for p in edits}),
        by_category=lists(old.by_category, {node.id for p in edits
                                            for node in old.category_path(p.category)}),
        by_stars=lists(old.by_stars, {p.stars for p in edits}),
        by_producer=lists(old.by_producer, {p.producer for p in edits}),
        featured=swapped(old.featured), newest=swapped(old.newest),
        event_products=lists(old.event_products, {
            event.slug for p in edits for event in old.events_by_product.get(p.slug, ())}),
        shop_products=lists(old.shop_products, {
            shop.id for p in edits for shop in old.shops_by_product.get(p.slug, ())}),
        in_languages=MappingProxyType({}))


def _ancestors(categories: Mapping[str, Category]) -> dict[str, tuple[str, ...]]:
    """Category id → itself and every category above it: a product is listed on each."""
    ancestors: dict[str, tuple[str, ...]] = {}
    for category in categories.values():
        chain: list[str] = []
        node: str | None = category.id
        while node is not None:
            chain.append(node)
            node = categories[node].parent
        ancestors[category.id] = tuple(chain)
    return ancestors


class _NamesProducts(Protocol):
    @property
    def products(self) -> tuple[str, ...]: ...


Named = TypeVar("Named", bound=_NamesProducts)


def _products_named(items: Sequence[Named], key: Callable[[Named], str],
                    published: list[Product]
                    ) -> tuple[dict[str, tuple[Product, ...]], dict[str, list[Named]]]:
    """For events and shops, which name the products they show or sell: item key → its
    published products in name order, and product slug → the items naming it (in the
    items' order)."""
    by_slug = {p.slug: p for p in published}
    products_of: dict[str, tuple[Product, ...]] = {}
    naming: dict[str, list[Named]] = defaultdict(list)
    for item in items:
        products = tuple(sorted((by_slug[s] for s in item.products if s in by_slug),
                                key=product_order))
        products_of[key(item)] = products
        for product in products:
            naming[product.slug].append(item)
    return products_of, naming


def _event_index(events: list[Event], published: list[Product]
                 ) -> tuple[dict[str, tuple[Product, ...]], dict[str, list[Event]]]:
    """Event slug → its published products in name order, and product slug → its
    events (in the events' order)."""
    return _products_named(events, lambda event: event.slug, published)


def _shop_index(shops: list[Shop], published: list[Product]
                ) -> tuple[dict[str, tuple[Product, ...]], dict[str, tuple[Shop, ...]]]:
    """Shop id → its published products in name order, and product slug → the shops
    that sell it, those in the product's commune first (`shops` is in name order)."""
    shop_products, selling = _products_named(shops, lambda shop: shop.id, published)
    commune_of = {p.slug: p.commune for p in published}
    return shop_products, {slug: _nearby_first(found, commune_of[slug])
                           for slug, found in selling.items()}


def _nearby_first(shops: list[Shop], commune: str) -> tuple[Shop, ...]:
    """The shops in `commune` first; a stable sort keeps name order in each part."""
    return tuple(sorted(shops, key=lambda shop: shop.commune != commune))
