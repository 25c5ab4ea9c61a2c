"""serve's builds: the same pipeline as every build, with the last one's memory.

A Session builds one site into one output folder again and again. The first build is
an ordinary one (staging folder, swap); each later one is `builder.build` with the
`Memory` the previous one left: only the product files that changed are read again,
the pages of the edited products are written first, every file whose inputs did not
change is kept as it is, and the rest is replaced in place, file by file. A failed
build keeps the memory of the last good one, so the next save starts from there.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import builder
from .version import build_date


class Session:
    """One site built into one output folder, again and again, as its files change."""

    def __init__(self, source: Path, output: Path, base_url: str | None = None,
                 today: dt.date | None = None, workers: int | None = None,
                 search: bool = True, progress: builder.Progress | None = None):
        """`search=False`: no search index (like builder.build's; benchmarks).
        `progress` hears the build's stages: ('written', n, n) once every page and file
        but the search index is on disk (serve reloads the browser then)."""
        self.source = source.resolve()
        self.output = output.resolve()
        self.base_url = base_url
        self.today = today
        self.workers = workers
        self.search = search
        self.progress = progress
        self.memory: builder.Memory | None = None

    @property
    def last_first_page(self) -> float:
        """Seconds from the last build's start to the edited products' pages on disk."""
        return self._first_page

    _first_page = 0.0

    def build(self) -> builder.BuildResult:
        """Bring the output up to date with the sources, doing as little as it can."""
        result = builder.build(self.source, self.output, self.base_url,
                               self.today or build_date(), progress=self.progress,
                               workers=self.workers, search=self.search,
                               memory=self.memory, remember=True)
        self.memory = result.memory
        self._first_page = result.first_page
        return result
