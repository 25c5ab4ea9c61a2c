#!/usr/bin/env python3
"""Search payload (issue 31): bytes a buyer downloads for one query, and the time to the
first results on a throttled phone connection, measured in a real browser.

Builds a site (generated catalogues of --sizes products, both languages; size 0 is the
bundled sample) into a temporary folder, serves it on 127.0.0.1 and opens the search page
in Debian's chromium through Playwright, in a fresh browser context per measurement (a
first visit, empty cache), two ways per query:

  ?q=    the search page opened with the query (the header search box sends it there)
  typed  the empty search page opened, the query typed letter by letter (100 ms apart)

Counted: every file fetched under the search index folder (Urls.search_index, whatever
its files are called) plus the search script (assets/js/search*.js). `raw` is the bytes
as served; `gzip` what a host that compresses on the fly sends (gzip -6 of each file, or
the file as it is when that is smaller: Pagefind's .pf_* chunks are gzip already).

The server compresses as such a host does (gzip -6 when smaller and accepted), so the
timings are of the gzip bytes. Service workers are blocked (the site's sw.js would fetch
the index outside the page's throttling). Timed under Lighthouse's mobile throttling,
emulated through the DevTools protocol: Network.emulateNetworkConditions with 150 ms
latency, 1.6 Mbit/s down (200,000 bytes/s), 750 Kbit/s up; with --cpu N,
Emulation.setCPUThrottlingRate N as well (Lighthouse uses 4).
`?q=`: from the search page's load event to the first result card in the list; `typed`:
from the last keystroke to the first card of the final query's results (searchprobe.py).
In brackets, from the navigation's start: the load event, and the first card.
Targets (issue 31) are printed beside: <=200 KB for `?q=`, <=300 KB typed (gzip, at
10,000 products), <=2.0 s to results for `?q=`, <=1.0 s after the last keystroke.

    python benchmarks/search_payload.py [--sizes 1000 10000] [--cpu 4] [--query Q ...]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import searchprobe as probe  # noqa: E402

# per language: the same words on both (generated pages keep Vietnamese names in English)
QUERIES = {"vi": ("mat ong", "che xanh", "giò lụa", "phong phu"),
           "en": ("honey", "mat ong")}
TARGET_BYTES = {False: 200_000, True: 300_000}  # ?q=, typed (issue 31, 10,000 products)
TARGET_SECONDS = {False: 2.0, True: 1.0}


def measure(browser, server: probe.Server, query: str, lang: str, typed: bool,
            cpu: float) -> tuple[probe.Search, int, int, int]:
    """(the search, raw bytes, gzip bytes, script bytes) on a fresh throttled visit."""
    context = probe.new_context(browser)
    try:
        search = probe.run_search(context, server.base, query, lang=lang, typed=typed,
                                  throttle=True, cpu=cpu, all_results=False)
    finally:
        context.close()
    raw = gz = script = 0
    for url, size in search.files:
        raw += size
        path = server.file_for(url)
        gz += probe.gzip_size(path.read_bytes()) if path.is_file() else size
        if probe.SCRIPT.search(url.split("?")[0]):
            script += size
    return search, raw, gz, script


def _mark(ok: bool) -> str:
    return "ok" if ok else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000],
                        help="products in each generated catalogue; 0 for the sample")
    parser.add_argument("--cpu", type=float, default=0,
                        help="CPU slowdown (Emulation.setCPUThrottlingRate), 0 for none")
    parser.add_argument("--languages", nargs="+", default=["vi", "en"])
    parser.add_argument("--query", nargs="*", help="these queries, on every language")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"search payload, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; index "
          f"folder {probe.Urls.search_index} + search script; throttled: 150 ms, "
          f"1.6 Mbit/s down, 750 Kbit/s up, CPU {'x' + str(args.cpu) if args.cpu else 'x1'}")
    print("targets (issue 31): ?q= <=200 KB and <=2.0 s from load; typed <=300 KB and "
          "<=1.0 s from the last key; bytes judged gzip-counted")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = probe.launch(playwright)
        for size in args.sizes:
            work = Path(tmp) / f"size-{size}"
            source = probe.catalogue_source(work, size)
            started = time.perf_counter()
            pages = probe.build_site(source, work / "public", copy_to=work / "copy")
            index = work / "public" / probe.Urls.search_index
            files = [p for p in index.rglob("*") if p.is_file()]
            print(f"\n{size or 'sample'} products: {pages:,} pages built in "
                  f"{time.perf_counter() - started:.0f} s; index folder "
                  f"{sum(p.stat().st_size for p in files):,} bytes in {len(files):,} files")
            print(f"  {'lang':4} {'how':5} {'query':12} {'results':>7} {'files':>5} "
                  f"{'raw B':>9} {'gzip B':>9} {'script':>7}  {'s to 1st':>8} {'(load':>6} "
                  f"{'1st)':>5}  target")
            server = probe.Server(work / "public", compress=True)
            try:
                for lang in args.languages:
                    for query in args.query or QUERIES[lang]:
                        for typed in (False, True):
                            search, raw, gz, script = measure(browser, server, query, lang,
                                                              typed, args.cpu)
                            seconds = search.to_results
                            timing = "    n/a" if seconds is None else f"{seconds:7.2f}"
                            since = " ".join("  n/a" if v is None else f"{v:5.2f}"
                                             for v in (search.load, search.from_start))
                            verdict = (f"{_mark(gz <= TARGET_BYTES[typed])} bytes "
                                       f"<={TARGET_BYTES[typed] // 1000} KB, "
                                       f"{_mark(seconds is not None and seconds <= TARGET_SECONDS[typed])}"  # noqa: E501
                                       f" time <={TARGET_SECONDS[typed]} s")
                            print(f"  {lang:4} {'typed' if typed else '?q=':5} {query:12} "
                                  f"{search.count:7} {len(search.files):5} {raw:9,} {gz:9,} "
                                  f"{script:7,}  {timing:>8} {since}  {verdict}", flush=True)
            finally:
                server.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
