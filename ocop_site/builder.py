"""build(): the whole pipeline, readable top to bottom like a recipe.

    load + validate → catalogue (indexes) → images → pages → render → outputs
    → search index → commit
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2

from . import buildstate
from .catalogue import Catalogue, build_catalogue
from .config import SiteConfig, build_date, load_config
from .content.cache import ContentCache
from .content.loader import load_content
from .content.safepath import cache_root
from .errors import ContentError, ContentErrors, ErrorCollector
from .images import process_all, site_files
from .outputs import promotion_files, promotion_warnings
from .i18n import MissingText
from .pages import Urls, plan_pages, search_glob
from .render import make_environment, render_page, site_globals, template_error
from .renderpool import prime_qr_codes, render_pages
from .search import PagefindRun
from .writer import SiteWriter, build_lock


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    changed: int
    unchanged: int
    seconds: float
    warnings: tuple[ContentError, ...]
    # the output was already what this build would make (nothing rendered or written)
    skipped: bool = False
    parsed: int = 0  # content files parsed (not found in the content cache)


def load(source: Path, base_url: str | None = None, today: dt.date | None = None,
         cache: ContentCache | None = None, local_cms: bool = False
         ) -> tuple[SiteConfig, Catalogue, tuple[ContentError, ...]]:
    """Load and validate everything; raise ContentErrors listing every problem.
    With a `cache` (see content_cache), unchanged files are not parsed again.
    `local_cms`: admin/ saves through serve's local write API (cms/localapi.py)."""
    errors = ErrorCollector()
    config = load_config(source.resolve(), errors, base_url=base_url, today=today,
                         local_cms=local_cms)
    if config is None:
        errors.raise_if_any()
    content = load_content(config, errors, cache)
    if cache is not None:
        cache.save()
    errors.raise_if_any()
    return config, build_catalogue(config, content), tuple(errors.warnings)


def check(source: Path, today: dt.date | None = None) -> tuple[ContentError, ...]:
    """Validate only (images included); write nothing. Returns warnings."""
    config, catalogue, warnings = load(source, today=today)
    _process_images(config, catalogue)
    return warnings


def content_cache(source: Path) -> ContentCache:
    """The site's cache of parsed content files (.cache/content beside site.yaml);
    ContentErrors if the repository holds a .cache/ (see safepath.cache_root)."""
    return ContentCache(cache_root(source.resolve()) / "content")


def image_cache_dir(config: SiteConfig) -> Path:
    return cache_root(config.source) / "images"


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
          today: dt.date | None = None, progress: Progress | None = None,
          workers: int | None = None, search: bool = True,
          local_cms: bool = False) -> BuildResult:
    """Build the site at `source` into `output`, replacing it whole or not at all.
    `progress` hears how far the long loops are; the CLI shows it. `workers`: processes
    that render pages (default: one per core; small sites use one). `search=False`
    leaves out the search index (benchmarks time Pagefind apart). `local_cms=True`
    (serve): the web form under admin/ saves into the working folder.

    When nothing the build reads changed since the last build of `output` and the
    output is as that build left it, nothing is done (see buildstate.py)."""
    report = progress or _no_progress
    started = time.perf_counter()
    today = today or build_date()
    stamp = buildstate.input_stamp(
        source, buildstate.build_options(base_url, today, search, local_cms))
    with build_lock(output):
        last = buildstate.unchanged(output, stamp)
    if last is not None:
        files = len(last.manifest)
        return BuildResult(pages=last.pages, files=files, changed=0, unchanged=files,
                           seconds=time.perf_counter() - started, warnings=last.warnings,
                           skipped=True)
    cache = content_cache(source)
    config, catalogue, warnings = load(source, base_url=base_url, today=today, cache=cache,
                                       local_cms=local_cms)
    parsed = cache.parsed
    del cache  # its entries (front-matter, key lines) are saved and no longer needed
    images = _process_images(config, catalogue)
    try:
        pages = plan_pages(catalogue, images)
    except MissingText as exc:  # a page title's string missing from every i18n/ file
        raise ContentErrors([ContentError("i18n", 0, "i18n", str(exc),
                                          f"thiếu chuỗi giao diện: {exc}")]) from exc

    env = make_environment(config.template_dirs)
    shared = site_globals(config, catalogue)
    cache_dir = image_cache_dir(config)
    with build_lock(output), SiteWriter(output) as writer:
        last = buildstate.read_state(output)
        buildstate.forget(output)  # from here on the output may change
        # the pages the search index reads come first: Pagefind then indexes them in
        # the background while the other pages and files are made
        glob = search_glob(config) if catalogue.products and search else None
        indexed = _glob_regex(glob).match if glob else lambda path: None
        searched = [page for page in pages if indexed(page.path)]
        others = [page for page in pages if not indexed(page.path)]
        render_pages(env, searched, shared, config, writer,
                     lambda stage, done, total: report(stage, done, len(pages)), workers)
        search_input = ""
        pagefind: PagefindRun | None = None
        saved = cache_root(config.source) / "search"
        if glob:
            search_input = _search_input(writer.staging, searched, glob)
            if not (_reuse_search_index(writer, output, last, search_input)
                    or _saved_search_index(writer, saved, search_input)):
                pagefind = PagefindRun(writer.staging, glob, Urls.search_index)
        try:
            render_pages(env, others, shared, config, writer,
                         lambda stage, done, total: report(stage, len(searched) + done,
                                                           len(pages)), workers)
            prime_qr_codes(catalogue, workers)
            # sitemap + robots.txt, Atom feed, open data (JSON, CSV), QR codes
            for site_path, data in promotion_files(catalogue, pages, images):
                writer.write(site_path, data, "outputs")
            # every width, thumbnail and social image; two identical photos share files
            for site_path, cached in site_files(images.values(), cache_dir).items():
                writer.copy(site_path, cached, "images")
            for asset_dir in config.asset_dirs:
                for asset in sorted(p for p in asset_dir.rglob("*") if p.is_file()):
                    site_path = "assets/" + asset.relative_to(asset_dir).as_posix()
                    if site_path not in writer.written:  # the site's own assets override
                        writer.write(site_path, asset.read_bytes(), "assets")
            # if Pagefind fails, the build fails here and the old site stays in place
            if pagefind is not None:
                bundle = pagefind.bundle()
                for site_path, data in bundle:
                    writer.write(site_path, data, "search index")
                _save_search_index(saved, search_input, bundle)
        finally:
            if pagefind is not None:
                pagefind.cancel()
        writer.commit()
        warnings = warnings + promotion_warnings(config)
        buildstate.write_state(output, buildstate.BuildState(
            stamp, buildstate.scan_output(writer.output), len(pages), warnings, search_input))
    return BuildResult(
        pages=len(pages), files=len(writer.written), changed=writer.changed,
        unchanged=writer.unchanged, seconds=time.perf_counter() - started,
        warnings=warnings, parsed=parsed)


