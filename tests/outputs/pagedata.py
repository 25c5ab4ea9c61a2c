"""Read what a page says to machines: JSON-LD blocks, meta tags, links, images."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[str, str]] = []  # (type, text)
        self.meta: dict[str, list[str]] = {}  # property or name → contents
        self.links: list[dict[str, str]] = []  # <link> attributes
        self.anchors: list[str] = []
        self.images: list[dict[str, str]] = []
        self._script: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script":
            self._script, self._text = values.get("type", ""), []
        elif tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            self.meta.setdefault(key, []).append(values.get("content", ""))
        elif tag == "link":
            self.links.append(values)
        elif tag == "a" and "href" in values:
            self.anchors.append(values["href"])
        elif tag == "img":
            self.images.append(values)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def jsonld(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD block of a page, parsed (json.loads raises if one is not valid JSON)."""
    return [json.loads(text) for kind, text in parse(html).scripts
            if kind == "application/ld+json"]


def of_type(blocks: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [b for b in blocks if b.get("@type") == kind]
