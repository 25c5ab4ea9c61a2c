"""A row's names → the site's ids: the commune in an address, the producer, the category.

Communes go through a chain of steps, first the site's own communes.yaml (current
names, then former names), then, where the site has it, the official 2025 mapping of
former units to current communes; each step that answers says which it was, so a
commune is never changed silently. Producers are matched by identity key (any tone
placement, any case) with the usual abbreviations spelled out ("HTX" = "Hợp tác xã").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from ..content import communemap
from ..content.lookup import find_category, near_category, near_commune
from ..content.models import PRODUCER_TYPES, Category, Commune, Producer
from ..errors import did_you_mean
from ..text import vietnamese

# -- communes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneMatch:
    slug: str  # the current commune
    written: str  # what the content file's `commune:` gets (a name communes.yaml knows)
    former: str = ""  # the former unit the address named ('' when it is current)
    source: str = ""  # '' (the site's communes.yaml) or how else it was found, in English
    source_vi: str = ""  # … and in Vietnamese


# (unit name without "xã", former district or '') → a match, or None to ask the next step
CommuneStep = Callable[[str, str], "CommuneMatch | None"]

_COMMUNE_PREFIX = re.compile(r"^(?:xã|phường|thị trấn|tt\.?|x\.|p\.)\s*", re.I)
_DISTRICT_PREFIX = re.compile(r"^(?:huyện|quận|thị xã|thành phố|tp\.?|h\.)\s*", re.I)
_OTHER_PREFIX = re.compile(r"^(?:tỉnh|thôn|xóm|khu|tổ|ấp|bản|làng|số|đường|tdp|"
                           r"khu phố)\b", re.I)
_PARTS = re.compile(r"\s*(?:[,;]|\s[-–]\s)\s*")


def site_steps(communes: Sequence[Commune], index: Mapping[str, str]) -> list[CommuneStep]:
    """communes.yaml, as the loader's `index` (content/communemap.py) has it: first a
    former unit of the district the address names ('xã Sông Lô, thành phố Việt Trì' is
    not the current Sông Lô), then a current name, then the units, aliases and former
    names without a district (a name two communes share needs one)."""
    by_slug = {c.slug: c for c in communes}
    current = {vietnamese.identity_key(c.name): c for c in communes}

    def match(slug: str | None, name: str, written: str) -> CommuneMatch | None:
        commune = by_slug.get(slug or "")
        if commune is None:
            return None
        if communemap.key(commune.name) == communemap.key(name):  # the unit that gave
            return CommuneMatch(commune.slug, commune.name)  # the commune its name
        # as the sheet spells it ('Như Thụy' for communes.yaml's 'Như Thuỵ'): the loader
        # finds it the same way, and the product shows it as its place of origin
        return CommuneMatch(commune.slug, written, name)

    def in_district(name: str, district: str) -> CommuneMatch | None:
        if not district:
            return None
        slug = index.get(communemap.key(name, district))
        plain = index.get(communemap.key(name))
        return match(slug, name, name if plain == slug else f"{name}, {district}")

    def by_current(name: str, district: str) -> CommuneMatch | None:
        found = current.get(vietnamese.identity_key(name))
        return CommuneMatch(found.slug, found.name) if found else None

    def by_other_name(name: str, district: str) -> CommuneMatch | None:
        return match(index.get(communemap.key(name)), name, name)

    return [in_district, by_current, by_other_name]


def official_step(communes: Sequence[Commune], province: str = "") -> CommuneStep:
    """The official 2025 mapping of former units to current communes (regions/gazetteer.py),
    narrowed by the former district the address names and the site's province. Its
    answer may be a commune the site's communes.yaml lacks: then `slug` is ''."""
    by_key = {vietnamese.identity_key(c.name): c for c in communes}

    def by_official(name: str, district: str) -> CommuneMatch | None:
        from ..regions import gazetteer  # its data is read on first use, only when needed

        try:
            found = gazetteer.resolve_former(name, district or None, province or None)
            if not found.candidates and district:  # a district misspelt or renamed
                found = gazetteer.resolve_former(name, None, province or None)
        except RuntimeError:  # the official lists' packages are not installed
            return None
        commune = found.commune
        if commune is None:
            return None
        former = found.candidates[0].former.name
        site = by_key.get(vietnamese.identity_key(commune.name))
        return CommuneMatch(site.slug if site else "", site.name if site else commune.name,
                            former, "official 2025 mapping",
                            "theo danh mục chính thức năm 2025")

    return by_official


def address_units(address: str) -> tuple[list[str], str]:
    """The names in an address that may be a commune (those written 'xã …' first) and
    the district it names ('' if none): 'Thôn 2, xã Đôn Nhân, huyện Sông Lô' →
    (['Đôn Nhân'], 'Sông Lô')."""
    communes, others, district = [], [], ""
    for part in _PARTS.split(address.strip()):
        part = part.strip(" .")
        if not part:
            continue
        if _COMMUNE_PREFIX.match(part):
            communes.append(_COMMUNE_PREFIX.sub("", part))
        elif _DISTRICT_PREFIX.match(part):
            district = district or _DISTRICT_PREFIX.sub("", part)
        elif not _OTHER_PREFIX.match(part):
            others.append(part)
    return communes + others, district


def resolve_commune(written: str, steps: Sequence[CommuneStep]) -> CommuneMatch | None:
    names, district = address_units(written)
    for step in steps:  # a step's answer for any unit beats a later step's
        for name in names:
            found = step(name, district)
            if found is not None:
                return found
    return None


