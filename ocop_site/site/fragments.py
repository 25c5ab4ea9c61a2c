"""Parts of pages rendered once, not once per page that shows them.

A product's card appears on its commune, category (three levels), star, producer and
all-products lists and on its siblings' pages: at 10,000 products that is ~100,000
cards. The header, the menu and the footer are the same on every page of a language;
a photo's <picture> element the same wherever it is shown at that size; the stars
badge one of three. Each differs between pages only by the relative prefix of its
links (`root`), so it is rendered once with a placeholder for the root, and each page
puts its own root in (a string replace instead of a Jinja render with a fresh context:
this is most of what keeps a product page under half a millisecond).

What a fragment may use: its own arguments, `link`/`root`, and what does not vary
between the pages of one language (site, t, urls, asset…). The lookups its render made
(templates, interface strings: site/recorded.py) are noted again on every page that shows
it, so the output cache knows each page read them.

A row of the print catalogue (`print_row`) is shown on one page, but that page holds
every product: with a `PartStore` (the pipeline's, kept in the output cache between
builds) each row is kept by a digest of what it shows, and so are the rows of each
commune's table (`print_rows`, with the keys of its rows, kept as long as it is): after
one edit the page is the other communes' tables joined whole and one table joined from
its rows, one of them rendered (at 10,000 products, ~150 lookups a language instead of
10,000).
"""
from __future__ import annotations

import secrets
from typing import Any, Callable, Hashable, Protocol

import jinja2
from markupsafe import Markup

from .recorded import Read, Reads, note_all, recording

FRAGMENT_FUNCTIONS = frozenset({"card", "stars", "picture", "chrome", "print_row",
                                "print_rows", "shop_item"})
CARD_TEMPLATE = "partials/card.html"
STARS_TEMPLATE = "partials/stars.html"
PICTURE_TEMPLATE = "partials/picture.html"
PRINT_ROW_TEMPLATE = "partials/print-row.html"
SHOP_ITEM_TEMPLATE = "partials/shop-item.html"


class PartStore(Protocol):
    """Rendered parts kept between builds, by what they show (`values`: digested by the
    store); `get` gives back the HTML and the lookups its render made, if still valid."""

    def get(self, name: str, values: tuple[Any, ...]) -> tuple[str, tuple[Read, ...]] | None:
        ...

    def put(self, name: str, values: tuple[Any, ...], html: str,
            reads: tuple[Read, ...], joined: tuple[str, ...] = ()) -> None:
        ...

    def key(self, name: str, values: tuple[Any, ...]) -> str:
        ...


class Fragments:
    """The template functions `card(view)`, `stars(count)`, `picture(image, …)` and
    `chrome(name)`, with one memo (one per build or serve session)."""

    def __init__(self, store: PartStore | None = None) -> None:
        self.store = store
        token = secrets.token_hex(8)
        self.root_mark = f"\x00{token}r\x00"  # stands for the page's root
        self.empty_mark = f"\x00{token}e\x00"  # link('') on the page: root, or './'
        # key → (objects kept alive so their ids stay unique, html with marks, reads)
        self.memo: dict[Hashable, tuple[Any, str, tuple]] = {}

    def functions(self) -> dict[str, Callable[..., Markup]]:
        return {"card": self.card, "stars": self.stars, "picture": self.picture,
                "chrome": self.chrome, "print_row": self.print_row,
                "print_rows": self.print_rows, "shop_item": self.shop_item}

    def _link(self, target: str) -> str:
        return self.root_mark + target if target else self.empty_mark

    def _render(self, context: jinja2.runtime.Context, key: Hashable, alive: Any,
                template: str, values: dict[str, Any]) -> Markup:
        entry = self.memo.get(key)
        if entry is None or entry[0] is not alive:
            reads = Reads()
            with recording(reads):  # what the fragment looks up, for every page showing it
                html = context.environment.get_template(template).render(
                    {**context.get_all(), **values, "root": self.root_mark,
                     "link": self._link})
            entry = self.memo[key] = (alive, html, reads.frozen())
        note_all(entry[2])
        root = context["root"]
        return Markup(entry[1].replace(self.empty_mark, root or "./")
                      .replace(self.root_mark, root))

    @jinja2.pass_context
    def card(self, context: jinja2.runtime.Context, view: Any) -> Markup:
        """A product card (partials/card.html); views are made per language."""
        return self._render(context, ("card", id(view)), view, CARD_TEMPLATE,
                            {"view": view})

    @jinja2.pass_context
    def stars(self, context: jinja2.runtime.Context, count: int) -> Markup:
        """The stars badge (partials/stars.html) of `count` stars, in the page's language."""
        return self._render(context, ("stars", context["lang"], count), None,
                            STARS_TEMPLATE, {"count": count})

    @jinja2.pass_context
    def picture(self, context: jinja2.runtime.Context, image: Any, alt: str, sizes: str,
                eager: bool = False) -> Markup:
        """A photo's <picture> element (partials/picture.html)."""
        return self._render(context, ("picture", id(image), alt, sizes, eager), image,
                            PICTURE_TEMPLATE, {"image": image, "alt": alt,
                                               "sizes": sizes, "eager": eager})

    @jinja2.pass_context
    def chrome(self, context: jinja2.runtime.Context, name: str) -> Markup:
        """A part of every page of a language (partials/<name>.html: the header, the
        footer), the same on all of them but for the root."""
        return self._render(context, ("chrome", context["lang"], name), None,
                            f"partials/{name}.html", {})

    @jinja2.pass_context
    def shop_item(self, context: jinja2.runtime.Context, shop: Any) -> Markup:
        """A shop in a product page's "where to buy" (partials/shop-item.html): a shop
        selling 20 products is on 20 pages of each language; views are made per
        language."""
        return self._render(context, ("shop item", id(shop)), shop, SHOP_ITEM_TEMPLATE,
                            {"s": shop})

    @jinja2.pass_context
    def print_row(self, context: jinja2.runtime.Context, view: Any, qr: str) -> Markup:
        """A product's row of the print catalogue (partials/print-row.html), from the
        store when it has one and its row still shows the same (the page's root and
        language are part of what it shows)."""
        values = (context["lang"], context["root"], view, qr)
        found = self.store.get("print row", values) if self.store is not None else None
        if found is None:
            reads = Reads()
            with recording(reads):
                html = context.environment.get_template(PRINT_ROW_TEMPLATE).render(
                    {**context.get_all(), "view": view, "qr": qr})
            found = html, reads.frozen()
            if self.store is not None:
                self.store.put("print row", values, *found)
        note_all(found[1])
        return Markup(found[0])

    @jinja2.pass_context
    def print_rows(self, context: jinja2.runtime.Context,
                   rows: tuple[tuple[Any, str], ...]) -> Markup:
        """The rows of one commune's table in the print catalogue ((view, qr) each, as
        `print_row` takes them), joined, kept whole like each row."""
        values = (context["lang"], context["root"], rows)
        found = self.store.get("print rows", values) if self.store is not None else None
        if found is None:
            reads = Reads()
            with recording(reads):
                html = "".join(self.print_row(context, view, qr) for view, qr in rows)
            found = html, reads.frozen()
            if self.store is not None:
                self.store.put("print rows", values, *found, joined=tuple(
                    self.store.key("print row", (context["lang"], context["root"], view, qr))
                    for view, qr in rows))
        note_all(found[1])
        return Markup(found[0])
