"""`check`'s comparison of a site's communes.yaml with the official lists (regions/):
warnings only, for communes a site names differently from the lists without saying why."""
from __future__ import annotations

from typing import Sequence

from ..errors import ContentError
from ..regions import gazetteer
from .models import Commune as SiteCommune


def compare_communes(province_name: str, communes: Sequence[SiteCommune],
                     shown: str = "content/data/communes.yaml") -> list[ContentError]:
    """Warnings where communes.yaml departs from the official lists: a commune not in the
    province, another code, a former unit the lists map to another commune. A commune
    with `differs_from_official:` (the reason) is not compared."""
    province = gazetteer.find_province(province_name) if province_name else None
    if province is None:
        return []
    found = []

    def warn(commune: SiteCommune, en: str, vi: str) -> None:
        found.append(ContentError(shown, commune.line, "communes", en + " (or write "
                                  "differs_from_official: with the reason)", vi + " (hoặc ghi "
                                  "lý do ở differs_from_official:)", "warning"))

    for commune in communes:
        if commune.differs_from_official:
            continue
        official = gazetteer.find_commune(province, commune.name)
        if official is None:
            warn(commune, f"'{commune.name}' is not a commune of {province.name} in the "
                          f"official lists ({gazetteer.sources()})",
                 f"'{commune.name}' không có trong danh mục xã, phường của {province.name}")
            continue
        if commune.code and commune.code != official.code:
            warn(commune, f"{commune.name}: code {commune.code}, the official code is "
                          f"{official.code}",
                 f"{commune.name}: mã {commune.code}, mã chính thức là {official.code}")
        for unit in commune.formed_from:
            went = gazetteer.resolve_former(unit.name, unit.district or None, province.name)
            if went.candidates and commune.name not in {c.name for c in went.communes}:
                other = " / ".join(c.full_name for c in went.communes)
                warn(commune, f"{commune.name}: {unit.full_name} went to {other}, per the "
                              "official lists",
                     f"{commune.name}: {unit.full_name} đã nhập vào {other} theo danh mục "
                     "chính thức")
    return found
