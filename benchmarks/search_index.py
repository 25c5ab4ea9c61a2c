#!/usr/bin/env python3
"""The search index at scale: Pagefind over the rendered product pages (how it was built
until issue 18) against the records of search/records.py fed to Pagefind's service in
shards (how it is built now), on the same generated catalogue.

    python benchmarks/search_index.py [--sizes 1000,10000] [--languages vi,en]

For each size, products are generated (benchmarks/generate.py, with `languages:` set in
site.yaml), the site is built without a search index (the pages the old way reads), then:

  pages    the Pagefind binary over san-pham/*/index.html of every language, as the
           build ran it: wall time, and the peak RSS of the Pagefind process (wait4).
           Product pages no longer mark what to index, so each page's <article> is
           given the marked parts it had (its search record's): Pagefind reads whole
           pages and indexes what it indexed then
  records  in a fresh interpreter, from the content cache: the catalogue loaded, the
           records made and hashed (`records s`), and search.index_records (`index s`:
           the records made again, Pagefind in shards, the merge); peaks of that
           interpreter and of the largest process it ran (a Pagefind or the merge)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402

RECORDS = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from ocop_site.pipeline import builder
from ocop_site.site.urls import Urls
from ocop_site.search.pagefind import index_records
from ocop_site.search.records import site_records
config, catalogue, _ = builder.load(Path({source!r}), cache=builder.content_cache(Path({source!r})))
images = builder._process_images(config, catalogue)
started = time.perf_counter()
records = site_records(catalogue, images)
sum(len(r.html) for r in records)  # every record made once, as the build's key did
made = time.perf_counter() - started
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
before = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN)
started = time.perf_counter()
bundle = index_records(records, Urls.search_index)
indexed = time.perf_counter() - started
print(json.dumps({{"records": made, "index": indexed, "count": len(records),
                  "cpu": cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN) - before,
                  "bytes": sum(len(data) for _, data in bundle),
                  "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "pagefind_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}))
"""


def old_way(source: Path, output: Path, languages: list[str], work: Path) -> dict:
    """Pagefind's CLI over the rendered pages, as pipeline/builder.py ran it before issue 18."""
    from ocop_site.pipeline import builder
    from ocop_site.search.pagefind import pagefind_executable
    from ocop_site.search.records import site_records
    config, catalogue, _ = builder.load(source, cache=builder.content_cache(source))
    for record in site_records(catalogue, builder._process_images(config, catalogue)):
        page = output / record.url.lstrip("/") / "index.html"
        html = page.read_text(encoding="utf-8")
        start, end = html.index("<article"), html.index("</article>") + len("</article>")
        marked = record.html[record.html.index("<article>"):record.html.index("</body>")]
        page.write_text(html[:start] + marked + html[end:], encoding="utf-8")
    globs = [("" if i == 0 else f"{code}/") + "san-pham/*/index.html"
             for i, code in enumerate(languages)]
    glob = globs[0] if len(globs) == 1 else "{" + ",".join(globs) + "}"
    bundle = work / "bundle"
    started = time.perf_counter()
    process = subprocess.Popen([pagefind_executable(), "--site", str(output), "--glob", glob,
                                "--output-path", str(bundle), "--silent"], cwd=work)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, f"Pagefind exited with {process.returncode}"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    shutil.rmtree(bundle)
    return {"seconds": seconds, "peak_kib": usage.ru_maxrss, "bytes": size,
            "cpu": usage.ru_utime + usage.ru_stime}


def measure(size: int, languages: list[str], work: Path) -> dict:
    from ocop_site.pipeline import builder
    source, output = work / f"site-{size}", work / f"out-{size}"
    generate(source, size)
    with open(source / "site.yaml", "a", encoding="utf-8") as config:
        config.write(f"languages: [{', '.join(languages)}]\n")
    builder.build(source, output, search=False)
    old = old_way(source, output, languages, work)
    print(f"  {size}: pages {old['seconds']:.1f} s, Pagefind peak "
          f"{old['peak_kib'] / 1024:.0f} MiB", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-c", RECORDS.format(repo=str(REPO),
                                                                 source=str(source))],
                          check=True, capture_output=True, text=True)
    new = json.loads(done.stdout)
    print(f"  {size}: records {new['records']:.1f} s + index {new['index']:.1f} s, "
          f"Pagefind peak {new['pagefind_kib'] / 1024:.0f} MiB", file=sys.stderr, flush=True)
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    return {"size": size, "pages": len(languages) * size, "old": old, "new": new}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--languages", default="vi,en",
                        help="the generated site's languages (default vi,en)")
    args = parser.parse_args()
    languages = args.languages.split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="ocop-bench-search-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, languages, Path(tmp)))
    print(f"{'products':>9} {'pages':>6} | {'pages s':>8} {'CPU s':>6} {'peak MiB':>9} | "
          f"{'records s':>9} {'index s':>8} {'CPU s':>6} {'Pagefind MiB':>12} {'Python MiB':>10}")
    for row in rows:
        old, new = row["old"], row["new"]
        print(f"{row['size']:>9} {row['pages']:>6} | {old['seconds']:>8.1f} {old['cpu']:>6.1f} "
              f"{old['peak_kib'] / 1024:>9.0f} | {new['records']:>9.1f} {new['index']:>8.1f} "
              f"{new['cpu']:>6.1f} {new['pagefind_kib'] / 1024:>12.0f} "
              f"{new['self_kib'] / 1024:>10.0f}")
    print("CPU: user + system of Pagefind (pages), of the interpreter and every process it "
          "ran while indexing (records); on a shared machine wall time wanders, CPU less")


if __name__ == "__main__":
    main()
