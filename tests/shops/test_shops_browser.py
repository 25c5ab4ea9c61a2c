"""Where to buy in a real headless Chromium at 390x844, the fixture site with shops
built and served on 127.0.0.1: the block within the first two screens, "nearest
first" with the location granted and set beside the second shop, the commune order
with JavaScript off, and "open now" / "closed" from a fixed clock in a browser time zone
other than Vietnam's."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from ocop_site.pipeline import builder

from ..conftest import FIXTURE_SITE, TODAY
from ..quality.browser import VIEWPORTS, in_browser
from ..quality.serving import serve
from .helpers import add_shops

PHONE = VIEWPORTS["phone"]
HONEY = "san-pham/mat-ong-hoa-nhan-don-nhan/"  # sold at the market (its commune) and the showroom
NAMES = "() => [...document.querySelectorAll('[data-shop-list] .shop-name a')].map(a => a.textContent)"
MARKET, SHOWROOM = "Chợ Đôn Nhân", "Điểm giới thiệu sản phẩm OCOP Sông Lô"
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("shops-browser")
    site = root / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    out = root / "public"
    served = serve(out)
    builder.build(add_shops(site), out, base_url=served.origin + "/", today=TODAY,
                  search=False)
    yield served.origin + "/"
    served.stop()


def look(options: dict[str, Any], steps) -> Any:
    """A fresh context with `options`; `steps(context)` returns plain data. Every
    request must stay on 127.0.0.1 (nothing is sent anywhere) and no script may fail."""
    def work(browser):
        context = browser.new_context(**options)
        requests: list[str] = []
        errors: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        context.on("weberror", lambda error: errors.append(str(error.error)))
        try:
            result = steps(context)
        finally:
            context.close()
        assert errors == []
        assert all(url.startswith("http://127.0.0.1:") for url in requests), requests
        return result
    return in_browser(work)


def test_the_block_is_within_the_first_two_screens(base: str) -> None:
    def steps(context):
        page = context.new_page()
        page.goto(base + HONEY)
        return page.evaluate("() => document.getElementById('h-buy').getBoundingClientRect().top")
    top = look(PHONE, steps)
    assert top < 2 * PHONE["viewport"]["height"]


def test_nearest_first_puts_the_shop_beside_the_phone_first(base: str) -> None:
    options = {**PHONE, "permissions": ["geolocation"],
               "geolocation": {"latitude": 21.4502, "longitude": 105.3903}}  # the showroom

    def steps(context):
        page = context.new_page()
        page.goto(base + HONEY)
        before = page.evaluate(NAMES)
        page.get_by_role("button", name="Gần tôi nhất").click()
        page.wait_for_function("() => !document.querySelector('[data-distance]').hidden")
        return before, page.evaluate(NAMES), page.locator("[data-distance]").all_inner_texts()
    before, after, distances = look(options, steps)
    assert before == [MARKET, SHOWROOM]  # the honey's own commune first
    assert after == [SHOWROOM, MARKET]
    assert distances[0] == "Cách 0 km" and distances[1].startswith("Cách 20")


def test_without_javascript_the_shops_are_there_in_commune_order(base: str) -> None:
    def steps(context):
        page = context.new_page()
        page.goto(base + HONEY)
        tools = page.locator("[data-shop-tools]").is_visible()
        return page.evaluate(NAMES), tools, page.locator(".shop-hours").count()
    names, tools, hours = look({**PHONE, "java_script_enabled": False}, steps)
    assert names == [MARKET, SHOWROOM]
    assert tools is False  # no button that could not work
    assert hours == 2  # the hours in words, without a script


@pytest.mark.parametrize(("when", "market", "showroom"), [
    # a Wednesday; the market opens 05:00-10:00, the showroom 07:30-11:30, 13:30-17:00
    (dt.datetime(2026, 6, 3, 2, 0, tzinfo=UTC), "Đang mở cửa", "Đang mở cửa"),  # 09:00 in Vietnam
    (dt.datetime(2026, 6, 3, 5, 30, tzinfo=UTC), "Đã đóng cửa", "Đã đóng cửa"),  # 12:30
    (dt.datetime(2026, 6, 3, 7, 0, tzinfo=UTC), "Đã đóng cửa", "Đang mở cửa"),  # 14:00
    (dt.datetime(2026, 6, 2, 22, 30, tzinfo=UTC), "Đang mở cửa", "Đã đóng cửa"),  # Wed 05:30
])
def test_open_now_is_in_vietnams_time_whatever_the_phones_zone(
        base: str, when: dt.datetime, market: str, showroom: str) -> None:
    def steps(context):
        page = context.new_page()
        page.clock.set_fixed_time(when)
        page.goto(base + HONEY)
        found = {}
        for item in page.locator("[data-shop-list] .shop-item").all():
            found[item.locator(".shop-name a").inner_text()] = \
                item.locator("[data-open]").inner_text()
        return found, page.evaluate("() => new Date().getHours()")
    found, local_hour = look({**PHONE, "timezone_id": "America/New_York"}, steps)
    assert local_hour == when.astimezone(dt.timezone(dt.timedelta(hours=-4))).hour  # EDT
    assert found == {MARKET: market, SHOWROOM: showroom}
