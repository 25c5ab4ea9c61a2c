"""Issue 8's correctness half: what makes builds fast must never change what they write.

Real builds of the fixture site: a build from the content cache is byte-identical to a
cold one; a no-change build is skipped but still answers for an output edited by hand;
template, data-file, config and project-version changes reach the pages although the
product files did not change; pages rendered by worker processes are the same bytes.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder, buildstate
from ocop_site.content.cache import ContentCache, parse_version
from ocop_site.output.cache import PageCache

from .conftest import REPO, TODAY

PRODUCT_PAGE = "san-pham/che-xanh-dong-thinh/index.html"


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def many_products(site: Path, count: int) -> Path:
    """The fixture site with `count` more products (copies of one, renamed)."""
    template = (site / "content/products/che-xanh-dong-thinh.md").read_text()
    for index in range(count):
        (site / f"content/products/sp-{index:04d}.md").write_text(template.replace(
            "name: Chè xanh Đồng Thịnh", f"name: Chè xanh số {index}"))
    return site


def test_a_build_from_the_cache_is_byte_identical_to_a_cold_one(site: Path,
                                                                 tmp_path: Path) -> None:
    cold = builder.build(site, tmp_path / "cold", today=TODAY)
    assert cold.parsed > 0 and not cold.skipped
    warm = builder.build(site, tmp_path / "warm", today=TODAY)
    assert warm.parsed == 0  # every content file came from the cache
    assert tree_digest(tmp_path / "warm") == tree_digest(tmp_path / "cold")


def test_the_cache_keeps_no_error_and_checks_references_every_build(site: Path,
                                                                   tmp_path: Path) -> None:
    """A cached product naming a commune that a later communes.yaml no longer has is an
    error: references are checked from the cached values, not cached themselves."""
    builder.build(site, tmp_path / "a", today=TODAY)
    communes = site / "content/data/communes.yaml"
    communes.write_text(communes.read_text().replace("Đôn Nhân", "Đôn Nhân Mới"))
    with pytest.raises(builder.ContentErrors) as info:
        builder.build(site, tmp_path / "b", today=TODAY)
    assert any(e.field == "commune" and "Đôn Nhân" in e.message_en
               for e in info.value.errors)


def test_no_change_is_skipped_and_the_output_stays_byte_identical(site: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = builder.build(site, out, today=TODAY)
    before = tree_digest(out)
    mtime = (out / PRODUCT_PAGE).stat().st_mtime_ns
    again = builder.build(site, out, today=TODAY)
    assert again.skipped and again.changed == 0
    assert (again.pages, again.files, again.warnings) == (first.pages, first.files,
                                                          first.warnings)
    assert tree_digest(out) == before
    assert (out / PRODUCT_PAGE).stat().st_mtime_ns == mtime
    # another day: certificates may have expired, so the site is built again
    assert not builder.build(site, out, today=TODAY.replace(day=2)).skipped


@pytest.mark.parametrize("damage", ["edit", "delete", "add"])
def test_an_output_changed_by_hand_is_built_again(site: Path, tmp_path: Path,
                                                  damage: str) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    before = tree_digest(out)
    page = out / PRODUCT_PAGE
    if damage == "edit":
        page.write_bytes(page.read_bytes().replace(b"</main>", b"<p>hand</p></main>"))
    elif damage == "delete":
        page.unlink()
    else:
        (out / "stray.html").write_text("not ours")
    result = builder.build(site, out, today=TODAY)
    assert not result.skipped
    assert tree_digest(out) == before


def test_a_template_change_reaches_pages_whose_content_did_not_change(site: Path,
                                                                      tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    theme = (REPO / "templates/product.html").read_text()
    (site / "templates").mkdir()
    (site / "templates/product.html").write_text(
        theme.replace('<article class="product"', '<article data-theme="tỉnh" class="product"'))
    result = builder.build(site, out, today=TODAY)
    assert not result.skipped and result.parsed == 0
    assert 'data-theme="tỉnh"' in (out / PRODUCT_PAGE).read_text()


def test_a_data_file_change_reaches_the_product_pages(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    categories = site / "content/data/categories.yaml"
    text = categories.read_text()
    assert "name: Chè tươi, chè chế biến" in text
    categories.write_text(text.replace("name: Chè tươi, chè chế biến",
                                       "name: Chè búp tươi và chè chế biến"))
    result = builder.build(site, out, today=TODAY)
    assert not result.skipped and result.parsed == 0
    assert "Chè búp tươi và chè chế biến" in (out / PRODUCT_PAGE).read_text()


def test_a_config_change_reaches_every_page(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("title: OCOP Thử nghiệm",
                                                 "title: OCOP Tỉnh Mới"))
    assert not builder.build(site, out, today=TODAY).skipped
    assert "OCOP Tỉnh Mới" in (out / PRODUCT_PAGE).read_text()
    assert "OCOP Tỉnh Mới" in (out / "index.html").read_text()
    # a build option is an input too
    assert not builder.build(site, out, base_url="https://b.example/", today=TODAY).skipped
    assert "https://b.example/san-pham/" in (out / PRODUCT_PAGE).read_text()


def test_a_new_project_version_invalidates_both_caches(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    folder = site / ".cache" / "content"
    assert ContentCache(folder).entries  # this version's entries were kept
    assert ContentCache(folder, version=parse_version() + "-next").entries == {}
    options = buildstate.build_options(None, TODAY)
    stamp = buildstate.input_stamp(site, options)
    assert buildstate.unchanged(out, stamp) is not None
    assert buildstate.input_stamp(site, options, version="another") != stamp
    assert buildstate.unchanged(out, buildstate.input_stamp(site, options, "another")) is None


def test_an_edited_product_is_parsed_again_and_only_it(site: Path, tmp_path: Path) -> None:
    builder.build(site, tmp_path / "a", today=TODAY)
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text().replace("Chè búp xanh hái tay",
                                                   "Chè búp xanh hái tay buổi sớm"))
    result = builder.build(site, tmp_path / "a", today=TODAY)
    assert result.parsed == 1
    assert "hái tay buổi sớm" in (tmp_path / "a" / PRODUCT_PAGE).read_text()


def test_worker_processes_write_the_same_bytes(site: Path, tmp_path: Path) -> None:
    """Enough products for the parallel paths (parsing and rendering in worker
    processes); the result must be what one process writes."""
    many_products(site, 420)
    parallel = builder.build(site, tmp_path / "parallel", today=TODAY, workers=2)
    assert parallel.pages >= 400  # above renderpool.PARALLEL_FROM
    shutil.rmtree(site / ".cache")
    serial = builder.build(site, tmp_path / "serial", today=TODAY, workers=1, search=False)
    assert serial.made >= serial.pages  # no cache: every page rendered, in one process
    digest = tree_digest(tmp_path / "parallel")
    assert {k: v for k, v in digest.items() if not k.startswith("search-index/")} \
        == tree_digest(tmp_path / "serial")


def test_the_search_index_is_reused_only_for_the_same_pages(site: Path, tmp_path: Path) -> None:
    """The index is written once for the same products (it is kept in the output cache
    like every file), and again as soon as one of them changes."""
    builder.build(site, tmp_path / "a", today=TODAY)
    entry = "search-index/vi/index.json"
    first = (tmp_path / "a" / entry).read_bytes()
    again = builder.build(site, tmp_path / "b", today=TODAY)  # a new output, same pages
    assert again.made == 0  # nothing rendered, no index written
    assert tree_digest(tmp_path / "b") == tree_digest(tmp_path / "a")
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text().replace("Chè búp xanh hái tay", "Chè hái tay"))
    edited = builder.build(site, tmp_path / "a", today=TODAY)
    assert (tmp_path / "a" / entry).read_bytes() != first  # indexed again
    assert 0 < edited.made < again.pages
    shutil.rmtree(site / ".cache")
    builder.build(site, tmp_path / "cold", today=TODAY)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "cold")


class _Planted:
    """Unpickling this runs code: what a file put beside the output by a pull request
    could do if the build state were read with pickle."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def test_the_build_state_is_data_never_code(site: Path, tmp_path: Path) -> None:
    import pickle

    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    marker = tmp_path / "ran.txt"
    buildstate.state_path(out).write_bytes(pickle.dumps(_Planted(marker)))
    result = builder.build(site, out, today=TODAY)
    assert not marker.exists()
    assert not result.skipped  # an unreadable state means: build
    assert builder.build(site, out, today=TODAY).skipped  # and a good one is written


