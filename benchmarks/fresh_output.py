#!/usr/bin/env python3
"""CI's build: the caches kept (`.cache/` restored), a new output folder, one product
edited since the caches were made; how long it takes and how many folders it makes.

    python benchmarks/fresh_output.py [--size 1000] [--runs 3] [--keep DIR]

Products are generated (benchmarks/generate.py) unless DIR holds them already; one
build fills the caches, then for each run one product is edited and the site built
into a folder that does not exist yet (search=False: Pagefind is timed apart). Printed
per run and as medians: the build's time and the os.mkdir / os.chmod / os.makedirs calls
made in this process (wrap it in `strace -c -f -e trace=mkdir,chmod,newfstatat,statx`
for the system calls of the workers too).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from ocop_site.pipeline import builder  # noqa: E402

calls: Counter[str] = Counter()
spent: Counter[str] = Counter()  # seconds inside each call


def counted(name: str):  # type: ignore[no-untyped-def]
    real = getattr(os, name)

    def call(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[name] += 1
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started
    setattr(os, name, call)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="site folder to reuse (generated if empty)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fresh-output-"))
    source = args.keep or work / "site"
    if not (source / "site.yaml").exists():
        generate(source, args.size)
    builder.build(source, work / "warm", search=False)  # the caches CI restores
    for name in ("mkdir", "chmod", "makedirs"):
        counted(name)
    products = sorted((source / "content/products").glob("*.md"))
    times, mkdirs, chmods, folder_times = [], [], [], []
    for run in range(args.runs):
        product = products[(run * 7919 + 11) % len(products)]
        text = product.read_text(encoding="utf-8")
        product.write_text(text.replace("Mỗi mẻ", f"Mỗi mẻ (CI {run})", 1), encoding="utf-8")
        output = work / f"fresh-{run}"
        calls.clear()
        spent.clear()
        started = time.perf_counter()
        result = builder.build(source, output, search=False)
        seconds = time.perf_counter() - started
        times.append(seconds)
        mkdirs.append(calls["mkdir"])
        chmods.append(calls["chmod"])
        folder_times.append(spent["mkdir"] + spent["chmod"])
        folders = sum(1 for _ in output.rglob("*") if _.is_dir())
        print(f"run {run}: {seconds * 1000:.0f} ms ({result.made} made, {result.files} files, "
              f"{folders} folders); in this process os.mkdir {calls['mkdir']}, "
              f"os.chmod {calls['chmod']}, os.makedirs {calls['makedirs']}; "
              f"{folder_times[-1] * 1000:.0f} ms in mkdir + chmod", flush=True)
        product.write_text(text, encoding="utf-8")
        shutil.rmtree(output)
    print(f"median of {args.runs} at {len(products)} products: "
          f"{statistics.median(times) * 1000:.0f} ms, "
          f"os.mkdir {statistics.median(mkdirs):.0f}, "
          f"os.chmod {statistics.median(chmods):.0f}, "
          f"{statistics.median(folder_times) * 1000:.0f} ms in them")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
