"""Walk a site's content folder into validated models, collecting every error on the way.

Order matters only for references: communes and categories (data files) first, then
producers, then products, which point at all three.
"""
from __future__ import annotations

import datetime as dt
import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TypeVar

from .. import text
from ..config import SiteConfig
from ..errors import ErrorCollector, did_you_mean, nearest
from ..markdown import MarkdownRenderer, first_paragraph_text
from .cache import ContentCache, ParsedDocument
from ..i18n import LANGUAGE_CODE
from .frontmatter import (Document, FrontMatterError, decode, parse_document, parse_yaml,
                          split)
from .lookup import (find_category, find_commune, find_producer, near_category, near_commune,
                     near_producer, product_references)
from .models import (PRODUCER_TYPES, Category, Certificate, Commune, Event, ImageRef,
                     Translation,
                     Producer, Product)
from .safepath import MAX_IMAGE_BYTES, UnsafePath, read_bounded, resolve_inside
from .schema import (EVENT_TEXT_FIELDS, PRODUCER_TEXT_FIELDS, PRODUCT_TEXT_FIELDS, Field)
from .schema import (COMMUNE_FIELDS, EVENT_FIELDS, PRODUCER_FIELDS, PRODUCT_FIELDS,
                     check_fields)

CERTIFICATE_MONTHS = 36


@dataclass(frozen=True)
class Content:
    """Everything loaded from one site folder; the input of the catalogue stage."""

    communes: tuple[Commune, ...]
    categories: dict[str, Category]
    producers: dict[str, Producer]
    products: tuple[Product, ...]  # published and drafts; the catalogue filters
    events: tuple[Event, ...] = ()  # fairs and markets, in file order
    # How names resolve (lookup.py), for tools that check references as they are typed:
    # identity key of any commune name → slug; category id or name → id; every producer
    # file's id, loaded or not.
    commune_index: Mapping[str, str] = dataclasses.field(default_factory=dict)
    category_index: Mapping[str, str] = dataclasses.field(default_factory=dict)
    producer_ids: frozenset[str] = frozenset()


def load_content(config: SiteConfig, errors: ErrorCollector,
                 cache: ContentCache | None = None) -> Content:
    """Load and validate everything under `config.content_dir`; errors go to `errors`.
    With a `cache`, files parsed by an earlier build are not parsed again (their
    references are still checked every time) and new ones are parsed ahead, in parallel."""
    loader = _Loader(config, errors, cache)
    if cache is not None:
        cache.prime([path for folder in ("producers", "products", "events")
                     for path in loader.markdown_files(folder)], loader.root)
    communes = loader.load_communes()
    categories = loader.load_categories()
    producers = loader.load_producers()
    products = loader.load_products()
    events = loader.load_events(products)
    loader.check_translation_files()
    return Content(communes, categories, producers, products, events,
                   dict(loader.commune_lookup), dict(loader.category_lookup),
                   frozenset(loader.producer_ids))


