"""Events in content/events/: loaded, validated with path:line errors, indexed by date."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors

from ..conftest import TODAY

EVENT = "content/events/phien-cho-thu-nghiem.md"


def errors_of(site: Path) -> list[str]:
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    return [e.format() for e in info.value.errors]


def write_event(site: Path, name: str, front: str, body: str = "Mô tả.") -> Path:
    path = site / "content/events" / name
    path.write_text(f"---\n{front.strip()}\n---\n{body}\n", encoding="utf-8")
    return path


def test_fixture_event_loads(site: Path) -> None:
    _config, catalogue, _warnings = builder.load(site, today=TODAY)
    [event] = catalogue.events
    assert event.slug == "phien-cho-thu-nghiem"
    assert (event.start, event.end) == (dt.date(2026, 6, 20), dt.date(2026, 6, 21))
    assert event.products == ("che-xanh-dong-thinh", "mat-ong-hoa-nhan-don-nhan")
    assert event.summary == "Phiên chợ giới thiệu chè và mật ong."
    assert catalogue.upcoming_events == (event,) and catalogue.past_events == ()
    assert catalogue.events_by_product["che-xanh-dong-thinh"] == (event,)
    assert "dui-ga-hun-khoi-nhu-thuy" not in catalogue.events_by_product


def test_upcoming_and_past_depend_on_the_build_date(site: Path) -> None:
    write_event(site, "hoi-cho-cu.md", """
title: Hội chợ cũ
start: 2025-10-01
end: 2025-10-03
place: Việt Trì
products: [dui-ga-hun-khoi-nhu-thuy]
""")
    write_event(site, "hoi-cho-xa.md", """
title: Hội chợ xa
start: 2027-01-05
place: Hà Nội
""")
    _c, catalogue, _w = builder.load(site, today=TODAY)
    assert [e.slug for e in catalogue.upcoming_events] == ["phien-cho-thu-nghiem", "hoi-cho-xa"]
    assert [e.slug for e in catalogue.past_events] == ["hoi-cho-cu"]
    assert catalogue.events[-1].end == dt.date(2027, 1, 5)  # a one-day event ends as it starts
    # the last day still counts as upcoming
    _c, on_last_day, _w = builder.load(site, today=dt.date(2026, 6, 21))
    assert "phien-cho-thu-nghiem" in [e.slug for e in on_last_day.upcoming_events]
    _c, day_after, _w = builder.load(site, today=dt.date(2026, 6, 22))
    assert [e.slug for e in day_after.past_events] == ["phien-cho-thu-nghiem", "hoi-cho-cu"]


def test_unknown_product_is_an_error_with_line_and_suggestion(site: Path) -> None:
    path = site / EVENT
    path.write_text(path.read_text("utf-8").replace("  - mat-ong-don-nhan",
                                                    "  - mat-ong-hoa-nhan-don-nhann"), "utf-8")
    [error] = errors_of(site)
    assert error.startswith(f"{EVENT}:8: products: unknown product 'mat-ong-hoa-nhan-don-nhann'")
    assert "did you mean 'mat-ong-hoa-nhan-don-nhan'?" in error
    assert " / không có sản phẩm" in error


def test_products_may_be_named_by_file_name_or_name(site: Path) -> None:
    write_event(site, "ten.md", """
title: Theo tên
start: 2026-06-20
place: Sông Lô
products: [dui-ga-nhu-thuy, "Chè xanh Đồng Thịnh", che-xanh-dong-thinh]
""")
    _c, catalogue, _w = builder.load(site, today=TODAY)
    [event] = [e for e in catalogue.events if e.slug == "ten"]
    assert event.products == ("dui-ga-hun-khoi-nhu-thuy", "che-xanh-dong-thinh")  # no twice


def test_every_event_mistake_is_reported_at_its_line(site: Path) -> None:
    write_event(site, "sai.md", """
title: Sai
start: 2026-06-20
end: 2026-06-19
products: [42]
when: hôm nay
""")
    errors = errors_of(site)
    assert any(e.startswith("content/events/sai.md:4: end: ends (2026-06-19) before it "
                            "starts (2026-06-20)") for e in errors), errors
    assert any(e.startswith("content/events/sai.md:5: products: each product is a product "
                            "slug") for e in errors), errors
    assert any(e.startswith("content/events/sai.md:6: when: unknown field 'when'")
               for e in errors), errors
    assert any(e.startswith("content/events/sai.md:1: place: required field is missing")
               for e in errors), errors


def test_a_wrong_date_format_gets_an_example(site: Path) -> None:
    write_event(site, "ngay.md", """
title: Ngày sai
start: 20/06/2026
place: Sông Lô
""")
    [error] = errors_of(site)
    assert error.startswith("content/events/ngay.md:3: start: must be a date written "
                            "YYYY-MM-DD")


def test_drafts_and_hidden_products_are_left_off_events(site: Path) -> None:
    write_event(site, "nhap.md", """
title: Có bánh nháp
start: 2026-06-20
place: Sông Lô
products: [banh-nhap, mat-ong-don-nhan]
""")
    _c, catalogue, _w = builder.load(site, today=TODAY)
    assert [p.slug for p in catalogue.event_products["nhap"]] == ["mat-ong-hoa-nhan-don-nhan"]
    with open(site / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("hide_expired: true\n")
    _c, hiding, _w = builder.load(site, today=TODAY)
    assert hiding.event_products["nhap"] == ()  # the honey's certificate expired
    assert [e.slug for e in hiding.events] == ["nhap", "phien-cho-thu-nghiem"]
