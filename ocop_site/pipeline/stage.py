"""What every job of one build is made from (`Stage`), and the site's pages planned.

The catalogue in every language, the photos, the templates (their environment and
compiled-bytecode folder), the output cache, the fingerprinter keys are digested with,
and the values every page shares: made once per build by `Stage.of`, then read by the
planning of the jobs (pipeline/builder.py, and pipeline/graphplan.py when the dependency
graph plans them).
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import jinja2

from ..content.config import SiteConfig
from ..content.i18n import MissingText
from ..content.safepath import cache_root
from ..errors import ContentError, ContentErrors
from ..images.photos import ProcessedImage
from ..output.cache import PageCache
from ..search.writer import KeptIndex
from ..site.catalogue import Catalogue
from ..site.pages import plan_pages
from ..site.recorded import ReadResolver
from ..site.render import make_environment, site_globals
from ..site.urls import Page, output_path, site_languages
from ..site.views import KeptViews, text_lang_in
from . import buildstate
from .fingerprint import Fingerprinter
from .jobs import Job, fingerprinter, page_jobs, shared_digest
from .parts import KeptParts

# what serve's session carries from one build's stage to the next: the templates'
# environment, their digest, the output cache, the fingerprinter
Carried = tuple[jinja2.Environment, str, PageCache, Fingerprinter | None]


@dataclass(frozen=True)
class Stage:
    """What every job of one build is made from: the catalogue in every language, the
    photos, the templates, the output cache, and what keys are digested with."""

    config: SiteConfig
    catalogue: Catalogue
    images: Mapping[Path, ProcessedImage]
    env: jinja2.Environment
    templates: str
    pages_cache: PageCache
    fp: Fingerprinter
    shared: Mapping[str, object]
    resolver: ReadResolver
    version: str
    parts: KeptParts  # the print catalogue's rows, kept between builds
    views: KeptViews | None = None  # the product views, kept between builds (serve)
    search_index: KeptIndex | None = None  # the search index's files, kept (serve)

    @classmethod
    def of(cls, config: SiteConfig, catalogue: Catalogue,
           images: Mapping[Path, ProcessedImage], kept: Carried | None,
           views: KeptViews | None = None,
           search_index: KeptIndex | None = None) -> "Stage":
        """`kept` (serve's session, pipeline/memory.py carried): the last build's
        environment, the digest of the templates it was made from, its output cache,
        and its fingerprinter (what it knows of the instances still held is carried
        over). `views`, `search_index`: the product views and the search index's files
        the last build made (serve's session), kept for the next one."""
        templates = _templates_digest(config)
        version = buildstate.project_version()
        env = kept[0] if kept is not None and kept[1] == templates \
            else make_environment(config.template_dirs, _bytecode_dir(config, version))
        pages_cache = kept[2] if kept is not None \
            else PageCache(cache_root(config.source) / "pages", version)
        pages_cache.begin()
        fp = kept[3].carried() if kept is not None and kept[3] is not None \
            else fingerprinter(config)
        resolver = ReadResolver(env, config.translators, _text_langs(catalogue))
        parts = KeptParts(fp, resolver)
        shared = site_globals(config, catalogue, parts)
        parts.common = shared_digest(shared, fp, version)
        return cls(config, catalogue, images, env, templates, pages_cache, fp, shared,
                   resolver, version, parts, views, search_index)

    def page_jobs(self, only: frozenset[str] | None = None) -> list[Job]:
        pages = self.plan(only)
        return list(page_jobs(pages, self.shared, self.fp, self.version))

    def warm(self) -> None:
        """serve's first build: the print catalogue planned and its key digested in every
        language, so every product's views (kept, site/views.KeptViews) and their digests
        are made now rather than by the first edit, whose lists want them."""
        wanted = frozenset(output_path(lang.urls.print_catalogue)
                           for lang in site_languages(self.config))
        list(page_jobs(self.plan(wanted=wanted), self.shared, self.fp, self.version))

    def plan(self, only: frozenset[str] | None = None,
             wanted: frozenset[str] | None = None) -> list[Page]:
        """The pages of the site (site/pages.py plan_pages: `only`, `wanted`)."""
        try:
            return plan_pages(self.catalogue, self.images, only, wanted, self.views)
        except MissingText as exc:  # a page title's string missing from every i18n/ file
            raise ContentErrors([ContentError("i18n", 0, "i18n", str(exc),
                                              f"thiếu chuỗi giao diện: {exc}")]) from exc



def _text_langs(catalogue: Catalogue) -> Callable[[str, str, str, str], str]:
    """For recorded text_lang lookups: the language of an item's text on a page."""
    def text_lang(page_lang: str, kind: str, ident: str, name: str) -> str:
        texts = catalogue.in_languages[page_lang][1] if page_lang in catalogue.in_languages \
            else {}
        return text_lang_in(texts, page_lang, kind, ident, name)
    return text_lang


def _bytecode_dir(config: SiteConfig, version: str) -> Path | None:
    """.cache/templates/<digest of the code's version>/: Jinja's compiled templates, so a
    new process (a CI build) does not compile every template again; folders of other
    versions removed. None when it cannot be made."""
    folder = cache_root(config.source) / "templates"
    name = hashlib.blake2b(version.encode(), digest_size=10).hexdigest()
    try:
        for old in folder.iterdir() if folder.is_dir() else ():
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)
        (folder / name).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / name


def _templates_digest(config: SiteConfig) -> str:
    """Which template files there are and their stats: a new environment when any
    changed (a compiled template must not outlive its file in serve's session)."""
    stats = buildstate.source_stats(config.template_dirs)
    return str(hash(tuple(sorted(stats.items()))))
