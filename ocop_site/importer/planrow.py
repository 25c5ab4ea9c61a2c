"""A row while it is planned: the messages it has gathered, and its commune, found once
(a new product and its new producer share it, and its note is said once)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from ..content.models import Commune
from .messages import ATTENTION, INFO, RowMessage
from .resolve import CommuneMatch, CommuneStep, near_commune_in, resolve_commune
from .rows import SheetRow

_UNSET = object()


@dataclass
class PlanRow:
    source: SheetRow
    communes: Sequence[Commune] = ()
    steps: Sequence[CommuneStep] = ()
    messages: list[RowMessage] = field(default_factory=list)
    _commune: object = _UNSET

    def add(self, field_name: str, en: str, vi: str, severity: str = ATTENTION) -> None:
        self.messages.append(RowMessage(self.source.where, field_name, en, vi, severity))

    @property
    def blocked(self) -> bool:
        return any(m.blocks for m in self.messages)

    def commune(self) -> CommuneMatch | None:
        """The current commune the row's 'Xã' column or address names (None, with the
        reason added, when none is found; None alone when the row gives neither)."""
        if self._commune is _UNSET:
            self._commune = self._find_commune()
        return self._commune  # type: ignore[return-value]

    def _find_commune(self) -> CommuneMatch | None:
        written = self.source.get("commune") or self.source.get("address")
        if not written:
            return None
        found = resolve_commune(written, self.steps)
        if found is None:
            near = near_commune_in(written, self.communes)
            en = f" — did you mean '{near}'?" if near else ""
            vi = f" — có phải là '{near}'?" if near else ""
            self.add("commune", f"no commune of content/data/communes.yaml in '{written}'{en}; "
                     "add the commune (or its former name) to communes.yaml, or a 'Xã' column",
                     f"không thấy xã nào của content/data/communes.yaml trong '{written}'{vi}; "
                     "hãy thêm xã (hoặc tên cũ) vào communes.yaml, hoặc thêm cột 'Xã'")
            return None
        current = next((c.name for c in self.communes if c.slug == found.slug), found.written)
        if not found.slug:
            self.add("commune", f"'{written}' is former {found.former}, now {current} "
                     f"({found.source}), which is not in content/data/communes.yaml; add it "
                     "there first", f"'{written}' là {found.former} cũ, nay là {current} "
                     f"({found.source_vi}), nhưng xã này chưa có trong "
                     "content/data/communes.yaml; hãy thêm vào trước")
            return None
        if found.former:
            source_en = f" ({found.source})" if found.source else ""
            source_vi = f" ({found.source_vi})" if found.source_vi else ""
            self.add("commune", f"'{written}' is former {found.former}, now {current}{source_en}",
                     f"'{written}' là {found.former} cũ, nay là {current}{source_vi}", INFO)
        return found
