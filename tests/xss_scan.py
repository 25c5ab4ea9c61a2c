"""Find anything executable in a built site, the way a browser (or a feed reader, or a
spreadsheet) would read each file.

HTML is parsed with html5lib, which implements the WHATWG parsing algorithm browsers use,
so tricks that depend on parser quirks (<svg><style>, </noscript> inside an attribute,
unclosed tags) are seen as a browser sees them. A finding is a short string naming the
file and the problem; a clean site has none.

Two kinds of rule:
- absolute: no on* attribute, no javascript:/vbscript:/data: URL, JSON-LD that parses
  and cannot end its <script>, rel=noopener on links that leave the site;
- relative to a baseline: elements that can run or load things (script, iframe, form,
  style, meta, img, …) must be exactly those the same site emits with harmless text in
  place of the payloads — so the build's own search form or script is fine, and one
  more from content is a finding.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import html5lib

BAD_SCHEMES = ("javascript", "vbscript", "data")
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "poster", "data", "cite", "background",
    "xlink:href", "ping", "manifest", "codebase", "longdesc", "usemap", "lowsrc",
    "dynsrc", "profile", "icon", "archive", "classid", "itemtype", "xml:base",
})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# Elements that run code, load resources, submit data or change how the page is read.
ACTIVE_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base",
    "form", "input", "button", "textarea", "select", "link", "meta", "svg", "math",
    "template", "noscript", "img", "image", "picture", "source", "video", "audio", "track",
    "portal", "marquee", "details", "dialog", "isindex", "xmp", "plaintext", "listing",
    "noembed", "noframes", "param", "area", "map", "canvas", "slot",
})
# Attributes whose value is part of an active element's identity (URLs, types); other
# attribute values (alt, content, title) legitimately carry the payload text.
IDENTITY_ATTRIBUTES = URL_ATTRIBUTES | SRCSET_ATTRIBUTES | frozenset({
    "type", "rel", "http-equiv", "method", "target", "srcdoc", "charset", "name", "property",
    "sizes", "width", "height", "loading", "decoding", "fetchpriority", "media", "as",
})
HTML_FIELDS = re.compile(r"html$", re.I)  # JSON fields by convention holding markup
URL_FIELDS = re.compile(r"(url|href|website|image|sameas|@id|link|item|logo|uri)$", re.I)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def scheme_of(url: str) -> str:
    """The scheme a browser sees, by the WHATWG URL parser: leading and trailing C0
    controls and spaces are dropped and tabs/newlines removed anywhere ('java&#x09;script:'
    is javascript:); any other character breaks the scheme, making the URL relative."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21))))).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else ""


def bad_url(url: str) -> bool:
    return scheme_of(url) in BAD_SCHEMES


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _attr_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[-1]
    if name.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + name.rsplit("}", 1)[-1]
    return _local(name)


def _is_jsonld(element: ET.Element) -> bool:
    return (element.get("type") or "").strip().lower() == "application/ld+json"


