"""A small crawler for tests: fetch every internal link, image and srcset entry over HTTP."""
from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit


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
        if values.get("srcset"):
            self.links += [part.strip().split(" ")[0] for part in values["srcset"].split(",")]


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


def crawl(start: str) -> tuple[set[str], list[str]]:
    """Visit every page reachable from `start` under its path; return (pages, broken)."""
    prefix = start
    seen: set[str] = set()
    broken: list[str] = []
    fragments: list[tuple[str, str, str]] = []
    ids: dict[str, set[str]] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, ctype = fetch(url)
        if status != 200:
            broken.append(url)
            continue
        if ctype != "text/html":
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        ids[url] = parser.ids
        for link in parser.links:
            if urlsplit(link).scheme in ("mailto", "tel") or link.startswith("#") and len(link) == 1:
                continue
            absolute, fragment = urldefrag(urljoin(url, link))
            if not absolute.startswith(prefix.split("/", 3)[0] + "//" + urlsplit(prefix).netloc):
                continue  # external
            if not absolute.startswith(prefix):
                broken.append(f"{url} → {link} (leaves {prefix})")
                continue
            if fragment:
                fragments.append((url, absolute, fragment))
            if absolute not in seen:
                queue.append(absolute)
    for page, target, fragment in fragments:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{page} → {target}#{fragment} (no such id)")
    return seen, broken
