"""Atom feed (RFC 4287) of newly certified products, newest certificate first.

Every timestamp comes from the data (certificate dates), never from the clock, so a
rebuild without content changes gives the same bytes and feed readers see nothing new.
Products whose certificate has expired are left out: the feed announces recognitions.
Each language of the site has its feed (`feed.xml`, `en/feed.xml`), in its words.
"""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from ..content.models import Product
from ..site.catalogue import Catalogue
from ..site.localize import catalogue_in
from ..site.urls import LangUrls, Urls, site_languages

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
VIETNAM = "+07:00"  # certificates are signed in Vietnam; a date means that day there


def timestamp(day: dt.date) -> str:
    """RFC 3339 date-time for a calendar date (midnight, Vietnam time)."""
    return f"{day.isoformat()}T00:00:00{VIETNAM}"


def feed_entries(catalogue: Catalogue) -> tuple[Product, ...]:
    """Current (unexpired) products by certificate date, newest first; the slug breaks ties."""
    today = catalogue.config.today
    current = [p for p in catalogue.products if not p.certificate.expired_on(today)]
    current.sort(key=lambda p: (p.certificate.date, p.slug), reverse=True)
    return tuple(current[:FEED_LIMIT])


def entry_id(catalogue: Catalogue, product: Product, prefix: str = "") -> str:
    """Stable per certification: a renewed certificate is news again, a rebuild is not."""
    page = catalogue.config.absolute(prefix + Urls.product(product))
    return f"{page}#chung-nhan-{product.certificate.date.isoformat()}"


def atom_feed(catalogue: Catalogue, prefix: str = "") -> bytes:
    """The feed of `catalogue` (in the language of its config, see site/localize.py), whose
    pages are under `prefix` ('' for the default language)."""
    config = catalogue.config
    absolute = config.absolute
    t = config.translator(config.language)
    urls = LangUrls(prefix)
    entries = feed_entries(catalogue)
    updated = entries[0].certificate.date if entries else config.today
    author = config.contact.organisation or config.title
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang={quoteattr(t.meta.hreflang)}>',
        f"  <id>{escape(absolute(urls.feed))}</id>",
        f"  <title>{escape(t('feed.title', site=config.title))}</title>",
        f"  <updated>{timestamp(updated)}</updated>",
        "  <author>",
        f"    <name>{escape(author)}</name>",
        *([f"    <email>{escape(config.contact.email)}</email>"]
          if config.contact.email else []),
        f"    <uri>{escape(absolute(urls.home))}</uri>",
        "  </author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(urls.feed))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(urls.home))}/>',
        "  <generator>ocop-site</generator>",
    ]
    for product in entries:
        certificate = product.certificate
        commune = catalogue.communes_by_slug[product.commune].name
        producer = catalogue.producers[product.producer].name
        summary = product.summary or product.name
        rating = t("product.rating", stars=product.stars)
        about = t("feed.summary", summary=summary, producer=producer, commune=commune,
                  decision=certificate.decision)
        out += [
            "  <entry>",
            f"    <id>{escape(entry_id(catalogue, product, prefix))}</id>",
            f"    <title>{escape(t('feed.entry', name=product.name, rating=rating))}</title>",
            f"    <updated>{timestamp(certificate.date)}</updated>",
            f"    <published>{timestamp(certificate.date)}</published>",
            f'    <link rel="alternate" type="text/html" '
            f"href={quoteattr(absolute(urls.product(product)))}/>",
            f'    <category term="{product.stars}-sao" label={quoteattr(rating)}/>',
            f"    <summary>{escape(about)}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def files(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    return [(lang.urls.feed, atom_feed(catalogue_in(catalogue, lang.code)[0], lang.prefix))
            for lang in site_languages(catalogue.config)]
