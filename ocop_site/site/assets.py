"""The stylesheets, scripts and icons pages link, and the addresses they link them by.

A page links `assets/css/site.css?v=<hash of the file's bytes>`: a changed file is a new
address, so a browser (and the service worker, outputs/offline.py) may keep an asset as
long as it likes and still never pair a new page with an old stylesheet. The files keep
their names; hosts need no rewriting.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Mapping, Sequence

from ..base.inputs import files_under
from ..content.config import SiteConfig

PREFIX = "assets/"


def asset_files(config: SiteConfig) -> dict[str, Path]:
    """Site path ('assets/css/site.css') → the file published there: the site's own
    assets first, the theme's where the site has none of that name."""
    return published_assets(config.asset_dirs)


def published_assets(folders: Sequence[Path]) -> dict[str, Path]:
    """Site path → file of every asset in `folders`, the first folder's first, each
    folder's in name order; dot files and editors' swap files are never published
    (base/inputs.py: no build depends on them)."""
    files: dict[str, Path] = {}
    for folder in folders:
        for path in files_under(folder):
            files.setdefault(PREFIX + path.relative_to(folder).as_posix(), path)
    return files


def fingerprint(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=5).hexdigest()


def asset_urls(files: Mapping[str, Path]) -> dict[str, str]:
    """'css/site.css' → 'assets/css/site.css?v=1a2b3c4d5e', for templates: `asset[…]`."""
    return {site_path[len(PREFIX):]: f"{site_path}?v={fingerprint(path.read_bytes())}"
            for site_path, path in files.items()}
