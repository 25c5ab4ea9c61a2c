#!/usr/bin/env python3
"""Trade-promotion outputs at scale: sitemap, feed, open data, QR codes, JSON-LD.

Generates a site of N products (benchmarks/generate.py, no photos), loads it, then times
each output of ocop_site/outputs/ on its own, best of R runs, and prints one line each.
QR encoding is the only part that is more than string formatting (two codes per
product, ~0.13 ms each; benchmarks/qr.py times them alone).

Target: a rebuild's outputs for 1,000 products in under 2 s on the 2-core reference
machine.

    python benchmarks/outputs.py [--count 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ocop_site.pipeline import builder  # noqa: E402
from ocop_site.outputs import feed, opendata, qr, sitemap
from ocop_site.site import jsonld  # noqa: E402
from ocop_site.site.pages import plan_pages

TARGET_SECONDS = 2.0


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(site),
                        str(args.count)], check=True, stdout=subprocess.DEVNULL)
        config, catalogue, _warnings = builder.load(site, today=dt.date(2026, 11, 29))
        pages = plan_pages(catalogue, {})
        rows = [
            ("sitemap.xml + robots.txt", lambda: sitemap.files(catalogue, pages, {})),
            ("feed.xml (Atom)", lambda: feed.files(catalogue)),
            ("catalogue.json + .csv", lambda: opendata.files(catalogue, {})),
            ("QR codes", lambda: qr.files(catalogue)),
            ("JSON-LD, every page", lambda: [jsonld.page_jsonld(p, config) for p in pages]),
        ]
        print(f"{len(catalogue.products)} products, {len(pages)} pages, best of {args.repeat}")
        total = 0.0
        for name, work in rows:
            seconds = best_of(args.repeat, work)
            total += seconds
            per = seconds / max(1, len(catalogue.products)) * 1000
            print(f"  {name:<28} {seconds:7.3f} s  ({per:.2f} ms per product)")
        print(f"  {'total':<28} {total:7.3f} s  (target ≤ {TARGET_SECONDS:.1f} s "
              f"for 1,000 products: {'OK' if total <= TARGET_SECONDS * args.count / 1000 else 'SLOW'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
