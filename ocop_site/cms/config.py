"""admin/config.yml: the web form's Decap CMS configuration, made from the site's own data.

Never kept by hand: the collections and their fields come from the schema tables
(content/schema.py: every field, required or not, in the same order), each field's
widget, label and hint from the table below and i18n/<lang>.yaml (`cms.field.*`), and the
choices from the site's data: communes with their former names (choosing "Đồng Thịnh"
writes the former name, as the checker allows), the classification as
"Ngành › Nhóm › Bộ", the producers. A pure function of the catalogue, the language and
the site's `cms:` settings; the same input gives the same bytes.

Files are named with the project's slug rule (vietnamese.slugify, the same as `new`): the
form's script (static/admin.js) puts the slug in `_file` before saving, and the
slug template is `{{fields._file}}`; its front-matter format drops `_file` again.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import yaml

from ..content.config import CmsSettings
from ..content.i18n import Translator
from ..content.models import PRODUCER_TYPES, SHOP_KINDS, Category, Commune
from ..content.readers.shops import LAT_RANGE, LNG_RANGE
from ..content.schema import (
    EVENT_FIELDS,
    EVENT_TEXT_FIELDS,
    PRODUCER_FIELDS,
    PRODUCER_TEXT_FIELDS,
    PRODUCT_FIELDS,
    PRODUCT_TEXT_FIELDS,
    SHOP_FIELDS,
    SHOP_TEXT_FIELDS,
    Field,
)
from ..rules.certifier import LEVELS
from ..site.catalogue import Catalogue
from ..text import vietnamese

FORMAT = "ocop-frontmatter"  # registered by static/admin.js (js-yaml, the checker's rules)
API_PATH = "/api/v1"  # serve's local write API (cms/localapi.py)
SLUG_FIELD = "_file"  # set by admin.js before saving, never written to the file
KINDS = (  # collection name, folder, schema, fields of its translation files
    ("products", "content/products", PRODUCT_FIELDS, PRODUCT_TEXT_FIELDS),
    ("producers", "content/producers", PRODUCER_FIELDS, PRODUCER_TEXT_FIELDS),
    ("events", "content/events", EVENT_FIELDS, EVENT_TEXT_FIELDS),
    ("shops", "content/shops", SHOP_FIELDS, SHOP_TEXT_FIELDS),
)
SINGULAR = {"products": "product", "producers": "producer", "events": "event",
            "shops": "shop"}
# i18n keys of fields whose name means something else in another kind
_TEXT_KEYS = {("producers", "name"): "producer_name", ("producers", "body"): "producer_body",
              ("producers", "image"): "image", ("events", "body"): "event_body",
              ("events", "summary"): "summary", ("shops", "name"): "shop_name",
              ("shops", "products"): "shop_products", ("shops", "body"): "shop_body",
              ("shops", "images"): "shop_images"}
# `pattern` of string fields, mirroring the checker (Decap tests them with RegExp)
PATTERNS = {
    "name": r"[0-9A-Za-zÀ-ỹĐđ]",
    "title": r"[0-9A-Za-zÀ-ỹĐđ]",
    "slug": r"^[a-z0-9]+(-[a-z0-9]+)*$",
    "phone": r"^(?=(\D*\d){8})[0-9+().\- ]+$",
    "website": r"^https?://[^\s/?#]+[^\s]*$",
}
# one opening-hours rule (content/hours.py's grammar; the checker also sees the times)
_DAY = "(Mo|Tu|We|Th|Fr|Sa|Su)"
_SPAN = r"([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d"
HOURS = rf"^\s*{_DAY}(-{_DAY})?(,{_DAY}(-{_DAY})?)*\s+{_SPAN}(,{_SPAN})*\s*$"
# fields of kind "phone" (zalo): schema.phone_digits' rule, 6 to 15 digits
PHONE = r"^(?=(\D*\d){6,15}\D*$)\+?[0-9 .()-]+$"
_PATTERN_KEYS = {"title": "name"}
DATE: dict[str, Any] = {"widget": "datetime", "format": "YYYY-MM-DD",
                        "date_format": "YYYY-MM-DD", "time_format": False}

Widget = Callable[["_Form"], dict[str, Any]]


class _Form:
    """What the widgets are made from: the catalogue, the language's strings."""

    def __init__(self, catalogue: Catalogue, lang: str):
        self.catalogue = catalogue
        self.t: Translator = catalogue.config.translator(lang)
        self.lang = lang

    def label(self, kind: str, name: str) -> dict[str, str]:
        key = f"cms.field.{_TEXT_KEYS.get((kind, name), name)}"
        found = {"label": self.t(f"{key}.label")}
        if self.t.has(f"{key}.hint"):
            found["hint"] = self.t(f"{key}.hint")
        return found

    def name_of(self, item: Commune | Category) -> str:
        """A commune's or category's name in this language (its data file's name_en)."""
        if self.lang != self.catalogue.config.default_language and item.name_en:
            return item.name_en
        return item.name


