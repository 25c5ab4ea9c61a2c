"""What a build leaves for the next one in the same process (serve's session): `Memory`.

Made by pipeline/builder.py at the end of every build, passed back to it by
pipeline/session.py, read by serve's later phase (pipeline/later.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import jinja2

from ..content.cache import ContentCache
from ..content.config import SiteConfig
from ..content.loader import Content
from ..errors import ContentError
from ..images.photos import ProcessedImage
from ..output.cache import PageCache
from ..search.writer import KeptIndex
from ..site.catalogue import Catalogue
from ..site.localize import KeptLocal
from ..site.views import KeptViews
from . import depgraph
from .fingerprint import Fingerprinter
from .stage import Carried


@dataclass(frozen=True)
class Memory:
    """What a build leaves for the next one in the same process (serve's session): the
    inputs it saw, what it loaded, and what the output holds."""

    options: Mapping[str, object]  # the build's options, `search` True whether now or later
    scan: Mapping[str, tuple[int, int, int, int]]
    config: SiteConfig
    content: Content
    warnings: tuple[ContentError, ...]
    content_cache: ContentCache
    page_cache: PageCache
    env: jinja2.Environment
    templates: str  # digest of the template files the environment was made from
    blobs: Mapping[str, str]  # site path → blob name, as in the output
    pages: int
    graph: "depgraph.Graph | None" = None  # what each output read (pipeline/depgraph.py)
    fp: Fingerprinter | None = None  # the digests it made (Fingerprinter.carried)
    # the catalogue in every language and the photos it built from: the search update
    # (search_update) indexes them without making them again
    catalogue: Catalogue | None = field(default=None, repr=False, compare=False)
    images: Mapping[Path, ProcessedImage] | None = field(default=None, repr=False,
                                                         compare=False)
    localized: KeptLocal | None = field(default=None, repr=False, compare=False)
    views: KeptViews | None = field(default=None, repr=False, compare=False)
    search_index: KeptIndex | None = field(default=None, repr=False, compare=False)


def carried(memory: Memory | None, keep: bool
            ) -> tuple[Carried | None, KeptViews | None, KeptIndex | None]:
    """What `Stage.of` takes from the last build's memory (serve's session): its
    environment, templates' digest, output cache and fingerprinter, its product views
    and search index's files. `keep` (serve's first build): views and an index kept for
    the next build, as with a `memory`."""
    keep = keep or memory is not None
    return ((memory.env, memory.templates, memory.page_cache, memory.fp)
            if memory is not None else None,
            KeptViews(memory.views if memory is not None else None) if keep else None,
            (memory.search_index if memory is not None else None)
            or (KeptIndex() if keep else None))
