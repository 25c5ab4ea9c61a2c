"""A product's `buy_online:`: links to it on online stores, each checked against the
platform's own hosts (rules/platforms.yaml): https: only, no look-alike hosts."""
from __future__ import annotations

from typing import Any

from ...errors import did_you_mean, nearest
from ...rules.platforms import Platforms, link_problem
from ...text.frontmatter import Document
from ..models import OnlineStore
from .context import ReadContext

EXAMPLE = "- {platform: shopee, url: 'https://shopee.vn/…'}"


def online_stores(ctx: ReadContext, shown: str, doc: Document, items: list[Any],
                  platforms: Platforms) -> tuple[OnlineStore, ...]:
    """The well-formed entries, in the order written; each bad one reported."""
    found: list[OnlineStore] = []
    for index, item in enumerate(items):
        line = doc.line_of("buy_online", str(index))
        if not isinstance(item, dict) or set(item) != {"platform", "url"} or not all(
                isinstance(item[k], str) for k in item):
            ctx.errors.add(shown, line, "buy_online",
                           f"each online store is a platform and a link, e.g. {EXAMPLE} "
                           f"(got {item!r})",
                           f"mỗi cửa hàng trực tuyến gồm sàn và liên kết, ví dụ {EXAMPLE} "
                           f"(đang ghi {item!r})")
            continue
        name, url = item["platform"].strip(), item["url"].strip()
        platform = platforms.get(name.lower())
        if platform is None:
            en, vi = did_you_mean(nearest(name.lower(), platforms.ids))
            known = ", ".join(platforms.ids)
            ctx.errors.add(shown, doc.line_of("buy_online", str(index), "platform") or line,
                           "buy_online.platform",
                           f"unknown platform '{name}'{en} (one of: {known}; a site adds "
                           "others in content/data/platforms.yaml)",
                           f"không có sàn '{name}'{vi} (chọn một trong: {known}; thêm sàn "
                           "khác trong content/data/platforms.yaml)")
            continue
        problem = link_problem(platform, url)
        if problem is not None:
            ctx.errors.add(shown, doc.line_of("buy_online", str(index), "url") or line,
                           "buy_online.url", *problem)
            continue
        found.append(OnlineStore(platform.id, url))
    return tuple(found)
