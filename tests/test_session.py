"""serve's build session on real files: after an edit it writes exactly what a full
build writes (trees compared byte for byte), doing only what the edit touches."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors
from ocop_site.pipeline.session import Session
from ocop_site.site.urls import Urls

from .conftest import REPO, TODAY

PRODUCT = "content/products/che-xanh-dong-thinh.md"
PAGE = "san-pham/che-xanh-dong-thinh/index.html"


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_same_as_a_full_build(session: Session, site: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    builder.build(site, reference, today=TODAY)
    ours, full = tree_digest(session.output), tree_digest(reference)
    assert sorted(ours) == sorted(full)
    assert [path for path in full if ours[path] != full[path]] == []


@pytest.fixture
def session(site: Path, tmp_path: Path) -> Session:
    live = Session(site, tmp_path / "out", today=TODAY)
    assert not live.build().skipped
    return live


def test_nothing_changed_nothing_done(session: Session) -> None:
    result = session.build()
    assert result.skipped and result.changed == 0


@pytest.mark.parametrize("old, new", [
    ("Chè búp xanh hái tay", "Chè búp xanh hái tay lúc sớm mai"),  # the description
    ("stars: 4", "stars: 5"),  # moves it between star lists
    ("price: 150000", "price: 165000"),  # shown on its card on other pages
    ("commune: Đồng Thịnh", "commune: Hải Lựu"),  # another commune's page
])
def test_an_edit_writes_what_a_full_build_writes(session: Session, site: Path,
                                                 tmp_path: Path, old: str, new: str) -> None:
    before = tree_digest(session.output)
    edit(site, PRODUCT, old, new)
    result = session.build()
    assert not result.skipped and result.changed >= 1
    assert session.last_first_page > 0
    after = tree_digest(session.output)
    assert after[PAGE] != before[PAGE]
    # only what shows the product changed: the other product's page kept its file
    other = "san-pham/mat-ong-hoa-nhan-don-nhan/index.html"
    assert after[other] == before[other]
    assert_same_as_a_full_build(session, site, tmp_path)


def test_unchanged_pages_keep_their_files(session: Session, site: Path) -> None:
    other = session.output / "co-so/ho-mat-ong-don-nhan/index.html"
    inode = other.stat().st_ino, other.stat().st_mtime_ns
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp hái tay")
    session.build()
    assert (other.stat().st_ino, other.stat().st_mtime_ns) == inode


def test_a_product_made_a_draft_disappears(session: Session, site: Path,
                                           tmp_path: Path) -> None:
    edit(site, PRODUCT, "stars: 4", "stars: 4\ndraft: true")
    session.build()
    assert not (session.output / PAGE).exists()
    assert not (session.output / "san-pham/che-xanh-dong-thinh/qr.svg").exists()
    assert_same_as_a_full_build(session, site, tmp_path)


def test_an_error_keeps_the_site_and_the_fix_recovers(session: Session, site: Path,
                                                      tmp_path: Path) -> None:
    before = tree_digest(session.output)
    edit(site, PRODUCT, "stars: 4", "stars: 9")
    with pytest.raises(ContentErrors) as info:
        session.build()
    assert info.value.errors[0].path == PRODUCT
    assert tree_digest(session.output) == before
    edit(site, PRODUCT, "stars: 9", "stars: 3")
    assert not session.build().skipped
    assert_same_as_a_full_build(session, site, tmp_path)


def test_other_changes_fall_back_to_a_full_build(session: Session, site: Path,
                                                 tmp_path: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Riêng của tỉnh</p>{% endblock %}')
    edit(site, "content/data/communes.yaml", "Hải Lựu", "Hải Lựu Mới")
    edit(site, "content/products/banh-draft.md", "Hải Lựu", "Hải Lựu Mới")
    result = session.build()
    assert not result.skipped
    assert "Riêng của tỉnh" in (session.output / "404.html").read_text()
    assert_same_as_a_full_build(session, site, tmp_path)
    # and the session goes on incrementally from there
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè xanh hái tay")
    session.build()
    assert_same_as_a_full_build(session, site, tmp_path)


def test_both_languages_of_the_sample_are_updated(tmp_path: Path) -> None:
    """The sample site: Vietnamese and English pages, photos, events, a product with a
    translation file. The edit shows in both languages, as a full build has it."""
    site = tmp_path / "sample"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    live = Session(site, tmp_path / "out", today=TODAY)
    live.build()
    edit(site, PRODUCT, "stars: 3", "stars: 4")  # the sample's tea is 3★ (issue 14)
    live.build()
    assert live.last_first_page > 0  # done incrementally, not by a full build
    assert 'href="../../sao/4/">4 sao</a>' in (live.output / PAGE).read_text()
    assert 'href="../../../en/sao/4/">4 stars</a>' in (live.output / "en" / PAGE).read_text()
    assert_same_as_a_full_build(live, site, tmp_path)


def test_serve_indexes_after_the_pages_and_ends_as_a_full_build(site: Path,
                                                                tmp_path: Path) -> None:
    """serve's session keeps the search index it finds while the pages are rebuilt
    (it comes after the pages on a big site), then brings it up to date: the pages come
    first, and the output ends byte for byte as a full build's."""
    live = Session(site, tmp_path / "out", today=TODAY, search_later=True)
    live.build()  # the first build makes its index itself
    assert not live.search_pending
    entry = live.output / "search-index/vi/index.json"
    before = entry.read_bytes()
    data = live.output / Urls.open_data_json
    data_before = data.read_bytes()
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay buổi sớm")
    live.build()
    assert live.search_pending and entry.read_bytes() == before  # the old index, kept
    assert live.later_pending and data.read_bytes() == data_before  # and the open data
    assert "buổi sớm" in (live.output / PAGE).read_text()
    # the index is placed first, the open data (which no page shows) after it
    searchable: list[bool] = []
    live.searchable = lambda: searchable.append(data.read_bytes() == data_before)
    assert live.update_search_index()
    assert searchable == [True]
    assert not live.pending and entry.read_bytes() != before
    assert "buổi sớm" in data.read_text(encoding="utf-8")
    assert_same_as_a_full_build(live, site, tmp_path)
    assert live.build().skipped  # and the session knows what the output holds
    edit(site, PRODUCT, "buổi sớm", "buổi chiều")
    live.build()
    assert live.update_search_index()
    assert_same_as_a_full_build(live, site, tmp_path)
