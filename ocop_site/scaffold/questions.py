"""The questions of `new`, each beside the check of its answer: QUESTIONS and the parser
of every field above it, so what `new` asks and what it accepts are read in one place.
Each check uses the loader's own rules (content/lookup.py), so a file made of accepted
answers is one `check` accepts."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..content.lookup import (
    find_category,
    find_commune,
    find_producer,
    near_category,
    near_commune,
    near_producer,
)
from ..content.models import PRODUCER_TYPES, Category
from ..errors import nearest
from ..text import vietnamese
from .known import FOLDERS, PRODUCER_TYPE_NAMES, Context, Invalid, Known, suggested
from .shopquestions import hours, shop_kind, shop_kind_choices, zalo

Parse = Callable[[str, Context], Any]


@dataclass(frozen=True)
class Question:
    key: str  # front-matter key, dotted for nested ones ("certificate.date"); "body"
    option: str  # command-line option, without "--"
    vi: str  # label
    en: str
    parse: Parse
    required: bool = False
    hint: str = ""  # after the label, e.g. "3, 4, 5"
    asked: bool = True  # False: command-line option only
    default: Callable[[Context], str | None] | None = None
    choices: Callable[[Known], list[str]] | None = None  # listed when "?" is typed


def _text(raw: str, ctx: Context) -> str:
    value = " ".join(raw.split())
    if not value:
        raise Invalid("must not be empty", "không được để trống")
    return value


def _commune(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    if find_commune(ctx.known.commune_index, value) is None:
        near = near_commune(ctx.known.communes, value)
        en, vi = suggested(near)
        raise Invalid(f"unknown commune '{value}'{en} (communes are listed in "
                      "content/data/communes.yaml)",
                      f"không có xã '{value}'{vi} (danh sách xã ở content/data/communes.yaml)",
                      near)
    return value  # as written: a former name is shown as the product's place of origin


def _commune_choices(known: Known) -> list[str]:
    lines = []
    for commune in known.communes:
        former = f" (trước đây / formerly: {', '.join(commune.former_names)})" \
            if commune.former_names else ""
        lines.append(commune.name + former)
    return lines


def _leaves(known: Known) -> list[Category]:
    return [c for c in known.categories.values() if not c.children]


def _category(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    categories = ctx.known.categories
    by_code = {c.code: c.id for c in categories.values() if c.code}
    found = find_category(ctx.known.category_index, value) or by_code.get(value)
    if found is None:
        near = near_category(categories, value)
        if near is None:  # typed a name: compare with the names, without diacritics
            names = {c.name: c.id for c in _leaves(ctx.known)}
            near_name = nearest(value, names, key=vietnamese.fold)
            near = names[near_name] if near_name else None
        en, vi = suggested(near)
        raise Invalid(f"unknown category '{value}'{en} (type ? for the list)",
                      f"không có nhóm '{value}'{vi} (gõ ? để xem danh sách)", near)
    if categories[found].children:
        leaves, stack = [], [found]
        while stack:  # the product sets under it, in file order
            node = categories[stack.pop(0)]
            stack[:0] = node.children
            if not node.children:
                leaves.append(node.id)
        children = ", ".join(leaves[:6]) + (", …" if len(leaves) > 6 else "")
        leaf = leaves[0] if leaves else None
        raise Invalid(f"'{value}' is a {categories[found].level}; choose one of its product "
                      f"sets: {children}",
                      f"'{value}' là nhóm lớn; hãy chọn một bộ sản phẩm trong đó: {children}",
                      leaf)
    return found


def _category_choices(known: Known) -> list[str]:
    return [f"{c.id} — {c.code} {c.name}".replace("  ", " ") for c in _leaves(known)]


def _producer(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    known = ctx.known
    found = find_producer(known.producer_ids, value)
    if found is None:  # the producer's name works too; the file gets its id
        by_name = {vietnamese.identity_key(name): pid for pid, name in known.producer_names.items()}
        found = by_name.get(vietnamese.identity_key(value))
    if found is None:
        near = near_producer(known.producer_ids, value)
        partial = [pid for pid in sorted(known.producer_ids) if vietnamese.slugify(value) in pid]
        if near is None and len(partial) == 1:  # "htx" when there is one cooperative
            near = partial[0]
        if near is None:
            near_name = nearest(value, known.producer_names.values(), key=vietnamese.fold)
            near = next((pid for pid, name in known.producer_names.items()
                         if name == near_name), None)
        en, vi = suggested(near)
        raise Invalid(f"unknown producer '{value}'{en} (the id is the file name in "
                      "content/producers/ without .md; `new producer` adds one)",
                      f"không có cơ sở sản xuất '{value}'{vi} (id là tên tệp trong "
                      "content/producers/ không có .md; `new producer` để thêm cơ sở)", near)
    return found


def _producer_choices(known: Known) -> list[str]:
    return [f"{pid} — {known.producer_names.get(pid, '')}".rstrip(" —")
            for pid in sorted(known.producer_ids)]


_STARS = re.compile(r"([345])\s*(sao|stars?|★)?", re.I)


def _stars(raw: str, ctx: Context) -> int:
    value = raw.strip()
    match = _STARS.fullmatch(value) if value else None
    if match is None:
        raise Invalid(f"must be 3, 4 or 5 (got '{value}'); only 3★ and above are certified",
                      f"phải là 3, 4 hoặc 5 (đang ghi '{value}'); chỉ sản phẩm từ 3 sao trở "
                      "lên được công nhận")
    return int(match[1])


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _date(raw: str, ctx: Context) -> dt.date:
    """YYYY-MM-DD, or the dd/mm/yyyy people write in Vietnam (written back as YYYY-MM-DD)."""
    value = raw.strip()
    try:
        match = _DMY.fullmatch(value)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"'{value}' is not a date; write YYYY-MM-DD, e.g. 2023-05-12",
                      f"'{value}' không phải ngày; hãy viết YYYY-MM-DD, ví dụ 2023-05-12"
                      ) from None


def _certificate_date(raw: str, ctx: Context) -> dt.date:
    day = _date(raw, ctx)
    if day > ctx.known.today:
        raise Invalid(f"{day.isoformat()} is in the future; write the date the decision "
                      "was signed",
                      f"{day.isoformat()} là ngày trong tương lai; hãy ghi ngày ký quyết định")
    return day


def _valid_until(raw: str, ctx: Context) -> dt.date:
    day = _date(raw, ctx)
    signed = ctx.answers.get("certificate.date")
    if signed is not None and day <= signed:
        raise Invalid("must be after the certificate date", "phải sau ngày cấp giấy chứng nhận")
    return day


def _end(raw: str, ctx: Context) -> dt.date:
    day = _date(raw, ctx)
    start = ctx.answers.get("start")
    if start is not None and day < start:
        raise Invalid(f"ends ({day.isoformat()}) before it starts ({start.isoformat()})",
                      f"ngày kết thúc ({day.isoformat()}) trước ngày bắt đầu "
                      f"({start.isoformat()})")
    return day


_PRICE = re.compile(r"\d+|\d{1,3}(?:[.,\s]\d{3})+")
_CURRENCY = re.compile(r"\s*(đ|₫|vnđ|vnd|đồng|dong)\s*$", re.I)


def _price(raw: str, ctx: Context) -> int:
    """Whole VND; '150.000 đ' is understood and written as 150000."""
    value = _CURRENCY.sub("", raw.strip())
    if not _PRICE.fullmatch(value):
        raise Invalid(f"'{raw.strip()}' is not a price in đồng; write digits, e.g. 150000",
                      f"'{raw.strip()}' không phải giá tiền; hãy viết chữ số, ví dụ 150000")
    return int(re.sub(r"\D", "", value))


def _phone(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    if not re.fullmatch(r"[0-9+().\-\s]+", value) or sum(c.isdigit() for c in value) < 8:
        raise Invalid(f"'{value}' is not a phone number (digits, spaces, + . - only)",
                      f"'{value}' không phải số điện thoại (chỉ gồm chữ số, khoảng trắng, "
                      "+ . -)")
    return value


def _website(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    if not value.startswith(("https://", "http://")) or " " in value:
        fixed = "https://" + value.split("://", 1)[-1].replace(" ", "")
        raise Invalid(f"must start with https:// (got '{value}')",
                      f"phải bắt đầu bằng https:// (đang ghi '{value}')", fixed)
    return value


def _producer_type(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    keys = {vietnamese.fold(k.replace("_", " ")): k for k in PRODUCER_TYPES}
    keys.update({vietnamese.fold(name): k for k, name in PRODUCER_TYPE_NAMES.items()})
    keys.update({str(i): k for i, k in enumerate(PRODUCER_TYPES, 1)})
    found = keys.get(vietnamese.fold(value.replace("_", " ")))
    if found is None:
        near = nearest(vietnamese.fold(value), keys)
        en, vi = suggested(keys[near] if near else None)
        raise Invalid(f"unknown type '{value}'{en} (one of: {', '.join(PRODUCER_TYPES)})",
                      f"loại '{value}' không hợp lệ{vi} (chọn một trong: "
                      f"{', '.join(PRODUCER_TYPES)})", keys[near] if near else None)
    return found


def _type_choices(known: Known) -> list[str]:
    return [f"{i}. {k} — {PRODUCER_TYPE_NAMES[k]}" for i, k in enumerate(PRODUCER_TYPES, 1)]


def _event_products(raw: str, ctx: Context) -> list[str]:
    items = [item.strip() for item in raw.split(",") if item.strip()]
    refs = ctx.known.product_refs
    slugs: list[str] = []
    for item in items:
        slug = refs.get(vietnamese.slugify(item))
        if slug is None:
            near_ref = nearest(vietnamese.slugify(item), sorted(refs))
            near = refs[near_ref] if near_ref else None
            en, vi = suggested(near)
            fixed = ", ".join(near if other == item else other for other in items) \
                if near else None
            raise Invalid(f"unknown product '{item}'{en} (write the product's slug: the last "
                          "part of its address, san-pham/<slug>/; separate several with commas)",
                          f"không có sản phẩm '{item}'{vi} (ghi slug của sản phẩm: phần cuối "
                          "địa chỉ san-pham/<slug>/; nhiều sản phẩm cách nhau bằng dấu phẩy)",
                          fixed)
        if slug not in slugs:
            slugs.append(slug)
    return slugs


def _product_choices(known: Known) -> list[str]:
    return sorted(set(known.product_refs.values()))


def _file_taken(kind: str, slug: str, known: Known) -> Invalid | None:
    if slug not in known.taken.get(kind, frozenset()):
        return None
    path = f"content/{FOLDERS[kind]}/{slug}.md"
    what_en = {"product": "a product with the address san-pham/", "producer": "the producer id ",
               "event": "the event address su-kien/", "shop": "the shop address cua-hang/"
               }[kind]
    return Invalid(f"{what_en}{slug} is already used ({path} or another file); choose "
                   "another name — an existing file is never overwritten",
                   f"'{slug}' đã được dùng ({path} hoặc tệp khác); hãy chọn tên khác — tệp đã "
                   "có không bao giờ bị ghi đè")


def _name(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    slug = vietnamese.slugify(value)
    if not slug:
        raise Invalid("the name gives an empty web address; use letters or digits",
                      "tên không tạo được địa chỉ web; hãy dùng chữ cái hoặc chữ số")
    if ctx.kind == "product" and "slug" not in ctx.given:
        taken = _file_taken("product", slug, ctx.known)
        if taken is not None:
            raise taken
    return value


def _slug(raw: str, ctx: Context) -> str:
    value = raw.strip()
    fixed = vietnamese.slugify(value)
    if not fixed:
        raise Invalid("must not be empty", "không được để trống")
    if fixed != value:
        raise Invalid(f"use only a-z, 0-9 and '-': '{fixed}'",
                      f"chỉ dùng a-z, 0-9 và '-': '{fixed}'", fixed)
    taken = _file_taken(ctx.kind, value, ctx.known)
    if taken is not None:
        raise taken
    return value


def _slug_default(name_key: str) -> Callable[[Context], str | None]:
    def default(ctx: Context) -> str | None:
        return vietnamese.slugify(ctx.answers.get(name_key, "")) or None
    return default


_DESCRIPTION = Question("body", "description", "Mô tả (một đoạn, có thể bỏ trống)",
                        "Description (one paragraph, may be left empty)", _text)

QUESTIONS: dict[str, tuple[Question, ...]] = {
    "product": (
        Question("name", "name", "Tên sản phẩm", "Product name", _name, True,
                 "vd. Chè xanh Đồng Thịnh"),
        Question("slug", "slug", "Địa chỉ (slug)", "Address (slug)", _slug, asked=False),
        Question("commune", "commune", "Xã", "Commune", _commune, True,
                 "tên xã hiện nay hoặc trước 2025", choices=_commune_choices),
        Question("category", "category", "Bộ sản phẩm", "Product set", _category, True,
                 "id, tên hoặc mã; ? để xem", choices=_category_choices),
        Question("producer", "producer", "Cơ sở sản xuất", "Producer", _producer, True,
                 "id hoặc tên; ? để xem", choices=_producer_choices),
        Question("stars", "stars", "Hạng sao", "Stars", _stars, True, "3, 4, 5"),
        Question("certificate.decision", "decision", "Số quyết định công nhận",
                 "Certificate decision number", _text, True, "vd. 123/QĐ-UBND"),
        Question("certificate.date", "date", "Ngày ký quyết định", "Date signed",
                 _certificate_date, True, "YYYY-MM-DD"),
        Question("certificate.issued_by", "issued-by", "Cơ quan cấp", "Issued by", _text,
                 hint="vd. UBND tỉnh Phú Thọ"),
        Question("certificate.valid_until", "valid-until", "Hiệu lực đến (bỏ trống: 36 tháng)",
                 "Valid until (empty: 36 months)", _valid_until, hint="YYYY-MM-DD",
                 asked=False),
        Question("price", "price", "Giá (đồng)", "Price (VND)", _price, hint="vd. 150000"),
        Question("unit", "unit", "Đơn vị bán", "Unit", _text, hint="vd. hộp 500g"),
        Question("summary", "summary", "Tóm tắt (một câu)", "Summary (one sentence)", _text),
        _DESCRIPTION,
    ),
    "producer": (
        Question("name", "name", "Tên cơ sở", "Producer name", _name, True,
                 "vd. Hợp tác xã Chè Đồng Thịnh"),
        Question("slug", "id", "Mã cơ sở (tên tệp)", "Producer id (file name)", _slug, True,
                 default=_slug_default("name")),
        Question("type", "type", "Loại hình", "Type", _producer_type, True,
                 "1-4; ? để xem", choices=_type_choices),
        Question("commune", "commune", "Xã", "Commune", _commune, True,
                 "tên xã hiện nay hoặc trước 2025", choices=_commune_choices),
        Question("phone", "phone", "Điện thoại", "Phone", _phone, True, "vd. 0900 000 101"),
        Question("address", "address", "Địa chỉ", "Address", _text, True,
                 "vd. Thôn 1, xã Sông Lô, tỉnh Phú Thọ"),
        Question("website", "website", "Trang web", "Website", _website, hint="https://…"),
        _DESCRIPTION,
    ),
    "event": (
        Question("title", "title", "Tên sự kiện", "Event title", _name, True,
                 "vd. Hội chợ OCOP tỉnh Phú Thọ 2026"),
        Question("slug", "id", "Mã sự kiện (tên tệp)", "Event id (file name)", _slug, True,
                 default=_slug_default("title")),
        Question("start", "start", "Ngày bắt đầu", "Start date", _date, True, "YYYY-MM-DD"),
        Question("end", "end", "Ngày kết thúc (bỏ trống: một ngày)",
                 "End date (empty: one day)", _end, hint="YYYY-MM-DD"),
        Question("place", "place", "Địa điểm", "Place", _text, True),
        Question("products", "products", "Sản phẩm tham gia", "Products shown",
                 _event_products, hint="slug, cách nhau bằng dấu phẩy; ? để xem",
                 choices=_product_choices),
        Question("summary", "summary", "Tóm tắt (một câu)", "Summary (one sentence)", _text),
        _DESCRIPTION,
    ),
    "shop": (
        Question("name", "name", "Tên cửa hàng, điểm bán", "Shop name", _name, True,
                 "vd. Điểm giới thiệu và bán sản phẩm OCOP Sông Lô"),
        Question("slug", "id", "Mã cửa hàng (tên tệp)", "Shop id (file name)", _slug, True,
                 default=_slug_default("name")),
        Question("kind", "kind", "Loại", "Kind", shop_kind, True, "1-5; ? để xem",
                 choices=shop_kind_choices),
        Question("commune", "commune", "Xã", "Commune", _commune, True,
                 "tên xã hiện nay hoặc trước 2025", choices=_commune_choices),
        Question("address", "address", "Địa chỉ", "Address", _text, True,
                 "vd. Trung tâm xã Sông Lô"),
        Question("phone", "phone", "Điện thoại", "Phone", _phone, hint="vd. 0900 000 201"),
        Question("zalo", "zalo", "Số Zalo", "Zalo number", zalo, hint="vd. 0900 000 201"),
        Question("hours", "hours", "Giờ mở cửa", "Opening hours", hours,
                 hint="vd. Mo-Fr 07:30-17:00; Sa-Su 08:00-12:00"),
        Question("products", "products", "Sản phẩm bán ở đây", "Products sold here",
                 _event_products, True, "slug, cách nhau bằng dấu phẩy; ? để xem",
                 choices=_product_choices),
        _DESCRIPTION,
    ),
}