def _glob_regex(glob: str) -> re.Pattern:
    """Pagefind's --glob ('a/*/index.html' or '{a,b}') as a regex over site paths."""
    options = glob[1:-1].split(",") if glob.startswith("{") and glob.endswith("}") else [glob]
    return re.compile("|".join(
        "(?:" + "[^/]*".join(re.escape(part) for part in option.split("*")) + ")"
        for option in options) + r"\Z")


def _search_input(staging: Path, pages, glob: str) -> str:
    """Hash of the pages Pagefind reads (and how it is run): equal hashes, equal index."""
    matches = _glob_regex(glob).match
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{glob}\0{Urls.search_index}\0{buildstate.project_version()}\0"
                  f"{os.environ.get('PAGEFIND_BINARY_PATH', '')}\0".encode())
    for path in sorted(page.path for page in pages if matches(page.path)):
        digest.update(path.encode() + b"\0" + (staging / path).read_bytes() + b"\0")
    return digest.hexdigest()


def _reuse_search_index(writer: SiteWriter, output: Path, last, search_input: str) -> bool:
    """Place the previous build's search index when it was made from the same pages and
    is still intact in the output (Pagefind takes seconds per thousand pages)."""
    if last is None or not last.search_input or last.search_input != search_input:
        return False
    bundle = {path: stats for path, stats in last.manifest.items()
              if path.startswith(Urls.search_index)}
    current = buildstate.scan_output(writer.output)
    if not bundle or any(current.get(path) != stats for path, stats in bundle.items()):
        return False
    for path in sorted(bundle):
        writer.copy(path, writer.output / path, "search index")
    return True


def _saved_search_index(writer: SiteWriter, folder: Path, search_input: str) -> bool:
    """Place the search index saved in the site's .cache/ by a build of the same pages
    (a new output folder, or CI restoring .cache/). Read whole first: another build
    of the same site may be replacing it."""
    try:
        if (folder / "input").read_text() != search_input:
            return False
        bundle = {Urls.search_index + file.relative_to(folder / "bundle").as_posix():
                  file.read_bytes()
                  for file in (folder / "bundle").rglob("*") if file.is_file()}
        if not bundle or (folder / "input").read_text() != search_input:
            return False
    except OSError:
        return False
    for site_path in sorted(bundle):
        writer.write(site_path, bundle[site_path], "search index")
    return True


def _save_search_index(folder: Path, search_input: str,
                       bundle: tuple[tuple[str, bytes], ...]) -> None:
    """Keep the last search index in .cache/search/, replaced whole (only a speed-up:
    a failure to save costs the next build a Pagefind run)."""
    fresh = folder.parent / f".search-{os.getpid()}"
    old = folder.parent / f".search-old-{os.getpid()}"
    try:
        shutil.rmtree(fresh, ignore_errors=True)
        for site_path, data in bundle:
            target = fresh / "bundle" / site_path[len(Urls.search_index):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (fresh / "input").write_text(search_input)
        if folder.exists():
            os.rename(folder, old)
        os.rename(fresh, folder)
    except OSError:
        pass
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)

