"""Every internal link, image, srcset entry, form action, sharing image and sitemap/feed
address of the sample site resolves over HTTP, and every #fragment names an id on its
page — at the domain root and under a subpath (built for where it is served, so the
absolute canonical, Open Graph and sitemap URLs are checked too)."""
from __future__ import annotations

import time
from typing import Callable

import pytest

from ..linkcheck import crawl, fetch, page_links
from .conftest import Site


@pytest.fixture(params=["sample_at_root", "sample_under_subpath"])
def served(request: pytest.FixtureRequest) -> Site:
    return request.getfixturevalue(request.param)


def test_every_link_resolves(served: Site, summary: Callable[[str], None]) -> None:
    started = time.perf_counter()
    status, robots, _ = fetch(served.url + "robots.txt")
    sitemaps = [line.split(":", 1)[1].strip() for line in robots.decode().splitlines()
                if line.startswith("Sitemap:")]
    assert status == 200 and sitemaps == [served.url + "sitemap.xml"]
    # the producers' web form is linked from no visitor's page (CONTRIBUTING gives its
    # address): its pages are crawled from too, so its scripts and links are checked
    forms = tuple(served.url + p.relative_to(served.root).as_posix().removesuffix("index.html")
                  for p in served.root.rglob("admin/index.html"))
    seen, broken = crawl(served.url, also=tuple(sitemaps) + forms)
    summary(f"links from {served.url}: {len(seen)} addresses fetched, {len(broken)} broken "
            f"({time.perf_counter() - started:.0f} s)")
    assert broken == []
    built_pages = {p.relative_to(served.root).as_posix() for p in served.root.rglob("*.html")}
    reached = {url.removeprefix(served.url) for url in seen}
    # every page but the 404 and offline pages (one each per language, linked from
    # nowhere: the host and the service worker show them in place of another page;
    # checked below) and the pages left at former communes' addresses (they only send
    # visitors on, to a page that is reached) is reachable by links; the absolute
    # addresses (sitemap, canonical, og:image) too
    unreached = {p for p in built_pages if p.removesuffix("index.html") not in reached
                 and b'http-equiv="refresh"' not in (served.root / p).read_bytes()}
    assert {"404.html", "khong-co-mang/index.html"} <= unreached
    assert {p for p in unreached if p.rsplit("/", 1)[-1] != "404.html"
            and not p.endswith("khong-co-mang/index.html")} == set()
    assert {"sitemap.xml", "feed.xml", "catalogue.json", "catalogue.csv"} <= reached
    assert any(url.endswith("-social.jpg") for url in reached)


def test_the_404_page_links_work_from_any_depth(served: Site) -> None:
    missing = served.url + "khong/co/trang-nay/"
    status, links, ids = page_links(missing)
    assert status == 404
    internal = [link for link in links if link.startswith(served.url)]
    assert len(internal) > 10  # stylesheet, icon, navigation, footer
    in_page = [link for link in internal if link.startswith(missing + "#")]
    assert in_page and all(link.split("#", 1)[1] in ids for link in in_page)  # skip link
    broken = [link for link in internal if link not in in_page
              and fetch(link.split("#")[0])[0] != 200]
    assert broken == []


def test_the_offline_page_links_from_the_base_path(served: Site) -> None:
    """The service worker shows it in place of any page: its links must not be relative
    to its own folder."""
    status, links, _ids = page_links(served.url + "khong-co-mang/",
                                     shown_at=served.url + "xa/song-lo/")
    assert status == 200
    internal = [link for link in links if link.startswith(served.url)]
    assert served.url + "da-luu/" in internal and served.url in internal
    assert [link for link in internal if fetch(link.split("#")[0])[0] != 200] == []
