"""Catalogue → the list of pages to render. The one place that decides URLs.

Each page type has one small function; templates only display what they are given.
All internal links are written relative to the page (`root` + site path), so the same
output works at a domain root, under a subpath, or opened from a USB stick.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from .catalogue import Catalogue
from .content.models import Category, Commune, Producer, Product
from .images import ProcessedImage
from .search import plain_text, product_aliases


class Urls:
    """Site-relative URL of every kind of page (no leading slash; '' is the home page)."""

    home = ""
    products = "san-pham/"
    communes = "xa/"
    categories = "danh-muc/"
    producers = "co-so/"
    stars_index = "sao/"
    not_found = "404.html"
    search = "tim-kiem/"
    search_index = "pagefind/"  # the Pagefind bundle the search page loads
    product_pages_glob = "san-pham/*/index.html"  # what the search index covers
    events = "su-kien/"
    print_catalogue = "ban-in/"  # every product on A4 sheets, grouped by commune
    # machine-readable outputs (written by ocop_site/outputs/)
    sitemap = "sitemap.xml"
    robots = "robots.txt"
    feed = "feed.xml"  # Atom: newly certified products
    open_data_json = "catalogue.json"
    open_data_csv = "catalogue.csv"

    @staticmethod
    def product(product: Product) -> str:
        return f"san-pham/{product.slug}/"

    @staticmethod
    def commune(commune_slug: str) -> str:
        return f"xa/{commune_slug}/"

    @staticmethod
    def category(category_id: str) -> str:
        return f"danh-muc/{category_id}/"

    @staticmethod
    def stars(count: int) -> str:
        return f"sao/{count}/"

    @staticmethod
    def producer(producer_id: str) -> str:
        return f"co-so/{producer_id}/"

    @staticmethod
    def event(event_slug: str) -> str:
        return f"su-kien/{event_slug}/"

    @staticmethod
    def qr(product: Product) -> str:
        """The product's QR code (SVG) sits beside its page."""
        return f"san-pham/{product.slug}/qr.svg"


