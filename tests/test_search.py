"""Search index and list-page markup, on real builds of the search fixture site.

What a buyer sees in the browser is tested in test_search_browser.py; here: the folded
aliases, the Pagefind bundle the build writes (only product pages, deterministic,
failing loudly), and the markup the search page and list pages are built from.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site import cli
from ocop_site.search.pagefind import (PagefindMissing, SearchIndexError, index_records,
    plain_text, product_aliases, search_aliases)
from ocop_site.search.bundle import read_chunk
from ocop_site.search.records import site_records

from .conftest import REPO, TODAY

SEARCH_SITE = REPO / "tests" / "data" / "search-site"
PRODUCT_COUNT = 8  # published products in tests/data/search-site


@pytest.fixture
def search_site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SEARCH_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


@pytest.fixture
def built(search_site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    builder.build(search_site, out, today=TODAY)
    return out


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- aliases ---------------------------------------------------------------------------

def test_aliases_fold_exactly_the_words_with_d() -> None:
    assert search_aliases("Chè xanh Đồng Thịnh") == "dong"
    assert search_aliases("Bạch Lưu", "Rượu men lá") == ""  # Pagefind folds these itself
    assert search_aliases("ĐÔN NHÂN", "trên đồi, Đôn") == "don doi"  # once each, in order
    assert search_aliases(unicodedata.normalize("NFD", "Đồng Quế")) == "dong"
    assert search_aliases("Ấm chén gốm Đồng-Quế") == "dong"
    assert search_aliases("Chè ÐỒNG THỊNH") == "dong"  # Ð, Đ's look-alike


def test_product_aliases_weigh_the_name_apart() -> None:
    aliases = product_aliases("Bộ ấm chén gốm Đồng Quế", "Thôn Gò, xã Đồng Quế",
                              "Đất sét ven sông")
    assert (aliases.name, aliases.text) == ("dong", "dat")


def test_plain_text_drops_tags_and_decodes_entities() -> None:
    assert plain_text("<p>Đặc điểm &amp; <em>đồi</em></p>").split() == [
        "Đặc", "điểm", "&", "đồi"]


# -- the bundle ------------------------------------------------------------------------

def _meta(out: Path) -> list:
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    language = entry["languages"]["vi"]
    name = f"pagefind.{language['hash']}.pf_meta"
    return [language["page_count"], read_chunk((out / "pagefind" / name).read_bytes(), name)]


def test_build_indexes_only_product_pages(built: Path) -> None:
    page_count, meta = _meta(built)
    assert page_count == PRODUCT_COUNT
    assert (built / "pagefind/pagefind.js").is_file()
    assert (built / "pagefind/wasm.unknown.pagefind").is_file()
    # Pagefind's own UIs are not shipped: the search page has its own small script
    assert not list((built / "pagefind").glob("pagefind-*ui*"))
    fragments = [gzip.decompress(p.read_bytes())[12:]
                 for p in (built / "pagefind/fragment").iterdir()]
    urls = sorted(json.loads(f)["url"] for f in fragments)
    assert len(urls) == PRODUCT_COUNT
    assert all(re.fullmatch(r"/san-pham/[a-z0-9-]+/", url) for url in urls), urls
    assert sorted(ref[0] for ref in meta[3]) == ["commune", "group", "stars"]


def test_product_pages_carry_nothing_for_the_index(built: Path) -> None:
    """The index is made from search records (test_searchrecords.py), not from pages:
    a page has no hidden aliases or Pagefind markup, and the products listed on it do
    not make it match their names."""
    che = (built / "san-pham/che-xanh-dong-thinh/index.html").read_text()
    assert "data-pagefind" not in che and "Hồng trà Đồng Thịnh" in che
    page_count, meta = _meta(built)
    names = [gzip.decompress(p.read_bytes()) for p in (built / "pagefind/fragment").iterdir()]
    assert page_count == len(names) == PRODUCT_COUNT
    che_record = next(json.loads(n[12:]) for n in names if b"che-xanh-dong-thinh" in n)
    assert "Hồng trà" not in che_record["content"]
    assert che_record["meta"]["title"] == "Chè xanh Đồng Thịnh"
    assert re.fullmatch(r"img/[^/]+\.jpg", che_record["meta"]["image"])


def test_rebuilds_are_byte_identical(search_site: Path, tmp_path: Path) -> None:
    builder.build(search_site, tmp_path / "a", today=TODAY)
    result = builder.build(search_site, tmp_path / "a", today=TODAY)
    assert result.changed == 0  # the bundle is hard-linked like any unchanged file
    shutil.rmtree(search_site / ".cache")
    builder.build(search_site, tmp_path / "b", today=TODAY)
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert [p for p in a if p.startswith("pagefind/filter/")]
    assert a == b


def _records():
    config, catalogue, _ = builder.load(SEARCH_SITE, today=TODAY)
    return site_records(catalogue, builder._process_images(config, catalogue))


def test_indexing_is_deterministic_though_pagefind_is_not() -> None:
    # Pagefind 1.5 writes filter values in hash-map order; index_records sorts them,
    # whole or in shards of three products (merged by search/bundle.py)
    records = _records()
    runs = {index_records(records, "pagefind/") for _ in range(3)}
    assert len(runs) == 1
    (files,) = runs
    stars = next(data for name, data in files if name.startswith("pagefind/filter/")
                 and b"stars" in gzip.decompress(data))
    values = re.findall(rb"a([345])", gzip.decompress(stars))
    assert values == sorted(values)
    sharded = {index_records(records, "pagefind/", shard_pages=3) for _ in range(3)}
    assert len(sharded) == 1


def test_failure_leaves_no_process_and_no_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Pagefind that answers nothing and exits: a bilingual error, its folder gone,
    no process left (the `false` program's exit code is the only hint)."""
    import tempfile
    temp = tmp_path / "temp"  # not /tmp: other builds on the machine use it meanwhile
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false") or "/bin/false")
    with pytest.raises(SearchIndexError, match=r"not built: exit code 1$") as failed:
        index_records(_records(), "pagefind/")
    assert failed.value.message_vi == "không tạo được chỉ mục tìm kiếm: exit code 1"
    assert list(temp.iterdir()) == []
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: broken install' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(SearchIndexError, match="not built: pagefind: broken install$"):
        index_records(_records(), "pagefind/")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    with pytest.raises(PagefindMissing, match="cannot be started from .*missing"):
        index_records(_records(), "pagefind/")
    assert list(temp.iterdir()) == []


