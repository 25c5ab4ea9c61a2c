"""The search page driven in a real browser, whatever the search index's format.

Shared by benchmarks/search_precision.py, benchmarks/search_payload.py and the tests
tests/test_search_precision.py and tests/test_search_budget.py. It knows the search
page's DOM, not the index: form [data-search] with its input name=q, the results list
[data-results] of li.card > a.card-link, the status line [data-status] (which names the
query between “ ”, or says there are no results), the [data-more] button, the filter
panel <details data-filters>. Files of the index are the ones fetched under
`Urls.search_index` (the folder, whatever its name and whatever files it holds), plus
the search script (assets/js/search*.js).

A search is done when the status line contains the query as typed (found: "12 products
for “mat ong”", none: "No products found for “mat ong”…"); its results are the cards
then in the list, after pressing "more" until it hides.
"""
from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import io
import re
import shutil
import sys
import threading
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ocop_site.site.urls import Urls  # noqa: E402
from ocop_site.text.vietnamese import fold  # noqa: E402

TODAY = dt.date(2026, 6, 1)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INDEX_PREFIX = "/" + Urls.search_index.strip("/") + "/"  # "/pagefind/" today
SCRIPT = re.compile(r"/js/search[^/]*\.js$")  # the search page's own script
# Lighthouse's mobile preset ("Slow 4G"): 150 ms RTT, 1.6 Mbit/s down, 750 Kbit/s up
THROTTLE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 // 8,
            "uploadThroughput": 750_000 // 8}
COPY_IGNORE = shutil.ignore_patterns(".cache", ".git", ".venv", "public", "node_modules",
                                     "tests", "benchmarks")

# Notes, in the page, when the results list first holds a card and when its first card
# changes (time, href of the first card), and when the search box last got a letter.
_OBSERVER = """
(() => {
  window.__probe = { changes: [], lastInput: null };
  const watch = () => {
    const list = document.querySelector('[data-results]');
    if (!list) return;
    const note = () => {
      const first = list.querySelector('li.card a.card-link');
      window.__probe.changes.push([performance.now(), first ? first.href : null]);
    };
    new MutationObserver(note).observe(list, { childList: true, subtree: true });
    note();
    document.addEventListener('input', () => { window.__probe.lastInput = performance.now(); },
                              true);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
})();
"""


def search_path(lang: str) -> str:
    """The search page's site path in that language ('tim-kiem/', 'en/tim-kiem/')."""
    return ("" if lang == "vi" else f"{lang}/") + Urls.search


def is_index_file(url: str) -> bool:
    path = urllib.parse.urlsplit(url).path
    return path.startswith(INDEX_PREFIX) or bool(SCRIPT.search(path))


def is_filter_file(url: str) -> bool:
    """A file of the index that only the filter panel should need."""
    path = urllib.parse.urlsplit(url).path
    name = path[len(INDEX_PREFIX):] if path.startswith(INDEX_PREFIX) else ""
    return "filter" in name or "facets" in name


def gzip_size(data: bytes) -> int:
    """What a host that compresses on the fly sends: gzip -6, unless the file is smaller
    as it is (files that are compressed already, Pagefind's .pf_* chunks)."""
    return min(len(data), len(gzip.compress(data, 6)))


# -- building and serving ----------------------------------------------------------------

def catalogue_source(work: Path, size: int) -> Path:
    """The site to measure: a catalogue of `size` products generated under `work`
    (benchmarks/generate.py), or with 0 the bundled sample (the repository itself)."""
    if not size:
        return REPO
    from generate import generate
    source = work / "source"
    generate(source, size)
    return source


def build_site(source: Path, out: Path, copy_to: Path | None = None) -> int:
    """Build `source` into `out` (after copying it to `copy_to`, so no cache is written into
    the source); the number of pages."""
    from ocop_site.pipeline import builder
    if copy_to is not None:
        shutil.copytree(source, copy_to, ignore=COPY_IGNORE)
        source = copy_to
    return builder.build(source, out, today=TODAY).pages


