"""The statistics page in Debian's chromium (issue 25), served on 127.0.0.1: on a phone
(390 px) and a laptop (1280 px) it fits the screen, each chart is an image named by its
title in the browser's accessibility tree, and each chart's table opens without
JavaScript. Full-page screenshots go to build/screenshots/statistics-{390,1280}.png.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from ocop_site.pipeline import builder

from .conftest import REPO
from .quality.browser import VIEWPORTS, in_browser
from .quality.conftest import SAMPLE_TODAY, SCREENSHOTS
from .quality.serving import serve

CHART_NAMES = ("Sản phẩm theo hạng sao", "Sản phẩm theo xã",
               "Sản phẩm theo ngành (Quyết định 148/QĐ-TTg)", "Sản phẩm theo loại chủ thể",
               "Giấy chứng nhận theo năm quyết định", "Tiến độ so với chỉ tiêu")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("statistics-browser") / "public"
    served = serve(out, not_found="404.html")
    builder.build(REPO, out, base_url=served.origin + "/", today=SAMPLE_TODAY)
    yield served.origin + "/"
    served.stop()


def visit(base: str, options: dict[str, Any], shot: Path | None) -> dict[str, Any]:
    def work(browser: Any) -> dict[str, Any]:
        context = browser.new_context(**{**options, "java_script_enabled": False})
        page = context.new_page()
        page.goto(base + "thong-ke/")
        found: dict[str, Any] = {
            "widths": page.evaluate("[document.documentElement.scrollWidth, "
                                    "document.documentElement.clientWidth]"),
            "named": {name: page.get_by_role("img", name=name, exact=True).count()
                      for name in CHART_NAMES},
            "table_before": page.locator("#by-commune-table").is_visible(),
            "tops": page.evaluate("['by-stars', 'by-commune'].map(id => "
                                  "document.getElementById(id).getBoundingClientRect().top)"),
        }
        page.locator("#by-commune summary").click()
        found["table_after"] = page.locator("#by-commune-table").is_visible()
        found["rows"] = page.locator("#by-commune-table tbody tr").count()
        page.locator("#by-commune summary").click()  # closed again for the screenshot
        if shot is not None:
            page.screenshot(path=str(shot), full_page=True)
        context.close()
        return found
    return in_browser(work)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_page_fits_names_its_charts_and_opens_tables_without_javascript(
        base: str, viewport: str) -> None:
    options = VIEWPORTS[viewport]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"statistics-{options['viewport']['width']}.png"
    found = visit(base, options, shot)
    scroll_width, client_width = found["widths"]
    assert scroll_width <= client_width, found
    assert found["named"] == {name: 1 for name in CHART_NAMES}
    assert not found["table_before"] and found["table_after"] and found["rows"] == 4
    stars_top, communes_top = found["tops"]
    if viewport == "desktop":  # two charts to a row on a wide screen
        assert stars_top == communes_top
    else:  # one under the other on a phone
        assert communes_top > stars_top
    assert shot.stat().st_size > 10_000
