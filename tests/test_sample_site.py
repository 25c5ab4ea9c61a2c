"""The bundled sample catalogue stays realistic and complete (issue: Core, Sample content)."""
from __future__ import annotations

from collections import Counter

from ocop_site.pipeline import builder

from .conftest import REPO, TODAY


def test_sample_catalogue_is_rich_enough() -> None:
    config, catalogue, _ = builder.load(REPO, today=TODAY)
    products = catalogue.products
    assert len(products) >= 20
    assert len({p.commune_as_written for p in products}) >= 10  # named communes, former incl.
    assert {g.id for g in catalogue.groups} == {
        catalogue.category_path(p.category)[0].id for p in products}
    assert len(catalogue.groups) == 6
    assert Counter(p.type for p in catalogue.producers.values()).keys() == {
        "enterprise", "cooperative", "cooperative_group", "household"}
    assert {p.stars for p in products} == {3, 4, 5}
    assert config.sample_data is True
    assert all(p.images for p in products), "every sample product has a photo"


def test_sample_site_shows_the_sample_data_notice(tmp_path) -> None:
    out = tmp_path / "public"
    builder.build(REPO, out, today=TODAY)
    for page in ("index.html", "xa/index.html", "404.html"):
        assert "Dữ liệu mẫu" in (out / page).read_text(), page
