"""The catalogue as the pages of one language show it.

Each product, producer and event takes the text of its translation file
(`<name>.<lang>.md`) where one was written; communes and categories take `name_en`
(and `description_en`) on English pages. Whatever has no translation keeps the default
language's text, and `TextLangs` records which language every shown text is really in,
so templates can mark it (`lang="vi"`) and say that the translation is missing.

The localized catalogue is built by the same `build_catalogue`, so every list is in the
page language's name order and nothing downstream needs to know about languages.
"""
from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping, TypeVar

from ..content.config import SiteConfig
from ..content.loader import Content
from ..content.models import (
    Category,
    Commune,
    Event,
    Producer,
    Product,
    Shop,
    translation_of,
)
from ..content.references import References
from .catalogue import Catalogue, build_catalogue, with_products

Item = TypeVar("Item", Product, Producer, Event, Shop)

PRODUCT_TEXTS = ("name", "summary", "unit", "body_html")
PRODUCER_TEXTS = ("name", "address", "body_html")
EVENT_TEXTS = ("title", "place", "summary", "body_html")
SHOP_TEXTS = ("name", "address", "body_html")


@dataclass(frozen=True)
class TextLangs:
    """The language each shown text of an item is in, when it is not the page's own."""

    page: str  # the page's language
    others: tuple[tuple[str, str], ...] = ()  # (field, language) for fallback texts

    def of(self, field: str) -> str:
        return dict(self.others).get(field, self.page)

    @property
    def fallback(self) -> bool:
        """Some text is shown in another language (the page says so)."""
        return bool(self.others)


def text_key(kind: str, ident: str) -> str:
    """Key of an item in a TextIndex: 'product:che-xanh', 'commune:song-lo'…"""
    return f"{kind}:{ident}"


TextIndex = Mapping[str, TextLangs]


def localize_item(item: Item, fields: tuple[str, ...], lang: str, default: str
                  ) -> tuple[Item, TextLangs]:
    """`item` with the text fields its translation into `lang` has; the rest kept."""
    translation = translation_of(item.translations, lang)
    changes: dict[str, Any] = {}  # texts, for fields named at run time (`fields`)
    others: list[tuple[str, str]] = []
    for name in fields:
        value = ""
        if translation is not None:
            value = translation.body_html if name == "body_html" else translation.get(name)
        if value:
            changes[name] = value
        elif getattr(item, name):
            others.append((name, default))
    # untranslated: the item itself (its digest, views and card are then shared too)
    local = dataclasses.replace(item, **changes) if changes else item
    return local, TextLangs(lang, tuple(others))


def localize_commune(commune: Commune, lang: str, default: str) -> tuple[Commune, TextLangs]:
    """English pages use `name_en` and `description_en` from communes.yaml."""
    name = commune.name_en if lang == "en" else ""
    description = commune.description_en if lang == "en" else ""
    others: tuple[tuple[str, str], ...] = (("name", default),) if not name else ()
    if commune.description and not description:
        others += (("description", default),)
    return (dataclasses.replace(commune, name=name or commune.name,
                                description=description or commune.description),
            TextLangs(lang, others))


def localize_category(category: Category, lang: str, default: str
                      ) -> tuple[Category, TextLangs]:
    """English pages use the classification's official English `name_en`."""
    name = category.name_en if lang == "en" else ""
    return (dataclasses.replace(category, name=name or category.name),
            TextLangs(lang, () if name else (("name", default),)))


class KeptLocal:
    """The products another build localized (serve's session), by the product they were
    made from (the same instance), the language and the names of its commune: an edit
    of one product localizes one product, and the others stay the instances whose
    digests the session's fingerprinter remembers. `used`: what this build used or made,
    for the next one."""

    def __init__(self, old: "KeptLocal | None" = None):
        self.old: Mapping[tuple, tuple] = old.used if old is not None else {}
        self.used: dict[tuple, tuple] = {}

    def carry_rest(self, edited: frozenset[str]) -> None:
        """Every product the last build localized but the `edited` ones (by slug) kept
        for the next build too, though this one did not look at them (localized_again)."""
        for key, entry in self.old.items():
            if key not in self.used and entry[0].slug not in edited:
                self.used[key] = entry

    def product(self, product: Product, lang: str, names: tuple[str, str],
                make: Callable[[], tuple[Product, TextLangs]]) -> tuple[Product, TextLangs]:
        key = (lang, id(product), names)
        entry = self.used.get(key) or self.old.get(key)
        if entry is None or entry[0] is not product:
            entry = (product, make())
        self.used[key] = entry
        return entry[1]


def _local_product(product: Product, lang: str, default: str, names: tuple[str, str]
                   ) -> tuple[Product, TextLangs]:
    """A product in `lang`; `names`: its commune's name in the default language and in
    `lang` (a commune written as its default-language name is shown as renamed)."""
    local, texts = localize_item(product, PRODUCT_TEXTS, lang, default)
    original, renamed = names
    if product.commune_as_written == original != renamed:  # not a former name
        local = dataclasses.replace(local, commune_as_written=renamed)
    return local, texts


