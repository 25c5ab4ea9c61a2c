"""sitemap.xml (with image entries) and robots.txt pointing at it.

Every page is listed except the 404 page; product, producer and commune pages list their
photos too (Google's image sitemap extension), so the photos are found by image search.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence
from xml.sax.saxutils import escape

from ..catalogue import Catalogue
from ..images import ProcessedImage
from ..pages import Page, Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"


def page_images(catalogue: Catalogue, images: Mapping[Path, ProcessedImage]
                ) -> dict[str, tuple[ProcessedImage, ...]]:
    """Page URL → the photos shown on it, from the catalogue (not from template guesses)."""
    found: dict[str, tuple[ProcessedImage, ...]] = {}
    for product in catalogue.products:
        found[Urls.product(product)] = tuple(
            images[ref.source] for ref in product.images if ref.source in images)
    for producer in catalogue.producers_sorted:
        if producer.image and producer.image.source in images:
            found[Urls.producer(producer.id)] = (images[producer.image.source],)
    for commune in catalogue.communes:
        if commune.image and commune.image in images:
            found[Urls.commune(commune.slug)] = (images[commune.image],)
    return found


def sitemap_xml(catalogue: Catalogue, pages: Sequence[Page],
                images: Mapping[Path, ProcessedImage]) -> bytes:
    absolute = catalogue.config.absolute
    photos = page_images(catalogue, images)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}">']
    for page in pages:
        if page.url == Urls.not_found:
            continue
        entry = f"<url><loc>{escape(absolute(page.url))}</loc>"
        for image in photos.get(page.url, ()):
            entry += (f"<image:image><image:loc>{escape(absolute(image.fallback.url))}"
                      "</image:loc></image:image>")
        lines.append(entry + "</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(catalogue: Catalogue) -> bytes:
    """Allow everything; name the sitemap (crawlers read robots.txt only at a domain root,
    so a site under a subpath should copy the Sitemap line into the root robots.txt)."""
    sitemap_url = catalogue.config.absolute(Urls.sitemap)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode("utf-8")


def files(catalogue: Catalogue, pages: Sequence[Page],
          images: Mapping[Path, ProcessedImage]) -> list[tuple[str, bytes]]:
    return [(Urls.sitemap, sitemap_xml(catalogue, pages, images)),
            (Urls.robots, robots_txt(catalogue))]
