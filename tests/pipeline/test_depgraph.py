"""The reverse-dependency graph (pipeline/depgraph.py): a CLI build after an edit of a
product's words plans only the outputs that showed the product, and writes what a cold
build writes; any other edit, or a graph that is missing, corrupt or stale, means the
whole plan, as before."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder, depgraph
from ocop_site.pipeline.jobs import Job
from ocop_site.site.urls import Page

from ..conftest import REPO, TODAY

PRODUCT = "content/products/che-xanh-dong-thinh.md"
PRODUCT_PAGE = "san-pham/che-xanh-dong-thinh/index.html"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def graph_file(site: Path) -> Path:
    return depgraph.graph_path(site / ".cache")


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(site: Path, relative: str, text: str) -> None:
    path = site / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def cold(site: Path, tmp_path: Path) -> dict[str, str]:
    """What a build without any cache writes."""
    copy = tmp_path / "cold-site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache"))
    builder.build(copy, tmp_path / "cold", today=TODAY, search=False)
    return tree(tmp_path / "cold")


def fresh_build(site: Path, tmp_path: Path, name: str) -> builder.BuildResult:
    """CI: the site's caches kept, a new output folder."""
    return builder.build(site, tmp_path / name, today=TODAY, search=False)


@pytest.fixture
def built(site: Path, tmp_path: Path) -> tuple[Path, builder.BuildResult]:
    first = fresh_build(site, tmp_path, "first")
    assert graph_file(site).is_file()
    return site, first


# -- the file ------------------------------------------------------------------------------
def test_a_graph_is_saved_and_loaded(tmp_path: Path) -> None:
    graph = depgraph.Graph("frame", {"a": ((1, 2, 3, 4), "d")}, {"p.md": ("p", b"s")},
                           [depgraph.GraphJob("k", "page", ("x/index.html",),
                                              frozenset({"p"}))], 1)
    path = tmp_path / "graph.pickle"
    depgraph.save(path, graph)
    assert depgraph.load(path) == graph
    assert not [p for p in tmp_path.iterdir() if p.name != "graph.pickle"]  # no temp left


@pytest.mark.parametrize("data", [b"", b"not a pickle", b"\x80\x05K\x01.",  # an int
                                  b"\x80\x05\x95"])
