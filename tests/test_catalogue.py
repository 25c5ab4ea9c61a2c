"""Indexes are computed once, sorted, and consistent with each other."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

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
