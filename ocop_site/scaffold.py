"""`new product|producer|event`: the questions, how each answer is checked, the file text.

A cooperative's staff answer a few questions instead of learning YAML. Each answer is
checked as it is given, against the site's own data files and by the loader's rules
(content/lookup.py), so the file written is one `check` accepts. Everything here is pure
except `load_known` (reads the site once) and `interview` (talks through the `ask`/`say`
functions it is given); the CLI does the writing.

Longer than the house's ~400 lines on purpose: each question sits next to the check of
its answer (QUESTIONS and the `_<field>` parsers above it), so what `new` asks and what
it accepts are read in one place; the file text and the prompt loop follow, short.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from . import text
from .content.frontmatter import FrontMatterError, parse_document, parse_yaml
from .content.lookup import (find_category, find_commune, find_producer, near_category,
                             near_commune, near_producer, product_references)
from .content.models import PRODUCER_TYPES, Category, Commune
from .content.schema import (EVENT_FIELDS, PRODUCER_FIELDS, PRODUCT_FIELDS, Field,
                             check_fields)
from .errors import ContentError, ContentErrors, ErrorCollector, UsageError, nearest

KINDS = ("product", "producer", "event")
FOLDERS = {"product": "products", "producer": "producers", "event": "events"}
SCHEMAS: dict[str, tuple[Field, ...]] = {
    "product": PRODUCT_FIELDS, "producer": PRODUCER_FIELDS, "event": EVENT_FIELDS}
PRODUCER_TYPE_NAMES = dict(zip(PRODUCER_TYPES, (
    "Doanh nghiệp", "Hợp tác xã", "Tổ hợp tác", "Hộ sản xuất kinh doanh")))


# -- what answers are checked against --------------------------------------------------
@dataclass(frozen=True)
class Known:
    """The site's data as `new` needs it, read once before the first question."""

    communes: tuple[Commune, ...] = ()
    commune_index: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, Category] = field(default_factory=dict)
    category_index: Mapping[str, str] = field(default_factory=dict)
    producer_ids: frozenset[str] = frozenset()
    producer_names: Mapping[str, str] = field(default_factory=dict)  # id → name
    product_refs: Mapping[str, str] = field(default_factory=dict)  # any way to name → slug
    taken: Mapping[str, frozenset[str]] = field(default_factory=dict)  # kind → used ids
    today: dt.date = dt.date(1970, 1, 1)


def load_known(source: Path) -> tuple[Known, int]:
    """Read the site at `source`; returns what answers are checked against and the number
    of errors the site already has (they do not stop `new`, but are worth a mention).
    Raises ContentErrors only when site.yaml itself is unusable."""
    from .config import load_config  # here, not at the top: `--help` stays instant
    from .content.loader import load_content

    errors = ErrorCollector()
    config = load_config(source.resolve(), errors)
    if config is None:
        raise ContentErrors(errors.errors)
    content = load_content(config, errors)
    taken: dict[str, frozenset[str]] = {}
    for kind, folder in FOLDERS.items():
        directory = config.content_dir / folder
        stems = {text.slugify(text.nfc(p.stem)) for p in directory.glob("*.md")} \
            if directory.is_dir() else set()
        taken[kind] = frozenset(stems)
    taken["product"] |= {p.slug for p in content.products}
    known = Known(
        communes=content.communes, commune_index=content.commune_index,
        categories=content.categories, category_index=content.category_index,
        producer_ids=content.producer_ids,
        producer_names={p.id: p.name for p in content.producers.values()},
        product_refs=product_references(content.products), taken=taken, today=config.today)
    return known, len(errors.errors)


# -- questions ---------------------------------------------------------------------------
class Invalid(ValueError):
    """An answer that cannot be used: why (English, Vietnamese) and, when one is close,
    an answer that would be accepted (offered as the default of the next prompt)."""

    def __init__(self, en: str, vi: str, suggestion: str | None = None):
        super().__init__(en)
        self.en, self.vi, self.suggestion = en, vi, suggestion


@dataclass(frozen=True)
class Context:
    """What a check may look at besides the answer itself."""

    kind: str
    known: Known
    answers: Mapping[str, Any]  # accepted so far, by key
    given: Mapping[str, str]  # raw command-line options, by key


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


def _suggest(found: str | None) -> tuple[str, str]:
    return ((f" — did you mean '{found}'?", f" — có phải là '{found}'?") if found
            else ("", ""))


