"""The producer a row names: one the site has, or a new producer file made from the row.

A new producer needs every field the schema requires: its type is told from its name
("HTX …" is a cooperative) or read from a 'Loại hình' column, its commune from its
address, and its phone from a column, since a decision's list rarely has one: then the
row says exactly what to add, and nothing is written for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..content.models import Commune
from ..scaffold.filetext import errors_in, render_file
from ..scaffold.known import PRODUCER_TYPE_NAMES
from ..text import vietnamese
from .messages import INFO
from .planrow import PlanRow
from .resolve import (
    CommuneStep,
    Producers,
    guess_type,
    producer_id_for,
    producer_key,
    producer_type,
)


@dataclass(frozen=True)
class NewProducer:
    id: str
    path: str  # content/producers/<id>.md
    data: bytes
    name: str
    type: str
    first_row: int


_PHONE = re.compile(r"[0-9+().\-\s]+")
_BLOCKED = object()  # a new producer that needs attention (said on its first row)


class ProducerPlanner:
    """Resolves each row's producer; a new producer is planned once, on its first row."""

    def __init__(self, producers: Producers, communes: Sequence[Commune],
                 steps: Sequence[CommuneStep]):
        self.producers = producers
        self.communes = communes
        self.steps = steps
        self.planned: dict[str, tuple[object, int]] = {}  # id → NewProducer or _BLOCKED, row

    def resolve(self, row: PlanRow) -> tuple[str | None, NewProducer | None]:
        """(producer id, the new producer it is, if new); (None, None) when the row
        needs attention for it."""
        name = row.source.get("producer")
        given_id = row.source.get("producer_id")
        if not name and not given_id:
            row.add("producer", "no producer; write it in the 'Chủ thể' column",
                    "thiếu chủ thể; hãy ghi vào cột 'Chủ thể'")
            return None, None
        found = self.producers.find(name, given_id)
        if found is not None:
            known = self.producers.by_id.get(found)
            if name and known is not None and producer_key(name) != producer_key(known.name):
                row.add("producer", f"'{name}' is taken as the producer '{known.name}' "
                        f"({known.source}), the same name but for diacritics",
                        f"'{name}' được hiểu là cơ sở '{known.name}' ({known.source}), cùng "
                        "tên, chỉ khác dấu", INFO)
            return found, None
        producer_id = given_id if given_id and vietnamese.slugify(given_id) == given_id \
            else producer_id_for(name)
        if producer_id in self.planned:
            made, first = self.planned[producer_id]
            if made is _BLOCKED:
                row.add("producer", f"the new producer '{name or producer_id}' needs "
                        f"attention (see row {first})", f"cơ sở mới '{name or producer_id}' "
                        f"cần xem lại (xem dòng {first})")
                return None, None
            return producer_id, made  # type: ignore[return-value]
        made = self._new(row, name, producer_id)
        self.planned[producer_id] = (made if made is not None else _BLOCKED,
                                     row.source.where.row)
        return (producer_id, made) if made is not None else (None, None)

    def _type(self, row: PlanRow, name: str) -> str | None:
        written = row.source.get("producer_type")
        if written:
            found = producer_type(written)
            if found is None:
                row.add("producer_type", f"unknown type '{written}' (write doanh nghiệp, "
                        "hợp tác xã, tổ hợp tác or hộ sản xuất kinh doanh)",
                        f"loại hình '{written}' không hợp lệ (ghi doanh nghiệp, hợp tác xã, "
                        "tổ hợp tác hoặc hộ sản xuất kinh doanh)")
            return found
        guessed = guess_type(name)
        if guessed is None:
            row.add("producer_type", f"the new producer '{name}' has no type the name tells "
                    "(HTX, Công ty, THT, Hộ …); add a 'Loại hình' column (doanh nghiệp, hợp "
                    "tác xã, tổ hợp tác, hộ sản xuất kinh doanh)",
                    f"cơ sở mới '{name}' không rõ loại hình từ tên (HTX, Công ty, THT, Hộ …); "
                    "hãy thêm cột 'Loại hình' (doanh nghiệp, hợp tác xã, tổ hợp tác, hộ sản "
                    "xuất kinh doanh)")
            return None
        kind, words = guessed
        row.add("producer_type", f"the new producer '{name}' is a {kind} "
                f"({PRODUCER_TYPE_NAMES[kind].lower()}), told from '{words}'",
                f"cơ sở mới '{name}' là {PRODUCER_TYPE_NAMES[kind].lower()}, theo chữ '{words}'",
                INFO)
        return kind

    def _contact(self, row: PlanRow, name: str, producer_id: str) -> dict[str, str]:
        answers: dict[str, str] = {}
        path = f"content/producers/{producer_id}.md"
        phone = row.source.get("phone")
        if not phone:
            row.add("phone", f"the new producer '{name}' needs a phone number: add a "
                    f"'Điện thoại' column, or write {path} first (python build.py new "
                    "producer)", f"cơ sở mới '{name}' cần số điện thoại: hãy thêm cột "
                    f"'Điện thoại', hoặc tạo {path} trước (python build.py new producer)")
        elif not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 8:
            row.add("phone", f"'{phone}' is not a phone number (digits, spaces, + . - only)",
                    f"'{phone}' không phải số điện thoại (chỉ gồm chữ số, khoảng trắng, + . -)")
        else:
            answers["phone"] = phone
        address = row.source.get("address")
        if not address:
            row.add("address", f"the new producer '{name}' needs an address; add a 'Địa chỉ' "
                    "column", f"cơ sở mới '{name}' cần địa chỉ; hãy thêm cột 'Địa chỉ'")
        else:
            answers["address"] = address
        website = row.source.get("website")
        if website:
            if website.startswith(("https://", "http://")) and " " not in website:
                answers["website"] = website
            else:
                row.add("website", f"'{website}' must start with https://",
                        f"'{website}' phải bắt đầu bằng https://")
        return answers

    def _new(self, row: PlanRow, name: str, producer_id: str) -> NewProducer | None:
        path = f"content/producers/{producer_id}.md"
        before = len(row.messages)
        if not name:
            row.add("producer", f"no producer with the id '{producer_id}' in "
                    "content/producers/; write its name in the 'Chủ thể' column",
                    f"không có cơ sở mã '{producer_id}' trong content/producers/; hãy ghi "
                    "tên vào cột 'Chủ thể'")
            return None
        if not producer_id or producer_id in self.producers.ids:
            row.add("producer", f"{path} exists but could not be read; run check and fix it",
                    f"{path} đã có nhưng không đọc được; hãy chạy check và sửa")
            return None
        kind = self._type(row, name)
        answers = {"name": name, "slug": producer_id, "type": kind,
                   **self._contact(row, name, producer_id)}
        commune = row.commune()
        if any(m.blocks for m in row.messages[before:]) or kind is None or commune is None:
            return None
        answers["commune"] = commune.written
        content = render_file("producer", answers)
        for error in errors_in("producer", path, content):  # a safety net
            row.add(error.field, error.message_en, error.message_vi)
            return None
        return NewProducer(producer_id, path, content.encode("utf-8"), name, kind,
                           row.source.where.row)
