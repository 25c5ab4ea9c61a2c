"""build(): the whole pipeline, readable top to bottom like a recipe.

    load + validate → catalogue (indexes) → images → pages → render → outputs
    → search index → commit
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2

from .catalogue import Catalogue, build_catalogue
from .config import SiteConfig, load_config
from .content.loader import load_content
from .errors import ContentError, ContentErrors, ErrorCollector
from .images import process_all, site_files
from .outputs import promotion_files, promotion_warnings
from .pages import Urls, plan_pages
from .render import make_environment, render_page, site_globals, template_error
from .search import index_pages
from .writer import SiteWriter, build_lock


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    changed: int
    unchanged: int
    seconds: float
    warnings: tuple[ContentError, ...]


def load(source: Path, base_url: str | None = None, today: dt.date | None = None
         ) -> tuple[SiteConfig, Catalogue, tuple[ContentError, ...]]:
    """Load and validate everything; raise ContentErrors listing every problem."""
    errors = ErrorCollector()
    config = load_config(source.resolve(), errors, base_url=base_url, today=today)
    if config is None:
        errors.raise_if_any()
    content = load_content(config, errors)
    errors.raise_if_any()
    return config, build_catalogue(config, content), tuple(errors.warnings)


def check(source: Path, today: dt.date | None = None) -> tuple[ContentError, ...]:
    """Validate only (images included); write nothing. Returns warnings."""
    config, catalogue, warnings = load(source, today=today)
    _process_images(config, catalogue)
    return warnings


def image_cache_dir(config: SiteConfig) -> Path:
    return config.source / ".cache" / "images"


def _image_sources(catalogue: Catalogue):
    for product in catalogue.products:
        for ref in product.images:
            yield ref.source, ref.origin, ref.line
    for producer in catalogue.producers_sorted:
        if producer.image:
            yield producer.image.source, producer.image.origin, producer.image.line
    for commune in catalogue.communes:
        if commune.image:
            yield commune.image, "content/data/communes.yaml", commune.image_line


def _process_images(config: SiteConfig, catalogue: Catalogue):
    images, errors = process_all(_image_sources(catalogue), image_cache_dir(config))
    if errors:
        raise ContentErrors(errors)
    return images


Progress = Callable[[str, int, int], None]  # (stage, done, total), for long builds


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build(source: Path, output: Path, base_url: str | None = None,
          today: dt.date | None = None, progress: Progress | None = None) -> BuildResult:
    """Build the site at `source` into `output`, replacing it whole or not at all.
    `progress` hears how far the long loops are; the CLI shows it."""
    report = progress or _no_progress
    started = time.perf_counter()
    config, catalogue, warnings = load(source, base_url=base_url, today=today)
    images = _process_images(config, catalogue)
    pages = plan_pages(catalogue, images)

    env = make_environment(config.template_dirs)
    shared = site_globals(config, catalogue)
    cache_dir = image_cache_dir(config)
    with build_lock(output), SiteWriter(output) as writer:
        for done, page in enumerate(pages, 1):
            try:
                html = render_page(env, page, shared, config)
            except jinja2.TemplateError as exc:
                raise ContentErrors([template_error(exc, page, config)]) from exc
            writer.write(page.path, html, page.template)
            report("pages", done, len(pages))
        # sitemap + robots.txt, Atom feed, open data (JSON, CSV), QR codes
        for site_path, data in promotion_files(catalogue, pages, images):
            writer.write(site_path, data, "outputs")
        # every width, thumbnail and social image; two identical photos share their files
        for site_path, cached in site_files(images.values(), cache_dir).items():
            writer.copy(site_path, cached, "images")
        for asset_dir in config.asset_dirs:
            for asset in sorted(p for p in asset_dir.rglob("*") if p.is_file()):
                site_path = "assets/" + asset.relative_to(asset_dir).as_posix()
                if site_path not in writer.written:  # the site's own assets override
                    writer.write(site_path, asset.read_bytes(), "assets")
        # search index: Pagefind reads the product pages just written to the staging
        # folder; if it fails, the build fails here and the old site stays in place
        if catalogue.products:
            for site_path, data in index_pages(writer.staging, Urls.product_pages_glob,
                                               Urls.search_index):
                writer.write(site_path, data, "search index")
        writer.commit()
    return BuildResult(
        pages=len(pages), files=len(writer.written), changed=writer.changed,
        unchanged=writer.unchanged, seconds=time.perf_counter() - started,
        warnings=warnings + promotion_warnings(config))

