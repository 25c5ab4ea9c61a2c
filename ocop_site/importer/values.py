"""One cell → one value, the way officials write it: stars as 3, "3 sao", "3★", "★★★",
"Ba sao"; dates as Excel dates, 15/3/2024 or "ngày 15 tháng 3 năm 2024"; prices as
"150.000 đ". Each parser returns the value or raises Unreadable with what to write.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import InvalidInput
from ..text import vietnamese
from ..text.frontmatter import FrontMatterError, nfc_bounded

# C0/C1 controls (a cell's Alt+Enter line break included) become spaces: a name or an
# address is one line of text in a content file
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class Unreadable(InvalidInput, ValueError):
    """A cell that cannot be read as its field: `en` and `vi` say what to write."""


def clean_text(value: Any) -> str:
    """A cell as one line of NFC text ('' for an empty cell). Whole numbers stored as
    floats (Excel stores every number so) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%d/%m/%Y")
    written = " ".join(_CONTROLS.sub(" ", str(value)).split())
    try:
        return nfc_bounded(written, lambda _: 0, "text")
    except FrontMatterError as exc:
        raise Unreadable(exc.en, exc.vi) from None


_NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
                 "bay": 7}
_STARS = re.compile(r"(\d+|[a-z]+)\s*(?:sao|stars?|\*|★)?(?:\s*ocop)?")
_STAR_GLYPHS = re.compile(r"[★⭐*]+")


def stars(value: Any) -> int:
    """3, 3.0, '3', '3 sao', '3★', '★★★', 'Ba sao' → 3; any other number is returned
    for the caller to refuse (only 3, 4 and 5 are certified)."""
    if isinstance(value, bool):
        raise _bad_stars(str(value))
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    written = clean_text(value)
    if _STAR_GLYPHS.fullmatch(written.replace(" ", "")):
        return len(written.replace(" ", ""))
    match = _STARS.fullmatch(vietnamese.fold(written))
    if match:
        word = match[1]
        if word.isdigit():
            return int(word)
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    raise _bad_stars(written)


def _bad_stars(written: str) -> Unreadable:
    return Unreadable(f"'{written}' — write 3, 4 or 5", f"'{written}' — hãy ghi 3, 4 hoặc 5")


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_WORDS_DATE = re.compile(r"(?:ngay\s*)?(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date:
    """An Excel date, an Excel day number, YYYY-MM-DD, dd/mm/yyyy (the Vietnamese order)
    or 'ngày 15 tháng 3 năm 2024'."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and 20_000 <= value <= 80_000:  # a date cell saved without its format
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    written = clean_text(value)
    folded = vietnamese.fold(written)
    try:
        match = _DMY.fullmatch(folded) or _WORDS_DATE.fullmatch(folded)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(written)
    except ValueError:
        raise Unreadable(f"'{written}' is not a date; write it dd/mm/yyyy, e.g. 15/03/2024",
                         f"'{written}' không phải ngày; hãy ghi dạng ngày/tháng/năm, ví dụ "
                         "15/03/2024") from None


def find_date(written: str) -> dt.date | None:
    """The first date inside a sentence ('… ngày 15/3/2024 của UBND …')."""
    folded = vietnamese.fold(written)
    for pattern in (_DMY, _WORDS_DATE):
        match = pattern.search(folded)
        if match:
            try:
                return dt.date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                return None
    return None


def score(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    written = clean_text(value).replace(",", ".")
    try:
        return float(written)
    except ValueError:
        raise Unreadable(f"score '{written}' is not a number",
                         f"điểm '{written}' không phải là số") from None


def stars_for_score(points: float) -> int:
    """Decision 148/QĐ-TTg's bands: 90-100 5★, 70-89 4★, 50-69 3★, 30-49 2★, < 30 1★."""
    for floor, rating in ((90, 5), (70, 4), (50, 3), (30, 2)):
        if points >= floor:
            return rating
    return 1


_PRICE = re.compile(r"\d+|\d{1,3}(?:[.,\s]\d{3})+")
_CURRENCY = re.compile(r"\s*(đ|₫|vnđ|vnd|đồng)\s*$", re.I)


def price(value: Any) -> int:
    """Whole đồng: 150000, 150000.0, '150.000 đ'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and \
            float(value).is_integer() and value >= 0:
        return int(value)
    written = clean_text(value)
    digits = _CURRENCY.sub("", written)
    if not _PRICE.fullmatch(digits):
        raise Unreadable(f"price '{written}' is not a whole number of đồng; write e.g. 150000",
                         f"giá '{written}' không phải số đồng; hãy ghi ví dụ 150000")
    return int(re.sub(r"\D", "", digits))
