"""Outputs for trade promotion: files other than the HTML pages, and per-page metadata.

File outputs (sitemap + robots.txt, Atom feed, open data, QR codes, the service worker
for reading offline) are pure functions of the catalogue (and the processed images)
returning `(site_path, bytes)` pairs; the build makes each as a job keyed by its inputs
(pipeline/jobs.py). Per-page metadata (JSON-LD, Open Graph) is computed in `jsonld.py` /
`social.py` and handed to the templates by site/render.py.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from ..content.config import SiteConfig
from ..errors import ContentError


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
