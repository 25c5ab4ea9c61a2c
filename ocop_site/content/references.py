"""The frozen index of everything one content file may name in another: communes (by
any current or former name), categories (by id or name) and producers (by file name).

Built once from the data files and the producer file names (readers/data.py,
loader.py), then handed to every reader that checks a reference, so each kind of
reference is resolved, and its error worded, in exactly one place.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Mapping

from ..errors import ErrorCollector, did_you_mean
from ..rules import certifier
from ..rules.platforms import Platforms, default_platforms
from . import communemap
from .aliases import alias_messages
from .lookup import (
    find_category,
    find_commune,
    find_producer,
    near_category,
    near_commune,
    near_producer,
)
from .models import Category, Commune


@dataclass(frozen=True)
class References:
    communes: tuple[Commune, ...] = ()
    commune_index: Mapping[str, str] = dataclasses.field(default_factory=dict)  # key → slug
    categories: Mapping[str, Category] = dataclasses.field(default_factory=dict)
    category_index: Mapping[str, str] = dataclasses.field(default_factory=dict)  # → id
    producer_ids: frozenset[str] = frozenset()  # every producer file's, loaded or not
    # False when the data file could not be read at all: its own error says so, and
    # "unknown commune" on every product naming one would only bury that line
    communes_readable: bool = True
    categories_readable: bool = True
    category_aliases: Mapping[str, str] = dataclasses.field(default_factory=dict)  # old → new
    certifier_rules: certifier.Rules = dataclasses.field(default_factory=certifier.Rules)
    # the online stores `buy_online:` may name (rules/platforms.yaml + the site's own)
    platforms: Platforms = dataclasses.field(default_factory=default_platforms)

    def commune(self, errors: ErrorCollector, shown: str, line: int, value: str) -> str | None:
        """Slug of the commune `value` names, or None with the error reported."""
        slug = find_commune(self.commune_index, value)
        if slug == communemap.AMBIGUOUS:
            units = [f"{u.name}, {u.district}" for c in self.communes for u in c.formed_from
                     if communemap.key(u.name) == communemap.key(value) and u.district]
            errors.add(shown, line, "commune",
                       f"'{value}' was the name of units of several former districts; "
                       f"write which one: {' or '.join(units)}",
                       f"'{value}' là tên đơn vị cũ ở nhiều huyện; hãy ghi rõ: "
                       f"{' hoặc '.join(units)}")
            return None
        if slug is None and self.communes_readable:
            en, vi = did_you_mean(near_commune(self.communes, value))
            errors.add(shown, line, "commune",
                       f"unknown commune '{value}'{en} (communes are listed in "
                       "content/data/communes.yaml)",
                       f"không có xã '{value}'{vi} (danh sách xã ở content/data/communes.yaml)")
        return slug

    def product_set(self, errors: ErrorCollector, shown: str, line: int,
                    value: str) -> str | None:
        """Id of the product set (a leaf category) `value` names; a group or sub-group
        is refused with its product sets listed."""
        found = find_category(self.category_index, value)
        if found is None and value in self.category_aliases:  # an id of an earlier list
            found = self.category_aliases[value]
            errors.warn(shown, line, "category", *alias_messages(value, self.categories[found]))
        if found is None:
            if self.categories_readable:  # else categories.yaml's own error is the one
                en, vi = did_you_mean(near_category(self.categories, value))
                errors.add(shown, line, "category",
                           f"unknown category '{value}'{en} (use a product-set id "
                           "from content/data/categories.yaml)",
                           f"không có nhóm '{value}'{vi} (dùng id bộ sản phẩm trong "
                           "content/data/categories.yaml)")
            return None
        category = self.categories[found]
        if category.children:
            children = ", ".join(category.children[:6])
            errors.add(shown, line, "category",
                       f"'{value}' is a {category.level}; choose one of its product sets: "
                       f"{children}",
                       f"'{value}' là nhóm lớn; hãy chọn một bộ sản phẩm trong đó: "
                       f"{children}")
            return None
        return found

    def producer(self, errors: ErrorCollector, shown: str, line: int,
                 value: str) -> str | None:
        """Id of the producer `value` names (its file name, written any way that
        slugifies to it), or None with the error reported."""
        found = find_producer(self.producer_ids, value)
        if found is None:
            en, vi = did_you_mean(near_producer(self.producer_ids, value))
            errors.add(shown, line, "producer",
                       f"unknown producer '{value}'{en} (the id is the file "
                       "name in content/producers/ without .md)",
                       f"không có cơ sở sản xuất '{value}'{vi} (id là tên tệp "
                       "trong content/producers/ không có .md)")
        return found
