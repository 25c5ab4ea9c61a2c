"""Typed, immutable models: what the readers produce and every later stage reads."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .hours import OpeningRule

PRODUCER_TYPES = ("enterprise", "cooperative", "cooperative_group", "household")
SHOP_KINDS = ("showroom", "shop", "supermarket", "market", "agent")


@dataclass(frozen=True)
class Translation:
    """An item's text in another language, from its sibling file `<name>.<lang>.md`:
    only the fields written there (e.g. name, summary) and the Markdown body."""

    lang: str
    fields: tuple[tuple[str, str], ...] = ()
    body_html: str = ""
    source: str = ""

    def get(self, name: str) -> str:
        return dict(self.fields).get(name, "")


def translation_of(translations: tuple[Translation, ...], lang: str) -> Translation | None:
    return next((t for t in translations if t.lang == lang), None)


@dataclass(frozen=True)
class FormerUnit:
    """A unit a commune was formed from (2025 merger), as communes.yaml names it."""

    kind: str  # "xã" | "phường" | "thị trấn" ("" when not written)
    name: str  # "Tân Lập"
    district: str = ""  # its former district, "Sông Lô" ("" when not written)
    slug: str = ""  # its redirect page: xa/<slug>/ (qualified by the district if needed)

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}" if self.kind else self.name


@dataclass(frozen=True)
class Commune:
    """A current commune; `formed_from` are the units merged into it on 2025-07-01,
    `aliases` other spellings and older names; `former_names` is the older, undivided
    list (units and spellings) of sites written before the distinction."""

    slug: str
    name: str
    name_en: str
    former_names: tuple[str, ...] = ()
    description: str = ""
    description_en: str = ""
    image: Path | None = None  # absolute source path, validated
    image_line: int = 0  # line of `image:` in communes.yaml, for the photo's errors
    code: str = ""  # official code (National Statistics Office), e.g. "08824"
    kind: str = "xã"  # xã | phường | đặc khu
    formed_from: tuple[FormerUnit, ...] = ()
    aliases: tuple[str, ...] = ()
    differs_from_official: str = ""  # why this entry departs from the official lists
    line: int = 0  # its line in communes.yaml

    @property
    def formed_from_names(self) -> tuple[str, ...]:
        """What a commune page lists as "formed from", each unit once."""
        if not self.formed_from:
            return self.former_names
        return tuple(dict.fromkeys(unit.full_name for unit in self.formed_from))


@dataclass(frozen=True)
class Category:
    """A node of the national classification: a group, a sub-group or a product set (leaf)."""

    id: str
    code: str
    name: str
    name_en: str
    level: str  # "group" | "subgroup" | "category"
    parent: str | None = None
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImageRef:
    """A photo named in front-matter: the resolved source file and its alt text."""

    source: Path
    alt: str
    origin: str = ""  # the content file that names it, for error messages
    line: int = 0


@dataclass(frozen=True)
class Certificate:
    decision: str
    date: dt.date
    valid_until: dt.date
    issued_by: str = ""
    issuer_level: str = ""  # commune | district | province | central, when written

    def expired_on(self, today: dt.date) -> bool:
        return self.valid_until < today


@dataclass(frozen=True)
class Producer:
    id: str
    name: str
    type: str
    commune: str  # commune slug
    phone: str
    address: str
    website: str = ""
    image: ImageRef | None = None
    body_html: str = ""
    source: str = ""  # path relative to the site folder, for messages
    translations: tuple[Translation, ...] = ()  # name, address, body in other languages
    zalo: str = ""  # the phone number the producer uses on Zalo, as written


@dataclass(frozen=True)
class OnlineStore:
    """A link to the product on an online store (`buy_online:`), checked against the
    platform's hosts (rules/platforms.yaml)."""

    platform: str  # a platform id: shopee, lazada, … or website
    url: str


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    stars: int
    category: str  # leaf category id
    commune: str  # current commune slug
    commune_as_written: str  # e.g. a former commune name, shown as the place of origin
    producer: str  # producer id
    certificate: Certificate
    summary: str
    body_html: str
    price: int | None = None
    unit: str = ""
    images: tuple[ImageRef, ...] = ()
    featured: bool = False
    draft: bool = False
    source: str = ""
    translations: tuple[Translation, ...] = ()  # name, summary, unit, body
    buy_online: tuple[OnlineStore, ...] = ()  # in the order written


@dataclass(frozen=True)
class Event:
    """A fair or market where products are shown; `products` are product slugs."""

    slug: str  # from the file name, like producers: stable even if the title changes
    title: str
    start: dt.date
    end: dt.date  # same as start for a one-day event
    place: str
    products: tuple[str, ...] = ()
    summary: str = ""
    body_html: str = ""
    source: str = ""
    translations: tuple[Translation, ...] = ()  # title, place, summary, body

    def upcoming_on(self, today: dt.date) -> bool:
        """Still worth going to: not over yet (an event running today counts)."""
        return self.end >= today


@dataclass(frozen=True)
class Shop:
    """A point of sale (content/shops/<id>.md): an OCOP showroom, a shop, a supermarket,
    a market stall or an agent, and the products (slugs) sold there."""

    id: str  # the file name: cua-hang/<id>/
    name: str
    kind: str  # one of SHOP_KINDS
    commune: str  # current commune slug
    commune_as_written: str
    address: str
    products: tuple[str, ...]  # product slugs, each once, in the order written
    geo: tuple[float, float] | None = None  # (lat, lng)
    phone: str = ""
    zalo: str = ""
    hours: tuple[OpeningRule, ...] = ()
    images: tuple[ImageRef, ...] = ()
    body_html: str = ""
    source: str = ""
    translations: tuple[Translation, ...] = ()  # name, address, body
