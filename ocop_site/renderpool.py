"""Make the jobs the output cache does not have, on every core.

Rendering is pure Python (Jinja), so threads would share one core: jobs are made in
worker processes. They are forked (workers.py), so each starts with the catalogue, the
planned jobs and the Jinja environment already in memory; nothing is pickled but job
numbers going out and what was stored coming back. Each worker writes the bytes it
made into the output cache's blobs and links them into the build's output; the parent
records the entries and counts, so the index and the one-path-one-writer guard stay in
one process.

Small batches are made in this process: a pool costs about a tenth of a second.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, Sequence

import jinja2

from .config import SiteConfig
from .errors import ContentError, ContentErrors
from .jobs import Job
from .pagecache import StoredFile, store
from .recorded import Read, ReadResolver, readset_id
from .render import render_recorded, template_error
from .workers import default_workers, fork_map

PARALLEL_FROM = 400  # jobs; below this a pool costs more than it saves
_CHUNK = 48  # jobs per task: small enough to balance, large enough to be cheap to send

# (job index, files stored, (readset id, what its lookups gave, the lookups themselves —
# sent once per worker and set, () after that) or None when it looked nothing up)
Made = tuple[int, tuple[StoredFile, ...], "tuple[str, bytes, tuple[Read, ...]] | None"]


class Placer(Protocol):
    """Where made files go (writer.SiteWriter or writer.LiveWriter): a new file is
    created at `new_file(path)`, then `settle(path, file)` puts it in place."""

    def new_file(self, site_path: str) -> Path: ...

    def settle(self, site_path: str, made: Path) -> None: ...


@dataclass(frozen=True)
class MakeJob:
    """Everything a worker needs, inherited through fork."""

    env: jinja2.Environment
    jobs: Sequence[Job]
    shared: Mapping[str, Any]
    config: SiteConfig
    cache_folder: Path
    placer: Placer
    resolver: ReadResolver
    sent: set[str]  # readsets this process has sent back already


def make_jobs(env: jinja2.Environment, jobs: Sequence[Job], shared: Mapping[str, Any],
              config: SiteConfig, cache_folder: Path, placer: Placer,
              resolver: ReadResolver, done: Callable[[Made], None],
              workers: int | None = None) -> None:
    """Make every job, store its files in the cache, place them; `done` hears each one
    (in this process). A template error stops everything as a ContentError naming the
    template's file and line."""
    task = MakeJob(env, jobs, shared, config, cache_folder, placer, resolver, set())
    workers = workers or default_workers()
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        for index in range(len(jobs)):
            made, error = _make_one(task, index)
            if error is not None:
                raise ContentErrors([error])
            done(made)
        return
    # the heaviest pages (long lists, the print catalogue) first, so no worker ends up
    # alone with a big page at the end; then the rest in order
    order = sorted(range(len(jobs)), key=lambda i: -_weight(jobs[i]))
    chunks = [order[i:i + _CHUNK] for i in range(0, len(order), _CHUNK)]
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        env.get_template(name)  # compiled once here, not once in every worker
    for results in fork_map(_make_chunk, chunks, task, workers):
        for made, error in results:
            if error is not None:
                raise ContentErrors([error])
            done(made)


def _weight(job: Job) -> int:
    if job.page is None:
        return 0
    context = job.page.context
    return len(context.get("products") or context.get("groups") or ())


def _make_chunk(task: MakeJob, indexes: list[int]) -> list[tuple[Made, ContentError | None]]:
    return [_make_one(task, index) for index in indexes]


def _make_one(task: MakeJob, index: int) -> tuple[Made, ContentError | None]:
    job = task.jobs[index]
    reads: tuple[Read, ...] = ()
    recorded = None
    if job.page is not None:
        try:
            html, reads = render_recorded(task.env, job.page, task.shared, task.config)
        except jinja2.TemplateError as exc:
            return (index, (), ()), template_error(exc, job.page, task.config)
        files = [(job.page.path, html)]
        if reads:  # digested here, in the worker, not by the parent for every page
            readset = readset_id(reads)
            values = task.resolver.values_digest(readset, reads)
            recorded = (readset, values, () if readset in task.sent else reads)
            task.sent.add(readset)
    else:
        assert job.make is not None
        files = job.make()
    stored = []
    for path, data in files:
        made = task.placer.new_file(path)
        stored.append(dataclasses.replace(store(task.cache_folder, data, made), path=path))
        task.placer.settle(path, made)
    return (index, tuple(stored), recorded), None
