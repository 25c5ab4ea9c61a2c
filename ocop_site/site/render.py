"""Jinja environment and the filters templates use. StrictUndefined: a typo in a template
fails the build with the template's file and line, instead of an empty hole on the page."""
from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import jinja2
from markupsafe import Markup

from ..content.config import SiteConfig
from ..content.i18n import MissingText, Translator
from ..errors import ContentError
from .assets import asset_files, asset_urls
from .catalogue import Catalogue
from .fragments import Fragments, PartStore
from .jsonld import page_jsonld
from .recorded import Read, Reads, RecordingEnvironment, note, recording
from .social import share_for
from .urls import SERVED_ANYWHERE, Language, Page, Urls, root_for, site_languages


def vnd(amount: int | None) -> str:
    """150000 → '150.000 ₫' (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + "\u00a0₫"


def date_vi(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def star_text(count: int) -> str:
    return "★" * count + "☆" * (5 - count)


class TemplateText:
    """`t('nav.products')` in templates: the page language's interface string. A key no
    translation file has fails the build at the template's line, like StrictUndefined.
    Every key asked for is noted in the render's reads (site/recorded.py)."""

    def __init__(self, translator: Translator):
        self.translator = translator
        self.lang = translator.lang

    def __call__(self, key: str, **params: object) -> str:
        note(("string", self.lang, key))
        try:  # not through _safely: a page makes dozens of these calls
            return self.translator(key, **params)
        except MissingText as exc:
            raise jinja2.UndefinedError(str(exc)) from exc

    def raw(self, key: str, form: str | None = None) -> str:
        """Unfilled, for browser scripts (assets/js/) that fill the placeholders."""
        note(("string", self.lang, key))
        return self._safely(self.translator.raw, key, form)

    def around(self, key: str, name: str, **params: object) -> tuple[str, str]:
        """Text before and after `{name}`, to put a link there."""
        note(("string", self.lang, key))
        return self._safely(self.translator.around, key, name, **params)

    def price(self, amount: int | None) -> str:
        note(("string", self.lang, "format.thousands"))
        note(("string", self.lang, "format.price"))
        return self._safely(self.translator.price, amount)

    def date(self, day: dt.date) -> str:
        note(("string", self.lang, "format.date"))
        note(("string", self.lang, f"month.{day.month}"))
        return self._safely(self.translator.date, day)

    def __fingerprint__(self) -> str:
        return self.lang  # its strings are recorded as they are asked for

    @staticmethod
    def _safely(function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except MissingText as exc:
            raise jinja2.UndefinedError(str(exc)) from exc


@jinja2.pass_context
def _price(context: jinja2.runtime.Context, amount: int | None) -> str:
    """The `vnd` filter: '150.000 ₫' on Vietnamese pages, '150,000 ₫' on English ones."""
    t = context.get("t")
    return t.price(amount) if isinstance(t, TemplateText) else vnd(amount)


@jinja2.pass_context
def _date(context: jinja2.runtime.Context, day: dt.date) -> str:
    """The `date` filter: a date as the page's language writes it."""
    t = context.get("t")
    return t.date(day) if isinstance(t, TemplateText) else date_vi(day)


@jinja2.pass_context
def _producer_type(context: jinja2.runtime.Context, kind: str) -> str:
    return context["t"](f"producer_type.{kind}")


def make_environment(template_dirs: tuple[Path, ...],
                     bytecode_dir: Path | None = None) -> jinja2.Environment:
    """`bytecode_dir`: where compiled templates are kept between processes (by each
    template's source; the caller names the folder after the code's version, which
    decides the environment's options)."""
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        if bytecode_dir is not None else None,
    )
    env.filters.update(vnd=_price, date=_date, date_vi=date_vi, star_text=star_text,
                       producer_type=_producer_type)
    return env


def site_globals(config: SiteConfig, catalogue: Catalogue,
                 parts: PartStore | None = None) -> dict[str, Any]:
    """Values every page shows (header, footer); computed once per build. `parts`: where
    the print catalogue's rows are kept between builds (site/fragments.py)."""
    return {
        "site": config,
        "urls": Urls,
        "nav_groups": catalogue.groups,
        "has_shops": bool(catalogue.shops),  # the footer links "where to buy"
        "today": config.today,
        # card(view), stars(n), picture(image, …), chrome(name): rendered once and
        # reused on every page showing them (site/fragments.py)
        **Fragments(parts).functions(),
        "languages": site_languages(config),
        # 'css/site.css' → 'assets/css/site.css?v=<hash>' (site/assets.py)
        "asset": asset_urls(asset_files(config)),
    }


