"""Where the table starts and what each column holds, found rather than assumed.

A decision's list has title rows above the table ("DANH SÁCH SẢN PHẨM…", "(Kèm theo
Quyết định số …)"), headers written a dozen ways, with or without diacritics, in any
order, sometimes over two rows under a merged cell ("Chủ thể" over "Tên" and "Địa
chỉ"). Every row near the top is scored by how many known columns it names; the best
wins. A merged cell is read as streaming readers see it: its text in the first column,
empty cells after it, so a top cell with sub-headers below it is spread over them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ..text import vietnamese

SEARCH_ROWS = 30  # the header is within the first rows holding a value
MIN_FIELDS = 3  # the product's name and at least two more known columns

# folded label → (field, priority): a higher priority wins when two columns name one
# field (catalogue.csv has category_id, category_code and category_name)
_ALIASES: dict[str, tuple[str, int]] = {}


def _add(field_name: str, labels: str, priority: int = 2) -> None:
    for label in labels.split("|"):
        _ALIASES[label] = (field_name, priority)


_add("stt", "stt|tt|so tt|so thu tu")
_add("name", "ten san pham|san pham|ten sp|ten hang hoa|ten san pham dich vu|"
             "san pham dich vu|name")
_add("producer", "chu the|ten chu the|don vi|ten don vi|chu the san xuat|"
                 "ten chu the san xuat|co so|ten co so|co so san xuat|don vi san xuat|"
                 "chu the ten|chu the ten chu the|chu the kinh te|ten chu the kinh te|"
                 "chu the san pham|ten chu the san pham|producer name|chu the ten dia chi|"
                 "ten va dia chi chu the|chu the ten va dia chi|ten dia chi chu the|"
                 "chu the va dia chi")
_add("producer_id", "producer id")
_add("address", "dia chi|dia chi chu the|chu the dia chi|dia chi san xuat|dia chi co so|"
                "producer address")
_add("commune", "xa|xa phuong|xa phuong thi tran|dia ban|commune as written|commune")
_add("stars", "hang sao|so sao|xep hang|hang|sao|ket qua xep hang|xep hang sao|"
              "ket qua danh gia|ket qua danh gia xep hang|hang san pham|phan hang|"
              "ket qua phan hang|stars")
_add("score", "diem|tong diem|diem danh gia|diem so|so diem|diem dat|score")
_add("category", "nhom san pham|nhom|bo san pham|phan nhom|nganh hang|nhom nganh|"
                 "nhom nganh hang|phan loai|category")
_add("category", "category id", 3)
_add("category", "category name", 1)
_add("category", "category code", 0)
_add("decision", "so qd|so quyet dinh|quyet dinh|so qd cong nhan|quyet dinh cong nhan|"
                 "quyet dinh so|qd so|so hieu quyet dinh|quyet dinh cong nhan so|"
                 "certificate decision")
_add("date", "ngay|ngay qd|ngay quyet dinh|ngay cap|ngay ky|ngay cong nhan|ngay ban hanh|"
             "quyet dinh ngay|quyet dinh cong nhan ngay|certificate date")
_add("issued_by", "co quan cap|cap cong nhan|co quan cong nhan|don vi cap|noi cap|"
                  "cap quyet dinh|certificate issued by")
_add("valid_until", "hieu luc den|ngay het han|co hieu luc den|certificate valid until")
_add("phone", "dien thoai|so dien thoai|sdt|dt|dien thoai lien he|producer phone")
_add("producer_type", "loai hinh|loai hinh chu the|loai hinh to chuc|producer type")
_add("price", "gia|gia ban|gia vnd|gia dong|price vnd|price")
_add("unit", "don vi tinh|quy cach|dvt|quy cach dong goi|unit")
_add("summary", "mo ta|mo ta ngan|tom tat|summary")
_add("slug", "slug")
_add("website", "trang web|website|producer website")
# known, read by nobody: catalogue.csv's derived columns, notes
_add("-", "ghi chu|note|url|image url|qr code url|commune slug|commune name|"
          "certificate expired|name en|summary en|unit en|url en", 0)

_PARENTHESES = re.compile(r"\([^)]*\)")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _folded(label: str) -> str:
    return _NON_WORD.sub(" ", vietnamese.fold(label)).strip()


def match_label(label: Any) -> tuple[str, int] | None:
    """(field, priority) that a header cell names, or None."""
    if label is None:
        return None
    written = " ".join(str(label).split())
    if not written:
        return None
    for variant in (written, _PARENTHESES.sub(" ", written)):
        folded = _folded(variant)
        for candidate in (folded, re.sub(r"\s*\bocop\b\s*", " ", folded).strip()):
            if candidate in _ALIASES:
                return _ALIASES[candidate]
    return None


@dataclass(frozen=True)
class Header:
    """The table's header: its last row, which column holds each field, the title lines
    above it (where a decision's number and date are often written)."""

    row: int
    columns: Mapping[str, int]
    labels: Mapping[int, str]  # column → the header as written
    unused: tuple[int, ...] = ()  # columns with a header nobody reads
    title: tuple[tuple[int, str], ...] = ()  # (row, its text)
    producer_has_address: bool = False  # no address column: the producer's cell has it
    rows: tuple[int, ...] = field(default=())  # the header's own rows


def _label(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _assign(labels: Sequence[str]) -> tuple[dict[str, int], list[int], dict[int, str]]:
    """Field → column for one candidate header (the best-priority column per field)."""
    chosen: dict[str, tuple[int, int]] = {}
    unknown, shown = [], {}
    for column, label in enumerate(labels):
        if not label:
            continue
        shown[column] = label
        found = match_label(label)
        if found is None:
            unknown.append(column)
            continue
        field_name, priority = found
        if field_name == "-":
            continue
        if field_name not in chosen or priority > chosen[field_name][1]:
            if field_name in chosen:
                unknown.append(chosen[field_name][0])
            chosen[field_name] = (column, priority)
        else:
            unknown.append(column)
    return {f: c for f, (c, _) in chosen.items()}, sorted(unknown), shown


def _score(columns: Mapping[str, int]) -> int:
    counted = set(columns) - {"stt"}
    return len(counted) if "name" in counted and len(counted) >= MIN_FIELDS else 0


def _two_row_labels(top: Sequence[Any], bottom: Sequence[Any]) -> list[str]:
    """Each column's label from a header over two rows: a top cell over sub-headers is
    spread over them; a cell with nothing below it (merged down) stands alone."""
    width = max(len(top), len(bottom))
    tops = [_label(top[i]) if i < len(top) else "" for i in range(width)]
    bottoms = [_label(bottom[i]) if i < len(bottom) else "" for i in range(width)]
    spread = list(tops)
    for i in range(1, width):
        if not spread[i] and bottoms[i] and bottoms[i - 1] and spread[i - 1]:
            spread[i] = spread[i - 1]
    labels = []
    for top_label, bottom_label in zip(spread, bottoms):
        joined = f"{top_label} {bottom_label}".strip()
        if match_label(joined) or not bottom_label:
            labels.append(joined)
        else:
            labels.append(bottom_label)
    return labels


def find_header(rows: Sequence[tuple[int, tuple[Any, ...]]]) -> Header | None:
    """The best header among the first SEARCH_ROWS rows, or None when no row names the
    product and at least two other known columns."""
    best: tuple[int, int, int, list[str]] | None = None  # score, index, height, labels
    candidates = list(rows[:SEARCH_ROWS])
    singles = [[_label(v) for v in values] for _, values in candidates]
    scores = [_score(_assign(labels)[0]) for labels in singles]
    for index, labels in enumerate(singles):
        options = [(scores[index], 1, labels)]
        if index + 1 < len(candidates):
            pair = _two_row_labels(candidates[index][1], candidates[index + 1][1])
            score = _score(_assign(pair)[0])
            # two rows only when they name more than either row alone (a title row
            # above a header would otherwise be glued to it)
            if score > max(scores[index], scores[index + 1]):
                options.append((score, 2, pair))
        for score, height, option in options:
            if score and (best is None or score > best[0]):
                best = (score, index, height, option)
    if best is None:
        return None
    _, index, height, labels = best
    columns, unknown, shown = _assign(labels)
    header_rows = tuple(number for number, _ in candidates[index:index + height])
    title = tuple((number, " ".join(_label(v) for v in values if _label(v)))
                  for number, values in candidates[:index])
    # without an address column, the producer's cell may hold the address too: "Chủ
    # thể (tên, địa chỉ)", or a list that simply writes it after the name
    combined = "address" not in columns and "producer" in columns
    return Header(header_rows[-1], columns, shown, tuple(unknown), title, combined,
                  header_rows)


def holds_list(first_rows: list[tuple[Any, ...]]) -> bool:
    """For choosing among a workbook's sheets: does this one start with a list?"""
    return find_header([(i, row) for i, row in enumerate(first_rows, 1)]) is not None
