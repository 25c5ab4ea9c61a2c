#!/usr/bin/env python3
"""Search payload: bytes a buyer downloads for one query, measured in a real browser.

Builds a site (default: the bundled Sông Lô sample catalogue) into a temporary folder,
serves it on 127.0.0.1, opens the search page in Debian's chromium through Playwright,
types each query and sums the sizes of the responses for files under pagefind/, as
the browser received them (Playwright response events). A fresh browser context per
query, so every number is a first visit with an empty cache. Also prints what gzip
would make of the uncompressed files (Pagefind's index chunks are gzip already; most
static hosts compress the .js on the fly).

    python benchmarks/search_payload.py [--source SITE] [QUERY ...]
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


def measure(browser, base: str, query: str, typed: bool) -> tuple[list[tuple[str, int]], int]:
    """(pagefind files and their sizes, result count) for one query on a fresh visit:
    sent from the header search box (tim-kiem/?q=…), or typed key by key on the page,
    where results for the letters typed so far load as you type."""
    context = browser.new_context()
    page = context.new_page()
    received: list[tuple[str, int]] = []
    page.on("response", lambda r: received.append((r.url, len(r.body())))
            if "/pagefind/" in r.url else None)
    if typed:
        page.goto(f"{base}/tim-kiem/")
        page.locator("#search-q").press_sequentially(query, delay=150)
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
    parser.add_argument("queries", nargs="*", default=QUERIES)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "site"
        shutil.copytree(args.source, source, ignore=shutil.ignore_patterns(
            ".cache", ".git", ".venv", "public", "node_modules", "tests"))
        out = Path(tmp) / "public"
        result = builder.build(source, out, today=dt.date(2026, 6, 1))
        bundle = sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file())
        print(f"{args.source}: {result.pages} pages, search bundle {bundle:,} bytes in "
              f"{sum(1 for _ in (out / 'pagefind').rglob('*.pf_fragment'))} products")
        handler = functools.partial(_Quiet, directory=str(out))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=CHROMIUM_ARGS)
            for query, typed in [(q, t) for q in args.queries for t in (False, True)]:
                received, count = measure(browser, base, query, typed)
                total = sum(size for _, size in received)
                code = sum(size for url, size in received
                           if url.endswith((".js", ".pagefind")))
                gz = 0
                for url, size in received:
                    name = url.split("/pagefind/", 1)[1].split("?")[0]
                    data = (out / "pagefind" / name).read_bytes()
                    gz += len(gzip.compress(data, 9)) if name.endswith((".js", ".json")) \
                        else size
                how = "typed" if typed else "?q="
                print(f"  {how:5} {query!r:24} {count:3} results  {total:7,} bytes in "
                      f"{len(received):2} files = {code:,} search code (cached after the "
                      f"first query) + {total - code:,} index/results; "
                      f"~{gz:,} with gzip on .js/.json")
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
