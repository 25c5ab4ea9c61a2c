"""The search index's input: one small HTML record per product page and per shop page,
made from the catalogue of each language without rendering any page.

A record holds exactly what Pagefind used to read of a product page: the parts a buyer
searches (name, rating, summary, category path, commune, producer, description, contact)
as the product page shows them, with the heading weights Pagefind gives them, the
hidden folded đ-words (search/pagefind.py) weighted below the real text, the filters the search
page's checkboxes narrow by (commune, group, stars: `pages.search_facets` offers the
same values) and the metadata a result card shows (title from the <h1>, price,
thumbnail). assets/js/search.js reads nothing else. Keep it in step with what
templates/product.html shows when that changes what a buyer would search for.

A shop's record (shop_records) holds its name, kind, commune, address and description;
it has no filter, so ticking a commune, group or stars box leaves shops out and the
boxes' counts stay counts of products; its metadata is the kind in words and the
commune, which the result card shows instead of stars and price.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping, Sequence

from markupsafe import escape

from ..content.i18n import Translator
from ..content.models import Product, Shop
from ..images.photos import ProcessedImage
from ..site.catalogue import Catalogue
from ..site.localize import catalogue_in
from ..site.render import star_text
from ..site.urls import Language, site_languages
from .pagefind import SearchAliases, SearchRecord, plain_text, product_aliases

THUMBNAIL_WIDTH = 320  # the result card's photo


class SiteRecords:
    """The records of every language, the default first, each language's in catalogue
    (name) order. Iterable more than once: the build hashes them, then indexes them,
    making each record again rather than keeping 20,000 of them in memory."""

    def __init__(self, languages: Sequence[tuple[Language, Catalogue]],
                 images: Mapping[Path, ProcessedImage]):
        self.languages = tuple(languages)
        self.images = images

    def __iter__(self) -> Iterator[SearchRecord]:
        for lang, catalogue in self.languages:
            yield from product_records(catalogue, lang, self.images)
            yield from shop_records(catalogue, lang, self.images)

    def __len__(self) -> int:
        return sum(len(catalogue.products) + len(catalogue.shops)
                   for _, catalogue in self.languages)


def site_records(catalogue: Catalogue, images: Mapping[Path, ProcessedImage]) -> SiteRecords:
    """The records of the site: `catalogue` (the default language's) in every language."""
    return SiteRecords([(lang, catalogue_in(catalogue, lang.code)[0])
                        for lang in site_languages(catalogue.config)], images)


def product_records(catalogue: Catalogue, lang: Language,
                    images: Mapping[Path, ProcessedImage]) -> Iterator[SearchRecord]:
    """One record per product of `catalogue` (already in `lang`: localize.catalogue_in)."""
    for product in catalogue.products:
        yield SearchRecord("/" + lang.urls.product(product), lang.code,
                           record_html(catalogue, product, lang, images))


def shop_records(catalogue: Catalogue, lang: Language,
                 images: Mapping[Path, ProcessedImage]) -> Iterator[SearchRecord]:
    """One record per shop of `catalogue` (already in `lang`), in the shops' order."""
    for shop in catalogue.shops:
        yield SearchRecord("/" + lang.urls.shop(shop.id), lang.code,
                           shop_html(catalogue, shop, lang, images))


def shop_html(catalogue: Catalogue, shop: Shop, lang: Language,
              images: Mapping[Path, ProcessedImage]) -> str:
    """The fragment Pagefind indexes for one shop page: its name as the title, then its
    kind, commune, address and description, as templates/shop.html shows them."""
    t = lang.t
    commune = catalogue.communes_by_slug[shop.commune]
    kind = t(f"shop.kind.{shop.kind}")
    aliases = product_aliases(shop.name, kind, commune.name, shop.commune_as_written,
                              shop.address, plain_text(shop.body_html))
    image = images.get(shop.images[0].source) if shop.images else None
    thumbnail = (image.thumb or image).closest(THUMBNAIL_WIDTH).url if image else ""
    parts = [f'<html lang="{lang.code}"><body><article>\n'
             f'<div hidden data-pagefind-ignore>\n'
             f'<span data-pagefind-meta="kind">{escape(kind)}</span>\n'
             f'<span data-pagefind-meta="commune">{escape(commune.name)}</span>\n'
             f'<span data-pagefind-meta="image:{escape(thumbnail)}"></span>\n'
             f'<span data-pagefind-meta="image_alt:"></span>\n</div>\n']
    parts += _alias_paragraphs(aliases)
    formerly = _formerly(t, shop.commune_as_written, commune.name)
    parts.append(
        f'<header data-pagefind-body>\n<h1 id="h-shop">{escape(shop.name)}</h1>\n'
        f'<p>{escape(kind)}</p>\n</header>\n<dl data-pagefind-body>\n'
        f'<dt>{escape(t("shop.commune"))}</dt>\n<dd>{escape(commune.name)}{formerly}</dd>\n'
        f'<dt>{escape(t("shop.address"))}</dt>\n<dd>{escape(shop.address)}</dd>\n</dl>\n')
    if shop.body_html:
        parts.append(f'<section data-pagefind-body>\n{shop.body_html}\n</section>\n')
    parts.append('</article></body></html>\n')
    return "".join(parts)


def _alias_paragraphs(aliases: SearchAliases) -> list[str]:
    """The name's and the text's spellings without diacritics, as hidden weighted text."""
    parts = []
    if aliases.name:
        parts.append(f'<p hidden data-pagefind-body data-pagefind-weight="2">'
                     f'{escape(aliases.name)}</p>\n')
    if aliases.text:
        parts.append(f'<p hidden data-pagefind-body data-pagefind-weight="0.5">'
                     f'{escape(aliases.text)}</p>\n')
    return parts


def _formerly(t: Translator, as_written: str, commune_name: str) -> str:
    """' (formerly …)' after the commune, when the file names a former unit."""
    if as_written == commune_name:
        return ""
    return f' <span>{escape(t("product.formerly", name=as_written))}</span>'


def record_html(catalogue: Catalogue, product: Product, lang: Language,
                images: Mapping[Path, ProcessedImage]) -> str:
    """The fragment Pagefind indexes for one product page: the page's searched parts in
    the page's order and elements (so words keep their positions and weights), without
    its links, classes and layout."""
    t = lang.t
    commune = catalogue.communes_by_slug[product.commune]
    producer = catalogue.producers[product.producer]
    path = catalogue.category_path(product.category)
    aliases = product_aliases(product.name, product.summary, commune.name,
                              product.commune_as_written, producer.name, producer.address,
                              *(c.name for c in path), plain_text(product.body_html))
    parts = [f'<html lang="{lang.code}"><body><article>\n', _hidden(
        product, commune.name, path[0].name, _thumbnail(product, images), t)]
    parts += _alias_paragraphs(aliases)
    parts.append(f'<header data-pagefind-body>\n<h1 id="h-product">{escape(product.name)}'
                 f'</h1>\n<p><span><span>{star_text(product.stars)}</span></span>\n '
                 f'<strong>{escape(t("product.rating", stars=product.stars))}</strong></p>\n')
    if catalogue.is_expired(product):
        valid_until = t.date(product.certificate.valid_until)
        parts.append(f'<p>{escape(t("product.expired_alert", date=valid_until))}</p>\n')
    formerly = _formerly(t, product.commune_as_written, commune.name)
    parts.append(
        f'</header>\n<p data-pagefind-body>{escape(product.summary)}</p>\n'
        f'<dl data-pagefind-body>\n<dt>{escape(t("product.category"))}</dt>\n'
        f'<dd>{" › ".join(str(escape(c.name)) for c in path)}</dd>\n'
        f'<dt>{escape(t("product.commune"))}</dt>\n<dd>{escape(commune.name)}{formerly}</dd>\n'
        f'<dt>{escape(t("product.producer"))}</dt>\n<dd>{escape(producer.name)}</dd>\n'
        f'<dt>{escape(t("product.stars"))}</dt>\n'
        f'<dd>{escape(t("stars.label", stars=product.stars))}</dd>\n</dl>\n'
        f'<section data-pagefind-body>\n<h2 id="h-desc">{escape(t("product.description"))}'
        f'</h2>\n<div>\n{product.body_html}\n</div>\n</section>\n'
        f'<aside data-pagefind-body>\n<h2 id="h-producer">{escape(t("product.contact"))}</h2>\n'
        f'<p><strong>{escape(producer.name)}</strong><br>\n'
        f'<span>{escape(t(f"producer_type.{producer.type}"))}</span></p>\n'
        f'<p>{escape(producer.address)}</p>\n'
        f'<p>{escape(t("product.phone"))} {escape(producer.phone)}</p>\n')
    if producer.website:
        parts.append(f'<p>{escape(producer.website)}</p>\n')
    parts.append('</aside>\n</article></body></html>\n')
    return "".join(parts)


def _hidden(product: Product, commune: str, group: str, thumbnail: str, t) -> str:
    """Filters and result metadata: not indexed as words (data-pagefind-ignore)."""
    price = ""
    if product.price is not None:
        per_unit = t.price(product.price) + (f" / {product.unit}" if product.unit else "")
        price = f'<span data-pagefind-meta="price">{escape(per_unit)}</span>\n'
    # image set even when empty: otherwise Pagefind would take the first <img> it finds
    return (f'<div hidden data-pagefind-ignore>\n'
            f'<span data-pagefind-filter="commune">{escape(commune)}</span>\n'
            f'<span data-pagefind-filter="group">{escape(group)}</span>\n'
            f'<span data-pagefind-filter="stars">{product.stars}</span>\n{price}'
            f'<span data-pagefind-meta="image:{escape(thumbnail)}"></span>\n'
            f'<span data-pagefind-meta="image_alt:"></span>\n</div>\n')


def _thumbnail(product: Product, images: Mapping[Path, ProcessedImage]) -> str:
    """The site path of the result card's photo ('' without one): the square thumbnail
    about THUMBNAIL_WIDTH wide, as the list cards show it."""
    image = images.get(product.images[0].source) if product.images else None
    if image is None:
        return ""
    return (image.thumb or image).closest(THUMBNAIL_WIDTH).url
