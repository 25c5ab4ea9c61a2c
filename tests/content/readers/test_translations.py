"""<name>.<lang>.md: only text fields, beside an item, in a language of the site."""
from __future__ import annotations

from pathlib import Path

from ocop_site.content.readers.translations import check_translation_files, read_translations
from ocop_site.content.schema import PRODUCT_FIELDS, PRODUCT_TEXT_FIELDS

from . import context, lines, write


def test_a_translation_holds_its_text_and_a_summary_from_its_body(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    base = write(tmp_path / "content/products/che.md", "---\nname: Chè\n---\n")
    write(tmp_path / "content/products/che.en.md", "---\nname: Tea\n---\nGreen tea.\n")
    [english] = read_translations(ctx, base, PRODUCT_TEXT_FIELDS, PRODUCT_FIELDS)
    assert lines(ctx) == []
    assert (english.lang, english.get("name"), english.get("summary"), english.source) == (
        "en", "Tea", "Green tea.", "content/products/che.en.md")


def test_a_body_only_translation_is_fine(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    base = write(tmp_path / "content/products/che.md", "---\nname: Chè\n---\n")
    write(tmp_path / "content/products/che.en.md", "---\n---\nGreen tea.\n")
    [english] = read_translations(ctx, base, PRODUCT_TEXT_FIELDS, PRODUCT_FIELDS)
    assert english.body_html == "<p>Green tea.</p>" and lines(ctx) == []


def test_a_field_shared_by_every_language_is_refused(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    base = write(tmp_path / "content/products/che.md", "---\nname: Chè\n---\n")
    write(tmp_path / "content/products/che.en.md", "---\nname: Tea\nstars: 5\n---\n")
    assert read_translations(ctx, base, PRODUCT_TEXT_FIELDS, PRODUCT_FIELDS) == ()
    assert lines(ctx) == [
        "content/products/che.en.md:3: stars: 'stars' is the same in every language: write "
        "it only in content/products/che.md (a translation holds name, summary, unit and "
        "the description) / 'stars' giống nhau ở mọi ngôn ngữ: chỉ ghi trong "
        "content/products/che.md (bản dịch chỉ gồm name, summary, unit và phần giới thiệu)"]


def test_stray_translation_files_are_reported(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    write(tmp_path / "content/products/che.md", "---\nname: Chè\n---\n")
    write(tmp_path / "content/products/che.fr.md", "Thé.\n")
    write(tmp_path / "content/events/cho.en.md", "Market.\n")
    check_translation_files(ctx)
    assert [line.split(" / ")[0] for line in lines(ctx)] == [
        "content/products/che.fr.md: file: 'fr' is not one of the site's other languages "
        "(en); add it to 'languages:' in site.yaml or rename the file",
        "content/events/cho.en.md: file: a translation of content/events/cho.md, which "
        "does not exist; rename it to match its Vietnamese file"]
