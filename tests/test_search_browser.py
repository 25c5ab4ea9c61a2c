"""Search and list pages in a real browser: Debian's chromium driven by Playwright,
against the search fixture site built once and served over HTTP on 127.0.0.1.

Buyers type on phones, often without diacritics; these tests type the way they do.
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

from ocop_site.pipeline import builder

from .conftest import REPO, SEARCH_SITE, TODAY

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

CHE = "Chè xanh Đồng Thịnh"
HONG_TRA = "Hồng trà Đồng Thịnh"
GOM = "Bộ ấm chén gốm Đồng Quế"
HONEY = {"Mật ong hoa nhãn Đôn Nhân", "Mật ong hoa rừng Sông Lô"}
BUOI = "Bưởi Đôn Nhân"  # its description mentions "mật" and "ong", it is not honey


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site and notes (path, bytes sent) for every file, to measure payloads."""

    sent: list[tuple[str, int]]

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        self.sent.append((self.path, len(data)))
        outputfile.write(data)

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list]]:
    """(base URL, list of served files) for the search fixture site, built once."""
    root = tmp_path_factory.mktemp("search-browser")
    source = root / "site"
    shutil.copytree(SEARCH_SITE, source, ignore=shutil.ignore_patterns(".cache"))
    builder.build(source, root / "public", today=TODAY)
    sent: list[tuple[str, int]] = []
    handler = functools.partial(type("Handler", (_RecordingHandler,), {"sent": sent}),
                                directory=str(root / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", sent
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")  # not longer: another module's Playwright could not start
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash tools/install-test-deps.sh` as root "
                    "(CI does, through `make test`) to install Debian's chromium",
                    pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[dev]' (never `playwright "
                    "install`: the tests use Debian's chromium)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []  # no script error on any page a test visited


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def _expect():
    from playwright.sync_api import expect
    return expect


def titles(page, selector: str = "[data-results] .card-title") -> list[str]:
    return page.locator(selector).all_inner_texts()


def type_query(page, base: str, query: str) -> list[str]:
    """Type `query` key by key into the search page's box; the result titles, best first."""
    page.goto(f"{base}/tim-kiem/")
    box = page.locator("#search-q")
    box.press_sequentially(query, delay=15)
    _expect()(page.locator("[data-status]")).to_contain_text(f"“{query}”")
    return titles(page)


# -- search ----------------------------------------------------------------------------

def test_query_without_diacritics_finds_the_product(page, site) -> None:
    base, _ = site
    found = type_query(page, base, "che dong thinh")
    assert found[0] == CHE
    assert set(found) <= {CHE, HONG_TRA}
    assert type_query(page, base, "gio lua phuong khoan") == ["Giò lụa Phương Khoản"]
    assert type_query(page, base, "ruou bach luu") == ["Rượu men lá Bạch Lưu"]


def test_d_without_its_stroke_finds_dong(page, site) -> None:
    base, _ = site
    found = type_query(page, base, "dong")
    assert GOM in found and CHE in found and HONG_TRA in found
    assert not HONEY & set(found)
    # typed with every mark, the same products, and only through their real text
    assert set(type_query(page, base, "Đồng")) == {GOM, CHE, HONG_TRA}
    assert type_query(page, base, "đồng quế") == [GOM]
    assert type_query(page, base, "đong que") == [GOM]  # đ typed, tones left out


def test_honey_first_and_words_meeting_only_in_a_description_left_out(page, site) -> None:
    base, _ = site
    for query in ("mật ong", "mat ong"):
        found = type_query(page, base, query)
        assert set(found[:2]) == HONEY, query
        # the pomelo's description speaks of honey, nothing else of it does: with
        # products whose name or category says it, it is no result (issue 26)
        assert BUOI not in found, query
    # a word found only in descriptions still finds them when nothing else has it
    assert set(type_query(page, base, "vườn ong")) == {BUOI, "Mật ong hoa nhãn Đôn Nhân"}


def test_no_result_says_so(page, site) -> None:
    base, _ = site
    assert type_query(page, base, "xyzzy") == []
    _expect()(page.locator("[data-status]")).to_contain_text("Không tìm thấy sản phẩm nào")


def test_result_card_shows_name_stars_commune_price_and_photo(page, site) -> None:
    base, _ = site
    type_query(page, base, "che xanh")
    card = page.locator("[data-results] .card").filter(has_text=CHE)
    _expect()(card.locator(".stars")).to_have_attribute("aria-label", "4 sao OCOP")
    _expect()(card.locator(".stars")).to_have_text("★★★★☆")
    _expect()(card.locator(".card-commune")).to_have_text("Xã Sông Lô")
    _expect()(card.locator(".price")).to_have_text("150.000\u00a0₫ / hộp 500g")
    image = card.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    card.locator(".card-link").click()
    _expect()(page.locator("h1")).to_have_text(CHE)
    assert page.url == f"{base}/san-pham/che-xanh-dong-thinh/"


def test_header_search_box_leads_to_results(page, site) -> None:
    base, _ = site
    page.goto(f"{base}/xa/song-lo/")
    page.locator("#site-search-q").fill("mat ong")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=mat\+ong$"))
    _expect()(page.locator("[data-status]")).to_contain_text("“mat ong”")
    _expect()(page.locator("#search-q")).to_have_value("mat ong")
    _expect()(page.locator("#search-needs-js")).to_be_hidden()
    assert set(titles(page)[:2]) == HONEY


def test_facets_narrow_the_results(page, site) -> None:
    base, _ = site
    status = _expect()(page.locator("[data-status]"))
    assert len(type_query(page, base, "dong")) == 3
    page.locator(".filters > summary").click()  # closed at first: the results come first
    page.locator('input[name="stars"][value="3"]').check()
    status.to_have_text("2 sản phẩm cho “dong”")
    assert set(titles(page)) == {GOM, HONG_TRA}
    page.locator('input[name="commune"][value="Đồng Quế"]').check()
    status.to_have_text("1 sản phẩm cho “dong”")
    assert titles(page) == [GOM]
    assert "stars=3" in page.url and "commune=" in page.url  # shareable
    # two values of one facet widen (either commune), facets together narrow
    page.locator('input[name="commune"][value="Sông Lô"]').check()
    status.to_have_text("2 sản phẩm cho “dong”")
    # facets alone, without words: browse by category group
    page.goto(f"{base}/tim-kiem/")
    page.locator(".filters > summary").click()
    page.locator('input[name="group"][value="Thực phẩm"]').check()
    status.to_have_text("4 sản phẩm")
    assert set(titles(page)) == HONEY | {BUOI, "Giò lụa Phương Khoản"}


def test_one_query_downloads_little(page, site) -> None:
    base, sent = site
    seen: list[tuple[str, int]] = []
    page.on("response", lambda r: seen.append((r.url, len(r.body())))
            if "/search-index/" in r.url else None)
    sent.clear()
    type_query(page, base, "mat ong")
    served = [(path, size) for path, size in sent if path.startswith("/search-index/")]
    total = sum(size for _, size in served)
    assert sum(size for _, size in seen) == total  # the browser got what the server sent
    print(f"\none query on the search fixture: {total} bytes from search-index/ "
          f"in {len(served)} files")
    names = {path.split("/")[-1].split(".")[0] for path, _ in served}
    assert names == {"index", "ma", "on", "0"}  # manifest, a shard per word, the cards
    assert len(served) == len({path for path, _ in served})  # each file once
    assert total < 20_000


def test_filters_fetch_nothing_until_opened(page, site) -> None:
    base, _ = site
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/facets." in r.url else None)
    page.goto(f"{base}/tim-kiem/?q=dong")
    _expect()(page.locator("[data-status]")).to_contain_text("“dong”")
    assert asked == []
    count = page.locator('input[name="stars"][value="3"] ~ [data-count]')
    _expect()(count).to_have_text("4")  # the build's count: all products
    page.locator(".filters > summary").click()
    _expect()(count).to_have_text("2")  # of the results for "dong"
    assert len(asked) == 1
    page.goto(f"{base}/tim-kiem/?stars=5")  # a box in the URL: asked for at once
    _expect()(page.locator("[data-status]")).to_have_text("2 sản phẩm")
    assert len(asked) == 2


def test_exact_diacritics_match_that_spelling_only(page, site) -> None:
    base, _ = site
    # "mật" typed with its marks: not "mát", "mặt"; Bưởi's description has "mật" and
    # "ong" (honey is what bees make of its flowers), but only there: left out
    found = type_query(page, base, "mật ong")
    assert set(found) == HONEY
    # no "mặt" anywhere in the index: a misspelt mark falls back to every spelling of
    # "mat", so the buyer still finds the honey
    assert set(type_query(page, base, "mặt ong")[:2]) == HONEY
    # "đồng" typed: "Đồng" only, not "Đông" or "đông" (folded "dong" finds all of them)
    assert set(type_query(page, base, "đồng")) == {GOM, CHE, HONG_TRA}


def test_typing_matches_the_start_of_the_last_word(page, site) -> None:
    base, _ = site
    page.goto(f"{base}/tim-kiem/")
    page.locator("#search-q").press_sequentially("giò lụ", delay=15)
    _expect()(page.locator("[data-status]")).to_contain_text("“giò lụ”")
    assert titles(page) == ["Giò lụa Phương Khoản"]
    page.goto(f"{base}/tim-kiem/?q=gi%C3%B2+l%E1%BB%A5")  # a shared link: whole words
    _expect()(page.locator("[data-status]")).to_contain_text("Không tìm thấy")


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled sample catalogue (28+ products, shops), built once and served."""
    root = tmp_path_factory.mktemp("search-sample")
    source = root / "site"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".cache", ".git", ".venv", "public", "node_modules", "tests", "benchmarks"))
    builder.build(source, root / "public", today=TODAY)
    handler = functools.partial(type("Handler", (_RecordingHandler,), {"sent": []}),
                                directory=str(root / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_mat_ong_on_the_sample_finds_honey_not_mat_or_ong(page, sample_site) -> None:
    """Issue 26: Pagefind gave 11 products for "mat ong" (any mặt/mát/mật + ông/ống).
    Now both words must be in the doc: the honey first (in the name), then the
    products whose category or first paragraph has "mật ong"; none that only has
    "mát" (Ổi lê, Chè móc câu) or "óng"/"ông"/"ống" without "mật"."""
    page.goto(f"{sample_site}/tim-kiem/?q=mat+ong")
    _expect()(page.locator("[data-status]")).to_contain_text("“mat ong”")
    found = titles(page)
    assert set(found[:2]) == {"Mật ong hoa rừng Sông Lô", "Mật ong hoa nhãn Lãng Công"}
    assert not {"Ổi lê Nhạo Sơn", "Chè móc câu Quang Yên", "Trà hoa vàng Quang Yên",
                "Rượu men lá Bạch Lưu"} & set(found)
    page.goto(f"{sample_site}/tim-kiem/?q=che+dong+thinh")
    _expect()(page.locator("[data-status]")).to_contain_text("“che dong thinh”")
    assert titles(page) == ["Chè xanh Đồng Thịnh", "Hồng trà Đồng Thịnh"]


# -- list pages ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalogue():
    return builder.load(SEARCH_SITE, today=TODAY)[1]


def visible_titles(page) -> list[str]:
    return page.locator(".cards > li:not([hidden]) .card-title").all_inner_texts()


def test_sorting_reorders_the_list(page, site, catalogue) -> None:
    base, _ = site
    products = catalogue.products  # Vietnamese name order, as the build sorts them
    rank = {p.name: i for i, p in enumerate(products)}
    page.goto(f"{base}/san-pham/")
    _expect()(page.locator(".list-tools")).to_be_visible()
    assert visible_titles(page) == [p.name for p in products]
    sort = page.locator('select[name="sort"]')
    sort.select_option("price")
    assert visible_titles(page) == [p.name for p in sorted(
        products, key=lambda p: (p.price is None, p.price or 0, rank[p.name]))]
    sort.select_option("-price")
    assert visible_titles(page) == [p.name for p in sorted(
        products, key=lambda p: (p.price is None, -(p.price or 0), rank[p.name]))]
    sort.select_option("stars")
    assert visible_titles(page) == [p.name for p in sorted(
        products, key=lambda p: (-p.stars, rank[p.name]))]
    sort.select_option("date")
    newest = [p.name for p in sorted(products, key=lambda p: p.certificate.date, reverse=True)]
    assert visible_titles(page) == newest
    sort.select_option("name")
    assert visible_titles(page) == [p.name for p in products]


def test_list_filters_narrow_and_survive_a_reload(page, site) -> None:
    base, _ = site
    page.goto(f"{base}/san-pham/")
    page.locator('select[name="stars"]').select_option("5")
    assert set(visible_titles(page)) == {"Mật ong hoa rừng Sông Lô", "Giò lụa Phương Khoản"}
    _expect()(page.locator(".list-count")).to_have_text("Đang hiện 2 / 8 sản phẩm")
    page.locator('select[name="category"]').select_option("do-uong")
    assert visible_titles(page) == []
    _expect()(page.locator(".list-empty")).to_be_visible()
    page.locator('select[name="stars"]').select_option("")
    page.locator('select[name="sort"]').select_option("price")
    assert visible_titles(page) == [CHE, HONG_TRA, "Rượu men lá Bạch Lưu"]
    page.reload()  # the choices live in the URL
    assert visible_titles(page) == [CHE, HONG_TRA, "Rượu men lá Bạch Lưu"]
    _expect()(page.locator('select[name="category"]')).to_have_value("do-uong")


def test_commune_and_category_pages_sort_too(page, site) -> None:
    base, _ = site
    page.goto(f"{base}/xa/don-nhan/")
    assert visible_titles(page) == [BUOI, "Mật ong hoa nhãn Đôn Nhân"]
    page.locator('select[name="sort"]').select_option("-price")
    assert visible_titles(page) == ["Mật ong hoa nhãn Đôn Nhân", BUOI]
    page.goto(f"{base}/danh-muc/thuc-pham/?category=mat-ong")
    assert set(visible_titles(page)) == HONEY


def test_without_javascript_lists_show_everything_in_name_order(
        page_without_js, site, catalogue) -> None:
    base, _ = site
    page = page_without_js
    page.goto(f"{base}/san-pham/?sort=price&stars=5")
    assert visible_titles(page) == [p.name for p in catalogue.products]
    _expect()(page.locator(".list-tools")).to_be_hidden()
    page.goto(f"{base}/xa/song-lo/")
    assert visible_titles(page) == [CHE, HONG_TRA]


def test_without_javascript_the_search_page_says_so(page_without_js, site) -> None:
    base, _ = site
    page = page_without_js
    page.goto(f"{base}/")
    page.locator("#site-search-q").fill("dong")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=dong$"))
    _expect()(page.get_by_text("Tìm kiếm cần JavaScript")).to_be_visible()
    _expect()(page.locator(".search-form")).to_be_hidden()
    for name in ("tất cả sản phẩm", "theo xã", "theo danh mục", "theo hạng sao"):
        _expect()(page.get_by_role("link", name=name)).to_be_visible()
