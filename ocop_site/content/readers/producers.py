"""content/producers/<id>.md: who makes the products; the id is the file name."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ...errors import did_you_mean, nearest
from ..models import PRODUCER_TYPES, Producer
from ..references import References
from ..schema import PRODUCER_FIELDS, PRODUCER_TEXT_FIELDS, check_fields
from .checks import file_name_url_ok, first_per_key, image_refs
from .context import ReadContext, file_id
from .translations import read_translations


def producer_ids(paths: Iterable[Path]) -> frozenset[str]:
    """Every producer file's id, whether or not the file loads: products naming a
    producer whose own file has errors get no "unknown producer" on top."""
    return frozenset(file_id(path) for path in paths)


def read_producers(ctx: ReadContext, refs: References,
                   paths: Iterable[Path]) -> dict[str, Producer]:
    """The producers that load, by id; two files giving one id are an error ('HTX-Che.md'
    and 'htx-che.md', or one name in NFC and NFD: silently keeping the last would drop
    a producer)."""
    def same_id(producer: Producer, other: Producer) -> None:
        ctx.errors.add(producer.source, 1, "file",
                       f"'{producer.source}' and '{other.source}' both give "
                       f"the producer id '{producer.id}'; rename or merge them",
                       f"'{producer.source}' và '{other.source}' cùng mã cơ "
                       f"sở '{producer.id}'; hãy đổi tên hoặc gộp lại")

    loaded = (read_producer(ctx, refs, path) for path in paths)
    return first_per_key((p for p in loaded if p is not None), lambda p: p.id, same_id)


def read_producer(ctx: ReadContext, refs: References, path: Path) -> Producer | None:
    """One producer file checked against the communes; None if it has errors."""
    shown = ctx.shown(path)
    producer_id = file_id(path)
    doc = ctx.read_document(path)
    if doc is None:
        return None
    before = ctx.error_count()
    file_name_url_ok(ctx, shown, producer_id)
    clean = check_fields(doc, PRODUCER_FIELDS, shown, ctx.errors)
    if "type" in clean and clean["type"] not in PRODUCER_TYPES:
        en, vi = did_you_mean(nearest(clean["type"], PRODUCER_TYPES))
        ctx.errors.add(shown, doc.line_of("type"), "type",
                       f"unknown type '{clean['type']}'{en} (one of: "
                       f"{', '.join(PRODUCER_TYPES)})",
                       f"loại '{clean['type']}' không hợp lệ{vi} (chọn một trong: "
                       f"{', '.join(PRODUCER_TYPES)})")
    commune = None
    if "commune" in clean:
        commune = refs.commune(ctx.errors, shown, doc.line_of("commune"), clean["commune"])
    image = None
    if clean.get("image"):
        found = image_refs(ctx, doc, clean["image"], path.parent, shown, "image",
                           clean.get("name", ""))
        image = found[0] if found else None
    if ctx.error_count() > before:
        return None
    translations = read_translations(ctx, path, PRODUCER_TEXT_FIELDS, PRODUCER_FIELDS)
    if ctx.error_count() > before:
        return None
    return Producer(
        id=producer_id, name=clean["name"], type=clean["type"], commune=commune or "",
        phone=clean["phone"], address=clean["address"], website=clean.get("website", ""),
        image=image, body_html=ctx.body_html(doc), source=shown, translations=translations,
        zalo=clean.get("zalo", ""))