class Scan:
    """Findings and active-element signatures of one output tree."""

    def __init__(self, site_host: str):
        self.site_host = site_host
        self.findings: list[str] = []
        self.active: dict[str, Counter] = {}  # file → Counter of active element signatures
        self.jsonld: dict[str, list[Any]] = {}  # file → parsed JSON-LD blocks

    def find(self, where: str, problem: str) -> None:
        self.findings.append(f"{where}: {problem}")

    # -- HTML ------------------------------------------------------------------------
    def html_document(self, where: str, markup: str) -> None:
        root = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=True)
        signatures: Counter = Counter()
        self._walk(where, root, signatures, in_head=False, document=True)
        self.active[where] = signatures

    def html_fragment(self, where: str, markup: str) -> None:
        """Markup a reader renders (feed summaries, JSON description_html): nothing
        active at all, no baseline needed."""
        root = html5lib.parseFragment(markup, treebuilder="etree",
                                      namespaceHTMLElements=True)
        signatures: Counter = Counter()
        self._walk(where, root, signatures, in_head=False, document=False)
        for signature in signatures:
            self.find(where, f"active element in rendered markup: {signature[0]}")

    def _walk(self, where: str, element: ET.Element, signatures: Counter, in_head: bool,
              document: bool) -> None:
        tag = _local(element.tag)
        if tag == "head":
            in_head = True
        elif tag == "body":
            in_head = False
        attributes = {_attr_name(k): v for k, v in element.attrib.items()}
        for name, value in attributes.items():
            if name.startswith("on"):
                self.find(where, f"<{tag} {name}=…> event handler attribute")
            if name in URL_ATTRIBUTES and bad_url(value):
                self.find(where, f"<{tag} {name}={value!r}> dangerous URL scheme")
            if name in SRCSET_ATTRIBUTES and any(bad_url(u) for u in srcset_urls(value)):
                self.find(where, f"<{tag} {name}={value!r}> dangerous URL in srcset")
            if name == "srcdoc":
                self.find(where, f"<{tag} srcdoc> embedded document")
            if name == "style" and re.search(r"expression\s*\(|javascript:|behavior\s*:|"
                                             r"-moz-binding|url\s*\(", value, re.I):
                self.find(where, f"<{tag} style={value!r}> active CSS")
        if tag == "a":
            self._check_link(where, attributes)
        if tag == "script":
            self._check_script(where, element, attributes)
        if tag == "style" and not in_head and document:
            self.find(where, "<style> in the body")
        if tag in ACTIVE_ELEMENTS and not (tag == "script" and _is_jsonld(element)):
            identity = tuple(sorted((name, value if name in IDENTITY_ATTRIBUTES else "…")
                                    for name, value in attributes.items()))
            text = (element.text or "").strip() if tag in ("script", "style") else ""
            signatures[(tag, identity, text)] += 1
        for child in element:
            self._walk(where, child, signatures, in_head, document)

    def _check_link(self, where: str, attributes: dict[str, str]) -> None:
        href = (attributes.get("href") or "").strip()
        parts = urlsplit(href)
        external = parts.scheme in ("http", "https") and parts.hostname != self.site_host
        if external or attributes.get("target"):
            rel = (attributes.get("rel") or "").lower().split()
            if "noopener" not in rel and "noreferrer" not in rel:
                self.find(where, f"<a href={href!r}> leaves the site without rel=noopener")

    def _check_script(self, where: str, element: ET.Element, attributes: dict[str, str]
                      ) -> None:
        if not _is_jsonld(element):
            return  # compared with the baseline
        text = "".join(element.itertext())
        if "</script" in text.lower() or "<!--" in text:
            self.find(where, "JSON-LD text can end its <script> or open a comment")
        try:
            data = json.loads(text)
        except ValueError as exc:
            self.find(where, f"JSON-LD does not parse ({exc}): {text[:80]!r}")
            return
        self.jsonld.setdefault(where, []).append(data)
        self.json_value(where + " (JSON-LD)", data)

    # -- JSON, XML, CSV, SVG ------------------------------------------------------------
    def json_value(self, where: str, value: Any, key: str = "", html_fields: bool = True
                   ) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                self.json_value(where, item, str(name), html_fields)
        elif isinstance(value, list):
            for item in value:
                self.json_value(where, item, key, html_fields)
        elif isinstance(value, str):
            if URL_FIELDS.search(key) and bad_url(value):
                self.find(where, f"{key}: {value!r} dangerous URL scheme")
            if html_fields and HTML_FIELDS.search(key) and "<" in value:
                self.html_fragment(f"{where} [{key}]", value)

    def xml_document(self, where: str, data: bytes) -> None:
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            self.find(where, f"not well-formed XML: {exc}")
            return
        for element in root.iter():
            tag = _local(element.tag)
            for name, value in element.attrib.items():
                name = _attr_name(name)
                if name.startswith("on"):
                    self.find(where, f"<{tag} {name}=…> event handler attribute")
                if name in URL_ATTRIBUTES and bad_url(value):
                    self.find(where, f"<{tag} {name}={value!r}> dangerous URL scheme")
            if tag in ("script", "foreignobject", "iframe", "embed", "object"):
                self.find(where, f"<{tag}> in XML/SVG")
            if tag in ("uri", "loc", "url", "link") and element.text and bad_url(element.text):
                self.find(where, f"<{tag}>{element.text!r} dangerous URL scheme")
            # Atom text constructs of type html/xhtml, and RSS descriptions, are rendered
            if (element.get("type") in ("html", "xhtml") or tag in ("description", "encoded")) \
                    and (element.text or len(element)):
                inner = element.text or ""
                inner += "".join(ET.tostring(child, encoding="unicode") for child in element)
                self.html_fragment(f"{where} <{tag}>", inner)

    def csv_document(self, where: str, data: bytes) -> None:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        header = rows[0] if rows else []
        for number, row in enumerate(rows[1:], start=2):
            for column, cell in zip(header, row):
                if cell.startswith(FORMULA_START) and not re.fullmatch(r"[-+]?\d[\d.,]*",
                                                                      cell):
                    self.find(where, f"row {number} {column}: {cell[:40]!r} would run as a "
                                     "spreadsheet formula")
                if URL_FIELDS.search(column) and bad_url(cell):
                    self.find(where, f"row {number} {column}: dangerous URL scheme")

    # -- a whole tree ----------------------------------------------------------------
    def tree(self, root: Path) -> "Scan":
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            where = path.relative_to(root).as_posix()
            data = path.read_bytes()
            suffix = path.suffix.lower()
            if suffix in (".html", ".htm"):
                self.html_document(where, data.decode("utf-8"))
            elif suffix in (".json", ".jsonld", ".webmanifest"):
                try:
                    self.json_value(where, json.loads(data))
                except ValueError as exc:
                    self.find(where, f"JSON does not parse: {exc}")
            elif suffix in (".xml", ".atom", ".rss", ".svg"):
                self.xml_document(where, data)
            elif suffix == ".csv":
                self.csv_document(where, data)
        return self


