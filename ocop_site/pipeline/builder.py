"""build(): the whole pipeline, readable top to bottom like a recipe.

    scan the inputs → load + validate → catalogue (every language) → images → plan
    the jobs (pages and files, each with the key of its inputs) → take from the output
    cache what it has, make the rest → search index → commit

One pipeline for every build: the CLI into a new or the same folder, CI restoring
`.cache/`, and `serve` after an edit (pipeline/session.py), which passes what the last build
left in memory and writes in place; they differ in their inputs, not their steps, and
write the same bytes.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, cast

from ..base.inputs import Scan, rescan
from ..base.version import build_date
from ..base.workers import collector_paused
from ..content.cache import ContentCache
from ..content.config import SiteConfig, load_config
from ..content.loader import Content, load_content
from ..content.safepath import cache_root
from ..errors import ContentError, ContentErrors, ErrorCollector
from ..images.photos import process_all, site_files
from ..output.ahead import FoldersAhead, folder_umask_bites, read_folders, save_folders
from ..output.folder import build_lock, staging_path
from ..output.place import Output
from ..outputs.promotion import promotion_warnings
from ..site.catalogue import Catalogue, build_catalogue
from ..site.localize import KeptLocal, localized_again, localized_catalogue
from ..site.urls import Page, Urls
from . import buildstate, depgraph
from .graphplan import Planned, edits_since, graph_of, graph_plan, seed_digests
from .jobs import Job, file_jobs, page_jobs, search_job
from .later import LATER_KINDS
from .loadsite import load_site
from .memory import Memory, carried
from .placing import Placing
from .stage import Stage

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
    # site paths whose bytes the build changed, added or removed (serve reloads the
    # browsers that show them)
    changed_paths: tuple[str, ...] = ()
    # jobs planned and fingerprinted: every one, or (a build after an edit of product or
    # shop words, pipeline/depgraph.py) those that read the edited products or shops or
    # everything
    planned: int = 0
    memory: "Memory | None" = field(default=None, repr=False, compare=False)


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
    assert config is not None
    content = load_content(config, errors, cache)
    if cache is not None:
        cache.save()
    errors.raise_if_any()
    return config, content, tuple(errors.warnings)


def check(source: Path, today: dt.date | None = None) -> tuple[ContentError, ...]:
    """Validate only (images included); write nothing. Returns warnings."""
    config, catalogue, warnings = load(source, today=today)
    _process_images(config, catalogue)
    from ..content.official import compare_communes  # the official lists, read only by `check`
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
    for shop in catalogue.shops:
        for ref in shop.images:
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
          local_cms: bool = False, search_later: bool = False,
          shown: Callable[[tuple[str, ...]], None] | None = None,
          heard: Iterable[str] | None = None) -> BuildResult:
    """Build the site at `source` into `output`, replacing it whole or not at all.
    `progress` hears how far the long loops are; the CLI shows it. `workers`: processes
    that make pages (default: one per core; small batches use one). `search=False`
    leaves out the search index (benchmarks time it apart).

    When nothing the build reads changed since the last build of `output` and the
    output is as that build left it, nothing is done (see pipeline/buildstate.py). `memory`:
    what the last build in this process left (serve): unchanged product files are not
    read again, and the output is updated in place (pipeline/session.py). `remember`: build
    even when nothing changed, for the memory (serve's first build). `local_cms`
    (serve): the web form under admin/ saves into the working folder. `search_later`
    (serve, with `memory`): the search index already in the output is kept and
    `search_update(memory).place(output)` brings it up to date afterwards, so the pages are served
    before the search index is written. `shown` (serve) hears the site paths of the
    edited products' own pages as soon as they are on disk, before the rest is made.
    `heard` (serve, with `memory`): the only input paths that changed, as its watcher
    heard them: the inputs are not all looked at again (base/inputs.rescan), and the
    session checks with a full scan afterwards (Session.build).

    One build of an output at a time (output/folder.py build_lock), from the comparison
    with the last build to the swap. The cyclic garbage collector waits meanwhile
    (base/workers.py `collector_paused`)."""
    with collector_paused(), build_lock(output), \
            FoldersAhead(staging_path(output)) as ahead:
        return _build(source, output, base_url, today, progress, workers, search, memory,
                      remember, local_cms, search_later, shown, heard, ahead)


def _build(source: Path, output: Path, base_url: str | None, today: dt.date | None,
           progress: Progress | None, workers: int | None, search: bool,
           memory: Memory | None, remember: bool, local_cms: bool, search_later: bool,
           shown: Callable[[tuple[str, ...]], None] | None, heard: Iterable[str] | None,
           ahead: FoldersAhead) -> BuildResult:
    search_later, report = search_later and search and memory is not None, progress or _no_progress
    started = time.perf_counter()
    today = today or build_date()
    # a staged build: the last one's folders made meanwhile, from the start when there
    # is no output (nothing to skip to). cache_root asks git: once a build
    new_output = memory is None and not output.exists()
    cache_dir = cache_root(source.resolve()) if new_output else None
    listed = _folders_ahead(cache_dir, ahead) if cache_dir is not None else None
    scan = rescan(memory.scan, heard) if memory is not None and heard is not None else None
    if scan is None:
        scan = buildstate.source_stats(buildstate.input_roots(source.resolve()))
    options = buildstate.build_options(base_url, today, "later" if search_later else search,
                                       local_cms)
    # what the output is made from (the search index now or later: the same). serve's
    # builds compare it and the scan with the last one's (same process, same code): the
    # stamp is made only for a build state to write
    outcome = {**options, "search": bool(options["search"])}
    stamp = buildstate.input_stamp(source, options, scan=scan) if memory is None else None
    skipped = _skipped(output, stamp, scan, outcome, memory, remember, started)
    if skipped is not None:
        return skipped
    cache_dir = cache_dir or cache_root(source.resolve())
    if memory is None and listed is None:
        listed = _folders_ahead(cache_dir, ahead)
    cache = memory.content_cache if memory is not None else content_cache(source)
    parsed_before = cache.parsed
    config, content, content_warnings, edited = load_site(
        source, base_url, today, cache, memory, scan, outcome, local_cms)
    if memory is None and not remember:
        cache.release()  # a one-off build: its models are made, the parsed files can go
    # serve's session: the products the last build localized, kept (site/localize.py)
    local = KeptLocal(memory.localized if memory is not None else None) \
        if memory is not None or remember else None
    # after an edit of products' words, serve swaps them into the last catalogue
    catalogue = localized_again(memory.catalogue, config, edited, local) \
        if edited and memory is not None and memory.catalogue is not None \
        and local is not None else None
    if catalogue is None:
        catalogue = localized_catalogue(build_catalogue(config, content), local)
    images = _process_images(config, catalogue)
    stage = Stage.of(config, catalogue, images, *carried(memory, remember))
    # the graph of the last build says which outputs the edits can change: a CLI build
    # reads it from .cache/, serve's session keeps it in its memory
    graph_file = depgraph.graph_path(cache_dir)
    # the search index is no job of the graph's (_make_everything makes it apart): serve's
    # first build (index at once) and its later ones (index after the pages) share a graph
    frame = depgraph.frame_digest(f"{stage.version}\0{stage.parts.common}", outcome)
    graph = depgraph.load(graph_file) if memory is None else memory.graph
    edits = None
    if graph is not None and memory is None:  # serve's fingerprinter carries its own
        edits = edits_since(graph, frame, stage, scan, content)
        if edits is not None:
            seed_digests(stage, graph, edits, content)
    last = buildstate.read_state(output) if memory is None else None
    previous = dict(memory.blobs) if memory is not None \
        else dict(last.blobs) if last is not None else {}
    opened = Output.in_place(output, stage.pages_cache, previous) if memory is not None \
        else Output.staged(output, stage.pages_cache, previous, ahead)
    with opened as out:
        buildstate.forget(output)  # from here on the output may change
        placing = Placing(stage.env, stage.shared, config, out, stage.resolver,
                          workers, report, stage.parts)
        first_page = 0.0
        if edited:  # the edited products' own pages first: what the producer sees
            own = stage.page_jobs(frozenset(p.slug for p in edited))
            placing.make(own)
            first_page = time.perf_counter() - started
            if shown is not None:
                shown(tuple(path for job in own for path in job.paths))
        # planned after the edited products' own pages: the producer sees them first
        if graph is not None and memory is not None:
            edits = edits_since(graph, frame, stage, scan, content)
        planned = graph_plan(stage, graph, edits, memory is not None) \
            if graph is not None and edits is not None else None
        if graph is not None and memory is None:
            # planned: only its inputs and products are read again. Not serve's: a
            # failed build leaves the session this memory, graph and all
            graph.jobs = []
        fresh = planned.fresh if planned is not None else None
        pages, jobs = _make_everything(stage, placing, search and not search_later,
                                       report, previous if search_later else None,
                                       planned, True)
        del planned  # its jobs hold every page: not kept while the caches are saved
        warnings = content_warnings + promotion_warnings(config)
        if not search_later:  # else the state the search update would forget; the
            # caches are saved once the search index is (Session.save_caches)
            buildstate.write_state(output, buildstate.BuildState(
                stamp or buildstate.input_stamp(source, options, scan=scan),
                buildstate.scan_output(out.path, out.blobs), pages, warnings,
                blobs=out.blobs))
    if not search_later:
        stage.pages_cache.save()
        cache.save()
    if memory is None:  # the folders the next staged build makes ahead
        save_folders(cache_dir, out.folders, listed or ())
    # serve's session keeps its graph in memory, the file as the last CLI build wrote it:
    # a later CLI build compares the inputs with that build's (plans serve's edits)
    new_graph = graph_of(graph_file, frame, scan, stage, content,
                          cast(list[depgraph.GraphJob], jobs), pages, graph,
                          write=memory is None)
    if memory is None and remember:  # serve's first build: what an edit's lists want
        stage.warm()
    if memory is not None or remember:  # serve's session carries it to the next build
        stage.fp.prune()
    return BuildResult(
        pages=pages, files=out.files, changed=out.changed,
        unchanged=out.unchanged, seconds=time.perf_counter() - started,
        warnings=warnings, parsed=cache.parsed - parsed_before, made=placing.made,
        first_page=first_page, changed_paths=out.changed_paths(),
        planned=fresh if fresh is not None else len(jobs),
        memory=Memory(outcome, scan, config, content, content_warnings, cache,
                      stage.pages_cache, stage.env, stage.templates, out.blobs, pages,
                      new_graph, stage.fp, catalogue, images, local, stage.views,
                      stage.search_index))


def _folders_ahead(cache_dir: Path, ahead: FoldersAhead) -> list[str]:
    """The folders of the last staged output, being made by a child process."""
    listed = read_folders(cache_dir)
    ahead.start(listed, folder_umask_bites())
    return listed


def _skipped(output: Path, stamp: str | None, scan: Scan,
             options: Mapping[str, object], memory: Memory | None, remember: bool,
             started: float) -> BuildResult | None:
    """The result of a build with nothing to do, or None: build."""
    if memory is not None:
        if memory.scan != scan or memory.options != options:
            return None
        return BuildResult(memory.pages, 0, 0, 0, time.perf_counter() - started,
                           memory.warnings, skipped=True, memory=memory)
    if remember or stamp is None:
        return None
    last = buildstate.unchanged(output, stamp)
    if last is None:
        return None
    files = len(last.manifest)
    return BuildResult(pages=last.pages, files=files, changed=0, unchanged=files,
                       seconds=time.perf_counter() - started, warnings=last.warnings,
                       skipped=True)


def _make_everything(stage: Stage, placing: Placing, search: bool, report: Progress,
                     kept_index: Mapping[str, str] | None = None,
                     planned: Planned | None = None, for_graph: bool = False
                     ) -> tuple[int, list[Job] | list[depgraph.GraphJob]]:
    """Every page and file into the writer, the search index made in the background
    meanwhile (or, `kept_index`: the one in the output kept as it is, and the open data
    too, LATER_KINDS; the search update remakes them); the output
    swapped in (or, in place, what is no longer made removed). `planned`: the jobs as
    the dependency graph planned them (else every job is planned). Returns the number
    of pages and the jobs; `for_graph`: as the dependency graph records them, so the
    jobs (every page's values) are not kept while the caches are saved."""
    catalogue, config = stage.catalogue, stage.config
    out = placing.output
    for path, blob in (kept_index or {}).items():
        if path.startswith(Urls.search_index):
            out.keep_as_is(path, blob, "search index")
    later: list[Job] = []  # kept as they are now, remade by the search update (serve)
    pages: list[Page] = []
    known: Mapping[tuple[str, ...], depgraph.Reads] = {}
    kept: list[depgraph.GraphJob] = []  # in place, the jobs no edit reached (serve)
    if planned is not None:
        page_count, jobs, known, kept = planned.pages, planned.jobs, planned.reads, planned.kept
        planned = None
    else:
        pages = stage.plan()
        page_count = len(pages)
        jobs = list(page_jobs(pages, stage.shared, stage.fp, stage.version))
        jobs += file_jobs(catalogue, pages, stage.images, stage.fp, stage.version,
                          config.asset_dirs)
    placing.pages = page_count
    index = search_job(catalogue, stage.images, stage.fp, stage.version,
                       stage.search_index) \
        if search and catalogue.products else None
    # the search index is made from the catalogue's records, not from pages: it is
    # written in the background while the pages and files are made, from before the
    # folders are (a new output's wait for the child making them: output/ahead.py)
    index_run = placing.start(index) if index is not None else None
    out.make_folders(path for job in jobs for path in job.paths)
    if kept_index is not None:
        later = [job for job in jobs if job.kind in LATER_KINDS and job.paths
                 and all(path in kept_index for path in job.paths)]
    try:
        placing.make(placing.adopt(kept))  # those the output could not adopt: placed
        if later:
            for job in later:
                for path in job.paths:
                    out.keep_as_is(path, cast(Mapping[str, str], kept_index)[path], job.kind)
            deferred = {id(job) for job in later}
            placing.make([job for job in jobs if id(job) not in deferred])
        else:
            placing.make(jobs)
        report("written", page_count, page_count)
        if for_graph:  # the pages go: the output's folder finished without them
            jobs = depgraph.graph_jobs(  # type: ignore[assignment]
                jobs, depgraph.ProductReads(), known) + kept
            pages = []
        # every width, thumbnail and social image; identical photos share files
        for site_path, cached in site_files(stage.images.values(),
                                            image_cache_dir(config)).items():
            out.copy(site_path, cached, "images", "image:" + cached.name)
        if index is not None:
            placing.finish_started(index, index_run)
    finally:
        if index_run is not None:
            index_run.cancel()
    out.finish()
    return page_count, jobs