def _commune(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    if find_commune(ctx.known.commune_index, value) is None:
        near = near_commune(ctx.known.communes, value)
        en, vi = _suggest(near)
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
            near_name = nearest(value, names, key=text.fold)
            near = names[near_name] if near_name else None
        en, vi = _suggest(near)
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
        by_name = {text.identity_key(name): pid for pid, name in known.producer_names.items()}
        found = by_name.get(text.identity_key(value))
    if found is None:
        near = near_producer(known.producer_ids, value)
        partial = [pid for pid in sorted(known.producer_ids) if text.slugify(value) in pid]
        if near is None and len(partial) == 1:  # "htx" when there is one cooperative
            near = partial[0]
        if near is None:
            near_name = nearest(value, known.producer_names.values(), key=text.fold)
            near = next((pid for pid, name in known.producer_names.items()
                         if name == near_name), None)
        en, vi = _suggest(near)
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
    keys = {text.fold(k.replace("_", " ")): k for k in PRODUCER_TYPES}
    keys.update({text.fold(name): k for k, name in PRODUCER_TYPE_NAMES.items()})
    keys.update({str(i): k for i, k in enumerate(PRODUCER_TYPES, 1)})
    found = keys.get(text.fold(value.replace("_", " ")))
    if found is None:
        near = nearest(text.fold(value), keys)
        en, vi = _suggest(keys[near] if near else None)
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
        slug = refs.get(text.slugify(item))
        if slug is None:
            near_ref = nearest(text.slugify(item), sorted(refs))
            near = refs[near_ref] if near_ref else None
            en, vi = _suggest(near)
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
               "event": "the event address su-kien/"}[kind]
    return Invalid(f"{what_en}{slug} is already used ({path} or another file); choose "
                   "another name — an existing file is never overwritten",
                   f"'{slug}' đã được dùng ({path} hoặc tệp khác); hãy chọn tên khác — tệp đã "
                   "có không bao giờ bị ghi đè")


def _name(raw: str, ctx: Context) -> str:
    value = _text(raw, ctx)
    slug = text.slugify(value)
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
    fixed = text.slugify(value)
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
        return text.slugify(ctx.answers.get(name_key, "")) or None
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
}


# -- answers → file --------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    option: str
    en: str
    vi: str

    def format(self) -> str:
        return f"--{self.option}: {self.en} / {self.vi}"


def check_answers(kind: str, given: Mapping[str, str], known: Known
                  ) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """Check command-line answers (no prompts): every problem at once, missing ones too."""
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    for question in QUESTIONS[kind]:
        ctx = Context(kind, known, answers, given)
        raw = given.get(question.key)
        if raw is None and question.default is not None:
            raw = question.default(ctx)
        if raw is None or (not raw.strip() and not question.required):
            if question.required:
                problems.append(Problem(question.option, "required; give it as "
                                        f"--{question.option}",
                                        f"bắt buộc; hãy thêm --{question.option}"))
            continue
        try:
            answers[question.key] = question.parse(text.nfc(raw), ctx)
        except Invalid as exc:
            hint_en, hint_vi = _suggest(exc.suggestion)
            if "did you mean" in exc.en:
                hint_en = hint_vi = ""
            problems.append(Problem(question.option, exc.en + hint_en, exc.vi + hint_vi))
    return answers, tuple(problems)


def slug_of(kind: str, answers: Mapping[str, Any]) -> str:
    return answers.get("slug") or text.slugify(answers.get("name") or answers.get("title", ""))


def target_path(kind: str, answers: Mapping[str, Any]) -> str:
    """Where the file goes, relative to the site folder."""
    return f"content/{FOLDERS[kind]}/{slug_of(kind, answers)}.md"


