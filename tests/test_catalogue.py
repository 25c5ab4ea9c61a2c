"""Indexes are computed once, sorted, and consistent with each other."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Callable

import pytest

from ocop_site.content.models import Product
from ocop_site.pipeline import builder

from .conftest import TODAY


def test_indexes(site: Path) -> None:
    _, cat, _ = builder.load(site, today=TODAY)
    slugs = lambda products: [p.slug for p in products]  # noqa: E731
    assert slugs(cat.by_commune["song-lo"]) == ["che-xanh-dong-thinh", "dui-ga-hun-khoi-nhu-thuy"]
    assert slugs(cat.by_commune["don-nhan"]) == ["mat-ong-hoa-nhan-don-nhan"]
    assert "duong-quang" not in cat.by_commune
    assert slugs(cat.by_stars[5]) == ["dui-ga-hun-khoi-nhu-thuy"]
    # a product counts in its product set, sub-group and group
    assert slugs(cat.by_category["mat-ong"]) == ["mat-ong-hoa-nhan-don-nhan"]
    assert slugs(cat.by_category["thuc-pham"]) == ["dui-ga-hun-khoi-nhu-thuy",
                                                   "mat-ong-hoa-nhan-don-nhan"]
    assert slugs(cat.by_producer["htx-che-dong-thinh"]) == ["che-xanh-dong-thinh",
                                                            "dui-ga-hun-khoi-nhu-thuy"]
    assert [c.name for c in cat.communes] == ["Dương Quang", "Đôn Nhân", "Hải Lựu", "Sông Lô"]
    assert [c.id for c in cat.category_path("che-tuoi-che-bien")] == [
        "do-uong", "che-va-san-pham-tu-che", "che-tuoi-che-bien"]


def test_featured_and_newest_exclude_expired(site: Path) -> None:
    _, cat, _ = builder.load(site, today=TODAY)
    assert [p.slug for p in cat.featured] == ["che-xanh-dong-thinh"]
    assert [p.slug for p in cat.newest] == ["dui-ga-hun-khoi-nhu-thuy", "che-xanh-dong-thinh"]
    _, later, _ = builder.load(site, today=dt.date(2028, 10, 1))
    assert later.featured == () and [p.slug for p in later.newest] == []


def test_hide_expired_removes_them_entirely(site: Path) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text() + "hide_expired: true\n")
    _, cat, _ = builder.load(site, today=TODAY)
    assert "mat-ong-hoa-nhan-don-nhan" not in [p.slug for p in cat.products]
    assert "don-nhan" not in cat.by_commune


def test_catalogue_is_immutable(site: Path) -> None:
    _, cat, _ = builder.load(site, today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cat.products = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        cat.by_commune["x"] = ()  # type: ignore[index]


def _languages(catalogue):
    """Each language's catalogue and text index: what localized_catalogue made."""
    return {lang: (local, dict(texts)) for lang, (local, texts)
            in catalogue.in_languages.items() if local is not catalogue}


@pytest.mark.parametrize("change, swapped", [
    (lambda p: {"summary": "Tóm tắt mới", "price": 123_000, "body_html": "<p>mới</p>"}, True),
    (lambda p: {"name": p.name + " mới"}, True),  # renamed in its place
    (lambda p: {"name": "A đầu tiên"}, False),  # renamed past others: every list's order
    (lambda p: {"stars": 5 if p.stars != 5 else 4}, False),
    (lambda p: {"commune": "hai-luu"}, False), (lambda p: {"draft": True}, False),
    (lambda p: {"featured": not p.featured}, False),
])
def test_an_edit_swapped_into_the_last_catalogue_is_a_catalogue_built_again(
        change: Callable[[Product], dict], swapped: bool) -> None:
    """with_products / localized_again (serve after an edit of a product's words) make
    exactly what build_catalogue and localized_catalogue make, in every language, or
    say they cannot (None) and the catalogue is built again."""
    from ocop_site.content.loader import load_content
    from ocop_site.errors import ErrorCollector
    from ocop_site.site.catalogue import build_catalogue
    from ocop_site.site.localize import KeptLocal, localized_again, localized_catalogue

    from .conftest import REPO
    config, _, _ = builder.load(REPO, today=TODAY)
    content = load_content(config, ErrorCollector(), None)
    kept = KeptLocal()
    old = localized_catalogue(build_catalogue(config, content), kept)
    product = next(p for p in content.products if p.slug == "che-xanh-dong-thinh")
    assert product.translations and product.featured  # its English name orders lists too
    edited = dataclasses.replace(product, **change(product))
    assert edited != product
    new_content = dataclasses.replace(content, products=tuple(
        edited if p is product else p for p in content.products))
    again = localized_again(old, dataclasses.replace(config), (edited,), KeptLocal(kept))
    if not swapped:
        assert again is None
        return
    assert again is not None
    built = localized_catalogue(build_catalogue(config, new_content))
    assert again == built and again.in_languages.keys() == built.in_languages.keys()
    assert _languages(again) == _languages(built)
    assert again.products != old.products  # the edit is in it
    english = again.in_languages["en"][0]
    assert edited in again.by_producer[edited.producer]
    assert any(p.slug == edited.slug and p.price == edited.price
               for p in english.by_commune[edited.commune])
