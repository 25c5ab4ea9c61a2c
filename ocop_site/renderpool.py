"""Render pages and write them, on every core.

Rendering is pure Python (Jinja), so threads would share one core: pages are rendered
in worker processes. They are forked, so each starts with the catalogue, the planned
pages and the Jinja environment already in memory (nothing is pickled but page
numbers going out and (number, changed) pairs coming back), and each writes its pages
straight into the build's staging folder. The builder claims every path first, so the
one-path-one-writer guard still runs in one place. `gc.freeze()` before forking keeps
the collector from touching (and so copying) the parent's objects in every worker.

Small sites are rendered in this process: a pool costs about a tenth of a second.
"""
from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import jinja2

from .catalogue import Catalogue
from .config import SiteConfig
from .content.models import Product
from .errors import ContentError, ContentErrors
from .outputs import qr
from .pages import Page
from .render import render_page, template_error
from .writer import SiteWriter

PARALLEL_FROM = 400  # pages; below this a pool costs more than it saves
_CHUNK = 48  # pages per task: small enough to balance, large enough to be cheap to send

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RenderJob:
    """Everything a worker needs, inherited through fork."""

    env: jinja2.Environment
    pages: Sequence[Page]
    shared: Mapping[str, Any]
    config: SiteConfig
    writer: SiteWriter
    targets: Sequence[Any]  # claimed staging path of each page


# Set in each worker process only (by _start_worker, from the pool's fork): the job it
# renders pages of (or the catalogue it encodes QR codes of). The parent never sets it.
_job: RenderJob | Catalogue | None = None


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def render_pages(env: jinja2.Environment, pages: Sequence[Page], shared: Mapping[str, Any],
                 config: SiteConfig, writer: SiteWriter, progress: Progress,
                 workers: int | None = None) -> None:
    """Render every page into the writer's staging folder; a template error stops the
    build as a ContentError naming the template's file and line."""
    targets = [writer.claim(page.path, page.template) for page in pages]
    job = RenderJob(env, pages, shared, config, writer, targets)
    workers = workers or default_workers()
    if workers < 2 or len(pages) < PARALLEL_FROM \
            or "fork" not in multiprocessing.get_all_start_methods():
        for done, index in enumerate(range(len(pages)), 1):
            changed, error = _render_one(job, index)
            if error is not None:
                raise ContentErrors([error])
            writer.count(changed)
            progress("pages", done, len(pages))
        return
    # the heaviest pages (long lists, the print catalogue) first, so no worker ends
    # up alone with a big page at the end; then the rest in page order
    order = sorted(range(len(pages)), key=lambda i: -len(pages[i].context.get("products")
                                                       or pages[i].context.get("groups")
                                                       or ()))
    chunks = [order[i:i + _CHUNK] for i in range(0, len(order), _CHUNK)]
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        env.get_template(name)  # compiled once here, not once in every worker
    gc.collect()
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, len(chunks)), initializer=_start_worker,
                          initargs=(job,)) as pool:
            done = 0
            for results in pool.imap_unordered(_render_chunk, chunks):
                for changed, error in results:
                    if error is not None:
                        pool.terminate()
                        raise ContentErrors([error])
                    writer.count(changed)
                done += len(results)
                progress("pages", done, len(pages))
    finally:
        gc.unfreeze()


def prime_qr_codes(catalogue: Catalogue, workers: int | None = None) -> None:
    """Encode the products' QR codes into their cache in worker processes, so the
    outputs step only reads them. Encoding is ~2.5 ms a code (segno encoding with mask 0,
    qr.py choosing the mask and writing the SVG; it was ~9 ms with segno choosing):
    ~25 s of one core for 10,000 products on a cold build; a warm cache makes this a
    quick read of files the outputs step reads again anyway."""
    workers = workers or default_workers()
    products = catalogue.products
    if workers < 2 or len(products) < PARALLEL_FROM \
            or "fork" not in multiprocessing.get_all_start_methods():
        return
    size = -(-len(products) // (workers * 4))
    ranges = [(i, i + size) for i in range(0, len(products), size)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(catalogue,)) as pool:
        pool.map(_encode_qr_codes, ranges, chunksize=1)


def _encode_qr_codes(span: tuple[int, int]) -> None:
    catalogue = _job
    assert isinstance(catalogue, Catalogue), "worker started without a catalogue"
    part = products_only(catalogue, catalogue.products[span[0]:span[1]])
    qr.files(part, qr.cache_dir(part.config))


def products_only(catalogue: Catalogue, products: Sequence[Product]) -> Catalogue:
    """The catalogue cut down to some of its products, for outputs made per product (QR
    codes): featured and newest cut too, as the catalogue of each language is built from
    it (localize.catalogue_in) and must find them among its products."""
    keep = {p.slug for p in products}
    return dataclasses.replace(
        catalogue, products=tuple(products),
        featured=tuple(p for p in catalogue.featured if p.slug in keep),
        newest=tuple(p for p in catalogue.newest if p.slug in keep))


def _start_worker(job: RenderJob | Catalogue) -> None:
    global _job
    _job = job


def _render_chunk(indexes: list[int]) -> list[tuple[bool, ContentError | None]]:
    assert isinstance(_job, RenderJob), "worker started without a job"
    return [_render_one(_job, index) for index in indexes]


def _render_one(job: RenderJob, index: int) -> tuple[bool, ContentError | None]:
    page = job.pages[index]
    try:
        html = render_page(job.env, page, job.shared, job.config)
    except jinja2.TemplateError as exc:
        return False, template_error(exc, page, job.config)
    return job.writer.place(job.targets[index], page.path, html), None
