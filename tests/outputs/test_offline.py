"""Reading offline, as built: the service worker (one for every language, within its
3 KB budget with its registration, named after the build's assets and photos and never
after the clock), the offline and saved pages, and the save button of lists with the
size it announces. In the browser: tests/test_offline.py."""
from __future__ import annotations

import gzip
import html as html_lib
import re
import shutil
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.site.listpages import LIST_BYTES, PAGE_BYTES

from ..conftest import TODAY
from .conftest import Built, copy_fixture
from .pagedata import parse

BUDGET = 3 * 1024  # the worker and its registration, gzipped


def registration(page: str) -> str:
    [script] = [text for kind, text in parse(page).scripts if "serviceWorker" in text]
    return script


def version(out: Path) -> str:
    return re.search(r'var VERSION = "([0-9a-f]{16})";', (out / "sw.js").read_text()).group(1)


def test_one_worker_at_the_root_for_every_language(sample: Built) -> None:
    code = (sample.root / "sw.js").read_text()
    assert not (sample.root / "en/sw.js").exists()
    assert "{{" not in code and not re.search(r"^\s*//", code, re.M)  # filled, no comments
    assert 'var OFFLINE = [["en/","en/khong-co-mang/"],["","khong-co-mang/"]];' in code
    for page in ("khong-co-mang/index.html", "en/khong-co-mang/index.html"):
        assert (sample.root / page).is_file()
    # registered relative to the page (works under a subpath), from every page
    assert 'register("../../sw.js")' in registration(sample.page("xa/song-lo/index.html"))
    assert 'register("../../../sw.js")' in registration(
        sample.page("en/xa/song-lo/index.html"))
    assert 'register("sw.js")' in registration(sample.page("index.html"))


def test_worker_and_registration_fit_the_budget(sample: Built) -> None:
    worker = len(gzip.compress((sample.root / "sw.js").read_bytes(), 9))
    snippet = len(gzip.compress(registration(sample.page("index.html")).encode(), 9))
    print(f"offline: sw.js {worker} B + registration {snippet} B gzipped (budget {BUDGET} B)")
    assert worker + snippet <= BUDGET


def test_only_the_saved_page_loads_the_saving_script(sample: Built) -> None:
    """Visitors who never save download nothing but the registration: offline.js is
    fetched on a press of the button, or by the saved page."""
    loading = {str(p.relative_to(sample.root)) for p in sample.root.rglob("*.html")
               if re.search(r'<script src="[^"]*offline\.js', p.read_text("utf-8"))}
    assert loading == {"da-luu/index.html", "en/da-luu/index.html"}


def test_the_cache_name_follows_assets_and_photos_not_the_clock(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    first, again = tmp_path / "first", tmp_path / "again"
    builder.build(site, first, today=TODAY)
    builder.build(site, again, today=TODAY.replace(day=2))  # another day, same input
    assert (first / "sw.js").read_bytes() == (again / "sw.js").read_bytes()
    # a product's text: pages come from the network first, the worker stays
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text("utf-8").replace("Chè búp xanh hái tay",
                                                          "Chè búp xanh loại 1 hái tay"),
                       encoding="utf-8")
    text = tmp_path / "text"
    builder.build(site, text, today=TODAY)
    assert "loại 1" in (text / "san-pham/che-xanh-dong-thinh/index.html").read_text("utf-8")
    assert version(text) == version(first)
    # a stylesheet (kept cache-first under its fingerprint): a new cache
    (site / "assets/css").mkdir(parents=True)
    (site / "assets/css/site.css").write_text("body{color:#000}")
    css = tmp_path / "css"
    builder.build(site, css, today=TODAY)
    assert version(css) != version(first)
    # a photo: a new cache too
    shutil.copy(site / "content/products/images/che.jpg", site / "content/products/che2.jpg")
    product.write_text(product.read_text("utf-8").replace(
        "  - src: images/che.jpg", "  - src: che2.jpg\n  - src: images/che.jpg"),
        encoding="utf-8")
    photo = tmp_path / "photo"
    builder.build(site, photo, today=TODAY)
    assert version(photo) not in (version(first), version(css))


def test_offline_and_saved_pages(sample: Built) -> None:
    offline = sample.page("khong-co-mang/index.html")
    # served in place of any address: links from the base path, like the 404 page
    assert 'href="/da-luu/"' in offline and 'href="/"' in offline
    assert '<meta name="robots" content="noindex">' in offline
    assert "Không có mạng" in offline
    english = sample.page("en/khong-co-mang/index.html")
    assert 'href="/en/da-luu/"' in english and "You are offline" in english
    saved = sample.page("da-luu/index.html")
    assert "data-saved-list" in saved and "data-saved-unsupported" in saved
    assert "Đã lưu để xem khi không có mạng" in saved


def test_lists_announce_what_saving_costs(sample: Built) -> None:
    """The size before saving: the thumbnails' real bytes (the widest WebP of each card,
    what offline.js saves) plus the build's estimate for the pages."""
    for page in ("xa/song-lo/index.html", "sao/5/index.html", "danh-muc/thuc-pham/index.html",
                 "su-kien/hoi-cho-ocop-phu-tho-2026/index.html", "san-pham/index.html"):
        html = sample.page(page)
        box = re.search(r'<div class="save-offline" hidden data-offline data-save-box '
                        r'data-root="[^"]*" data-bytes="(\d+)"', html)
        assert box, page
        cards = re.findall(r'<li class="card".*?</li>', html, re.S)
        thumbs = []
        for card in cards:
            srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', card)
            if srcset:
                widest = max(html_lib.unescape(srcset.group(1)).split(", "),
                             key=lambda part: int(part.split()[1][:-1]))
                thumbs.append((sample.root / page).parent / widest.split()[0])
        assert thumbs, page
        expected = LIST_BYTES + PAGE_BYTES * len(cards) + sum(p.stat().st_size for p in thumbs)
        assert int(box.group(1)) == expected, page
        tenths = -(-expected // 100_000)
        assert f"{len(cards)} sản phẩm, khoảng {tenths // 10},{tenths % 10} MB" in html, page
    english = sample.page("en/xa/song-lo/index.html")
    assert re.search(r"\d+ products, about \d+\.\d MB", english)
    for page in ("index.html", "san-pham/buoi-don-nhan/index.html", "tim-kiem/index.html"):
        assert "data-save-box" not in sample.page(page), page