def commune_options(form: _Form) -> list[dict[str, str]]:
    """Every current commune (its former names in the label, so typing one finds it)
    and every former name on its own: choosing it writes the former name, and the page
    says where the product came from."""
    options: list[tuple[tuple, dict[str, str]]] = []
    for commune in form.catalogue.communes:
        former, seen = [], {vietnamese.identity_key(commune.name)}
        for name in commune.former_names:
            if vietnamese.identity_key(name) not in seen:
                seen.add(vietnamese.identity_key(name))
                former.append(name)
        label = commune.name
        if former:
            label += " " + form.t("product.formerly", name=", ".join(former))
        options.append(((vietnamese.sort_key(commune.name), 0), {"label": label,
                                                           "value": commune.name}))
        for name in former:
            options.append(((vietnamese.sort_key(name), 1), {
                "label": form.t("cms.former_option", name=name, current=commune.name),
                "value": name}))
    return [option for _, option in sorted(options, key=lambda pair: pair[0])]


def category_options(form: _Form) -> list[dict[str, str]]:
    """Every product set (a leaf: products name one), in the classification's order,
    shown with its path: "Đồ uống › Chè › Chè tươi, chè chế biến"."""
    catalogue = form.catalogue
    return [{"label": " › ".join(form.name_of(node) for node in catalogue.category_path(c.id)),
             "value": c.id}
            for c in catalogue.categories.values() if not c.children]


def producer_options(form: _Form) -> list[dict[str, str]]:
    return [{"label": f"{p.name} ({p.id})", "value": p.id}
            for p in form.catalogue.producers_sorted]


def _select(options: Callable[[_Form], list]) -> Widget:
    return lambda form: {"widget": "select", "options": options(form)}


def _relation(collection: str, multiple: bool = False) -> Widget:
    """Products chosen from the products collection itself (read through the backend):
    the configuration does not change with every product edit."""
    def widget(form: _Form) -> dict[str, Any]:
        found = {"widget": "relation", "collection": collection, "value_field": "{{slug}}",
                 "search_fields": ["name"], "display_fields": ["name"],
                 "options_length": 50}
        return {**found, "multiple": True} if multiple else found
    return widget


def _coordinate(bounds: tuple[float, float]) -> dict[str, Any]:
    """A latitude or longitude inside Vietnam's bounds (content/readers/shops.py)."""
    return {"widget": "number", "value_type": "float", "min": bounds[0], "max": bounds[1],
            "step": 0.0001}


def _photo(form: _Form) -> dict[str, Any]:
    return {"widget": "image", "choose_url": False}


