"""Vietnam's official administrative units since 2025-07-01, and where each former unit went.

Two maintained PyPI packages hold the official lists; this module reads their data files
directly (never imports them), so nothing here needs geopy, shapely or a network:

- `vietnam-provinces` (no dependencies): the 34 provinces and their 3,321 communes
  (xã, phường, đặc khu) with the National Statistics Office's names and codes. It is the
  source of every current name, kind and code below.
- `vietnamadminunits`: the 63-province units before the merger (sqlite `dataset.db`,
  table `admin_units_legacy`) and the mapping of each former ward/commune/township to the
  commune(s) it became (`converter_2025.json`, after the 2025 resolutions of the National
  Assembly Standing Committee, e.g. 1676/NQ-UBTVQH15 for Phú Thọ). Its own codes differ
  from the NSO's for some communes, so current communes are joined to it by name within
  the province, never by code.

Everything is loaded once per process, on first use (`functools.cache`), into frozen
dataclasses; every function is pure over that data. Names are matched as `text/vietnamese.py`
matches names: any tone-mark placement ("Như Thụy" = "Như Thuỵ"), with or without the
unit word ("xã", "huyện", "tỉnh"…).
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterable

from ..text import vietnamese
from . import older

__all__ = [
    "Province", "FormerUnit", "Commune", "Candidate", "Resolution",
    "provinces", "find_province", "communes_of", "find_commune",
    "resolve_former", "resolve_address", "sources",
]


@dataclass(frozen=True)
class Province:
    """A current province or centrally governed city (one of 34)."""

    name: str  # "Phú Thọ", "Hà Nội" (without "tỉnh" / "thành phố")
    kind: str  # "tỉnh" | "thành phố"
    code: str  # NSO code, two digits: "25"


@dataclass(frozen=True)
class FormerUnit:
    """A unit that existed until 2025-06-30 (63-province map), as it was written then."""

    name: str  # "Đôn Nhân"
    kind: str  # "xã" | "phường" | "thị trấn" (or "huyện" for an island district)
    district: str  # "Sông Lô"
    district_kind: str  # "huyện" | "quận" | "thị xã" | "thành phố"
    province: str  # "Vĩnh Phúc"
    province_kind: str  # "tỉnh" | "thành phố"
    code: str  # its former code, five digits ("" for an island district)
    part: bool = False  # only part of it went to this commune (it was divided)
    # units merged into it before 2025, unmarked as the data has them: ("Bach Luu",)
    merged: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        """"xã Đôn Nhân": how a commune page lists it (unit word in lower case)."""
        return f"{self.kind} {self.name}"

    @property
    def address(self) -> str:
        """"xã Đôn Nhân, huyện Sông Lô, tỉnh Vĩnh Phúc"."""
        return (f"{self.full_name}, {self.district_kind} {self.district}, "
                f"{self.province_kind} {self.province}")


@dataclass(frozen=True)
class Commune:
    """A current commune-level unit and the former units it was formed from."""

    name: str  # "Sông Lô" (without the unit word)
    kind: str  # "xã" | "phường" | "đặc khu"
    code: str  # NSO code, five digits: "08848"
    province: str  # "Phú Thọ"
    formed_from: tuple[FormerUnit, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Candidate:
    """One reading of a former name: that unit, the commune it (or a part of it) became."""

    former: FormerUnit
    commune: Commune
    default: bool = True  # for a divided unit: the commune the official table names first
    by_alias: bool = False  # matched an older name merged into the unit before 2025


@dataclass(frozen=True)
class Resolution:
    """What a former name resolves to. Several candidates pointing at different communes
    (a name found in two districts, a unit divided between communes) are an ambiguity
    the caller must settle, e.g. by asking for the former district."""

    query: str
    candidates: tuple[Candidate, ...] = ()

    @property
    def communes(self) -> tuple[Commune, ...]:
        """The distinct current communes, in the candidates' order."""
        return tuple(dict.fromkeys(c.commune for c in self.candidates))

    @property
    def commune(self) -> Commune | None:
        """The one current commune, or None when not found or ambiguous."""
        found = self.communes
        return found[0] if len(found) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.communes) > 1


# --- matching names as people write them -------------------------------------------------

_UNIT_WORDS = r"(?:xã|phường|thị trấn|tt\.?|p\.|x\.)"
_DISTRICT_WORDS = r"(?:huyện|quận|thị xã|thành phố|tp\.?|tx\.?|h\.|q\.)"
_PROVINCE_WORDS = r"(?:tỉnh|thành phố|tp\.?|t\.)"


def _bare(value: str, words: str) -> str:
    """Identity key of a name without its leading unit word: "Xã  Đôn Nhân" → "đôn nhân"."""
    value = vietnamese.nfc(value).strip().replace("’", "'")
    value = re.sub(rf"^{words}\s*", "", value, flags=re.I).strip()
    return vietnamese.identity_key(value)


def _join_key(name: str) -> str:
    """Key joining the two packages' spellings of one name ("M’Droh"/"M'Droh", "–"/"-")."""
    name = vietnamese.nfc(name).replace("’", "'").replace("–", "-")
    return vietnamese.identity_key(re.sub(r"\s*-\s*", " - ", name))


