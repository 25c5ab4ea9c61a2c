"""Jinja environment and the filters templates use. StrictUndefined: a typo in a template
fails the build with the template's file and line, instead of an empty hole on the page."""
from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path
from typing import Any, Mapping

import jinja2

from .catalogue import Catalogue
from .config import SiteConfig
from .content.models import PRODUCER_TYPES
from .errors import ContentError
from .outputs.jsonld import page_jsonld
from .outputs.social import OG_LOCALE, share_for
from .pages import Page, Urls, root_for

PRODUCER_TYPE_LABELS = dict(zip(PRODUCER_TYPES, (
    "Doanh nghiệp", "Hợp tác xã", "Tổ hợp tác", "Hộ sản xuất kinh doanh")))


def vnd(amount: int | None) -> str:
    """150000 → '150.000 ₫' (Vietnamese thousands separator)."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + "\u00a0₫"


def date_vi(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def star_text(count: int) -> str:
    return "★" * count + "☆" * (5 - count)


def make_environment(template_dirs: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(vnd=vnd, date_vi=date_vi, star_text=star_text,
                       producer_type=PRODUCER_TYPE_LABELS.get)
    return env


def site_globals(config: SiteConfig, catalogue: Catalogue) -> dict[str, Any]:
    """Values every page shows (header, footer); computed once per build."""
    return {
        "site": config,
        "urls": Urls,
        "nav_groups": catalogue.groups,
        "today": config.today,
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


def render_page(env: jinja2.Environment, page: Page, shared: Mapping[str, Any],
                config: SiteConfig) -> bytes:
    """One page → UTF-8 bytes. The 404 page uses the base path: it is served at any URL."""
    root = config.base_path if page.url == Urls.not_found else root_for(page.url)
    template = env.get_template(page.template)

    def link(target: str) -> str:
        """Relative link from this page to a site path ('./' for the home page itself)."""
        return (root + target) or "./"

    html = template.render(
        **shared, **page.context, page=page, root=root, link=link,
        canonical=config.absolute(page.url),
        jsonld=page_jsonld(page, config), share=share_for(page, config), og_locale=OG_LOCALE,
    )
    return html.encode("utf-8")
