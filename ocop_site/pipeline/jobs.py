"""Everything a build makes, each with the key of what it is made from.

A `Job` is one page, or files that are made together (sitemap + robots.txt, the JSON and
CSV open data, a QR code, an asset, the web form under admin/). Its key digests the
inputs it declares as it is planned: a page's own `Page` (URL, title, every value its
template shows) and what all pages share (the site's texts, languages, navigation); a QR
code's URL and title; the open data's products, producers, communes, categories and
events; an asset's bytes. The code's version (project_version) is in every key. Pages also
have what their render looked up (site/recorded.py), checked by the output cache apart from the key.

Everything a template shows is given to it by site/pages.py, so the page's values decide
its bytes: a key that is unchanged means a page that is unchanged, and the build takes
it from the output cache (output/cache.py) instead of rendering it.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..base.files import pickle_atomically
from ..cms import admin
from ..content.config import SiteConfig
from ..content.i18n import Translator
from ..content.models import Product
from ..content.safepath import cache_root
from ..images.photos import ProcessedImage
from ..outputs import feed, offline, opendata, qr, sitemap
from ..search.indexcache import IndexCache
from ..search.records import site_records
from ..search.writer import IndexRun, KeptIndex, index_files
from ..site.assets import published_assets
from ..site.catalogue import Catalogue
from ..site.fragments import FRAGMENT_FUNCTIONS
from ..site.statistics import compute as compute_statistics
from ..site.urls import Language, Page, Urls, site_languages
from .fingerprint import Fingerprinter

Files = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Job:
    """One output of the build: a page (rendered by the render pool) or files `make`
    returns. `paths` are the site paths it writes."""

    key: str
    kind: str
    paths: tuple[str, ...]
    page: Page | None = None
    make: Callable[[], Files] | None = None
    start: Callable[[], Any] | None = None  # made in the background: an IndexRun
    # when the cache has its files: made anyway in the background for what it leaves in
    # memory (serve's first build: the search index the session keeps), or None
    warm: Callable[[], Any] | None = None
    # the products (slugs) a file job shows, for the dependency graph (pipeline/depgraph.py):
    # None, the default: every product (planned again on every build); a page's are
    # walked from it. A job that declares fewer must be right: it is kept otherwise
    reads: frozenset[str] | None = None
    # a job the dependency graph kept as the last build made it (pipeline/graphplan.py):
    # its record there, reused as this build's (nothing of it was planned again)
    known: Any = None


def fingerprinter(config: SiteConfig) -> Fingerprinter:
    """The digests the keys are made of. Left out, because they are accounted for
    otherwise: interface strings (recorded as pages ask for them; file outputs add the
    strings they use with `strings_digest`), the build date (pages are given what the
    date decides: expired, upcoming…), and where the site folder is on disk (a cache
    restored into another checkout still fits)."""
    root = str(config.source)

    def path(value: PurePath) -> str:
        text = str(value)
        return os.path.relpath(text, root) if text.startswith(root) else text

    def site(value: SiteConfig) -> tuple:
        return (value.title, value.region_name, value.base_url, value.tagline,
                value.description, value.language, value.region_kind, value.province,
                value.contact, value.sample_data, value.featured_limit,
                value.newest_limit, value.hide_expired, value.languages, value.targets,
                tuple((code, t.meta) for code, t in value.translators.items()),
                value.site_texts)

    return Fingerprinter(overrides={
        SiteConfig: site,
        Translator: lambda t: (t.lang, t.meta),
        PurePath: path,
    })


def strings_digest(config: SiteConfig) -> str:
    """Every interface string of every language, for outputs that take several."""
    digest = hashlib.blake2b(digest_size=16)
    for code in config.languages:
        translator = config.translator(code)
        for source in (translator, translator.fallback):
            for key, text in sorted((source.texts if source else {}).items()):
                digest.update(f"{code}\0{key}\0{text}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def shared_digest(shared: Mapping[str, Any], fp: Fingerprinter, version: str) -> str:
    """The values render_page gives every page, and the code's version; the fragment
    functions (site/fragments.py) are left out: what they show is given by the page (a
    card's view, a photo) or the same on every page of its language (the header)."""
    return fp.hexdigest(version, {k: v for k, v in shared.items()
                                  if k not in FRAGMENT_FUNCTIONS})


def page_jobs(pages: Sequence[Page], shared: Mapping[str, Any], fp: Fingerprinter,
              version: str) -> Iterator[Job]:
    """A job per page, keyed by its `Page` and `shared_digest`."""
    common = shared_digest(shared, fp, version)
    for page in pages:
        yield Job(fp.hexdigest("page", common, page), "page", (page.path,), page=page)


def file_jobs(catalogue: Catalogue, pages: Sequence[Page],
              images: Mapping[Path, ProcessedImage], fp: Fingerprinter,
              version: str, asset_dirs: Sequence[Path],
              only: frozenset[str] | None = None) -> Iterator[Job]:
    """The jobs of every file that is not a page, in the order they are written.
    `only` (a build the dependency graph plans, pipeline/depgraph.py): just the jobs that
    read every product or one of these (`pages` is then not read)."""
    config = catalogue.config
    strings = strings_digest(config)
    site = fp.hexdigest(version, config, strings)
    if only is None:
        listed = tuple((p.url, p.alternates) for p in pages)
        photos = sitemap.page_images(catalogue, images)
        yield Job(fp.hexdigest("sitemap", site, listed, photos), "sitemap",
                  (Urls.sitemap, Urls.robots),
                  make=lambda: sitemap.files(catalogue, pages, images),
                  reads=frozenset())  # addresses and photos: no product's words
    for lang in site_languages(config):
        local = catalogue.in_languages[lang.code][0] if catalogue.in_languages \
            else catalogue
        yield Job(fp.hexdigest("feed", site, lang.code, local.products), "feed",
                  (lang.urls.feed,),
                  make=functools.partial(_feed_files, local, lang))
    # the statistics hold what the build date decides (expired, lapsing soon)
    stats = compute_statistics(catalogue)
    yield Job(fp.hexdigest("open data", site, catalogue.products, catalogue.producers,
                           catalogue.communes, catalogue.categories,
                           catalogue.events_by_product, catalogue.shops, images, stats),
              "open data", (Urls.open_data_json, Urls.open_data_csv, Urls.statistics_csv)
              + ((Urls.open_data_shops,) if catalogue.shops else ()),
              make=lambda: _open_data_files(catalogue, images, stats,
                                            _record_keys(catalogue, images, fp, site)))
    yield from qr_jobs(catalogue, fp, version, only)
    if only is None:
        yield offline_job(catalogue, images, version)
        yield from asset_jobs(asset_dirs, version)
        yield from admin_jobs(catalogue, fp, site)


def _record_keys(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                 fp: Fingerprinter, site: str) -> Callable[[Product], str]:
    """The key of a product's open data record (outputs/opendata.py KeptItems): what
    product_record reads, digested (the product, its category path, commune, producer,
    whether it expired, its photos, its events; the site's settings and the code's
    version in `site`). Digests of instances the build made already are remembered."""
    def key_of(product: Product) -> str:
        return fp.hexdigest(
            "open data record", site, product, catalogue.category_path(product.category),
            catalogue.communes_by_slug[product.commune],
            catalogue.producers[product.producer], catalogue.is_expired(product),
            tuple(images.get(ref.source) for ref in product.images),
            catalogue.events_by_product.get(product.slug, ()))
    return key_of


def _open_data_files(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                     stats: Any, key_of: Callable[[Product], str] | None = None) -> Files:
    """The open data, each product record's JSON and CSV line taken from
    `.cache/opendata.pickle` when an earlier build made it (outputs/opendata.py
    KeptItems, by `key_of`), and what this build used kept there (atomically; a cache
    that cannot be read or written is only slower)."""
    path = cache_root(catalogue.config.source) / "opendata.pickle"
    try:
        with open(path, "rb") as handle:
            old = pickle.load(handle)
        if not isinstance(old, dict):
            old = {}
    except Exception:  # missing or corrupt: made again
        old = {}
    kept = opendata.KeptItems(old, key_of)
    made = opendata.files(catalogue, images, stats, kept)
    if kept.used.keys() != old.keys():  # streamed: the largest moment of a CI build
        try:
            pickle_atomically(path, kept.used)
        except OSError:
            pass
    return made


def _feed_files(catalogue: Catalogue, lang: Language) -> Files:
    return [(lang.urls.feed, feed.atom_feed(catalogue, lang.prefix))]


def admin_jobs(catalogue: Catalogue, fp: Fingerprinter, site: str) -> Iterator[Job]:
    """The producers' web form (cms/admin.py), when the site has one: its choices come
    from the communes, categories and producers; its scripts are copied files."""
    paths = admin.site_paths(catalogue)
    if paths:
        yield Job(fp.hexdigest("admin", site, catalogue.config.cms, catalogue.communes,
                               catalogue.categories, catalogue.producers_sorted,
                               admin.copied_digest()),
                  "web form", paths, make=lambda: list(admin.files(catalogue)),
                  reads=frozenset())


def qr_jobs(catalogue: Catalogue, fp: Fingerprinter, version: str,
            only: frozenset[str] | None = None) -> Iterator[Job]:
    """A QR code per product and language (`only`: of these products): its page's
    absolute URL and its title."""
    config = catalogue.config
    for lang in site_languages(config):
        local = catalogue.in_languages[lang.code][0] if catalogue.in_languages \
            else catalogue
        for product in local.products:
            if only is not None and product.slug not in only:
                continue
            url = config.absolute(lang.urls.product(product))
            title = lang.t("qr.named", name=product.name)
            path = lang.urls.qr(product)
            yield Job(fp.hexdigest("qr", version, url, title), "qr", (path,),
                      make=functools.partial(_qr_files, path, url, title),
                      reads=frozenset((product.slug,)))


def _qr_files(path: str, url: str, title: str) -> Files:
    return [(path, qr.qr_svg(url, title))]


def offline_job(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
                version: str) -> Job:
    """The service worker (outputs/offline.py): made as it is planned (a hash of the
    assets' bytes and the photos' names), its bytes are its key."""
    data = offline.service_worker(catalogue, images)
    key = hashlib.blake2b(b"service worker\0" + version.encode() + b"\0" + data,
                          digest_size=16).hexdigest()
    return Job(key, "service worker", (Urls.service_worker,),
               make=lambda: [(Urls.service_worker, data)], reads=frozenset())


def asset_jobs(asset_dirs: Sequence[Path], version: str) -> Iterator[Job]:
    """The site's assets, then the theme's ones it does not replace."""
    for site_path, asset in published_assets(asset_dirs).items():
        data = asset.read_bytes()
        key = hashlib.blake2b(b"asset\0" + version.encode() + b"\0" + data,
                              digest_size=16).hexdigest()
        yield Job(key, "asset", (site_path,), make=functools.partial(_given, site_path, data),
                  reads=frozenset())


def _given(site_path: str, data: bytes) -> Files:
    return [(site_path, data)]


def search_job(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
               fp: Fingerprinter, version: str, kept: KeptIndex | None = None) -> Job:
    """The search index: the static index files (search/writer.py) of the search docs
    of every product and shop in every language (search/records.py), made from the
    catalogue, not from the pages. Its key is what the docs are made of — each
    language's products and shops, their communes, producers and categories, which are
    expired, their photos, the interface strings — digested like a page's (the products
    are digested once for both), so a build that finds the index in the cache makes no
    doc at all; a shop edit re-indexes. `kept` (serve's session): the index the last
    run wrote, which this one updates (search/writer.py KeptIndex)."""
    config = catalogue.config
    languages = []
    for lang in site_languages(config):
        local = catalogue.in_languages[lang.code][0] if catalogue.in_languages \
            else catalogue
        languages.append((lang.code, local.products, local.communes_by_slug,
                          local.producers, local.categories,
                          tuple(local.is_expired(p) for p in local.products), local.shops))
    key = fp.hexdigest("search", version, Urls.search_index, strings_digest(config),
                       languages, images)
    records = site_records(catalogue, images, kept.docs if kept is not None else None)

    def last_index() -> IndexCache:
        """The index the last run wrote (search/indexcache.py): a one-product edit
        makes again only what its words change. Read only when the index is made."""
        return IndexCache(cache_root(config.source) / "search-index", version)

    def start() -> IndexRun:
        return IndexRun(records, Urls.search_index, last_index(), kept)
    # serve's first build: the kept index filled even when the cache has the files
    return Job(key, "search index", (),
               make=lambda: index_files(records, Urls.search_index, last_index(), kept=kept),
               start=start, warm=start if kept is not None and not kept.languages else None)
