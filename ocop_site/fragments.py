"""Product cards rendered once per product, not once per list that shows them.

A product's card appears on its commune, category (three levels), star, producer and
all-products lists and on its siblings' pages: at 10,000 products that is ~100,000
cards, most of the rendering time. A card differs between pages only by the relative
prefix of its links (`root`), so `card(view)` renders partials/card.html once per
product with a placeholder for the root, then puts each page's root in.

What a card may use: the product's view, `link`/`root`, and what the page that shows it
has that does not vary between the pages of one language (site, t, urls…). Views are
made per language (pages.py), so one view's card is always in one language.
"""
from __future__ import annotations

import secrets
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from .recorded import Reads, note, recording

CARD_TEMPLATE = "partials/card.html"


def card_renderer() -> Callable[..., Markup]:
    """A `card(view)` template function with its own memo (one per build or session)."""
    token = secrets.token_hex(8)
    root_mark = f"\x00{token}r\x00"  # stands for the page's root
    empty_mark = f"\x00{token}e\x00"  # link('') on the page: root, or './' at the root
    memo: dict[int, tuple[Any, str, tuple]] = {}

    def marked_link(target: str) -> str:
        return root_mark + target if target else empty_mark

    @jinja2.pass_context
    def card(context: jinja2.runtime.Context, view: Any) -> Markup:
        entry = memo.get(id(view))
        if entry is None or entry[0] is not view:
            reads = Reads()
            with recording(reads):  # what the card looks up, for every page showing it
                template = context.environment.get_template(CARD_TEMPLATE)
                html = template.render({**context.get_all(), "view": view,
                                        "root": root_mark, "link": marked_link})
            # the view is kept: its id stays unique
            entry = memo[id(view)] = (view, html, reads.frozen())
        for read in entry[2]:
            note(read)
        root = context["root"]
        return Markup(entry[1].replace(empty_mark, root or "./").replace(root_mark, root))

    return card
