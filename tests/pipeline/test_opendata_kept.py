"""pipeline/jobs.py `_open_data_files`: .cache/opendata.pickle written again only when
the records' JSON it keeps changed."""
from __future__ import annotations

from pathlib import Path

from ocop_site.content.safepath import cache_root
from ocop_site.pipeline import builder, jobs
from ocop_site.site.statistics import compute

from ..conftest import TODAY


def test_the_kept_records_are_written_only_when_they_changed(site: Path) -> None:
    _config, catalogue, _warnings = builder.load(site, today=TODAY)
    stats = compute(catalogue)
    first = jobs._open_data_files(catalogue, {}, stats)
    kept = cache_root(site.resolve()) / "opendata.pickle"
    stamp = kept.stat().st_mtime_ns, kept.stat().st_ino
    assert jobs._open_data_files(catalogue, {}, stats) == first
    assert (kept.stat().st_mtime_ns, kept.stat().st_ino) == stamp  # not replaced
    kept.write_bytes(b"damaged")
    assert jobs._open_data_files(catalogue, {}, stats) == first
    assert kept.read_bytes() != b"damaged"