def test_a_corrupt_or_foreign_graph_is_not_used(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "graph.pickle"
    path.write_bytes(data)
    assert depgraph.load(path) is None
    assert depgraph.load(tmp_path / "missing.pickle") is None


def test_a_page_reads_the_products_it_holds() -> None:
    from ocop_site.content.models import Product

    class Opaque:
        pass

    product = Product.__new__(Product)
    object.__setattr__(product, "slug", "che")
    reads = depgraph.ProductReads()
    page = Page("san-pham/che/", "product.html", "Chè", {"items": ({"p": product},)})
    assert reads.of(page) == frozenset({"che"})
    assert reads.of(Page("a/", "home.html", "A", {"n": 3})) == frozenset()
    # something the walk cannot see into: the page reads every product
    assert reads.of(Page("b/", "home.html", "B", {"x": Opaque()})) is None


# -- builds ----------------------------------------------------------------------------------
def test_a_body_edit_plans_only_the_outputs_that_show_the_product(built, tmp_path: Path
                                                                   ) -> None:
    site, first = built
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay buổi sớm")
    result = fresh_build(site, tmp_path, "second")
    assert 0 < result.planned < first.planned / 2, (result.planned, first.planned)
    assert "buổi sớm" in (tmp_path / "second" / PRODUCT_PAGE).read_text(encoding="utf-8")
    assert tree(tmp_path / "second") == cold(site, tmp_path)
    # and the graph it saved serves the next edit as well
    edit(site, PRODUCT, "price: 150000", "price: 155000")
    third = fresh_build(site, tmp_path, "third")
    assert third.planned == result.planned
    assert tree(tmp_path / "third") == cold(site, tmp_path / "again")


def test_a_rename_that_keeps_the_order_plans_only_the_outputs_that_show_it(
        built, tmp_path: Path) -> None:
    """A product's name decides the order of every list; renamed where it stays in the
    same place in every language, only the outputs showing it change (its address
    kept by a `slug:`; without one the address follows the name, and moves)."""
    site, first = built
    edit(site, PRODUCT, "name: Chè xanh Đồng Thịnh",
         "slug: che-xanh-dong-thinh\nname: Chè xanh Đồng Thịnh")
    fresh_build(site, tmp_path, "slug")  # a line more: planned whole, the graph saved
    edit(site, PRODUCT, "name: Chè xanh Đồng Thịnh", "name: Chè xanh Đồng Thịnh mới")
    result = fresh_build(site, tmp_path, "second")
    assert 0 < result.planned < first.planned / 2, (result.planned, first.planned)
    assert "Đồng Thịnh mới" in (tmp_path / "second" / PRODUCT_PAGE).read_text(
        encoding="utf-8")
    assert tree(tmp_path / "second") == cold(site, tmp_path)


def test_a_file_touched_but_not_changed_plans_only_what_reads_every_product(
        built, tmp_path: Path) -> None:
    site, first = built
    path = site / PRODUCT
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    result = fresh_build(site, tmp_path, "second")
    # the feeds and the open data
    assert 0 < result.planned <= 4, result.planned
    assert tree(tmp_path / "second") == tree(tmp_path / "first")


@pytest.mark.parametrize("change", [
    ("stars", lambda site: edit(site, PRODUCT, "stars: 4", "stars: 5")),
    # renamed past other products: every list's order changes
    ("name", lambda site: edit(site, PRODUCT, "name: Chè xanh Đồng Thịnh",
                               "name: Xôi chè xanh Đồng Thịnh")),
    ("producer", lambda site: append(site, "content/producers/htx-che-dong-thinh.md",
                                     "\nMột câu nữa.\n")),
    ("commune", lambda site: append(site, "content/data/communes.yaml", "\n")),
    ("category", lambda site: edit(site, "content/data/categories.yaml",
                                   "name: Chè tươi, chè chế biến",
                                   "name: Chè búp tươi và chè chế biến")),
    ("string", lambda site: ((site / "i18n").mkdir(exist_ok=True),
                             (site / "i18n/vi.yaml").write_text("nav.products: Đặc sản\n",
                                                                encoding="utf-8"))),
    ("template", lambda site: ((site / "templates").mkdir(exist_ok=True),
                               (site / "templates/product.html").write_text(
                                   (REPO / "templates/product.html").read_text(
                                       encoding="utf-8") + "<!-- x -->\n",
                                   encoding="utf-8"))),
    ("new product", lambda site: (site / "content/products/sp-moi.md").write_text(
        (site / PRODUCT).read_text(encoding="utf-8").replace(
            "name: Chè xanh Đồng Thịnh", "name: Chè mới"), encoding="utf-8")),
    ("corrupt graph", lambda site: graph_file(site).write_bytes(b"\x80\x05garbage")),
    ("no graph", lambda site: graph_file(site).unlink()),
], ids=lambda change: change[0] if isinstance(change, tuple) else "")
def test_any_other_change_plans_everything(built, tmp_path: Path, change) -> None:
    site, first = built
    _name, make = change
    make(site)
    result = fresh_build(site, tmp_path, "second")
    assert result.planned >= first.planned
    assert tree(tmp_path / "second") == cold(site, tmp_path)
    assert depgraph.load(graph_file(site)) is not None  # written again, whole


def test_another_build_date_plans_everything(built, tmp_path: Path) -> None:
    import datetime as dt
    site, first = built
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay buổi sớm")
    result = builder.build(site, tmp_path / "later", today=TODAY + dt.timedelta(days=1),
                           search=False)
    assert result.planned >= first.planned


def test_an_entry_pruned_from_the_output_cache_plans_everything(built, tmp_path: Path
                                                                ) -> None:
    site, first = built
    shutil.rmtree(site / ".cache/pages")
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay buổi sớm")
    result = fresh_build(site, tmp_path, "second")
    assert result.planned >= first.planned
    assert tree(tmp_path / "second") == cold(site, tmp_path)


def test_a_body_edit_saves_the_reads_a_cold_build_would(built, tmp_path: Path) -> None:
    """The pages planned again keep the graph's reads (not walked again): the graph after
    an edit of words says what the graph of a cold build over the edited site says."""
    site, _first = built
    edit(site, PRODUCT, "Chè búp xanh hái tay", "Chè búp xanh hái tay buổi sớm")
    fresh_build(site, tmp_path, "second")
    after_edit = depgraph.load(graph_file(site))
    copy = tmp_path / "cold-site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".cache"))
    builder.build(copy, tmp_path / "cold", today=TODAY, search=False)
    from_cold = depgraph.load(graph_file(copy))
    assert after_edit is not None and from_cold is not None
    assert [(j.key, j.paths, j.reads) for j in after_edit.jobs] \
        == [(j.key, j.paths, j.reads) for j in from_cold.jobs]


def test_known_reads_are_taken_not_walked() -> None:
    class Opaque:
        pass

    page = Page("b/", "home.html", "B", {"x": Opaque()})
    job = Job("k", "page", ("b/index.html",), page=page)
    walked = depgraph.graph_jobs([job], depgraph.ProductReads())
    known = depgraph.graph_jobs([job], depgraph.ProductReads(),
                                {("b/index.html",): frozenset({"che"})})
    assert walked[0].reads is None and known[0].reads == frozenset({"che"})


def test_a_job_kept_from_the_graph_is_its_record() -> None:
    record = depgraph.GraphJob("k", "page", ("b/index.html",), frozenset({"che"}))
    kept = Job("k", "page", ("b/index.html",), reads=record.reads, known=record)
    assert depgraph.graph_jobs([kept], depgraph.ProductReads())[0] is record


def test_equal_reads_are_one_set() -> None:
    reads = depgraph.ProductReads()
    first, second = frozenset({"a", "b"}), frozenset({"b", "a"})
    assert reads.interned(first) is reads.interned(second) is first
    assert reads.interned(None) is None
