"""Pagefind bundles merged from shards, against Pagefind's own bundle of all the records
at once: the real Pagefind binary, the records of the search fixture site in one and in
two languages."""
from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.search.pagefind import index_records
from ocop_site.search.bundle import SIGNATURE, pagefind_hash, read_chunk
from ocop_site.search.records import site_records

from .conftest import REPO, TODAY

SEARCH_SITE = REPO / "tests" / "data" / "search-site"


def records(site: Path):
    config, catalogue, _ = builder.load(site, today=TODAY)
    return site_records(catalogue, builder._process_images(config, catalogue))


def what_search_reads(bundle: tuple[tuple[str, bytes], ...]) -> dict:
    """Every language's pages, words (the chunks joined), filters and page records, as
    the search script reads them; and the other files (script, WebAssembly)."""
    files = {name.removeprefix("pagefind/"): data for name, data in bundle}
    entry = json.loads(files["pagefind-entry.json"])
    seen: dict = {"files": {n: d for n, d in files.items() if "/" not in n
                            and not n.endswith(".pf_meta") and n != "pagefind-entry.json"}}
    for code, language in entry["languages"].items():
        meta = read_chunk(files[f"pagefind.{language['hash']}.pf_meta"], code)
        words = [word for _from, _to, chunk in meta[2]
                 for word in read_chunk(files[f"index/{chunk}.pf_index"], chunk)[0]]
        filters = {name: read_chunk(files[f"filter/{ref}.pf_filter"], ref)
                   for name, ref in meta[3]}
        fragments = [gzip.decompress(files[f"fragment/{name}.pf_fragment"])
                     for name, _count in meta[1]]
        seen[code] = (language["page_count"], language["wasm"], meta[0], meta[1], meta[5],
                      words, filters, fragments)
    return seen


@pytest.mark.parametrize("shard_pages", [1, 3])
def test_shards_merge_into_the_bundle_of_all_records(shard_pages: int) -> None:
    whole = index_records(records(SEARCH_SITE), "pagefind/")
    merged = index_records(records(SEARCH_SITE), "pagefind/", shard_pages=shard_pages)
    # (in shards of one, the product without a price has no 'price' metadata field: its
    # shard numbers the fields apart, and the merge renumbers them)
    assert what_search_reads(merged) == what_search_reads(whole)
    entry = json.loads(dict(merged)["pagefind/pagefind-entry.json"])
    assert entry["languages"]["vi"]["page_count"] == 8


def test_two_languages_in_shards(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SEARCH_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "languages: [vi, en]\n")
    whole = index_records(records(site), "pagefind/")
    merged = index_records(records(site), "pagefind/", shard_pages=5)
    assert what_search_reads(merged) == what_search_reads(whole)
    entry = json.loads(dict(merged)["pagefind/pagefind-entry.json"])
    assert {code: lang["page_count"] for code, lang in entry["languages"].items()} == {
        "vi": 8, "en": 8}
    english = [json.loads(raw[len(SIGNATURE):])["url"]
               for raw in what_search_reads(merged)["en"][7]]
    assert all(url.startswith("/en/san-pham/") for url in english)


def test_fragments_keep_pagefinds_names() -> None:
    bundle = dict(index_records(records(SEARCH_SITE), "pagefind/", shard_pages=2))
    for name, data in bundle.items():
        if name.startswith("pagefind/fragment/"):
            content = gzip.decompress(data)[len(SIGNATURE):]
            assert name == f"pagefind/fragment/vi_{pagefind_hash(content)[:7]}.pf_fragment"
