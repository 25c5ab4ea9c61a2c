"""The statistics page (thong-ke/ and en/thong-ke/): the figures of site/statistics.py in
the page's language, each chart's geometry (site/charts.py) with the table that says the
same in words. The template only displays what this gives it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..content.models import Product
from .catalogue import Catalogue
from .charts import Chart, bar_chart, progress_chart
from .statistics import Statistics, compute
from .urls import Language, Page

Row = tuple[tuple[str, str], ...]  # the row's cells: (text, site path it links to or "")


@dataclass(frozen=True)
class Section:
    """A heading, a chart (None for tables only) and its data table."""

    ident: str  # the section's id, and its chart's
    heading: str
    chart: Chart | None
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    text: str = ""  # a sentence under the heading


def number(value: int, lang: Language) -> str:
    """10000 → '10.000' (Vietnamese), '10,000' (English)."""
    return f"{value:,}".replace(",", lang.t.raw("format.thousands"))


def statistics_page(catalogue: Catalogue, lang: Language) -> Page:
    """The page, from the catalogue in the page's language (names and their order)."""
    stats = compute(catalogue)
    t = lang.t
    figures = (
        (t("stats.total"), number(stats.product_count, lang)),
        (t("stats.valid"), number(stats.valid, lang)),
        (t("stats.expired"), number(stats.expired, lang)),
        (t("stats.soon"), number(len(stats.expiring_soon), lang)),
        (t("stats.later"), number(len(stats.expiring_within_later), lang)),
        (t("stats.communes_with"),
         number(sum(1 for _, n in stats.by_commune if n), lang)),
    )
    sections = distribution_sections(catalogue, stats, lang) if stats.product_count else ()
    return Page(lang.urls.statistics, "statistics.html", t("title.statistics"), {
        "intro": t("stats.intro", date=t.date(stats.today)),
        "figures": figures,
        "sections": sections,
        "targets": target_section(stats, lang),
        "expiring": expiring_sections(catalogue, stats, lang),
        # the products the tables above name, held as products: the dependency graph
        # finds what a page shows by the products it holds (pipeline/depgraph.py)
        "shows": stats.expiring_within_later,
        "expired_apart": t("stats.expired_apart", count=stats.expired),
        "downloads": ((t("stats.csv"), lang.urls.statistics_csv, "text/csv"),
                      (t("stats.json"), lang.urls.open_data_json, "application/json")),
    }, breadcrumbs=((lang.site.title, lang.urls.home),))


def distribution_sections(catalogue: Catalogue, stats: Statistics,
                          lang: Language) -> tuple[Section, ...]:
    """Products by star level, commune, sector, producer type; certificates by year."""
    t = lang.t
    n = lambda value: number(value, lang)  # noqa: E731
    products = t("stats.products")
    stars = tuple((t("stars.label", stars=level), count, lang.urls.stars(level))
                  for level, count in stats.by_stars)
    communes = catalogue.communes_by_slug
    by_commune = tuple((communes[slug], count) for slug, count in stats.by_commune)
    groups = tuple((catalogue.categories[gid], count) for gid, count in stats.by_group)
    group_rows: list[Row] = []
    for (group, count), (_, children) in zip(groups, stats.by_subgroup):
        group_rows.append(_row(group.code, group.name, _category_url(lang, group.id, count),
                               n(count)))
        for child_id, child_count in children:
            child = catalogue.categories[child_id]
            group_rows.append(_row(child.code, f"– {child.name}",
                                   _category_url(lang, child_id, child_count),
                                   n(child_count)))
    types = tuple((t(f"producer_type.{kind}"), count) for kind, count in stats.by_producer_type)
    return (
        Section("by-stars", t("stats.by_stars"), _chart(
            "by-stars", t("stats.by_stars"), t("stats.by_stars_desc"),
            [(label, count) for label, count, _ in stars], lang),
            (t("stats.stars"), products),
            tuple(((label, url), (n(count), "")) for label, count, url in stars)),
        Section("by-commune", t("stats.by_commune"), _chart(
            "by-commune", t("stats.by_commune"), t("stats.by_commune_desc"),
            [(c.name, count) for c, count in by_commune], lang),
            (t("stats.commune"), t("stats.formed_from"), products),
            tuple(((c.name, lang.urls.commune(c.slug)),
                   (", ".join(c.formed_from_names), ""), (n(count), ""))
                  for c, count in by_commune)),
        Section("by-group", t("stats.by_group"), _chart(
            "by-group", t("stats.by_group"), t("stats.by_group_desc"),
            [(g.name, count) for g, count in groups], lang),
            (t("stats.code"), t("stats.group"), products), tuple(group_rows)),
        Section("by-type", t("stats.by_type"), _chart(
            "by-type", t("stats.by_type"), t("stats.by_type_desc"), types, lang),
            (t("stats.type"), products),
            tuple(((label, ""), (n(count), "")) for label, count in types)),
        Section("by-year", t("stats.by_year"), _chart(
            "by-year", t("stats.by_year"), t("stats.by_year_desc"),
            [(str(year), count) for year, count in stats.by_year], lang),
            (t("stats.year"), t("stats.certificates")),
            tuple(((str(year), ""), (n(count), "")) for year, count in stats.by_year)),
    )


