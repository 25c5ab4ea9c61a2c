"""content/events/<slug>.md: fairs and markets, each naming the products shown there."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..models import Event
from ..schema import EVENT_FIELDS, EVENT_TEXT_FIELDS, check_fields
from .checks import file_name_url_ok, first_per_key
from .context import ReadContext, file_id
from .named import ProductNames, named_products
from .translations import read_translations


def read_events(ctx: ReadContext, known: ProductNames,
                paths: Iterable[Path]) -> tuple[Event, ...]:
    """The events that load, in file order; two giving one URL are an error."""
    def same_url(event: Event, other: Event) -> None:
        ctx.errors.add(event.source, 1, "file",
                       f"'{event.source}' and '{other.source}' both map to the URL "
                       f"su-kien/{event.slug}/; rename one of the files",
                       f"'{event.source}' và '{other.source}' cùng địa chỉ "
                       f"su-kien/{event.slug}/; hãy đổi tên một tệp")

    loaded = (read_event(ctx, known, path) for path in paths)
    return tuple(first_per_key((e for e in loaded if e is not None), lambda e: e.slug,
                               same_url).values())


def read_event(ctx: ReadContext, known: ProductNames, path: Path) -> Event | None:
    """One event file, its products checked against `known`; None if it has errors."""
    shown = ctx.shown(path)
    slug = file_id(path)
    doc = ctx.read_document(path)
    if doc is None:
        return None
    errors = ctx.errors
    before = ctx.error_count()
    clean = check_fields(doc, EVENT_FIELDS, shown, errors)
    file_name_url_ok(ctx, shown, slug)
    start = clean.get("start")
    end = clean.get("end") or start
    if start is not None and end is not None and end < start:
        errors.add(shown, doc.line_of("end"), "end",
                   f"ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                   f"ngày kết thúc ({end.isoformat()}) trước ngày bắt đầu "
                   f"({start.isoformat()})")
    products = named_products(ctx, shown, doc, clean.get("products", []), known)
    translations = read_translations(ctx, path, EVENT_TEXT_FIELDS, EVENT_FIELDS)
    if ctx.error_count() > before or start is None or end is None:  # (end: None if start is)
        return None
    body_html = ctx.body_html(doc)
    return Event(
        slug=slug, title=clean["title"], start=start, end=end, place=clean["place"],
        products=products, summary=clean.get("summary") or ctx.first_paragraph(doc, body_html),
        body_html=body_html, source=shown, translations=translations)