class _Handler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]]
    compress: bool

    def do_GET(self) -> None:
        """As a compressing host serves: gzip when the browser takes it and it is smaller."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not (self.compress and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        data = path.read_bytes()
        packed = gzip.compress(data, 6)
        if len(packed) >= len(data):
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(packed)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.copyfile(io.BytesIO(packed), self.wfile)

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        self.sent.append((urllib.parse.unquote(self.path.split("?")[0]), len(data)))
        try:
            outputfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # a page closed while it loaded
            pass

    def log_message(self, format: str, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Server:
    """The folder served on 127.0.0.1; `sent` lists (path, bytes sent) of every file served.
    compress: gzip (-6) what is smaller gzipped, when the browser accepts it, as hosts do
    (the browser still sees, and Search.files counts, the bytes of the files)."""

    def __init__(self, folder: Path, compress: bool = False) -> None:
        self.folder = folder
        self.sent: list[tuple[str, int]] = []
        handler = functools.partial(
            type("Handler", (_Handler,), {"sent": self.sent, "compress": compress}),
            directory=str(folder))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def file_for(self, url: str) -> Path:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
        return self.folder / path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_context(browser, **options):
    """A fresh context (a first visit: empty cache) with service workers blocked: the site's
    sw.js claims the page on its first visit and fetches the index itself, outside the
    page's network throttling (DevTools throttles the page's target, not the worker's)."""
    return browser.new_context(service_workers="block", **options)


# -- one search --------------------------------------------------------------------------

@dataclass
class Search:
    query: str
    links: list[str]  # the result cards' hrefs, site-relative, in order
    count: int  # the number in the status line (the cards shown if it has none)
    status: str
    files: list[tuple[str, int]] = field(default_factory=list)  # index files: url, raw bytes
    to_results: float | None = None  # seconds: load (or last keystroke) to first card
    from_start: float | None = None  # seconds: navigation start to that first card
    load: float | None = None  # seconds: navigation start to the load event

    @property
    def slugs(self) -> list[str]:
        """Product slugs of the result cards, in order (other cards as their paths)."""
        out = []
        for link in self.links:
            match = re.search(r"(?:^|/)san-pham/([^/]+)/", link)
            out.append(match.group(1) if match else link)
        return out


def _done(page, query: str, timeout: float) -> None:
    page.wait_for_function(
        "q => { const s = document.querySelector('[data-status]');"
        " return s && s.textContent.includes('\u201c' + q + '\u201d'); }",
        arg=query, timeout=timeout)