def localized_catalogue(catalogue: Catalogue, kept: KeptLocal | None = None) -> Catalogue:
    """`catalogue` holding itself in every language of the site (`in_languages`), each
    made once: every stage that needs a language's catalogue then finds it there.
    `kept`: the products localized by the last build (KeptLocal)."""
    languages = {lang: catalogue_in(catalogue, lang, kept)
                 for lang in catalogue.config.languages}
    shared = dataclasses.replace(catalogue, in_languages=MappingProxyType(languages))
    languages[catalogue.config.default_language] = (shared, {})  # itself, holding them all
    return shared


def localized_again(old: Catalogue, config: SiteConfig, edited: tuple[Product, ...],
                    kept: KeptLocal) -> Catalogue | None:
    """What `localized_catalogue(build_catalogue(...))` makes after an edit of the
    `edited` products' words, made from the last build's catalogue (`old`, with its
    languages): in each language the edited products are localized and swapped in
    (catalogue.with_products), the rest kept as they are. None: make it anew."""
    base = with_products(old, config, edited)
    if base is None:
        return None
    default = config.default_language
    languages: dict[str, tuple[Catalogue, Mapping[str, Any]]] = {}
    for lang in config.languages:
        if lang == default:
            continue
        if lang not in old.in_languages:
            return None
        old_local, old_texts = old.in_languages[lang]
        texts = dict(old_texts)
        products = []
        for product in edited:
            commune = product.commune
            names = (old.communes_by_slug[commune].name,
                     old_local.communes_by_slug[commune].name) \
                if commune in old.communes_by_slug else ("", "")
            local, texts[text_key("product", product.slug)] = kept.product(
                product, lang, names,
                functools.partial(_local_product, product, lang, default, names))
            products.append(local)
        local_catalogue = with_products(old_local, config.localized(lang), products)
        if local_catalogue is None:
            return None
        languages[lang] = (local_catalogue, texts)
    kept.carry_rest(frozenset(p.slug for p in edited))
    shared = dataclasses.replace(base, in_languages=MappingProxyType(languages))
    languages[default] = (shared, {})  # itself, holding them all
    return shared


def catalogue_in(catalogue: Catalogue, lang: str, kept: KeptLocal | None = None
                 ) -> tuple[Catalogue, TextIndex]:
    """The catalogue in `lang`, and which texts stayed in the default language. The
    default language's catalogue is returned as it is."""
    made = catalogue.in_languages.get(lang)
    if made is not None:
        return made
    config = catalogue.config
    default = config.default_language
    if lang == default:
        return catalogue, {}
    texts: dict[str, TextLangs] = {}
    communes = []
    for commune in catalogue.communes:
        local_commune, texts[text_key("commune", commune.slug)] = localize_commune(
            commune, lang, default)
        communes.append(local_commune)
    # slug → (the default language's name, the page language's)
    commune_names = {c.slug: (c.name, local.name)
                     for c, local in zip(catalogue.communes, communes)}
    categories = {}
    for cat_id, category in catalogue.categories.items():
        categories[cat_id], texts[text_key("category", cat_id)] = localize_category(
            category, lang, default)
    producers = {}
    for producer_id, producer in catalogue.producers.items():
        producers[producer_id], texts[text_key("producer", producer_id)] = localize_item(
            producer, PRODUCER_TEXTS, lang, default)
    products = []
    for product in catalogue.products:
        names = commune_names.get(product.commune, ("", ""))
        local_product, texts[text_key("product", product.slug)] = \
            kept.product(product, lang, names,
                         functools.partial(_local_product, product, lang, default, names)) \
            if kept is not None else _local_product(product, lang, default, names)
        products.append(local_product)
    events = []
    for event in catalogue.events:
        local_event, texts[text_key("event", event.slug)] = localize_item(
            event, EVENT_TEXTS, lang, default)
        events.append(local_event)
    shops = []
    for shop in catalogue.shops:
        local_shop, texts[text_key("shop", shop.id)] = localize_item(
            shop, SHOP_TEXTS, lang, default)
        shops.append(local_shop)
    content = Content(tuple(communes), categories, producers, tuple(products), tuple(events),
                      tuple(shops), References(platforms=catalogue.platforms))
    localized = build_catalogue(config.localized(lang), content)
    by_slug = {p.slug: p for p in localized.products}
    # the same featured and newest products as the default language's home page, even
    # where a limit cuts a list that is sorted by name
    return dataclasses.replace(
        localized, featured=tuple(by_slug[p.slug] for p in catalogue.featured),
        newest=tuple(by_slug[p.slug] for p in catalogue.newest)), texts
