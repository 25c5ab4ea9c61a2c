"""Rows + the site as it is → what to do with each row, and the bytes of every file.

Pure: the site comes in as a `Site` (what the loader found, and a way to read a
product file's bytes), the result is a `Plan` that names each file and its new content.
Nothing is written here; `import` without --write prints this plan, with --write
hands its files to writing.py. A row is one of: a new product (maybe with a new
producer), an update of stars and certificate of a product the site has (same name,
same producer), unchanged, needs attention (not written, and why), or skipped.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from ..content.models import Category, Commune, Product
from ..rules import certifier
from ..scaffold.filetext import errors_in, render_file
from ..text import vietnamese
from ..text.frontmatter import FrontMatterError, parse_document
from .editing import REMOVE, CannotEdit, edit_front_matter
from .messages import INFO, RowMessage, Where
from .planrow import PlanRow
from .producers import NewProducer, ProducerPlanner
from .resolve import CommuneMatch, CommuneStep, Producers, resolve_category
from .rows import Defaults, Parsed, Skipped
from .values import stars_for_score

NEW, UPDATE, UNCHANGED, ATTENTION_ROW, SKIPPED = (
    "new product", "update", "unchanged", "needs attention", "skipped")


@dataclass(frozen=True)
class Site:
    """What the plan needs to know of the site (see command.load_site)."""

    communes: tuple[Commune, ...]
    categories: Mapping[str, Category]
    category_index: Mapping[str, str]
    producers: Producers
    products: tuple[Product, ...]
    today: dt.date
    taken: Mapping[str, str]  # product slug or file stem → the file that has it
    commune_steps: tuple[CommuneStep, ...]
    read: Callable[[str], bytes]  # a content file's bytes, by its path in messages
    category_aliases: Mapping[str, str] = field(default_factory=dict)  # old id → product set
    certifier_rules: certifier.Rules = field(default_factory=certifier.Rules)


@dataclass(frozen=True)
class FileWrite:
    path: str  # relative to the site folder, '/' separators
    data: bytes
    new: bool


@dataclass(frozen=True)
class RowPlan:
    where: Where
    action: str
    path: str = ""  # the product file
    detail_en: str = ""
    detail_vi: str = ""
    messages: tuple[RowMessage, ...] = ()
    producer: NewProducer | None = None  # a producer file this row makes


@dataclass(frozen=True)
class Plan:
    rows: tuple[RowPlan, ...]
    writes: tuple[FileWrite, ...]
    notes: tuple[RowMessage, ...] = ()

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new_producers(self) -> int:
        return sum(1 for row in self.rows if row.producer is not None)


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _certificate(row: PlanRow, defaults: Defaults, today: dt.date) -> dict[str, Any]:
    """The certificate the row gives (its own columns, else the defaults), checked."""
    sheet = row.source
    day = sheet.date or defaults.date
    until = sheet.valid_until
    given = {"decision": sheet.get("decision") or defaults.decision, "date": day,
             "issued_by": sheet.get("issued_by") or defaults.issued_by, "valid_until": until}
    if day is not None and day > today:
        row.add("certificate.date", f"{_date(day)} is in the future; write the date the "
                "decision was signed", f"{_date(day)} là ngày trong tương lai; hãy ghi ngày "
                "ký quyết định")
    if until is not None and day is not None and until <= day:
        row.add("certificate.valid_until", f"{_date(until)} is not after the decision's date "
                f"{_date(day)}", f"{_date(until)} không sau ngày quyết định {_date(day)}")
    return {key: value for key, value in given.items() if value}


def _missing_certificate(row: PlanRow, certificate: Mapping[str, Any]) -> None:
    if "decision" not in certificate:
        row.add("certificate.decision", "no decision number; add a 'Số QĐ' column, or give "
                "--decision (a title line 'Kèm theo Quyết định số …' above the table works "
                "too)", "thiếu số quyết định; hãy thêm cột 'Số QĐ' hoặc tùy chọn --decision "
                "(hoặc dòng tiêu đề 'Kèm theo Quyết định số …' phía trên bảng)")
    if "date" not in certificate:
        row.add("certificate.date", "no decision date; add a 'Ngày' column, or give --date",
                "thiếu ngày quyết định; hãy thêm cột 'Ngày' hoặc tùy chọn --date")


def _update_changes(row: PlanRow, product: Product, certificate: Mapping[str, Any],
                    present: set[tuple[str, ...]]) -> tuple[dict, list[str]]:
    """Key path → new value (or REMOVE), and the changes as a person reads them."""
    changes: dict[tuple[str, ...], Any] = {}
    shown: list[str] = []
    stars = row.source.stars
    if stars is not None and stars != product.stars:
        changes[("stars",)] = stars
        shown.append(f"stars {product.stars} → {stars}")
    old = product.certificate
    decision, day = certificate.get("decision"), certificate.get("date")
    if day is not None and day < old.date:  # an older list: the file's is the newer
        row.add("certificate", f"the sheet's decision of {_date(day)} is older than the "
                f"file's ({old.decision} of {_date(old.date)}); the file is kept as it is",
                f"quyết định ngày {_date(day)} trong bảng cũ hơn quyết định trong tệp "
                f"({old.decision} ngày {_date(old.date)}); giữ nguyên tệp", INFO)
        return {}, []
    replaced = (decision is not None and decision != old.decision) or \
        (day is not None and day != old.date)
    if replaced and (decision is None or day is None):
        _missing_certificate(row, certificate)
        return {}, []
    pairs = (("decision", old.decision), ("date", old.date), ("issued_by", old.issued_by),
             ("issuer_level", old.issuer_level), ("valid_until", old.valid_until))
    for key, before in pairs:
        after = certificate.get(key)
        path = ("certificate", key)
        if after is not None and after != before:
            changes[path] = after
            shown.append(f"certificate.{key} {_value(before)} → {_value(after)}")
        elif after is None and replaced and path in present:  # it was the old one's
            changes[path] = REMOVE
            shown.append(f"certificate.{key} {_value(before)} removed")
    return changes, shown


def _signer_note(row: PlanRow, site: Site, stars: int, day: dt.date, issued_by: str,
                 level: str = "") -> None:
    """The checker's warning where the signer is not the level the period gives for the
    stars (a 4★ certificate signed by a district…), said before anything is written."""
    found = certifier.check(stars, day, issued_by, level or None, site.certifier_rules)
    if found:
        row.add("certificate", *found, severity=INFO)


def _value(value: Any) -> str:
    if isinstance(value, dt.date):
        return _date(value)
    return str(value) if value not in (None, "") else "-"


def _plan_update(row: PlanRow, product: Product, certificate: Mapping[str, Any], site: Site
                 ) -> tuple[RowPlan, FileWrite | None]:
    where = row.source.where
    try:
        raw = site.read(product.source)
        present = set(parse_document(raw).lines)
    except (OSError, FrontMatterError):
        raw, present = b"", set()
    changes, shown = _update_changes(row, product, certificate, present)
    if row.blocked:
        return _attention(row, product.source), None
    if not changes:
        return RowPlan(where, UNCHANGED, product.source, messages=tuple(row.messages)), None
    after = {key[-1]: value for key, value in changes.items() if value is not REMOVE}
    cert = product.certificate
    removed = {key[-1] for key, value in changes.items() if value is REMOVE}
    _signer_note(row, site, after.get("stars", product.stars), after.get("date", cert.date),
                 "" if "issued_by" in removed else after.get("issued_by", cert.issued_by),
                 "" if "issuer_level" in removed else cert.issuer_level)
    try:
        data = edit_front_matter(raw, changes)
    except CannotEdit as exc:
        row.add("file", f"{product.source} cannot be changed safely ({exc}); make these "
                f"changes by hand: {'; '.join(shown)}",
                f"không sửa tự động được {product.source} ({exc}); hãy tự sửa: "
                f"{'; '.join(shown)}")
        return _attention(row, product.source), None
    detail = ", ".join(shown)
    return (RowPlan(where, UPDATE, product.source, detail, detail, tuple(row.messages)),
            FileWrite(product.source, data, new=False))


def _attention(row: PlanRow, path: str = "") -> RowPlan:
    name = row.source.get("name") or "?"
    return RowPlan(row.source.where, ATTENTION_ROW, path, f"'{name}' is not written",
                   f"'{name}' chưa được ghi", tuple(row.messages))


def _slug(row: PlanRow, producer_id: str, site: Site, planned: Mapping[str, str]) -> str | None:
    name = row.source.get("name")
    wanted = row.source.get("slug")
    slug = wanted if wanted and vietnamese.slugify(wanted) == wanted else vietnamese.slugify(name)
    if not slug:
        row.add("name", f"'{name}' gives an empty web address; add a 'slug' column",
                f"'{name}' không tạo được địa chỉ web; hãy thêm cột 'slug'")
        return None
    taken = {**site.taken, **planned}
    if slug not in taken:
        return slug
    other = f"{slug}-{producer_id}"
    if other in taken:
        row.add("name", f"the address san-pham/{slug}/ is taken by {taken[slug]}; add a "
                "'slug' column with another one", f"địa chỉ san-pham/{slug}/ đã thuộc về "
                f"{taken[slug]}; hãy thêm cột 'slug' với địa chỉ khác")
        return None
    row.add("name", f"the address san-pham/{slug}/ is taken by {taken[slug]}; this product "
            f"gets san-pham/{other}/", f"địa chỉ san-pham/{slug}/ đã thuộc về {taken[slug]}; "
            f"sản phẩm này dùng san-pham/{other}/", INFO)
    return other


def _category(row: PlanRow, site: Site) -> str | None:
    written = row.source.get("category")
    if not written:
        row.add("category", "the sheet gives no product set for this new product (it is "
                "never guessed); add a 'Nhóm sản phẩm' column with a product-set id or name "
                "from content/data/categories.yaml",
                "bảng không ghi bộ sản phẩm cho sản phẩm mới này (không bao giờ tự đoán); "
                "hãy thêm cột 'Nhóm sản phẩm' ghi id hoặc tên bộ sản phẩm trong "
                "content/data/categories.yaml")
        return None
    found, (en, vi) = resolve_category(written, site.categories, site.category_index)
    renamed = site.category_aliases.get(vietnamese.slugify(written))
    if found is None and renamed is not None:  # an id of the classification before 148
        row.add("category", f"'{written}' is an old product-set id; the product is filed "
                f"under '{renamed}'", f"'{written}' là mã bộ sản phẩm cũ; sản phẩm được xếp "
                f"vào '{renamed}'", INFO)
        return renamed
    if found is None:
        row.add("category", en, vi)
    return found


def _new_answers(row: PlanRow, site: Site, producer_id: str, commune: CommuneMatch | None,
                 certificate: Mapping[str, Any]) -> dict[str, Any]:
    sheet = row.source
    category = _category(row, site)
    if sheet.stars is None and not any(m.field == "stars" for m in row.messages):
        hint_en = hint_vi = ""
        if sheet.score is not None:
            band = stars_for_score(sheet.score)
            hint_en = f" (its score {sheet.score:g} is a {band}★ score)"
            hint_vi = f" (điểm {sheet.score:g} là mức {band} sao)"
        row.add("stars", f"not given{hint_en}; write 3, 4 or 5 in the 'Hạng sao' column",
                f"chưa ghi{hint_vi}; hãy ghi 3, 4 hoặc 5 vào cột 'Hạng sao'")
    _missing_certificate(row, certificate)
    answers: dict[str, Any] = {"name": sheet.get("name"), "stars": sheet.stars,
                               "category": category, "producer": producer_id,
                               "commune": commune.written if commune else None}
    answers.update({f"certificate.{k}": v for k, v in certificate.items()})
    for key in ("unit", "summary"):
        if sheet.get(key):
            answers[key] = sheet.get(key)
    if sheet.price is not None:
        answers["price"] = sheet.price
    return answers


def _product_commune(row: PlanRow, site: Site, producer_id: str) -> CommuneMatch | None:
    """The row's commune; where the row names none, the producer's own (said so)."""
    found = row.commune()
    if found is not None or row.source.get("commune") or row.source.get("address"):
        return found
    producer = site.producers.by_id.get(producer_id)
    commune = next((c for c in site.communes if producer and c.slug == producer.commune), None)
    if commune is None:
        row.add("commune", "no commune or address; add an 'Địa chỉ' or 'Xã' column",
                "thiếu xã hoặc địa chỉ; hãy thêm cột 'Địa chỉ' hoặc 'Xã'")
        return None
    row.add("commune", f"the row names no commune; the producer's commune {commune.name} is "
            "used", f"dòng không ghi xã; dùng xã của cơ sở sản xuất: {commune.name}", INFO)
    return CommuneMatch(commune.slug, commune.name)


def _near_namesake(row: PlanRow, site: Site, producer_id: str) -> None:
    """A new product whose name is close to one the producer already has is likely that
    one written differently ('… (hộp 500g)'): said, so a person can make the names agree
    before a second page for the same product is published."""
    name = row.source.get("name")
    own = {p.name: p for p in site.products if p.producer == producer_id}
    close = difflib.get_close_matches(vietnamese.fold(name),
                                      [vietnamese.fold(n) for n in own], 1, 0.8)
    if close:
        found = next(p for n, p in own.items() if vietnamese.fold(n) == close[0])
        row.add("name", f"the producer already has '{found.name}' ({found.source}); if it "
                "is the same product, write its name as there", f"cơ sở đã có '{found.name}' "
                f"({found.source}); nếu là cùng sản phẩm, hãy ghi tên như vậy", INFO)


def _plan_new(row: PlanRow, site: Site, producer_id: str, producer: NewProducer | None,
              certificate: Mapping[str, Any], planned: dict[str, str]
              ) -> tuple[RowPlan, FileWrite | None]:
    commune = _product_commune(row, site, producer_id)
    answers = _new_answers(row, site, producer_id, commune, certificate)
    slug = _slug(row, producer_id, site, planned)
    if row.blocked or slug is None or commune is None:  # (no commune: row.blocked)
        return _attention(row), None
    answers["slug"] = slug
    path = f"content/products/{slug}.md"
    content = render_file("product", answers)
    for error in errors_in("product", path, content):  # a safety net: never expected
        row.add(error.field, error.message_en, error.message_vi)
    if row.blocked:
        return _attention(row), None
    _near_namesake(row, site, producer_id)
    _signer_note(row, site, answers["stars"], answers["certificate.date"],
                 answers.get("certificate.issued_by", ""))
    planned[slug] = f"row {row.source.where.row}"
    current = next((c.name for c in site.communes if c.slug == commune.slug), commune.written)
    detail_en = (f"'{answers['name']}', {answers['stars']}★, {answers['category']}, "
                 f"commune {current}, producer {producer_id}")
    return (RowPlan(row.source.where, NEW, path, detail_en, detail_en, tuple(row.messages),
                    producer), FileWrite(path, content.encode("utf-8"), new=True))


def make_plan(parsed: Parsed, site: Site) -> Plan:
    """Every row's action, and the files to write (new producers before products)."""
    by_identity = {(vietnamese.identity_key(p.name), p.producer): p for p in site.products}
    producers = ProducerPlanner(site.producers, site.communes, site.commune_steps)
    seen: dict[tuple[str, str], int] = {}
    planned: dict[str, str] = {}
    rows: list[RowPlan] = []
    products: list[FileWrite] = []
    producer_files: dict[str, FileWrite] = {}
    for item in parsed.rows:
        if isinstance(item, Skipped):
            rows.append(RowPlan(item.where, SKIPPED, "", item.en, item.vi))
            continue
        row = PlanRow(item, site.communes, site.commune_steps, list(item.messages))
        planned_row, write = _plan_row(row, site, parsed.defaults, producers, by_identity,
                                       seen, planned)
        rows.append(planned_row)
        if write is not None:
            products.append(write)
            maker = planned_row.producer
            if maker is not None:
                producer_files.setdefault(maker.path, FileWrite(maker.path, maker.data, True))
    final = tuple(_mark_producers(rows, producer_files))
    return Plan(final, tuple(producer_files.values()) + tuple(products), parsed.notes)


