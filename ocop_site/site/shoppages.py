"""The pages of shops: the index (`cua-hang/`, grouped by commune), one page per shop
(its products as cards, hours, contact, directions) and its printable A4 sheet for the
shelves (`cua-hang/<id>/in/`: its products with their QR codes)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping

from ..images.photos import ProcessedImage
from .catalogue import Catalogue
from .localize import TextIndex
from .shops import ShopViews
from .urls import Language, Page
from .views import ProductViews, item_texts


def shop_pages(catalogue: Catalogue, views: ProductViews, shops: ShopViews,
               images: Mapping[Path, ProcessedImage], lang: Language,
               texts: TextIndex) -> Iterator[Page]:
    """Nothing when the site lists no shop."""
    if not catalogue.shops:
        return
    home = (lang.site.title, lang.urls.home)
    groups = tuple((commune, shops.of(catalogue.shops_by_commune[commune.slug]))
                   for commune in catalogue.communes
                   if catalogue.shops_by_commune.get(commune.slug))
    yield Page(lang.urls.shops, "shops.html", lang.t("title.shops"), {
        "groups": groups, "shop_count": len(catalogue.shops),
    }, breadcrumbs=(home,))
    crumbs = (home, (lang.t("crumb.shops"), lang.urls.shops))
    for shop in catalogue.shops:
        view = shops[shop.id]
        shop_texts = item_texts(texts, lang, "shop", shop.id)
        products = views.of(catalogue.shop_products.get(shop.id, ()))
        yield Page(view.url, "shop.html", shop.name, {
            "shop": view,
            "texts": shop_texts,
            "title_lang": shop_texts.of("name"),
            "gallery": tuple((ref, images[ref.source]) for ref in shop.images
                             if ref.source in images),
            "products": products,
            "sheet": lang.urls.shop_sheet(shop.id),
        }, breadcrumbs=crumbs)
        yield Page(lang.urls.shop_sheet(shop.id), "shop-sheet.html",
                   lang.t("title.shop_sheet", name=shop.name), {
            "shop": view,
            "texts": shop_texts,
            "title_lang": shop_texts.of("name"),
            "rows": tuple((v, lang.urls.qr(v.product)) for v in products),
        }, breadcrumbs=crumbs)
