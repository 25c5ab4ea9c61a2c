"""Every file the build reads stays inside the site folder and within its size limit; names
match whatever Unicode form the disk uses. Real files, real symlinks, real loads."""
from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.content.safepath import (MAX_IMAGE_BYTES, MAX_TEXT_BYTES, UnsafePath,
    read_bounded, resolve_inside)
from ocop_site.errors import ContentErrors

from ..conftest import TODAY

NFC = "ảnh-chè"  # precomposed: 7 code points
NFD = unicodedata.normalize("NFD", NFC)  # decomposed: 10 code points


def errors_of(site: Path) -> list[str]:
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    return [e.format() for e in info.value.errors]


def add_images(site: Path, *refs: str, product: str = "che-xanh-dong-thinh.md") -> Path:
    """Point the product's images at `refs` (as written in front-matter)."""
    path = site / "content/products" / product
    text = path.read_text()
    old = "images:\n  - src: images/che.jpg\n    alt: Búp chè xanh\n"
    assert old in text
    path.write_text(text.replace(old, "images:\n" + "".join(f"  - {r}\n" for r in refs)))
    return path


# -- resolve_inside: paths written in front-matter ---------------------------------------

@pytest.fixture
def tree(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "products/images").mkdir(parents=True)
    (content / "products/images/che.jpg").write_bytes(b"jpeg")
    (tmp_path / "secret.txt").write_text("outside content")
    return content


@pytest.mark.parametrize("written", [
    "../../secret.txt", "images/../../../secret.txt", "..\\..\\secret.txt",
    "../" * 30 + "etc/passwd",
])
def test_paths_climbing_out_are_refused(tree: Path, written: str) -> None:
    with pytest.raises(UnsafePath, match="outside the content folder"):
        resolve_inside(tree, tree / "products", written)


@pytest.mark.parametrize("written", [
    "/etc/passwd", "\\\\server\\share\\a.jpg", "C:\\photos\\a.jpg", "c:a.jpg",
    "https://example.org/a.jpg", "file:///etc/passwd",
])
def test_absolute_paths_and_addresses_are_refused(tree: Path, written: str) -> None:
    with pytest.raises(UnsafePath, match="absolute path or a web address"):
        resolve_inside(tree, tree / "products", written)


@pytest.mark.parametrize("written", ["", " images/che.jpg", "images/che.jpg\n"])
def test_empty_or_padded_paths_are_refused(tree: Path, written: str) -> None:
    with pytest.raises(UnsafePath, match="empty or has spaces"):
        resolve_inside(tree, tree / "products", written)


@pytest.mark.parametrize("written", ["images/che\x00.jpg", "images/" + "a" * 5000 + ".jpg",
                                     "images", "images/missing.jpg", "images/che.jpg/x"])
def test_odd_names_are_not_found_never_a_crash(tree: Path, written: str) -> None:
    with pytest.raises(UnsafePath, match="not found"):
        resolve_inside(tree, tree / "products", written)


def test_a_symlink_out_of_the_content_folder_is_refused(tree: Path) -> None:
    (tree / "products/images/passwd.jpg").symlink_to("/etc/passwd")
    with pytest.raises(UnsafePath, match="outside the content folder"):
        resolve_inside(tree, tree / "products", "images/passwd.jpg")


def test_a_symlinked_folder_out_of_the_content_folder_is_refused(tree: Path) -> None:
    (tree / "products/etc").symlink_to("/etc")
    with pytest.raises(UnsafePath, match="outside the content folder"):
        resolve_inside(tree, tree / "products", "etc/passwd")


def test_a_symlink_inside_the_content_folder_is_followed(tree: Path) -> None:
    (tree / "products/images/alias.jpg").symlink_to("che.jpg")
    resolved = resolve_inside(tree, tree / "products", "images/alias.jpg")
    assert resolved == (tree / "products/images/che.jpg").resolve()


def test_dotted_paths_that_stay_inside_are_fine(tree: Path) -> None:
    resolved = resolve_inside(tree, tree / "products", "./images/../images/che.jpg")
    assert resolved == (tree / "products/images/che.jpg").resolve()


@pytest.mark.parametrize("on_disk,written", [(NFD, NFC), (NFC, NFD), (NFC, NFC), (NFD, NFD)])
def test_names_match_in_either_unicode_form(tree: Path, on_disk: str, written: str) -> None:
    folder = tree / "products" / on_disk
    folder.mkdir()
    (folder / f"{on_disk}.jpg").write_bytes(b"jpeg")
    resolved = resolve_inside(tree, tree / "products", f"{written}/{written}.jpg")
    assert resolved == (folder / f"{on_disk}.jpg").resolve()


def test_an_exact_name_wins_over_its_other_form(tree: Path) -> None:
    (tree / f"products/images/{NFC}.jpg").write_bytes(b"nfc")
    (tree / f"products/images/{NFD}.jpg").write_bytes(b"nfd")
    for written, data in ((NFC, b"nfc"), (NFD, b"nfd")):
        assert resolve_inside(tree, tree / "products", f"images/{written}.jpg").read_bytes() == data


# -- read_bounded: the content files themselves ----------------------------------------

def test_reading_a_link_to_outside_the_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.md").symlink_to("/etc/passwd")
    with pytest.raises(UnsafePath, match="outside the site folder"):
        read_bounded(tmp_path / "evil.md", tmp_path)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(UnsafePath) as info:
        read_bounded(big, tmp_path)
    assert info.value.en == f"file is {MAX_TEXT_BYTES + 1:,} bytes; the limit is {MAX_TEXT_BYTES:,}"
    big.write_bytes(b"x" * MAX_TEXT_BYTES)
    assert len(read_bounded(big, tmp_path)) == MAX_TEXT_BYTES


