"""Events on the built site: the events page, event pages and product pages link both ways."""
from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from ocop_site.pipeline import builder

from .conftest import REPO, TODAY


class _Sections(HTMLParser):
    """Links grouped under the <section> whose heading id they follow (h-upcoming, …)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, list[str]] = {}
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h2", "h1") and values.get("id"):
            self._section = values["id"] or ""
        elif tag == "a" and values.get("href"):
            self.links.setdefault(self._section, []).append(values["href"] or "")


def links_of(out: Path, site_path: str) -> dict[str, list[str]]:
    """Links of a page, resolved to site paths (relative hrefs as a browser would)."""
    parser = _Sections()
    parser.feed((out / site_path).read_text("utf-8"))
    base = "http://x/" + site_path
    return {section: [urljoin(base, href).removeprefix("http://x/") for href in hrefs
                      if not href.startswith(("http", "mailto:", "tel:"))]
            for section, hrefs in parser.links.items()}


def all_links(out: Path, site_path: str) -> list[str]:
    return [link for links in links_of(out, site_path).values() for link in links]


def test_event_and_product_pages_link_both_ways(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    event_links = all_links(out, "su-kien/phien-cho-thu-nghiem/index.html")
    for product in ("che-xanh-dong-thinh", "mat-ong-hoa-nhan-don-nhan"):
        assert f"san-pham/{product}/" in event_links
        assert (out / f"san-pham/{product}/index.html").is_file()
        back = links_of(out, f"san-pham/{product}/index.html")["h-events"]
        assert "su-kien/phien-cho-thu-nghiem/" in back
    not_shown = links_of(out, "san-pham/dui-ga-hun-khoi-nhu-thuy/index.html")
    assert "h-events" not in not_shown
    assert "san-pham/dui-ga-hun-khoi-nhu-thuy/" not in event_links


def test_events_page_splits_upcoming_and_past(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "before"
    builder.build(site, out, today=TODAY)
    listed = links_of(out, "su-kien/index.html")
    assert "su-kien/phien-cho-thu-nghiem/" in listed["h-upcoming"]
    assert "su-kien/phien-cho-thu-nghiem/" not in listed.get("h-past", [])
    later = tmp_path / "after"
    builder.build(site, later, today=dt.date(2026, 7, 1))
    listed = links_of(later, "su-kien/index.html")
    assert "su-kien/phien-cho-thu-nghiem/" in listed["h-past"]
    assert "su-kien/phien-cho-thu-nghiem/" not in listed.get("h-upcoming", [])
    assert "su-kien/" in links_of(later, "index.html")[""]  # in the main navigation


def test_sample_events_link_both_ways(tmp_path: Path) -> None:
    out = tmp_path / "public"
    today = dt.date(2026, 11, 29)
    builder.build(REPO, out, today=today)
    _config, catalogue, _warnings = builder.load(REPO, today=today)
    assert len(catalogue.upcoming_events) >= 1 and len(catalogue.past_events) >= 2
    listed = links_of(out, "su-kien/index.html")
    assert {f"su-kien/{e.slug}/" for e in catalogue.upcoming_events} <= set(listed["h-upcoming"])
    assert {f"su-kien/{e.slug}/" for e in catalogue.past_events} <= set(listed["h-past"])
    for event in catalogue.events:
        shown = catalogue.event_products[event.slug]
        assert shown, f"{event.slug} shows no published product"
        event_links = all_links(out, f"su-kien/{event.slug}/index.html")
        for product in shown:
            assert f"san-pham/{product.slug}/" in event_links
            back = links_of(out, f"san-pham/{product.slug}/index.html")["h-events"]
            assert f"su-kien/{event.slug}/" in back
