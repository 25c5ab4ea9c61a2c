"""What pages show of shops and online stores, computed here so templates only display:
each shop's address, kind, tap-to-call, Zalo, the directions link (a plain link to the
phone's map app: no script, tiles or key), its opening hours in words and as data for
the browser's "open now", and a product's online-store buttons."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable

from ..content.hours import DAYS, hh_mm, spans_by_day
from ..content.models import Commune, Product, Shop
from ..content.schema import phone_digits
from ..rules.platforms import Platforms
from ..text import vietnamese
from .catalogue import Catalogue
from .urls import Language


@dataclass(frozen=True)
class OnlineLink:
    """A button to the product on an online store, as written (no tracking added)."""

    platform: str  # its id, for a class name
    name: str  # Shopee, Lazada, …
    url: str


@dataclass(frozen=True)
class ShopView:
    """A shop as the product block, the shop page and the index show it."""

    shop: Shop
    url: str
    commune: Commune
    kind: str  # the kind in words: "OCOP showroom"
    tel: str = ""  # tel: link
    zalo: str = ""  # https://zalo.me/<digits>
    directions: str = ""
    hours: tuple[str, ...] = ()  # one line a group of days, in words
    # Monday … Sunday, the open spans in minutes after midnight, for shops.js ("open
    # now" in Vietnam's time); "" when the shop gives no hours
    week: str = ""
    lat: str = ""  # the coordinates as written in the page, for "nearest first"
    lng: str = ""


def online_links(product: Product, platforms: Platforms, lang: str) -> tuple[OnlineLink, ...]:
    found = []
    for store in product.buy_online:
        platform = platforms.get(store.platform)
        if platform is not None:
            found.append(OnlineLink(platform.id, platform.name_in(lang), store.url))
    return tuple(found)


def tel_link(phone: str) -> str:
    """'tel:+84900000101' keeps a leading +, drops spaces and dots."""
    phone = phone.strip()
    return "tel:" + ("+" if phone.startswith("+") else "") + "".join(
        char for char in phone if char.isdigit())


def directions_link(shop: Shop, commune: Commune, province: str,
                    platforms: Platforms) -> str:
    """From the coordinates when the shop gives them, else from its address (with its
    commune and province, unless the address already names them)."""
    if shop.geo is not None:
        destination = f"{shop.geo[0]:.6f},{shop.geo[1]:.6f}"
    else:
        parts = [shop.address]
        written = vietnamese.fold(shop.address)
        for name, word in ((commune.name, commune.kind), (province, "tỉnh")):
            if name and vietnamese.fold(name) not in written:
                parts.append(f"{word} {name}")
        destination = ", ".join(parts)
    return platforms.directions_url(destination) if platforms.directions else ""


def hours_in_words(shop: Shop, t: Callable[..., str]) -> tuple[str, ...]:
    """'Monday – Friday: 07:30–11:30, 13:30–17:00', consecutive days with the same
    hours put together; a day without hours among days with them says 'closed'."""
    if not shop.hours:
        return ()
    week = spans_by_day(shop.hours)
    lines = []
    day = 0
    while day < len(DAYS):
        last = day
        while last + 1 < len(DAYS) and week[last + 1] == week[day]:
            last += 1
        days = t(f"hours.day.{DAYS[day].lower()}") if last == day else t(
            "hours.days", first=t(f"hours.day.{DAYS[day].lower()}"),
            last=t(f"hours.day.{DAYS[last].lower()}"))
        times = ", ".join(f"{hh_mm(a)}–{hh_mm(b)}" for a, b in week[day]) \
            if week[day] else t("hours.closed")
        lines.append(t("hours.line", days=days, times=times))
        day = last + 1
    return tuple(lines)


def shop_view(catalogue: Catalogue, shop: Shop, lang: Language,
              original: tuple[Shop, Commune] | None = None) -> ShopView:
    """`original`: the shop and its commune in the default language, for the
    directions link (map apps know the Vietnamese names)."""
    commune = catalogue.communes_by_slug[shop.commune]
    first, first_commune = original or (shop, commune)
    zalo = phone_digits(shop.zalo) if shop.zalo else ""
    return ShopView(
        shop=shop, url=lang.urls.shop(shop.id), commune=commune,
        kind=lang.t(f"shop.kind.{shop.kind}"),
        tel=tel_link(shop.phone) if shop.phone else "",
        zalo=f"https://zalo.me/{zalo}" if zalo else "",
        directions=directions_link(first, first_commune, catalogue.config.province,
                                   catalogue.platforms),
        hours=hours_in_words(shop, lang.t),
        week=json.dumps([[list(s) for s in day] for day in spans_by_day(shop.hours)],
                        separators=(",", ":")) if shop.hours else "",
        lat=f"{shop.geo[0]:.6f}" if shop.geo else "",
        lng=f"{shop.geo[1]:.6f}" if shop.geo else "")


class ShopViews(dict):
    """shop id → ShopView in one language, each made once, when first asked for."""

    def __init__(self, catalogue: Catalogue, lang: Language, base: Catalogue):
        super().__init__()
        self.made_from = (catalogue, lang, base)
        self.by_id = {s.id: s for s in catalogue.shops}
        self.originals = {s.id: s for s in base.shops}

    def __missing__(self, shop_id: str) -> ShopView:
        catalogue, lang, base = self.made_from
        original = self.originals[shop_id]
        view = self[shop_id] = shop_view(catalogue, self.by_id[shop_id], lang, (
            original, base.communes_by_slug[original.commune]))
        return view

    def of(self, shops: Iterable[Shop]) -> tuple[ShopView, ...]:
        return tuple(self[s.id] for s in shops)