def _row(code: str, name: str, url: str, count: str) -> Row:
    return ((code, ""), (name, url), (count, ""))


def _category_url(lang: Language, category_id: str, count: int) -> str:
    """Categories with no product have no page (site/pages.py category_pages)."""
    return lang.urls.category(category_id) if count else ""


def _chart(ident: str, title: str, description: str, rows: Sequence[tuple[str, int]],
           lang: Language) -> Chart:
    return bar_chart(ident, title, description,
                     [(label, value, number(value, lang)) for label, value in rows])


def target_section(stats: Statistics, lang: Language) -> Section:
    """Progress bars against site.yaml's targets, or a sentence saying none are set."""
    t = lang.t
    heading = t("stats.targets")
    if not stats.targets:
        return Section("targets", heading, None, (), (), t("stats.no_targets"))
    rows = []
    bars = []
    for goal in stats.targets:
        metric = t(f"stats.metric.{goal.metric}")
        percent = t("stats.percent", percent=goal.percent)
        rows.append(((str(goal.year), ""), (metric, ""), (number(goal.target, lang), ""),
                     (number(goal.actual, lang), ""), (percent, "")))
        bars.append((t("stats.target_row", year=goal.year, metric=metric,
                       actual=number(goal.actual, lang), target=number(goal.target, lang)),
                     goal.percent, percent))
    chart = progress_chart("targets", heading, t("stats.targets_desc"), bars)
    return Section("targets", heading, chart,
                   (t("stats.year"), t("stats.target"), t("stats.planned"),
                    t("stats.reached"), t("stats.share")), tuple(rows))


def expiring_sections(catalogue: Catalogue, stats: Statistics,
                      lang: Language) -> tuple[Section, ...]:
    """Certificates lapsing within 6 months, then within 12: links to the products."""
    t = lang.t
    headers = (t("stats.product"), t("stats.stars"), t("stats.commune"),
               t("stats.valid_until"))

    def rows(products: tuple[Product, ...]) -> tuple[Row, ...]:
        return tuple(((p.name, lang.urls.product(p)),
                      (t("stars.label", stars=p.stars), ""),
                      (catalogue.communes_by_slug[p.commune].name, ""),
                      (t.date(p.certificate.valid_until), ""))
                     for p in products)
    return (
        Section("expiring-soon", t("stats.soon_heading", date=t.date(stats.soon_until)), None,
                headers, rows(stats.expiring_soon)),
        Section("expiring-later", t("stats.later_heading", date=t.date(stats.later_until)), None,
                headers, rows(stats.expiring_later)),
    )
