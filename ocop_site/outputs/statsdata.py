"""The statistics page's figures as open data: the `statistics` key of catalogue.json and
thong-ke.csv (docs/open-data.md). Both are made from one `Statistics` (site/statistics.py)
of the default language's catalogue.

thong-ke.csv has one row per figure: `section` says which count it is, `key` the id of
what is counted (a star level, commune slug, category id, producer type, year, product
slug, target), `name` its name in the default language, `value` the count (for products
whose certificate lapses soon: the day it lapses), `target` a target of site.yaml.
"""
from __future__ import annotations

from typing import Any, Iterator

from ..site.catalogue import Catalogue
from ..site.statistics import Statistics
from ..site.urls import Urls

CSV_COLUMNS = ("section", "key", "name", "value", "target")


def statistics_record(catalogue: Catalogue, stats: Statistics) -> dict[str, Any]:
    """The JSON object under `statistics` in catalogue.json."""
    absolute = catalogue.config.absolute
    categories = catalogue.categories
    communes = catalogue.communes_by_slug

    def lapsing(products: tuple) -> list[dict[str, Any]]:
        return [{"slug": p.slug, "name": p.name, "stars": p.stars, "commune": p.commune,
                 "valid_until": p.certificate.valid_until.isoformat(),
                 "url": absolute(Urls.product(p))} for p in products]
    return {
        "date": stats.today.isoformat(),
        "product_count": stats.product_count,
        "valid": stats.valid,
        "expired": stats.expired,
        "by_stars": {str(stars): count for stars, count in stats.by_stars},
        "by_commune": [{"slug": slug, "name": communes[slug].name,
                        "code": communes[slug].code,
                        "formed_from": list(communes[slug].formed_from_names),
                        "products": count} for slug, count in stats.by_commune],
        "by_group": [{"id": gid, "code": categories[gid].code, "name": categories[gid].name,
                      "products": count,
                      "groups": [{"id": cid, "code": categories[cid].code,
                                  "name": categories[cid].name, "products": n}
                                 for cid, n in children]}
                     for (gid, count), (_, children) in zip(stats.by_group, stats.by_subgroup)],
        "by_producer_type": dict(stats.by_producer_type),
        "certificates_by_year": {str(year): count for year, count in stats.by_year},
        "expiring_within_6_months": lapsing(stats.expiring_soon),
        "expiring_within_12_months": lapsing(stats.expiring_within_later),
        "targets": [{"year": goal.year, "metric": goal.metric, "target": goal.target,
                     "actual": goal.actual} for goal in stats.targets],
    }


def csv_rows(catalogue: Catalogue, stats: Statistics) -> Iterator[tuple[Any, ...]]:
    """The rows of thong-ke.csv under CSV_COLUMNS (outputs/opendata.py writes them)."""
    t = catalogue.config.translator(catalogue.config.default_language)
    categories = catalogue.categories
    yield ("products", "all", "", stats.product_count, "")
    yield ("products", "valid", "", stats.valid, "")
    yield ("products", "expired", "", stats.expired, "")
    for stars, count in stats.by_stars:
        yield ("stars", stars, t("stars.label", stars=stars), count, "")
    for slug, count in stats.by_commune:
        yield ("commune", slug, catalogue.communes_by_slug[slug].name, count, "")
    for (gid, count), (_, children) in zip(stats.by_group, stats.by_subgroup):
        yield ("sector", gid, categories[gid].name, count, "")
        for cid, n in children:
            yield ("group", cid, categories[cid].name, n, "")
    for kind, count in stats.by_producer_type:
        yield ("producer_type", kind, t(f"producer_type.{kind}"), count, "")
    for year, count in stats.by_year:
        yield ("certificate_year", year, year, count, "")
    yield ("expiring", "within_6_months", "", len(stats.expiring_soon), "")
    yield ("expiring", "within_12_months", "", len(stats.expiring_within_later), "")
    for section, products in (("expiring_6_months", stats.expiring_soon),
                              ("expiring_12_months", stats.expiring_within_later)):
        for p in products:
            yield (section, p.slug, p.name, p.certificate.valid_until.isoformat(), "")
    for goal in stats.targets:
        yield ("target", f"{goal.year}.{goal.metric}",
               t(f"stats.metric.{goal.metric}"), goal.actual, goal.target)
