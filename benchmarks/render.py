#!/usr/bin/env python3
"""CPU time per page, template by template, on one core.

    python benchmarks/render.py [--products 1000] [--repeat 3] [--profile product.html]
                                [--shops 50]

Generates a site (benchmarks/generate.py, both languages), plans its pages and renders
every page --repeat times in this process, printing the median CPU milliseconds per page
for each template (the number issue 18 sets at ≤ 0.5 ms for product.html) and how the
time splits between Jinja and the values site/render.py works out per page. --profile prints
the functions that cost most for one template (cProfile), to see what to shape next.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import add_shops, generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", metavar="TEMPLATE", help="e.g. product.html")
    parser.add_argument("--shops", type=int, default=0,
                        help="shops of 20 products each (generate.add_shops)")
    args = parser.parse_args()

    from ocop_site.pipeline import builder
    from ocop_site.site.localize import localized_catalogue
    from ocop_site.site.pages import plan_pages
    from ocop_site.site.render import make_environment, render_recorded, site_globals

    with tempfile.TemporaryDirectory(prefix="ocop-render-") as tmp:
        source = Path(tmp) / "site"
        generate(source, args.products)
        if args.shops:
            add_shops(source, args.shops, 20)
        config, catalogue, _ = builder.load(source, cache=builder.content_cache(source))
        catalogue = localized_catalogue(catalogue)
        images = builder._process_images(config, catalogue)
        started = time.process_time()
        pages = plan_pages(catalogue, images)
        planning = time.process_time() - started
        env = make_environment(config.template_dirs)
        shared = site_globals(config, catalogue)
        for page in pages[:50]:  # compiled and warm
            render_recorded(env, page, shared, config)
        by_template: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.repeat):
            for page in pages:
                started = time.process_time()
                render_recorded(env, page, shared, config)
                by_template[page.template].append(time.process_time() - started)
        print(f"{len(pages)} pages ({args.products} products, languages "
              f"{', '.join(config.languages)}); planning {planning * 1000 / len(pages):.3f} "
              "ms a page")
        print(f"{'template':<24} {'pages':>6} {'median ms':>10} {'mean ms':>9}")
        for name, times in sorted(by_template.items(), key=lambda kv: -sum(kv[1])):
            count = len(times) // args.repeat
            print(f"{name:<24} {count:>6} {statistics.median(times) * 1000:>10.3f} "
                  f"{statistics.mean(times) * 1000:>9.3f}")
        total = sum(sum(t) for t in by_template.values()) / args.repeat
        print(f"all pages: {total:.2f} s of CPU, {total * 1000 / len(pages):.3f} ms a page")
        if args.profile:
            chosen = [p for p in pages if p.template == args.profile]
            profile = cProfile.Profile()
            profile.enable()
            for page in chosen:
                render_recorded(env, page, shared, config)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
