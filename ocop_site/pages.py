"""Catalogue → the list of pages to render. The one place that decides URLs.

Each page type has one small function; templates only display what they are given.
All internal links are written relative to the page (`root` + site path), so the same
output works at a domain root, under a subpath, or opened from a USB stick.

Every language of the site has the same pages: the default language at the root, each
other one under '<code>/' with the same ASCII paths ('en/san-pham/che-xanh/'), so a
page's counterpart in another language is one prefix away (`Page.alternates`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from .catalogue import Catalogue
from .config import SiteConfig
from .content.models import Category, Commune, Producer, Product
from .content.schema import phone_digits
from .i18n import Translator
from .images import ProcessedImage
from .localize import TextIndex, TextLangs, catalogue_in, text_key
from .recorded import note


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
    events = "su-kien/"
    print_catalogue = "ban-in/"  # every product on A4 sheets, grouped by commune
    offline = "khong-co-mang/"  # what the service worker shows for a page never saved
    saved = "da-luu/"  # the pages saved for reading offline, to open or remove
    service_worker = "sw.js"  # at the root: its scope is the whole site
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


# One file for every language: Pagefind puts each record in its language's index, and
# open data is the catalogue's (with the translated fields). Each language has its feed.
SHARED_URLS = frozenset({"search_index", "sitemap", "robots",
                         "open_data_json", "open_data_csv", "service_worker"})
# Pages shown in place of another address (the host's 404, the service worker's offline
# page): their links start from the site's base path, not from their own folder.
SERVED_ANYWHERE = frozenset({"404.html", "offline.html"})


@dataclass(frozen=True)
class LangUrls:
    """`Urls` for the pages of one language: the same paths under its prefix ('en/';
    '' for the default language). Site-wide files (SHARED_URLS) keep their one path."""

    prefix: str = ""

    def __getattr__(self, name: str) -> Any:
        value = getattr(Urls, name)
        if name.startswith("_"):
            return value
        if self.prefix and name not in SHARED_URLS:
            prefix = self.prefix
            value = ((lambda *args, url=value: prefix + url(*args))
                     if callable(value) else prefix + value)
        self.__dict__[name] = value  # asked once per name: pages ask thousands of times
        return value


@dataclass(frozen=True)
class Language:
    """One language of the site, as its pages need it."""

    code: str
    prefix: str  # '' for the default language, 'en/' for English
    t: Translator  # interface strings
    site: SiteConfig  # title, tagline, region… in this language
    urls: LangUrls


def site_languages(config: SiteConfig) -> tuple[Language, ...]:
    """The site's languages, the default (served at the root) first."""
    return tuple(
        Language(code, prefix, config.translator(code), config.localized(code),
                 LangUrls(prefix))
        for code, prefix in ((code, "" if index == 0 else f"{code}/")
                             for index, code in enumerate(config.languages)))


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
    lang: str = ""  # the page's language code
    # (language code, url) of this page in every language, the default language first
    alternates: tuple[tuple[str, str], ...] = ()

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
    texts: TextLangs = TextLangs("")  # which texts are not in the page's language


@dataclass(frozen=True)
class ListFilters:
    """The filter choices a product list offers: only values that occur, with counts."""

    stars: tuple[tuple[int, int], ...]  # (stars, count), most stars first
    # (category, count): the groups, or the product sets when every product is in one group
    categories: tuple[tuple[Category, int], ...]


def plan_pages(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
               only: frozenset[str] | None = None) -> list[Page]:
    """Every page of the site in every language (the default first), in a stable order."""
    languages = site_languages(catalogue.config)
    pages: list[Page] = []
    for lang in languages:
        local, texts = catalogue_in(catalogue, lang.code)
        text_lang = _text_lang(texts, lang.code)
        for page in language_pages(local, images, lang, texts, catalogue, only):
            same = page.url[len(lang.prefix):]
            pages.append(dataclasses.replace(
                page, lang=lang.code, context={**page.context, "text_lang": text_lang},
                alternates=tuple((other.code, other.prefix + same) for other in languages)))
    return pages


def _text_lang(texts: TextIndex, page_lang: str) -> "TextLangLookup":
    return TextLangLookup(texts, page_lang)


def text_lang_in(texts: TextIndex, page_lang: str, kind: str, ident: str, name: str) -> str:
    """The language the text `name` of an item is in on a page in `page_lang`."""
    found = texts.get(text_key(kind, ident))
    return found.of(name) if found is not None else page_lang


