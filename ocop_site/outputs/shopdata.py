"""Shops in the open data: the `shops` list of catalogue.json (each shop with the ids
of the products it sells) and shops.csv, one row a shop (written by opendata.py)."""
from __future__ import annotations

import json
from typing import Any

from ..content.hours import DAYS, hh_mm, spans_by_day
from ..content.models import Shop
from ..site.catalogue import Catalogue
from ..site.urls import Urls

CSV_COLUMNS = ("id", "name", "kind", "commune", "commune_code", "address", "lat", "lng",
               "phone", "zalo", "opening_hours", "products", "url")


def shop_record(catalogue: Catalogue, shop: Shop) -> dict[str, Any]:
    commune = catalogue.communes_by_slug[shop.commune]
    week = spans_by_day(shop.hours)
    return {
        "id": shop.id,
        "name": shop.name,
        "kind": shop.kind,
        "commune": {"slug": commune.slug, "name": commune.name, "code": commune.code or None},
        "address": shop.address,
        "geo": {"lat": shop.geo[0], "lng": shop.geo[1]} if shop.geo else None,
        "phone": shop.phone or None,
        "zalo": shop.zalo or None,
        # as written (schema.org openingHours), and per day for programs
        "opening_hours": [rule.written for rule in shop.hours],
        "open": {day: [f"{hh_mm(a)}-{hh_mm(b)}" for a, b in spans]
                 for day, spans in zip(DAYS, week)} if shop.hours else None,
        # the published products it sells: their "slug", the id of a product record
        "products": [p.slug for p in catalogue.shop_products.get(shop.id, ())],
        "url": catalogue.config.absolute(Urls.shop(shop.id)),
    }


def shops_json(catalogue: Catalogue) -> bytes:
    """The `"shops": [...]` member catalogue.json ends with (indented as json.dumps(…,
    indent=1) writes a top-level member)."""
    records = [shop_record(catalogue, shop) for shop in catalogue.shops]
    text = json.dumps({"shops": records}, ensure_ascii=False, indent=1)
    return text[2:-2].encode("utf-8")  # without the enclosing { and }


def shop_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    """shops.csv's rows, keyed by CSV_COLUMNS (opendata.py writes them)."""
    rows = []
    for shop in catalogue.shops:
        record = shop_record(catalogue, shop)
        geo = record["geo"] or {}
        rows.append({**{k: record[k] for k in ("id", "name", "kind", "address", "url")},
                     "commune": record["commune"]["name"],
                     "commune_code": record["commune"]["code"] or "",
                     "lat": geo.get("lat", ""), "lng": geo.get("lng", ""),
                     "phone": shop.phone, "zalo": shop.zalo,
                     "opening_hours": "; ".join(record["opening_hours"]),
                     "products": " ".join(record["products"])})
    return rows
