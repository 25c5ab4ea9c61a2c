"""sitemap.xml (with image entries) and robots.txt pointing at it.

Every page is listed except the 404 page, the redirects of former communes and the
pages for reading offline; product, producer and commune pages list their
photos too (Google's image sitemap extension), so the photos are found by image search.
On a site in several languages every page of every language is listed, each with its
counterparts as `xhtml:link rel="alternate" hreflang` (Google's multilingual sitemaps).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence
from xml.sax.saxutils import escape

from ..images.photos import ProcessedImage
from ..site.catalogue import Catalogue
from ..site.pages import REDIRECT_TEMPLATE
from ..site.urls import Page, Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
XHTML_NS = "http://www.w3.org/1999/xhtml"


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
    config = catalogue.config
    absolute = config.absolute
    photos = page_images(catalogue, images)
    hreflang = {code: config.translator(code).meta.hreflang for code in config.languages}
    several = len(config.languages) > 1
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}"'
             + (f' xmlns:xhtml="{XHTML_NS}">' if several else ">")]
    for page in pages:
        same = page.alternates[0][1] if page.alternates else page.url
        if same in (Urls.not_found, Urls.offline, Urls.saved) \
                or page.template == REDIRECT_TEMPLATE:
            continue
        entry = f"<url><loc>{escape(absolute(page.url))}</loc>"
        if several:
            for code, url in page.alternates:
                entry += (f'<xhtml:link rel="alternate" hreflang="{escape(hreflang[code])}" '
                          f'href="{escape(absolute(url))}"/>')
            entry += (f'<xhtml:link rel="alternate" hreflang="x-default" '
                      f'href="{escape(absolute(same))}"/>')
        for image in photos.get(same, ()):
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
