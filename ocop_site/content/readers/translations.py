"""`<name>.<lang>.md` beside `<name>.md`: an item's text in another language of the site.

A translation holds only the fields that differ by language (schema's *_TEXT_FIELDS)
and the body; everything else is written once, in the Vietnamese file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ...text.frontmatter import Document, decode, parse_yaml, split
from ...text.markdown import first_paragraph_text
from ..models import Translation
from ..safepath import read_bounded
from ..schema import Field, check_fields
from .context import ReadContext, translation_lang

FOLDERS = ("products", "producers", "events", "shops")


def read_translations(ctx: ReadContext, path: Path, fields: tuple[Field, ...],
                      base_fields: tuple[Field, ...]) -> tuple[Translation, ...]:
    """The sibling translation files of the content file `path`, validated."""
    found = []
    for lang in ctx.languages[1:]:
        sibling = path.with_name(f"{path.stem}.{lang}.md")
        if ctx.readable(sibling):
            translation = read_translation(ctx, sibling, lang, fields, base_fields,
                                           ctx.shown(path))
            if translation is not None:
                found.append(translation)
    return tuple(found)


def read_translation(ctx: ReadContext, path: Path, lang: str, fields: tuple[Field, ...],
                     base_fields: tuple[Field, ...], base: str) -> Translation | None:
    """One translation file of the item `base` (as shown); None if it has errors."""
    shown = ctx.shown(path)

    def read() -> tuple[tuple[Any, dict], int, str]:
        yaml_text, yaml_line, body, _ = split(decode(read_bounded(path, ctx.root)))
        return parse_yaml(yaml_text, yaml_line), yaml_line, body

    # like ReadContext.read_document, but the front-matter may be empty (a body only)
    parsed = ctx.reported(shown, read)
    if parsed is None:
        return None
    (data, lines), yaml_line, body = parsed
    if data is None:
        data = {}
    if not isinstance(data, dict):
        ctx.errors.add(shown, yaml_line, "front-matter",
                       "the front-matter must be a list of 'field: value' lines",
                       "phần thông tin đầu tệp phải là các dòng 'trường: giá trị'")
        return None
    doc = Document(data, lines, body)
    before = ctx.error_count()
    own = tuple(f.name for f in fields)  # in schema order: the message is the same each run
    shared = {f.name for f in base_fields} - set(own)
    _refuse_shared_fields(ctx, shown, doc, shared, own, base)
    texts = {k: v for k, v in data.items() if k not in shared}
    clean = check_fields(doc, fields, shown, ctx.errors, texts)
    if ctx.error_count() > before:
        return None
    body_html = ctx.markdown.render(body) if body.strip() else ""
    if "summary" in own and not clean.get("summary") and body_html:
        clean["summary"] = first_paragraph_text(body_html)
    return Translation(lang, tuple((k, v) for k, v in clean.items() if v), body_html,
                       shown)


def _refuse_shared_fields(ctx: ReadContext, shown: str, doc: Document, shared: set[str],
                          own: tuple[str, ...], base: str) -> None:
    for key in doc.data:
        if key in shared:
            ctx.errors.add(shown, doc.line_of(key), key,
                           f"'{key}' is the same in every language: write it only in "
                           f"{base} (a translation holds {', '.join(own)} and the "
                           "description)",
                           f"'{key}' giống nhau ở mọi ngôn ngữ: chỉ ghi trong {base} "
                           f"(bản dịch chỉ gồm {', '.join(own)} và phần giới thiệu)")


def check_translation_files(ctx: ReadContext) -> None:
    """A translation needs its Vietnamese file beside it and a language of the site."""
    others = ctx.languages[1:]
    for folder in FOLDERS:
        directory = ctx.content / folder
        for name in ctx.markdown_names(directory):
            path = directory / name
            lang = translation_lang(path)
            if lang is None:
                continue
            shown = ctx.shown(path)
            base = path.with_name(path.stem.rsplit(".", 1)[0] + ".md")
            if lang not in others:
                listed = ", ".join(others) or "-"
                ctx.errors.add(shown, 0, "file",
                               f"'{lang}' is not one of the site's other languages "
                               f"({listed}); add it to 'languages:' in site.yaml or "
                               "rename the file",
                               f"'{lang}' không nằm trong các ngôn ngữ khác của trang "
                               f"({listed}); hãy thêm vào 'languages:' trong site.yaml "
                               "hoặc đổi tên tệp")
            elif not base.is_file():
                ctx.errors.add(shown, 0, "file",
                               f"a translation of {ctx.shown(base)}, which does not "
                               "exist; rename it to match its Vietnamese file",
                               f"bản dịch của {ctx.shown(base)}, nhưng tệp đó không "
                               "có; hãy đặt tên giống tệp tiếng Việt")
