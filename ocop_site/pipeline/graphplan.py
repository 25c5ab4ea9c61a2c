"""Planning a build from the dependency graph of the last one (pipeline/depgraph.py).

`edits_since`: what changed since the graph's build, once per build, when only words of
products and shops did (else None: plan everything). `seed_digests`: the digests of the
products whose files did not change, from the graph. `graph_plan`: the jobs that read
the edited products or shops (or everything) planned and fingerprinted again, every
other one taken as the graph recorded it. `graph_of`: this build's graph, for the next.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from ..content.loader import Content
from . import depgraph
from .jobs import Job, file_jobs, page_jobs
from .stage import Stage


@dataclass(frozen=True)
class Planned:
    pages: int
    jobs: list[Job]
    fresh: int  # of them planned and fingerprinted now
    # the pages planned again: what the graph says they read (by paths), as before
    reads: Mapping[tuple[str, ...], depgraph.Reads] = field(default_factory=dict)
    # in place (serve): the graph's jobs no edit reached, for the output to adopt as
    # they stand (Output.adopt_all), apart from `jobs`: not one Job each
    kept: list[depgraph.GraphJob] = field(default_factory=list)


def edits(graph: depgraph.Graph, changed: Iterable[str], stage: Stage,
          content: Content) -> frozenset[str] | None:
    """What the changed files mean (pipeline/depgraph.py `edited_keys`): the slugs of the
    products and the keys of the shops whose words only changed, or None (plan
    everything). Each kind of content file the graph knows is one case."""
    digest = stage.fp.digest
    return depgraph.edited_keys(changed, str(stage.config.source), (
        depgraph.Kind(graph.products, {p.source: p for p in content.products},
                      lambda product: (product.slug, depgraph.structure(product, digest))),
        depgraph.Kind(graph.shops, depgraph.shop_sources(content.shops),
                      lambda shop: depgraph.shop_entry(shop, digest)),
    ))


def _order(stage: Stage) -> str:
    """The order of the products in every language of the site (depgraph.product_order)."""
    catalogue = stage.catalogue
    return depgraph.product_order(
        (code, local.products) for code, (local, _texts) in sorted(
            catalogue.in_languages.items())) if catalogue.in_languages \
        else depgraph.product_order([("", catalogue.products)])


@dataclass(frozen=True)
class Edits:
    """What changed since the graph's build, when the graph can plan this one: the
    changed files (relative to the site folder) and the read keys (product slugs, shop
    keys) of the items whose words they changed."""

    sources: frozenset[str]
    keys: frozenset[str]


def edits_since(graph: depgraph.Graph, frame: str, stage: Stage,
                scan: Mapping[str, tuple[int, int, int, int]],
                content: Content) -> Edits | None:
    """The edits since the graph's build, or None: plan everything (the graph is for
    other code or options, files came or went, or an edit is not only a product's or a
    shop's words, or a product was renamed past another: see pipeline/depgraph.py)."""
    if graph.frame != frame:
        return None
    changed = depgraph.changed_inputs(graph, scan)
    if changed is None:
        return None
    keys = edits(graph, changed, stage, content)
    if keys is None or _order(stage) != graph.order:
        return None
    root = str(stage.config.source)
    return Edits(frozenset(Path(os.path.relpath(path, root)).as_posix() for path in changed),
                 keys)


def graph_plan(stage: Stage, graph: depgraph.Graph, edits: Edits,
               in_place: bool = False) -> Planned | None:
    """The jobs of this build from the last build's graph: the outputs that read an
    edited product or shop (or everything) planned and fingerprinted, the others as the
    graph keeps them (their files still in the output cache). None: plan everything (a
    page or an output the graph does not know, an entry pruned from the output cache).
    The kept jobs' recorded lookups are not checked again: a changed template, string
    or translation plans everything (`edits_since`). `in_place` (serve): the output
    holds their files, nothing of them is read (Output.adopt)."""
    slugs = edits.keys
    again, _kept = depgraph.dirty(graph, slugs)
    wanted = frozenset(path for index in again if graph.jobs[index].kind == "page"
                       for path in graph.jobs[index].paths)
    pages = stage.plan(wanted=wanted) if wanted else []
    if len(pages) != len(wanted):
        return None
    fresh = {job.paths: job for job in page_jobs(pages, stage.shared, stage.fp, stage.version)}
    fresh.update((job.paths, job) for job in file_jobs(
        stage.catalogue, (), stage.images, stage.fp, stage.version,
        stage.config.asset_dirs, only=slugs))
    jobs: list[Job] = []
    kept: list[depgraph.GraphJob] = []
    reads: dict[tuple[str, ...], depgraph.Reads] = {}
    entries = stage.pages_cache.entries
    for index, known in enumerate(graph.jobs):
        if index in again:
            job = fresh.pop(known.paths, None)
            if job is None or job.kind != known.kind:
                return None
            jobs.append(job)
            if job.page is not None:
                reads[job.paths] = known.reads
        elif in_place:
            if known.key not in entries:
                return None  # pruned from the output cache meanwhile
            kept.append(known)
        elif stage.pages_cache.lookup(known.key, None, trusted=True) is None:
            return None
        else:
            jobs.append(Job(known.key, known.kind, known.paths, reads=known.reads,
                            known=known))
    if fresh:
        return None  # an output the graph does not know
    return Planned(graph.pages, jobs, len(again), reads, kept)


def seed_digests(stage: Stage, graph: depgraph.Graph, edits: Edits,
                 content: Content) -> None:
    """Only words of products and shops changed since the graph's build (same code,
    options and every other input): each product whose file did not change is the
    product the last build digested, its digest seeded into this build's fingerprinter
    instead of walking its fields again (the keys of the print catalogue's 20,000 rows
    at 10,000 products)."""
    for product in content.products:
        known = graph.products.get(product.source)
        if product.source not in edits.sources and known is not None \
                and known[0] == product.slug:
            stage.fp.seed(product, known[2])


def graph_of(path: Path, frame: str, scan: Mapping[str, tuple[int, int, int, int]],
              stage: Stage, content: Content, jobs: list[depgraph.GraphJob], pages: int,
              before: depgraph.Graph | None, write: bool) -> depgraph.Graph | None:
    """The graph of this build, for the next one (pipeline/depgraph.py); saved to `path`
    when `write`. None: an input went meanwhile, the next build plans everything."""
    known = before.products if before is not None else {}
    try:
        inputs = depgraph.input_digests(scan, before)
    except OSError:  # an input gone meanwhile: the next build plans everything
        if write:
            depgraph.forget(path)
        return None
    products = {}
    root = str(stage.config.source) + os.sep  # + a product's source: as the scan names it
    for product in content.products:
        old = known.get(product.source)
        file = root + product.source
        products[product.source] = old if old is not None and before is not None \
            and inputs.get(file) == before.inputs.get(file) \
            else (product.slug, depgraph.structure(product, stage.fp.digest),
                  stage.fp.instance_digest(product))
    # few beside the products: digested again on every build
    shops = {source: depgraph.shop_entry(shop, stage.fp.digest)
             for source, shop in depgraph.shop_sources(content.shops).items()}
    graph = depgraph.Graph(frame, inputs, products, jobs, pages, shops, _order(stage))
    if write:
        depgraph.save(path, graph)
    return graph
