"""What a build reads of the site folder: its config and content, and in serve's
session (with the last build's `Memory`) only what changed since that build."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Mapping

from ..base.inputs import Scan
from ..base.inputs import changed as changed_sources
from ..content.cache import ContentCache
from ..content.config import SiteConfig, load_config, reads_config
from ..content.loader import Content, load_content
from ..content.models import Product
from ..content.update import keep_warnings, product_files, updated_content
from ..errors import ContentError, ErrorCollector
from .memory import Memory


def load_site(source: Path, base_url: str | None, today: dt.date, cache: ContentCache,
               memory: Memory | None, scan: Scan, options: Mapping[str, object],
               local_cms: bool = False
               ) -> tuple[SiteConfig, Content, tuple[ContentError, ...], tuple[Product, ...]]:
    """The config and content; with `memory`, only what changed is read again: nothing
    when no content file changed, the edited product files when only those did (their
    new models are returned last, to be shown first, unless one was removed),
    everything otherwise."""
    errors = ErrorCollector()
    source = source.resolve()
    changes = changed_sources(memory.scan, scan) if memory is not None else []
    # the last build's config while its options and files are as they were (serve)
    config = memory.config if memory is not None and memory.options == options \
        and not any(reads_config(source, path) for path in changes) \
        else load_config(source, errors, base_url=base_url, today=today, local_cms=local_cms)
    if config is None:
        errors.raise_if_any()
    assert config is not None
    if memory is not None and memory.config.today == config.today \
            and memory.config.languages == config.languages:
        content_root = str(config.content_dir) + os.sep
        touched = [p for p in changes
                   if p.startswith(content_root) or p == str(config.source / "site.yaml")]
        if not touched:
            return config, memory.content, memory.warnings, ()
        paths = product_files(config, touched)
        if paths is not None:
            partial = ErrorCollector()
            content = updated_content(config, memory.content, paths, partial, cache)
            if content is not None:
                edited_sources = {p.relative_to(config.source).as_posix() for p in paths}
                edited = tuple(p for p in content.products if p.source in edited_sources)
                if len(edited) != len(paths):  # a product removed: no edit of words
                    edited = ()
                return (config, content, keep_warnings(memory.warnings, paths, config)
                        + tuple(partial.warnings), edited)
    content = load_content(config, errors, cache)
    errors.raise_if_any()
    return config, content, tuple(errors.warnings), ()
