"""The search index's input as data: one `SearchDoc` per product, then per shop, of each
language, made from that language's catalogue without rendering any page.

A doc holds the text a buyer searches, field by field (search/tokens.py gives each field
a bit and the search script a weight): the name; the category path's names; the commune
(its current name, and when the file names a former unit, the "formerly …" note with
that name as written); the producer's name; the summary; and only the FIRST paragraph
of the description, capped at DESCRIPTION_WORDS words, because a word deep in a long
description says little about what the product is. A shop's doc puts its kind in words
in the category field and its address in the producer field.

It also holds what the result card shows (title, stars, commune, price with its unit,
thumbnail; a shop's kind and commune instead of stars and price) and a product's facet
values, exactly those `pages.search_facets` offers as checkboxes (commune name, group =
top category name, stars). Shops have no facet value, so ticking a box leaves them out.

The docs of a language are in catalogue order, products first (Vietnamese name order),
then shops: a doc's position in that order is its ordinal, the number the index files
and the search script know it by.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from ..content.i18n import Translator
from ..content.models import Product, Shop
from ..images.photos import ProcessedImage
from ..site.catalogue import Catalogue
from ..site.localize import catalogue_in
from ..site.urls import Language, site_languages

THUMBNAIL_WIDTH = 320  # the result card's photo
DESCRIPTION_WORDS = 80  # of the description's first paragraph

# the names of SearchDoc.fields, in the order of their bits (search/tokens.py)
FIELDS = ("name", "category", "commune", "producer", "summary", "description")
# the names of SearchDoc.facets: the search page's checkbox groups (pages.search_facets)
FACETS = ("commune", "group", "stars")

_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|ul|ol|blockquote|div|table|pre)\s*>|<br\s*/?>",
                        re.IGNORECASE)


@dataclass(frozen=True)
class SearchDoc:
    """One product's or shop's search record in one language."""

    url: str  # site-relative: 'san-pham/x/', 'en/cua-hang/y/'
    fields: tuple[str, ...]  # the text of each of FIELDS, '' when empty
    card: tuple[tuple[str, str | int], ...]  # (short key, value) the result card shows
    facets: tuple[str, ...] = ()  # commune, group, stars (products only)


@dataclass(frozen=True)
class LanguageDocs:
    """The docs of one language, products then shops, in catalogue order."""

    lang: str
    docs: tuple[SearchDoc, ...]
    products: int  # docs[:products] are products, the rest shops


# a product's doc with what it was made from: the config, the product, its commune,
# producer and first photo, its category path (KeptDocs: the same objects, or equal)
MadeDoc = tuple[tuple[object, ...], SearchDoc]


class KeptDocs:
    """Each product's doc of the last pass, by language and slug, with the objects it
    was made from (serve's session, in search/writer.KeptIndex): a product whose doc
    would be made from the same objects, or equal ones (each build makes its photos'
    records anew), is not made again (most of the search update's 0.4–0.5 s of records
    at 10,000 products)."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, MadeDoc]] = {}


class SiteRecords:
    """The records of every language, the default first. Iterable more than once; each
    language's docs are made again on each pass rather than kept (but from `kept`'s)."""

    def __init__(self, languages: Sequence[tuple[Language, Catalogue]],
                 images: Mapping[Path, ProcessedImage], kept: KeptDocs | None = None):
        self.languages = tuple(languages)
        self.images = images
        self.kept = kept

    def __iter__(self) -> Iterator[LanguageDocs]:
        for lang, catalogue in self.languages:
            before = self.kept.docs.get(lang.code) if self.kept is not None else None
            after: dict[str, MadeDoc] | None = {} if self.kept is not None else None
            docs = (*product_records(catalogue, lang, self.images, before, after),
                    *shop_records(catalogue, lang, self.images))
            if self.kept is not None and after is not None:
                self.kept.docs[lang.code] = after
            yield LanguageDocs(lang.code, docs, len(catalogue.products))

    def __len__(self) -> int:
        return sum(len(catalogue.products) + len(catalogue.shops)
                   for _, catalogue in self.languages)


def site_records(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                 kept: KeptDocs | None = None) -> SiteRecords:
    """The records of the site: `catalogue` (the default language's) in every language.
    `kept`: the docs of the last pass, taken where made from the same objects."""
    return SiteRecords([(lang, catalogue_in(catalogue, lang.code)[0])
                        for lang in site_languages(catalogue.config)], images, kept)


def plain_text(fragment: str) -> str:
    """The text of a sanitised HTML fragment (descriptions), tags dropped."""
    return html.unescape(_TAG.sub(" ", fragment))


def first_paragraph(fragment: str, words: int = DESCRIPTION_WORDS) -> str:
    """The plain text of the first block of `fragment` that has any, cut to `words`
    (the blocks after it are not looked at: descriptions run to pages)."""
    start = 0
    for end in _BLOCK_END.finditer(fragment):
        text = plain_text(fragment[start:end.start()]).split()
        if text:
            return " ".join(text[:words])
        start = end.end()
    return " ".join(plain_text(fragment[start:]).split()[:words])


def _commune(t: Translator, name: str, as_written: str) -> str:
    """The commune's name, then '(formerly X)' when the file names a former unit."""
    if as_written == name:
        return name
    return f"{name} {t('product.formerly', name=as_written)}"


def product_records(catalogue: Catalogue, lang: Language,
                    images: Mapping[Path, ProcessedImage],
                    before: Mapping[str, MadeDoc] | None = None,
                    after: dict[str, MadeDoc] | None = None) -> Iterator[SearchDoc]:
    """One doc per product of `catalogue` (already in `lang`: localize.catalogue_in).
    `before`: the last pass's docs, each taken when made from the objects (or equal
    ones) this one would be made from; `after` is given this pass's."""
    for product in catalogue.products:
        if after is None:
            yield product_doc(catalogue, product, lang, images)
            continue
        made_from = (catalogue.config, product, catalogue.communes_by_slug[product.commune],
                     catalogue.producers[product.producer],
                     images.get(product.images[0].source) if product.images else None,
                     *catalogue.category_path(product.category))
        kept = before.get(product.slug) if before is not None else None
        if kept is None or len(kept[0]) != len(made_from) \
                or not all(a is b or a == b for a, b in zip(kept[0], made_from)):
            kept = (made_from, product_doc(catalogue, product, lang, images))
        after[product.slug] = kept
        yield kept[1]


def product_doc(catalogue: Catalogue, product: Product, lang: Language,
                images: Mapping[Path, ProcessedImage]) -> SearchDoc:
    t = lang.t
    commune = catalogue.communes_by_slug[product.commune]
    producer = catalogue.producers[product.producer]
    path = catalogue.category_path(product.category)
    price = ""
    if product.price is not None:
        price = t.price(product.price) + (f" / {product.unit}" if product.unit else "")
    card: tuple[tuple[str, str | int], ...] = (
        ("u", lang.urls.product(product)), ("t", product.name), ("s", product.stars),
        ("c", commune.name), ("p", price), ("i", _thumbnail(product, images)))
    fields = (product.name, " ".join(c.name for c in path),
              _commune(t, commune.name, product.commune_as_written), producer.name,
              product.summary, first_paragraph(product.body_html))
    return SearchDoc(lang.urls.product(product), fields,
                     tuple((k, v) for k, v in card if v != ""),
                     (commune.name, path[0].name, str(product.stars)))


def shop_records(catalogue: Catalogue, lang: Language,
                 images: Mapping[Path, ProcessedImage]) -> Iterator[SearchDoc]:
    """One doc per shop of `catalogue` (already in `lang`), in the shops' order."""
    for shop in catalogue.shops:
        yield shop_doc(catalogue, shop, lang)


def shop_doc(catalogue: Catalogue, shop: Shop, lang: Language) -> SearchDoc:
    t = lang.t
    commune = catalogue.communes_by_slug[shop.commune]
    kind = t(f"shop.kind.{shop.kind}")
    card: tuple[tuple[str, str | int], ...] = (
        ("u", lang.urls.shop(shop.id)), ("t", shop.name), ("k", kind), ("c", commune.name))
    fields = (shop.name, kind, _commune(t, commune.name, shop.commune_as_written),
              shop.address, "", first_paragraph(shop.body_html))
    return SearchDoc(lang.urls.shop(shop.id), fields,
                     tuple((k, v) for k, v in card if v != ""))


def _thumbnail(product: Product, images: Mapping[Path, ProcessedImage]) -> str:
    """The site path of the result card's photo ('' without one): the square thumbnail
    about THUMBNAIL_WIDTH wide, as the list cards show it."""
    image = images.get(product.images[0].source) if product.images else None
    if image is None:
        return ""
    return (image.thumb or image).closest(THUMBNAIL_WIDTH).url