def _mark_producers(rows: Sequence[RowPlan], written: Mapping[str, FileWrite]):
    """A new producer is shown on the first row whose product is written with it."""
    shown: set[str] = set()
    for row in rows:
        producer = row.producer
        if producer is not None and (producer.path in shown or producer.path not in written):
            producer = None
        if producer is not None:
            shown.add(producer.path)
        yield RowPlan(row.where, row.action, row.path, row.detail_en, row.detail_vi,
                      row.messages, producer)


def _plan_row(row: PlanRow, site: Site, defaults: Defaults, producers: ProducerPlanner,
              by_identity: Mapping, seen: dict, planned: dict[str, str]
              ) -> tuple[RowPlan, FileWrite | None]:
    certificate = _certificate(row, defaults, site.today)
    producer_id, new_producer = producers.resolve(row)
    if producer_id is None:
        return _attention(row), None
    key = (vietnamese.identity_key(row.source.get("name")), producer_id)
    if key in seen:
        row.add("name", f"the same product and producer as row {seen[key]}; keep one row",
                f"trùng sản phẩm và cơ sở với dòng {seen[key]}; chỉ giữ một dòng")
        return _attention(row), None
    seen[key] = row.source.where.row
    existing = by_identity.get(key)
    if existing is not None:
        return _plan_update(row, existing, certificate, site)
    return _plan_new(row, site, producer_id, new_producer, certificate, planned)
