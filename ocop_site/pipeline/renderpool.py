"""Make the jobs the output cache does not have, on every core.

Rendering is pure Python (Jinja), so threads would share one core: jobs are made in
worker processes. They are forked (base/workers.py), so each starts with the catalogue, the
planned jobs and the Jinja environment already in memory; nothing is pickled but job
numbers going out and what was stored coming back. Each worker writes the bytes it
made through the build's `Output` (into the output cache's blobs, linked where they are
served); the parent notes and keeps them, so the cache's index and the
one-path-one-writer guard stay in one process.

Small batches are made in this process: a pool costs about a tenth of a second.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import jinja2

from ..base.workers import default_workers, fork_map
from ..content.config import SiteConfig
from ..errors import ContentError, ContentErrors
from ..output.cache import StoredFile
from ..output.place import Output
from ..site.recorded import Read, ReadResolver, readset_id
from ..site.render import render_recorded, template_error
from .jobs import Job
from .parts import Drained, KeptParts

PARALLEL_FROM = 400  # jobs; below this a pool costs more than it saves
_CHUNK = 48  # jobs per task: small enough to balance, large enough to be cheap to send

# (job index, files stored, (readset id, what its lookups gave, the lookups themselves —
# sent once per worker and set, () after that) or None when it looked nothing up, the
# kept parts its render used and made: pipeline/parts.py)
Made = tuple[int, tuple[StoredFile, ...], "tuple[str, bytes, tuple[Read, ...]] | None",
             Drained]
_NO_PARTS: Drained = ((), ())


@dataclass(frozen=True)
class MakeJob:
    """Everything a worker needs, inherited through fork."""

    env: jinja2.Environment
    jobs: Sequence[Job]
    shared: Mapping[str, Any]
    config: SiteConfig
    output: Output
    resolver: ReadResolver | None
    sent: set[str]  # readsets this process has sent back already
    parts: KeptParts | None


def make_jobs(env: jinja2.Environment, jobs: Sequence[Job], shared: Mapping[str, Any],
              config: SiteConfig, output: Output, resolver: ReadResolver | None,
              done: Callable[[Made], None],
              workers: int | None = None, parts: KeptParts | None = None) -> None:
    """Make every job, store its files in the cache, place them; `done` hears each one
    (in this process). A template error stops everything as a ContentError naming the
    template's file and line."""
    task = MakeJob(env, jobs, shared, config, output, resolver, set(), parts)
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
            if task.parts is not None:
                task.parts.drain()
            return (index, (), None, _NO_PARTS), template_error(exc, job.page, task.config)
        files = [(job.page.path, html)]
        if reads:  # digested here, in the worker, not by the parent for every page
            readset = readset_id(reads)
            assert task.resolver is not None, "a render recorded lookups nobody resolves"
            values = task.resolver.values_digest(readset, reads)
            recorded = (readset, values, () if readset in task.sent else reads)
            task.sent.add(readset)
    else:
        assert job.make is not None
        files = job.make()
    stored = tuple(task.output.write(path, data) for path, data in files)
    drained = task.parts.drain() if task.parts is not None else _NO_PARTS
    return (index, stored, recorded, drained), None
