"""The "share" button of product and producer pages in Debian's chromium, on the sample
built once and served on 127.0.0.1: the Web Share API where the browser has it (a fake
`navigator.share` records what it is given), else the link copied to the clipboard with
a visible confirmation; hidden without JavaScript; no request beyond the site."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
import yaml

from ocop_site.pipeline import builder

from .conftest import REPO
from .quality.browser import VIEWPORTS, in_browser
from .quality.conftest import SAMPLE_TODAY
from .quality.serving import serve

PRODUCT = "san-pham/che-xanh-dong-thinh/"
PRODUCER = "co-so/htx-che-dong-thinh/"
STRINGS = {lang: yaml.safe_load((REPO / f"i18n/{lang}.yaml").read_text("utf-8"))["share"]
           for lang in ("vi", "en")}
# what a phone's browser has: navigator.share, recorded instead of opening a share sheet
FAKE_SHARE = """window.__shared = [];
navigator.share = data => { window.__shared.push(data); return Promise.resolve(); };"""
NO_SHARE = "delete Navigator.prototype.share; delete navigator.share;"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("share") / "public"
    served = serve(out, not_found="404.html")
    builder.build(REPO, out, base_url=served.origin + "/", today=SAMPLE_TODAY)
    yield served.origin + "/"
    served.stop()


def run(steps, **options: Any) -> Any:
    def work(browser):
        context = browser.new_context(**{**VIEWPORTS["phone"], **options})
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        try:
            return steps(context), requests
        finally:
            context.close()
    return in_browser(work)


@pytest.mark.parametrize("path", [PRODUCT, PRODUCER, "en/" + PRODUCT])
def test_the_share_sheet_gets_the_pages_address_and_title(base: str, path: str) -> None:
    def steps(context):
        context.add_init_script(FAKE_SHARE)
        page = context.new_page()
        page.goto(base + path)
        button = page.locator(".share button")
        assert button.is_visible()
        button.click()
        page.wait_for_function("window.__shared.length === 1")
        title = page.evaluate("document.querySelector('meta[property=\"og:title\"]').content")
        return page.evaluate("window.__shared[0]"), title, button.inner_text()

    (shared, title, label), requests = run(steps)
    assert shared == {"title": title, "url": base + path}
    assert label == STRINGS["en" if path.startswith("en/") else "vi"]["button"]
    assert all(url.startswith(base) for url in requests)  # no third-party script


@pytest.mark.parametrize("lang, path", [("vi", PRODUCT), ("en", "en/" + PRODUCER)])
def test_without_the_share_api_the_link_is_copied_and_said(base: str, lang: str,
                                                           path: str) -> None:
    def steps(context):
        context.add_init_script(NO_SHARE)
        page = context.new_page()
        page.goto(base + path)
        status = page.locator(".share [role=status]")
        assert status.inner_text() == ""
        page.locator(".share button").click()
        page.wait_for_function("document.querySelector('.share [role=status]').textContent")
        return page.evaluate("navigator.clipboard.readText()"), status.inner_text(), \
            status.is_visible()

    (copied, said, visible), _ = run(
        steps, permissions=["clipboard-read", "clipboard-write"])
    assert copied == base + path
    assert said == STRINGS[lang]["copied"] and visible


def test_a_failed_copy_says_so(base: str) -> None:
    def steps(context):
        context.add_init_script(NO_SHARE + "navigator.clipboard.writeText = () => "
                                "Promise.reject(new Error('denied'));")
        page = context.new_page()
        page.goto(base + PRODUCT)
        page.locator(".share button").click()
        page.wait_for_function("document.querySelector('.share [role=status]').textContent")
        return page.locator(".share [role=status]").inner_text()

    said, _ = run(steps)
    assert said == STRINGS["vi"]["failed"]


def test_without_javascript_there_is_no_button(base: str) -> None:
    def steps(context):
        page = context.new_page()
        page.goto(base + PRODUCT)
        return page.locator(".share").count(), page.locator(".share button").is_visible(), \
            page.locator("a.button-call").first.is_visible()  # the producer's, before the shops'

    (count, visible, call), _ = run(steps, java_script_enabled=False)
    assert count == 1 and not visible and call  # the page still works
