"""The checks several readers share: a URL of its own, photos inside content/."""
from __future__ import annotations

from pathlib import Path

from ocop_site.text.frontmatter import Document
from ocop_site.content.readers.checks import (file_name_url_ok, first_per_key, image_refs,
    url_part_ok)
from ocop_site.content.safepath import MAX_IMAGE_BYTES

from . import context, lines, write


def doc(data: dict, key_lines: dict | None = None) -> Document:
    return Document(data, key_lines if key_lines is not None else
                    {(key,): number for number, key in enumerate(data, start=2)})


def test_a_written_slug_must_already_be_a_slug(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    written = doc({"name": "Chè", "slug": "Chè Xanh"})
    assert not url_part_ok(ctx, "p.md", written, "Chè Xanh", "Chè Xanh", 1)
    assert lines(ctx) == ["p.md:3: slug: a slug uses only a-z, 0-9 and '-'; write "
                          "'che-xanh' / slug chỉ gồm a-z, 0-9 và '-'; hãy viết 'che-xanh'"]


def test_a_name_without_letters_needs_a_slug(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert not url_part_ok(ctx, "p.md", doc({"name": "!!!"}), None, "", 1)
    # an item without key lines (a commune written inline) is reported at its own line
    assert not url_part_ok(ctx, "c.yaml", doc({"name": "!!!"}, {}), None, "", 7)
    assert lines(ctx) == [
        "p.md:2: name: the name gives an empty URL; add 'slug:' / tên không tạo được "
        "địa chỉ; hãy thêm 'slug:'",
        "c.yaml:7: name: the name gives an empty URL; add 'slug:' / tên không tạo được "
        "địa chỉ; hãy thêm 'slug:'"]


def test_a_good_slug_passes_silently(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert url_part_ok(ctx, "p.md", doc({"name": "Chè"}), None, "che", 1)
    assert url_part_ok(ctx, "p.md", doc({"slug": "che-1"}), "che-1", "che-1", 1)
    assert file_name_url_ok(ctx, "p.md", "htx")
    assert lines(ctx) == []


def test_a_file_name_without_letters_is_refused(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert not file_name_url_ok(ctx, "content/producers/---.md", "")
    assert lines(ctx) == ["content/producers/---.md:1: file: the file name gives an empty "
                          "URL; rename the file using a-z, 0-9 and '-' / tên tệp không tạo "
                          "được địa chỉ; hãy đặt lại tên tệp bằng a-z, 0-9 và '-'"]


def test_photos_by_name_or_with_alt_text(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    folder = tmp_path / "content/products"
    write(folder / "images/a.jpg", "jpeg")
    write(folder / "images/b.jpg", "jpeg")
    value = ["images/a.jpg", {"src": "images/b.jpg", "alt": " Búp chè "}]
    refs = image_refs(ctx, doc({"images": value}), value, folder, "p.md", "images", "Chè")
    assert [(r.source.name, r.alt, r.origin) for r in refs] == [
        ("a.jpg", "Chè", "p.md"), ("b.jpg", "Búp chè", "p.md")]
    assert lines(ctx) == []


def test_bad_photos_are_each_reported_and_left_out(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    folder = tmp_path / "content/products"
    write(folder / "ok.jpg", "jpeg")
    with open(folder / "huge.jpg", "wb") as handle:
        handle.truncate(MAX_IMAGE_BYTES + 1)
    value = [{"src": "ok.jpg", "title": "x"}, 5, "../../site.yaml", "huge.jpg", "ok.jpg"]
    key_lines = {("images",): 2, **{("images", str(i)): 3 + i for i in range(5)}}
    refs = image_refs(ctx, doc({"images": value}, key_lines), value, folder, "p.md",
                      "images", "Chè")
    assert [r.source.name for r in refs] == ["ok.jpg"]
    reported = lines(ctx)
    assert [line.split(": ")[0] for line in reported] == ["p.md:3", "p.md:4", "p.md:5",
                                                          "p.md:6"]
    assert reported[0].startswith("p.md:3: images: each image is a file name, or 'src:'")
    assert reported[1].startswith("p.md:4: images: an image must be a file name, got 5")
    assert reported[3].startswith(f"p.md:6: images: 'huge.jpg' is {MAX_IMAGE_BYTES + 1:,} "
                                  "bytes")


def test_first_per_key_keeps_the_first_and_reports_each_later_one() -> None:
    reported = []
    kept = first_per_key(["a1", "b1", "a2", "a3"], lambda item: item[0],
                         lambda later, first: reported.append((later, first)))
    assert kept == {"a": "a1", "b": "b1"}
    assert reported == [("a2", "a1"), ("a3", "a1")]


def test_a_photo_may_not_be_a_hidden_or_temporary_file(tmp_path: Path) -> None:
    """Builds do not watch such files (base/inputs.py), so a site must not depend on one."""
    ctx = context(tmp_path)
    folder = tmp_path / "content/products"
    for name in (".an.jpg", "images/.thumbs/a.jpg", "a.jpg~", "a.jpg", "images/b.jpg"):
        write(folder / name, "jpeg")
    value = [".an.jpg", "images/.thumbs/a.jpg", "a.jpg~", "./a.jpg", "../products/images/b.jpg"]
    key_lines = {("images",): 2, **{("images", str(i)): 3 + i for i in range(5)}}
    refs = image_refs(ctx, doc({"images": value}, key_lines), value, folder, "p.md",
                      "images", "Chè")
    assert [r.source.name for r in refs] == ["a.jpg", "b.jpg"]
    reported = lines(ctx)
    assert [line.split(": ")[0] for line in reported] == ["p.md:3", "p.md:4", "p.md:5"]
    assert reported[0] == (
        "p.md:3: images: '.an.jpg' is a hidden file or folder, or named like an editor's "
        "temporary file (starting with '.', ending in '~', '.swp' or '.tmp'); rename the "
        "photo, e.g. to a name made of a-z, 0-9 and '-' / '.an.jpg' là tệp hoặc thư mục "
        "ẩn, hoặc có tên giống tệp tạm của trình soạn thảo (bắt đầu bằng '.', kết thúc "
        "bằng '~', '.swp' hay '.tmp'); hãy đổi tên ảnh, ví dụ chỉ dùng a-z, 0-9 và '-'")
