"""content/events/*.md: dates and the products an event names."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ocop_site.content.models import Certificate, Product
from ocop_site.content.readers.events import read_event, read_events
from ocop_site.content.readers.named import product_names

from . import context, lines, write

EVENT = """\
---
title: Phiên chợ
start: 2026-06-20
end: 2026-06-21
place: Nhà văn hóa
products: [che-xanh, Chè xanh, che, mat-ong, hong]
---
Phiên chợ chè.
"""


def tea() -> Product:
    return Product("che-xanh", "Chè xanh", 4, "che", "song-lo", "Đồng Thịnh", "htx",
                   Certificate("1", dt.date(2024, 1, 1), dt.date(2027, 1, 1)), "", "",
                   source="content/products/che.md")


def known(tmp_path: Path, ctx) -> dict:
    files = [write(tmp_path / "content/products/che.md", "x"),
             write(tmp_path / "content/products/mat-ong.md", "broken")]
    return product_names(ctx, [tea()], files)


def test_products_are_named_by_slug_name_or_file_and_broken_ones_are_known(
        tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert known(tmp_path, ctx) == {"che": "che-xanh", "che-xanh": "che-xanh",
                                    "mat-ong": None}


def test_an_event_lists_each_loaded_product_once(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    names = known(tmp_path, ctx)
    path = write(tmp_path / "content/events/phien-cho.md", EVENT.replace(", hong", ""))
    event = read_event(ctx, names, path)
    assert lines(ctx) == []
    assert (event.slug, event.products, event.summary) == (
        "phien-cho", ("che-xanh",), "Phiên chợ chè.")


def test_an_unknown_product_and_reversed_dates_are_reported(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    names = known(tmp_path, ctx)
    path = write(tmp_path / "content/events/phien-cho.md",
                 EVENT.replace("2026-06-21", "2026-06-19").replace("hong", "che-xan"))
    assert read_event(ctx, names, path) is None
    assert [line.split(" / ")[0] for line in lines(ctx)] == [
        "content/events/phien-cho.md:4: end: ends (2026-06-19) before it starts (2026-06-20)",
        "content/events/phien-cho.md:6: products: unknown product 'che-xan' — did you mean "
        "'che-xanh'? (write the product's slug: the last part of its address, "
        "san-pham/<slug>/)"]


def test_two_event_files_with_one_url_are_an_error(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    names = known(tmp_path, ctx)
    paths = [write(tmp_path / "content/events" / name, EVENT.replace(", hong", ""))
             for name in ("Phien-Cho.md", "phien-cho.md")]
    events = read_events(ctx, names, paths)
    assert [e.source for e in events] == ["content/events/Phien-Cho.md"]
    assert lines(ctx)[0].startswith("content/events/phien-cho.md:1: file: "
                                    "'content/events/phien-cho.md' and "
                                    "'content/events/Phien-Cho.md' both map to the URL "
                                    "su-kien/phien-cho/")
