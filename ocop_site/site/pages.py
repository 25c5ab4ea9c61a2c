"""Catalogue → the list of pages to render. The one place that decides URLs.

Each page type has one small function; templates only display what they are given.
Every language of the site has the same pages, planned from that language's catalogue
(site/localize.py): `plan_pages` gives each the address of its counterparts.

What the page functions lean on has modules of their own: the addresses and languages (site/urls.py:
`Urls`, `LangUrls`, `Language`, `site_languages`, `Page`, `root_for`), what a page shows
of a product (site/views.py: `ProductView`, `contact_links`, `text_lang_in`), long lists
split into pages, each with its own filters, and what saving one for offline costs
(site/listpages.py: `PAGE_SIZE`, `Pagination`, `paginate`, `with_offline_save`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

from ..content.models import Category, Commune
from ..images.photos import ProcessedImage
from .catalogue import Catalogue
from .listpages import paginate, with_offline_save
from .localize import TextIndex, catalogue_in
from .shoppages import shop_pages
from .shops import ShopViews, online_links
from .statspage import statistics_page
from .urls import Language, Page, Urls, output_path, site_languages
from .views import (
    KeptViews,
    LanguageViews,
    ProductView,
    ProductViews,
    TextLangLookup,
    contact_links,
    item_texts,
)

REDIRECT_TEMPLATE = "redirect.html"  # pages that only send the visitor elsewhere


def plan_pages(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
               only: frozenset[str] | None = None,
               wanted: frozenset[str] | None = None,
               views: KeptViews | None = None) -> list[Page]:
    """Every page of the site in every language (the default first), in a stable order.
    `only`: the pages of these products; `wanted`: the pages at these site paths (a
    build the dependency graph plans), each as it is among every page. `views`: the
    product views of the last build (serve's session), kept for the next."""
    languages = site_languages(catalogue.config)
    pages: list[Page] = []
    for lang in languages:
        local, texts = catalogue_in(catalogue, lang.code)
        text_lang = TextLangLookup(texts, lang.code)
        for page in language_pages(local, images, lang, texts, catalogue, only, wanted,
                                   views.of(lang.code) if views is not None else None):
            same = page.url[len(lang.prefix):]
            pages.append(dataclasses.replace(
                page, lang=lang.code, context={**page.context, "text_lang": text_lang},
                alternates=tuple((other.code, other.prefix + same) for other in languages)))
    return pages


class _Wants:
    """Whether a page at a URL, or a page of its list (`page/2/` below it), is among the
    wanted site paths: a build the dependency graph plans makes the few lists an edit
    reached without making the contexts of every commune's, category's and producer's."""

    def __init__(self, wanted: frozenset[str] | None):
        self.folders: set[str] | None = None
        if wanted is not None:
            self.folders = set()
            for path in wanted:
                folder = path.rpartition("/")[0]
                while folder not in self.folders:
                    self.folders.add(folder)
                    folder = folder.rpartition("/")[0]

    def __call__(self, url: str) -> bool:
        return self.folders is None or output_path(url).rpartition("/")[0] in self.folders


def language_pages(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                   lang: Language, texts: TextIndex, base: Catalogue,
                   only: frozenset[str] | None = None,
                   wanted: frozenset[str] | None = None,
                   kept: LanguageViews | None = None
                   ) -> list[Page]:
    """The pages of one language, from the catalogue in that language; `base` is the
    default language's (for the names a page also shows in the original). `only`,
    `wanted`: see plan_pages."""
    views = ProductViews(catalogue, images, lang, texts, kept)
    shops = ShopViews(catalogue, lang, base)
    if only is not None:  # just these products' pages: an edit shown before the rest
        return list(product_pages(catalogue, views, shops, images, lang, only))
    wants = _Wants(wanted)
    own = None if wanted is None else frozenset(
        p.slug for p in catalogue.products if wants(lang.urls.product(p)))
    pages: list[Page] = [home_page(catalogue, views, lang)]
    pages += product_pages(catalogue, views, shops, images, lang, own)
    pages.append(all_products_page(catalogue, views, lang))
    pages += commune_pages(catalogue, views, images, lang, texts, wants)
    pages += former_unit_pages(catalogue, lang)
    pages += category_pages(catalogue, views, lang, texts, base, wants)
    pages += star_pages(catalogue, views, lang)
    pages += producer_pages(catalogue, views, images, lang, texts, wants)
    pages += event_pages(catalogue, views, lang, texts)
    pages += shop_pages(catalogue, views, shops, images, lang, texts)
    pages.append(print_catalogue_page(catalogue, views, lang))
    pages.append(statistics_page(catalogue, lang))
    pages.append(search_page(catalogue, lang))
    pages.append(not_found_page(lang))
    pages += offline_pages(lang)
    return [with_offline_save(part, lang)
            for page in pages for part in paginate(catalogue, page, lang, wanted)
            if wanted is None or part.path in wanted]


def home_page(catalogue: Catalogue, views: ProductViews, lang: Language) -> Page:
    return Page(lang.urls.home, "home.html", lang.site.title, {
        "featured": views.of(catalogue.featured),
        "newest": views.of(catalogue.newest),
        "communes": tuple((c, len(catalogue.by_commune.get(c.slug, ())))
                          for c in catalogue.communes),
        "groups": tuple((g, len(catalogue.by_category.get(g.id, ())))
                        for g in catalogue.groups),
        "star_counts": tuple((n, len(catalogue.by_stars.get(n, ()))) for n in (5, 4, 3)),
        "product_count": len(catalogue.products),
    })


def product_pages(catalogue: Catalogue, views: ProductViews, shops: ShopViews,
                  images: Mapping[Path, ProcessedImage], lang: Language,
                  only: frozenset[str] | None = None) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    for product in catalogue.products:
        if only is not None and product.slug not in only:
            continue
        view = views[product.slug]
        path = catalogue.category_path(product.category)
        siblings = tuple(v for v in views.of(catalogue.by_producer[product.producer])
                         if v.product.slug != product.slug)
        yield Page(view.url, "product.html", product.name, {
            "view": view,
            "title_lang": view.texts.of("name"),
            "category_path": path,
            "gallery": tuple((ref, images[ref.source]) for ref in product.images
                             if ref.source in images),
            "more_from_producer": siblings[:6],
            "events": catalogue.events_by_product.get(product.slug, ()),
            "qr": lang.urls.qr(product),
            "qr_title": lang.t("qr.named", name=product.name),
            "contact": contact_links(view.producer),
            "buy_online": online_links(product, catalogue.platforms, lang.code),
            "shops": shops.of(catalogue.shops_by_product.get(product.slug, ())),
        }, breadcrumbs=(home, (lang.t("crumb.products"), lang.urls.products)))


def all_products_page(catalogue: Catalogue, views: ProductViews,
                      lang: Language) -> Page:
    title = lang.t("title.products")
    products = views.of(catalogue.products)
    return Page(lang.urls.products, "list.html", title, {
        "heading": title,
        "intro": "",
        "products": products,
        "kind": "products",
    }, breadcrumbs=((lang.site.title, lang.urls.home),))


def commune_pages(catalogue: Catalogue, views: ProductViews,
                  images: Mapping[Path, ProcessedImage], lang: Language,
                  texts: TextIndex, wants: Callable[[str], bool] = lambda url: True
                  ) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    rows = tuple((c, len(catalogue.by_commune.get(c.slug, ()))) for c in catalogue.communes)
    yield Page(lang.urls.communes, "communes.html", lang.t("title.communes"),
               {"communes": rows}, breadcrumbs=(home,))
    for commune in catalogue.communes:
        if not wants(lang.urls.commune(commune.slug)):
            continue
        products = views.of(catalogue.by_commune.get(commune.slug, ()))
        yield Page(lang.urls.commune(commune.slug), "commune.html",
                   lang.t("title.commune", name=commune.name), {
            "commune": commune,
            "texts": item_texts(texts, lang, "commune", commune.slug),
            "image": images.get(commune.image) if commune.image else None,
            "products": products,
            "producers": catalogue.producers_by_commune.get(commune.slug, ()),
            "origins": _origins(commune, products),
        }, breadcrumbs=(home, (lang.t("crumb.communes"), lang.urls.communes)))


def former_unit_pages(catalogue: Catalogue, lang: Language) -> Iterator[Page]:
    """xa/<former-slug>/ for each unit merged into a commune: addresses printed or shared
    before 2025-07-01 still lead to the right commune (a meta refresh, a canonical link
    and a plain link; left out of the sitemap and of every list)."""
    current = {c.slug for c in catalogue.communes}
    for commune in catalogue.communes:
        target = lang.urls.commune(commune.slug)
        for unit in commune.formed_from:
            if not unit.slug or unit.slug in current:
                continue
            names = {"former": unit.full_name, "current": f"{commune.kind} {commune.name}"}
            yield Page(lang.urls.commune(unit.slug), REDIRECT_TEMPLATE,
                       lang.t("commune.moved_title", **names), {
                           "target": target, "target_absolute": catalogue.config.absolute(target),
                           "names": names})


def _origins(commune: Commune, products: tuple[ProductView, ...]) -> tuple[str, ...]:
    """Former units that products of this commune still name (shown as 'from …')."""
    seen: dict[str, None] = {}
    for view in products:
        written = view.product.commune_as_written
        if written != commune.name:
            seen.setdefault(written)
    return tuple(seen)


def category_pages(catalogue: Catalogue, views: ProductViews, lang: Language,
                   texts: TextIndex, base: Catalogue,
                   wants: Callable[[str], bool] = lambda url: True) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    counts = {cid: len(catalogue.by_category.get(cid, ())) for cid in catalogue.categories}
    yield Page(lang.urls.categories, "categories.html", lang.t("title.categories"), {
        "groups": catalogue.groups, "counts": counts, "categories": catalogue.categories,
    }, breadcrumbs=(home,))
    for category in catalogue.categories.values():
        if not wants(lang.urls.category(category.id)):
            continue
        products = views.of(catalogue.by_category.get(category.id, ()))
        if not products:
            continue  # empty classification nodes are listed, not given empty pages
        crumbs = (home, (lang.t("crumb.categories"), lang.urls.categories)) + tuple(
            (c.name, lang.urls.category(c.id))
            for c in catalogue.category_path(category.id)[:-1])
        category_texts = item_texts(texts, lang, "category", category.id)
        yield Page(lang.urls.category(category.id), "category.html", category.name, {
            "category": category,
            "texts": category_texts,
            "title_lang": category_texts.of("name"),
            "other_names": _other_names(base.categories[category.id], category.name,
                                        base.config.default_language),
            "products": products,
            "children": tuple(catalogue.categories[c] for c in category.children),
            "counts": counts,
        }, breadcrumbs=crumbs)


def _other_names(original: Category, name: str, default: str) -> tuple[tuple[str, str], ...]:
    """(language, name) a category page named `name` also shows: the English name on
    pages in the default language, the original (official) name on pages in any other."""
    if name != original.name:
        return ((default, original.name),)
    if original.name_en and original.name_en != name:
        return (("en", original.name_en),)
    return ()


def star_pages(catalogue: Catalogue, views: ProductViews,
               lang: Language) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    yield Page(lang.urls.stars_index, "stars.html", lang.t("title.stars"), {
        "star_counts": tuple((n, len(catalogue.by_stars.get(n, ()))) for n in (5, 4, 3)),
    }, breadcrumbs=(home,))
    for stars in (5, 4, 3):
        products = views.of(catalogue.by_stars.get(stars, ()))
        title = lang.t("title.stars_list", stars=stars)
        yield Page(lang.urls.stars(stars), "list.html", title, {
            "heading": title,
            "intro": "",
            "products": products,
            "kind": "stars",
        }, breadcrumbs=(home, (lang.t("crumb.stars"), lang.urls.stars_index)))


def producer_pages(catalogue: Catalogue, views: ProductViews,
                   images: Mapping[Path, ProcessedImage], lang: Language,
                   texts: TextIndex, wants: Callable[[str], bool] = lambda url: True
                   ) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    rows = tuple((p, len(catalogue.by_producer.get(p.id, ())))
                 for p in catalogue.producers_sorted)
    yield Page(lang.urls.producers, "producers.html", lang.t("title.producers"),
               {"producers": rows}, breadcrumbs=(home,))
    for producer in catalogue.producers_sorted:
        if not wants(lang.urls.producer(producer.id)):
            continue
        producer_texts = item_texts(texts, lang, "producer", producer.id)
        yield Page(lang.urls.producer(producer.id), "producer.html", producer.name, {
            "producer": producer,
            "texts": producer_texts,
            "title_lang": producer_texts.of("name"),
            "commune": catalogue.communes_by_slug.get(producer.commune),
            "image": images.get(producer.image.source) if producer.image else None,
            "products": views.of(catalogue.by_producer.get(producer.id, ())),
            "contact": contact_links(producer),
        }, breadcrumbs=(home, (lang.t("crumb.producers"), lang.urls.producers)))


def event_pages(catalogue: Catalogue, views: ProductViews, lang: Language,
                texts: TextIndex) -> Iterator[Page]:
    """The events list (upcoming and past) and one page per event, linking its products."""
    home = (lang.site.title, lang.urls.home)
    yield Page(lang.urls.events, "events.html", lang.t("title.events"), {
        "upcoming": catalogue.upcoming_events,
        "past": catalogue.past_events,
    }, breadcrumbs=(home,))
    for event in catalogue.events:
        event_texts = item_texts(texts, lang, "event", event.slug)
        yield Page(lang.urls.event(event.slug), "event.html", event.title, {
            "event": event,
            "texts": event_texts,
            "title_lang": event_texts.of("title"),
            "upcoming": event.upcoming_on(catalogue.config.today),
            "products": views.of(catalogue.event_products.get(event.slug, ())),
        }, breadcrumbs=(home, (lang.t("crumb.events"), lang.urls.events)))


def print_catalogue_page(catalogue: Catalogue, views: ProductViews,
                         lang: Language) -> Page:
    """All products on paper for a fair booth, grouped by commune like the district's lists.
    Its views carry no name rank (a page on paper sorts nothing in the browser): each row
    is kept by what it shows (site/fragments.py print_row), and a rank moves with every
    product added, removed or renamed."""
    groups = tuple(
        (commune, tuple((views.unranked(p.slug), lang.urls.qr(p))
                        for p in catalogue.by_commune[commune.slug]))
        for commune in catalogue.communes if catalogue.by_commune.get(commune.slug))
    return Page(lang.urls.print_catalogue, "print-catalogue.html", lang.t("title.print"),
                {"groups": groups, "product_count": len(catalogue.products)},
                breadcrumbs=((lang.site.title, lang.urls.home),))


@dataclass(frozen=True)
class SearchFacet:
    """Checkboxes that narrow search results; `key` and each value are exactly the
    facet name and values of the search records (search/records.py)."""

    key: str
    label: str
    options: tuple[tuple[str, str, int], ...]  # (filter value, label, product count)


def search_facets(catalogue: Catalogue, t: Callable[..., str]) -> tuple[SearchFacet, ...]:
    """Filter values are the names a page in that language shows: the search index has
    one folder per language, so the facets of a language match its own pages."""
    return (
        SearchFacet("commune", t("search.facet_commune"), tuple(
            (c.name, c.name, len(catalogue.by_commune[c.slug]))
            for c in catalogue.communes if catalogue.by_commune.get(c.slug))),
        SearchFacet("group", t("search.facet_group"), tuple(
            (g.name, g.name, len(catalogue.by_category[g.id]))
            for g in catalogue.groups if catalogue.by_category.get(g.id))),
        SearchFacet("stars", t("search.facet_stars"), tuple(
            (str(n), t("stars.label", stars=n), len(catalogue.by_stars[n]))
            for n in (5, 4, 3) if catalogue.by_stars.get(n))),
    )


def search_page(catalogue: Catalogue, lang: Language) -> Page:
    """Full-text search over product pages; needs JavaScript, says so, links the lists."""
    return Page(lang.urls.search, "search.html", lang.t("title.search"), {
        "product_count": len(catalogue.products),
        "search_index": Urls.search_index,
        "facets": search_facets(catalogue, lang.t),
    }, breadcrumbs=((lang.site.title, lang.urls.home),))


def not_found_page(lang: Language) -> Page:
    return Page(lang.urls.not_found, "404.html", lang.t("title.not_found"), {})


def offline_pages(lang: Language) -> list[Page]:
    """The page the service worker shows for a page never saved, and the list of saved
    pages (filled in by assets/js/offline.js)."""
    home = (lang.site.title, lang.urls.home)
    return [Page(lang.urls.offline, "offline.html", lang.t("title.offline"), {}),
            Page(lang.urls.saved, "saved.html", lang.t("title.saved"), {},
                 breadcrumbs=(home,))]