def _ascii(value: str) -> str:
    """The packages' ASCII keys: "Đôn Nhân" → "donnhan"."""
    return re.sub(r"[^a-z0-9]", "", vietnamese.fold(value).replace("đ", "d"))


def _split_kind(full: str) -> tuple[str, str]:
    """"Thị trấn Tam Sơn" → ("thị trấn", "Tam Sơn"); "Thành phố Hà Nội" → ("thành phố", …)."""
    match = re.match(r"(thị trấn|thị xã|thành phố|đặc khu|xã|phường|huyện|quận|tỉnh)\s+(.*)",
                     vietnamese.nfc(full), flags=re.I)
    if not match:
        return "", vietnamese.nfc(full)
    return match.group(1).lower(), match.group(2).strip()


# --- loading the packages' data (once per process) ----------------------------------------

def _package_dir(name: str) -> Path:
    """Folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the Python package {name!r} is not installed: pip install -e . "
                           f"/ chưa cài gói Python {name!r}")
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class _Data:
    provinces: tuple[Province, ...]
    communes: dict  # province name → tuple[Commune, ...]
    by_name: dict  # identity key of a former unit's name → tuple[Candidate, ...]
    by_alias: dict  # ASCII key of an older merged name → tuple[Candidate, ...]
    province_keys: frozenset  # identity keys of every province name, former and current


def _legacy_rows(db: Path) -> dict[str, tuple]:
    """"tinhvinhphuc_huyensonglo_xadonnhan" → (ward, district, province, code, aliases)."""
    rows = {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        for row in conn.execute(
                "SELECT provinceKey, districtKey, wardKey, ward, district, province,"
                " wardCode, wardAlias FROM admin_units_legacy"):
            pkey, dkey, wkey, ward, district, province, code, alias = row
            key = f"{pkey}_{dkey}_{wkey or ''}"
            rows[key] = (ward or district, district, province, code or "",
                         tuple(json.loads(alias)) if alias else ())
    return rows


def _former(row: tuple, part: bool, syllables: Counter[str]) -> FormerUnit:
    ward, district, province, code, aliases = row
    kind, name = _split_kind(ward)
    district_kind, district_name = _split_kind(district)
    province_kind, province_name = _split_kind(province)
    merged = tuple(older.spaced(n, syllables)
                   for n in older.bare_names(aliases, _ascii(name), syllables))
    return FormerUnit(name, kind, district_name, district_kind, province_name, province_kind,
                      code, part, merged)


def _syllables(names: Iterable[str]) -> Counter[str]:
    """How often each unmarked syllable occurs in the lists' names ("bach": 212, …)."""
    return Counter(s for name in names for s in re.findall(r"[a-z]+", vietnamese.fold(name)))


