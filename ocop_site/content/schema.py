"""The front-matter schema: which keys exist, their types, and what to write instead.

Kept declarative so CONTRIBUTING, `new` and the validator read the same table.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import ErrorCollector, did_you_mean, nearest
from ..text.frontmatter import Document


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | int | number | date | bool | list | text_or_list | mapping | url | phone
    required: bool = False
    example: str = ""
    children: tuple["Field", ...] = ()


_KIND_NAMES = {
    "text": ("text", "văn bản"),
    "int": ("a whole number", "số nguyên"),
    "number": ("a number such as 21.45", "một số như 21.45"),
    "text_or_list": ("a list of lines", "danh sách các dòng"),
    "date": ("a date written YYYY-MM-DD", "ngày dạng YYYY-MM-DD"),
    "bool": ("true or false", "true hoặc false"),
    "list": ("a list", "danh sách"),
    "mapping": ("a group of indented fields", "nhóm trường thụt lề"),
    "url": ("a web address starting with https://", "địa chỉ web bắt đầu bằng https://"),
    "phone": ("a phone number in quotes", "số điện thoại trong dấu nháy"),
}

PRODUCT_FIELDS: tuple[Field, ...] = (
    Field("name", "text", True, "Chè xanh Đồng Thịnh"),
    Field("stars", "int", True, "4"),
    Field("category", "text", True, "che-tuoi-che-bien"),
    Field("commune", "text", True, "Đồng Thịnh"),
    Field("producer", "text", True, "htx-che-dong-thinh"),
    Field("certificate", "mapping", True, "", (
        Field("decision", "text", True, "123/QĐ-UBND"),
        Field("date", "date", True, "2023-05-12"),
        Field("issued_by", "text", False, "UBND tỉnh Phú Thọ"),
        Field("issuer_level", "text", False, "province"),
        Field("valid_until", "date", False, "2026-05-12"),
    )),
    Field("price", "int", False, "150000"),
    Field("unit", "text", False, "hộp 500g"),
    Field("images", "list", False, "[che-1.jpg]"),
    Field("summary", "text", False, "Chè búp xanh sao tay"),
    Field("slug", "text", False, "che-xanh-dong-thinh"),
    Field("featured", "bool", False, "true"),
    Field("draft", "bool", False, "false"),
    # online stores: [{platform: shopee, url: https://shopee.vn/…}], rules/platforms.yaml
    Field("buy_online", "list", False,
          "[{platform: shopee, url: 'https://shopee.vn/mat-ong-i.1.2'}]"),
)

PRODUCER_FIELDS: tuple[Field, ...] = (
    Field("name", "text", True, "Hợp tác xã Chè Đồng Thịnh"),
    Field("type", "text", True, "cooperative"),
    Field("commune", "text", True, "Đồng Thịnh"),
    Field("phone", "text", True, '"0900 000 101"'),
    Field("address", "text", True, "Thôn 1, xã Sông Lô, tỉnh Phú Thọ"),
    Field("website", "url", False, "https://example.org"),
    # the number the producer uses on Zalo: product pages link https://zalo.me/<digits>
    Field("zalo", "phone", False, '"0900 000 101"'),
    Field("image", "text", False, "images/htx.jpg"),
)

EVENT_FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "Hội chợ OCOP tỉnh Phú Thọ 2026"),
    Field("start", "date", True, "2026-12-10"),
    Field("end", "date", False, "2026-12-14"),
    Field("place", "text", True, "Quảng trường Hùng Vương, Việt Trì"),
    Field("products", "list", False, "[che-xanh-dong-thinh, mat-ong-hoa-rung-song-lo]"),
    Field("summary", "text", False, "Gian hàng chung của các sản phẩm OCOP Sông Lô"),
)

SHOP_FIELDS: tuple[Field, ...] = (
    Field("name", "text", True, "Điểm giới thiệu và bán sản phẩm OCOP huyện Sông Lô"),
    Field("kind", "text", True, "showroom"),
    Field("commune", "text", True, "Sông Lô"),
    Field("address", "text", True, "Thôn Đồng Tâm, xã Sông Lô, tỉnh Phú Thọ"),
    Field("geo", "mapping", False, "", (
        Field("lat", "number", True, "21.4497"),
        Field("lng", "number", True, "105.3934"),
    )),
    Field("phone", "phone", False, '"0900 000 201"'),
    Field("zalo", "phone", False, '"0900 000 201"'),
    Field("hours", "text_or_list", False, '["Mo-Fr 07:30-11:30,13:30-17:00"]'),
    Field("images", "list", False, "[images/showroom.jpg]"),
    Field("products", "list", True, "[mat-ong-hoa-rung-song-lo, che-xanh-dong-thinh]"),
)

# Sibling translation files `<name>.<lang>.md` hold only the text a reader reads; every
# other field (stars, price, dates, links) is the same in all languages and comes from
# the Vietnamese file.
PRODUCT_TEXT_FIELDS: tuple[Field, ...] = (
    Field("name", "text", False, "Đồng Thịnh green tea"),
    Field("summary", "text", False, "Hand-roasted green tea from the hills by the Lô River"),
    Field("unit", "text", False, "500 g box"),
)
PRODUCER_TEXT_FIELDS: tuple[Field, ...] = (
    Field("name", "text", False, "Đồng Thịnh Tea Cooperative"),
    Field("address", "text", False, "Đồng Tâm hamlet, Sông Lô commune, Phú Thọ province"),
)
EVENT_TEXT_FIELDS: tuple[Field, ...] = (
    Field("title", "text", False, "Phú Thọ OCOP Fair 2026"),
    Field("place", "text", False, "Hùng Vương Square, Việt Trì"),
    Field("summary", "text", False, "The Sông Lô area's shared stand"),
)

SHOP_TEXT_FIELDS: tuple[Field, ...] = (
    Field("name", "text", False, "Sông Lô OCOP showroom"),
    Field("address", "text", False, "Đồng Tâm hamlet, Sông Lô commune, Phú Thọ province"),
)

COMMUNE_FIELDS: tuple[Field, ...] = (
    Field("name", "text", True, "Sông Lô"),
    Field("slug", "text", False, "song-lo"),
    Field("name_en", "text", False, "Song Lo"),
    Field("code", "text", False, '"08848"'),
    Field("kind", "text", False, "xã"),
    Field("formed_from", "list", False, "[xã Đồng Thịnh, xã Tứ Yên]"),
    Field("aliases", "list", False, "[Như Thuỵ]"),
    Field("former_names", "list", False, "[Đồng Thịnh, Tứ Yên]"),
    Field("differs_from_official", "text", False, ""),
    Field("description", "text", False, ""),
    Field("description_en", "text", False, ""),
    Field("image", "text", False, "communes/images/song-lo.jpg"),
)


def _type_ok(kind: str, value: Any) -> bool:
    if kind in ("text", "url", "phone"):
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "text_or_list":
        return isinstance(value, (str, list))
    if kind == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list":
        return isinstance(value, list)
    if kind == "mapping":
        return isinstance(value, dict)
    raise ValueError(kind)


def _web_address(value: str) -> bool:
    """An http(s) URL with a host and nothing invisible in it: it becomes an href."""
    if any(char.isspace() or not char.isprintable() for char in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unbalanced '[' in the host
        return False


def phone_digits(value: str) -> str:
    """'0900 000 101' → '0900000101'; '' unless the text is a phone number as people write
    it (digits, spaces, + . - and brackets, 6 to 15 digits): it goes into a link."""
    if not re.fullmatch(r"\+?[0-9 .()-]+", value.strip()):
        return ""
    digits = re.sub(r"[^0-9]", "", value)
    return digits if 6 <= len(digits) <= 15 else ""


def _type_hint(field: Field, value: Any) -> tuple[str, str]:
    """Extra advice for the mistakes people actually make."""
    if field.kind in ("text", "phone") and isinstance(value, int) \
            and field.name in ("phone", "zalo"):
        return (" (write the phone number in quotes so its leading 0 is kept)",
                " (viết số điện thoại trong dấu nháy để giữ số 0 ở đầu)")
    if field.kind == "int" and isinstance(value, str):
        return (" (write digits only, without dots, spaces or 'đ')",
                " (chỉ viết chữ số, không có dấu chấm, khoảng trắng hay 'đ')")
    if field.kind == "int" and isinstance(value, float):
        return (" (no decimals, no thousands separator: 150000, not 150.000)",
                " (không có phần thập phân hay dấu phân cách: 150000, không phải 150.000)")
    if field.kind == "date" and isinstance(value, str):
        return (" (for example 2023-05-12)", " (ví dụ 2023-05-12)")
    return "", ""


def check_fields(
    doc: Document,
    fields: tuple[Field, ...],
    path: str,
    errors: ErrorCollector,
    data: dict[str, Any] | None = None,
    key_path: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Report unknown/missing/mistyped keys; return only the well-typed values."""
    data = doc.data if data is None else data
    by_name = {f.name: f for f in fields}
    clean: dict[str, Any] = {}
    for key, value in data.items():
        dotted = ".".join(key_path + (key,))
        line = doc.line_of(*key_path, key)
        spec = by_name.get(key)
        if spec is None:
            en, vi = did_you_mean(nearest(key, by_name))
            allowed = ", ".join(by_name)
            errors.add(path, line, dotted, f"unknown field '{key}'{en} (known fields: {allowed})",
                       f"trường '{key}' không có trong mẫu{vi} (các trường hợp lệ: {allowed})")
            continue
        if value is None and not spec.required:
            continue
        problem = _value_problem(spec, key, value)
        if problem is not None:
            errors.add(path, line, dotted, *problem)
            continue
        if spec.kind == "mapping" and spec.children:
            value = check_fields(doc, spec.children, path, errors, value, key_path + (key,))
        clean[key] = value.strip() if isinstance(value, str) else value
    for spec in fields:
        if spec.required and data.get(spec.name) is None:
            dotted = ".".join(key_path + (spec.name,))
            example = f"{spec.name}: {spec.example}" if spec.example else f"{spec.name}:"
            line = doc.line_of(*key_path) if key_path else 1
            errors.add(path, line, dotted,
                       f"required field is missing; add a line like '{example}'",
                       f"thiếu trường bắt buộc; hãy thêm dòng như '{example}'")
    return clean


