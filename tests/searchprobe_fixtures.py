"""Fixtures shared by tests/test_search_budget.py and tests/test_search_precision.py: the
search page driven through benchmarks/searchprobe.py (it reads the page's DOM and what the
browser fetched, whatever the search index's format)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import searchprobe  # noqa: E402

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def browser():
    if not Path(searchprobe.CHROMIUM).is_file():
        pytest.fail(f"{searchprobe.CHROMIUM} is missing: run `bash tools/install-test-deps.sh`"
                    " as root to install Debian's chromium", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[dev]' (never `playwright "
                    "install`: the tests use Debian's chromium)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = searchprobe.launch(playwright)
        yield chromium
        chromium.close()