def run_search(context, base: str, query: str, lang: str = "vi", typed: bool = False,
               throttle: bool = False, cpu: float = 0, all_results: bool = True,
               timeout: float = 60_000) -> Search:
    """One search on a fresh page of `context`: `?q=` in the address (typed=False), or the
    query typed letter by letter into the box (100 ms apart) of the empty search page."""
    page = context.new_page()
    files: list[tuple[str, int]] = []

    def on_response(response) -> None:
        if is_index_file(response.url):
            try:
                files.append((response.url, len(response.body())))
            except Exception:  # a redirect or a failed fetch: no body
                files.append((response.url, 0))

    page.on("response", on_response)
    if throttle or cpu:
        cdp = context.new_cdp_session(page)
        if throttle:
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", THROTTLE)
        if cpu:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    page.add_init_script(_OBSERVER)
    url = base + search_path(lang)
    if typed:
        page.goto(url, wait_until="load")
        box = page.locator("[data-search] input[name=q]")
        box.wait_for(state="visible", timeout=timeout)
        box.press_sequentially(query, delay=100)
    else:
        page.goto(url + "?" + urllib.parse.urlencode({"q": query}), wait_until="load")
    _done(page, query, timeout)
    probe = page.evaluate("""() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { load: nav ? nav.loadEventStart : null, ...window.__probe }; }""")
    first = page.locator("[data-results] li.card a.card-link").first
    to_results = from_start = None
    if first.count():
        href = first.evaluate("a => a.href")
        start = probe["lastInput"] if typed else probe["load"]
        changes = [c for c in probe["changes"] if start is None or c[0] >= start]
        run_start = None  # the start of the last run of changes showing the final first card
        for when, shown in changes:
            if shown == href:
                run_start = when if run_start is None else run_start
            else:
                run_start = None
        if run_start is not None:
            from_start = run_start / 1000
        if run_start is not None and start is not None:
            to_results = max(0.0, run_start - start) / 1000
        elif start is not None:  # the card was there before the load event
            to_results = 0.0
    more = page.locator("[data-more]")
    while all_results and more.count() and more.is_visible():
        before = page.locator("[data-results] li.card").count()
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('[data-results] li.card').length > n ||"
            " document.querySelector('[data-more]').hidden", arg=before, timeout=timeout)
    links = page.locator("[data-results] li.card a.card-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    root = base + search_path(lang)
    links = [urllib.parse.urljoin(root, link)[len(base):] for link in links]
    status = page.locator("[data-status]").inner_text()
    number = re.search(r"\d[\d.,\u202f\u00a0]*", status.replace(query, ""))
    count = int(re.sub(r"\D", "", number.group())) if number else len(links)
    page.close()
    load = probe["load"] / 1000 if probe["load"] else None
    return Search(query, links, count, status, files, to_results, from_start, load)


# -- scores ------------------------------------------------------------------------------

def scores(found: list[str], expected: set[str]) -> tuple[float | None, float | None]:
    """(precision at 5, recall): expected among the first 5 / min(5, results), expected
    found anywhere / expected. Precision is None when there are no results and nothing
    is expected, recall when nothing is expected; no results for an expectation is 0."""
    top = found[:5]
    if top:
        precision: float | None = sum(1 for s in top if s in expected) / len(top)
    else:
        precision = 0.0 if expected else None
    recall = (len(expected & set(found)) / len(expected)) if expected else None
    return precision, recall


def ranked(found: list[str], expected: set[str]) -> float | None:
    """Precision at 5 as ranking alone can make it: expected among the first 5 /
    min(5, results, expected) (1.0 when every expected product that fits is on top)."""
    room = min(5, len(found), len(expected))
    return sum(1 for s in found[:5] if s in expected) / room if room else None


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


# -- expectations on a generated catalogue -------------------------------------------------

def _front(path: Path) -> dict:
    import yaml
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def _words(text: str, exact: bool) -> str:
    """Lower case, NFC, punctuation as spaces; folded (no marks, đ->d) unless `exact`."""
    text = unicodedata.normalize("NFC", text).lower()
    if not exact:
        text = fold(text)
    return " " + " ".join(re.sub(r"[^\w]+", " ", text).split()) + " "


class GeneratedCatalogue:
    """The rule for what a query should find in a catalogue of benchmarks/generate.py:
    the products whose name, category path (group, subgroup, category, in the page's
    language), commune (as written, and the commune it merged into when that is a former
    name) or producer name contains the query's words as a phrase (whole words, in
    order). Compared folded (no diacritics, đ->d, case ignored) when the query is typed
    without diacritics; with the query's diacritics when it has some ("chè" is not
    "chế"), as a buyer who types the marks means them."""

    def __init__(self, source: Path) -> None:
        import yaml
        content = source / "content"
        communes = yaml.safe_load((content / "data/communes.yaml").read_text("utf-8"))
        merged = {}
        for commune in communes["communes"]:
            for old in commune.get("former_names") or []:
                merged[old] = commune["name"]
        categories = yaml.safe_load((content / "data/categories.yaml").read_text("utf-8"))
        paths: dict[str, dict[str, list[str]]] = {}
        for group in categories["groups"]:
            for sub in group.get("subgroups", []) or [group]:
                leaves = sub.get("categories", []) or [sub]
                for leaf in leaves:
                    nodes = [group] + ([sub] if sub is not group else []) + (
                        [leaf] if leaf is not sub else [])
                    paths[leaf["id"]] = {
                        "vi": [n["name"] for n in nodes],
                        "en": [n.get("name_en") or n["name"] for n in nodes]}
        producers = {p.stem: _front(p)["name"]
                     for p in (content / "producers").glob("*.md") if p.stem.count(".") == 0}
        self.products: dict[str, dict[str, list[str]]] = {}
        for path in sorted((content / "products").glob("*.md")):
            if "." in path.stem:
                continue
            front = _front(path)
            fields = [front["name"], front["commune"], producers[front["producer"]]]
            if front["commune"] in merged:
                fields.append(merged[front["commune"]])
            self.products[front.get("slug") or path.stem] = {
                lang: fields + paths[front["category"]][lang] for lang in ("vi", "en")}

    def expected(self, query: str, lang: str = "vi") -> set[str]:
        exact = fold(query) != query.lower()
        needle = _words(query, exact)
        return {slug for slug, by_lang in self.products.items()
                if any(needle in _words(text, exact) for text in by_lang[lang])}
