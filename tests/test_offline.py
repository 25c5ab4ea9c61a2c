"""Reading offline at a fair, in Debian's chromium at 390 px, against the fixture site on a
real HTTP server on 127.0.0.1 (a secure context, so the service worker runs).

One visit tells the whole story, then each test checks a part of it: browsing before
saving fetches nothing but the pages and sw.js; "save" on a commune page keeps it, its
product pages, thumbnails and QR codes; with the network cut (the browser offline and
the server stopped) they load, an unsaved page shows the offline page, and the saved
page lists them; after a new build the new pages are served, the old cache is gone and
the saved copies follow; removing the commune empties the saved cache. Without a
secure context (a plain-HTTP host, file://) there is no worker and the site works as
before. Every request off 127.0.0.1 is refused by the browser itself.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ocop_site.pipeline import builder

from .conftest import FIXTURE_SITE, TODAY
from .quality.browser import CHROMIUM_ARGS, VIEWPORTS, RequestLog, in_browser
from .quality.serving import Served, serve

PLAIN_HOST = "ocop.test"  # resolved to 127.0.0.1, but not a secure context
BROWSER_ARGS = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {PLAIN_HOST} 127.0.0.1, "
                "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
COMMUNE, PRODUCT = "xa/song-lo/", "san-pham/che-xanh-dong-thinh/"
UNSAVED = "danh-muc/"
NEW_TEXT = "Chè búp xanh loại 1 hái tay"
SAVED_KEYS = "async () => (await (await caches.open(location.origin + '/ saved')).keys())" \
             ".map(r => new URL(r.url).pathname + new URL(r.url).search)"


@dataclass
class Story:
    before_saving: list[str] = field(default_factory=list)  # paths the server was asked for
    label: str = ""  # what the button says before saving
    saved_status: str = ""
    saved_keys: list[str] = field(default_factory=list)
    offline: dict[str, Any] = field(default_factory=dict)  # page → what it showed
    caches_before: list[str] = field(default_factory=list)
    caches_after: list[str] = field(default_factory=list)
    new_online: str = ""
    new_offline: str = ""
    after_remove: list[str] = field(default_factory=list)
    remove_status: str = ""
    plain_http: dict[str, Any] = field(default_factory=dict)
    from_disk: dict[str, Any] = field(default_factory=dict)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def shown(page) -> dict[str, Any]:
    return page.evaluate("""() => ({
        h1: document.querySelector('h1') && document.querySelector('h1').textContent.trim(),
        cards: [...document.querySelectorAll('.card-title')].map(e => e.textContent.trim()),
        images: [...document.querySelectorAll('.card img')].map(i => i.naturalWidth),
        text: document.body.innerText})""")


def wait_for_images(page) -> None:
    page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")


def _new_worker_caches(page, old: list[str]) -> list[str]:
    """The cache names once the new build's worker has taken over (it removes the old
    build's cache when it activates), or as they are after 20 s."""
    keys = old
    for _ in range(100):
        keys = page.evaluate("caches.keys()")
        kept = {key for key in old if key.endswith(" saved")}
        if set(keys) - set(old) and set(keys) & set(old) == kept:
            return keys
        page.wait_for_timeout(200)
    return keys


def _cut(context, server: Served) -> None:
    context.set_offline(True)
    server.stop()


def _tell(browser, site: Path, out: Path, server: Served) -> Story:
    story = Story()
    context = browser.new_context(**VIEWPORTS["phone"])
    log = RequestLog.attach(context)
    page = context.new_page()
    page.on("pageerror", lambda error: story.errors.append(str(error)))
    base = server.origin + "/"
    # browsing, never saving: the pages, their files and sw.js, nothing else
    page.goto(base + PRODUCT)
    page.goto(base + COMMUNE)
    page.evaluate("navigator.serviceWorker.ready.then(() => null)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()  # the worker became active while this page was on its way
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_load_state("networkidle")
    story.before_saving = list(server.served)
    story.label = page.locator("[data-save-status]").inner_text()
    # saving the commune page
    page.locator("[data-save]").click()
    page.wait_for_function("document.querySelector('[data-save-status] a') !== null")
    story.saved_status = page.locator("[data-save-status]").inner_text()
    story.saved_keys = page.evaluate(SAVED_KEYS)
    story.caches_before = page.evaluate("caches.keys()")
    # the network cut
    _cut(context, server)
    for path in (COMMUNE, PRODUCT, UNSAVED, "da-luu/"):
        page.goto(base + path)
        if path == "da-luu/":
            page.wait_for_selector(".saved-list li")
        wait_for_images(page)
        story.offline[path] = shown(page)
    # a new build: a product's text and the stylesheet change
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text("utf-8").replace("Chè búp xanh hái tay", NEW_TEXT),
                       encoding="utf-8")
    (site / "assets/css").mkdir(parents=True)
    (site / "assets/css/site.css").write_text(
        (Path(builder.__file__).parent.parent.parent / "assets/css/site.css").read_text("utf-8")
        + "\n.lead { font-style: italic; }\n")
    builder.build(site, out, today=TODAY)
    server = serve(out, not_found="404.html", port=server.port)
    context.set_offline(False)
    page.goto(base + PRODUCT)
    story.caches_after = _new_worker_caches(page, story.caches_before)
    story.new_online = shown(page)["text"]
    _cut(context, server)
    page.goto(base + PRODUCT)
    story.new_offline = shown(page)["text"]
    # removing what was saved
    server = serve(out, not_found="404.html", port=server.port)
    context.set_offline(False)
    page.goto(base + "da-luu/")
    page.locator(".saved-list button").click()
    page.wait_for_function("document.querySelectorAll('.saved-list li').length === 0")
    story.remove_status = page.locator("[data-saved-total]").inner_text()
    story.after_remove = page.evaluate(SAVED_KEYS)
    context.close()
    # no secure context: a plain-HTTP host, and the files opened from a disk
    for name, url in (("plain_http", f"http://{PLAIN_HOST}:{server.port}/{COMMUNE}"),
                      ("from_disk", (out / COMMUNE / "index.html").as_uri())):
        other = browser.new_context(**VIEWPORTS["phone"])
        visit = other.new_page()
        visit.goto(url)
        visit.wait_for_load_state("load")
        getattr(story, name).update(shown(visit))
        getattr(story, name)["button_hidden"] = visit.locator("[data-save-box]").is_hidden()
        getattr(story, name)["worker"] = visit.evaluate(
            "navigator.serviceWorker ? navigator.serviceWorker.getRegistrations()"
            ".then(r => r.length, () => 0) : 0")
        other.close()
    server.stop()
    story.foreign = [url for url in log.foreign()
                     if not url.startswith((f"http://{PLAIN_HOST}:", "file://"))]
    return story


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    root = tmp_path_factory.mktemp("offline")
    site = root / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    out = root / "public"
    server = serve(out, not_found="404.html")
    builder.build(site, out, today=TODAY)

    def work(browser):
        return _tell(browser, site, out, server)

    return in_browser(work, args=BROWSER_ARGS)


