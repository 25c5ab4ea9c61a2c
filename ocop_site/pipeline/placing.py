"""Placing the jobs of one build: from the output cache where it has them, made where it
does not (in worker processes, pipeline/renderpool.py); every file goes through one `Output`."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

import jinja2

from ..content.config import SiteConfig
from ..output.place import Output
from ..site.recorded import ReadResolver
from .depgraph import GraphJob
from .jobs import Job
from .parts import KeptParts
from .renderpool import Made, make_jobs

Progress = Callable[[str, int, int], None]


class Placing:
    """Placing the jobs of one build: from the output cache where it has them, made
    (in worker processes) where it does not."""

    def __init__(self, env: jinja2.Environment, shared: Mapping[str, Any], config: SiteConfig,
                 output: Output, resolver: ReadResolver | None, workers: int | None,
                 report: Progress, parts: KeptParts | None = None):
        self.env, self.shared, self.config = env, shared, config
        self.parts = parts  # parts of pages kept between builds, through `output`
        if parts is not None:
            parts.output = output
        self.output, self.resolver = output, resolver
        self.workers, self.report = workers, report
        self.done: dict[str, str] = {}  # site path → key of the job that placed it
        self.made = 0
        self.pages = 0  # pages the build has (for progress)
        self.pages_placed = 0
        self.warming: Any = None  # a job's warm run (Job.warm), started by `start`

    def make(self, jobs: Sequence[Job]) -> None:
        missing: list[Job] = []
        for job in jobs:
            if job.paths and all(self.done.get(path) == job.key for path in job.paths):
                continue  # placed already (the edited products' pages, made first)
            for path in job.paths:
                self.done[path] = job.key
                self.output.claim(path, job.kind)
            if not self.output.from_cache(job.key, self.resolver, job.kind, job.paths):
                missing.append(job)
                continue
            self._progress(job)
        self.output.send_links()  # linked meanwhile by a child process, when many
        self.made += len(missing)
        for job in [j for j in missing if not j.paths]:  # files named as they are made
            assert job.make is not None
            self.finish(job, job.make())
        missing = [job for job in missing if job.paths]
        if not missing:
            return

        def done(made: Made) -> None:
            index, stored_files, recorded, (used, parts) = made
            job = missing[index]
            for stored in stored_files:
                self.output.placed(stored)
            self.output.keep_parts(used, parts)
            self.output.keep(job.key, stored_files, recorded,
                             used + tuple(key for key, _html, _recorded, _joined in parts))
            self._progress(job)

        make_jobs(self.env, missing, self.shared, self.config, self.output, self.resolver,
                  done, self.workers, self.parts)

    def adopt(self, kept: Sequence[GraphJob]) -> list[Job]:
        """The jobs no edit reached (serve, pipeline/graphplan.py), kept where they stand
        in one pass (Output.adopt_all); those the output could not adopt, as jobs to
        `make` (from the output cache)."""
        return [Job(job.key, job.kind, job.paths, reads=job.reads, known=job)
                for job in self.output.adopt_all(kept)]

    def start(self, job: Job) -> Any:
        """A job made in the background (the search index): None when the cache had
        it (placed now; its `warm` run started, if any), else what job.start()
        returned, to `finish_started` later."""
        if self.output.from_cache(job.key, self.resolver, job.kind):
            self.warming = job.warm() if job.warm is not None else None
            return None
        assert job.start is not None
        self.made += 1
        return job.start()

    def finish_started(self, job: Job, run: Any) -> None:
        """The files of a job `start` started, placed and kept once made (an error
        raised here leaves the old site in place), or, when the cache had them, its
        warm run waited for (what it leaves in memory must be whole)."""
        if run is not None:
            self.finish(job, run.bundle())
        if self.warming is not None:
            self.warming.bundle()

    def finish(self, job: Job, files: Iterable[tuple[str, bytes]]) -> None:
        """Place and keep the files of a job made outside the pool."""
        self.output.write_all(job.key, job.kind, files)

    def _progress(self, job: Job) -> None:
        if job.page is not None and self.pages:
            self.pages_placed += 1
            self.report("pages", self.pages_placed, self.pages)
