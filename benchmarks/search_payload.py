#!/usr/bin/env python3
"""Search payload: bytes a buyer downloads for one query, measured in a real browser.

Builds a site (default: the bundled Sông Lô sample catalogue) into a temporary folder,
serves it on 127.0.0.1, opens the search page in Debian's chromium through Playwright,
types each query and sums the sizes of the responses for files under search-index/, as
the browser received them (Playwright response events). A fresh browser context per
query, so every number is a first visit with an empty cache. Also prints what gzip
(level 6, what hosts use for .json on the fly) makes of those files: the index is
written uncompressed (ocop_site/search/writer.py).

    python benchmarks/search_payload.py [--source SITE | --built OUTPUT] [QUERY ...]
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import shutil
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ocop_site.pipeline import builder  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUERIES = ("mat ong", "che dong thinh", "dong", "gio lua phuong khoan")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def measure(browser, base: str, query: str, typed: bool,
            delay: int = 150) -> tuple[list[tuple[str, int]], int]:
    """(search-index files and their sizes, result count) for one query on a fresh visit:
    sent from the header search box (tim-kiem/?q=…), or typed key by key on the page,
    where results for the letters typed so far load as you type."""
    context = browser.new_context()
    page = context.new_page()
    received: list[tuple[str, int]] = []
    page.on("response", lambda r: received.append((r.url, len(r.body())))
            if "/search-index/" in r.url else None)
    if typed:
        page.goto(f"{base}/tim-kiem/")
        page.locator("#search-q").press_sequentially(query, delay=delay)
    else:
        page.goto(f"{base}/tim-kiem/?" + urllib.parse.urlencode({"q": query}))
    page.wait_for_function("q => document.querySelector('[data-status]').textContent"
                           ".includes('“' + q + '”')", arg=query)
    count = page.locator("[data-results] .card").count()
    context.close()
    return received, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REPO)
    parser.add_argument("--built", type=Path, help="an output folder built already")
    parser.add_argument("--delay", type=int, default=150,
                        help="ms between keys when typed (search.js waits 250 ms: more "
                             "than that searches after every letter)")
    parser.add_argument("queries", nargs="*", default=QUERIES)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "site"
        if not args.built:
            shutil.copytree(args.source, source, ignore=shutil.ignore_patterns(
                ".cache", ".git", ".venv", "public", "node_modules", "tests"))
        out = Path(tmp) / "public"
        if args.built:
            out = args.built
        else:
            builder.build(source, out, today=dt.date(2026, 12, 7))
        index = [p for p in (out / "search-index").rglob("*") if p.is_file()]
        raw = sum(p.stat().st_size for p in index)
        gzipped = sum(len(gzip.compress(p.read_bytes(), 6)) for p in index)
        print(f"{args.built or args.source}: search index {raw:,} bytes in {len(index)} "
              f"files ({gzipped:,} gzipped file by file)")
        handler = functools.partial(_Quiet, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for query, typed in [(q, t) for q in args.queries for t in (False, True)]:
                received, count = measure(browser, base, query, typed, args.delay)
                total = sum(size for _, size in received)
                gz = 0
                for url, _size in received:
                    name = url.split("/search-index/", 1)[1].split("?")[0]
                    gz += len(gzip.compress((out / "search-index" / name).read_bytes(), 6))
                how = "typed" if typed else "?q="
                print(f"  {how:5} {query!r:24} {count:3} results  {total:7,} bytes in "
                      f"{len(received):2} files, {gz:,} gzipped")
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
