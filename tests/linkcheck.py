"""A small crawler for tests: fetch every internal link, image and srcset entry over HTTP
(and form actions, sharing-image URLs, and the addresses in sitemap.xml and feed.xml)."""
from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

# <meta> whose content is an address a visitor's app will fetch
_URL_METAS = {"og:url", "og:image", "twitter:image"}
_XML_TYPES = {"application/xml", "text/xml", "application/atom+xml"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])
        if tag == "form" and values.get("action"):
            self.links.append(values["action"])
        if tag == "meta" and (values.get("property") or values.get("name")) in _URL_METAS:
            self.links.append(values.get("content") or "")
        if values.get("srcset"):
            self.links += [part.strip().split(" ")[0] for part in values["srcset"].split(",")]


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get_content_type()


def xml_links(body: bytes) -> list[str]:
    """Addresses in a sitemap (<loc>, image:loc) or an Atom feed (link href, icon…)."""
    links = []
    for element in ET.fromstring(body).iter():
        if element.tag.rsplit("}", 1)[-1] in ("loc", "icon", "logo") and element.text:
            links.append(element.text.strip())
        if element.get("href"):
            links.append(element.get("href"))
    return links


def _links_in(body: bytes, ctype: str) -> tuple[list[str], set[str]] | None:
    """(links, ids) of an HTML page or XML file; None for anything else."""
    if ctype in _XML_TYPES:
        return xml_links(body), set()
    if ctype == "text/html":
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        return parser.links, parser.ids
    return None


def page_links(url: str, shown_at: str = "") -> tuple[int, list[str], set[str]]:
    """(status, absolute addresses it links to, its ids) of one page, whatever its
    status: the 404 page is served at any depth, so its links must work from anywhere.
    `shown_at`: the address the page is shown at, if not its own (the service worker
    shows the offline page in place of any page)."""
    status, body, ctype = fetch(url)
    links, ids = _links_in(body, ctype) or ([], set())
    return status, [urljoin(shown_at or url, link) for link in links if link
                    and urlsplit(link).scheme not in ("mailto", "tel") and link != "#"], ids


def crawl(start: str, also: tuple[str, ...] = ()) -> tuple[set[str], list[str]]:
    """Visit every page reachable from `start` (and from the addresses in `also`, such
    as a sitemap no page links to) under its path; return (pages, broken)."""
    prefix = start
    origin = f"{urlsplit(prefix).scheme}://{urlsplit(prefix).netloc}"
    seen: set[str] = set()
    broken: list[str] = []
    fragments: list[tuple[str, str, str]] = []
    ids: dict[str, set[str]] = {}
    queue = [(url, "") for url in reversed((start, *also))]
    while queue:
        url, referrer = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, ctype = fetch(url)
        if status != 200:
            broken.append(f"{url} (HTTP {status}, linked from {referrer or 'the start'})")
            continue
        found = _links_in(body, ctype)
        if found is None:
            continue
        links, ids[url] = found
        for link in links:
            if not link or urlsplit(link).scheme in ("mailto", "tel") or link == "#":
                continue
            absolute, fragment = urldefrag(urljoin(url, link))
            if not absolute.startswith(origin + "/"):
                continue  # external
            if not absolute.startswith(prefix):
                broken.append(f"{url} → {link} (leaves {prefix})")
                continue
            if fragment:
                fragments.append((url, absolute, fragment))
            if absolute not in seen:
                queue.append((absolute, url))
    for page, target, fragment in fragments:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{page} → {target}#{fragment} (no such id)")
    return seen, broken
