"""Folders and links made by child processes (ocop_site/output/ahead.py). The last
output's folders made ahead: a new output folder built from `.cache/` is the one a
build without the list makes, whatever the list says — folders this build leaves empty are removed, a list naming
folders outside the output is ignored, a child that fails costs only its time — and a
build that fails leaves no staging folder. The links of files from the cache made by a
child while the build goes on, those a failed child left made by the build. The old
site, swapped out, removed by a child and gone when the build returns."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from ocop_site.content.safepath import cache_root
from ocop_site.errors import ContentErrors
from ocop_site.output.ahead import LIST_FILE, FoldersAhead, LinksAhead, read_folders
from ocop_site.output.folder import LINKS_IN_CHILD, SiteWriter
from ocop_site.pipeline import builder

from ..conftest import TODAY


def tree(folder: Path) -> dict[str, str]:
    """Every folder and file under `folder`, a file by its bytes' digest."""
    return {p.relative_to(folder).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def folders_list(site: Path) -> Path:
    return cache_root(site.resolve()) / LIST_FILE


def new_output(site: Path, out: Path) -> dict[str, str]:
    """A build into a new output folder (CI: `.cache/` kept, the output not)."""
    shutil.rmtree(out, ignore_errors=True)
    builder.build(site, out, today=TODAY)
    return tree(out)


def zombies() -> set[int]:
    """This process's children that ended and were not waited for (Linux's /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def staging_leftovers(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if p.name.startswith(".staging-")]


def test_a_build_lists_its_folders_and_the_next_makes_them_ahead(site: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = new_output(site, out)
    listed = read_folders(cache_root(site.resolve()))
    assert listed == sorted(p for p, kind in first.items() if kind == "folder")
    assert {"san-pham/che-xanh-dong-thinh", "san-pham/dui-ga-hun-khoi-nhu-thuy"} <= set(listed)
    assert new_output(site, out) == first


def test_folders_the_build_leaves_empty_are_removed(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    new_output(site, out)
    (site / "content/products/dui-ga-nhu-thuy.md").unlink()
    ahead = new_output(site, out)
    assert "san-pham/dui-ga-hun-khoi-nhu-thuy" not in ahead
    assert not [p for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())]
    # the same tree as a build that made every folder itself
    folders_list(site).unlink()
    assert new_output(site, out) == ahead


def test_a_list_that_names_folders_outside_the_output_is_ignored(site: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "public"
    expected = new_output(site, out)
    for hostile in ("../escaped", "/tmp/escaped", "san-pham/../../escaped", "a//b"):
        folders_list(site).write_text(f"assets\n{hostile}\n", encoding="utf-8")
        assert read_folders(cache_root(site.resolve())) == []
        assert new_output(site, out) == expected
    assert not (tmp_path / "escaped").exists()


def test_a_child_that_fails_leaves_the_build_to_make_every_folder(site: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "public"
    expected = new_output(site, out)
    # a folder listed before its parent: the child's mkdir fails part way
    folders_list(site).write_text("assets\nzz/deeper\nzz\n", encoding="utf-8")
    assert new_output(site, out) == expected
    assert staging_leftovers(tmp_path) == []


def test_a_failed_build_leaves_no_staging_folder(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    expected = new_output(site, out)
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text(encoding="utf-8").replace("stars: 4", "stars: 9"),
                       encoding="utf-8")
    with pytest.raises(ContentErrors):
        builder.build(site, tmp_path / "other", today=TODAY)
    assert staging_leftovers(tmp_path) == []
    assert not (tmp_path / "other").exists()
    assert tree(out) == expected


def test_leaving_stops_the_child_and_removes_a_folder_no_writer_took(tmp_path: Path) -> None:
    staging = tmp_path / ".staging-public-1"
    names = [f"f{i:05d}" for i in range(20_000)]
    before = zombies()
    with FoldersAhead(staging) as ahead:
        ahead.start(names, chmod=False)
        assert staging.is_dir()
    assert not staging.exists()
    assert zombies() <= before  # the child was waited for


def test_links_from_the_cache_are_made_by_a_child_process(tmp_path: Path) -> None:
    blobs = [tmp_path / f"blob{i}" for i in range(3)]
    for number, blob in enumerate(blobs):
        blob.write_bytes(b"page %d" % number)
    out = tmp_path / "public"
    count = LINKS_IN_CHILD + 500
    before = zombies()
    with SiteWriter(out) as writer:
        writer.make_folders(f"p/{i}/index.html" for i in range(count))
        for i in range(count):
            writer.claim(f"p/{i}/index.html")
            writer.place_blob(f"p/{i}/index.html", str(blobs[i % 3]))
        writer.send_links()  # a child links them while this process goes on
        writer.commit()
    for i in range(count):
        assert (out / f"p/{i}/index.html").stat().st_ino == blobs[i % 3].stat().st_ino
    assert zombies() <= before


def test_links_a_failed_child_left_are_made_when_waited_for(tmp_path: Path) -> None:
    blob = tmp_path / "blob"
    blob.write_bytes(b"page")
    targets = [tmp_path / f"t{i}" for i in range(50)]
    targets[0].write_bytes(b"there already")  # the child stops at the first link
    links = LinksAhead([(str(blob), str(target)) for target in targets])
    links.join()
    assert targets[0].read_bytes() == b"there already"
    assert all(target.stat().st_ino == blob.stat().st_ino for target in targets[1:])


def test_the_old_site_is_removed_by_a_child_and_gone_when_the_build_returns(
        site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    old_page = out / "san-pham/dui-ga-hun-khoi-nhu-thuy/index.html"
    old_inode = old_page.stat().st_ino
    (site / "content/products/dui-ga-nhu-thuy.md").unlink()
    before = zombies()
    builder.build(site, out, today=TODAY)  # the same folder: swapped, the old one removed
    assert not old_page.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".staging-",
                                                                      ".retired-"))] == []
    assert zombies() <= before
    # nothing of the old site is left anywhere beside the output
    assert not [p for p in tmp_path.rglob("index.html") if p.stat().st_ino == old_inode
                and ".cache" not in p.parts]
