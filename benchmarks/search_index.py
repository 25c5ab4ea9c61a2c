#!/usr/bin/env python3
"""The search index at scale: the writer (ocop_site/search/writer.py) over the docs of a
generated catalogue, cold and after one product edit, each in a fresh process.

    python benchmarks/search_index.py SITE [SITE ...]

SITE is a folder made by benchmarks/generate.py. For each: the docs made (records s),
the index written with nothing kept (cold s), then one product's description edited
and the index written again in a new process from the last run's kept in the cache
folder (search/indexcache.py: edit s); the
files and bytes written, how many changed with the edit, and the index's size on disk
(raw, and gzipped file by file as a host would send them).
"""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import datetime as dt, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from ocop_site.pipeline import builder
from ocop_site.search.records import site_records
from ocop_site.search.indexcache import IndexCache
from ocop_site.search.writer import index_files
from ocop_site.site.localize import localized_catalogue
site, cache, out = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
config, catalogue, _ = builder.load(site, today=dt.date(2026, 12, 7))
catalogue = localized_catalogue(catalogue)
images = builder._process_images(config, catalogue)
started = time.perf_counter()
records = site_records(catalogue, images)
docs = sum(len(language.docs) for language in records)
made = time.perf_counter()
terms = IndexCache(cache, 'bench')
files = index_files(records, "search-index/", terms)
done = time.perf_counter()
for path, data in files:
    (out / path).parent.mkdir(parents=True, exist_ok=True)
    (out / path).write_bytes(data)
print(json.dumps({"records": made - started, "index": done - made, "docs": docs,
                  "tokenized": terms.made, "files": len(files),
                  "bytes": sum(len(d) for _, d in files), "names": [p for p, _ in files]}))
"""


def run(site: Path, cache: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(REPO), str(site), str(cache),
                           str(out)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> int:
    for site in map(Path, sys.argv[1:]):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "site"
            shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache"))
            cold = run(copy, Path(tmp) / "cache", Path(tmp) / "cold")
            product = sorted((copy / "content/products").glob("*.md"))[len(cold["names"]) % 7]
            text = product.read_text()
            head, _, body = text.partition("\n---\n")  # the description's first words
            product.write_text(f"{head}\n---\nHàng tuyển chọn. {body.lstrip()}")
            edit = run(copy, Path(tmp) / "cache", Path(tmp) / "edit")
            changed = len(set(edit["names"]) - set(cold["names"]))
            files = [p for p in (Path(tmp) / "cold").rglob("*") if p.is_file()]
            gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in files)
            print(f"{site}: {cold['docs']} docs; records {cold['records']:.2f} s; index cold "
                  f"{cold['index']:.2f} s, after one edit {edit['index']:.2f} s "
                  f"({edit['tokenized']} doc(s) tokenized, {changed} file(s) new); "
                  f"{cold['files']} files, {cold['bytes']:,} bytes ({gz:,} gzipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
