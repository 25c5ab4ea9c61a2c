"""The checks of `new shop`'s own answers: its kind (a key, a number or its name in
either language, `?` lists them), its Zalo number and its opening hours, each line read
by content/hours.py's parser (the one `check` uses), so a file of accepted answers is one
`check` accepts. The other answers (name, id, commune, phone, products) are checked as a
product's, a producer's and an event's are (scaffold/questions.py)."""
from __future__ import annotations

import re

from ..content.hours import EXAMPLE, HoursError, parse_rule
from ..content.models import SHOP_KINDS
from ..content.schema import phone_digits
from ..errors import nearest
from ..text import vietnamese
from .known import SHOP_KIND_NAMES, Context, Invalid, Known, suggested


def _text(raw: str) -> str:
    value = " ".join(raw.split())
    if not value:
        raise Invalid("must not be empty", "không được để trống")
    return value


def shop_kind(raw: str, ctx: Context) -> str:
    """'showroom', '1', 'Siêu thị', 'sieu thi' or 'supermarket' → the kind's key."""
    value = _text(raw)
    keys = {vietnamese.fold(k): k for k in SHOP_KINDS}
    for key, (vi, en) in SHOP_KIND_NAMES.items():
        keys[vietnamese.fold(vi)] = keys[vietnamese.fold(en)] = key
    keys.update({str(i): k for i, k in enumerate(SHOP_KINDS, 1)})
    found = keys.get(vietnamese.fold(value))
    if found is None:
        near = nearest(vietnamese.fold(value), keys)
        en, vi = suggested(keys[near] if near else None)
        raise Invalid(f"unknown kind '{value}'{en} (one of: {', '.join(SHOP_KINDS)}; "
                      "type ? for the list)",
                      f"loại '{value}' không hợp lệ{vi} (chọn một trong: "
                      f"{', '.join(SHOP_KINDS)}; gõ ? để xem)", keys[near] if near else None)
    return found


def shop_kind_choices(known: Known) -> list[str]:
    return [f"{i}. {k} — {SHOP_KIND_NAMES[k][0]} / {SHOP_KIND_NAMES[k][1]}"
            for i, k in enumerate(SHOP_KINDS, 1)]


def zalo(raw: str, ctx: Context) -> str:
    """A phone number as `check` takes one for Zalo: 6 to 15 digits (schema.phone_digits)."""
    value = _text(raw)
    if not phone_digits(value):
        raise Invalid(f"'{value}' is not a Zalo number (6 to 15 digits, spaces, + . - only)",
                      f"'{value}' không phải số Zalo (6 đến 15 chữ số, khoảng trắng, + . -)")
    return value


_LINES = re.compile(r"\s*[;\n]\s*")


def hours(raw: str, ctx: Context) -> list[str]:
    """Opening hours, one rule a line: lines separated by ';' on one prompt or option
    ('Mo-Fr 07:30-17:00; Sa 08:00-12:00'); each checked by the parser `check` uses, the
    first bad one reported with an example."""
    lines = [" ".join(line.split()) for line in _LINES.split(raw.strip()) if line.strip()]
    if not lines:
        raise Invalid(f"must not be empty; e.g. '{EXAMPLE}'",
                      f"không được để trống; ví dụ '{EXAMPLE}'")
    for number, line in enumerate(lines, 1):
        try:
            parse_rule(line)
        except HoursError as exc:
            which_en = f"line {number}: " if len(lines) > 1 else ""
            which_vi = f"dòng {number}: " if len(lines) > 1 else ""
            raise Invalid(which_en + exc.en + "; separate lines with ';'",
                          which_vi + exc.vi + "; các dòng cách nhau bằng dấu ';'") from None
    return lines