def yaml_scalar(value: Any, quote: bool = False) -> str:
    """One value as YAML the loader reads back exactly: plain when that round-trips,
    double-quoted otherwise (a JSON string is a valid YAML double-quoted scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    plain = str(value)
    if not quote and plain == plain.strip() and "\n" not in plain:
        try:
            data, _ = parse_yaml(f"k: {plain}")
        except FrontMatterError:
            data = None
        if data == {"k": plain}:
            return plain
    return json.dumps(plain, ensure_ascii=False)


_BODY_PLACEHOLDER = {
    "product": "<!-- Viết mô tả sản phẩm ở đây: nguồn gốc, đặc điểm, cách dùng, bảo quản. "
               "Dòng này không hiện trên trang. / Describe the product here; this line is "
               "not shown. -->",
    "producer": "<!-- Giới thiệu cơ sở ở đây. Dòng này không hiện trên trang. / Introduce "
                "the producer here; this line is not shown. -->",
    "event": "<!-- Mô tả sự kiện ở đây. Dòng này không hiện trên trang. / Describe the "
             "event here; this line is not shown. -->",
}


def render_file(kind: str, answers: Mapping[str, Any]) -> str:
    """The content file for `answers`: front-matter in the schema's order, then the body."""
    lines = ["---"]
    for spec in SCHEMAS[kind]:
        if spec.children:
            children = [(c, answers[f"{spec.name}.{c.name}"]) for c in spec.children
                        if f"{spec.name}.{c.name}" in answers]
            if children:
                lines.append(f"{spec.name}:")
                lines += [f"  {c.name}: {yaml_scalar(v)}" for c, v in children]
            continue
        if spec.name not in answers:
            continue
        value = answers[spec.name]
        if spec.name == "slug" and kind == "product" and \
                value == text.slugify(answers.get("name", "")):
            continue  # the default: the file name says it already
        if isinstance(value, list):
            lines.append(f"{spec.name}:")
            lines += [f"  - {yaml_scalar(item)}" for item in value]
        else:
            lines.append(f"{spec.name}: {yaml_scalar(value, quote=spec.name == 'phone')}")
    lines.append("---")
    body = answers.get("body") or _BODY_PLACEHOLDER[kind]
    return "\n".join(lines) + "\n" + body.strip() + "\n"


# -- talking to a person ----------------------------------------------------------------
class Cancelled(UsageError):
    """The person stopped (end of input, Ctrl+C, or 'no' at the end): nothing written."""

    def __init__(self) -> None:
        super().__init__("cancelled; nothing was written", "đã hủy; chưa ghi gì")

    def lines(self) -> list[str]:
        return ["", f"{self.message_en} / {self.message_vi}"]  # after the prompt's line


def _prompt(question: Question, default: str | None) -> str:
    hint = f" ({question.hint})" if question.hint else ""
    optional = "" if question.required else " [Enter: bỏ qua / skip]"
    shown_default = f" [{default}]" if default else optional
    return f"{question.vi} / {question.en}{hint}{shown_default}: "


def interview(kind: str, given: Mapping[str, str], known: Known,
              ask: Callable[[str], str], say: Callable[[str], None]) -> dict[str, Any]:
    """Ask for every answer not given as an option (re-asking until it is accepted; a
    close match becomes the default: Enter accepts it). `ask` raises EOFError at the end
    of input."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS[kind]:
        ctx = Context(kind, known, answers, given)
        raw = given.get(question.key)
        if raw is None and not question.asked:
            continue
        default = question.default(ctx) if question.default else None
        while True:
            if raw is None:
                try:
                    raw = ask(_prompt(question, default)).strip()
                except (EOFError, KeyboardInterrupt):
                    raise Cancelled() from None
                if raw == "?" and question.choices is not None:
                    say("\n".join("  " + line for line in question.choices(known)))
                    raw = None
                    continue
                if not raw:
                    if default:
                        raw = default
                    elif not question.required:
                        break
            try:
                answers[question.key] = question.parse(
                    text.nfc(raw), Context(kind, known, answers, given))
                break
            except Invalid as exc:
                say(f"  ✗ {exc.vi}\n    {exc.en}")
                if exc.suggestion:
                    say(f"    Enter = '{exc.suggestion}'")
                default = exc.suggestion or (None if raw == default else default)
                raw = None
    return answers


def confirm(answer: str) -> bool:
    """Yes in either language; Enter means yes."""
    return text.fold(answer.strip()) in ("", "y", "yes", "c", "co", "ok", "dong y")


def next_steps(kind: str, answers: Mapping[str, Any], check: str) -> Sequence[str]:
    slug = slug_of(kind, answers)
    folder = FOLDERS[kind]
    steps = [f"Đã tạo / Wrote {target_path(kind, answers)}"]
    if kind == "product":
        steps.append(f"Ảnh / Photos: content/{folder}/images/{slug}-1.jpg, {slug}-2.jpg … "
                     "và thêm / then add 'images:' (xem / see CONTRIBUTING.md)")
    steps.append(f"Kiểm tra / Check: {check}")
    return steps


def errors_in(kind: str, shown: str, written: str) -> list[ContentError]:
    """The written file read back as the loader reads it (front-matter, field names and
    types): a cheap safety net, since every reference was checked as it was answered.
    Reading the whole site again would double `new`'s time on a large catalogue."""
    errors = ErrorCollector()
    try:
        document = parse_document(written.encode("utf-8"))
    except FrontMatterError as exc:
        return [exc.to_error(shown)]
    check_fields(document, SCHEMAS[kind], shown, errors)
    return errors.errors
