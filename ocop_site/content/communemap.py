"""The 2025 commune map as communes.yaml writes it: units each commune was formed from,
spelling aliases apart from them, and the keys a product's `commune:` is looked up by.

A former unit is written as an address part, "thị trấn Tam Sơn" or, where its name was
used in two districts, "xã Sông Lô, thành phố Việt Trì". Products may name it either way
("Sông Lô, Việt Trì"); a bare former name claimed by two communes is ambiguous (the
lookup holds `AMBIGUOUS` for it and the loader asks for the district). A current name
always wins over a former one.

An alias written without any diacritics ("Bach Luu": `init` writes the names merged
before 2025 so, as vietnamadminunits gives them) matches that name with any marks,
spacing or case ("Bạch Lưu"), through its `unmarked` key; a name that matches exactly
comes first.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Sequence

from ..text import vietnamese
from .models import Commune, FormerUnit

AMBIGUOUS = "?"  # lookup value of a former name two communes claim
_UNIT = re.compile(r"^(xã|phường|thị trấn|đặc khu)\s+", re.I)
_DISTRICT = re.compile(r"^(huyện|quận|thị xã|thành phố|tp\.?|tx\.?)\s*", re.I)


def parse_unit(written: str) -> FormerUnit:
    """"xã Sông Lô, thành phố Việt Trì" → FormerUnit("xã", "Sông Lô", "Việt Trì")."""
    unit, _, district = vietnamese.nfc(str(written)).partition(",")
    unit = unit.strip()
    match = _UNIT.match(unit)
    kind = match.group(1).lower() if match else ""
    name = unit[match.end():].strip() if match else unit
    return FormerUnit(kind, name, _DISTRICT.sub("", district.strip()).strip())


def key(name: str, district: str = "") -> str:
    """Lookup key: identity key of the name without its unit word, "|district" if given."""
    bare = vietnamese.identity_key(_UNIT.sub("", vietnamese.nfc(name).strip()))
    if not district:
        return bare
    return f"{bare}|{vietnamese.identity_key(_DISTRICT.sub('', vietnamese.nfc(district).strip()))}"


def unmarked(name: str) -> str:
    """Lookup key of an alias without diacritics: "~" + its letters and digits, folded
    ("Bạch Lưu", "Bach Luu", "bachluu" → "~bachluu"); "" when it has none."""
    letters = vietnamese.slugify(_UNIT.sub("", vietnamese.nfc(name).strip())).replace("-", "")
    return "~" + letters if letters else ""


def split_written(value: str) -> tuple[str, str]:
    """A product's `commune:` → (name, district): "Sông Lô, TP Việt Trì", "Sông Lô (Việt
    Trì)" or just "Đồng Thịnh" (district "")."""
    value = vietnamese.nfc(value).strip()
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", value)
    if match:
        return match.group(1), match.group(2)
    name, _, district = value.partition(",")
    return name.strip(), district.strip()


def with_slugs(communes: Sequence[Commune]) -> list[Commune]:
    """Each former unit given the slug of its redirect page, xa/<slug>/: from its name,
    or name + district where the plain slug is a current commune's or another unit's;
    none (no page) for a unit divided between communes, which has no one place to go."""
    taken = {c.slug for c in communes}
    plain: dict[str, set[str]] = {}
    qualified: dict[str, set[str]] = {}
    units_named: dict[str, int] = {}
    for commune in communes:
        for unit in commune.formed_from:
            unit_slug = vietnamese.slugify(unit.name)
            units_named[unit_slug] = units_named.get(unit_slug, 0) + 1
            plain.setdefault(vietnamese.slugify(unit.name), set()).add(commune.slug)
            qualified.setdefault(vietnamese.slugify(f"{unit.name} {unit.district}"), set()
                                 ).add(commune.slug)

    def slug_of(unit: FormerUnit, commune: Commune) -> str:
        slug = vietnamese.slugify(unit.name)
        if slug == commune.slug:  # the unit that gave the commune its name: its own page
            return ""
        if slug not in taken and units_named[slug] == 1:
            return slug
        slug = vietnamese.slugify(f"{unit.name} {unit.district}")
        return slug if unit.district and slug not in taken and len(qualified[slug]) == 1 else ""

    return [dataclasses.replace(c, formed_from=tuple(
        dataclasses.replace(u, slug=slug_of(u, c)) for u in c.formed_from)) for c in communes]


def index_communes(communes: Iterable[Commune]) -> tuple[dict[str, str], list[tuple]]:
    """identity key → slug for every current name, former unit (bare and with its
    district), alias and former name; and the clashes the site must settle, as
    (commune, field, alias, other commune's name) for aliases two communes claim."""
    communes = tuple(communes)
    index: dict[str, str] = {}
    names = {c.slug: c.name for c in communes}
    for commune in communes:
        index[key(commune.name)] = commune.slug
    clashes = []
    for commune in communes:
        for unit in commune.formed_from:
            if unit.district:
                index.setdefault(key(unit.name, unit.district), commune.slug)
            bare = key(unit.name)
            owner = index.get(bare)
            if owner is None:
                index[bare] = commune.slug
            elif owner != commune.slug and owner != AMBIGUOUS and names.get(owner) and \
                    key(names[owner]) != bare:  # two former units: the district decides
                index[bare] = AMBIGUOUS
        written = [("aliases", a) for a in commune.aliases]
        for field, alias in written + [("former_names", n) for n in commune.former_names]:
            keys = [key(alias)] + ([unmarked(alias)] if alias.isascii() and unmarked(alias)
                                   else [])
            for alias_key in keys:
                owner = index.get(alias_key)
                if owner is not None and owner != commune.slug:
                    if key(names.get(owner, "")) != key(alias):  # a current name wins quietly
                        clashes.append((commune, field, alias, names.get(owner, alias)))
                    break
                index[alias_key] = commune.slug
    return index, clashes