def near_commune_in(written: str, communes: Sequence[Commune]) -> str | None:
    names, _ = address_units(written)
    for name in names:
        near = near_commune(communes, name)
        if near:
            return near
    return None


# -- producers ---------------------------------------------------------------------------
def _starts(*words: str) -> re.Pattern[str]:
    """A name's start in identity-key form (tone marks at the end of each syllable: the
    key of 'hợp' is not 'hợp'), followed by a space or the end."""
    keys = "|".join(re.escape(vietnamese.identity_key(w)) for w in words)
    return re.compile(rf"^(?:{keys})(?=\s|$)")


# (a name's start, the words in full, the short form for an id)
_ABBREVIATIONS = tuple((_starts(*starts), vietnamese.identity_key(starts[-1]), short)
                       for starts, short in (
    (("htx", "hợp tác xã"), "htx"),
    (("tht", "tổ hợp tác"), "tht"),
    (("ctcp", "cty cp", "công ty cp", "công ty cổ phần"), "ctcp"),
    (("cty", "công ty"), "cty"),
    (("dn", "doanh nghiệp"), "dn"),
    (("hkd", "hộ kinh doanh"), "hkd"),
))
_TYPE_BY_START = tuple((_starts(*starts), kind) for starts, kind in (
    (("htx", "hợp tác xã"), "cooperative"), (("tht", "tổ hợp tác"), "cooperative_group"),
    (("ctcp", "cty", "công ty", "dn", "doanh nghiệp"), "enterprise"),
    (("hkd", "hộ", "cơ sở"), "household"),
))
_TYPE_NAMES = {
    "enterprise": "enterprise|doanh nghiep|cong ty|dn", "cooperative": "cooperative|hop tac xa|htx",
    "cooperative_group": "cooperative group|cooperative_group|to hop tac|tht",
    "household": "household|ho san xuat kinh doanh|ho kinh doanh|ho gia dinh|ho|hkd"}
_TYPE_LOOKUP = {name: kind for kind, names in _TYPE_NAMES.items() for name in names.split("|")}


def producer_key(name: str) -> str:
    """Identity key with the abbreviation at the start spelled out: 'HTX chè Đồng
    Thịnh' and 'Hợp tác xã Chè Đồng Thịnh' share one key."""
    key = vietnamese.identity_key(name)
    for pattern, full, _ in _ABBREVIATIONS:
        if pattern.match(key):
            return pattern.sub(full, key, count=1)
    return key


def producer_id_for(name: str) -> str:
    """A new producer's id (its file name): the short form, like the site's own ids
    ('Hợp tác xã Chè Đồng Thịnh' → htx-che-dong-thinh)."""
    key = producer_key(name)
    for _, full, short in _ABBREVIATIONS:
        if key.startswith(full):
            return vietnamese.slugify(short + key[len(full):])
    return vietnamese.slugify(key)


def guess_type(name: str) -> tuple[str, str] | None:
    """(type, the words of the name it was told from) from how the name starts, or
    None: 'HTX Sông Lô Xanh' → ('cooperative', 'HTX')."""
    key = vietnamese.identity_key(name)
    for start, kind in _TYPE_BY_START:
        found = start.match(key)
        if found:
            return kind, " ".join(name.split()[:len(found[0].split())])
    return None


def producer_type(written: str) -> str | None:
    """A 'Loại hình' cell → one of PRODUCER_TYPES."""
    folded = " ".join(vietnamese.fold(written).replace("_", " ").split())
    found = _TYPE_LOOKUP.get(folded)
    return found if found in PRODUCER_TYPES else None


@dataclass(frozen=True)
class Producers:
    """The site's producers, found by id, by name (identity key) and by the id the name
    would give."""

    by_id: Mapping[str, Producer]
    ids: frozenset[str]  # every producer file, loaded or not
    by_key: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, producers: Mapping[str, Producer], ids: frozenset[str]) -> "Producers":
        return cls(producers, ids, {producer_key(p.name): p.id for p in producers.values()})

    def find(self, name: str, producer_id: str = "") -> str | None:
        if producer_id and producer_id in self.ids:
            return producer_id
        found = self.by_key.get(producer_key(name))
        if found:
            return found
        for candidate in (vietnamese.slugify(name), producer_id_for(name)):
            if candidate in self.by_id:  # the same words without diacritics, say
                return candidate
        return None


# -- categories --------------------------------------------------------------------------


def resolve_category(written: str, categories: Mapping[str, Category],
                     index: Mapping[str, str]) -> tuple[str | None, tuple[str, str]]:
    """(product-set id, ('', '')) or (None, (English, Vietnamese) problem). Accepts the
    id, the name (any tone placement) or the code ('1.2.1')."""
    by_code = {c.code: c.id for c in categories.values() if c.code}
    by_key = {vietnamese.identity_key(c.name): c.id for c in categories.values()}
    found = find_category(index, written) or by_code.get(written.strip()) or \
        by_key.get(vietnamese.identity_key(written))
    if found is None:
        en, vi = did_you_mean(near_category(categories, written))
        return None, (f"unknown product set '{written}'{en} (write a product-set id or name "
                      "from content/data/categories.yaml)",
                      f"không có bộ sản phẩm '{written}'{vi} (ghi id hoặc tên bộ sản phẩm "
                      "trong content/data/categories.yaml)")
    node = categories[found]
    if node.children:
        children = ", ".join(node.children[:6])
        return None, (f"'{written}' is a {node.level}; write one of its product sets: "
                      f"{children}",
                      f"'{written}' là nhóm lớn; hãy ghi một bộ sản phẩm trong đó: {children}")
    return found, ("", "")

