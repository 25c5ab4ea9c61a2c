"""base/inputs.py: the one walk of what a build reads (the build's stamp, serve's watcher) and
the one file signature; dot files and editors' swap files are no input of anything."""
from __future__ import annotations

import os
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.base.inputs import (FOLDER, MISSING, changed, files_under, ignored,
    input_roots, rescan, scan, signature)

from .conftest import REPO, TODAY
from .test_build_cache import tree_digest

PRODUCT = "content/products/che-xanh-dong-thinh.md"
SWAP_FILES = ("content/products/.che-xanh-dong-thinh.md.swp", f"{PRODUCT}~",
              "content/products/#che-xanh-dong-thinh.md#", "content/data/communes.yaml.tmp",
              "assets/css/site.css~", "assets/.DS_Store", "content/.git/HEAD")


def test_the_roots_cover_everything_a_build_reads(site: Path) -> None:
    roots = input_roots(site)
    for needed in ("site.yaml", "content", "templates", "assets", "i18n"):
        assert site.resolve() / needed in roots  # missing ones too: creating one counts
    assert REPO / "templates" in roots and REPO / "assets" in roots
    assert REPO / "i18n" in roots


def test_the_scan_sees_edits_additions_removals_not_swap_files(site: Path) -> None:
    roots = (site / "content", site / "site.yaml", site / "templates")
    before = scan(roots)
    assert before[str(site / "content")] == FOLDER and before[str(site / "templates")] \
        == MISSING
    product = site / PRODUCT
    product.write_text(product.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    (site / "content/products/new.md").write_text("---\n---\n", encoding="utf-8")
    (site / "content/producers/ho-mat-ong-don-nhan.md").unlink()
    for name in SWAP_FILES:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    assert [Path(p).relative_to(site).as_posix() for p in changed(before, scan(roots))] == [
        "content/producers/ho-mat-ong-don-nhan.md", PRODUCT, "content/products/new.md"]


def test_ignored_names_are_hidden_or_an_editors_own() -> None:
    assert all(ignored(name) for name in (".git", ".che.md.swp", "che.md~", "#che.md#",
                                          "che.md.swx", "upload.tmp", ".DS_Store"))
    assert not any(ignored(name) for name in ("che.md", "che.en.md", "#1.jpg", "site.css",
                                              "a~b.md", "communes.yaml"))


def test_a_file_replaced_with_the_same_size_and_times_has_a_new_signature(
        tmp_path: Path) -> None:
    """Saving by rename (most editors, git checkout) keeps what a size-and-mtime check
    sees; the inode and ctime still tell."""
    path, other = tmp_path / "che.md", tmp_path / "che.md.new"
    path.write_text("name: Chè A\n", encoding="utf-8")
    other.write_text("name: Chè B\n", encoding="utf-8")
    before = path.stat()
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert signature(after) != signature(before)


def test_a_link_back_up_the_tree_is_walked_once(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "products"
    folder.mkdir(parents=True)
    (folder / "che.md").write_text("x", encoding="utf-8")
    (folder / "loop").symlink_to(tmp_path / "content", target_is_directory=True)
    (tmp_path / "content" / "shared").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.jpg").write_text("x", encoding="utf-8")
    found = scan([tmp_path / "content"])
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == [
        "content", "content/products/che.md", "content/shared/a.jpg"]  # read through links
    assert files_under(tmp_path / "content") == [tmp_path / "content/products/che.md",
                                                 tmp_path / "content/shared/a.jpg"]


def test_swap_files_neither_start_a_build_nor_reach_the_site(site: Path, tmp_path: Path
                                                           ) -> None:
    """The stamp leaves them out, so the build must not depend on them: an asset named
    like one is not published, and a build after an editor wrote them is skipped."""
    (site / "assets/css").mkdir(parents=True)
    (site / "assets/css/extra.css").write_text("p { color: red }", encoding="utf-8")
    for name in SWAP_FILES[-3:]:  # assets and a hidden folder, there before a cold build
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    output = tmp_path / "out"
    builder.build(site, output, today=TODAY, search=False)
    published = set(tree_digest(output))
    assert "assets/css/extra.css" in published
    assert not {"assets/css/site.css~", "assets/.DS_Store"} & published
    for name in SWAP_FILES[:4]:
        (site / name).write_text("x", encoding="utf-8")
    again = builder.build(site, output, today=TODAY, search=False)
    assert again.skipped and set(tree_digest(output)) == published
    (site / "assets/css/extra.css").write_text("p { color: blue }", encoding="utf-8")
    assert not builder.build(site, output, today=TODAY, search=False).skipped


def test_a_rescan_of_the_heard_paths_is_the_scan_when_only_they_changed(site: Path) -> None:
    """serve's watcher names the paths it heard: looking at those alone finds what a
    full scan finds, or says it cannot (a folder came or went)."""
    roots = (site / "content", site / "site.yaml")
    before = scan(roots)
    product, new = site / PRODUCT, site / "content/products/new.md"
    gone = site / "content/producers/ho-mat-ong-don-nhan.md"
    product.write_text(product.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    new.write_text("---\n---\n", encoding="utf-8")
    gone.unlink()
    heard = [str(product), str(new), str(gone)]
    assert rescan(before, heard) == scan(roots)
    # told only some of them: the full scan differs (the session then builds again)
    assert rescan(before, heard[:1]) != scan(roots)
    # a folder made, or one removed with its files: not from the paths alone
    (site / "content/products/more").mkdir()
    assert rescan(before, [str(site / "content/products/more")]) is None
    images = site / "content/products/images"
    assert any(path.startswith(str(images) + os.sep) for path in before)
    now = scan(roots)
    for photo in sorted(images.rglob("*"), reverse=True):
        photo.unlink() if photo.is_file() else photo.rmdir()
    images.rmdir()
    assert rescan(now, [str(images)]) is None
