"""Names as people write them → the ids the content uses, and the nearest id when none fits.

One set of rules for the readers (references.py reports a bad reference) and for `new`
(which checks each answer as it is typed), so a file `new` writes is a file `check` accepts.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Collection, Iterable, Mapping

from ..errors import nearest
from ..text import vietnamese
from . import communemap
from .models import Category, Commune, Product

# "xã Đồng Thịnh", "Thị trấn Tam Sơn": the unit word is optional when naming a commune
PLACE_PREFIX = re.compile(r"^(xã|phường|thị trấn|thị xã)\s+", re.I)


def find_commune(index: Mapping[str, str], value: str) -> str | None:
    """Slug of the commune `value` names: current or former name, with or without "xã",
    any tone-mark placement ("Như Thuỵ" = "Như Thụy"); an alias communes.yaml writes
    without diacritics matches with any ("Bạch Lưu" = "Bach Luu"). `index` maps identity
    keys of every name and former name to a slug (readers/data.py builds it)."""
    found = index.get(vietnamese.identity_key(PLACE_PREFIX.sub("", value.strip())))
    if found is None or found == communemap.AMBIGUOUS:  # "Sông Lô, thành phố Việt Trì"
        name, district = communemap.split_written(value)
        if district:
            return index.get(communemap.key(name, district), found)
    if found is None:  # an alias written without diacritics ("Bach Luu")
        found = index.get(communemap.unmarked(value)) if communemap.unmarked(value) else None
    return found


def near_commune(communes: Iterable[Commune], value: str) -> str | None:
    """The closest current or former name, compared without diacritics."""
    communes = tuple(communes)
    names = [c.name for c in communes] + [n for c in communes for n in c.former_names]
    names += [u.name for c in communes for u in c.formed_from] + [
        a for c in communes for a in c.aliases]
    return nearest(value, names, key=vietnamese.fold)


def find_category(index: Mapping[str, str], value: str) -> str | None:
    """Category id named by its id or its exact name (any group level; callers decide
    whether a group is acceptable)."""
    return index.get(value) or index.get(vietnamese.slugify(value))


def near_category(categories: Mapping[str, Category], value: str) -> str | None:
    """The closest product-set (leaf) id: products may only name a leaf."""
    leaves = [c.id for c in categories.values() if not c.children]
    return nearest(vietnamese.slugify(value), leaves)


def find_producer(ids: Collection[str], value: str) -> str | None:
    """Producer id (the file name of content/producers/<id>.md) written any way that
    slugifies to it."""
    producer_id = vietnamese.slugify(value)
    return producer_id if producer_id in ids else None


def near_producer(ids: Iterable[str], value: str) -> str | None:
    return nearest(vietnamese.slugify(value), list(ids))


def product_references(products: Iterable[Product]) -> dict[str, str]:
    """Every way an event may name a product (slug, file name, name; slugified) → slug.
    The slug itself wins over another product's file name or name."""
    products = tuple(products)
    known: dict[str, str] = {}
    for product in products:
        known[vietnamese.slugify(vietnamese.nfc(Path(product.source).stem))] = product.slug
        known[vietnamese.slugify(product.name)] = product.slug
    for product in products:
        known[product.slug] = product.slug
    return known