WIDGETS: dict[tuple[str, str], Widget] = {
    ("products", "stars"): lambda form: {"widget": "select", "options": [
        {"label": form.t("stars.label", stars=n), "value": n} for n in (3, 4, 5)]},
    ("products", "category"): _select(category_options),
    ("products", "commune"): _select(commune_options),
    ("products", "producer"): _select(producer_options),
    ("products", "issuer_level"): lambda form: {"widget": "select", "options": [
        {"label": form.t(f"cms.level.{level}"), "value": level} for level in LEVELS]},
    ("products", "price"): lambda form: {"widget": "number", "value_type": "int", "min": 0,
                                         "step": 1000},
    ("products", "images"): lambda form: {
        "widget": "list", "collapsed": False, "summary": "{{fields.alt}}",
        "fields": [{"name": "src", **form.label("products", "src"), **_photo(form)},
                   {"name": "alt", **form.label("products", "alt"), "widget": "string",
                    "required": False}]},
    ("products", "summary"): lambda form: {"widget": "text"},
    ("products", "buy_online"): lambda form: {
        "widget": "list", "collapsed": False, "summary": "{{fields.platform}}",
        "fields": [{"name": "platform", **form.label("products", "platform"),
                    "widget": "select", "options": [
                        {"label": p.name_in(form.lang), "value": p.id}
                        for p in form.catalogue.platforms.platforms]},
                   {"name": "url", **form.label("products", "url"), "widget": "string",
                    "pattern": [r"^https://[^\s/?#]+[^\s]*$", form.t("cms.pattern.url")]}]},
    ("producers", "type"): lambda form: {"widget": "select", "options": [
        {"label": form.t(f"producer_type.{kind}"), "value": kind} for kind in PRODUCER_TYPES]},
    ("producers", "commune"): _select(commune_options),
    ("producers", "image"): _photo,
    ("events", "products"): _relation("products", multiple=True),
    ("shops", "kind"): lambda form: {"widget": "select", "options": [
        {"label": form.t(f"shop.kind.{kind}"), "value": kind} for kind in SHOP_KINDS]},
    ("shops", "commune"): _select(commune_options),
    ("shops", "lat"): lambda form: _coordinate(LAT_RANGE),
    ("shops", "lng"): lambda form: _coordinate(LNG_RANGE),
    ("shops", "hours"): lambda form: {
        "widget": "list", "collapsed": False, "summary": "{{fields.rule}}",
        "field": {"name": "rule", **form.label("shops", "rule"), "widget": "string",
                  "pattern": [HOURS, form.t("cms.pattern.hours")]}},
    ("shops", "images"): lambda form: WIDGETS[("products", "images")](form),
    ("shops", "products"): _relation("products", multiple=True),
    ("events", "summary"): lambda form: {"widget": "text"},
}
_KIND_WIDGETS: dict[str, dict[str, Any]] = {
    "text": {"widget": "string"}, "url": {"widget": "string"}, "phone": {"widget": "string"},
    "int": {"widget": "number", "value_type": "int"}, "date": DATE,
    "bool": {"widget": "boolean"}}


def field_config(form: _Form, kind: str, spec: Field) -> dict[str, Any]:
    """One schema field as a Decap field: widget, label, hint, required, pattern."""
    found: dict[str, Any] = {"name": spec.name, **form.label(kind, spec.name)}
    if spec.children:
        children = [field_config(form, kind, child) for child in spec.children]
        if not spec.required:  # an optional object (geo) may be left empty as a whole
            children = [{**child, "required": False} for child in children]
        found.update(widget="object", collapsed=False, fields=children)
    else:
        widget = WIDGETS.get((kind, spec.name))
        found.update(widget(form) if widget else _KIND_WIDGETS[spec.kind])
    if not spec.required:
        found["required"] = False
    if spec.kind == "phone":
        found["pattern"] = [PHONE, form.t("cms.pattern.zalo")]
    elif spec.name in PATTERNS and found.get("widget") == "string":
        found["pattern"] = [PATTERNS[spec.name],
                            form.t(f"cms.pattern.{_PATTERN_KEYS.get(spec.name, spec.name)}")]
    return found


def _body(form: _Form, kind: str) -> dict[str, Any]:
    return {"name": "body", **form.label(kind, "body"), "widget": "markdown",
            "required": False}


def collections(form: _Form) -> list[dict[str, Any]]:
    """products, producers, events, shops; then their translation files for each other
    language (`<name>.<lang>.md`, only the text a reader reads)."""
    found = []
    for name, folder, fields, _ in KINDS:
        collection = {
            "name": name, "label": form.t(f"cms.{name}"),
            "label_singular": form.t(f"cms.{SINGULAR[name]}"),
            "folder": folder, "extension": "md", "format": FORMAT, "create": True,
            "slug": "{{fields." + SLUG_FIELD + "}}",
            "identifier_field": "title" if name == "events" else "name",
            "summary": "{{" + ("title" if name == "events" else "name") + "}}",
            "fields": [field_config(form, name, spec) for spec in fields] + [_body(form, name)]}
        if name != "events":
            collection.update(media_folder="images", public_folder="images")
        found.append(collection)
    for lang in form.catalogue.config.languages[1:]:
        found += translation_collections(form, lang)
    return found


