"""Long lists: split into pages of PAGE_SIZE, and what saving one for offline costs.

A list of every product of a commune, category or star level can hold thousands: each
page of it holds PAGE_SIZE products, with its own filters (the list script sorts and
filters the products on the page) and a title that says which page it is. Each list
page (or part of one) says on its "save for reading offline" button how much it will
store (assets/js/offline.js saves, ocop_site/outputs/offline.py serves).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..images.photos import ProcessedImage
from .catalogue import Catalogue
from .urls import Language, Page, output_path
from .views import list_filters

PAGE_SIZE = 60  # products per page of a long list: light enough for a cheap phone
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
        numbers = sorted({1, self.count, *range(max(1, self.number - 2),
                                                min(self.count, self.number + 2) + 1)})
        links: list[tuple[int, str]] = []
        for number in numbers:
            if links and number > links[-1][0] + 1:
                links.append((0, ""))
            links.append((number, self.url(number)))
        return tuple(links)


def paginate(catalogue: Catalogue, page: Page, lang: Language,
             wanted: frozenset[str] | None = None) -> list[Page]:
    """A list page, split into pages of PAGE_SIZE products when it is longer; other
    pages unchanged. Each part has its own filters (the list script sorts and filters
    the products on the page; made here, for the parts alone) and a title that says
    which page it is. `wanted`: only the parts at these site paths (a build the
    dependency graph plans: the one part of a list of 10,000 an edit reached)."""
    if page.template not in PAGINATED:
        return [page]
    products = page.context["products"]
    if len(products) <= PAGE_SIZE:
        if wanted is not None and page.path not in wanted:
            return []
        return [dataclasses.replace(page, context={
            **page.context, "filters": list_filters(catalogue, products),
            "pagination": None})]
    count = -(-len(products) // PAGE_SIZE)
    parts = []
    for number in range(1, count + 1):
        pagination = Pagination(number, count, len(products), page.url)
        if wanted is not None and output_path(pagination.url(number)) not in wanted:
            continue
        on_page = products[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]
        context = {**page.context, "products": on_page,
                   "filters": list_filters(catalogue, on_page), "pagination": pagination}
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


# -- reading offline ---------------------------------------------------------------------
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
    card = image.thumb or image
    return max((v for v in card.webp or card.variants), key=lambda v: v.width).bytes


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
