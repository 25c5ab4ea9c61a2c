"""The table's rows → frozen records, each problem named by its row.

Rows that are not products are skipped and said so: blank rows, subtotals ("Tổng
cộng"), the row of column numbers under a Vietnamese table's header ("(1) (2) (3)"),
section headings ("I. THỰC PHẨM") and the signature block below the table.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..text import vietnamese
from . import values
from .headers import Header, match_label
from .messages import ATTENTION, INFO, RowMessage, Where
from .reading import Table, column_letter

# a field as problems name it: the content file's key where there is one
SHOWN = {"date": "certificate.date", "decision": "certificate.decision",
         "issued_by": "certificate.issued_by", "valid_until": "certificate.valid_until"}
TEXT_FIELDS = ("name", "producer", "producer_id", "address", "commune", "category",
               "decision", "issued_by", "phone", "producer_type", "unit", "summary", "slug",
               "website")


@dataclass(frozen=True)
class SheetRow:
    """A product row as the sheet gives it (only `given` fields were written in it)."""

    where: Where
    texts: Mapping[str, str]  # field → cleaned text, for the TEXT_FIELDS given
    stars: int | None = None
    score: float | None = None
    date: dt.date | None = None
    valid_until: dt.date | None = None
    price: int | None = None
    messages: tuple[RowMessage, ...] = ()

    def get(self, name: str) -> str:
        return self.texts.get(name, "")

    @property
    def usable(self) -> bool:
        return not any(m.blocks for m in self.messages)


@dataclass(frozen=True)
class Skipped:
    where: Where
    en: str
    vi: str


@dataclass(frozen=True)
class Defaults:
    """The certificate of every row that does not give its own: from the options, else
    from the title line above the table."""

    decision: str = ""
    date: dt.date | None = None
    issued_by: str = ""


@dataclass(frozen=True)
class Parsed:
    rows: tuple[SheetRow | Skipped, ...]
    defaults: Defaults
    notes: tuple[RowMessage, ...] = ()  # about the sheet as a whole
    columns: frozenset[str] = field(default_factory=frozenset)  # fields the sheet has


# "Tổng cộng", "Cộng: 12", "Tổng số 9 sản phẩm" — the word alone or before a number, so
# that a product named "Cồng chiêng …" is not taken for one
_SUBTOTAL = re.compile(r"(tong cong|tong so|tong|cong|total)\s*[:.\-]?\s*(\d.*)?")
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?|\(?[a-z]\)?")
_DECISION = re.compile(r"(?:Quyết\s*định|QĐ)\s*(?:số)?\s*:?\s*(\d+\s*/\s*[^\s,;)]+)", re.I)
_ISSUER = re.compile(r"\bcủa\s+(.+?)\s*(?:\)|$|,?\s+về\s+việc|,?\s+V/v)", re.I)
_ADDRESS_START = re.compile(
    r"\s*(?:[,;\n]|\s[-–]\s)\s*(?:địa chỉ\s*:?\s*)?(?=(?:thôn|xóm|xã|phường|thị trấn|khu|"
    r"tổ|tdp|số|đường|ấp|bản|làng|huyện|tỉnh)\b)", re.I)


def title_defaults(title: tuple[tuple[int, str], ...]) -> tuple[Defaults, int]:
    """'Kèm theo Quyết định số 245/QĐ-UBND ngày 15/3/2024 của UBND tỉnh Vĩnh Phúc' →
    the decision, its date and its signer, and the row it was read from (0: none)."""
    for number, line in title:
        found = _DECISION.search(line)
        if found:
            rest = line[found.end():]
            issuer = _ISSUER.search(rest)
            return Defaults(re.sub(r"\s+", "", found[1]), values.find_date(rest),
                            issuer[1].strip() if issuer else ""), number
    return Defaults(), 0


def _kind_of_row(cells: tuple[Any, ...], header: Header) -> tuple[str, str] | None:
    """(English, Vietnamese) reason when the row is not a product, else None."""
    written = [values.clean_text(v) for v in cells]
    filled = [w for w in written if w]
    name_column = header.columns["name"]
    name = written[name_column] if name_column < len(written) else ""
    if any(_SUBTOTAL.fullmatch(vietnamese.fold(w)) for w in filled[:3]) and (
            not name or _SUBTOTAL.fullmatch(vietnamese.fold(name))):
        return (f"subtotal row '{' '.join(filled)[:60]}'", f"dòng tổng '{' '.join(filled)[:60]}'")
    if len(filled) >= 3 and all(_COLUMN_NUMBER.fullmatch(vietnamese.fold(w)) for w in filled):
        return "the row of column numbers", "dòng đánh số cột"
    has = {f for f, c in header.columns.items() if c < len(written) and written[c]}
    if ("name" not in has and "stars" not in has) or (
            not has & {"stars", "producer", "producer_id"} and len(filled) <= 2):
        return (f"not a product row (a heading or a note): '{' '.join(filled)[:60]}'",
                f"không phải dòng sản phẩm (tiêu đề hoặc ghi chú): '{' '.join(filled)[:60]}'")
    return None


def _split_producer(raw: Any) -> tuple[str, str]:
    """'HTX Sông Lô Xanh, thôn 3, xã Đôn Nhân' (or the address on the cell's second
    line) → the name and the address, each cleaned."""
    written = str(raw).strip()
    first, _, rest = written.partition("\n")
    if rest.strip() and _ADDRESS_START.search("\n" + rest.strip()):
        return values.clean_text(first), values.clean_text(rest)
    found = _ADDRESS_START.search(written)
    if not found:
        return values.clean_text(written), ""
    return (values.clean_text(written[:found.start()]).strip(" ,;-–"),
            values.clean_text(written[found.end():]))


def _cell(cells: tuple[Any, ...], column: int | None) -> Any:
    return cells[column] if column is not None and column < len(cells) else None


def parse_row(number: int, cells: tuple[Any, ...], table: Table, header: Header
              ) -> SheetRow:
    where = Where(table.file, table.sheet, number)
    problems: list[RowMessage] = []
    texts: dict[str, str] = {}
    typed: dict[str, Any] = {}

    def problem(field_name: str, en: str, vi: str, severity: str = ATTENTION) -> None:
        problems.append(RowMessage(where, SHOWN.get(field_name, field_name), en, vi,
                                   severity))

    for field_name, column in header.columns.items():
        if field_name == "stt":  # the row's number in the list: read by nobody
            continue
        formula = table.formulas.get((number, column))
        if formula is not None:
            cell = f"{column_letter(column)}{number}"
            problem(field_name, f"cell {cell} holds the formula '{formula}' with no saved "
                    "value (formulas are never calculated here); open the file in Excel, "
                    "save it, and import again, or type the value",
                    f"ô {cell} chứa công thức '{formula}' chưa có giá trị đã lưu (công thức "
                    "không bao giờ được tính ở đây); hãy mở tệp bằng Excel, lưu lại rồi nhập "
                    "lại, hoặc gõ giá trị")
            continue
        raw = _cell(cells, column)
        try:
            if field_name in TEXT_FIELDS:
                written = values.clean_text(raw)
                if written:
                    texts[field_name] = written
            elif raw is not None and values.clean_text(raw):
                parse = {"stars": values.stars, "score": values.score, "date": values.date,
                         "valid_until": values.date, "price": values.price}.get(field_name)
                if parse is not None:
                    typed[field_name] = parse(raw)
        except values.Unreadable as exc:
            problem(field_name, exc.en, exc.vi)
    if header.producer_has_address and "producer" in texts:
        name, address = _split_producer(_cell(cells, header.columns["producer"]))
        texts["producer"] = name
        if address:
            texts["address"] = address
    stars = typed.get("stars")
    if stars is not None and stars not in (3, 4, 5):
        written = values.clean_text(_cell(cells, header.columns["stars"]))
        problem("stars", f"'{written}' — only 3★, 4★ and 5★ are certified; write 3, 4 or 5",
                f"'{written}' — chỉ sản phẩm 3, 4, 5 sao được công nhận; hãy ghi 3, 4 "
                "hoặc 5")
        stars = None
    points = typed.get("score")
    if points is not None and stars is not None and values.stars_for_score(points) != stars:
        band = values.stars_for_score(points)
        problem("score", f"{points:g} points is a {band}★ score, but the row says {stars}★; "
                "check which one is right", f"{points:g} điểm là mức {band} sao, nhưng dòng "
                f"ghi {stars} sao; hãy kiểm tra lại", INFO)
    if "name" not in texts:
        problem("name", "no product name; write it in the 'Tên sản phẩm' column",
                "thiếu tên sản phẩm; hãy ghi vào cột 'Tên sản phẩm'")
    return SheetRow(where, texts, stars, points, typed.get("date"), typed.get("valid_until"),
                    typed.get("price"), tuple(problems))


def _option_defaults(options: Defaults, title: Defaults) -> Defaults:
    return Defaults(options.decision or title.decision, options.date or title.date,
                    options.issued_by or title.issued_by)


def parse_rows(table: Table, header: Header, options: Defaults = Defaults()) -> Parsed:
    """Every row below the header: products, and the rows skipped with the reason."""
    title, title_row = title_defaults(header.title)
    notes = []
    where = Where(table.file, table.sheet, title_row)
    if title_row and (title.decision or title.date):
        used = _option_defaults(options, title)
        day = used.date.strftime("%d/%m/%Y") if used.date else "-"
        by_options = any((options.decision, options.date, options.issued_by))
        from_en = "the options and this title line" if by_options else "this title line"
        from_vi = "tùy chọn và dòng tiêu đề này" if by_options else "dòng tiêu đề này"
        notes.append(RowMessage(
            where, "certificate", f"rows without their own certificate get decision "
            f"{used.decision or '-'} of {day} ({used.issued_by or 'signer not given'}), from "
            f"{from_en}", f"các dòng không ghi giấy chứng nhận dùng quyết định "
            f"{used.decision or '-'} ngày {day} ({used.issued_by or 'không ghi nơi cấp'}), "
            f"lấy từ {from_vi}", INFO))
    for column in header.unused:
        label = header.labels[column]
        named = match_label(label)
        source = header.columns.get(named[0]) if named else None
        why_en = why_vi = ""
        if source is not None:  # catalogue.csv's category_code beside its category_id
            why_en = f" (column {column_letter(source)} '{header.labels[source]}' gives it)"
            why_vi = f" (đã lấy từ cột {column_letter(source)} '{header.labels[source]}')"
        notes.append(RowMessage(
            Where(table.file, table.sheet, header.row), "columns",
            f"column {column_letter(column)} '{label}' is not read{why_en}",
            f"cột {column_letter(column)} '{label}' không được đọc{why_vi}", INFO))
    rows: list[SheetRow | Skipped] = []
    previous = header.row
    for number, cells in table.rows:
        if number <= header.row:
            continue
        for blank in range(previous + 1, number):
            rows.append(Skipped(Where(table.file, table.sheet, blank), "blank row",
                                "dòng trống"))
        previous = number
        formulas = any(key[0] == number for key in table.formulas) if table.formulas else False
        reason = None if formulas else _kind_of_row(cells, header)
        if reason is not None:
            rows.append(Skipped(Where(table.file, table.sheet, number), *reason))
            continue
        rows.append(parse_row(number, cells, table, header))
    return Parsed(tuple(rows), _option_defaults(options, title), tuple(notes),
                  frozenset(header.columns))
