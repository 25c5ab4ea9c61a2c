"""Rebuilds for `serve`: after an edit to product files, only what shows them is redone.

A Session keeps the last build in memory: content, catalogue, processed photos, planned
pages, and the stat of every source. Each `build()` compares the stats:

* nothing changed: nothing to do;
* only product files changed (edited, same URL, photos already processed): each file is
  read and checked again against the rest of the content, the catalogue's indexes are
  rebuilt (cheap), the products' own pages are written first, then every page that can
  show them — their siblings' pages, their commune, category, star, producer and event
  pages (only the part of a long list they are on, when their place in it did not
  move), the home page, the list indexes, the print catalogue — and the feed, sitemap,
  open data and QR codes. Each file is compared with what is on disk and replaced only
  if its bytes changed (temp file + os.replace, so a browser never reads half a page);
  pages that no longer exist are removed;
* anything else (a template, a data file, site.yaml, a photo, a new or removed file, a
  renamed URL): a full build, which is what the CLI does.

The result is byte for byte what a full build would write (tests compare the trees),
except for the search index, which takes Pagefind seconds per thousand pages:
`search_pending` is set, and `refresh_search()` (serve runs it in the background)
rebuilds it over the pages on disk.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2

from . import builder, buildstate
from .atomicfile import write_atomically
from .catalogue import Catalogue, build_catalogue
from .config import SiteConfig, build_date, load_config
from .content.cache import ContentCache
from .content.loader import Content, load_content, reload_product
from .content.models import Product
from .errors import ContentError, ContentErrors, ErrorCollector
from .images import ProcessedImage
from .outputs import feed, opendata, promotion_warnings, qr, sitemap
from .pages import PAGINATED, Page, Urls, plan_pages, search_glob
from .render import make_environment, render_page, site_globals, template_error
from .renderpool import products_only
from .search import index_pages


class _FullBuild(Exception):
    """This change is not one the session can apply by itself."""


@dataclass(frozen=True)
class _Built:
    """The session's picture of the site as it is on disk."""

    config: SiteConfig
    content: Content
    catalogue: Catalogue
    images: Mapping[Path, ProcessedImage]
    pages: tuple[Page, ...]
    env: jinja2.Environment
    stats: Mapping[str, tuple[int, int, int, int]]
    warnings: tuple[ContentError, ...]


