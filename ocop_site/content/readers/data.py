"""content/data/communes.yaml and categories.yaml → the References every other reader
checks names against. Read first: producers and products point at both."""
from __future__ import annotations

from typing import Any

from ...rules import certifier, platforms
from ...text import vietnamese
from ...text.frontmatter import Document
from .. import communemap
from ..aliases import read_aliases
from ..models import Category, Commune
from ..references import References
from ..schema import COMMUNE_FIELDS, check_fields
from .checks import image_refs, url_part_ok
from .context import ReadContext

KeyPath = tuple[str, ...]
CATEGORY_LEVELS = (("group", "subgroups"), ("subgroup", "categories"), ("category", None))


def read_data_files(ctx: ReadContext) -> References:
    """Communes and categories, indexed by every name they may be written with.
    Producer ids are the caller's to add (they come from file names)."""
    communes, commune_index, communes_readable = read_communes(ctx)
    categories, categories_readable, aliases = read_categories(ctx)
    return References(communes, commune_index, categories, category_index(categories),
                      communes_readable=communes_readable,
                      categories_readable=categories_readable, category_aliases=aliases,
                      certifier_rules=read_certifier_rules(ctx),
                      platforms=read_platforms(ctx))


def read_platforms(ctx: ReadContext) -> platforms.Platforms:
    """The shipped online stores, plus content/data/platforms.yaml when the site has
    one (its entries added, or replacing those of the same id)."""
    found = platforms.default_platforms()
    if (ctx.content / "data" / "platforms.yaml").is_file():
        loaded = ctx.read_data("platforms.yaml")
        if loaded is not None:
            found = found.extended(platforms.parse_platforms(*loaded, ctx.errors))
    return found


def read_certifier_rules(ctx: ReadContext) -> certifier.Rules:
    """The shipped table of who signs which star level, plus content/data/
    certifiers.yaml when the site has one (its periods added or replacing)."""
    rules = certifier.default_rules()
    if (ctx.content / "data" / "certifiers.yaml").is_file():
        loaded = ctx.read_data("certifiers.yaml")
        if loaded is not None:
            rules = rules.extended(certifier.parse_rules(*loaded, ctx.errors))
    return rules


# -- communes ------------------------------------------------------------------------
def read_communes(ctx: ReadContext) -> tuple[tuple[Commune, ...], dict[str, str], bool]:
    """(communes in file order, identity key of every name → slug, whether the file
    could be read at all)."""
    loaded = ctx.read_data("communes.yaml")
    if loaded is None:
        return (), {}, False
    data, lines, shown = loaded
    items = data.get("communes") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        ctx.errors.add(shown, 1, "communes",
                       "expected 'communes:' followed by a list of communes",
                       "cần có 'communes:' và danh sách các xã")
        return (), {}, False
    communes: list[Commune] = []
    slugs: dict[str, int] = {}  # slug → line, for duplicates
    item_lines = _lines_by_item(lines)
    for position, item in enumerate(items):
        path = ("communes", str(position))
        line = lines.get(path, 1)
        if not isinstance(item, dict):
            ctx.errors.add(shown, line, "communes", "each commune needs 'name:'",
                           "mỗi xã cần có 'name:'")
            continue
        found = _read_commune(ctx, Document(item, item_lines.get(path, {})), shown, line,
                              slugs)
        if found is not None:
            communes.append(found)
    communes = communemap.with_slugs(communes)
    index, clashes = communemap.index_communes(communes)
    for commune, field, alias, other in clashes:
        ctx.errors.add(shown, commune.line, field,
                       f"'{alias}' belongs to two communes ({other} and {commune.name})",
                       f"'{alias}' thuộc về hai xã ({other} và {commune.name})")
    return tuple(communes), index, True


def _lines_by_item(lines: dict[KeyPath, int]) -> dict[KeyPath, dict[KeyPath, int]]:
    """Each commune's key lines, grouped in one pass (a national list has 10,000)."""
    grouped: dict[KeyPath, dict[KeyPath, int]] = {}
    for key, key_line in lines.items():
        if len(key) >= 2:
            grouped.setdefault(key[:2], {})[key[2:]] = key_line
    return grouped


