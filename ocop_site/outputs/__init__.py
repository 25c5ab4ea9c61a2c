"""Outputs for trade promotion: files other than the HTML pages, and per-page metadata.

File outputs (sitemap + robots.txt, Atom feed, open data, QR codes) are pure functions
of the catalogue (and the processed images) returning `(site_path, bytes)` pairs; the
builder writes them in one step. Per-page metadata (JSON-LD, Open Graph) is computed in
`jsonld.py` / `social.py` and handed to the templates by render.py.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from ..catalogue import Catalogue
from ..config import SiteConfig
from ..errors import ContentError
from ..images import ProcessedImage
from ..pages import Page
from . import feed, opendata, qr, sitemap

File = tuple[str, bytes]


def promotion_files(catalogue: Catalogue, pages: Sequence[Page],
                    images: Mapping[Path, ProcessedImage]) -> Iterator[File]:
    """Every non-HTML output of the build, in a stable order, one kind after another:
    the builder writes each kind before the next is made (a national catalogue's open
    data and QR codes are tens of megabytes)."""
    yield from sitemap.files(catalogue, pages, images)
    yield from feed.files(catalogue)
    yield from opendata.files(catalogue, images)
    yield from qr.files(catalogue, qr.cache_dir(catalogue.config))


def has_absolute_base(config: SiteConfig) -> bool:
    parts = urlsplit(config.base_url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def promotion_warnings(config: SiteConfig) -> tuple[ContentError, ...]:
    """Sitemaps, feeds, QR codes and share cards need full addresses to be any use."""
    if has_absolute_base(config):
        return ()
    return (ContentError(
        "site.yaml", 0, "base_url",
        f"'{config.base_url}' is not a full address; the sitemap, feed, open data and QR "
        "codes will hold incomplete links. Set base_url: https://… or pass --base-url",
        f"'{config.base_url}' chưa phải địa chỉ đầy đủ; sitemap, nguồn tin, dữ liệu mở và "
        "mã QR sẽ có liên kết thiếu. Hãy đặt base_url: https://… hoặc dùng --base-url",
        "warning"),)
