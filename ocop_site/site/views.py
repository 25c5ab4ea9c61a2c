"""What pages show of the catalogue, with every lookup resolved once per language.

A product shows up on its own page, on its producer's other products, and on every list
it is in: its `ProductView` (its URL, commune, producer, category, photo, whether it
expired, which texts are untranslated) is made once per language, the first time a page
asks for it (`ProductViews`). The filters a list offers, the producer's tap targets and
the language of each text shown come from here too.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..content.models import Category, Commune, Producer, Product
from ..content.schema import phone_digits
from ..images.photos import ProcessedImage
from .catalogue import Catalogue
from .localize import TextIndex, TextLangs, text_key
from .recorded import note
from .urls import Language


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


# one language's kept views: slug → view, and slug → (the view, the same without its
# name rank) for the print catalogue
LanguageViews = tuple[dict[str, ProductView], dict[str, tuple[ProductView, ProductView]]]


class KeptViews:
    """The product views of the last build (serve's session), by language and slug: a
    view equal to the one a build makes is that one, whose digest the session's
    fingerprinter still knows (after an edit of one product, the print catalogue's
    20,000 rows digest two new views instead of 20,000)."""

    def __init__(self, old: "KeptViews | None" = None):
        self.views: dict[str, LanguageViews] = \
            {lang: (dict(ranked), dict(unranked))
             for lang, (ranked, unranked) in old.views.items()} if old else {}

    def of(self, lang: str) -> LanguageViews:
        return self.views.setdefault(lang, ({}, {}))


class ProductViews(dict):
    """slug → ProductView in one language, each made when first asked for: planning
    the pages of one product (`only`) must not make 10,000 views. `kept`: the views of
    the last build in this language (KeptViews.of), updated with this build's."""

    def __init__(self, catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                 lang: Language, texts: TextIndex,
                 kept: LanguageViews | None = None):
        super().__init__()
        self.made_from = (catalogue, images, lang, texts)
        self.ranked = {p.slug: (rank, p) for rank, p in enumerate(catalogue.products)}
        self.kept: dict[str, ProductView] | None = kept[0] if kept is not None else None
        self.kept_unranked: dict[str, tuple[ProductView, ProductView]] | None = \
            kept[1] if kept is not None else None

    def __missing__(self, slug: str) -> ProductView:
        catalogue, images, lang, texts = self.made_from
        rank, product = self.ranked[slug]
        view = self[slug] = _kept(
            self.kept, slug, product_view(catalogue, product, images, rank, lang, texts))
        return view

    def unranked(self, slug: str) -> ProductView:
        """The product's view without its name rank (the print catalogue: a page on
        paper sorts nothing, and a rank moves with every product added or renamed).
        Kept with the view it was made from: while that is the very view this build
        has, so is the rank-free one (no copy made and compared)."""
        view = self[slug]
        kept = self.kept_unranked
        before = kept.get(slug) if kept is not None else None
        if before is not None and before[0] is view:
            return before[1]
        unranked = dataclasses.replace(view, name_rank=0)
        if kept is not None:
            if before is not None and before[1] == unranked:
                unranked = before[1]
            kept[slug] = (view, unranked)
        return unranked

    def of(self, products: Iterable[Product]) -> tuple[ProductView, ...]:
        return tuple(self[p.slug] for p in products)


def _kept(kept: dict[str, ProductView] | None, slug: str, view: ProductView
          ) -> ProductView:
    """`view`, or the equal one the last build made (whose digest the session's
    fingerprinter knows), which `kept` then holds."""
    if kept is None:
        return view
    old = kept.get(slug)
    if old == view:
        return old
    kept[slug] = view
    return view


def product_view(catalogue: Catalogue, product: Product,
                 images: Mapping[Path, ProcessedImage], name_rank: int, lang: Language,
                 texts: TextIndex) -> ProductView:
    first = images.get(product.images[0].source) if product.images else None
    return ProductView(
        product=product,
        url=lang.urls.product(product),
        commune=catalogue.communes_by_slug[product.commune],
        producer=catalogue.producers[product.producer],
        category=catalogue.categories[product.category],
        expired=catalogue.is_expired(product),
        image=first,
        name_rank=name_rank,
        category_ids=tuple(c.id for c in catalogue.category_path(product.category)),
        texts=item_texts(texts, lang, "product", product.slug),
    )


def item_texts(texts: TextIndex, lang: Language, kind: str, ident: str) -> TextLangs:
    """Which of an item's texts a page in `lang` shows untranslated."""
    return texts.get(text_key(kind, ident)) or TextLangs(lang.code)


def text_lang_in(texts: TextIndex, page_lang: str, kind: str, ident: str, name: str) -> str:
    """The language the text `name` of an item is in on a page in `page_lang`."""
    found = texts.get(text_key(kind, ident))
    return found.of(name) if found is not None else page_lang


class TextLangLookup:
    """For templates: text_lang('producer', id, 'name') is the language that text is in
    on this page (to mark a name shown untranslated with lang="…"). Each lookup is
    noted in the render's reads, so the output cache knows which items' texts a page
    looked at (site/recorded.py) without digesting the whole index on every page."""

    __slots__ = ("texts", "page_lang")

    def __init__(self, texts: TextIndex, page_lang: str):
        self.texts = texts
        self.page_lang = page_lang

    def __call__(self, kind: str, ident: str, name: str) -> str:
        note(("text", self.page_lang, kind, ident, name))
        return text_lang_in(self.texts, self.page_lang, kind, ident, name)

    def __fingerprint__(self) -> str:
        return self.page_lang


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
