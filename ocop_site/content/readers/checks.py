"""Checks more than one kind of file needs: that a name or a file name makes a URL of
its own, and that the photos it names are files inside content/ of a bounded size."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from ...base.inputs import ignored
from ...text import vietnamese
from ...text.frontmatter import Document
from ..models import ImageRef
from ..safepath import MAX_IMAGE_BYTES, UnsafePath, resolve_inside
from .context import ReadContext

T = TypeVar("T")


def url_part_ok(ctx: ReadContext, shown: str, doc: Document, written: str | None,
                slug: str, line: int) -> bool:
    """A slug written by hand, or made from a name, must make a URL of its own: an
    empty one would put a commune's page over the list of communes (xa//index.html
    is xa/index.html), and '../x' over another page. `line` is where the item starts,
    for a document without key lines."""
    if written and vietnamese.slugify(written) != written:
        ctx.errors.add(shown, doc.line_of("slug"), "slug",
                       f"a slug uses only a-z, 0-9 and '-'; write "
                       f"'{vietnamese.slugify(written)}'",
                       f"slug chỉ gồm a-z, 0-9 và '-'; hãy viết "
                       f"'{vietnamese.slugify(written)}'")
        return False
    if not slug:
        ctx.errors.add(shown, doc.line_of("name") if doc.lines else line, "name",
                       "the name gives an empty URL; add 'slug:'",
                       "tên không tạo được địa chỉ; hãy thêm 'slug:'")
        return False
    return True


def first_per_key(items: Iterable[T], key: Callable[[T], str],
                  report: Callable[[T, T], None]) -> dict[str, T]:
    """The items by key, in order, each key's first kept; `report(later, first)` is
    called for every later one (two files that would give one URL or one id)."""
    kept: dict[str, T] = {}
    for item in items:
        first = kept.get(key(item))
        if first is None:
            kept[key(item)] = item
        else:
            report(item, first)
    return kept


def file_name_url_ok(ctx: ReadContext, shown: str, slug: str) -> bool:
    """An id taken from the file name must not be empty: co-so//index.html would
    replace the list of producers."""
    if slug:
        return True
    ctx.errors.add(shown, 1, "file", "the file name gives an empty URL; rename the file "
                   "using a-z, 0-9 and '-'",
                   "tên tệp không tạo được địa chỉ; hãy đặt lại tên tệp bằng a-z, 0-9 "
                   "và '-'")
    return False


def image_refs(ctx: ReadContext, doc: Document, value: Any, base: Path, shown: str,
               field: str, default_alt: str) -> tuple[ImageRef, ...]:
    """The photos `field` names (one file name, or a list of names or src/alt pairs),
    relative to `base`; each bad one is reported and left out."""
    items = value if isinstance(value, list) else [value]
    refs = []
    for index, item in enumerate(items):
        line = doc.line_of(field, str(index)) if isinstance(value, list) else doc.line_of(field)
        alt = default_alt
        if isinstance(item, dict):
            unknown = set(item) - {"src", "alt"}
            if unknown or not isinstance(item.get("src"), str):
                ctx.errors.add(shown, line, field,
                               "each image is a file name, or 'src:' with an optional "
                               "'alt:'",
                               "mỗi ảnh là một tên tệp, hoặc 'src:' kèm 'alt:' (tùy chọn)")
                continue
            if isinstance(item.get("alt"), str) and item["alt"].strip():
                alt = item["alt"].strip()
            item = item["src"]
        source = _image_file(ctx, shown, line, field, base, item)
        if source is not None:
            refs.append(ImageRef(source, alt, shown, line))
    return tuple(refs)


def _image_file(ctx: ReadContext, shown: str, line: int, field: str, base: Path,
                item: Any) -> Path | None:
    """The photo file `item` names, if it is a name of a file inside content/ that is
    not too large (else None, reported)."""
    if not isinstance(item, str):
        ctx.errors.add(shown, line, field,
                       f"an image must be a file name, got {item!r}",
                       f"ảnh phải là tên tệp, đang ghi {item!r}")
        return None
    try:
        source = resolve_inside(ctx.content, base, item)
    except UnsafePath as exc:
        ctx.errors.add(shown, line, field, exc.en, exc.vi)
        return None
    if any(ignored(part) for part in Path(item).parts if part not in (".", "..")):
        # builds do not look at such files to see whether anything changed (base/inputs.py)
        ctx.errors.add(shown, line, field,
                       f"'{item}' is a hidden file or folder, or named like an editor's "
                       "temporary file (starting with '.', ending in '~', '.swp' or "
                       "'.tmp'); rename the photo, e.g. to a name made of a-z, 0-9 and '-'",
                       f"'{item}' là tệp hoặc thư mục ẩn, hoặc có tên giống tệp tạm của "
                       "trình soạn thảo (bắt đầu bằng '.', kết thúc bằng '~', '.swp' hay "
                       "'.tmp'); hãy đổi tên ảnh, ví dụ chỉ dùng a-z, 0-9 và '-'")
        return None
    size = source.stat().st_size
    if size > MAX_IMAGE_BYTES:
        ctx.errors.add(shown, line, field,
                       f"'{item}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,} "
                       "(send a smaller photo)",
                       f"'{item}' nặng {size:,} byte; giới hạn là {MAX_IMAGE_BYTES:,} "
                       "(hãy gửi ảnh nhỏ hơn)")
        return None
    return source