class Session:
    """One site built into one output folder, again and again, as its files change."""

    def __init__(self, source: Path, output: Path, base_url: str | None = None,
                 today: dt.date | None = None, workers: int | None = None,
                 search: bool = True, local_cms: bool = False):
        """`search=False`: no search index (like builder.build's; benchmarks).
        `local_cms`: admin/ saves into the working folder (serve)."""
        self.search = search
        self.local_cms = local_cms
        self.source = source.resolve()
        self.output = output.resolve()
        self.base_url = base_url
        self.today = today
        self.workers = workers
        self.cache = builder.content_cache(self.source)  # kept warm in memory
        self.built: _Built | None = None
        self.pending = False  # finish() has catalogue-wide files to redo
        self.last_first_page = 0.0  # seconds from build() to the edited page on disk
        self._finish_lock = threading.Lock()  # one finish() at a time
        # build() holds this while it writes; finish() takes it only to write what it
        # made, and only if no build came in between (`generation` tells)
        self._write_lock = threading.Lock()
        self.generation = 0

    # -- one rebuild -------------------------------------------------------------------
    def build(self) -> builder.BuildResult:
        """Bring the output up to date with the sources, doing as little as it can."""
        with self._write_lock:
            return self._build()

    def _build(self) -> builder.BuildResult:
        started = time.perf_counter()
        stats = self._stats()
        if self.built is not None:
            changed = [p for p in self.built.stats.keys() | stats.keys()
                       if self.built.stats.get(p) != stats.get(p)]
            if not changed:
                return builder.BuildResult(len(self.built.pages), 0, 0, 0,
                                           time.perf_counter() - started,
                                           self._warnings(self.built), skipped=True)
            self.generation += 1
            products = self._product_files(changed)
            if products is not None:
                try:
                    return self._update(products, stats, started)
                except _FullBuild:
                    pass
        self.built = None
        self.generation += 1
        result = builder.build(self.source, self.output, self.base_url, self._today(),
                               workers=self.workers, search=self.search,
                               local_cms=self.local_cms)
        self.cache = builder.content_cache(self.source)  # what the build just saved
        built = self._load(stats)
        # a file saved while we built: start from a full build next time
        self.built = built if self._stats() == stats else None
        self.pending = False
        return result

    def _today(self) -> dt.date:
        return self.today or build_date()

    def _stats(self) -> dict[str, tuple[int, int, int, int]]:
        return buildstate.source_stats(buildstate.input_roots(self.source))

    def _warnings(self, built: _Built) -> tuple[ContentError, ...]:
        return built.warnings + promotion_warnings(built.config)

    def _load(self, stats: Mapping[str, tuple[int, int, int, int]]) -> _Built:
        """What the full build just wrote, in memory (files parsed by the build are in
        the cache, so this costs the checks, the catalogue and the page plan)."""
        errors = ErrorCollector()
        config = load_config(self.source, errors, base_url=self.base_url, today=self._today(),
                             local_cms=self.local_cms)
        if config is None:
            errors.raise_if_any()
        content = load_content(config, errors, self.cache)
        errors.raise_if_any()
        catalogue = build_catalogue(config, content)
        images = builder._process_images(config, catalogue)
        pages = tuple(plan_pages(catalogue, images))
        env = make_environment(config.template_dirs)
        for name in env.list_templates(extensions=("html", "xml", "txt")):
            env.get_template(name)  # compiled now, not while a producer waits for a page
        return _Built(config, content, catalogue, images, pages, env, dict(stats),
                      tuple(errors.warnings))

    def _product_files(self, changed: Iterable[str]) -> list[Path] | None:
        """The changed files, if every one is a product file (not a translation) that
        existed before and still does; None if anything else changed."""
        assert self.built is not None
        folder = self.built.config.content_dir / "products"
        found = []
        for name in changed:
            path = Path(name)
            if path.parent != folder or path.suffix != ".md" or path.name.startswith(".") \
                    or "." in path.stem or name not in self.built.stats \
                    or not path.is_file():
                return None
            found.append(path)
        return found

    def _update(self, paths: list[Path], stats: Mapping[str, tuple[int, int, int, int]],
                started: float) -> builder.BuildResult:
        built = self.built
        assert built is not None
        config, content = built.config, built.content
        by_source = {p.source: p for p in content.products}
        errors = ErrorCollector()
        replaced: dict[str, tuple[Product, Product]] = {}
        for path in paths:
            shown = path.relative_to(self.source).as_posix()
            old = by_source.get(shown)
            new = reload_product(config, content, path, errors, self.cache)
            if errors.errors:
                raise ContentErrors(errors.errors)
            if old is None or new is None or new.slug != old.slug \
                    or (content.events and new.name != old.name) \
                    or any(ref.source not in built.images for ref in new.images):
                raise _FullBuild()
            replaced[old.slug] = (old, new)
        shown_paths = {p.source for p in content.products if p.slug in replaced}
        warnings = tuple(w for w in built.warnings if w.path not in shown_paths) \
            + tuple(errors.warnings)
        products = tuple(replaced[p.slug][1] if p.slug in replaced else p
                         for p in content.products)
        content = dataclasses.replace(content, products=products)
        catalogue = build_catalogue(config, content)
        if _photos(catalogue) != _photos(built.catalogue):  # photo files come or go
            raise _FullBuild()
        shared = site_globals(config, catalogue)
        buildstate.forget(self.output)  # the output is no longer a full build's
        counts = [0, 0]  # changed, unchanged

        # the edited products' own pages first: what the producer is looking at
        first = plan_pages(catalogue, built.images, only=frozenset(replaced))
        for page in first:
            self._write_page(built.env, page, shared, config, counts)
        self.last_first_page = time.perf_counter() - started
        self.cache.save()

        pages = tuple(plan_pages(catalogue, built.images))
        done = {page.path for page in first}
        for page in _affected(pages, replaced, built.catalogue, catalogue):
            if page.path not in done and not _whole_catalogue(page):
                self._write_page(built.env, page, shared, config, counts)
        # sitemap, feed, and the QR codes of the edited products (promotion_files makes
        # them for a full build); open data and the print catalogue wait for finish()
        edited = products_only(catalogue, [p for p in catalogue.products if p.slug in replaced])
        outputs = [*sitemap.files(catalogue, pages, built.images), *feed.files(catalogue),
                   *qr.files(edited, qr.cache_dir(config))]
        for site_path, data in outputs:
            counts[_write_if_changed(self.output / site_path, data)] += 1
        # pages no longer made (a product now a draft, a list now shorter), with what
        # sat beside them only for them (the product's QR code)
        kept = {p.path for p in pages} | {site_path for site_path, _ in outputs}
        for gone in sorted({p.path for p in built.pages} - kept):
            folder = (self.output / gone).parent
            for other in list(folder.iterdir()) if folder.is_dir() else ():
                if other.is_file() and other.relative_to(self.output).as_posix() not in kept:
                    _remove(other, self.output)
        self.built = dataclasses.replace(built, content=content, catalogue=catalogue,
                                         pages=pages, stats=dict(stats), warnings=warnings)
        self.pending = True
        return builder.BuildResult(len(pages), counts[0] + counts[1], counts[0], counts[1],
                                   time.perf_counter() - started, self._warnings(self.built))

    def _write_page(self, env: jinja2.Environment, page: Page, shared: Mapping[str, Any],
                    config: SiteConfig, counts: list[int]) -> None:
        try:
            html = render_page(env, page, shared, config)
        except jinja2.TemplateError as exc:
            raise ContentErrors([template_error(exc, page, config)]) from exc
        counts[_write_if_changed(self.output / page.path, html)] += 1

    # -- what covers the whole catalogue ---------------------------------------------------
    def finish(self) -> bool:
        """After an update: the files made from the whole catalogue, which take seconds on a
        big site — open data, the print catalogue and the search index (Pagefind, over
        the pages on disk). Safe to run in a thread beside build(): files are replaced
        whole, and an update made meanwhile sets `pending` again for the next call."""
        with self._finish_lock:
            with self._write_lock:
                built, generation = self.built, self.generation
                if not self.pending or built is None:
                    return False
                self.pending = False
                config = built.config
                shared = site_globals(config, built.catalogue)
                for page in built.pages:
                    if _whole_catalogue(page):
                        self._write_page(built.env, page, shared, config, [0, 0])
                for site_path, data in opendata.files(built.catalogue, built.images):
                    _write_if_changed(self.output / site_path, data)
            if not built.catalogue.products or not self.search:
                return True
            # Pagefind reads the pages on disk: seconds on a big site, builds go on
            bundle = dict(index_pages(self.output, search_glob(config), Urls.search_index))
            with self._write_lock:
                if self.generation != generation:  # pages changed meanwhile: index again
                    self.pending = True
                    return False
                folder = self.output / Urls.search_index
                old = {p.relative_to(self.output).as_posix() for p in folder.rglob("*")
                       if p.is_file()} if folder.is_dir() else set()
                # chunks first, the entry file (naming them) last, stale files after
                for site_path in sorted(bundle, key=lambda p: p.endswith("pagefind-entry.json")):
                    _write_if_changed(self.output / site_path, bundle[site_path])
                for stale in old - bundle.keys():
                    _remove(self.output / stale, self.output)
            return True


