"""serve's later phase: after a `search_later` build has put the pages on disk, the
search index, then the files no page shows that read every product (`LATER_KINDS`: the
open data, the Atom feeds), made from what the build kept in its `Memory` and placed in
the output in place (pipeline/session.py runs them in a thread).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..output.folder import build_lock
from ..output.place import Output
from ..site.urls import Urls
from . import buildstate
from .jobs import Job, file_jobs, fingerprinter, search_job
from .memory import Memory

# what a `search_later` build (serve) leaves as the output holds it, like the search
# index, for the search update to remake: files no page shows that read every product
# (the open data, the Atom feeds)
LATER_KINDS = frozenset({"open data", "feed"})


@dataclass(frozen=True)
class SearchUpdate:
    """The search index and the open data (LATER_KINDS) of what a `search_later` build
    wrote (serve): made by `search_update` (the index writer, seconds, nothing touched),
    then `place`d. `made`: each job with the stored files the output cache had for it,
    or the files made now."""

    memory: Memory
    made: tuple[tuple[Job, tuple | None, tuple[tuple[str, bytes], ...]], ...]

    def place(self, output: Path) -> Memory:
        """The files replaced in place and the old index's removed; the memory with the
        new files."""
        memory = self.memory
        paths = {path for job, _found, _files in self.made for path in job.paths}
        index = any(job.kind == "search index" for job, _found, _files in self.made)
        old = {p: b for p, b in memory.blobs.items()
               if (index and p.startswith(Urls.search_index)) or p in paths}
        rest = {p: b for p, b in memory.blobs.items() if p not in old}
        with build_lock(output), Output.in_place(output, memory.page_cache, old) as out:
            for job, found, files in self.made:
                if found is not None:
                    out.place_stored(found, job.kind)
                else:
                    out.write_all(job.key, job.kind, files)
            out.finish()
            buildstate.forget(output)  # the state written by the build no longer fits
        return dataclasses.replace(memory, blobs={**rest, **out.blobs})


def search_update(memory: Memory, later: bool = False) -> SearchUpdate:
    """The search index (`later`: the open data, LATER_KINDS) for the site `memory`
    describes: from the output cache when it has them, else made (builder.build's own
    jobs). Two updates, so a search finds the edit before the open data is made."""
    config, catalogue, images = memory.config, memory.catalogue, memory.images
    assert catalogue is not None and images is not None, "a memory builder.build made"
    # the session's digests (the build's products, communes…): the index's key digests
    # every product of every language
    fp = memory.fp.copied() if memory.fp is not None else fingerprinter(config)
    version = buildstate.project_version()
    jobs = [job for job in file_jobs(catalogue, (), images, fp, version, config.asset_dirs,
                                     only=frozenset()) if job.kind in LATER_KINDS] \
        if later else [search_job(catalogue, images, fp, version, memory.search_index)]
    made = []
    for job in jobs:
        found = memory.page_cache.lookup(job.key, None)
        assert found is not None or job.make is not None
        made.append((job, found, () if found is not None or job.make is None
                     else tuple(job.make())))
    return SearchUpdate(memory, tuple(made))
