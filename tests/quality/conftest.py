"""The bundled sample site (content/ + site.yaml), built once per session for the quality
gates and served over real HTTP on 127.0.0.1 — at the root and under a subpath — with
base_url set to the address it is served from, so canonical and sharing URLs resolve too."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from ocop_site.pipeline import builder

from ..conftest import REPO
from .serving import serve

SAMPLE_TODAY = dt.date(2026, 11, 29)  # the sample's events and certificates are relative to it
NODE_MODULES = REPO / "node_modules"
SCREENSHOTS = REPO / "build" / "screenshots"

# the pages every browser gate visits: one of each kind, chosen for the most markup
PAGES = {
    "home": "",
    "product": "san-pham/che-xanh-dong-thinh/",  # photos, events, where to buy, more from its producer
    "expired product": "san-pham/che-bup-kho-tu-yen/",  # the expiry notice
    "commune": "xa/song-lo/",  # banner photo, sortable list, producers
    "category": "danh-muc/thuc-pham/",  # sub-group chips, sortable list
    "search": "tim-kiem/",
    "search results": "tim-kiem/?q=mat%20ong",
    "404": "khong-co-trang-nay/",  # a missing path: the host answers with 404.html
    "saved": "da-luu/",  # the pages saved for reading offline (filled in by offline.js)
    "offline": "khong-co-mang/",  # what the service worker shows for a page not saved
    "statistics": "thong-ke/",  # SVG charts, their tables in <details>, progress bars
    "shop": "cua-hang/diem-ocop-song-lo/",  # a showroom: hours, contact, its products
    "shops": "cua-hang/",  # every shop by commune
    "shop sheet": "cua-hang/diem-ocop-song-lo/in/",  # its A4 shelf sheet with QR codes
}


@dataclass(frozen=True)
class Site:
    """A built site being served: `url` is its base URL (ends with '/')."""

    url: str
    root: Path  # the built folder

    def page(self, name: str) -> str:
        return self.url + PAGES[name]


def node_tool(relative: str) -> Path:
    """A file from node_modules, or a failure that says how to install it."""
    path = NODE_MODULES / relative
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `bash tools/install-test-deps.sh` (`make test` "
                    "does; it runs `npm ci` from the committed package-lock.json)",
                    pytrace=False)
    return path


SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture
def summary(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Note a measured number: printed, and repeated at the end of the test run so the
    scores, counts and sizes show in CI logs without -s."""
    lines = request.config.stash.setdefault(SUMMARY, [])

    def add(line: str) -> None:
        lines.append(line)
        print(line)

    return add


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    lines = config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("quality gates (tests/quality)")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def sample_at_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    out = tmp_path_factory.mktemp("quality-root") / "public"
    served = serve(out, not_found="404.html")
    try:
        builder.build(REPO, out, base_url=served.origin + "/", today=SAMPLE_TODAY)
        yield Site(served.origin + "/", out)
    finally:
        served.stop()


@pytest.fixture(scope="session")
def sample_under_subpath(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Built into srv/ocop/ with base_url …/ocop/, the server's root being srv/."""
    server_root = tmp_path_factory.mktemp("quality-subpath")
    served = serve(server_root, not_found="ocop/404.html")
    try:
        builder.build(REPO, server_root / "ocop", base_url=served.origin + "/ocop/",
                      today=SAMPLE_TODAY)
        yield Site(served.origin + "/ocop/", server_root / "ocop")
    finally:
        served.stop()
