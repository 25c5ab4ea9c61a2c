"""content/shops/<id>.md: points of sale (an OCOP showroom, a shop, a supermarket, a
market stall, an agent), each naming the products sold there as events do."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ...errors import did_you_mean, nearest
from ...text.frontmatter import Document
from ..hours import HoursError, OpeningRule, parse_rule
from ..models import SHOP_KINDS, Shop
from ..references import References
from ..schema import SHOP_FIELDS, SHOP_TEXT_FIELDS, check_fields
from .checks import file_name_url_ok, first_per_key, image_refs
from .context import ReadContext, file_id
from .named import ProductNames, named_products
from .translations import read_translations

# Vietnam's mainland and islands, Hoàng Sa and Trường Sa included
LAT_RANGE = (6.0, 23.5)
LNG_RANGE = (102.0, 117.5)


def read_shops(ctx: ReadContext, refs: References, known: ProductNames,
               paths: Iterable[Path]) -> tuple[Shop, ...]:
    """The shops that load, in file order; two files giving one id are an error."""
    def same_id(shop: Shop, other: Shop) -> None:
        ctx.errors.add(shop.source, 1, "file",
                       f"'{shop.source}' and '{other.source}' both map to the URL "
                       f"cua-hang/{shop.id}/; rename one of the files",
                       f"'{shop.source}' và '{other.source}' cùng địa chỉ "
                       f"cua-hang/{shop.id}/; hãy đổi tên một tệp")

    loaded = (read_shop(ctx, refs, known, path) for path in paths)
    return tuple(first_per_key((s for s in loaded if s is not None), lambda s: s.id,
                               same_id).values())


def read_shop(ctx: ReadContext, refs: References, known: ProductNames,
              path: Path) -> Shop | None:
    """One shop file checked against the communes and products; None if it has errors."""
    shown = ctx.shown(path)
    shop_id = file_id(path)
    doc = ctx.read_document(path)
    if doc is None:
        return None
    errors = ctx.errors
    before = ctx.error_count()
    file_name_url_ok(ctx, shown, shop_id)
    clean = check_fields(doc, SHOP_FIELDS, shown, errors)
    if "kind" in clean and clean["kind"] not in SHOP_KINDS:
        en, vi = did_you_mean(nearest(clean["kind"], SHOP_KINDS))
        errors.add(shown, doc.line_of("kind"), "kind",
                   f"unknown kind '{clean['kind']}'{en} (one of: {', '.join(SHOP_KINDS)})",
                   f"loại '{clean['kind']}' không hợp lệ{vi} (chọn một trong: "
                   f"{', '.join(SHOP_KINDS)})")
    commune = None
    if "commune" in clean:
        commune = refs.commune(errors, shown, doc.line_of("commune"), clean["commune"])
    geo = _geo(ctx, shown, doc, clean.get("geo"))
    hours = _hours(ctx, shown, doc, clean.get("hours"))
    products: tuple[str, ...] = ()
    if "products" in clean:
        if not clean["products"]:
            errors.add(shown, doc.line_of("products"), "products",
                       "list at least one product sold there, e.g. 'products: "
                       "[che-xanh-dong-thinh]'",
                       "hãy ghi ít nhất một sản phẩm bán ở đây, ví dụ 'products: "
                       "[che-xanh-dong-thinh]'")
        products = named_products(ctx, shown, doc, clean["products"], known)
    images: tuple = ()
    if "images" in clean:
        images = image_refs(ctx, doc, clean["images"], path.parent, shown, "images",
                            clean.get("name", ""))
    if ctx.error_count() > before:
        return None
    translations = read_translations(ctx, path, SHOP_TEXT_FIELDS, SHOP_FIELDS)
    if ctx.error_count() > before or commune is None:
        return None
    return Shop(
        id=shop_id, name=clean["name"], kind=clean["kind"], commune=commune,
        commune_as_written=clean["commune"], address=clean["address"], products=products,
        geo=geo, phone=clean.get("phone", ""), zalo=clean.get("zalo", ""), hours=hours,
        images=images, body_html=ctx.body_html(doc), source=shown, translations=translations)


def _geo(ctx: ReadContext, shown: str, doc: Document,
         value: dict[str, Any] | None) -> tuple[float, float] | None:
    """(lat, lng) inside Vietnam's bounds, or None (reported when it is not)."""
    if not value or "lat" not in value or "lng" not in value:
        return None
    lat, lng = float(value["lat"]), float(value["lng"])
    if LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]:
        return (lat, lng)
    swapped = LAT_RANGE[0] <= lng <= LAT_RANGE[1] and LNG_RANGE[0] <= lat <= LNG_RANGE[1]
    hint_en = " (lat and lng look swapped)" if swapped else ""
    hint_vi = " (có vẻ lat và lng bị đảo)" if swapped else ""
    ctx.errors.add(shown, doc.line_of("geo"), "geo",
                   f"({lat}, {lng}) is outside Vietnam{hint_en}; lat is between "
                   f"{LAT_RANGE[0]} and {LAT_RANGE[1]}, lng between {LNG_RANGE[0]} and "
                   f"{LNG_RANGE[1]}, e.g. 'geo: {{lat: 21.4497, lng: 105.3934}}'",
                   f"({lat}, {lng}) nằm ngoài Việt Nam{hint_vi}; lat từ {LAT_RANGE[0]} đến "
                   f"{LAT_RANGE[1]}, lng từ {LNG_RANGE[0]} đến {LNG_RANGE[1]}, ví dụ "
                   "'geo: {lat: 21.4497, lng: 105.3934}'")
    return None


def _hours(ctx: ReadContext, shown: str, doc: Document,
           value: str | list | None) -> tuple[OpeningRule, ...]:
    """One rule a line (a list, or a block of lines); each bad line reported."""
    if not value:
        return ()
    if isinstance(value, str):
        items: list[tuple[Any, int]] = [
            (line, doc.line_of("hours") + (1 if "\n" in value else 0) + offset)
            for offset, line in enumerate(value.strip().splitlines())]
    else:
        items = [(item, doc.line_of("hours", str(index))) for index, item in enumerate(value)]
    rules = []
    for item, line in items:
        if not isinstance(item, str) or not item.strip():
            ctx.errors.add(shown, line, "hours",
                           f"each line is days then times, e.g. 'Mo-Fr 07:30-17:00' "
                           f"(got {item!r})",
                           f"mỗi dòng là ngày rồi giờ, ví dụ 'Mo-Fr 07:30-17:00' "
                           f"(đang ghi {item!r})")
            continue
        try:
            rules.append(parse_rule(item))
        except HoursError as exc:
            ctx.errors.add(shown, line, "hours", exc.en, exc.vi)
    return tuple(rules)
