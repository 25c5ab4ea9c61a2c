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


def test_records_keyed_by_their_inputs_give_the_bytes_made_without_keys(site: Path) -> None:
    """The pipeline's keys (jobs._record_keys: the product, its commune, producer,
    category path, photos, events, expiry, the site): a record kept under its key is the
    record made now, and an edited product's record is made again."""
    import dataclasses

    from ocop_site.outputs.opendata import KeptItems, open_data
    from ocop_site.pipeline.jobs import _record_keys, fingerprinter

    _config, catalogue, _warnings = builder.load(site, today=TODAY)
    fp = fingerprinter(catalogue.config)
    first = KeptItems({}, _record_keys(catalogue, {}, fp, "site"))
    plain = open_data(catalogue, {})
    assert open_data(catalogue, {}, kept=first) == plain
    product = catalogue.products[0]
    edited = dataclasses.replace(product, summary=product.summary + " Thêm.")
    other = dataclasses.replace(catalogue, products=(edited,) + catalogue.products[1:])
    kept = KeptItems(first.used, _record_keys(other, {}, fingerprinter(other.config), "site"))
    assert open_data(other, {}, kept=kept) == open_data(other, {}) != plain
    assert len(set(kept.used) - set(first.used)) == 1