def _value_problem(spec: Field, key: str, value: Any) -> tuple[str, str] | None:
    """What is wrong with a value written for `spec` (English, Vietnamese), if anything."""
    if not _type_ok(spec.kind, value):
        kind_en, kind_vi = _KIND_NAMES[spec.kind]
        hint_en, hint_vi = _type_hint(spec, value)
        example = f" e.g. {key}: {spec.example}" if spec.example else ""
        example_vi = f" ví dụ {key}: {spec.example}" if spec.example else ""
        return (f"must be {kind_en}, got {value!r}{hint_en};{example}",
                f"phải là {kind_vi}, đang ghi {value!r}{hint_vi};{example_vi}")
    if spec.kind in ("text", "url") and not value.strip() and spec.required:
        return "must not be empty", "không được để trống"
    if spec.kind == "phone" and not phone_digits(value):
        return (f"must be a phone number: digits, spaces, + . - only, e.g. "
                f"{key}: {spec.example} (got {value!r})",
                f"phải là số điện thoại: chỉ chữ số, khoảng trắng, + . -, ví dụ "
                f"{key}: {spec.example} (đang ghi {value!r})")
    if spec.kind == "url" and not value.strip().startswith(("https://", "http://")):
        return (f"must start with https:// (got {value!r})",
                f"phải bắt đầu bằng https:// (đang ghi {value!r})")
    if spec.kind == "url" and not _web_address(value.strip()):
        return (f"must be a full web address like https://example.org/, without "
                f"spaces (got {value!r})",
                f"phải là địa chỉ web đầy đủ như https://example.org/, không có "
                f"khoảng trắng (đang ghi {value!r})")
    return None

