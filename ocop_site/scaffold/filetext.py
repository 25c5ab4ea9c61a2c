"""Answers → the content file `new` (and `import`) writes: front-matter in the schema's
order, values as YAML the loader reads back exactly, a body placeholder; and the file read
back as the loader reads it."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Mapping

from ..content.schema import check_fields
from ..errors import ContentError, ErrorCollector
from ..text import vietnamese
from ..text.frontmatter import FrontMatterError, parse_document, parse_yaml
from .known import FOLDERS, SCHEMAS


def slug_of(kind: str, answers: Mapping[str, Any]) -> str:
    return answers.get("slug") or vietnamese.slugify(
        answers.get("name") or answers.get("title", ""))


def target_path(kind: str, answers: Mapping[str, Any]) -> str:
    """Where the file goes, relative to the site folder."""
    return f"content/{FOLDERS[kind]}/{slug_of(kind, answers)}.md"


def yaml_scalar(value: Any, quote: bool = False) -> str:
    """One value as YAML the loader reads back exactly: plain when that round-trips,
    double-quoted otherwise (a JSON string is a valid YAML double-quoted scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    plain = str(value)
    if not quote and plain == plain.strip() and "\n" not in plain:
        try:
            data, _ = parse_yaml(f"k: {plain}")
        except FrontMatterError:
            data = None
        if data == {"k": plain}:
            return plain
    return json.dumps(plain, ensure_ascii=False)


_BODY_PLACEHOLDER = {
    "product": "<!-- Viết mô tả sản phẩm ở đây: nguồn gốc, đặc điểm, cách dùng, bảo quản. "
               "Dòng này không hiện trên trang. / Describe the product here; this line is "
               "not shown. -->",
    "producer": "<!-- Giới thiệu cơ sở ở đây. Dòng này không hiện trên trang. / Introduce "
                "the producer here; this line is not shown. -->",
    "event": "<!-- Mô tả sự kiện ở đây. Dòng này không hiện trên trang. / Describe the "
             "event here; this line is not shown. -->",
    "shop": "<!-- Giới thiệu cửa hàng ở đây. Dòng này không hiện trên trang. / Describe "
            "the shop here; this line is not shown. -->",
}


def render_file(kind: str, answers: Mapping[str, Any]) -> str:
    """The content file for `answers`: front-matter in the schema's order, then the body."""
    lines = ["---"]
    for spec in SCHEMAS[kind]:
        if spec.children:
            children = [(c, answers[f"{spec.name}.{c.name}"]) for c in spec.children
                        if f"{spec.name}.{c.name}" in answers]
            if children:
                lines.append(f"{spec.name}:")
                lines += [f"  {c.name}: {yaml_scalar(v)}" for c, v in children]
            continue
        if spec.name not in answers:
            continue
        value = answers[spec.name]
        if spec.name == "slug" and kind == "product" and \
                value == vietnamese.slugify(answers.get("name", "")):
            continue  # the default: the file name says it already
        if isinstance(value, list):
            lines.append(f"{spec.name}:")
            lines += [f"  - {yaml_scalar(item)}" for item in value]
        else:
            quote = spec.name in ("phone", "zalo")  # "0900000101" stays text
            lines.append(f"{spec.name}: {yaml_scalar(value, quote=quote)}")
    lines.append("---")
    body = answers.get("body") or _BODY_PLACEHOLDER[kind]
    return "\n".join(lines) + "\n" + body.strip() + "\n"


def errors_in(kind: str, shown: str, written: str) -> list[ContentError]:
    """The written file read back as the loader reads it (front-matter, field names and
    types): a cheap safety net, since every reference was checked as it was answered.
    Reading the whole site again would double `new`'s time on a large catalogue."""
    errors = ErrorCollector()
    try:
        document = parse_document(written.encode("utf-8"))
    except FrontMatterError as exc:
        return [exc.to_error(shown)]
    check_fields(document, SCHEMAS[kind], shown, errors)
    return errors.errors