def _site_relative(signature: tuple) -> tuple:
    """A signature without the '../' that only says how deep its page is."""
    tag, attributes, text = signature
    return (tag, tuple((name, re.sub(r"(?:\.\./)+", "", value))
                       for name, value in attributes), text)


def differences(scan: Scan, baseline: Scan) -> Iterator[str]:
    """Active elements the site has beyond (or short of) the baseline build.

    Counted over the whole site: which list page a card lands on depends on how the
    payloads sort, and the harmless texts sort differently; what matters is that no
    element exists that the baseline does not have.
    """
    for where in sorted(set(scan.active) ^ set(baseline.active)):
        side = "baseline" if where in scan.active else "hostile build"
        yield f"{where}: page not in the {side}"
    totals = []
    for one in (scan, baseline):
        total: Counter = Counter()
        for counts in one.active.values():
            for signature, count in counts.items():
                total[_site_relative(signature)] += count
        totals.append(total)
    extra, missing = totals[0] - totals[1], totals[1] - totals[0]
    for signature in extra:
        pages = [w for w, c in scan.active.items()
                 if any(_site_relative(s) == signature for s in c)]
        yield f"extra active element {signature} (in {', '.join(pages[:5])})"
    for signature in missing:
        yield f"active element changed or lost {signature}"
    for where in sorted(set(scan.active) & set(baseline.active)):
        blocks, expected = len(scan.jsonld.get(where, ())), len(baseline.jsonld.get(where, ()))
        if blocks != expected:
            yield f"{where}: {blocks} JSON-LD blocks, the baseline has {expected}"