def output_path(url: str) -> str:
    """The file that serves a URL: directories get index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def root_for(url: str) -> str:
    """Relative prefix from a page back to the site root ('../../' for 'xa/song-lo/')."""
    return "../" * output_path(url).count("/")


@dataclass(frozen=True)
class Page:
    url: str
    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (title, url) above this page

    @property
    def path(self) -> str:
        return output_path(self.url)


@dataclass(frozen=True)
class ProductView:
    """What a product card or page shows, with its lookups already resolved."""

    product: Product
    url: str
    commune: Commune
    producer: Producer
    category: Category
    expired: bool
    image: ProcessedImage | None
    # position in the catalogue's Vietnamese name order: list pages sort by it in the
    # browser, so their script needs no Vietnamese collation of its own
    name_rank: int = 0
    category_ids: tuple[str, ...] = ()  # group → sub-group → product set, for filters


@dataclass(frozen=True)
class ListFilters:
    """The filter choices a product list offers: only values that occur, with counts."""

    stars: tuple[tuple[int, int], ...]  # (stars, count), most stars first
    # (category, count): the groups, or the product sets when every product is in one group
    categories: tuple[tuple[Category, int], ...]


def plan_pages(catalogue: Catalogue, images: Mapping[Path, ProcessedImage]) -> list[Page]:
    """Every page of the site, in a stable order."""
    views = {p.slug: _view(catalogue, p, images, rank)
             for rank, p in enumerate(catalogue.products)}
    pages: list[Page] = [home_page(catalogue, views)]
    pages += product_pages(catalogue, views, images)
    pages.append(all_products_page(catalogue, views))
    pages += commune_pages(catalogue, views, images)
    pages += category_pages(catalogue, views)
    pages += star_pages(catalogue, views)
    pages += producer_pages(catalogue, views, images)
    pages += event_pages(catalogue, views)
    pages.append(print_catalogue_page(catalogue, views))
    pages.append(search_page(catalogue))
    pages.append(not_found_page())
    return pages


def _view(catalogue: Catalogue, product: Product,
          images: Mapping[Path, ProcessedImage], name_rank: int = 0) -> ProductView:
    first = images.get(product.images[0].source) if product.images else None
    return ProductView(
        product=product,
        url=Urls.product(product),
        commune=catalogue.communes_by_slug[product.commune],
        producer=catalogue.producers[product.producer],
        category=catalogue.categories[product.category],
        expired=catalogue.is_expired(product),
        image=first,
        name_rank=name_rank,
        category_ids=tuple(c.id for c in catalogue.category_path(product.category)),
    )


def _views(views: Mapping[str, ProductView], products) -> tuple[ProductView, ...]:
    return tuple(views[p.slug] for p in products)


def list_filters(catalogue: Catalogue, products: tuple[ProductView, ...]) -> ListFilters:
    """Stars and categories to filter a list by; a choice that cannot narrow is left out."""
    stars = tuple((n, c) for n in (5, 4, 3)
                  if (c := sum(v.product.stars == n for v in products)))
    groups = _category_counts(catalogue, products, 0)
    categories = groups if len(groups) > 1 else _category_counts(catalogue, products, -1)
    return ListFilters(stars=stars if len(stars) > 1 else (),
                       categories=categories if len(categories) > 1 else ())


def _category_counts(catalogue: Catalogue, products: tuple[ProductView, ...],
                     level: int) -> tuple[tuple[Category, int], ...]:
    counts: dict[str, int] = {}
    for view in products:
        if view.category_ids:
            key = view.category_ids[level]
            counts[key] = counts.get(key, 0) + 1
    return tuple((c, counts[c.id]) for c in catalogue.categories.values() if c.id in counts)


def home_page(catalogue: Catalogue, views: Mapping[str, ProductView]) -> Page:
    return Page(Urls.home, "home.html", catalogue.config.title, {
        "featured": _views(views, catalogue.featured),
        "newest": _views(views, catalogue.newest),
        "communes": tuple((c, len(catalogue.by_commune.get(c.slug, ())))
                          for c in catalogue.communes),
        "groups": tuple((g, len(catalogue.by_category.get(g.id, ())))
                        for g in catalogue.groups),
        "star_counts": tuple((n, len(catalogue.by_stars.get(n, ()))) for n in (5, 4, 3)),
        "product_count": len(catalogue.products),
    })


def product_pages(catalogue: Catalogue, views: Mapping[str, ProductView],
                  images: Mapping[Path, ProcessedImage]) -> Iterator[Page]:
    for product in catalogue.products:
        view = views[product.slug]
        path = catalogue.category_path(product.category)
        siblings = tuple(v for v in _views(views, catalogue.by_producer[product.producer])
                         if v.product.slug != product.slug)
        yield Page(view.url, "product.html", product.name, {
            "view": view,
            "category_path": path,
            "gallery": tuple((ref, images[ref.source]) for ref in product.images
                             if ref.source in images),
            "more_from_producer": siblings[:6],
            # hidden folded đ-words for the search index (see search.py)
            "search_aliases": product_aliases(
                product.name, product.summary, view.commune.name, product.commune_as_written,
                view.producer.name, view.producer.address, *(c.name for c in path),
                plain_text(product.body_html)),
            "events": catalogue.events_by_product.get(product.slug, ()),
            "qr": Urls.qr(product),
        }, breadcrumbs=((catalogue.config.title, Urls.home), ("Sản phẩm", Urls.products)))


def all_products_page(catalogue: Catalogue, views: Mapping[str, ProductView]) -> Page:
    return Page(Urls.products, "list.html", "Tất cả sản phẩm OCOP", {
        "heading": "Tất cả sản phẩm OCOP",
        "intro": "",
        "products": _views(views, catalogue.products),
        "filters": list_filters(catalogue, _views(views, catalogue.products)),
        "kind": "products",
    }, breadcrumbs=((catalogue.config.title, Urls.home),))


def commune_pages(catalogue: Catalogue, views: Mapping[str, ProductView],
                  images: Mapping[Path, ProcessedImage]) -> Iterator[Page]:
    rows = tuple((c, len(catalogue.by_commune.get(c.slug, ()))) for c in catalogue.communes)
    yield Page(Urls.communes, "communes.html", "Các xã", {"communes": rows},
               breadcrumbs=((catalogue.config.title, Urls.home),))
    for commune in catalogue.communes:
        products = _views(views, catalogue.by_commune.get(commune.slug, ()))
        yield Page(Urls.commune(commune.slug), "commune.html", f"Xã {commune.name}", {
            "commune": commune,
            "image": images.get(commune.image) if commune.image else None,
            "products": products,
            "producers": catalogue.producers_by_commune.get(commune.slug, ()),
            "origins": _origins(commune, products),
            "filters": list_filters(catalogue, products),
        }, breadcrumbs=((catalogue.config.title, Urls.home), ("Các xã", Urls.communes)))


def _origins(commune: Commune, products: tuple[ProductView, ...]) -> tuple[str, ...]:
    """Former units that products of this commune still name (shown as 'from …')."""
    seen: dict[str, None] = {}
    for view in products:
        written = view.product.commune_as_written
        if written != commune.name:
            seen.setdefault(written)
    return tuple(seen)


def category_pages(catalogue: Catalogue, views: Mapping[str, ProductView]) -> Iterator[Page]:
    counts = {cid: len(catalogue.by_category.get(cid, ())) for cid in catalogue.categories}
    yield Page(Urls.categories, "categories.html", "Danh mục sản phẩm", {
        "groups": catalogue.groups, "counts": counts, "categories": catalogue.categories,
    }, breadcrumbs=((catalogue.config.title, Urls.home),))
    for category in catalogue.categories.values():
        products = catalogue.by_category.get(category.id, ())
        if not products:
            continue  # empty classification nodes are listed, not given empty pages
        crumbs = ((catalogue.config.title, Urls.home), ("Danh mục", Urls.categories)) + tuple(
            (c.name, Urls.category(c.id)) for c in catalogue.category_path(category.id)[:-1])
        yield Page(Urls.category(category.id), "category.html", category.name, {
            "category": category,
            "products": _views(views, products),
            "filters": list_filters(catalogue, _views(views, products)),
            "children": tuple(catalogue.categories[c] for c in category.children),
            "counts": counts,
        }, breadcrumbs=crumbs)


def star_pages(catalogue: Catalogue, views: Mapping[str, ProductView]) -> Iterator[Page]:
    yield Page(Urls.stars_index, "stars.html", "Hạng sao OCOP", {
        "star_counts": tuple((n, len(catalogue.by_stars.get(n, ()))) for n in (5, 4, 3)),
    }, breadcrumbs=((catalogue.config.title, Urls.home),))
    for stars in (5, 4, 3):
        products = _views(views, catalogue.by_stars.get(stars, ()))
        yield Page(Urls.stars(stars), "list.html", f"Sản phẩm OCOP {stars} sao", {
            "heading": f"Sản phẩm OCOP {stars} sao",
            "intro": "",
            "products": products,
            "filters": list_filters(catalogue, products),
            "kind": "stars",
        }, breadcrumbs=((catalogue.config.title, Urls.home), ("Hạng sao", Urls.stars_index)))


def producer_pages(catalogue: Catalogue, views: Mapping[str, ProductView],
                   images: Mapping[Path, ProcessedImage]) -> Iterator[Page]:
    rows = tuple((p, len(catalogue.by_producer.get(p.id, ())))
                 for p in catalogue.producers_sorted)
    yield Page(Urls.producers, "producers.html", "Cơ sở sản xuất", {"producers": rows},
               breadcrumbs=((catalogue.config.title, Urls.home),))
    for producer in catalogue.producers_sorted:
        yield Page(Urls.producer(producer.id), "producer.html", producer.name, {
            "producer": producer,
            "commune": catalogue.communes_by_slug.get(producer.commune),
            "image": images.get(producer.image.source) if producer.image else None,
            "products": _views(views, catalogue.by_producer.get(producer.id, ())),
        }, breadcrumbs=((catalogue.config.title, Urls.home), ("Cơ sở sản xuất",
                                                              Urls.producers)))


def event_pages(catalogue: Catalogue, views: Mapping[str, ProductView]) -> Iterator[Page]:
    """The events list (upcoming and past) and one page per event, linking its products."""
    home = (catalogue.config.title, Urls.home)
    yield Page(Urls.events, "events.html", "Hội chợ và sự kiện", {
        "upcoming": catalogue.upcoming_events,
        "past": catalogue.past_events,
    }, breadcrumbs=(home,))
    for event in catalogue.events:
        yield Page(Urls.event(event.slug), "event.html", event.title, {
            "event": event,
            "upcoming": event.upcoming_on(catalogue.config.today),
            "products": _views(views, catalogue.event_products.get(event.slug, ())),
        }, breadcrumbs=(home, ("Sự kiện", Urls.events)))


def print_catalogue_page(catalogue: Catalogue, views: Mapping[str, ProductView]) -> Page:
    """All products on paper for a fair booth, grouped by commune like the district's lists."""
    groups = tuple(
        (commune, tuple((views[p.slug], Urls.qr(p)) for p in catalogue.by_commune[commune.slug]))
        for commune in catalogue.communes if catalogue.by_commune.get(commune.slug))
    return Page(Urls.print_catalogue, "print-catalogue.html", "Danh mục sản phẩm OCOP (bản in)",
                {"groups": groups, "product_count": len(catalogue.products)},
                breadcrumbs=((catalogue.config.title, Urls.home),))


