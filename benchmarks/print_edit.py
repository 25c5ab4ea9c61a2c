#!/usr/bin/env python3
"""The printable catalogue (`ban-in/`, every product on one page, in each language)
after one product edit, in a serve-like session at one size.

    python benchmarks/print_edit.py [--size 1000] [--edits 5] [--keep DIR]

Products are generated (benchmarks/generate.py) unless DIR holds them already; a
`Session(source, output, search=False)` builds once, then for each edit one product's
description is changed and the session builds again. Printed per edit and as medians:
the whole rebuild, and the time spent making the print catalogue's pages (both
languages: their renders timed where the render pool calls them), with the sha256 of
each print page after the edits are undone (compare it before and after a change).
Times are wall-clock and CPU (process time: less moved by other work on the machine);
where the build keeps the print catalogue's rows (pipeline/parts.py), the rows rendered.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from ocop_site.pipeline import renderpool  # noqa: E402

try:
    from ocop_site.pipeline.parts import KeptParts  # noqa: E402
except ImportError:  # before the rows were kept
    KeptParts = None  # type: ignore[assignment,misc]
from ocop_site.pipeline.session import Session  # noqa: E402

PRINT_PATHS = ("ban-in/index.html", "en/ban-in/index.html")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="site folder to reuse (generated if empty)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="print-edit-"))
    source = args.keep or work / "site"
    if not (source / "site.yaml").exists():
        generate(source, args.size)
    output = work / "public"

    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}
    rows = [0]
    render = renderpool.render_recorded

    def timed(env, page, shared, config):  # type: ignore[no-untyped-def]
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return render(env, page, shared, config)
        finally:
            if page.path in PRINT_PATHS:
                spent[page.path] = spent.get(page.path, 0.0) + time.perf_counter() - started
                cpu[page.path] = cpu.get(page.path, 0.0) + time.process_time() - started_cpu

    renderpool.render_recorded = timed  # type: ignore[assignment]
    if KeptParts is not None:
        put = KeptParts.put

        def counted(self, *args):  # type: ignore[no-untyped-def]
            rows[0] += 1
            return put(self, *args)

        KeptParts.put = counted  # type: ignore[method-assign]
    session = Session(source, output, search=False, workers=1)
    started = time.perf_counter()
    session.build()
    print(f"first build: {time.perf_counter() - started:.2f} s", flush=True)
    products = sorted((source / "content/products").glob("*.md"))
    totals, prints, prints_cpu = [], [], []
    for edit in range(args.edits):
        product = products[(edit * 7919) % len(products)]
        text = product.read_text(encoding="utf-8")
        product.write_text(text.replace("Mỗi mẻ", f"Mỗi mẻ (sửa {edit})", 1),
                           encoding="utf-8")
        spent.clear()
        cpu.clear()
        rows[0] = 0
        started = time.perf_counter()
        result = session.build()
        total = time.perf_counter() - started
        made = sum(spent.values())
        totals.append(total)
        prints.append(made)
        prints_cpu.append(sum(cpu.values()))
        print(f"edit {edit}: rebuild {total * 1000:.0f} ms ({result.made} made), "
              f"print catalogue {made * 1000:.0f} ms, CPU {prints_cpu[-1] * 1000:.0f} ms, "
              f"{rows[0]} rows rendered "
              f"({', '.join(f'{p}: {s * 1000:.0f}' for p, s in sorted(spent.items()))})",
              flush=True)
        product.write_text(text, encoding="utf-8")
        session.build()
    print(f"median of {args.edits} edits at {len(products)} products: rebuild "
          f"{statistics.median(totals) * 1000:.0f} ms, print catalogue (both languages) "
          f"{statistics.median(prints) * 1000:.0f} ms (CPU "
          f"{statistics.median(prints_cpu) * 1000:.0f} ms)")
    for path in PRINT_PATHS:
        digest = hashlib.sha256((output / path).read_bytes()).hexdigest()
        print(f"{path}: sha256 {digest[:16]}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