def test_an_edit_renders_one_print_catalogue_row_a_language(site: Path,
                                                            tmp_path: Path) -> None:
    """The print catalogue (every product on one page, each language: the fixture has
    one) is joined from its communes' tables, each joined from rows, both kept by what
    they show (pipeline/parts.py): after one edit, one row and its table a language are
    made, also when the rows were made in worker processes, and the table's other rows
    stay kept while the table is; the page is what a cold build writes."""
    many_products(site, 420)
    builder.build(site, tmp_path / "a", today=TODAY, workers=2, search=False)
    version = buildstate.project_version()
    kept = set(PageCache(site / ".cache/pages", version).parts)
    assert len(kept) >= 420  # made in the workers, noted by the parent
    product = site / "content/products/sp-0007.md"
    text = product.read_text()
    product.write_text(text.replace("Chè xanh số 7", "Chè xanh số bảy"))
    builder.build(site, tmp_path / "a", today=TODAY, workers=1, search=False)
    assert len(set(PageCache(site / ".cache/pages", version).parts) - kept) == 2
    # undone, then builds that take the page from the cache: its rows stay kept with it
    product.write_text(text)
    for bump in range(4):
        builder.build(site, tmp_path / "a", today=TODAY, workers=1, search=False)
        os.utime(product, ns=(product.stat().st_mtime_ns + 10**9,) * 2)
    kept = set(PageCache(site / ".cache/pages", version).parts)
    other = site / "content/products/sp-0011.md"
    other.write_text(other.read_text().replace("Chè xanh số 11", "Chè xanh số mười một"))
    builder.build(site, tmp_path / "a", today=TODAY, workers=1, search=False)
    assert len(set(PageCache(site / ".cache/pages", version).parts) - kept) == 2
    shutil.rmtree(site / ".cache")
    builder.build(site, tmp_path / "cold", today=TODAY, workers=1, search=False)
    page = "ban-in/index.html"
    assert (tmp_path / "a" / page).read_bytes() == (tmp_path / "cold" / page).read_bytes()
    assert "Chè xanh số mười một" in (tmp_path / "a/ban-in/index.html").read_text()
