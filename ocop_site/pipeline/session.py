"""serve's builds: the same pipeline as every build, with the last one's memory.

A Session builds one site into one output folder again and again. The first build is
an ordinary one (staging folder, swap); each later one is `builder.build` with the
`Memory` the previous one left: only the product files that changed are read again,
the pages of the edited products are written first, every file whose inputs did not
change is kept as it is, and the rest is replaced in place, file by file. A failed
build keeps the memory of the last good one, so the next save starts from there.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from pathlib import Path
from typing import Callable, Iterable

from ..base.inputs import input_roots, rescan
from ..base.inputs import scan as source_stats
from ..base.version import build_date
from ..errors import ContentErrors
from . import builder
from .later import search_update


class Session:
    """One site built into one output folder, again and again, as its files change."""

    def __init__(self, source: Path, output: Path, base_url: str | None = None,
                 today: dt.date | None = None, workers: int | None = None,
                 search: bool = True, progress: builder.Progress | None = None,
                 local_cms: bool = False, search_later: bool = False,
                 shown: Callable[[tuple[str, ...]], None] | None = None):
        """`search=False`: no search index (like builder.build's; benchmarks).
        `progress` hears the build's stages: ('written', n, n) once every page and file
        but the search index is on disk. `local_cms`: admin/ saves into the working
        folder (serve). `search_later` (serve): after the first build, each build keeps
        the search index it finds and `update_search_index()` (serve runs it in a
        thread) brings it up to date: the pages are served first, the index (a few
        seconds at 10,000 products) follows. `shown` hears the site paths of the edited products'
        own pages once they are on disk (serve reloads the browsers showing them)."""
        self.source = source.resolve()
        self.output = output.resolve()
        self.base_url = base_url
        self.today = today
        self.workers = workers
        self.search = search
        self.progress = progress
        self.local_cms = local_cms
        self.search_later = search_later
        self.shown = shown
        self.memory: builder.Memory | None = None
        self.search_pending = False  # the index in the output is older than its pages
        self.later_pending = False  # so is the open data (later.LATER_KINDS)
        self.searchable: Callable[[], None] | None = None  # hears the index is current
        self._lock = threading.Lock()  # one writer of the output at a time
        self._generation = 0  # builds so far: an index made for an older one is dropped

    @property
    def last_first_page(self) -> float:
        """Seconds from the last build's start to the edited products' pages on disk."""
        return self._first_page

    _first_page = 0.0

    def build(self, heard: Iterable[str] | None = None) -> builder.BuildResult:
        """Bring the output up to date with the sources, doing as little as it can.
        `heard`: the input paths a watcher heard change since the last build (serve).
        The build looks at those alone, then every input is looked at: whatever else
        changed (a save the watcher missed) is built at once, as any edit."""
        with self._lock:
            memory = self.memory
            if heard is None or memory is None:
                return self._build(None)
            heard = tuple(heard)
            try:
                result = self._build(heard)
            except ContentErrors:  # unless what the watcher missed is the fix
                if rescan(memory.scan, heard) == source_stats(input_roots(self.source)):
                    raise
                return self._build(None)
            if result.memory is not None and \
                    result.memory.scan != source_stats(input_roots(self.source)):
                result = _both(result, self._build(None))
            return result

    def _build(self, heard: Iterable[str] | None) -> builder.BuildResult:
        later = self.search_later and self.memory is not None
        result = builder.build(self.source, self.output, self.base_url,
                               self.today or build_date(), progress=self.progress,
                               workers=self.workers, search=self.search,
                               memory=self.memory, remember=True,
                               local_cms=self.local_cms, search_later=later,
                               shown=self.shown, heard=heard)
        self.memory = result.memory
        self._first_page = result.first_page
        if not result.skipped:
            self._generation += 1
            self.search_pending = self.later_pending = later and self.search
        return result

    def update_search_index(self) -> bool:
        """After a build that kept the old index (and open data): the index of what was
        built, then the open data. Safe in a thread beside build(): the records are made
        and indexed without the lock, and the files placed only if no build came in
        between (then the next call does it). True when the index and the open data in
        the output are current; `searchable` hears when the index is."""
        for later in (False, True):
            with self._lock:
                memory, generation = self.memory, self._generation
                pending = self.later_pending if later else self.search_pending
            if not pending or memory is None:
                continue
            update = search_update(memory, later)  # the index writer, unlocked
            with self._lock:
                if generation != self._generation or self.memory is not memory:
                    return False
                self.memory = update.place(self.output)
                if later:
                    self.later_pending = False
                else:
                    self.search_pending = False
            if not later and self.searchable is not None:
                self.searchable()
        return not self.pending

    def save_caches(self) -> None:
        """The content and output caches written for a later process (a CLI build after
        serve): after the search index and the open data, not in the build, so the pages
        come first; under the lock, so no build changes them meanwhile."""
        with self._lock:
            if self.memory is not None:
                self.memory.page_cache.save()
                self.memory.content_cache.save()

    @property
    def pending(self) -> bool:
        """The search index or the open data in the output is older than its pages."""
        return self.search_pending or self.later_pending


def _both(first: builder.BuildResult, then: builder.BuildResult) -> builder.BuildResult:
    """Two builds one after the other told as one (what changed in either: serve tells
    the browsers showing those pages to reload)."""
    return dataclasses.replace(
        then, changed=first.changed + then.changed, seconds=first.seconds + then.seconds,
        parsed=first.parsed + then.parsed, made=first.made + then.made,
        first_page=first.first_page or then.first_page,
        changed_paths=tuple(sorted({*first.changed_paths, *then.changed_paths})),
        skipped=first.skipped and then.skipped)