def language_name(form: _Form, lang: str) -> str:
    key = f"cms.language_name.{lang}"
    return form.t(key) if form.t.has(key) else form.catalogue.config.translator(lang).meta.name


def translation_collections(form: _Form, lang: str) -> list[dict[str, Any]]:
    language = language_name(form, lang)
    found = []
    for name, folder, _, fields in KINDS:
        title = "title" if name == "events" else "name"
        of = {"name": "translation_of", **form.label(name, "translation_of"),
              **_relation(name)(form), "required": False}
        texts = []
        for spec in fields:
            base = form.label(name, spec.name)
            texts.append({"name": spec.name, "required": False,
                          "label": form.t("cms.field.translated.label", label=base["label"],
                                          language=language),
                          "hint": form.t("cms.field.translated.hint", language=language),
                          **(_KIND_WIDGETS["text"] if spec.name != "summary"
                             else {"widget": "text"})})
        body = _body(form, name)
        body["label"] = form.t("cms.field.translated.label", label=body["label"],
                               language=language)
        found.append({
            "name": f"{name}_{lang}",
            "label": form.t("cms.translations", collection=form.t(f"cms.{name}"),
                            language=language),
            "label_singular": form.t("cms.translation", language=language),
            "folder": folder, "extension": f"{lang}.md", "format": FORMAT, "create": True,
            "slug": "{{fields." + SLUG_FIELD + "}}", "identifier_field": "translation_of",
            "summary": "{{" + title + "}} ({{filename}})",
            "fields": [of, *texts, body]})
    return found


def backend(settings: CmsSettings) -> dict[str, Any]:
    """Where the form saves: serve's local API, or the site's GitHub or GitLab."""
    if settings.local:
        return {"name": "proxy", "proxy_url": API_PATH, "branch": settings.branch}
    found: dict[str, Any] = {"name": settings.backend, "repo": settings.repo,
                             "branch": settings.branch}
    if settings.backend == "github":
        found["base_url"] = settings.base_url
        found["open_authoring"] = settings.open_authoring
    else:  # gitlab: PKCE in the browser, no server of our own
        found.update(auth_type="pkce", app_id=settings.app_id)
        if settings.base_url:
            found["base_url"] = settings.base_url
        if settings.api_root:
            found["api_root"] = settings.api_root
    if settings.auth_endpoint:
        found["auth_endpoint"] = settings.auth_endpoint
    return found


def admin_config(catalogue: Catalogue, lang: str) -> dict[str, Any]:
    """The configuration of the form in `lang` (its labels, hints and choices)."""
    form = _Form(catalogue, lang)
    settings = catalogue.config.cms
    found: dict[str, Any] = {"locale": lang, "backend": backend(settings)}
    if not settings.local:
        # every change becomes a pull/merge request, which CI checks (examples/)
        found["publish_mode"] = "editorial_workflow"
        found["site_url"] = catalogue.config.base_url
    found.update({
        "media_folder": "content/products/images", "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(form)})
    return found


def config_yaml(catalogue: Catalogue, lang: str) -> bytes:
    return yaml.safe_dump(admin_config(catalogue, lang), allow_unicode=True,
                          sort_keys=False, width=100).encode("utf-8")


def choices(catalogue: Catalogue, lang: str) -> Mapping[str, Any]:
    """What the preview pane shows for the form's choices (admin.js, ocop-cms JSON)."""
    form = _Form(catalogue, lang)
    communes = {}
    for commune in catalogue.communes:
        for name in (commune.name, *commune.former_names):
            communes[name] = form.name_of(commune)
    return {
        "communes": communes,
        "categories": {c["value"]: c["label"] for c in category_options(form)},
        "producers": {p.id: {"name": p.name, "type": form.t(f"producer_type.{p.type}"),
                             "address": p.address, "phone": p.phone}
                      for p in catalogue.producers_sorted},
    }
