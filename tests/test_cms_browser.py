"""The producers' web form in a real browser (Debian's chromium), on a real `serve` of a
copy of the fixture site, every request outside 127.0.0.1 blocked: a product created in
Vietnamese with a commune chosen by its former name, a category, a producer and a photo
is saved into content/, checks, and shows on its rebuilt page; an existing product edited
keeps everything else as it was.

The browsing runs once (in a thread of its own: tests/quality/browser.py) and the tests
assert on what it saw. Screenshots go to build/screenshots/cms-*.png; with
OCOP_REFRESH_SCREENSHOTS=1 they also replace docs/images/cms-*.png, the ones
CONTRIBUTING.md shows (CI never depends on those bytes).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from ocop_site.text import vietnamese

from .conftest import FIXTURE_SITE, REPO
from .quality.browser import RequestLog, in_browser
from .test_cli import ENV
from .test_serve import LiveServer, fetch, wait_until

SCREENSHOTS = REPO / "build" / "screenshots"
DOCS_IMAGES = REPO / "docs" / "images"
NAME = "Chè Đồng Thịnh"
FILE = "content/products/che-dong-thinh.md"  # vietnamese.slugify(NAME), as `new` names it
PAGE = "san-pham/che-dong-thinh/"
PHOTO = "che-dong-thinh-1.jpg"
EDITED = "content/products/che-xanh-dong-thinh.md"
# names whose slug the form's script must make exactly as vietnamese.slugify does
NAMES = ["Chè Đồng Thịnh", "ĐẶC SẢN  Đôn Nhân", "Mật ong hoa nhãn (500 g)", "Thuỵ/Thụy",
         "Bưởi – Đôn Nhân", "Gà 'đồi' Ðông", "Rượu ngô 29°", "  -x-  "]


@dataclass
class Seen:
    """What the browsing saw and did, for the tests to check."""

    slugs: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # commune options after "Bach Luu"
    page: dict[str, Any] = field(default_factory=dict)  # the rebuilt product page
    preview: str = ""  # the preview pane's text while filling the form
    save_to_page: float = 0.0  # seconds from pressing save to the rebuilt page
    created: str = ""  # the new product file
    edited: tuple[str, str] = ("", "")  # the edited file, before and after
    blocked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)


def local_only(blocked: list[str]):
    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(url)
            route.abort()
    return route


def choose(page: Any, label: str, typed: str, option: str) -> list[str]:
    """Type into a select of the form (react-select), pick `option`; the options seen."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(typed, delay=20)
    shown = page.get_by_role("option").all_inner_texts()
    page.get_by_role("option", name=option, exact=True).click()
    return shown


def publish(page: Any) -> float:
    """Press 'Công bố' → 'Công bố ngay' and wait for 'saved'; the moment of the press."""
    saved = page.get_by_text("Mục đã được lưu")  # Decap's toast: the API said yes
    expect(saved).to_have_count(0, timeout=20_000)  # the last save's toast has gone
    page.get_by_role("button", name="Công bố", exact=True).click()
    now = page.get_by_text("Công bố ngay", exact=True)
    now.wait_for()
    pressed = time.perf_counter()
    now.click()
    saved.first.wait_for()
    return pressed