def _current_keys(db: Path) -> dict[tuple[str, str], str]:
    """(province name key, commune name key) → the converter's ward key."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {(_bare(p, _PROVINCE_WORDS), _join_key(w)): k
                for p, w, k in conn.execute("SELECT province, ward, wardKey FROM admin_units")}


@cache
def _data() -> _Data:
    provinces_dir = _package_dir("vietnam_provinces") / "data"
    units_dir = _package_dir("vietnamadminunits") / "data"
    nested = json.loads((provinces_dir / "nested-divisions.json").read_text("utf-8"))
    converter = json.loads((units_dir / "converter_2025.json").read_text("utf-8"))
    legacy = _legacy_rows(units_dir / "dataset.db")
    ward_keys = _current_keys(units_dir / "dataset.db")
    syllables = _syllables([n for row in legacy.values() for n in row[:3]]
                           + [w["name"] for entry in nested for w in entry["wards"]])
    whole = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"]

    provinces: list[Province] = []
    communes: dict[str, tuple[Commune, ...]] = {}
    by_name: dict[str, list[Candidate]] = {}
    by_alias: dict[str, list[Candidate]] = {}
    for entry in nested:
        kind = "tỉnh" if entry["division_type"] == "tỉnh" else "thành phố"
        province = Province(vietnamese.nfc(entry["name"]).removeprefix("Thành phố ").strip(), kind,
                            f"{entry['code']:02d}")
        provinces.append(province)
        pkey = _bare(province.name, _PROVINCE_WORDS)
        converter_pkey = f"{'tinh' if kind == 'tỉnh' else 'thanhpho'}{_ascii(province.name)}"
        parts: dict[str, list[tuple[str, bool]]] = {}
        for old_key, targets in divided.get(converter_pkey, {}).items():
            for target in targets:
                parts.setdefault(target["newWardKey"], []).append(
                    (old_key, target["isDefaultNewWard"]))
        listed = []
        for ward in entry["wards"]:
            ward_kind, ward_name = _split_kind(ward["name"])
            ward_key = ward_keys.get((pkey, _join_key(ward["name"])))
            olds = [(k, False, True) for k in whole.get(converter_pkey, {}).get(ward_key, ())]
            if ward_key is not None:  # a ward without a converter key has no parts
                olds += [(k, True, default) for k, default in parts.get(ward_key, ())]
            formed, links = [], []
            for old_key, part, default in olds:
                if old_key not in legacy:
                    continue
                unit = _former(legacy[old_key], part, syllables)
                formed.append(unit)
                links.append((unit, default, legacy[old_key][4]))
            commune = Commune(ward_name, ward_kind or ward["division_type"], f"{ward['code']:05d}",
                              province.name, tuple(formed))
            listed.append(commune)
            for unit, default, aliases in links:
                candidate = Candidate(unit, commune, default)
                by_name.setdefault(vietnamese.identity_key(unit.name), []).append(candidate)
                for alias in aliases:
                    alias_candidate = Candidate(unit, commune, default, by_alias=True)
                    by_alias.setdefault(_ascii(re.sub(r"^(xa|phuong|thitran)", "", alias)), []
                                        ).append(alias_candidate)
        communes[province.name] = tuple(sorted(listed, key=lambda c: vietnamese.sort_key(c.name)))
    return _Data(tuple(sorted(provinces, key=lambda p: vietnamese.sort_key(p.name))), communes,
                 {k: tuple(v) for k, v in by_name.items()},
                 {k: tuple(dict.fromkeys(v)) for k, v in by_alias.items()},
                 frozenset({vietnamese.identity_key(p.name) for p in provinces}
                           | {_bare(row[2], _PROVINCE_WORDS) for row in legacy.values()}))


# --- the public functions -----------------------------------------------------------------

def provinces() -> tuple[Province, ...]:
    """The 34 current provinces and cities, in Vietnamese alphabetical order."""
    return _data().provinces


def find_province(name: str) -> Province | None:
    """A current province by its name in any form: "Phú Thọ", "tỉnh Phú Thọ", "TP Hồ Chí
    Minh", "Thành phố Hà Nội" (any tone placement). None for a former province such as
    Vĩnh Phúc (see `resolve_former`)."""
    key = _bare(name, _PROVINCE_WORDS)
    return next((p for p in _data().provinces if vietnamese.identity_key(p.name) == key), None)


def communes_of(province: Province) -> tuple[Commune, ...]:
    """Every current commune of `province` (148 for Phú Thọ), in Vietnamese order, each
    with the former units it was formed from."""
    return _data().communes.get(province.name, ())


def find_commune(province: Province, name: str) -> Commune | None:
    """A current commune of `province` by name, with or without "xã"/"phường"."""
    key = _bare(name, _UNIT_WORDS + r"|đặc khu")
    return next((c for c in communes_of(province) if vietnamese.identity_key(c.name) == key), None)


def resolve_former(name: str, district: str | None = None,
                   province: str | None = None) -> Resolution:
    """The current commune(s) a former unit became: "Đôn Nhân" (any tone placement, with
    or without "xã"/"phường"/"thị trấn"), optionally narrowed by its former district
    ("huyện Sông Lô") and its province, former ("Vĩnh Phúc") or current ("Phú Thọ").
    A name merged into another unit before 2025 (Bạch Lưu into Hải Lựu) is found too,
    through the older unit (`Candidate.by_alias`)."""
    data = _data()
    candidates = data.by_name.get(_bare(name, _UNIT_WORDS), ())
    if not candidates:
        candidates = data.by_alias.get(_ascii(_bare(name, _UNIT_WORDS)), ())
    if district:
        key = _bare(district, _DISTRICT_WORDS)
        candidates = tuple(c for c in candidates
                           if vietnamese.identity_key(c.former.district) == key)
    if province:
        key = _bare(province, _PROVINCE_WORDS)
        candidates = tuple(c for c in candidates
                           if key in (vietnamese.identity_key(c.former.province),
                                      vietnamese.identity_key(c.commune.province)))
    return Resolution(vietnamese.nfc(name).strip(), tuple(candidates))


def resolve_address(address: str) -> Resolution:
    """An address as decisions write it, "Thôn 3, xã Đôn Nhân, huyện Sông Lô, tỉnh Vĩnh
    Phúc": the last three comma-separated parts are read as unit, district and province
    (fewer parts: unit [, district]); a leading village or street is ignored."""
    parts = [p.strip() for p in vietnamese.nfc(address).split(",") if p.strip()]
    province = parts.pop() if parts and _is_province(parts[-1]) else None
    if not parts:
        return Resolution(vietnamese.nfc(address).strip())
    if len(parts) >= 2:
        return resolve_former(parts[-2], parts[-1], province)
    return resolve_former(parts[0], None, province)


def _is_province(part: str) -> bool:
    """A province's name, former or current, with or without "tỉnh"."""
    if re.match(r"(tỉnh|t\.)\s", vietnamese.nfc(part), flags=re.I):
        return True
    return _bare(part, _PROVINCE_WORDS) in _data().province_keys


def sources() -> str:
    """The packages and versions the lists come from, for the files `init` writes."""
    found = []
    for package in ("vietnam-provinces", "vietnamadminunits"):
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return ", ".join(found)
