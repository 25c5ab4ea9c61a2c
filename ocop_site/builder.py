"""build(): the whole pipeline, readable top to bottom like a recipe.

    scan the inputs → load + validate → catalogue (every language) → images → plan
    the jobs (pages and files, each with the key of its inputs) → take from the output
    cache what it has, make the rest → search index → commit

One pipeline for every build: the CLI into a new or the same folder, CI restoring
`.cache/`, and `serve` after an edit (session.py), which passes what the last build
left in memory and writes in place; they differ in their inputs, not their steps, and
write the same bytes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import jinja2

from . import buildstate
from .catalogue import Catalogue, build_catalogue
from .config import SiteConfig, load_config
from .version import build_date
from .content.cache import ContentCache
from .content.loader import Content, load_content
from .content.models import Product
from .content.update import keep_warnings, product_files, updated_content
from .inputs import changed as changed_sources
from .content.safepath import cache_root
from .errors import ContentError, ContentErrors, ErrorCollector
from .i18n import MissingText
from .images import ProcessedImage, process_all, site_files
from .jobs import Job, file_jobs, fingerprinter, page_jobs, search_job
from .localize import localized_catalogue
from .outputs import promotion_warnings
from .pagecache import PageCache, StoredFile, store
from .pages import plan_pages
from .urls import Page
from .views import text_lang_in
from .recorded import ReadResolver
from .render import make_environment, site_globals
from .renderpool import Made, make_jobs
from .writer import LiveWriter, SiteWriter, build_lock

Progress = Callable[[str, int, int], None]  # (stage, done, total), for long builds


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
    made: int = 0  # pages and files made (not found in the output cache)
    first_page: float = 0.0  # seconds until the pages of edited products were written
    memory: "Memory | None" = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Memory:
    """What a build leaves for the next one in the same process (serve's session): the
    inputs it saw, what it loaded, and what the output holds."""

    stamp: str
    scan: Mapping[str, tuple[int, int, int, int]]
    config: SiteConfig
    content: Content
    warnings: tuple[ContentError, ...]
    content_cache: ContentCache
    page_cache: PageCache
    env: jinja2.Environment
    templates: str  # digest of the template files the environment was made from
    blobs: Mapping[str, str]  # site path → blob name, as in the output
    pages: int


def load(source: Path, base_url: str | None = None, today: dt.date | None = None,
         cache: ContentCache | None = None, local_cms: bool = False
         ) -> tuple[SiteConfig, Catalogue, tuple[ContentError, ...]]:
    """Load and validate everything; raise ContentErrors listing every problem.
    With a `cache` (see content_cache), unchanged files are not parsed again.
    `local_cms`: admin/ saves through serve's local write API (cms/localapi.py)."""
    config, content, warnings = _load_content(source, base_url, today, cache, local_cms)
    return config, build_catalogue(config, content), warnings


def _load_content(source: Path, base_url: str | None, today: dt.date | None,
                  cache: ContentCache | None, local_cms: bool = False
                  ) -> tuple[SiteConfig, Content, tuple[ContentError, ...]]:
    errors = ErrorCollector()
    config = load_config(source.resolve(), errors, base_url=base_url, today=today,
                         local_cms=local_cms)
    if config is None:
        errors.raise_if_any()
    content = load_content(config, errors, cache)
    if cache is not None:
        cache.save()
    errors.raise_if_any()
    return config, content, tuple(errors.warnings)


def check(source: Path, today: dt.date | None = None) -> tuple[ContentError, ...]:
    """Validate only (images included); write nothing. Returns warnings."""
    config, catalogue, warnings = load(source, today=today)
    _process_images(config, catalogue)
    from .initsite import compare_communes  # the official lists, read only by `check`
    return warnings + tuple(compare_communes(config.province, catalogue.communes))


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


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def build(source: Path, output: Path, base_url: str | None = None,
          today: dt.date | None = None, progress: Progress | None = None,
          workers: int | None = None, search: bool = True,
          memory: Memory | None = None, remember: bool = False,
          local_cms: bool = False) -> BuildResult:
    """Build the site at `source` into `output`, replacing it whole or not at all.
    `progress` hears how far the long loops are; the CLI shows it. `workers`: processes
    that make pages (default: one per core; small batches use one). `search=False`
    leaves out the search index (benchmarks time Pagefind apart).

    When nothing the build reads changed since the last build of `output` and the
    output is as that build left it, nothing is done (see buildstate.py). `memory`:
    what the last build in this process left (serve): unchanged product files are not
    read again, and the output is updated in place (session.py). `remember`: build
    even when nothing changed, for the memory (serve's first build). `local_cms`
    (serve): the web form under admin/ saves into the working folder."""
    report = progress or _no_progress
    started = time.perf_counter()
    today = today or build_date()
    scan = buildstate.source_stats(buildstate.input_roots(source.resolve()))
    stamp = buildstate.input_stamp(
        source, buildstate.build_options(base_url, today, search, local_cms), scan=scan)
    if memory is not None and memory.stamp == stamp:
        return BuildResult(memory.pages, 0, 0, 0, time.perf_counter() - started,
                           memory.warnings, skipped=True, memory=memory)
    if memory is None and not remember:
        with build_lock(output):
            last = buildstate.unchanged(output, stamp)
        if last is not None:
            files = len(last.manifest)
            return BuildResult(pages=last.pages, files=files, changed=0, unchanged=files,
                               seconds=time.perf_counter() - started,
                               warnings=last.warnings, skipped=True)

    cache = memory.content_cache if memory is not None else content_cache(source)
    parsed_before = cache.parsed
    config, content, warnings, edited = _load_site(source, base_url, today, cache, memory,
                                                   scan, local_cms)
    catalogue = localized_catalogue(build_catalogue(config, content))
    images = _process_images(config, catalogue)
    templates = _templates_digest(config)
    env = memory.env if memory is not None and memory.templates == templates \
        else make_environment(config.template_dirs)
    version = buildstate.project_version()
    pages_cache = memory.page_cache if memory is not None \
        else PageCache(cache_root(config.source) / "pages", version)
    pages_cache.begin()
    fp = fingerprinter(config)
    shared = site_globals(config, catalogue)
    resolver = ReadResolver(env, config.translators, _text_langs(catalogue))

    with build_lock(output):
        last = buildstate.read_state(output) if memory is None else None
        previous = dict(memory.blobs) if memory is not None \
            else dict(last.blobs) if last is not None else {}
        writer = LiveWriter(output, previous) if memory is not None else SiteWriter(output)
        with writer:
            buildstate.forget(output)  # from here on the output may change
            run = _Run(env, shared, config, pages_cache, resolver, writer, previous,
                       workers, report)
            first_page = 0.0
            if edited:  # the edited products' own pages first: what the producer sees
                first = _plan(catalogue, images, frozenset(p.slug for p in edited))
                run.make(list(page_jobs(first, shared, fp, version)))
                first_page = time.perf_counter() - started
            pages = _plan(catalogue, images)
            run.pages = len(pages)
            jobs = list(page_jobs(pages, shared, fp, version))
            jobs += file_jobs(catalogue, pages, images, fp, version, config.asset_dirs)
            index = search_job(catalogue, images, fp, version) \
                if search and catalogue.products else None
            # the search index is made from the catalogue's records, not from pages:
            # Pagefind indexes them in the background while the pages and files are made
            pagefind = run.start(index) if index is not None else None
            try:
                run.make(jobs)
                report("written", len(pages), len(pages))
                # every width, thumbnail and social image; identical photos share files
                for site_path, cached in site_files(images.values(),
                                                    image_cache_dir(config)).items():
                    writer.copy(site_path, cached, "images")
                    run.blobs[site_path] = "image:" + cached.name
                if pagefind is not None:  # if it fails, the old site stays in place
                    assert index is not None
                    run.finish(index, pagefind.bundle())
            finally:
                if pagefind is not None:
                    pagefind.cancel()
            if isinstance(writer, LiveWriter):
                writer.remove_others()
            writer.commit()
            content_warnings = warnings
            warnings = warnings + promotion_warnings(config)
            buildstate.write_state(output, buildstate.BuildState(
                stamp, buildstate.scan_output(writer.output), len(pages), warnings,
                blobs=run.blobs))
    pages_cache.save()
    cache.save()
    result_memory = Memory(stamp, scan, config, content, content_warnings, cache,
                           pages_cache, env, templates, run.blobs, len(pages))
    return BuildResult(
        pages=len(pages), files=len(writer.written), changed=writer.changed,
        unchanged=writer.unchanged, seconds=time.perf_counter() - started,
        warnings=warnings, parsed=cache.parsed - parsed_before, made=run.made,
        first_page=first_page, memory=result_memory)


def _plan(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
          only: frozenset[str] | None = None) -> list[Page]:
    try:
        return plan_pages(catalogue, images, only)
    except MissingText as exc:  # a page title's string missing from every i18n/ file
        raise ContentErrors([ContentError("i18n", 0, "i18n", str(exc),
                                          f"thiếu chuỗi giao diện: {exc}")]) from exc


def _load_site(source: Path, base_url: str | None, today: dt.date, cache: ContentCache,
               memory: Memory | None, scan: Mapping[str, tuple[int, int, int, int]],
               local_cms: bool = False
               ) -> tuple[SiteConfig, Content, tuple[ContentError, ...], tuple[Product, ...]]:
    """The config and content; with `memory`, only what changed is read again: nothing
    when no content file changed, the edited product files when only those did (their
    new models are returned last, to be shown first), everything otherwise."""
    errors = ErrorCollector()
    config = load_config(source.resolve(), errors, base_url=base_url, today=today,
                         local_cms=local_cms)
    if config is None:
        errors.raise_if_any()
    assert config is not None
    if memory is not None and memory.config.today == config.today \
            and memory.config.languages == config.languages:
        content_root = str(config.content_dir) + os.sep
        touched = [p for p in changed_sources(memory.scan, scan)
                   if p.startswith(content_root) or p == str(config.source / "site.yaml")]
        if not touched:
            return config, memory.content, memory.warnings, ()
        paths = product_files(config, touched)
        if paths is not None:
            partial = ErrorCollector()
            content = updated_content(config, memory.content, paths, partial, cache)
            if content is not None:
                edited_sources = {p.relative_to(config.source).as_posix() for p in paths}
                edited = tuple(p for p in content.products if p.source in edited_sources)
                return (config, content, keep_warnings(memory.warnings, paths, config)
                        + tuple(partial.warnings), edited)
    content = load_content(config, errors, cache)
    errors.raise_if_any()
    return config, content, tuple(errors.warnings), ()


class _Run:
    """Placing the jobs of one build: from the output cache where it has them, made
    (in worker processes) where it does not."""

    def __init__(self, env: jinja2.Environment, shared: Mapping, config: SiteConfig,
                 cache: PageCache, resolver: ReadResolver, writer: SiteWriter | LiveWriter,
                 previous: Mapping[str, str], workers: int | None, report: Progress):
        self.env, self.shared, self.config = env, shared, config
        self.cache, self.resolver, self.writer = cache, resolver, writer
        self.previous = previous
        self.workers, self.report = workers, report
        self.blobs: dict[str, str] = {}
        self.done: dict[str, str] = {}  # site path → key of the job that placed it
        self.made = 0
        self.pages = 0  # pages the build has (for progress)
        self.pages_placed = 0

    def make(self, jobs: Sequence[Job]) -> None:
        missing: list[Job] = []
        for job in jobs:
            if job.paths and all(self.done.get(path) == job.key for path in job.paths):
                continue  # placed already (the edited products' pages, made first)
            for path in job.paths:
                self.done[path] = job.key
                self.writer.claim(path, job.kind)
            found = self.cache.lookup(job.key, self.resolver)
            if found is None:
                missing.append(job)
                continue
            for stored in found:
                if stored.path not in job.paths:
                    self.writer.claim(stored.path, job.kind)
                self.writer.place_blob(stored.path, self.cache.blob(stored))
                self._placed(stored)
            self._progress(job)
        self.made += len(missing)
        for job in [j for j in missing if not j.paths]:  # files named as they are made
            assert job.make is not None
            self.finish(job, job.make())
        missing = [job for job in missing if job.paths]
        if not missing:
            return

        def done(made: Made) -> None:
            index, stored_files, recorded = made
            job = missing[index]
            for stored in stored_files:
                self._placed(stored)
            self.cache.record(job.key, stored_files, recorded)
            self._progress(job)

        assert self.cache.folder is not None
        make_jobs(self.env, missing, self.shared, self.config, self.cache.folder,
                  self.writer, self.resolver, done, self.workers)

    def start(self, job: Job):
        """A job made in the background (the search index): None when the cache had
        it (placed now), else what job.start() returned, to `finish` later."""
        found = self.cache.lookup(job.key, self.resolver)
        if found is None:
            assert job.start is not None
            self.made += 1
            return job.start()
        for stored in found:
            self.writer.claim(stored.path, job.kind)
            self.writer.place_blob(stored.path, self.cache.blob(stored))
            self._placed(stored)
        return None

    def finish(self, job: Job, files) -> None:
        """Place and keep the files of a job made outside the pool."""
        assert self.cache.folder is not None
        stored_files = []
        for path, data in files:
            self.writer.claim(path, job.kind)
            made = self.writer.new_file(path)
            stored = dataclasses.replace(store(self.cache.folder, data, made), path=path)
            self.writer.settle(path, made)
            self._placed(stored)
            stored_files.append(stored)
        self.cache.record(job.key, stored_files)

    def _progress(self, job: Job) -> None:
        if job.page is not None and self.pages:
            self.pages_placed += 1
            self.report("pages", self.pages_placed, self.pages)

    def _placed(self, stored: StoredFile) -> None:
        self.blobs[stored.path] = stored.blob
        self.writer.count(self.previous.get(stored.path) != stored.blob)


def _text_langs(catalogue: Catalogue) -> Callable[[str, str, str, str], str]:
    """For recorded text_lang lookups: the language of an item's text on a page."""
    def text_lang(page_lang: str, kind: str, ident: str, name: str) -> str:
        texts = catalogue.in_languages[page_lang][1] if page_lang in catalogue.in_languages \
            else {}
        return text_lang_in(texts, page_lang, kind, ident, name)
    return text_lang


def _templates_digest(config: SiteConfig) -> str:
    """Which template files there are and their stats: a new environment when any
    changed (a compiled template must not outlive its file in serve's session)."""
    stats = buildstate.source_stats(config.template_dirs)
    return str(hash(tuple(sorted(stats.items()))))
