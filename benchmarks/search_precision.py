#!/usr/bin/env python3
"""Search precision table (issue 26): what a buyer's query finds, in a real browser.

For the bundled sample catalogue (content/) and for generated catalogues (--sizes), builds
the site into a temporary folder, serves it on 127.0.0.1 and opens the search page
(tim-kiem/?q=…, en/tim-kiem/?q=… for English queries) in Debian's chromium through
Playwright. Reads the result cards in order, pressing "more" until every result shows, and
prints per query and on average: precision at 5 (expected among the first 5 results /
min(5, results)), recall (expected found anywhere / expected) and the result count. P@5
counts the results that should not be there even below the expected ones, so a query with
one expected product and 10 results scores at most 0.2; "rank" (expected among the first
5 / min(5, results, expected)) is what the order alone makes of it.

What each query should find is in benchmarks/search_queries.yaml: written by hand for the
sample, computed by a stated rule for generated catalogues (searchprobe.GeneratedCatalogue).
It drives the page, not the index (benchmarks/searchprobe.py), so it measures any index.

    python benchmarks/search_precision.py [--sizes 0 1000] [--query Q ...]

Size 0 is the sample catalogue.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import searchprobe as probe  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "search_queries.yaml"


def load_queries() -> dict:
    import yaml
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def _fmt(value: float | None) -> str:
    return " n/a" if value is None else f"{value:4.2f}"


def measure(browser, base: str, cases: list[tuple[str, str, set[str]]],
            out=sys.stdout) -> list[tuple[str, str, float | None, float | None, int, int]]:
    """Runs each (query, language, expected) and prints its line; the rows."""
    rows = []
    print(f"  {'lang':4} {'query':26} {'P@5':>4} {'recall':>6} {'results':>7} "
          f"{'expected':>8} {'rank':>4}  first results", file=out)
    for query, lang, expected in cases:
        context = probe.new_context(browser)
        try:
            search = probe.run_search(context, base, query, lang=lang)
        finally:
            context.close()
        precision, recall = probe.scores(search.slugs, expected)
        rank = probe.ranked(search.slugs, expected)
        rows.append((query, lang, precision, recall, search.count, len(expected), rank))
        top = ", ".join(("+" if s in expected else "-") + s for s in search.slugs[:3])
        print(f"  {lang:4} {query:26} {_fmt(precision)} {_fmt(recall):>6} "
              f"{search.count:7} {len(expected):8} {_fmt(rank)}  {top}", file=out, flush=True)
    p, r = probe.mean(row[2] for row in rows), probe.mean(row[3] for row in rows)
    print(f"  {'':4} {'average of ' + str(len(rows)) + ' queries':26} {_fmt(p)} "
          f"{_fmt(r):>6} {'':16} {_fmt(probe.mean(row[6] for row in rows))}",
          file=out, flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000],
                        help="0: the sample catalogue; N: a generated catalogue of N products")
    parser.add_argument("--query", nargs="*", help="only these queries")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    queries = load_queries()
    print(f"search precision, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"commit {_commit()}; index folder {probe.Urls.search_index}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = probe.launch(playwright)
        for size in args.sizes:
            work = Path(tmp) / f"size-{size}"
            source = probe.catalogue_source(work, size)
            if size:
                catalogue = probe.GeneratedCatalogue(source)
                cases = [(q["q"], q.get("lang", "vi"), catalogue.expected(q["q"],
                                                                          q.get("lang", "vi")))
                         for q in queries["generated"]]
                name = f"generated catalogue of {size:,} products"
            else:
                cases = [(q["q"], q.get("lang", "vi"), set(q["expect"]))
                         for q in queries["sample"]]
                name = "sample catalogue (content/)"
            if args.query:
                cases = [c for c in cases if c[0] in args.query]
            started = time.perf_counter()
            pages = probe.build_site(source, work / "public", copy_to=work / "copy")
            print(f"\n{name}: {pages:,} pages built in {time.perf_counter() - started:.0f} s")
            server = probe.Server(work / "public")
            try:
                measure(browser, server.base, cases)
            finally:
                server.close()
        browser.close()
    return 0


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(probe.REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


if __name__ == "__main__":
    sys.exit(main())
