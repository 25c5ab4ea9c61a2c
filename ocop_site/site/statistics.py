"""The programme at a glance: every figure of the statistics page (thong-ke/), of the
`statistics` key of catalogue.json and of thong-ke.csv, computed once from a catalogue.

Counts are of the catalogue's products (published: drafts are never counted, and with
`hide_expired: true` expired products are not in the catalogue either). Certificates are
valid 36 months from the decision date unless the product file says `valid_until`
(content/readers/products.py); "today" is the build's date (`SOURCE_DATE_EPOCH`).
Lists keep the catalogue's order (communes and products in Vietnamese collation, or the
page language's), so nothing here sorts names itself.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..content.models import PRODUCER_TYPES, Product
from ..content.readers.products import add_months
from ..content.targets import TARGET_METRICS
from .catalogue import Catalogue

STAR_LEVELS = (5, 4, 3)
SOON, LATER = 6, 12  # months ahead: certificates that lapse within them


@dataclass(frozen=True)
class Progress:
    """One target of the plan (site.yaml `targets:`) and where the programme stands."""

    year: int
    metric: str  # one of content.targets.TARGET_METRICS
    target: int
    actual: int

    @property
    def percent(self) -> int:
        """Share of the target reached, 0–100 (more than the target is 100)."""
        return min(100, self.actual * 100 // self.target)


@dataclass(frozen=True)
class Statistics:
    """The figures, by ids and slugs (names are the page language's, see statpage.py)."""

    today: dt.date
    product_count: int
    by_stars: tuple[tuple[int, int], ...]  # (stars, products), 5 first
    by_commune: tuple[tuple[str, int], ...]  # (commune slug, products), every commune
    by_group: tuple[tuple[str, int], ...]  # (sector id, products), classification order
    by_subgroup: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # sector → its groups
    by_producer_type: tuple[tuple[str, int], ...]  # (models.PRODUCER_TYPES, products)
    by_year: tuple[tuple[int, int], ...]  # (year of the decision, certificates), no gaps
    expiring_soon: tuple[Product, ...]  # valid, lapsing within SOON months, soonest first
    expiring_later: tuple[Product, ...]  # then within LATER months (not in expiring_soon)
    expired: int  # products whose certificate has lapsed
    soon_until: dt.date  # today + SOON months: the last day of expiring_soon
    later_until: dt.date  # today + LATER months
    targets: tuple[Progress, ...]  # the plan's targets, by year then metric

    @property
    def valid(self) -> int:
        return self.product_count - self.expired

    @property
    def expiring_within_later(self) -> tuple[Product, ...]:
        """Every certificate lapsing within LATER months (those within SOON included)."""
        return self.expiring_soon + self.expiring_later


def compute(catalogue: Catalogue) -> Statistics:
    """Every figure, in one pass over the products and one over the indexes."""
    today = catalogue.config.today
    products = catalogue.products
    soon_end, later_end = add_months(today, SOON), add_months(today, LATER)
    types: Counter[str] = Counter()
    years: Counter[int] = Counter()
    expired = 0
    soon: list[Product] = []
    later: list[Product] = []
    for product in products:
        producer = catalogue.producers.get(product.producer)
        if producer is not None:
            types[producer.type] += 1
        certificate = product.certificate
        years[certificate.date.year] += 1
        if certificate.expired_on(today):
            expired += 1
        elif certificate.valid_until <= soon_end:
            soon.append(product)
        elif certificate.valid_until <= later_end:
            later.append(product)
    return Statistics(
        today=today,
        product_count=len(products),
        by_stars=tuple((n, len(catalogue.by_stars.get(n, ()))) for n in STAR_LEVELS),
        by_commune=tuple((c.slug, len(catalogue.by_commune.get(c.slug, ())))
                         for c in catalogue.communes),
        by_group=tuple((g.id, len(catalogue.by_category.get(g.id, ())))
                       for g in catalogue.groups),
        by_subgroup=tuple(
            (g.id, tuple((child, len(catalogue.by_category.get(child, ())))
                         for child in g.children))
            for g in catalogue.groups),
        by_producer_type=tuple((kind, types[kind]) for kind in PRODUCER_TYPES),
        by_year=tuple((year, years[year])
                      for year in range(min(years), max(years) + 1)) if years else (),
        # by the day they lapse; a stable sort keeps the catalogue's order within a day
        expiring_soon=tuple(sorted(soon, key=_lapses)),
        expiring_later=tuple(sorted(later, key=_lapses)),
        expired=expired,
        soon_until=soon_end,
        later_until=later_end,
        targets=progress(catalogue),
    )


def _lapses(product: Product) -> dt.date:
    return product.certificate.valid_until


def progress(catalogue: Catalogue) -> tuple[Progress, ...]:
    """Each target of site.yaml beside what the catalogue shows for its year."""
    found = []
    for year, goals in catalogue.config.targets:
        for metric, target in goals:
            found.append(Progress(year, metric, target, measure(catalogue, year, metric)))
    return tuple(found)


def measure(catalogue: Catalogue, year: int, metric: str) -> int:
    """`new_N_star`: products whose certificate was decided in `year`, N stars or more.
    `communes`: communes with at least one product whose certificate was valid at the end
    of `year` (or today, for the current year and later)."""
    assert metric in TARGET_METRICS, metric
    if metric.startswith("new_"):
        least = int(metric.split("_")[1])
        return sum(1 for p in catalogue.products
                   if p.certificate.date.year == year and p.stars >= least)
    day = min(dt.date(year, 12, 31), catalogue.config.today)
    return len({p.commune for p in catalogue.products
                if p.certificate.date <= day <= p.certificate.valid_until})
