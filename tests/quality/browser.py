"""Debian's chromium driven by Playwright, for the quality tests.

Each module hands `in_browser` one function that does all its browsing and returns plain
data; tests then assert on that data. The function runs in a thread of its own because
Playwright's sync API allows one live instance per thread, and other test modules
(tests/test_search_browser.py) keep theirs open for the whole session.
"""
from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# CSS pixels; a phone the size of most sold in Vietnam, and a laptop
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
              "has_touch": True, "device_scale_factor": 1},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

T = TypeVar("T")


def in_browser(work: Callable[[Any], T], args: list[str] | None = None) -> T:
    """Launch chromium in a fresh thread, run `work(browser)` there, close, return.
    `args`: chromium's command line (default CHROMIUM_ARGS)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash tools/install-test-deps.sh` as root "
                    "(`make test` does) to install Debian's chromium", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[dev]' (never `playwright "
                    "install`: the tests use Debian's chromium)", pytrace=False)

    def run() -> T:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=args or CHROMIUM_ARGS)
            try:
                return work(browser)
            finally:
                browser.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@dataclass
class RequestLog:
    """Every request a browser context made, and every one that failed or got >= 400."""

    urls: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, context: Any) -> "RequestLog":
        log = cls()
        context.on("request", lambda request: log.urls.append(request.url))
        context.on("requestfailed", lambda request: log.failures.append(
            f"{request.url}: {request.failure}"))
        context.on("response", lambda response: response.status >= 400 and
                   log.failures.append(f"{response.url}: HTTP {response.status}"))
        return log

    def foreign(self) -> list[str]:
        """Requests to anywhere but 127.0.0.1 (data: URLs never leave the page)."""
        return [url for url in self.urls
                if urlsplit(url).scheme not in ("data", "blob")
                and urlsplit(url).hostname != "127.0.0.1"]