def test_browsing_fetches_only_the_pages_and_the_worker(story: Story) -> None:
    assert "/sw.js" in story.before_saving
    asked = [path.split("?")[0] for path in story.before_saving]
    assert not [p for p in asked if "offline" in p or "da-luu" in p or "khong-co-mang" in p]
    assert {p for p in asked if not p.startswith(("/img/", "/assets/"))} <= {
        "/" + PRODUCT, "/" + COMMUNE, "/sw.js", "/san-pham/che-xanh-dong-thinh/qr.svg"}
    assert story.errors == [] and story.foreign == []


def test_the_button_says_the_size_before_saving(story: Story) -> None:
    assert story.label.startswith("2 sản phẩm, khoảng 0,")
    assert story.label.endswith(" MB")


def test_saving_keeps_the_list_its_products_thumbnails_and_qr_codes(story: Story) -> None:
    assert story.saved_status.startswith("Đã lưu (0,")
    keys = set(story.saved_keys)
    assert {"/" + COMMUNE, "/" + PRODUCT, "/san-pham/dui-ga-hun-khoi-nhu-thuy/",
            "/san-pham/che-xanh-dong-thinh/qr.svg", "/khong-co-mang/", "/da-luu/",
            "/offline-index.json"} <= keys
    assert any(k.startswith("/img/che-") and "-sq" in k and k.endswith(".webp") for k in keys)
    assert any(k.startswith("/assets/css/site.css?v=") for k in keys)
    assert any(k.startswith("/assets/js/offline.js?v=") for k in keys)


def test_with_the_network_cut_the_saved_pages_load(story: Story) -> None:
    commune = story.offline[COMMUNE]
    assert commune["h1"] == "Xã Sông Lô"
    assert commune["cards"] == ["Chè xanh Đồng Thịnh", "Đùi gà hun khói Như Thụy"]
    assert commune["images"] and all(width > 0 for width in commune["images"])
    product = story.offline[PRODUCT]
    assert product["h1"] == "Chè xanh Đồng Thịnh"
    assert "150.000" in product["text"] and "Gọi 0900 000 101" in product["text"]


def test_with_the_network_cut_an_unsaved_page_shows_the_offline_page(story: Story) -> None:
    unsaved = story.offline[UNSAVED]
    assert unsaved["h1"] == "Không có mạng"
    assert "Xem các trang đã lưu" in unsaved["text"]


def test_the_saved_page_lists_what_is_saved_offline_too(story: Story) -> None:
    saved = story.offline["da-luu/"]
    assert "Xã Sông Lô" in saved["text"]
    assert "2 sản phẩm · 0," in saved["text"]


def test_after_a_new_build_the_new_version_is_served(story: Story) -> None:
    assert NEW_TEXT in story.new_online
    # the new build's worker took over: its cache replaced the old one, saved pages stay
    assert len(story.caches_before) == len(story.caches_after) == 2
    assert [k for k in story.caches_before if k.endswith(" saved")] == [
        k for k in story.caches_after if k.endswith(" saved")]
    assert set(story.caches_before) != set(story.caches_after)
    # the saved copy was refreshed when the page was seen online
    assert NEW_TEXT in story.new_offline


def test_removing_a_saved_list_frees_its_files(story: Story) -> None:
    assert story.remove_status == "Chưa lưu trang nào."
    assert story.after_remove == ["/offline-index.json"]


@pytest.mark.parametrize("where", ["plain_http", "from_disk"])
def test_without_a_secure_context_there_is_no_worker(story: Story, where: str) -> None:
    visit = getattr(story, where)
    assert visit["h1"] == "Xã Sông Lô" and len(visit["cards"]) == 2
    assert visit["button_hidden"] and visit["worker"] == 0