def reload_product(config: SiteConfig, content: Content, path: Path, errors: ErrorCollector,
                   cache: ContentCache | None = None) -> Product | None:
    """One product file read again and checked against the rest of `content` (communes,
    categories, producers) exactly as a full load checks it: for a rebuild after an edit.
    Checks that span products (duplicate URLs, events) are the caller's."""
    loader = _Loader(config, errors, cache)
    loader._communes = content.communes
    loader.commune_lookup.update(content.commune_index)
    loader.categories.update(content.categories)
    loader.category_lookup.update(content.category_index)
    loader.producers.update(content.producers)
    loader.producer_ids = set(content.producer_ids)
    return loader.load_product(path)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamping the day (29 Feb + 36 months → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


T = TypeVar("T")


class _Loader:
    """Holds the lookup tables built along the way; used once per build."""

    def __init__(self, config: SiteConfig, errors: ErrorCollector,
                 cache: ContentCache | None = None):
        self.config = config
        self.cache = cache
        self.root = config.source
        self.content = config.content_dir
        self.errors = errors
        self.markdown = MarkdownRenderer()
        self.commune_lookup: dict[str, str] = {}  # identity key of any name → slug
        self.commune_names: dict[str, str] = {}  # slug → display name
        self.category_lookup: dict[str, str] = {}
        self.categories: dict[str, Category] = {}
        self.producers: dict[str, Producer] = {}
        self.producer_ids: set[str] = set()
        # False when a data file could not be read at all: its own error says so, and
        # "unknown commune" on every product naming one would only bury that line
        self.communes_known = True
        self.categories_known = True

    # -- helpers ---------------------------------------------------------------
    def shown(self, path: Path) -> str:
        """Path as shown in messages: relative to the site folder, with / separators."""
        text, root = str(path), str(self.root) + os.sep
        if text.startswith(root) and os.sep == "/":  # the common case, without pathlib
            return text[len(root):]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def reported(self, shown: str, read: Callable[[], T]) -> T | None:
        """read(), or None with its FrontMatterError or UnsafePath reported for `shown`."""
        try:
            return read()
        except FrontMatterError as exc:
            self.errors.extend([exc.to_error(shown)])
        except UnsafePath as exc:
            self.errors.add(shown, 0, "file", exc.en, exc.vi)
        return None

    def read_document(self, path: Path) -> Document | None:
        cache = self.cache

        def read() -> Document:
            if cache is not None:
                return cache.read(path, self.root)
            return parse_document(read_bounded(path, self.root))
        return self.reported(self.shown(path), read)

    def read_data(self, name: str) -> tuple[Any, dict, str] | None:
        path = self.content / "data" / name
        shown = self.shown(path)
        if not path.is_file():
            self.errors.add(shown, 0, "file", f"data file {shown} is missing",
                            f"thiếu tệp dữ liệu {shown}")
            return None
        parsed = self.reported(shown, lambda: parse_yaml(
            decode(read_bounded(path, self.root, 5_000_000)), max_nodes=1_000_000))
        if parsed is None:
            return None
        data, lines = parsed
        return data, lines, shown

    def body_html(self, doc: Document) -> str:
        """The body as sanitised HTML (already made when the document came from the cache)."""
        if isinstance(doc, ParsedDocument):
            return doc.body_html
        return self.markdown.render(doc.body)

    def markdown_files(self, folder: str) -> list[Path]:
        directory = self.content / folder
        if not directory.is_dir():
            return []
        # one folder: sorting by name is sorting by path, and much cheaper on 10,000
        return sorted((p for p in directory.glob("*.md")
                       if not p.name.startswith(".") and translation_lang(p) is None),
                      key=lambda p: p.name)

    # -- translations: <name>.<lang>.md beside <name>.md -------------------------
    def translations(self, path: Path, fields: tuple[Field, ...],
                     base_fields: tuple[Field, ...]) -> tuple[Translation, ...]:
        """The sibling translation files of the content file `path`, validated."""
        found = []
        for lang in self.config.languages[1:]:
            sibling = path.with_name(f"{path.stem}.{lang}.md")
            if sibling.is_file() or sibling.is_symlink():
                translation = self.load_translation(sibling, lang, fields, base_fields,
                                                    self.shown(path))
                if translation is not None:
                    found.append(translation)
        return tuple(found)

    def load_translation(self, path: Path, lang: str, fields: tuple[Field, ...],
                         base_fields: tuple[Field, ...], base: str) -> Translation | None:
        shown = self.shown(path)

        def read() -> tuple[tuple[Any, dict], int, str]:
            yaml_text, yaml_line, body, _ = split(decode(read_bounded(path, self.root)))
            return parse_yaml(yaml_text, yaml_line), yaml_line, body

        # like read_document, but the front-matter may be empty (a body only)
        parsed = self.reported(shown, read)
        if parsed is None:
            return None
        (data, lines), yaml_line, body = parsed
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.errors.add(shown, yaml_line, "front-matter",
                            "the front-matter must be a list of 'field: value' lines",
                            "phần thông tin đầu tệp phải là các dòng 'trường: giá trị'")
            return None
        doc = Document(data, lines, body)
        before = len(self.errors.errors)
        own = {f.name for f in fields}
        shared = {f.name for f in base_fields} - own
        for key in data:
            if key in shared:
                self.errors.add(shown, doc.line_of(key), key,
                                f"'{key}' is the same in every language: write it only in "
                                f"{base} (a translation holds {', '.join(own)} and the "
                                "description)",
                                f"'{key}' giống nhau ở mọi ngôn ngữ: chỉ ghi trong {base} "
                                f"(bản dịch chỉ gồm {', '.join(own)} và phần giới thiệu)")
        texts = {k: v for k, v in data.items() if k not in shared}
        clean = check_fields(doc, fields, shown, self.errors, texts)
        if len(self.errors.errors) > before:
            return None
        body_html = self.markdown.render(body) if body.strip() else ""
        if "summary" in own and not clean.get("summary") and body_html:
            clean["summary"] = first_paragraph_text(body_html)
        return Translation(lang, tuple((k, v) for k, v in clean.items() if v), body_html,
                           shown)

    def check_translation_files(self) -> None:
        """A translation needs its Vietnamese file beside it and a language of the site."""
        others = self.config.languages[1:]
        for folder in ("products", "producers", "events"):
            directory = self.content / folder
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.md")):
                lang = translation_lang(path)
                if lang is None or path.name.startswith("."):
                    continue
                shown = self.shown(path)
                base = path.with_name(path.stem.rsplit(".", 1)[0] + ".md")
                if lang not in others:
                    listed = ", ".join(others) or "-"
                    self.errors.add(shown, 0, "file",
                                    f"'{lang}' is not one of the site's other languages "
                                    f"({listed}); add it to 'languages:' in site.yaml or "
                                    "rename the file",
                                    f"'{lang}' không nằm trong các ngôn ngữ khác của trang "
                                    f"({listed}); hãy thêm vào 'languages:' trong site.yaml "
                                    "hoặc đổi tên tệp")
                elif not base.is_file():
                    self.errors.add(shown, 0, "file",
                                    f"a translation of {self.shown(base)}, which does not "
                                    "exist; rename it to match its Vietnamese file",
                                    f"bản dịch của {self.shown(base)}, nhưng tệp đó không "
                                    "có; hãy đặt tên giống tệp tiếng Việt")

    def resolve_commune(self, value: str) -> str | None:
        return find_commune(self.commune_lookup, value)

    def url_part_ok(self, shown: str, doc: Document, line: int, written: str | None,
                    slug: str) -> bool:
        """A slug written by hand, or made from a name, must make a URL of its own: an
        empty one would put a commune's page over the list of communes (xa//index.html
        is xa/index.html), and '../x' over another page."""
        if written and text.slugify(written) != written:
            self.errors.add(shown, doc.line_of("slug"), "slug",
                            f"a slug uses only a-z, 0-9 and '-'; write "
                            f"'{text.slugify(written)}'",
                            f"slug chỉ gồm a-z, 0-9 và '-'; hãy viết "
                            f"'{text.slugify(written)}'")
            return False
        if not slug:
            self.errors.add(shown, doc.line_of("name") if doc.lines else line, "name",
                            "the name gives an empty URL; add 'slug:'",
                            "tên không tạo được địa chỉ; hãy thêm 'slug:'")
            return False
        return True

    def category_error(self, shown: str, line: int, value: str) -> None:
        if not self.categories_known:  # categories.yaml's own error is the one to fix
            return
        en, vi = did_you_mean(near_category(self.categories, value))
        self.errors.add(shown, line, "category",
                        f"unknown category '{value}'{en} (use a product-set id "
                        "from content/data/categories.yaml)",
                        f"không có nhóm '{value}'{vi} (dùng id bộ sản phẩm trong "
                        "content/data/categories.yaml)")

    def commune_error(self, shown: str, line: int, field: str, value: str) -> None:
        if not self.communes_known:
            return
        en, vi = did_you_mean(near_commune(self._communes, value))
        self.errors.add(shown, line, field,
                        f"unknown commune '{value}'{en} (communes are listed in "
                        "content/data/communes.yaml)",
                        f"không có xã '{value}'{vi} (danh sách xã ở content/data/communes.yaml)")

    def image_refs(self, doc: Document, value: Any, base: Path, shown: str, field: str,
                   default_alt: str) -> tuple[ImageRef, ...]:
        items = value if isinstance(value, list) else [value]
        refs = []
        for index, item in enumerate(items):
            line = doc.line_of(field, str(index)) if isinstance(value, list) else doc.line_of(field)
            alt = default_alt
            if isinstance(item, dict):
                unknown = set(item) - {"src", "alt"}
                if unknown or not isinstance(item.get("src"), str):
                    self.errors.add(shown, line, field,
                                    "each image is a file name, or 'src:' with an optional "
                                    "'alt:'",
                                    "mỗi ảnh là một tên tệp, hoặc 'src:' kèm 'alt:' (tùy chọn)")
                    continue
                if isinstance(item.get("alt"), str) and item["alt"].strip():
                    alt = item["alt"].strip()
                item = item["src"]
            if not isinstance(item, str):
                self.errors.add(shown, line, field,
                                f"an image must be a file name, got {item!r}",
                                f"ảnh phải là tên tệp, đang ghi {item!r}")
                continue
            try:
                source = resolve_inside(self.content, base, item)
            except UnsafePath as exc:
                self.errors.add(shown, line, field, exc.en, exc.vi)
                continue
            size = source.stat().st_size
            if size > MAX_IMAGE_BYTES:
                self.errors.add(shown, line, field,
                                f"'{item}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,} "
                                "(send a smaller photo)",
                                f"'{item}' nặng {size:,} byte; giới hạn là {MAX_IMAGE_BYTES:,} "
                                "(hãy gửi ảnh nhỏ hơn)")
                continue
            refs.append(ImageRef(source, alt, shown, line))
        return tuple(refs)

    # -- communes --------------------------------------------------------------
    _communes: tuple[Commune, ...] = ()

    def load_communes(self) -> tuple[Commune, ...]:
        loaded = self.read_data("communes.yaml")
        if loaded is None:
            self.communes_known = False
            return ()
        data, lines, shown = loaded
        items = data.get("communes") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            self.errors.add(shown, 1, "communes",
                            "expected 'communes:' followed by a list of communes",
                            "cần có 'communes:' và danh sách các xã")
            self.communes_known = False
            return ()
        communes = []
        slugs: dict[str, int] = {}
        # each commune's key lines, grouped in one pass (a national list has 10,000)
        item_lines: dict[tuple[str, ...], dict[tuple[str, ...], int]] = {}
        for key, key_line in lines.items():
            if len(key) >= 2:
                item_lines.setdefault(key[:2], {})[key[2:]] = key_line
        for index, item in enumerate(items):
            path = ("communes", str(index))
            line = lines.get(path, 1)
            if not isinstance(item, dict):
                self.errors.add(shown, line, "communes", "each commune needs 'name:'",
                                "mỗi xã cần có 'name:'")
                continue
            doc = Document(item, item_lines.get(path, {}))
            before = len(self.errors.errors)
            clean = check_fields(doc, COMMUNE_FIELDS, shown, self.errors)
            if len(self.errors.errors) > before:
                continue
            name = clean["name"]
            slug = clean.get("slug") or text.slugify(name)
            if not self.url_part_ok(shown, doc, line, clean.get("slug"), slug):
                continue
            if slug in slugs:
                self.errors.add(shown, line, "slug",
                                f"two communes share the URL slug '{slug}' (also line "
                                f"{slugs[slug]}); give one a different 'slug:'",
                                f"hai xã trùng slug '{slug}' (cũng ở dòng {slugs[slug]}); "
                                "hãy đặt 'slug:' khác cho một xã")
                continue
            slugs[slug] = line
            former = tuple(str(n) for n in clean.get("former_names", []))
            image, image_line = None, 0
            if clean.get("image"):
                refs = self.image_refs(doc, clean["image"], self.content, shown, "image", name)
                if refs:
                    image, image_line = refs[0].source, refs[0].line
            commune = Commune(slug, name, clean.get("name_en", "") or text.fold(name).title(),
                              former, clean.get("description", ""),
                              clean.get("description_en", ""), image, image_line)
            for alias in (name, *former):
                key = text.identity_key(alias)
                owner = self.commune_lookup.get(key)
                if owner is not None and owner != slug:
                    self.errors.add(shown, line, "former_names",
                                    f"'{alias}' belongs to two communes "
                                    f"({self.commune_names[owner]} and {name})",
                                    f"'{alias}' thuộc về hai xã ({self.commune_names[owner]} "
                                    f"và {name})")
                self.commune_lookup[key] = slug
            self.commune_names[slug] = name
            communes.append(commune)
        self._communes = tuple(communes)
        return self._communes

    # -- categories ------------------------------------------------------------
    def load_categories(self) -> dict[str, Category]:
        loaded = self.read_data("categories.yaml")
        if loaded is None:
            self.categories_known = False
            return {}
        data, lines, shown = loaded
        groups = data.get("groups") if isinstance(data, dict) else None
        if not isinstance(groups, list) or not groups:
            self.errors.add(shown, 1, "groups", "expected 'groups:' followed by a list",
                            "cần có 'groups:' và một danh sách")
            self.categories_known = False
            return {}
        levels = (("group", "subgroups"), ("subgroup", "categories"), ("category", None))

        def walk(items: list, depth: int, parent: str | None, path: tuple) -> tuple[str, ...]:
            level, child_key = levels[depth]
            ids = []
            for index, item in enumerate(items):
                item_path = path + (str(index),)
                line = lines.get(item_path, 1)
                if not isinstance(item, dict) or not all(
                        isinstance(item.get(k), str) and item.get(k) for k in ("id", "name")):
                    self.errors.add(shown, line, level,
                                    "each entry needs 'id:' and 'name:'",
                                    "mỗi mục cần có 'id:' và 'name:'")
                    continue
                cat_id = item["id"]
                if text.slugify(cat_id) != cat_id:  # it is the URL: danh-muc/<id>/
                    self.errors.add(shown, lines.get(item_path + ("id",), line), "id",
                                    f"an id uses only a-z, 0-9 and '-'; write "
                                    f"'{text.slugify(cat_id)}'",
                                    f"id chỉ gồm a-z, 0-9 và '-'; hãy viết "
                                    f"'{text.slugify(cat_id)}'")
                    continue
                if cat_id in self.categories:
                    self.errors.add(shown, line, "id", f"duplicate id '{cat_id}'",
                                    f"id '{cat_id}' bị trùng")
                    continue
                children: tuple[str, ...] = ()
                if child_key and isinstance(item.get(child_key), list):
                    # register the parent before the children, so ids stay in file order
                    self.categories[cat_id] = None  # type: ignore[assignment]
                    children = walk(item[child_key], depth + 1, cat_id,
                                    item_path + (child_key,))
                self.categories[cat_id] = Category(
                    cat_id, str(item.get("code", "")), item["name"],
                    str(item.get("name_en", "")), level, parent, children)
                ids.append(cat_id)
            return tuple(ids)

        walk(groups, 0, None, ("groups",))
        for cat in self.categories.values():
            self.category_lookup[cat.id] = cat.id
            self.category_lookup.setdefault(text.slugify(cat.name), cat.id)
        return dict(self.categories)

    def resolve_category(self, value: str) -> str | None:
        return find_category(self.category_lookup, value)

    # -- producers -------------------------------------------------------------
    def load_producers(self) -> dict[str, Producer]:
        paths = self.markdown_files("producers")
        # Products may name a producer whose own file has errors: that file's errors are
        # reported once, without a cascade of "unknown producer" on every product.
        self.producer_ids = {text.slugify(text.nfc(p.stem)) for p in paths}
        sources: dict[str, str] = {}
        for path in paths:
            producer = self.load_producer(path)
            if producer is None:
                continue
            if producer.id in sources:
                # 'HTX-Che.md' and 'htx-che.md', or one name in NFC and NFD: one id, and
                # silently keeping the last would drop a producer
                self.errors.add(producer.source, 1, "file",
                                f"'{producer.source}' and '{sources[producer.id]}' both give "
                                f"the producer id '{producer.id}'; rename or merge them",
                                f"'{producer.source}' và '{sources[producer.id]}' cùng mã cơ "
                                f"sở '{producer.id}'; hãy đổi tên hoặc gộp lại")
                continue
            sources[producer.id] = producer.source
            self.producers[producer.id] = producer
        return dict(self.producers)

    def load_producer(self, path: Path) -> Producer | None:
        shown = self.shown(path)
        producer_id = text.slugify(text.nfc(path.stem))
        doc = self.read_document(path)
        if doc is None:
            return None
        before = len(self.errors.errors)
        if not producer_id:  # co-so//index.html would replace the list of producers
            self.errors.add(shown, 1, "file", "the file name gives an empty URL; rename the "
                            "file using a-z, 0-9 and '-'",
                            "tên tệp không tạo được địa chỉ; hãy đặt lại tên tệp bằng a-z, "
                            "0-9 và '-'")
        clean = check_fields(doc, PRODUCER_FIELDS, shown, self.errors)
        if "type" in clean and clean["type"] not in PRODUCER_TYPES:
            en, vi = did_you_mean(nearest(clean["type"], PRODUCER_TYPES))
            self.errors.add(shown, doc.line_of("type"), "type",
                            f"unknown type '{clean['type']}'{en} (one of: "
                            f"{', '.join(PRODUCER_TYPES)})",
                            f"loại '{clean['type']}' không hợp lệ{vi} (chọn một trong: "
                            f"{', '.join(PRODUCER_TYPES)})")
        commune = None
        if "commune" in clean:
            commune = self.resolve_commune(clean["commune"])
            if commune is None:
                self.commune_error(shown, doc.line_of("commune"), "commune", clean["commune"])
        image = None
        if clean.get("image"):
            refs = self.image_refs(doc, clean["image"], path.parent, shown, "image",
                                   clean.get("name", ""))
            image = refs[0] if refs else None
        if len(self.errors.errors) > before:
            return None
        translations = self.translations(path, PRODUCER_TEXT_FIELDS, PRODUCER_FIELDS)
        if len(self.errors.errors) > before:
            return None
        return Producer(
            id=producer_id, name=clean["name"], type=clean["type"], commune=commune or "",
            phone=clean["phone"], address=clean["address"], website=clean.get("website", ""),
            image=image, body_html=self.body_html(doc), source=shown,
            translations=translations, zalo=clean.get("zalo", ""))

    # -- products --------------------------------------------------------------
    def load_products(self) -> tuple[Product, ...]:
        products: list[Product] = []
        for path in self.markdown_files("products"):
            product = self.load_product(path)
            if product is not None:
                products.append(product)
        by_slug: dict[str, Product] = {}
        for product in products:
            other = by_slug.get(product.slug)
            if other is not None:
                self.errors.add(product.source, 1, "slug",
                                f"'{product.source}' and '{other.source}' both map to the URL "
                                f"san-pham/{product.slug}/; give one of them a different "
                                "'slug:' or name",
                                f"'{product.source}' và '{other.source}' cùng địa chỉ "
                                f"san-pham/{product.slug}/; hãy đổi 'slug:' hoặc tên của một "
                                "sản phẩm")
            else:
                by_slug[product.slug] = product
        return tuple(products)

    def load_product(self, path: Path) -> Product | None:
        shown = self.shown(path)
        doc = self.read_document(path)
        if doc is None:
            return None
        errors = self.errors
        before = len(errors.errors)
        clean = check_fields(doc, PRODUCT_FIELDS, shown, errors)

        stars = clean.get("stars")
        if stars is not None and not 3 <= stars <= 5:
            errors.add(shown, doc.line_of("stars"), "stars",
                       f"must be 3, 4 or 5 (got {stars}); only 3★ and above are certified",
                       f"phải là 3, 4 hoặc 5 (đang ghi {stars}); chỉ sản phẩm từ 3 sao "
                       "trở lên được công nhận")

        category = None
        if "category" in clean:
            category = self.resolve_category(clean["category"])
            line = doc.line_of("category")
            if category is None:
                self.category_error(shown, line, clean["category"])
            elif self.categories[category].children:
                children = ", ".join(self.categories[category].children[:6])
                errors.add(shown, line, "category",
                           f"'{clean['category']}' is a {self.categories[category].level}; "
                           f"choose one of its product sets: {children}",
                           f"'{clean['category']}' là nhóm lớn; hãy chọn một bộ sản phẩm "
                           f"trong đó: {children}")
                category = None

        commune = None
        if "commune" in clean:
            commune = self.resolve_commune(clean["commune"])
            if commune is None:
                self.commune_error(shown, doc.line_of("commune"), "commune", clean["commune"])

        producer = None
        if "producer" in clean:
            producer = find_producer(self.producer_ids, clean["producer"])
            if producer is None:
                en, vi = did_you_mean(near_producer(self.producer_ids, clean["producer"]))
                errors.add(shown, doc.line_of("producer"), "producer",
                           f"unknown producer '{clean['producer']}'{en} (the id is the file "
                           "name in content/producers/ without .md)",
                           f"không có cơ sở sản xuất '{clean['producer']}'{vi} (id là tên tệp "
                           "trong content/producers/ không có .md)")

        certificate = self.certificate(doc, clean.get("certificate"), shown)

        price = clean.get("price")
        if price is not None and price < 0:
            errors.add(shown, doc.line_of("price"), "price", "must not be negative",
                       "không được là số âm")

        name = clean.get("name", "")
        slug = clean.get("slug") or text.slugify(name)
        if name and clean.get("slug") and text.slugify(clean["slug"]) != clean["slug"]:
            errors.add(shown, doc.line_of("slug"), "slug",
                       f"a slug uses only a-z, 0-9 and '-'; write "
                       f"'{text.slugify(clean['slug'])}'",
                       f"slug chỉ gồm a-z, 0-9 và '-'; hãy viết "
                       f"'{text.slugify(clean['slug'])}'")
        elif name and not slug:
            errors.add(shown, doc.line_of("name"), "name",
                       "the name gives an empty URL; add 'slug:'",
                       "tên không tạo được địa chỉ; hãy thêm 'slug:'")

        images = ()
        if "images" in clean:
            images = self.image_refs(doc, clean["images"], path.parent, shown, "images", name)

        if len(errors.errors) > before or certificate is None:
            return None
        if certificate.expired_on(self.config.today):
            errors.warn(shown, doc.line_of("certificate", "date"), "certificate",
                        f"the certificate expired on {certificate.valid_until.isoformat()}; "
                        "the page says so until it is renewed",
                        f"giấy chứng nhận đã hết hạn ngày {certificate.valid_until.isoformat()}; "
                        "trang sản phẩm sẽ ghi rõ cho tới khi được công nhận lại")
        translations = self.translations(path, PRODUCT_TEXT_FIELDS, PRODUCT_FIELDS)
        if len(errors.errors) > before:
            return None
        body_html = self.body_html(doc)
        summary = clean.get("summary") or first_paragraph_text(body_html)
        return Product(
            slug=slug, name=name, stars=stars, category=category, commune=commune,
            commune_as_written=clean["commune"], producer=producer, certificate=certificate,
            summary=summary, body_html=body_html, price=price, unit=clean.get("unit", ""),
            images=images, featured=clean.get("featured", False),
            draft=clean.get("draft", False), source=shown, translations=translations)

    # -- events ----------------------------------------------------------------
    def load_events(self, products: tuple[Product, ...]) -> tuple[Event, ...]:
        # A product is named by its slug or, as a convenience, by its file name or name.
        # Files that failed to load are known too (mapped to None), so one broken product
        # file does not also make every event that shows it an error.
        known: dict[str, str | None] = {}
        loaded = {p.source for p in products}
        for path in self.markdown_files("products"):
            if self.shown(path) not in loaded:
                known[text.slugify(text.nfc(path.stem))] = None
        known.update(product_references(products))
        events: dict[str, Event] = {}
        for path in self.markdown_files("events"):
            event = self.load_event(path, known)
            if event is None:
                continue
            other = events.get(event.slug)
            if other is not None:
                self.errors.add(event.source, 1, "file",
                                f"'{event.source}' and '{other.source}' both map to the URL "
                                f"su-kien/{event.slug}/; rename one of the files",
                                f"'{event.source}' và '{other.source}' cùng địa chỉ "
                                f"su-kien/{event.slug}/; hãy đổi tên một tệp")
                continue
            events[event.slug] = event
        return tuple(events.values())

    def load_event(self, path: Path, known: dict[str, str | None]) -> Event | None:
        shown = self.shown(path)
        slug = text.slugify(text.nfc(path.stem))
        doc = self.read_document(path)
        if doc is None:
            return None
        errors = self.errors
        before = len(errors.errors)
        clean = check_fields(doc, EVENT_FIELDS, shown, errors)
        if not slug:
            errors.add(shown, 1, "file", "the file name gives an empty URL; rename the file "
                       "using a-z, 0-9 and '-'",
                       "tên tệp không tạo được địa chỉ; hãy đặt lại tên tệp bằng a-z, 0-9 "
                       "và '-'")
        start = clean.get("start")
        end = clean.get("end") or start
        if start is not None and end is not None and end < start:
            errors.add(shown, doc.line_of("end"), "end",
                       f"ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                       f"ngày kết thúc ({end.isoformat()}) trước ngày bắt đầu "
                       f"({start.isoformat()})")
        shown_products: list[str] = []
        for index, item in enumerate(clean.get("products", [])):
            line = doc.line_of("products", str(index))
            if not isinstance(item, str) or not item.strip():
                errors.add(shown, line, "products",
                           f"each product is a product slug, got {item!r}",
                           f"mỗi sản phẩm là một slug sản phẩm, đang ghi {item!r}")
                continue
            written = text.slugify(item)
            if written not in known:
                slugs = sorted(slug for slug in known.values() if slug)
                en, vi = did_you_mean(nearest(written, slugs))
                errors.add(shown, line, "products",
                           f"unknown product '{item}'{en} (write the product's slug: the "
                           "last part of its address, san-pham/<slug>/)",
                           f"không có sản phẩm '{item}'{vi} (ghi slug của sản phẩm: phần cuối "
                           "địa chỉ san-pham/<slug>/)")
                continue
            product_slug = known[written]
            if product_slug is not None and product_slug not in shown_products:
                shown_products.append(product_slug)
        translations = self.translations(path, EVENT_TEXT_FIELDS, EVENT_FIELDS)
        if len(errors.errors) > before or start is None:
            return None
        body_html = self.body_html(doc)
        return Event(
            slug=slug, title=clean["title"], start=start, end=end, place=clean["place"],
            products=tuple(shown_products),
            summary=clean.get("summary") or first_paragraph_text(body_html),
            body_html=body_html, source=shown, translations=translations)

    def certificate(self, doc: Document, value: dict | None, shown: str) -> Certificate | None:
        if not value or "decision" not in value or "date" not in value:
            return None
        signed: dt.date = value["date"]
        line = doc.line_of("certificate", "date")
        ok = True
        if signed > self.config.today:
            self.errors.add(shown, line, "certificate.date",
                            f"{signed.isoformat()} is in the future; write the date the "
                            "decision was signed",
                            f"{signed.isoformat()} là ngày trong tương lai; hãy ghi ngày ký "
                            "quyết định")
            ok = False
        valid_until = value.get("valid_until") or add_months(signed, CERTIFICATE_MONTHS)
        if valid_until <= signed:
            self.errors.add(shown, doc.line_of("certificate", "valid_until"),
                            "certificate.valid_until",
                            "must be after the certificate date",
                            "phải sau ngày cấp giấy chứng nhận")
            ok = False
        if not ok:
            return None
        return Certificate(value["decision"], signed, valid_until, value.get("issued_by", ""))


def translation_lang(path: Path) -> str | None:
    """'che-xanh.en.md' → 'en': the file is a translation, not an item of its own."""
    lang = Path(path.stem).suffix[1:]
    return lang if LANGUAGE_CODE.match(lang) else None


def iter_sources(config: SiteConfig) -> Iterable[Path]:
    """Every file whose change can change the site (for serve's watcher and caches)."""
    yield config.source / "site.yaml"
    for folder in (config.content_dir, *config.template_dirs, *config.asset_dirs,
                   *config.i18n_dirs):
        if folder.is_dir():
            yield from sorted(p for p in folder.rglob("*") if p.is_file())
