"""Old category ids that still work: the `aliases:` map of categories.yaml.

When the classification is corrected (Decision 148/QĐ-TTg's 26 product sets replacing an
earlier list), nothing a site wrote against the old ids may break: a product naming an old
id is filed under the new set, and `check` says which id to write instead, as a warning.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..errors import ErrorCollector
from ..text import vietnamese
from .models import Category


def read_aliases(data: Any, lines: Mapping[tuple, int], shown: str,
                 categories: Mapping[str, Category], errors: ErrorCollector) -> dict[str, str]:
    """`aliases: {old-id: new-id}` checked: each old id unused by the file, each new id a
    product set (a leaf) of the file. Bad entries are errors and left out."""
    raw = data.get("aliases") if isinstance(data, dict) else None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.add(shown, lines.get(("aliases",), 1), "aliases",
                   "expected 'aliases:' followed by 'old-id: new-id' lines",
                   "cần 'aliases:' và các dòng 'id-cũ: id-mới'")
        return {}
    aliases = {}
    for old, new in raw.items():
        line = lines.get(("aliases", str(old)), lines.get(("aliases",), 1))
        old, new = str(old), str(new)
        if old in categories:
            errors.add(shown, line, "aliases",
                       f"'{old}' is still an id of this file; an alias names a removed id",
                       f"'{old}' vẫn là id trong tệp; bí danh chỉ dành cho id đã bỏ")
        elif vietnamese.slugify(old) != old:
            errors.add(shown, line, "aliases",
                       f"an id uses only a-z, 0-9 and '-'; write '{vietnamese.slugify(old)}'",
                       f"id chỉ gồm a-z, 0-9 và '-'; hãy viết '{vietnamese.slugify(old)}'")
        elif new not in categories or categories[new].children:
            errors.add(shown, line, "aliases",
                       f"'{old}' points to '{new}', which is not a product set of this file",
                       f"'{old}' trỏ tới '{new}', không phải bộ sản phẩm trong tệp này")
        else:
            aliases[old] = new
    return aliases


def alias_messages(old: str, new: Category) -> tuple[str, str]:
    """The warning for a product naming an old id: what it is now, what to write."""
    return (f"'{old}' is now '{new.id}' ({new.code} {new.name}, the product set of the "
            f"national classification); it still works, but write 'category: {new.id}'",
            f"'{old}' nay là '{new.id}' ({new.code} {new.name}, bộ sản phẩm theo phân loại "
            f"quốc gia); vẫn dùng được, nhưng hãy ghi 'category: {new.id}'")