@dataclass(frozen=True)
class Alternate:
    """This page in one of the site's languages: for hreflang links and the switcher."""

    code: str
    hreflang: str
    name: str  # the language's own name for itself: 'English', 'Tiếng Việt'
    url: str  # site path
    href: str  # absolute URL
    og_locale: str
    home: str  # site path of that language's home page
    t: TemplateText  # that language's interface strings (the 404 page speaks them all)


def language_values(page: Page, config: SiteConfig,
                    languages: tuple[Language, ...]) -> dict[str, Any]:
    """What templates need to know about the page's language and its counterparts."""
    by_code = {lang.code: lang for lang in languages}
    lang = by_code.get(page.lang) or languages[0]
    for code in {lang.code, *(code for code, _url in page.alternates)}:
        for key in LANGUAGE_META_KEYS:  # what Translator.meta reads
            note(("string", code, key))
    alternates = tuple(
        Alternate(code, meta.hreflang, meta.name, url, config.absolute(url), meta.og_locale,
                  other.urls.home, TemplateText(other.t))
        for code, url in page.alternates
        for other in (by_code[code],) for meta in (other.t.meta,))
    own = lang.t.meta

    def lang_attr(code: str) -> Markup:
        """' lang="vi"' on a text that is not in the page's language (else nothing)."""
        if not code or code == lang.code:
            return Markup("")
        return Markup(' lang="{}"').format(by_code[code].t.meta.hreflang
                                            if code in by_code else code)

    return {
        "site": lang.site, "urls": lang.urls, "t": TemplateText(lang.t),
        "lang": lang.code, "html_lang": own.hreflang, "og_locale": own.og_locale,
        "default_lang": languages[0].code, "alternates": alternates, "lang_attr": lang_attr,
        "other_languages": tuple(a for a in alternates if a.code != lang.code),
    }


def template_error(exc: Exception, page: Page, config: SiteConfig) -> ContentError:
    """A template failure as a content error pointing at the template file and line."""
    where, line = page.template, getattr(exc, "lineno", None) or 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            where, line = frame.filename, frame.lineno or 0
    try:
        where = Path(where).resolve().relative_to(config.source).as_posix()
    except ValueError:
        pass
    message = getattr(exc, "message", None) or str(exc)
    return ContentError(where, line, "template",
                        f"{type(exc).__name__}: {message} (while rendering {page.path})",
                        f"lỗi mẫu trang: {message} (khi tạo {page.path})")


LANGUAGE_META_KEYS = ("language.name", "language.hreflang", "language.og_locale")


def render_recorded(env: jinja2.Environment, page: Page, shared: Mapping[str, Any],
                    config: SiteConfig) -> tuple[bytes, tuple[Read, ...]]:
    """One page → (UTF-8 bytes, what the render looked up: templates, strings, text
    languages), for the output cache (site/recorded.py)."""
    reads = Reads()
    with recording(reads):
        html = render_page(env, page, shared, config)
    return html, reads.frozen()


def render_page(env: jinja2.Environment, page: Page, shared: Mapping[str, Any],
                config: SiteConfig) -> bytes:
    """One page → UTF-8 bytes. The 404 and offline pages use the base path: they are
    served at any URL."""
    not_found = page.url == Urls.not_found or page.template in SERVED_ANYWHERE
    root = config.base_path if not_found else root_for(page.url)
    template = env.get_template(page.template)

    def link(target: str) -> str:
        """Relative link from this page to a site path ('./' for the home page itself)."""
        return (root + target) or "./"

    languages = shared.get("languages") or site_languages(config)
    values = language_values(page, config, languages)
    site = values["site"]
    html = template.render({
        **shared, **values, **page.context, "page": page, "root": root, "link": link,
        "canonical": config.absolute(page.url),
        "jsonld": page_jsonld(page, site, values["t"]),
        "share": share_for(page, config),
    })
    return html.encode("utf-8")