def browse(server: LiveServer, site: Path, photo: Path) -> Seen:
    seen = Seen()
    admin = server.url + "admin/"

    def shot(page: Any, name: str) -> None:
        path = SCREENSHOTS / f"cms-{name}.png"
        page.screenshot(path=str(path))
        seen.screenshots.append(path)

    def work(browser: Any) -> Seen:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        context.route("**/*", local_only(seen.blocked))
        log = RequestLog.attach(context)
        page = context.new_page()
        page.on("pageerror", lambda error: seen.errors.append(str(error)))
        try:
            steps(context, page, log)
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "cms-failure.png"))  # what went wrong
            raise
        context.close()
        return seen

    def steps(context: Any, page: Any, log: RequestLog) -> None:
        page.goto(admin)
        login = page.get_by_role("button", name="Đăng nhập")
        login.wait_for()
        shot(page, "1-login")
        login.click()
        page.get_by_text("Chè xanh Đồng Thịnh").wait_for()
        shot(page, "2-list")
        seen.slugs = page.evaluate("names => names.map(window.ocopSlugify)", NAMES)

        page.locator("a[href$='/collections/products/new']").click()  # "＋ sản phẩm"
        page.get_by_label("Tên sản phẩm", exact=True).fill(NAME)
        choose(page, "Hạng sao", "4", "4 sao")
        choose(page, "Bộ sản phẩm", "che tuoi",
               "Đồ uống › Chè và sản phẩm từ chè › Chè tươi, chè chế biến")
        seen.options = choose(page, "Xã", "Bach Luu", "Bạch Lưu (nay là xã Hải Lựu)")
        choose(page, "Cơ sở sản xuất", "dong thinh",
               "Hợp tác xã Chè Đồng Thịnh (htx-che-dong-thinh)")
        page.get_by_label("Số quyết định", exact=True).fill("99/QĐ-UBND")
        page.get_by_label("Ngày ký quyết định", exact=True).fill("2025-06-01")
        page.get_by_label("Giá (đồng)").fill("120000")
        page.get_by_label("Tên sản phẩm", exact=True).scroll_into_view_if_needed()
        shot(page, "3-form")

        page.get_by_role("button", name="Add ảnh").click()
        page.get_by_role("button", name="Chọn một hình").click()
        page.locator("input[type=file]").set_input_files(str(photo))
        page.get_by_text(PHOTO).wait_for()
        shot(page, "4-photo")
        page.get_by_role("button", name="Lấy những cái đã chọn").click()
        page.get_by_label("Mô tả ảnh").fill("Búp chè trên đồi")
        page.locator("[contenteditable=true]").last.click()  # the description's editor
        page.keyboard.type("Chè búp hái tay, sao bằng chảo gang.")
        preview = page.frame_locator("iframe").first
        preview.get_by_text("Búp chè trên đồi", exact=False).count()  # rendered
        seen.preview = preview.locator("body").inner_text()

        pressed = publish(page)
        wait_until(lambda: fetch(server.url + PAGE)[0] == 200 and
                   NAME in fetch(server.url + PAGE)[1], "the new product's page")
        seen.save_to_page = time.perf_counter() - pressed
        shot(page, "5-saved")
        seen.created = (site / FILE).read_text(encoding="utf-8")

        visitor = context.new_page()
        visitor.goto(server.url + PAGE)
        seen.page = visitor.evaluate("""() => ({
            title: document.querySelector('h1').textContent,
            rating: document.querySelector('.product-rating').textContent,
            facts: document.querySelector('.facts').textContent,
            photo: [...document.querySelectorAll('.product-media img')].map(
                img => [img.currentSrc, img.naturalWidth, img.alt])[0] || null,
            editor: !!document.querySelector('script[src*="decap"]'),
        })""")
        shot(visitor, "6-page")
        visitor.close()

        before = (site / EDITED).read_text(encoding="utf-8")
        page.locator("a[href$='#/collections/products']").first.click()  # "←": the list
        page.get_by_text("Chè xanh Đồng Thịnh", exact=True).click()
        price = page.get_by_label("Giá (đồng)")
        expect(price).to_have_value("150000")  # the entry is loaded
        price.fill("160000")
        publish(page)
        wait_until(lambda: (site / EDITED).read_text(encoding="utf-8") != before,
                   "the edited file")
        seen.edited = (before, (site / EDITED).read_text(encoding="utf-8"))
        seen.failures = log.failures

    return in_browser(work)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Seen, Path, str]]:
    root = tmp_path_factory.mktemp("cms-browser")
    site = root / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    photo = root / PHOTO  # a producer's photo: the sample's tea, 1600×1200
    shutil.copyfile(REPO / "content/products/images/che-xanh-dong-thinh-1.jpg", photo)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    server = LiveServer(site, root / "out")
    try:
        seen = browse(server, site, photo)
        log = server.log()
    finally:
        server.stop()
    if os.environ.get("OCOP_REFRESH_SCREENSHOTS") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        for path in seen.screenshots:
            shutil.copyfile(path, DOCS_IMAGES / path.name)
    yield seen, site, log


def test_the_new_product_is_a_file_in_content_named_by_the_slug_rule(session) -> None:
    seen, site, _ = session
    assert seen.created == f"""---
name: {NAME}
stars: 4
category: che-tuoi-che-bien
commune: Bạch Lưu
producer: htx-che-dong-thinh
certificate:
  decision: 99/QĐ-UBND
  date: 2025-06-01
price: 120000
images:
  - src: images/{PHOTO}
    alt: Búp chè trên đồi
---
Chè búp hái tay, sao bằng chảo gang.
"""
    with Image.open(site / "content/products/images" / PHOTO) as image:
        assert image.size == (1600, 1200)  # the photo as uploaded


def test_the_site_checks_with_the_new_product(session) -> None:
    _, site, _ = session
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--source",
                           str(site)], capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: no errors found" in done.stdout


def test_the_rebuilt_page_shows_name_stars_and_photo(session) -> None:
    seen, _, _ = session
    assert seen.page["title"] == NAME
    assert "OCOP 4 sao" in seen.page["rating"] and "★★★★☆" in seen.page["rating"]
    assert "Hải Lựu" in seen.page["facts"] and "trước đây: Bạch Lưu" in seen.page["facts"]
    source, width, alt = seen.page["photo"]
    assert "che-dong-thinh-1" in source and width > 0 and alt == "Búp chè trên đồi"
    assert not seen.page["editor"]  # the editor never loads on a visitor's page
    print(f"web form: save → rebuilt page in serve {seen.save_to_page:.2f} s")


def test_the_commune_is_found_by_its_former_name_without_diacritics(session) -> None:
    seen, _, _ = session
    assert "Bạch Lưu (nay là xã Hải Lựu)" in seen.options
    assert "Hải Lựu (trước đây: Bạch Lưu)" in seen.options


def test_the_preview_is_the_product_page_markup(session) -> None:
    seen, _, _ = session
    for expected in (NAME, "OCOP 4 sao", "Hải Lựu (trước đây: Bạch Lưu)",
                     "Hợp tác xã Chè Đồng Thịnh", "99/QĐ-UBND", "Giấy chứng nhận OCOP",
                     "Chè búp hái tay"):
        assert expected in seen.preview, expected


def test_editing_keeps_every_other_field_and_the_markdown(session) -> None:
    seen, _, _ = session
    before, after = seen.edited
    assert after == before.replace("price: 150000", "price: 160000")


def test_file_names_follow_text_slugify(session) -> None:
    seen, _, _ = session
    assert seen.slugs == [vietnamese.slugify(name) for name in NAMES]


def test_nothing_left_the_computer_and_nothing_failed(session) -> None:
    seen, _, log = session
    assert seen.blocked == []  # Decap, its scripts and styles are all served by serve
    assert seen.failures == [] and seen.errors == []
    assert "Traceback" not in log