@dataclass(frozen=True)
class SearchFacet:
    """Checkboxes that narrow search results; `key` and each value are exactly the
    Pagefind filter name and values written by templates/partials/search-record.html."""

    key: str
    label: str
    options: tuple[tuple[str, str, int], ...]  # (filter value, label, product count)


def search_facets(catalogue: Catalogue) -> tuple[SearchFacet, ...]:
    return (
        SearchFacet("commune", "Xã", tuple(
            (c.name, c.name, len(catalogue.by_commune[c.slug]))
            for c in catalogue.communes if catalogue.by_commune.get(c.slug))),
        SearchFacet("group", "Nhóm sản phẩm", tuple(
            (g.name, g.name, len(catalogue.by_category[g.id]))
            for g in catalogue.groups if catalogue.by_category.get(g.id))),
        SearchFacet("stars", "Hạng sao", tuple(
            (str(n), f"{n} sao", len(catalogue.by_stars[n]))
            for n in (5, 4, 3) if catalogue.by_stars.get(n))),
    )


def search_page(catalogue: Catalogue) -> Page:
    """Full-text search over product pages; needs JavaScript, says so, links the lists."""
    return Page(Urls.search, "search.html", "Tìm kiếm sản phẩm", {
        "product_count": len(catalogue.products),
        "search_script": Urls.search_index + "pagefind.js",
        "facets": search_facets(catalogue),
    }, breadcrumbs=((catalogue.config.title, Urls.home),))


def not_found_page() -> Page:
    return Page(Urls.not_found, "404.html", "Không tìm thấy trang", {})
