"""What `new` checks answers against: the site's communes, categories, producers and the
file names taken, read once (`load_known`) before the first question; the kinds it makes
and the context a check may look at."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..content.lookup import product_references
from ..content.models import PRODUCER_TYPES, Category, Commune
from ..content.schema import (
    EVENT_FIELDS,
    PRODUCER_FIELDS,
    PRODUCT_FIELDS,
    SHOP_FIELDS,
    Field,
)
from ..errors import ContentErrors, ErrorCollector
from ..text import vietnamese

KINDS = ("product", "producer", "event", "shop")
FOLDERS = {"product": "products", "producer": "producers", "event": "events",
           "shop": "shops"}
SCHEMAS: dict[str, tuple[Field, ...]] = {
    "product": PRODUCT_FIELDS, "producer": PRODUCER_FIELDS, "event": EVENT_FIELDS,
    "shop": SHOP_FIELDS}
PRODUCER_TYPE_NAMES = dict(zip(PRODUCER_TYPES, (
    "Doanh nghiệp", "Hợp tác xã", "Tổ hợp tác", "Hộ sản xuất kinh doanh")))
# a shop's kind in Vietnamese and English, as i18n/*.yaml `shop.kind.*` shows them
SHOP_KIND_NAMES = {
    "showroom": ("Điểm giới thiệu và bán sản phẩm OCOP", "OCOP showroom"),
    "shop": ("Cửa hàng", "Shop"), "supermarket": ("Siêu thị", "Supermarket"),
    "market": ("Sạp chợ", "Market stall"), "agent": ("Đại lý", "Agent")}


# -- what answers are checked against --------------------------------------------------
@dataclass(frozen=True)
class Known:
    """The site's data as `new` needs it, read once before the first question."""

    communes: tuple[Commune, ...] = ()
    commune_index: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, Category] = field(default_factory=dict)
    category_index: Mapping[str, str] = field(default_factory=dict)
    producer_ids: frozenset[str] = frozenset()
    producer_names: Mapping[str, str] = field(default_factory=dict)  # id → name
    product_refs: Mapping[str, str] = field(default_factory=dict)  # any way to name → slug
    taken: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind → used ids
    today: dt.date = dt.date(1970, 1, 1)


def load_known(source: Path) -> tuple[Known, int]:
    """Read the site at `source`; returns what answers are checked against and the number
    of errors the site already has (they do not stop `new`, but are worth a mention).
    Raises ContentErrors only when site.yaml itself is unusable."""
    from ..content.config import (
        load_config,  # here, not at the top: `--help` stays instant
    )
    from ..content.loader import load_content

    errors = ErrorCollector()
    config = load_config(source.resolve(), errors)
    if config is None:
        raise ContentErrors(errors.errors)
    content = load_content(config, errors)
    taken: dict[str, frozenset[str]] = {}
    for kind, folder in FOLDERS.items():
        directory = config.content_dir / folder
        stems = {vietnamese.slugify(vietnamese.nfc(p.stem)) for p in directory.glob("*.md")} \
            if directory.is_dir() else set()
        taken[kind] = frozenset(stems)
    taken["product"] |= {p.slug for p in content.products}
    known = Known(
        communes=content.communes, commune_index=content.commune_index,
        categories=content.categories, category_index=content.category_index,
        producer_ids=content.producer_ids,
        producer_names={p.id: p.name for p in content.producers.values()},
        product_refs=product_references(content.products), taken=taken, today=config.today)
    return known, len(errors.errors)


# -- questions ---------------------------------------------------------------------------
class Invalid(ValueError):
    """An answer that cannot be used: why (English, Vietnamese) and, when one is close,
    an answer that would be accepted (offered as the default of the next prompt)."""

    def __init__(self, en: str, vi: str, suggestion: str | None = None):
        super().__init__(en)
        self.en, self.vi, self.suggestion = en, vi, suggestion


@dataclass(frozen=True)
class Context:
    """What a check may look at besides the answer itself."""

    kind: str
    known: Known
    answers: Mapping[str, Any]  # accepted so far, by key
    given: Mapping[str, str]  # raw command-line options, by key


def suggested(found: str | None) -> tuple[str, str]:
    return ((f" — did you mean '{found}'?", f" — có phải là '{found}'?") if found
            else ("", ""))