def _read_commune(ctx: ReadContext, doc: Document, shown: str, line: int,
                  slugs: dict[str, int]) -> Commune | None:
    before = ctx.error_count()
    clean = check_fields(doc, COMMUNE_FIELDS, shown, ctx.errors)
    if ctx.error_count() > before:
        return None
    name = clean["name"]
    slug = clean.get("slug") or vietnamese.slugify(name)
    if not url_part_ok(ctx, shown, doc, clean.get("slug"), slug, line):
        return None
    if slug in slugs:
        ctx.errors.add(shown, line, "slug",
                       f"two communes share the URL slug '{slug}' (also line "
                       f"{slugs[slug]}); give one a different 'slug:'",
                       f"hai xã trùng slug '{slug}' (cũng ở dòng {slugs[slug]}); "
                       "hãy đặt 'slug:' khác cho một xã")
        return None
    slugs[slug] = line
    image, image_line = None, 0
    if clean.get("image"):
        refs = image_refs(ctx, doc, clean["image"], ctx.content, shown, "image", name)
        if refs:
            image, image_line = refs[0].source, refs[0].line
    return Commune(slug, name, clean.get("name_en", "") or vietnamese.fold(name).title(),
                   tuple(str(n) for n in clean.get("former_names", [])),
                   clean.get("description", ""), clean.get("description_en", ""),
                   image, image_line, str(clean.get("code", "")), clean.get("kind", "") or "xã",
                   tuple(communemap.parse_unit(u) for u in clean.get("formed_from", [])),
                   tuple(str(a) for a in clean.get("aliases", [])),
                   clean.get("differs_from_official", ""), line)


# -- categories ----------------------------------------------------------------------
def read_categories(ctx: ReadContext) -> tuple[dict[str, Category], bool, dict[str, str]]:
    """(every group, sub-group and product set by id, parents before their children;
    whether the file could be read at all; old ids still accepted → their product set)."""
    loaded = ctx.read_data("categories.yaml")
    if loaded is None:
        return {}, False, {}
    data, lines, shown = loaded
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not groups:
        ctx.errors.add(shown, 1, "groups", "expected 'groups:' followed by a list",
                       "cần có 'groups:' và một danh sách")
        return {}, False, {}
    categories: dict[str, Category] = {}
    _read_level(ctx, shown, lines, categories, groups, 0, None, ("groups",))
    return categories, True, read_aliases(data, lines, shown, categories, ctx.errors)


def _read_level(ctx: ReadContext, shown: str, lines: dict[KeyPath, int],
                categories: dict[str, Category], items: list, depth: int,
                parent: str | None, path: KeyPath) -> tuple[str, ...]:
    """Reads one level of the tree into `categories`; returns the ids read there."""
    level, child_key = CATEGORY_LEVELS[depth]
    ids = []
    for position, item in enumerate(items):
        item_path = path + (str(position),)
        if not _category_entry_ok(ctx, shown, lines, categories, item, item_path, level):
            continue
        cat_id = item["id"]
        children: tuple[str, ...] = ()
        if child_key and isinstance(item.get(child_key), list):
            # register the parent before the children, so ids stay in file order
            categories[cat_id] = None  # type: ignore[assignment]
            children = _read_level(ctx, shown, lines, categories, item[child_key],
                                   depth + 1, cat_id, item_path + (child_key,))
        categories[cat_id] = Category(
            cat_id, str(item.get("code", "")), item["name"], str(item.get("name_en", "")),
            level, parent, children)
        ids.append(cat_id)
    return tuple(ids)


def _category_entry_ok(ctx: ReadContext, shown: str, lines: dict[KeyPath, int],
                       categories: dict[str, Category], item: Any, item_path: KeyPath,
                       level: str) -> bool:
    line = lines.get(item_path, 1)
    if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("id", "name")):
        ctx.errors.add(shown, line, level, "each entry needs 'id:' and 'name:'",
                       "mỗi mục cần có 'id:' và 'name:'")
        return False
    cat_id = item["id"]
    if vietnamese.slugify(cat_id) != cat_id:  # it is the URL: danh-muc/<id>/
        ctx.errors.add(shown, lines.get(item_path + ("id",), line), "id",
                       f"an id uses only a-z, 0-9 and '-'; write '{vietnamese.slugify(cat_id)}'",
                       f"id chỉ gồm a-z, 0-9 và '-'; hãy viết '{vietnamese.slugify(cat_id)}'")
        return False
    if cat_id in categories:
        ctx.errors.add(shown, line, "id", f"duplicate id '{cat_id}'",
                       f"id '{cat_id}' bị trùng")
        return False
    return True


def category_index(categories: dict[str, Category]) -> dict[str, str]:
    """Category id or the slug of its name → id (an id wins over another's name)."""
    index: dict[str, str] = {}
    # product sets first: a set named like its group ("Dịch vụ du lịch…") is the set
    for category in sorted(categories.values(), key=lambda c: bool(c.children)):
        index[category.id] = category.id
        index.setdefault(vietnamese.slugify(category.name), category.id)
    return index
