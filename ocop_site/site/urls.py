"""Where every page and file of the site lives, in every language; a page as planned.

The default language's pages are at the root, each other language's under '<code>/'
with the same ASCII paths ('en/san-pham/che-xanh/'), so a page's counterpart in another
language is one prefix away (`Page.alternates`). All internal links are written
relative to the page (`root_for` + site path), so the same output works at a domain
root, under a subpath, or opened from a USB stick.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..content.config import SiteConfig
from ..content.i18n import Translator
from ..content.models import Product


class Urls:
    """Site-relative URL of every kind of page (no leading slash; '' is the home page)."""

    home = ""
    products = "san-pham/"
    communes = "xa/"
    categories = "danh-muc/"
    producers = "co-so/"
    stars_index = "sao/"
    not_found = "404.html"
    search = "tim-kiem/"
    search_index = "search-index/"  # the static search index (search/writer.py)
    events = "su-kien/"
    shops = "cua-hang/"  # where to buy: every shop, by commune
    print_catalogue = "ban-in/"  # every product on A4 sheets, grouped by commune
    offline = "khong-co-mang/"  # what the service worker shows for a page never saved
    saved = "da-luu/"  # the pages saved for reading offline, to open or remove
    statistics = "thong-ke/"  # the programme at a glance: charts and tables of the figures
    service_worker = "sw.js"  # at the root: its scope is the whole site
    # machine-readable outputs (written by ocop_site/outputs/)
    sitemap = "sitemap.xml"
    robots = "robots.txt"
    feed = "feed.xml"  # Atom: newly certified products
    open_data_json = "catalogue.json"
    open_data_csv = "catalogue.csv"
    statistics_csv = "thong-ke.csv"  # the statistics page's figures, one row each
    open_data_shops = "shops.csv"

    @staticmethod
    def product(product: Product) -> str:
        return f"san-pham/{product.slug}/"

    @staticmethod
    def commune(commune_slug: str) -> str:
        return f"xa/{commune_slug}/"

    @staticmethod
    def category(category_id: str) -> str:
        return f"danh-muc/{category_id}/"

    @staticmethod
    def stars(count: int) -> str:
        return f"sao/{count}/"

    @staticmethod
    def producer(producer_id: str) -> str:
        return f"co-so/{producer_id}/"

    @staticmethod
    def event(event_slug: str) -> str:
        return f"su-kien/{event_slug}/"

    @staticmethod
    def shop(shop_id: str) -> str:
        return f"cua-hang/{shop_id}/"

    @staticmethod
    def shop_sheet(shop_id: str) -> str:
        """The shop's printable A4 sheet: its products with their QR codes."""
        return f"cua-hang/{shop_id}/in/"

    @staticmethod
    def qr(product: Product) -> str:
        """The product's QR code (SVG) sits beside its page."""
        return f"san-pham/{product.slug}/qr.svg"


# One file for every language: the search index has a folder per language inside, and
# open data is the catalogue's (with the translated fields). Each language has its feed.
SHARED_URLS = frozenset({"search_index", "sitemap", "robots",
                         "open_data_json", "open_data_csv", "statistics_csv", "open_data_shops",
                         "service_worker"})
# Pages shown in place of another address (the host's 404, the service worker's offline
# page): their links start from the site's base path, not from their own folder.
SERVED_ANYWHERE = frozenset({"404.html", "offline.html"})


@dataclass(frozen=True)
class LangUrls:
    """`Urls` for the pages of one language: the same paths under its prefix ('en/';
    '' for the default language). Site-wide files (SHARED_URLS) keep their one path."""

    prefix: str = ""

    def __getattr__(self, name: str) -> Any:
        value = getattr(Urls, name)
        if name.startswith("_"):
            return value
        if self.prefix and name not in SHARED_URLS:
            prefix = self.prefix
            value = ((lambda *args, url=value: prefix + url(*args))
                     if callable(value) else prefix + value)
        self.__dict__[name] = value  # asked once per name: pages ask thousands of times
        return value


@dataclass(frozen=True)
class Language:
    """One language of the site, as its pages need it."""

    code: str
    prefix: str  # '' for the default language, 'en/' for English
    t: Translator  # interface strings
    site: SiteConfig  # title, tagline, region… in this language
    urls: LangUrls


def site_languages(config: SiteConfig) -> tuple[Language, ...]:
    """The site's languages, the default (served at the root) first."""
    return tuple(
        Language(code, prefix, config.translator(code), config.localized(code),
                 LangUrls(prefix))
        for code, prefix in ((code, "" if index == 0 else f"{code}/")
                             for index, code in enumerate(config.languages)))


def output_path(url: str) -> str:
    """The file that serves a URL: directories get index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def root_for(url: str) -> str:
    """Relative prefix from a page back to the site root ('../../' for 'xa/song-lo/')."""
    return "../" * output_path(url).count("/")


@dataclass(frozen=True)
class Page:
    """One page to render, as planned: its context is data (the output cache digests
    it, pipeline/fingerprint.py), so the same page planned again has the same key."""

    url: str
    template: str
    title: str
    context: Mapping[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (title, url) above this page
    lang: str = ""  # the page's language code
    # (language code, url) of this page in every language, the default language first
    alternates: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> str:
        return output_path(self.url)