class TextLangLookup:
    """For templates: text_lang('producer', id, 'name') is the language that text is in
    on this page (to mark a name shown untranslated with lang="…"). Each lookup is
    noted in the render's reads, so the output cache knows which items' texts a page
    looked at (recorded.py) without digesting the whole index on every page."""

    __slots__ = ("texts", "page_lang")

    def __init__(self, texts: TextIndex, page_lang: str):
        self.texts = texts
        self.page_lang = page_lang

    def __call__(self, kind: str, ident: str, name: str) -> str:
        note(("text", self.page_lang, kind, ident, name))
        return text_lang_in(self.texts, self.page_lang, kind, ident, name)

    def __fingerprint__(self) -> str:
        return self.page_lang


def language_pages(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                   lang: Language, texts: TextIndex, base: Catalogue,
                   only: frozenset[str] | None = None) -> list[Page]:
    """The pages of one language, from the catalogue in that language; `base` is the
    default language's (for the names a page also shows in the original)."""
    views = _Views(catalogue, images, lang, texts)
    if only is not None:  # just these products' pages: an edit shown before the rest
        return list(product_pages(catalogue, views, images, lang, only))
    pages: list[Page] = [home_page(catalogue, views, lang)]
    pages += product_pages(catalogue, views, images, lang)
    pages.append(all_products_page(catalogue, views, lang))
    pages += commune_pages(catalogue, views, images, lang, texts)
    pages += former_unit_pages(catalogue, lang)
    pages += category_pages(catalogue, views, lang, texts, base)
    pages += star_pages(catalogue, views, lang)
    pages += producer_pages(catalogue, views, images, lang, texts)
    pages += event_pages(catalogue, views, lang, texts)
    pages.append(print_catalogue_page(catalogue, views, lang))
    pages.append(search_page(catalogue, lang))
    pages.append(not_found_page(lang))
    pages += offline_pages(lang)
    return [with_offline_save(part, lang)
            for page in pages for part in paginate(catalogue, page, lang)]


class _Views(dict):
    """slug → ProductView, each made when first asked for: planning the pages of one
    product (`only`) must not make 10,000 views."""

    def __init__(self, catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                 lang: Language, texts: TextIndex):
        super().__init__()
        self.made_from = (catalogue, images, lang, texts)
        self.ranked = {p.slug: (rank, p) for rank, p in enumerate(catalogue.products)}

    def __missing__(self, slug: str) -> ProductView:
        catalogue, images, lang, texts = self.made_from
        rank, product = self.ranked[slug]
        view = self[slug] = _view(catalogue, product, images, rank, lang, texts)
        return view


def _texts(texts: TextIndex, lang: Language, kind: str, ident: str) -> TextLangs:
    return texts.get(text_key(kind, ident)) or TextLangs(lang.code)


def _view(catalogue: Catalogue, product: Product, images: Mapping[Path, ProcessedImage],
          name_rank: int = 0, lang: Language | None = None,
          texts: TextIndex | None = None) -> ProductView:
    first = images.get(product.images[0].source) if product.images else None
    urls = lang.urls if lang is not None else Urls
    return ProductView(
        product=product,
        url=urls.product(product),
        commune=catalogue.communes_by_slug[product.commune],
        producer=catalogue.producers[product.producer],
        category=catalogue.categories[product.category],
        expired=catalogue.is_expired(product),
        image=first,
        name_rank=name_rank,
        category_ids=tuple(c.id for c in catalogue.category_path(product.category)),
        texts=_texts(texts or {}, lang, "product", product.slug) if lang is not None
        else TextLangs(catalogue.config.language),
    )


def _views(views: Mapping[str, ProductView], products) -> tuple[ProductView, ...]:
    return tuple(views[p.slug] for p in products)


# -- long lists: pages of PAGE_SIZE --------------------------------------------------------
PAGE_SIZE = 60  # products per page of a long list: light enough for a cheap phone
REDIRECT_TEMPLATE = "redirect.html"  # pages that only send the visitor elsewhere
PAGINATED = frozenset({"list.html", "commune.html", "category.html"})


