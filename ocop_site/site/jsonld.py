"""schema.org JSON-LD for search engines, built as Python data and serialised once.

Writing JSON by hand in Jinja breaks on the first quote in a product name; json.dumps
cannot. The text is escaped so that nothing in it can end the <script> element.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from markupsafe import Markup

from ..content.config import SiteConfig
from ..content.hours import DAYS, hh_mm
from ..content.i18n import Translator
from ..content.models import Event, Producer
from ..images.photos import ProcessedImage
from ..text.markdown import first_paragraph_text
from .shops import ShopView
from .urls import Page, Urls
from .views import ProductView

CONTEXT = "https://schema.org"


def script_json(data: Mapping[str, Any]) -> Markup:
    """JSON safe inside <script type="application/ld+json">: `</` can never close the
    element and `<!--` can never start HTML's script-comment parsing state."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\u0021--"))


def organization(producer: Producer, config: SiteConfig, commune_name: str = "",
                 image: ProcessedImage | None = None, prefix: str = "") -> dict[str, Any]:
    """A producer as a LocalBusiness (an Organization that is also a Place); `prefix`
    is the page language's ('en/'), so an English page points at English pages."""
    page = config.absolute(prefix + Urls.producer(producer.id))
    data: dict[str, Any] = {
        "@type": "LocalBusiness",
        "@id": page + "#organization",
        "name": producer.name,
        "url": page,
        "telephone": producer.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": producer.address,
            **({"addressLocality": commune_name} if commune_name else {}),
            **({"addressRegion": config.province} if config.province else {}),
            "addressCountry": "VN",
        },
    }
    if image is not None:
        data["image"] = config.absolute(image.fallback.url)
    if producer.website:
        data["sameAs"] = [producer.website]
    return data


def product_data(view: ProductView, context: Mapping[str, Any], config: SiteConfig,
                 t: Translator | None = None, prefix: str = "") -> dict[str, Any]:
    product = view.product
    url = config.absolute(view.url)
    gallery = context.get("gallery", ())
    manufacturer = organization(view.producer, config, view.commune.name, prefix=prefix)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Product",
        "@id": url + "#product",
        "name": product.name,
        "url": url,
        "description": product.summary,
        "image": [config.absolute(image.fallback.url) for _ref, image in gallery],
        "category": " > ".join(c.name for c in context.get("category_path", ())),
        "brand": {"@type": "Organization", "@id": manufacturer["@id"],
                  "name": view.producer.name, "url": manufacturer["url"]},
        "manufacturer": manufacturer,
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
    }
    if not data["image"]:
        del data["image"]
    if not view.expired:  # a lapsed certificate is not a current award
        data["award"] = (t("product.rating", stars=product.stars) if t is not None
                         else f"OCOP {product.stars} sao")
    if product.price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": product.price,
            "priceCurrency": "VND",
            "url": url,
            "seller": {"@id": manufacturer["@id"]},
        }
    return data


def producer_data(producer: Producer, context: Mapping[str, Any],
                  config: SiteConfig, prefix: str = "") -> dict[str, Any]:
    commune = context.get("commune")
    data = {"@context": CONTEXT, **organization(
        producer, config, commune.name if commune else "", context.get("image"), prefix)}
    description = first_paragraph_text(producer.body_html)
    if description:
        data["description"] = description
    return data


def event_data(event: Event, config: SiteConfig, prefix: str = "") -> dict[str, Any]:
    page = config.absolute(prefix + Urls.event(event.slug))
    return {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": page + "#event",
        "name": event.title,
        "url": page,
        "startDate": event.start.isoformat(),
        "endDate": event.end.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {"@type": "Place", "name": event.place, "address": event.place},
        "description": event.summary,
    }


# schema.org's type of each kind of shop: Store, or a more specific LocalBusiness
SHOP_TYPES = {"showroom": "Store", "shop": "Store", "supermarket": "GroceryStore",
              "market": "Store", "agent": "Store"}
SCHEMA_DAYS = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                              "Saturday", "Sunday")))


def shop_data(view: ShopView, config: SiteConfig, gallery: tuple = ()) -> dict[str, Any]:
    """A shop as a Store (GroceryStore for a supermarket) with its address, position,
    telephone and opening hours, one specification per line and time span."""
    shop = view.shop
    page = config.absolute(view.url)
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": SHOP_TYPES.get(shop.kind, "Store"),
        "@id": page + "#store",
        "name": shop.name,
        "url": page,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": shop.address,
            "addressLocality": view.commune.name,
            **({"addressRegion": config.province} if config.province else {}),
            "addressCountry": "VN",
        },
    }
    if shop.geo is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": shop.geo[0],
                       "longitude": shop.geo[1]}
    if shop.phone:
        data["telephone"] = shop.phone
    if shop.hours:
        data["openingHours"] = [rule.written for rule in shop.hours]
        data["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification",
             "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[DAYS[d]]}" for d in rule.days],
             "opens": hh_mm(start), "closes": "23:59" if end == 24 * 60 else hh_mm(end)}
            for rule in shop.hours for start, end in rule.spans]
    images = [config.absolute(image.fallback.url) for _ref, image in gallery]
    if images:
        data["image"] = images
    description = first_paragraph_text(shop.body_html)
    if description:
        data["description"] = description
    return data


def breadcrumb_data(page: Page, config: SiteConfig) -> dict[str, Any]:
    trail = (*page.breadcrumbs, (page.title, page.url))
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": title,
             "item": config.absolute(url)}
            for index, (title, url) in enumerate(trail, start=1)],
    }


def website_data(config: SiteConfig, prefix: str = "") -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": config.title,
        "url": config.absolute(prefix + Urls.home),
        "inLanguage": config.language,
        **({"description": config.description} if config.description else {}),
    }


def page_jsonld(page: Page, config: SiteConfig,
                t: Translator | None = None) -> tuple[Markup, ...]:
    """The JSON-LD blocks of one page, decided by what the page is about. `config` is
    the page language's (SiteConfig.localized) and `t` its interface strings."""
    context = page.context
    blocks: list[dict[str, Any]] = []
    view = context.get("view")
    producer = context.get("producer")
    event = context.get("event")
    # the page's path in the default language, and its own language's prefix
    same = page.alternates[0][1] if page.alternates else page.url
    prefix = page.url[:len(page.url) - len(same)]
    if same == Urls.home:
        blocks.append(website_data(config, prefix))
    if isinstance(view, ProductView) and page.url == view.url:
        blocks.append(product_data(view, context, config, t, prefix))
    if isinstance(producer, Producer) and same == Urls.producer(producer.id):
        blocks.append(producer_data(producer, context, config, prefix))
    if isinstance(event, Event) and same == Urls.event(event.slug):
        blocks.append(event_data(event, config, prefix))
    shop = context.get("shop")
    if isinstance(shop, ShopView) and same == Urls.shop(shop.shop.id):
        blocks.append(shop_data(shop, config, context.get("gallery", ())))
    if page.breadcrumbs:
        blocks.append(breadcrumb_data(page, config))
    return tuple(script_json(block) for block in blocks)
