"""Content after an edit: only the product files that changed are read again.

serve's session keeps the last build's Content. When the files that changed are all
product files (or their translations), the rest — data files, producers, events and
every other product — cannot have changed, so this re-reads just those files against
the rest, exactly as a full load checks them. Anything it cannot decide alone (a
product's URL or name that events or other products may depend on, a translation whose
product is missing) gives None: the caller loads everything, which reports it.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterable

from ..base.inputs import ignored
from ..errors import ErrorCollector
from .cache import ContentCache
from .config import SiteConfig
from .loader import Content, reload_product
from .readers.context import translation_lang


def product_files(config: SiteConfig, changed: Iterable[str]) -> list[Path] | None:
    """The product files (not translations) that `changed` touched, or None when
    anything else changed too."""
    folder = config.content_dir / "products"
    found: dict[str, Path] = {}
    for name in changed:
        path = Path(name)
        if path.parent != folder or path.suffix != ".md" or ignored(path.name):
            return None
        lang = translation_lang(path)
        if lang is not None:
            path = path.with_name(path.stem.rsplit(".", 1)[0] + ".md")
        found[str(path)] = path
    return [found[key] for key in sorted(found)]


def updated_content(config: SiteConfig, previous: Content, paths: list[Path],
                    errors: ErrorCollector, cache: ContentCache | None) -> Content | None:
    """`previous` with the product files at `paths` read again (added, edited or
    removed); None when a full load must decide."""
    products = {p.source: p for p in previous.products}
    for path in paths:
        source = path.relative_to(config.source).as_posix()  # as Product.source names it
        old = products.pop(source, None)
        if not path.is_file():
            translated = any(path.with_name(f"{path.stem}.{lang}.md").exists()
                             for lang in config.languages[1:])
            if old is None or previous.events or previous.shops or translated:  # named elsewhere
                return None
            continue
        new = reload_product(config, previous, path, errors, cache)
        if new is None:
            return None  # its errors are the full load's to report, with the rest
        if (previous.events or previous.shops) and (old is None or old.slug != new.slug
                                or old.name != new.name or old.source != new.source):
            return None  # events and shops name products by slug, file name or name
        products[source] = new
    ordered = tuple(products[source] for source in sorted(products, key=_file_order))
    if len({p.slug for p in ordered}) != len(ordered):
        return None  # two products at one URL: the full load names both files
    return dataclasses.replace(previous, products=ordered)


def _file_order(source: str) -> str:
    """The loader reads product files sorted by name."""
    return source.rsplit("/", 1)[-1]


def keep_warnings(warnings: Iterable, paths: list[Path], config: SiteConfig) -> tuple:
    """The earlier warnings that are not about the files read again."""
    read_again = {p.relative_to(config.source).as_posix() for p in paths}
    read_again |= {s[:-3] + f".{lang}.md" for s in read_again for lang in config.languages[1:]}
    return tuple(w for w in warnings if w.path not in read_again)