def test_failed_index_fails_the_build_and_keeps_the_old_site(
        search_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    builder.build(search_site, out, today=TODAY)
    before = digest(out)
    # a real program that exits 1 where the Pagefind binary should be
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false") or "/bin/false")
    product = search_site / "content/products/buoi-don-nhan.md"
    product.write_text(product.read_text().replace("stars: 4", "stars: 5"))
    with pytest.raises(SearchIndexError, match="search index was not built"):
        builder.build(search_site, out, today=TODAY)
    assert digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".staging")] == []


def test_a_build_failing_while_pagefind_runs_stops_it_and_leaves_nothing(
        search_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind indexes the search records in the background while the pages are
    rendered; a template error in one of those must stop Pagefind, not leave it running
    or its folder behind."""
    import os
    import tempfile

    from ocop_site.errors import ContentErrors
    pid_file = tmp_path / "pagefind.pid"
    slow = tmp_path / "slow-pagefind"
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    (search_site / "templates").mkdir(exist_ok=True)
    (search_site / "templates/communes.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ no_such_value }}{% endblock %}')
    temp = tmp_path / "temp"  # not /tmp: other builds on the machine use it meanwhile
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = tmp_path / "public"
    with pytest.raises(ContentErrors, match="communes.html"):
        builder.build(search_site, out, today=TODAY)
    pid = int(pid_file.read_text())  # Pagefind was started, before the failing page
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped
    assert not list(temp.glob("ocop-pagefind-*"))
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".staging")] == []


def test_cli_reports_a_failed_index_in_both_languages(
        search_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false") or "/bin/false")
    out = tmp_path / "public"
    assert cli.main(["build", "--source", str(search_site), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "the search index was not built" in err and "không tạo được chỉ mục" in err
    assert not out.exists()


def test_empty_catalogue_builds_without_an_index(search_site: Path, tmp_path: Path) -> None:
    for product in (search_site / "content/products").glob("*.md"):
        product.unlink()
    out = tmp_path / "public"
    builder.build(search_site, out, today=TODAY)
    assert not (out / "pagefind").exists()
    html = (out / "tim-kiem/index.html").read_text()
    assert "Chưa có sản phẩm nào để tìm" in html and "search.js" not in html


# -- search page and header ------------------------------------------------------------

def test_every_page_has_the_search_box(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if not p.relative_to(built).parts[0] == "pagefind"]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text()
        match = re.search(r'<form class="site-search" role="search" action="([^"]+)" '
                          r'method="get">', html)
        assert match, page
        assert '<label for="site-search-q"' in html and 'name="q"' in html
        # the 404 and offline pages, served at any address, link from the site root
        if page.name != "404.html" and "khong-co-mang" not in page.parts:
            assert (page.parent / match.group(1) / "index.html").resolve() == \
                (built / "tim-kiem/index.html").resolve(), page


def test_search_page_is_honest_without_javascript(built: Path) -> None:
    html = (built / "tim-kiem/index.html").read_text()
    assert '<html lang="vi">' in html
    assert '<p class="alert" id="search-needs-js">Tìm kiếm cần JavaScript' in html
    assert re.search(r'<form class="search-form" role="search" method="get" hidden', html)
    for target in ("../san-pham/", "../xa/", "../danh-muc/", "../sao/"):
        assert f'href="{target}"' in html
    assert 'data-bundle="../pagefind/pagefind.js"' in html
    # facets are rendered by the build, in catalogue order, with product counts
    assert re.search(r'name="stars" value="5"> 5 sao <span class="count" data-count>2<', html)
    communes = re.findall(r'name="commune" value="([^"]+)"', html)
    assert communes == ["Đôn Nhân", "Đồng Quế", "Hải Lựu", "Lãng Công", "Phương Khoản",
                        "Sông Lô"]


# -- list pages ------------------------------------------------------------------------

def _cards(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'data-(\w+)="([^"]*)"', attrs))
            for attrs in re.findall(r'<li class="card"([^>]*)>', html)]


def test_list_pages_carry_sort_keys_in_name_order(built: Path) -> None:
    config, catalogue, _ = builder.load(SEARCH_SITE, today=TODAY)
    html = (built / "san-pham/index.html").read_text()
    cards = _cards(html)
    assert [int(c["rank"]) for c in cards] == list(range(PRODUCT_COUNT))
    names = re.findall(r'<span class="card-title">([^<]+)</span>', html)
    assert names == [p.name for p in catalogue.products]
    honey = cards[names.index("Mật ong hoa rừng Sông Lô")]
    assert honey == {"rank": str(names.index("Mật ong hoa rừng Sông Lô")), "stars": "5",
                     "price": "320000", "date": "2025-10-18",
                     "cats": "thuc-pham thuc-pham-che-bien mat-ong"}
    assert cards[names.index("Rượu men lá Bạch Lưu")]["price"] == ""
    assert re.search(r'<script src="\.\./assets/js/list\.js\?v=[0-9a-f]{10}" defer></script>',
                     html)
    assert re.search(r'<form class="list-tools" hidden', html)


def test_list_filters_offer_only_choices_that_narrow(built: Path) -> None:
    everything = (built / "san-pham/index.html").read_text()
    assert re.findall(r'<option value="([\w-]+)">[^<]+\(\d+\)', everything) == [
        "5", "4", "3", "thuc-pham", "do-uong", "thu-cong-my-nghe"]
    food = (built / "danh-muc/thuc-pham/index.html").read_text()  # one group: product sets
    assert 'name="category"' in food
    assert re.findall(r'<option value="([a-z-]+)">[^<]+\(\d+\)', food) == [
        "rau-cu-qua-hat-tuoi", "mat-ong", "che-bien-tu-thit"]
    five = (built / "sao/5/index.html").read_text()  # one star count: no stars filter
    assert 'name="stars"' not in five and 'name="category"' in five
    single = (built / "xa/dong-que/index.html").read_text()  # one product: no tools at all
    assert "list-tools" not in single and "list.js" not in single


def test_list_script_stays_small() -> None:
    assert (REPO / "assets/js/list.js").stat().st_size < 3 * 1024