@dataclass(frozen=True)
class Pagination:
    """Where a page sits in a long list split into pages. Page 1 keeps the list's own
    URL; page n is '<list URL>page/<n>/'. Lists of PAGE_SIZE or fewer are not split
    (their `pagination` is None): they stay one page, sortable and filterable whole."""

    number: int  # this page, from 1
    count: int  # pages in the list
    total: int  # products in the whole list
    first: str  # URL of page 1: the list's own URL

    def url(self, number: int) -> str:
        return self.first if number == 1 else f"{self.first}page/{number}/"

    @property
    def previous(self) -> str:
        return self.url(self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.url(self.number + 1) if self.number < self.count else ""

    @property
    def first_item(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last_item(self) -> int:
        return min(self.number * PAGE_SIZE, self.total)

    @property
    def window(self) -> tuple[tuple[int, str], ...]:
        """(number, URL) of the pages to link: the first, the last and two on each side of
        this one; (0, '') where numbers are left out (167 links would not fit a phone)."""
        shown = sorted({1, self.count, *range(max(1, self.number - 2),
                                              min(self.count, self.number + 2) + 1)})
        links: list[tuple[int, str]] = []
        for number in shown:
            if links and number > links[-1][0] + 1:
                links.append((0, ""))
            links.append((number, self.url(number)))
        return tuple(links)


def paginate(catalogue: Catalogue, page: Page, lang: Language) -> list[Page]:
    """A list page, split into pages of PAGE_SIZE products when it is longer; other
    pages unchanged. Each part has its own filters (the list script sorts and filters
    the products on the page) and a title that says which page it is."""
    if page.template not in PAGINATED:
        return [page]
    products = page.context["products"]
    if len(products) <= PAGE_SIZE:
        return [dataclasses.replace(page, context={**page.context, "pagination": None})]
    count = -(-len(products) // PAGE_SIZE)
    parts = []
    for number in range(1, count + 1):
        pagination = Pagination(number, count, len(products), page.url)
        shown = products[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        context = {**page.context, "products": shown, "filters": list_filters(catalogue, shown),
                   "pagination": pagination}
        if number == 1:
            parts.append(dataclasses.replace(page, context=context))
            continue
        title = lang.t("pagination.title", title=page.title, number=number)
        if "heading" in context:
            context["heading"] = lang.t("pagination.title", title=context["heading"],
                                        number=number)
        parts.append(dataclasses.replace(page, url=pagination.url(number), title=title,
                                         context=context))
    return parts


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


def home_page(catalogue: Catalogue, views: Mapping[str, ProductView], lang: Language) -> Page:
    return Page(lang.urls.home, "home.html", lang.site.title, {
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
                  images: Mapping[Path, ProcessedImage], lang: Language,
                  only: frozenset[str] | None = None) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    for product in catalogue.products:
        if only is not None and product.slug not in only:
            continue
        view = views[product.slug]
        path = catalogue.category_path(product.category)
        siblings = tuple(v for v in _views(views, catalogue.by_producer[product.producer])
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
        }, breadcrumbs=(home, (lang.t("crumb.products"), lang.urls.products)))


@dataclass(frozen=True)
class ContactLinks:
    """The producer's tap targets on a product page: tel: and Zalo (if it gives one)."""

    tel: str
    zalo: str = ""


def contact_links(producer: Producer) -> ContactLinks:
    """'tel:+84900000101' keeps a leading +; Zalo opens a chat at zalo.me/<digits>."""
    phone = producer.phone.strip()
    tel = "tel:" + ("+" if phone.startswith("+") else "") + "".join(
        char for char in phone if char.isdigit())
    zalo = phone_digits(producer.zalo) if producer.zalo else ""
    return ContactLinks(tel, f"https://zalo.me/{zalo}" if zalo else "")


def all_products_page(catalogue: Catalogue, views: Mapping[str, ProductView],
                      lang: Language) -> Page:
    title = lang.t("title.products")
    return Page(lang.urls.products, "list.html", title, {
        "heading": title,
        "intro": "",
        "products": _views(views, catalogue.products),
        "filters": list_filters(catalogue, _views(views, catalogue.products)),
        "kind": "products",
    }, breadcrumbs=((lang.site.title, lang.urls.home),))


def commune_pages(catalogue: Catalogue, views: Mapping[str, ProductView],
                  images: Mapping[Path, ProcessedImage], lang: Language,
                  texts: TextIndex) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    rows = tuple((c, len(catalogue.by_commune.get(c.slug, ()))) for c in catalogue.communes)
    yield Page(lang.urls.communes, "communes.html", lang.t("title.communes"),
               {"communes": rows}, breadcrumbs=(home,))
    for commune in catalogue.communes:
        products = _views(views, catalogue.by_commune.get(commune.slug, ()))
        yield Page(lang.urls.commune(commune.slug), "commune.html",
                   lang.t("title.commune", name=commune.name), {
            "commune": commune,
            "texts": _texts(texts, lang, "commune", commune.slug),
            "image": images.get(commune.image) if commune.image else None,
            "products": products,
            "producers": catalogue.producers_by_commune.get(commune.slug, ()),
            "origins": _origins(commune, products),
            "filters": list_filters(catalogue, products),
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


def category_pages(catalogue: Catalogue, views: Mapping[str, ProductView], lang: Language,
                   texts: TextIndex, base: Catalogue) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    counts = {cid: len(catalogue.by_category.get(cid, ())) for cid in catalogue.categories}
    yield Page(lang.urls.categories, "categories.html", lang.t("title.categories"), {
        "groups": catalogue.groups, "counts": counts, "categories": catalogue.categories,
    }, breadcrumbs=(home,))
    for category in catalogue.categories.values():
        products = catalogue.by_category.get(category.id, ())
        if not products:
            continue  # empty classification nodes are listed, not given empty pages
        crumbs = (home, (lang.t("crumb.categories"), lang.urls.categories)) + tuple(
            (c.name, lang.urls.category(c.id))
            for c in catalogue.category_path(category.id)[:-1])
        yield Page(lang.urls.category(category.id), "category.html", category.name, {
            "category": category,
            "texts": _texts(texts, lang, "category", category.id),
            "title_lang": _texts(texts, lang, "category", category.id).of("name"),
            "other_names": _other_names(base.categories[category.id], category.name,
                                        base.config.default_language),
            "products": _views(views, products),
            "filters": list_filters(catalogue, _views(views, products)),
            "children": tuple(catalogue.categories[c] for c in category.children),
            "counts": counts,
        }, breadcrumbs=crumbs)


def _other_names(original: Category, shown: str, default: str) -> tuple[tuple[str, str], ...]:
    """(language, name) a category page also shows: the English name on pages in the
    default language, the original (official) name on pages in any other."""
    if shown != original.name:
        return ((default, original.name),)
    if original.name_en and original.name_en != shown:
        return (("en", original.name_en),)
    return ()


def star_pages(catalogue: Catalogue, views: Mapping[str, ProductView],
               lang: Language) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    yield Page(lang.urls.stars_index, "stars.html", lang.t("title.stars"), {
        "star_counts": tuple((n, len(catalogue.by_stars.get(n, ()))) for n in (5, 4, 3)),
    }, breadcrumbs=(home,))
    for stars in (5, 4, 3):
        products = _views(views, catalogue.by_stars.get(stars, ()))
        title = lang.t("title.stars_list", stars=stars)
        yield Page(lang.urls.stars(stars), "list.html", title, {
            "heading": title,
            "intro": "",
            "products": products,
            "filters": list_filters(catalogue, products),
            "kind": "stars",
        }, breadcrumbs=(home, (lang.t("crumb.stars"), lang.urls.stars_index)))


def producer_pages(catalogue: Catalogue, views: Mapping[str, ProductView],
                   images: Mapping[Path, ProcessedImage], lang: Language,
                   texts: TextIndex) -> Iterator[Page]:
    home = (lang.site.title, lang.urls.home)
    rows = tuple((p, len(catalogue.by_producer.get(p.id, ())))
                 for p in catalogue.producers_sorted)
    yield Page(lang.urls.producers, "producers.html", lang.t("title.producers"),
               {"producers": rows}, breadcrumbs=(home,))
    for producer in catalogue.producers_sorted:
        yield Page(lang.urls.producer(producer.id), "producer.html", producer.name, {
            "producer": producer,
            "texts": _texts(texts, lang, "producer", producer.id),
            "title_lang": _texts(texts, lang, "producer", producer.id).of("name"),
            "commune": catalogue.communes_by_slug.get(producer.commune),
            "image": images.get(producer.image.source) if producer.image else None,
            "products": _views(views, catalogue.by_producer.get(producer.id, ())),
            "contact": contact_links(producer),
        }, breadcrumbs=(home, (lang.t("crumb.producers"), lang.urls.producers)))


def event_pages(catalogue: Catalogue, views: Mapping[str, ProductView], lang: Language,
                texts: TextIndex) -> Iterator[Page]:
    """The events list (upcoming and past) and one page per event, linking its products."""
    home = (lang.site.title, lang.urls.home)
    yield Page(lang.urls.events, "events.html", lang.t("title.events"), {
        "upcoming": catalogue.upcoming_events,
        "past": catalogue.past_events,
    }, breadcrumbs=(home,))
    for event in catalogue.events:
        yield Page(lang.urls.event(event.slug), "event.html", event.title, {
            "event": event,
            "texts": _texts(texts, lang, "event", event.slug),
            "title_lang": _texts(texts, lang, "event", event.slug).of("title"),
            "upcoming": event.upcoming_on(catalogue.config.today),
            "products": _views(views, catalogue.event_products.get(event.slug, ())),
        }, breadcrumbs=(home, (lang.t("crumb.events"), lang.urls.events)))


def print_catalogue_page(catalogue: Catalogue, views: Mapping[str, ProductView],
                         lang: Language) -> Page:
    """All products on paper for a fair booth, grouped by commune like the district's lists."""
    groups = tuple(
        (commune, tuple((views[p.slug], lang.urls.qr(p))
                        for p in catalogue.by_commune[commune.slug]))
        for commune in catalogue.communes if catalogue.by_commune.get(commune.slug))
    return Page(lang.urls.print_catalogue, "print-catalogue.html", lang.t("title.print"),
                {"groups": groups, "product_count": len(catalogue.products)},
                breadcrumbs=((lang.site.title, lang.urls.home),))


@dataclass(frozen=True)
class SearchFacet:
    """Checkboxes that narrow search results; `key` and each value are exactly the
    Pagefind filter name and values of the search records (searchrecords.py)."""

    key: str
    label: str
    options: tuple[tuple[str, str, int], ...]  # (filter value, label, product count)


def search_facets(catalogue: Catalogue, t: Callable[..., str]) -> tuple[SearchFacet, ...]:
    """Filter values are the names a page in that language shows: Pagefind keeps one
    index per language, so the facets of a language match its own pages."""
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
        "search_script": Urls.search_index + "pagefind.js",
        "facets": search_facets(catalogue, lang.t),
    }, breadcrumbs=((lang.site.title, lang.urls.home),))


def not_found_page(lang: Language) -> Page:
    return Page(lang.urls.not_found, "404.html", lang.t("title.not_found"), {})


# -- reading offline (assets/js/offline.js saves, ocop_site/outputs/offline.py serves) ----
SAVEABLE = frozenset({"commune.html", "category.html", "list.html", "event.html"})
# What saving keeps on the device, besides the thumbnails (whose sizes the build knows):
# a product page and its QR code (the sample's weigh 12-18 KB and ~2 KB as stored, a
# third of that as downloaded: hosts compress them), and once per list the list page,
# the stylesheets, scripts and the offline and saved pages. Rounded up: the size shown
# before saving must not be an underestimate of what is stored.
PAGE_BYTES = 20_000
LIST_BYTES = 60_000


@dataclass(frozen=True)
class OfflineSave:
    """What a list's "save for reading offline" button says before anything is saved."""

    products: int
    bytes: int  # stored: the list, product pages, QR codes (estimated), thumbnails (exact)
    label: str  # "9 products, about 0.2 MB"


def saved_thumbnail(image: ProcessedImage | None) -> int:
    """Bytes of the thumbnail offline.js saves for a card: its widest WebP."""
    if image is None:
        return 0
    shown = image.thumb or image
    return max((v for v in shown.webp or shown.variants), key=lambda v: v.width).bytes


def megabytes(count: int, lang: Language) -> str:
    """Bytes as '1,2 MB' / '1.2 MB', in tenths, rounded up (never '0 MB')."""
    tenths = max(1, -(-count // 100_000))
    return lang.t("offline.mb", whole=tenths // 10, tenth=tenths % 10)


def with_offline_save(page: Page, lang: Language) -> Page:
    """A list page with what its save button says (each part of a long list saves its
    own products); other pages unchanged."""
    if page.template not in SAVEABLE:
        return page
    products = page.context["products"]
    size = LIST_BYTES + PAGE_BYTES * len(products) + sum(
        saved_thumbnail(view.image) for view in products)
    label = lang.t("offline.size", count=len(products), size=megabytes(size, lang))
    return dataclasses.replace(page, context={
        **page.context, "offline_save": OfflineSave(len(products), size, label)})


def offline_pages(lang: Language) -> list[Page]:
    """The page the service worker shows for a page never saved, and the list of saved
    pages (filled in by assets/js/offline.js)."""
    home = (lang.site.title, lang.urls.home)
    return [Page(lang.urls.offline, "offline.html", lang.t("title.offline"), {}),
            Page(lang.urls.saved, "saved.html", lang.t("title.saved"), {},
                 breadcrumbs=(home,))]