def _photos(catalogue: Catalogue) -> set[Path]:
    """The photos whose files the site publishes."""
    return {source for source, _shown, _line in builder._image_sources(catalogue)}


def _whole_catalogue(page: Page) -> bool:
    """The print catalogue: every product on one page, left to finish()."""
    return page.template == "print-catalogue.html"


def _affected(pages: Iterable[Page], replaced: Mapping[str, tuple[Product, Product]],
              before: Catalogue, after: Catalogue) -> Iterable[Page]:
    """Every page that may show one of the replaced products: a superset is harmless
    (unchanged pages are not rewritten), a missing page would be a stale page."""
    slugs = set(replaced)
    products: set[str] = set(slugs)
    communes: set[str] = set()
    categories: set[str] = set()
    stars: set[str] = set()
    producers: set[str] = set()
    events: set[str] = set()
    moved = False  # a product changed place in (or joined, or left) some list
    old_rank = {p.slug: i for i, p in enumerate(before.products) if p.slug in slugs}
    new_rank = {p.slug: i for i, p in enumerate(after.products) if p.slug in slugs}
    for slug, (old, new) in replaced.items():
        # (commune_as_written: a commune page lists the former names its products give)
        if old_rank.get(slug) != new_rank.get(slug) or old.commune != new.commune \
                or old.category != new.category or old.stars != new.stars \
                or old.commune_as_written != new.commune_as_written:
            moved = True
        for catalogue, product in ((before, old), (after, new)):
            products.update(p.slug for p in catalogue.by_producer.get(product.producer, ()))
            communes.add(product.commune)
            categories.update(c.id for c in catalogue.category_path(product.category))
            stars.add(str(product.stars))
            producers.add(product.producer)
            events.update(e.slug for e in catalogue.events_by_product.get(slug, ()))
    lists = {"xa": communes, "danh-muc": categories, "sao": stars}
    for page in pages:
        rest = page.url
        if page.lang and rest.startswith(page.lang + "/"):
            rest = rest[len(page.lang) + 1:]
        parts = rest.split("/")
        if page.template in PAGINATED:
            if parts[0] in lists and parts[1] not in lists[parts[0]]:
                continue
            shown = page.context.get("products", ())
            if moved or page.context.get("pagination") is None \
                    or any(view.product.slug in slugs for view in shown):
                yield page
        elif parts[0] == Urls.products.rstrip("/") and page.template == "product.html":
            if parts[1] in products:
                yield page
        elif parts[0] == Urls.producers.rstrip("/") and len(parts) > 2:
            if parts[1] in producers:
                yield page
        elif parts[0] == Urls.events.rstrip("/") and len(parts) > 2:
            if parts[1] in events:
                yield page
        else:  # home, list indexes, print catalogue, search, 404: small and few
            yield page


def _write_if_changed(path: Path, data: bytes) -> int:
    """0 if written (the bytes changed), 1 if the file already held them."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return 1
    except OSError:
        pass
    write_atomically(path, data, mode=0o644)  # a page: the web server must read it
    return 0


def _remove(path: Path, root: Path) -> None:
    """Delete a file, and the folders it leaves empty (san-pham/x/), up to `root`."""
    try:
        path.unlink()
    except OSError:
        return
    folder = path.parent
    while folder != root and folder.is_relative_to(root) and folder.is_dir() \
            and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