@pytest.mark.parametrize("make", ["folder", "dangling", "loop", "fifo"])
def test_things_that_are_not_files_are_refused_not_crashes_or_hangs(tmp_path: Path,
                                                                     make: str) -> None:
    target = tmp_path / "x.md"
    if make == "folder":
        target.mkdir()
    elif make == "dangling":
        target.symlink_to(tmp_path / "nowhere.md")
    elif make == "loop":
        target.symlink_to(tmp_path / "y.md")
        (tmp_path / "y.md").symlink_to(target)
    else:
        os.mkfifo(target)  # opening it for reading would block forever
    with pytest.raises(UnsafePath):
        read_bounded(target, tmp_path)


# -- through the loader: what a contributor's pull request can contain ------------------

def test_a_product_file_linking_to_etc_passwd_is_refused(site: Path) -> None:
    (site / "content/products/passwd.md").symlink_to("/etc/passwd")
    assert errors_of(site) == [
        "content/products/passwd.md: file: this file is a link to somewhere outside the site "
        "folder / tệp này là liên kết tới nơi nằm ngoài thư mục trang"]


def test_a_data_file_linking_out_is_refused(site: Path) -> None:
    communes = site / "content/data/communes.yaml"
    shutil.copy(communes, site.parent / "communes.yaml")
    communes.unlink()
    communes.symlink_to(site.parent / "communes.yaml")
    assert any(e.startswith("content/data/communes.yaml: file: this file is a link to "
                            "somewhere outside") for e in errors_of(site))


def test_a_folder_named_like_a_product_is_an_error_not_a_crash(site: Path) -> None:
    (site / "content/products/folder.md").mkdir()
    assert errors_of(site) == [
        "content/products/folder.md: file: this is not a regular file (a folder, or a link to "
        "one?) / đây không phải tệp thường (thư mục, hoặc liên kết tới thư mục?)"]


def test_an_image_linking_out_is_refused_with_its_line(site: Path) -> None:
    (site / "content/products/images/passwd.jpg").symlink_to("/etc/passwd")
    add_images(site, "images/passwd.jpg")
    assert errors_of(site) == [
        "content/products/che-xanh-dong-thinh.md:14: images: 'images/passwd.jpg' points "
        "outside the content folder; keep photos next to the product files (e.g. "
        "images/photo.jpg) / 'images/passwd.jpg' trỏ ra ngoài thư mục content; hãy để ảnh "
        "cạnh tệp sản phẩm (ví dụ images/anh.jpg)"]


def test_an_image_path_climbing_out_is_refused(site: Path) -> None:
    add_images(site, "../../site.yaml")
    [error] = errors_of(site)
    assert error.startswith("content/products/che-xanh-dong-thinh.md:14: images: "
                            "'../../site.yaml' points outside the content folder")


def test_an_image_over_the_limit_is_refused(site: Path) -> None:
    with open(site / "content/products/images/huge.jpg", "wb") as handle:
        handle.truncate(MAX_IMAGE_BYTES + 1)
    add_images(site, "images/huge.jpg")
    [error] = errors_of(site)
    assert error.startswith(
        f"content/products/che-xanh-dong-thinh.md:14: images: 'images/huge.jpg' is "
        f"{MAX_IMAGE_BYTES + 1:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")


def test_a_product_file_over_the_limit_is_refused(site: Path) -> None:
    path = site / "content/products/che-xanh-dong-thinh.md"
    path.write_text(path.read_text() + "x" * MAX_TEXT_BYTES)
    [error] = errors_of(site)
    assert error.startswith("content/products/che-xanh-dong-thinh.md: file: file is ")


@pytest.mark.parametrize("file_form,ref_form", [(NFD, NFC), (NFC, NFD)])
def test_vietnamese_file_names_in_nfc_or_nfd_both_work(site: Path, file_form: str,
                                                       ref_form: str) -> None:
    """A product file and its photo named in one form, referred to in the other."""
    products = site / "content/products"
    (products / "images/che.jpg").rename(products / f"images/{file_form}.jpg")
    add_images(site, f"src: images/{ref_form}.jpg")
    (products / "che-xanh-dong-thinh.md").rename(products / f"{file_form}.md")
    config, catalogue, _ = builder.load(site, today=TODAY)
    [che] = [p for p in catalogue.products if p.slug == "che-xanh-dong-thinh"]
    assert che.source == f"content/products/{file_form}.md"
    assert [ref.source.name for ref in che.images] == [f"{file_form}.jpg"]
    builder.check(site, today=TODAY)  # the photo is read and processed too


def test_producer_files_differing_only_in_unicode_form_are_an_error(site: Path) -> None:
    producers = site / "content/producers"
    original = (producers / "htx-che-dong-thinh.md").read_text()
    (producers / "htx-che-dong-thinh.md").unlink()
    (producers / f"{NFC}.md").write_text(original)
    (producers / f"{NFD}.md").write_text(original.replace("Hợp tác xã", "HTX"))
    for product in (site / "content/products").glob("*.md"):
        product.write_text(product.read_text().replace("producer: htx-che-dong-thinh",
                                                       "producer: anh-che"))
    [error] = errors_of(site)
    first, second = sorted([f"content/producers/{NFC}.md", f"content/producers/{NFD}.md"])
    assert error.startswith(f"{second}:1: file: '{second}' and '{first}' both give the "
                            "producer id 'anh-che'; rename or merge them")
