"""`serve` for real: the CLI in a subprocess on a free port of 127.0.0.1, real files edited,
pages fetched over HTTP and, in one test, a real browser that must reload by itself."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from ocop_site.errors import ContentError
from ocop_site.serve import Failure, error_page

from .conftest import REPO
from .test_cli import ENV

PRODUCT = "content/products/che-xanh-dong-thinh.md"
PRODUCT_PAGE = "san-pham/che-xanh-dong-thinh/"
WAIT = 90  # seconds; a bound, not an expectation (a build takes ~1 s here)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


class LiveServer:
    """`python build.py serve` in a subprocess; its output goes to files we can read."""

    def __init__(self, site: Path, output: Path, wait: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.out = site.parent / f"serve-{self.port}.out"
        self.err = site.parent / f"serve-{self.port}.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(REPO / "build.py"), "serve", "--source", str(site),
                 "--output", str(output), "--port", str(self.port)],
                stdout=out, stderr=err, env=ENV)
        if wait:
            wait_until(self.ready, "the server to start")

    def ready(self) -> bool:
        """The first build is over: pages are the site's, no longer "building"."""
        assert self.process.poll() is None, f"serve exited:\n{self.log()}"
        try:
            return fetch(self.url)[0] != 503
        except OSError:
            return False

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8")

    def log(self) -> str:
        return self.stdout() + self.err.read_text(encoding="utf-8")

    def rebuilds(self) -> int:
        return sum(line.startswith("rebuilt ") for line in self.stdout().splitlines())

    def page(self, path: str = "") -> tuple[int, str]:
        return fetch(self.url + path)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def server(site: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(site, tmp_path / "out")
    yield live
    live.stop()


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_rebuilds_break_shows_error_page_fix_recovers(server: LiveServer,
                                                           site: Path) -> None:
    status, html = server.page(PRODUCT_PAGE)
    assert status == 200 and "Chè búp xanh hái tay" in html
    assert '"/livereload"' in html  # the browser is told to reload after each rebuild
    assert server.stdout().startswith("built ") and server.rebuilds() == 0

    # content edit → new HTML served
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay lúc sớm mai")
    wait_until(lambda: "lúc sớm mai" in server.page(PRODUCT_PAGE)[1], "the edited page")

    # a content error: every page is the error page, naming file, line and field, in
    # both languages; the server keeps running, photos and CSS are still served
    edit(site, PRODUCT, "stars: 4", "stars: 9")
    wait_until(lambda: server.page()[0] == 500, "the error page")
    for path in ("", PRODUCT_PAGE, "no/such/page/"):
        status, html = server.page(path)
        assert status == 500
        assert f"<code>{PRODUCT}:3</code>" in html and "<strong>stars</strong>" in html
        assert "must be 3, 4 or 5 (got 9)" in html and "phải là 3, 4 hoặc 5 (đang ghi 9)" in html
        assert '<html lang="vi">' in html and '"/livereload"' in html
    assert server.page("assets/css/site.css")[0] == 200
    assert "build failed: 1 error(s)" in server.log()

    # the next good save brings the site back
    edit(site, PRODUCT, "stars: 9", "stars: 5")
    wait_until(lambda: server.page(PRODUCT_PAGE)[0] == 200, "recovery")
    assert "OCOP 5 sao" in server.page(PRODUCT_PAGE)[1]

    # a template error (the site's own template overriding the theme's) is shown the
    # same way, with the template's file and line
    (site / "templates").mkdir()
    (site / "templates/product.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ product.no_such_field }}</p>\n'
        "{% endblock %}\n", encoding="utf-8")
    wait_until(lambda: server.page()[0] == 500, "the template error page")
    assert "<code>templates/product.html:3</code>" in server.page()[1]
    (site / "templates/product.html").unlink()
    wait_until(lambda: server.page()[0] == 200, "recovery from the template error")
    assert server.process.poll() is None


def test_data_files_and_site_yaml_rebuild_too(server: LiveServer, site: Path) -> None:
    assert server.page("xa/tan-lap/")[0] == 404
    with open(site / "content/data/communes.yaml", "a", encoding="utf-8") as communes:
        communes.write("  - name: Tân Lập\n")
    wait_until(lambda: server.page("xa/tan-lap/")[0] == 200, "the new commune's page")
    edit(site, "site.yaml", "title: OCOP Thử nghiệm", "title: OCOP Thử nghiệm mới")
    wait_until(lambda: "OCOP Thử nghiệm mới" in server.page()[1], "the new site title")


def test_a_burst_of_saves_is_one_rebuild(server: LiveServer, site: Path) -> None:
    before = server.rebuilds()
    for number in range(5):  # an editor saving all open files, a tool rewriting a few
        edit(site, PRODUCT, "Chè búp xanh hái tay" if number == 0 else f"mẻ {number - 1}",
             f"mẻ {number}")
        edit(site, "content/products/dui-ga-nhu-thuy.md", "củi nhãn" if number == 0
             else f"củi {number - 1}", f"củi {number}")
        time.sleep(0.005)  # saves ~5 ms apart: closer than serve's 45 ms quiet period
    wait_until(lambda: "mẻ 4" in server.page(PRODUCT_PAGE)[1], "the last save's page")
    time.sleep(2)  # several polls and quiet periods: a late second rebuild would show now
    assert server.rebuilds() == before + 1, server.log()
    assert "củi 4" in server.page("san-pham/dui-ga-hun-khoi-nhu-thuy/")[1]


def test_paths_outside_the_output_are_not_served(server: LiveServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/../../site.yaml")
    response = connection.getresponse()
    assert response.status == 404
    connection.close()
    status, _ = server.page("san-pham")  # a folder without its slash: relative links need it
    assert status == 200  # urllib followed the redirect


def test_the_browser_reloads_by_itself(server: LiveServer, site: Path) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.fail(f"{chromium} is missing: run `bash tools/install-test-deps.sh` as root",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    def drive() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
            try:
                tab = browser.new_page()
                tab.goto(server.url + PRODUCT_PAGE)
                tab.wait_for_function(  # the reload client said hello to serve
                    "() => document.documentElement.dataset.reload === 'on'", timeout=30_000)
                edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay lúc sớm mai")
                tab.wait_for_function(
                    "() => document.body.innerText.includes('lúc sớm mai')",
                    timeout=WAIT * 1000)
                edit(site, PRODUCT, "stars: 4", "stars: 9")
                tab.wait_for_function(
                    "() => document.title.startsWith('Lỗi khi tạo trang')",
                    timeout=WAIT * 1000)
                assert f"{PRODUCT}:3" in tab.inner_text("main")
                edit(site, PRODUCT, "stars: 9", "stars: 4")
                tab.wait_for_function(
                    "() => document.body.innerText.includes('lúc sớm mai')",
                    timeout=WAIT * 1000)
            finally:
                browser.close()

    # Playwright's sync API refuses to start where another test module's session browser
    # already runs an event loop; a thread of its own has none.
    failures: list[BaseException] = []

    def run() -> None:
        try:
            drive()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=WAIT * 4)
    assert not thread.is_alive(), "the browser test hung"
    if failures:
        raise failures[0]


def test_error_page_escapes_and_lists_every_error() -> None:
    page = error_page(Failure((
        ContentError("content/products/<x>.md", 4, "name", "bad <b>", "sai <b>"),
        ContentError("content/data/communes.yaml", 0, "file", "missing", "thiếu")))).decode()
    assert "<code>content/products/&lt;x&gt;.md:4</code>" in page
    assert "bad &lt;b&gt;" in page and "sai &lt;b&gt;" in page
    assert "<code>content/data/communes.yaml</code>" in page
    assert "2 lỗi" in page and "2 error(s)" in page
    crash = error_page(Failure(crash="Traceback …\nOSError: disk full")).decode()
    assert "OSError: disk full" in crash


SLOW = ("{% for view in products %}{% if view.product.price == 123456 %}"
        "{% for _ in range(120_000_000) %}{% endfor %}{% endif %}{% endfor %}")


def test_pages_are_served_and_reloaded_while_a_slow_rebuild_runs(site: Path,
                                                                tmp_path: Path) -> None:
    """A rebuild slowed on purpose (the site's commune page loops for seconds once it
    lists a product priced 123,456 đồng): while it runs, other pages are answered, the
    tab on the edited product reloads showing the edit, and the tab on the commune page
    waits until its page is written."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.fail(f"{chromium} is missing: run `bash tools/install-test-deps.sh` as root",
                    pytrace=False)
    theme = (REPO / "templates/commune.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates/commune.html").write_text(
        theme.replace("{% block main %}", "{% block main %}" + SLOW, 1), encoding="utf-8")
    server = LiveServer(site, tmp_path / "out")
    from playwright.sync_api import sync_playwright

    failures: list[BaseException] = []

    def drive() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
            try:
                product = browser.new_page()
                commune = browser.new_page()
                product.goto(server.url + PRODUCT_PAGE)
                commune.goto(server.url + "xa/song-lo/")  # Đồng Thịnh is part of Sông Lô
                for tab in (product, commune):
                    tab.wait_for_function(
                        "() => document.documentElement.dataset.reload === 'on'",
                        timeout=30_000)
                    tab.evaluate("() => { window.notReloaded = true; }")
                edit(site, PRODUCT, "price: 150000", "price: 123456")
                product.wait_for_function(
                    "() => document.body.innerText.includes('123.456')", timeout=WAIT * 1000)
                # the product's page is shown while the slowed rebuild still runs...
                assert server.rebuilds() == 0, server.log()
                # ...and other pages are answered meanwhile (not after it)
                status, html = server.page("co-so/")
                assert status == 200 and server.rebuilds() == 0, server.log()
                assert commune.evaluate("() => window.notReloaded === true"), \
                    "the commune tab reloaded before its page was written"
                # a folder the build reads, made while the rebuild runs (its file is
                # written before the watcher can watch it): built once watched
                (site / "assets/css").mkdir(parents=True)
                (site / "assets/css/them.css").write_text("p{}", encoding="utf-8")
                commune.wait_for_function(
                    "() => document.body.innerText.includes('123.456')", timeout=WAIT * 1000)
                assert server.rebuilds() >= 1
                wait_until(lambda: server.page("assets/css/them.css")[0] == 200,
                           "the file in a folder made during the rebuild")
            finally:
                browser.close()

    def run() -> None:
        try:
            drive()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(exc)

    try:
        thread = threading.Thread(target=run)  # (see test_the_browser_reloads_by_itself)
        thread.start()
        thread.join(timeout=WAIT * 4)
        assert not thread.is_alive(), "the browser test hung"
        if failures:
            raise failures[0]
    finally:
        server.stop()


def test_pages_are_answered_while_the_first_build_runs(site: Path, tmp_path: Path) -> None:
    """The server starts before the first build (slowed here as above): a page asked
    meanwhile is answered at once, saying the site is being built, with the reload
    script that brings the site when it is; then the site's own pages."""
    theme = (REPO / "templates/commune.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates/commune.html").write_text(
        theme.replace("{% block main %}", "{% block main %}" + SLOW, 1), encoding="utf-8")
    edit(site, PRODUCT, "price: 150000", "price: 123456")
    server = LiveServer(site, tmp_path / "out", wait=False)
    try:
        answers: list[tuple[int, str]] = []

        def answered() -> bool:
            try:
                answers.append(fetch(server.url + PRODUCT_PAGE))
                return True
            except OSError:
                return False
        wait_until(answered, "the server to answer")
        status, html = answers[-1]
        assert "Serving on" not in server.stdout(), "the first build was over already"
        assert status == 503 and "Building the site" in html and "Đang tạo trang" in html
        assert '"/livereload"' in html and '<html lang="vi">' in html
        wait_until(server.ready, "the first build")
        status, html = server.page(PRODUCT_PAGE)
        assert status == 200 and "123.456" in html
        wait_until(lambda: "Serving on" in server.stdout(), "serve's address said")
    finally:
        server.stop()
