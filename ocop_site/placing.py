"""Placing the jobs of one build: from the output cache where it has them, made where it
does not (in worker processes, renderpool.py), counted against what the output held."""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable, Mapping, Sequence

import jinja2

from .config import SiteConfig
from .jobs import Job
from .pagecache import PageCache, StoredFile, store
from .recorded import ReadResolver
from .renderpool import Made, make_jobs
from .writer import LiveWriter, SiteWriter

Progress = Callable[[str, int, int], None]


class Placing:
    """Placing the jobs of one build: from the output cache where it has them, made
    (in worker processes) where it does not."""

    def __init__(self, env: jinja2.Environment, shared: Mapping[str, Any], config: SiteConfig,
                 cache: PageCache, resolver: ReadResolver | None, writer: SiteWriter | LiveWriter,
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

    def start(self, job: Job) -> Any:
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

    def finish(self, job: Job, files: Iterable[tuple[str, bytes]]) -> None:
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
