"""ReadContext: paths as shown, which files are items, data files and documents read
with their errors reported (through the content cache or not, the same)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from ocop_site.content.cache import ContentCache
from ocop_site.content.readers.context import ReadContext, file_id, translation_lang

from . import context, lines, write


def test_paths_are_shown_relative_to_the_site_with_slashes(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert ctx.shown(tmp_path / "content/products/a.md") == "content/products/a.md"
    outside = tmp_path.parent / "elsewhere.md"
    assert ctx.shown(outside) == outside.as_posix()


def test_items_are_the_visible_markdown_files_that_are_not_translations(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    for name in ("b.md", "a.md", "a.en.md", ".hidden.md", "notes.txt", "v1.2.md"):
        write(tmp_path / "content/products" / name, "x")
    assert [p.name for p in ctx.markdown_files("products")] == ["a.md", "b.md", "v1.2.md"]
    assert ctx.markdown_files("events") == []  # no folder: no items, no error
    assert lines(ctx) == []


def test_translation_language_and_file_id(tmp_path: Path) -> None:
    assert translation_lang(Path("che-xanh.en.md")) == "en"
    assert translation_lang(Path("che-xanh.md")) is None
    assert translation_lang(Path("v1.2.md")) is None
    nfd = unicodedata.normalize("NFD", "HTX Chè Đồng Thịnh.md")
    assert file_id(Path(nfd)) == file_id(Path("htx-che-dong-thinh.md")) == "htx-che-dong-thinh"


def test_a_missing_data_file_is_one_error(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    assert ctx.read_data("communes.yaml") is None
    assert lines(ctx) == ["content/data/communes.yaml: file: data file "
                          "content/data/communes.yaml is missing / thiếu tệp dữ liệu "
                          "content/data/communes.yaml"]


def test_a_data_file_gives_its_values_and_key_lines(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/communes.yaml", "communes:\n  - name: Sông Lô\n")
    data, key_lines, shown = ctx.read_data("communes.yaml")
    assert data == {"communes": [{"name": "Sông Lô"}]}
    assert key_lines[("communes", "0", "name")] == 2
    assert shown == "content/data/communes.yaml"


def test_a_data_file_that_is_not_yaml_is_reported_at_its_line(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/data/communes.yaml", "communes:\n  - name: [Sông Lô\n")
    assert ctx.read_data("communes.yaml") is None
    [line] = lines(ctx)
    assert line.startswith("content/data/communes.yaml:")


def test_documents_read_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "content/products/a.md", "---\nname: Chè\n---\nChè *xanh*.\n")
    plain = context(tmp_path)
    cached = ReadContext(plain.root, plain.content, plain.languages, plain.today,
                         plain.errors, ContentCache(None))
    for ctx in (plain, cached):
        doc = ctx.read_document(path)
        assert doc.data == {"name": "Chè"} and doc.line_of("name") == 2
        assert ctx.body_html(doc) == "<p>Chè <em>xanh</em>.</p>"
    assert lines(plain) == []


def test_a_document_that_cannot_be_read_is_reported_once(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    path = tmp_path / "content/products/a.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"---\nname: Ch\xe8\n---\n")  # "Chè" saved as Windows-1258
    assert ctx.read_document(path) is None
    [line] = lines(ctx)
    assert line.startswith("content/products/a.md:2: encoding: file is not UTF-8")
