"""The shard cache of the search index: the real Pagefind binary, behind a wrapper that
counts how often it is started, over the records of the search fixture site."""
from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.search.pagefind import (SearchRecord, Sharding, _shards, index_records,
    pagefind_executable)
from ocop_site.search.cache import KEPT_RUNS, ShardCache
from ocop_site.search.records import site_records

from .conftest import REPO, TODAY

SEARCH_SITE = REPO / "tests" / "data" / "search-site"


@pytest.fixture(scope="module")
def fixture_records() -> list[SearchRecord]:
    config, catalogue, _ = builder.load(SEARCH_SITE, today=TODAY)
    return list(site_records(catalogue, builder._process_images(config, catalogue)))


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Pagefind that notes each start in a log before it runs the real one."""
    log = tmp_path / "starts.log"
    wrapper = tmp_path / "pagefind"
    wrapper.write_text(f"#!/bin/sh\necho started >> '{log}'\n"
                       f"exec '{pagefind_executable()}' \"$@\"\n")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    return log


def starts(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def edited(records: list[SearchRecord], index: int) -> list[SearchRecord]:
    changed = dataclasses.replace(records[index], html=records[index].html.replace(
        "</article>", "<p data-pagefind-body>mật ong hoa nhãn</p></article>"))
    assert changed.html != records[index].html
    return records[:index] + [changed] + records[index + 1:]


def test_an_edit_indexes_only_its_shard_again(
        fixture_records: list[SearchRecord], counted: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = index_records(fixture_records, "pagefind/", shard_pages=3, cache=cache)
    assert starts(counted) == 3  # 8 records: shards of 3, 3 and 2
    assert first == index_records(fixture_records, "pagefind/", shard_pages=3)
    assert starts(counted) == 6  # (without a cache: every shard)
    again = index_records(fixture_records, "pagefind/", shard_pages=3, cache=cache)
    assert again == first and starts(counted) == 6
    changed = edited(fixture_records, 4)
    after_edit = index_records(changed, "pagefind/", shard_pages=3, cache=cache)
    assert starts(counted) == 7
    assert after_edit != first
    assert after_edit == index_records(changed, "pagefind/", shard_pages=3)


def test_an_unreadable_entry_is_indexed_again(
        fixture_records: list[SearchRecord], counted: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    whole = index_records(fixture_records, "pagefind/", shard_pages=3, cache=cache)
    entries = sorted(p for p in cache.iterdir() if p.name != "runs.json")
    entries[0].write_bytes(b"\xff not cbor")
    entries[1].write_bytes(b"\xa1\x01\x02")  # CBOR, but {1: 2}: not a bundle
    assert index_records(fixture_records, "pagefind/", shard_pages=3, cache=cache) == whole
    assert starts(counted) == 3 + 2


def test_entries_no_recent_run_used_are_removed(
        fixture_records: list[SearchRecord], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    index_records(fixture_records, "pagefind/", shard_pages=8, cache=cache)
    first = {p.name for p in cache.iterdir()} - {"runs.json"}
    assert len(first) == 1
    for run in range(KEPT_RUNS):
        index_records(edited(fixture_records, run), "pagefind/", shard_pages=8, cache=cache)
        names = {p.name for p in cache.iterdir()} - {"runs.json"}
        assert (first <= names) == (run < KEPT_RUNS - 1)
    assert len(names) == KEPT_RUNS
    stray = cache / ".tmp-abandoned"
    stray.write_bytes(b"")
    os.utime(stray, (0, 0))  # a killed build's, long ago
    index_records(fixture_records, "pagefind/", shard_pages=8, cache=cache)
    assert not stray.exists()


def test_cuts_stay_put_when_a_product_is_added_before_them() -> None:
    """Shards end where a record's URL says so: one record more at the start moves the
    first cut at most; every later shard is the same list of records as before."""
    records = [SearchRecord(f"/san-pham/p{n}/", "vi", f"<p>{n}</p>") for n in range(400)]
    sharding = Sharding(max_pages=60, min_pages=5, gap=20)
    before = [shard for shard, _last in _shards(records, sharding)]
    added = [SearchRecord("/san-pham/moi/", "vi", "<p>new</p>")] + records
    after = [shard for shard, _last in _shards(added, sharding)]
    assert sum(map(len, before)) == 400 and max(map(len, before)) <= 60
    assert len(before) > 5
    assert after[2:] == before[2:]
    assert [len(s) for s in _shards_of_fixed(records, 60)] == [60] * 6 + [40]


def _shards_of_fixed(records: list[SearchRecord], size: int) -> list[list[SearchRecord]]:
    return [shard for shard, _last in _shards(records, Sharding(size, size, 1))]


def test_a_site_build_keeps_its_shards_in_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SEARCH_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    builder.build(site, tmp_path / "public", today=TODAY)
    entries = [p for p in (site / ".cache" / "search").iterdir() if p.name != "runs.json"]
    assert len(entries) == 1  # 8 products, one language: one shard
    assert ShardCache(site / ".cache" / "search").get(entries[0].name) is not None
