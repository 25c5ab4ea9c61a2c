"""In the browser: what a phone downloads for a product page before its photos (HTML, CSS
and JS, gzipped by the host as any real host does, sizes as Chromium received them), that
nothing is fetched from anywhere but 127.0.0.1, and that no page scrolls sideways.
Screenshots of the home, product, search (with results) and commune pages at both widths
go to build/screenshots/ (<name>-390.png, <name>-1280.png)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import pytest

from .browser import VIEWPORTS, RequestLog, in_browser
from .conftest import PAGES, SCREENSHOTS, Site

BUDGET_BYTES = 30 * 1024  # HTML + CSS + JS as transferred (headers included), gzipped
CODE_TYPES = {"document", "stylesheet", "script", "fetch", "xhr"}
# screenshot name → the page (conftest.PAGES) it shows
SCREENSHOT_PAGES = {"home": "home", "product": "product", "search": "search results",
                    "commune": "commune", "statistics": "statistics", "shop": "shop"}
SHOT_OF = {page: shot for shot, page in SCREENSHOT_PAGES.items()}
# scroll to the bottom in steps so lazy photos load before the full-page screenshot
SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y); await new Promise(r => setTimeout(r, 50));
  }
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  scrollTo(0, 0);
}"""


@dataclass(frozen=True)
class Download:
    url: str
    kind: str  # Chromium's resource type: document, stylesheet, script, image…
    encoding: str  # Content-Encoding as received
    body: int  # bytes on the wire (compressed)
    headers: int


@dataclass(frozen=True)
class Visit:
    downloads: tuple[Download, ...]
    requests: RequestLog
    widths: dict[tuple[str, str], tuple[int, int]]  # (page, viewport) → (scroll, client)
    seconds: float = 0.0


def options_width(options: dict) -> int:
    return options["viewport"]["width"]


def _visit(site: Site) -> Visit:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def work(browser) -> Visit:
        context = browser.new_context(**VIEWPORTS["phone"])  # a first visit: cold cache
        log = RequestLog.attach(context)
        finished = []
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.goto(site.page("product"), wait_until="load")
        page.wait_for_load_state("networkidle")
        downloads = []
        for request in finished:
            response = request.response()
            sizes = request.sizes()
            downloads.append(Download(request.url, request.resource_type,
                                      response.header_value("content-encoding") or "",
                                      sizes["responseBodySize"], sizes["responseHeadersSize"]))
        context.close()

        widths = {}
        for width, options in VIEWPORTS.items():
            context = browser.new_context(**options)
            page = context.new_page()
            for name in PAGES:
                page.goto(site.page(name), wait_until="load")
                if name in SHOT_OF:
                    if name == "search results":
                        page.wait_for_selector("[data-results] .card")
                    page.evaluate(SCROLL_THROUGH)
                    shot = SCREENSHOTS / f"{SHOT_OF[name]}-{options_width(options)}.png"
                    page.screenshot(path=str(shot), full_page=True)
                widths[name, width] = tuple(page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"))
            context.close()
        return Visit(tuple(downloads), log, widths, time.perf_counter() - started)

    return in_browser(work)


@pytest.fixture(scope="module")
def visit(sample_at_root: Site) -> Visit:
    return _visit(sample_at_root)


def test_product_page_code_fits_the_budget(visit: Visit,
                                           summary: Callable[[str], None]) -> None:
    code = [d for d in visit.downloads if d.kind in CODE_TYPES]
    total = sum(d.body + d.headers for d in code)
    for d in code:
        print(f"  {d.kind:10} {d.encoding or 'identity':8} {d.body:7} B + {d.headers:4} B "
              f"headers  {d.url}")
    images = sum(d.body for d in visit.downloads if d.kind == "image")
    summary(f"page weight, product page at 390 px: HTML+CSS+JS {total / 1024:.1f} KB "
            f"gzipped as transferred, headers included (budget {BUDGET_BYTES // 1024} KB); "
            f"images {images / 1024:.1f} KB; {len(visit.requests.urls)} requests, "
            f"{len(visit.requests.foreign())} off 127.0.0.1 (browser pass {visit.seconds:.0f} s)")
    assert {d.kind for d in code} >= {"document", "stylesheet"}
    # the size measured is the gzipped one, as a real host would send
    assert all(d.encoding == "gzip" for d in code), [(d.url, d.encoding) for d in code]
    assert total <= BUDGET_BYTES


def test_nothing_leaves_the_host(visit: Visit) -> None:
    assert len(visit.requests.urls) >= 3
    assert visit.requests.foreign() == []
    assert visit.requests.failures == []


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling(visit: Visit, name: str, width: str) -> None:
    scroll, client = visit.widths[name, width]
    assert scroll <= client, f"{name} at {width}: content {scroll} px wide in {client} px"


def test_screenshots_are_written(visit: Visit) -> None:
    for name in SCREENSHOT_PAGES:
        for options in VIEWPORTS.values():
            shot = SCREENSHOTS / f"{name}-{options_width(options)}.png"
            assert shot.stat().st_size > 10_000, shot
