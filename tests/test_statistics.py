"""The statistics page (issue 25), on real builds: the sample site, a site with no
certificates, a site of one commune, a site.yaml with wrong targets.

Every figure is compared with counts this file makes itself from the content files'
YAML front-matter and data files (not from the package's readers): products by star
level, current commune, sector of Decision 148 and producer type; certificates by year
of decision, lapsing within 6 and 12 months (36 months from the decision date), lapsed;
the targets of site.yaml. The page, catalogue.json's `statistics` and thong-ke.csv must
all say the same.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from ocop_site.pipeline import builder

from .conftest import REPO
from .quality.conftest import SAMPLE_TODAY

BASE = "https://ocop.example.org/"


# -- counts made here, from the files ---------------------------------------------------

def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def months_later(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(day.year + year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


def plain(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip().casefold()
    for kind in ("thị trấn ", "xã ", "phường "):
        name = name.removeprefix(kind)
    return name.split(", huyện")[0].strip()


@dataclass
class Expected:
    stars: Counter[int]
    communes: dict[str, int]  # current commune name → products, every commune
    sectors: dict[str, int]  # sector name → products, every sector
    types: Counter[str]
    years: Counter[int]
    soon: list[str]  # product names, lapsing within 6 months
    later: list[str]  # within 12 months (soon included)
    expired: int
    products: list[dict[str, Any]]
    commune_of: dict[str, str]  # product name → current commune name


def expected_from(site: Path, today: dt.date) -> Expected:
    content = site / "content"
    communes = yaml.safe_load((content / "data/communes.yaml").read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for commune in communes["communes"]:
        for written in ([commune["name"]] + commune.get("aliases", [])
                        + commune.get("former_names", []) + commune.get("formed_from", [])):
            names[plain(written)] = commune["name"]
    groups = yaml.safe_load((content / "data/categories.yaml").read_text(encoding="utf-8"))
    sector_of: dict[str, str] = {}
    for group in groups["groups"]:
        for sub in group.get("subgroups", []):
            for leaf in [sub] + sub.get("categories", []):
                sector_of[leaf["id"]] = sector_of[leaf["name"]] = group["name"]
    producers = {p.stem: front_matter(p) for p in (content / "producers").glob("*.md")
                 if p.suffixes == [".md"]}
    products = [fm for p in sorted((content / "products").glob("*.md"))
                if p.suffixes == [".md"] and not (fm := front_matter(p)).get("draft")]
    soon_end, later_end = months_later(today, 6), months_later(today, 12)
    found = Expected(Counter(), {c["name"]: 0 for c in communes["communes"]},
                     {g["name"]: 0 for g in groups["groups"]}, Counter(), Counter(),
                     [], [], 0, products, {})
    for product in products:
        certificate = product["certificate"]
        signed = certificate["date"]
        until = certificate.get("valid_until") or months_later(signed, 36)
        commune = names[plain(product["commune"])]
        found.commune_of[product["name"]] = commune
        found.stars[product["stars"]] += 1
        found.communes[commune] += 1
        found.sectors[sector_of[product["category"]]] += 1
        found.types[producers[product["producer"]]["type"]] += 1
        found.years[signed.year] += 1
        if until < today:
            found.expired += 1
        elif until <= later_end:
            found.later.append(product["name"])
            if until <= soon_end:
                found.soon.append(product["name"])
    return found


# -- what the built site says -----------------------------------------------------------

class Tables(HTMLParser):
    """Each table's rows (cell texts) by the table's id; <dl> figures; the SVG charts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figures: list[str] = []
        self.charts: list[dict[str, str]] = []
        self.bars: dict[str, int] = Counter()
        self._table = ""
        self._cell: list[str] | None = None
        self._in_dd = False
        self._chart = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = found.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "dd":
            self._in_dd = True
            self.figures.append("")
        elif tag == "svg":
            self.charts.append({k: v or "" for k, v in found.items()})
            self._chart = (found.get("aria-labelledby") or "").split("-title")[0]
        elif tag == "rect" and self._chart and "bar" in (found.get("class") or ""):
            self.bars[self._chart] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = ""
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "dd":
            self._in_dd = False
        elif tag == "svg":
            self._chart = ""

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_dd:
            self.figures[-1] += data.strip()


def read_page(path: Path) -> Tables:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def body(table: list[list[str]]) -> list[list[str]]:
    return table[1:]  # the header row left out


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("statistics") / "public"
    builder.build(REPO, out, base_url=BASE, today=SAMPLE_TODAY)
    return out


@pytest.fixture(scope="module")
def expected() -> Expected:
    return expected_from(REPO, SAMPLE_TODAY)


def test_the_sample_exercises_every_figure(expected: Expected) -> None:
    """Not a test that passes on nothing: the sample has lapsed and lapsing certificates,
    several years, star levels, communes and producer types."""
    assert expected.expired and expected.soon and len(expected.later) > len(expected.soon)
    assert len(expected.years) > 2 and len(expected.stars) == 3
    assert sum(1 for n in expected.communes.values() if n) > 1 and len(expected.types) > 2


def test_the_page_tables_equal_counts_from_the_content_files(
        sample: Path, expected: Expected) -> None:
    page = read_page(sample / "thong-ke/index.html")
    tables = page.tables
    assert body(tables["by-stars-table"]) == [
        [f"{n} sao", str(expected.stars[n])] for n in (5, 4, 3)]
    communes = {row[0]: int(row[2]) for row in body(tables["by-commune-table"])}
    assert communes == expected.communes
    sectors = {row[1]: int(row[2]) for row in body(tables["by-group-table"])
               if "." not in row[0]}  # sectors I–VI, not their groups I.1 …
    assert sectors == expected.sectors
    labels = {"Doanh nghiệp": "enterprise", "Hợp tác xã": "cooperative",
              "Tổ hợp tác": "cooperative_group", "Hộ sản xuất kinh doanh": "household"}
    assert {labels[row[0]]: int(row[1]) for row in body(tables["by-type-table"])} == {
        kind: expected.types[kind] for kind in labels.values()}
    years = {int(row[0]): int(row[1]) for row in body(tables["by-year-table"])}
    assert {y: n for y, n in years.items() if n} == dict(expected.years)
    assert sorted(years) == list(range(min(expected.years), max(expected.years) + 1))
    soon = [row[0] for row in body(tables["expiring-soon-table"])]
    later = [row[0] for row in body(tables["expiring-later-table"])]
    assert sorted(soon) == sorted(expected.soon)
    assert sorted(soon + later) == sorted(expected.later)
    total = len(expected.products)
    assert page.figures == [str(total), str(total - expected.expired), str(expected.expired),
                            str(len(expected.soon)), str(len(expected.later)),
                            str(sum(1 for n in expected.communes.values() if n))]


def test_lapsing_certificates_link_to_their_products_soonest_first(
        sample: Path, expected: Expected) -> None:
    html = (sample / "thong-ke/index.html").read_text(encoding="utf-8")
    page = read_page(sample / "thong-ke/index.html")
    dates = [dt.datetime.strptime(row[3], "%d/%m/%Y").date()
             for name in ("expiring-soon-table", "expiring-later-table")
             for row in body(page.tables[name])]
    assert dates == sorted(dates) and dates[0] >= SAMPLE_TODAY
    lapsing = html.split('id="expiring-h"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="\.\./(san-pham/[^"]+/)">', lapsing)
    assert len(links) == len(expected.later)
    for link in links:  # each goes to the product's page, which exists
        assert (sample / link / "index.html").is_file()


def test_each_chart_is_an_image_with_a_name_and_its_table(sample: Path) -> None:
    page = read_page(sample / "thong-ke/index.html")
    html = (sample / "thong-ke/index.html").read_text(encoding="utf-8")
    charts = [c for c in page.charts if c.get("class") == "chart"]
    assert len(charts) == 6  # stars, communes, sectors, producer types, years, targets
    for chart in charts:
        assert chart["role"] == "img"
        title, desc = chart["aria-labelledby"], chart["aria-describedby"]
        assert f'<title id="{title}">' in html and f'<desc id="{desc}">' in html
        ident = title.removesuffix("-title")
        assert f'{ident}-table' in page.tables  # the same figures, in words
    assert page.bars["by-commune"] == 4 and page.bars["by-stars"] == 3
    assert "<script" not in html.split('<main', 1)[1].split("</main>")[0]


def test_catalogue_json_and_thong_ke_csv_say_the_same(sample: Path,
                                                      expected: Expected) -> None:
    stats = json.loads((sample / "catalogue.json").read_text(encoding="utf-8"))["statistics"]
    assert stats["date"] == SAMPLE_TODAY.isoformat()
    assert stats["product_count"] == len(expected.products)
    assert stats["by_stars"] == {str(n): expected.stars[n] for n in (5, 4, 3)}
    assert {c["name"]: c["products"] for c in stats["by_commune"]} == expected.communes
    assert {g["name"]: g["products"] for g in stats["by_group"]} == expected.sectors
    assert {k: v for k, v in stats["by_producer_type"].items() if v} == dict(expected.types)
    assert {int(y): n for y, n in stats["certificates_by_year"].items() if n} == dict(
        expected.years)
    assert sorted(p["name"] for p in stats["expiring_within_6_months"]) == sorted(
        expected.soon)
    assert sorted(p["name"] for p in stats["expiring_within_12_months"]) == sorted(
        expected.later)
    assert stats["expired"] == expected.expired

    raw = (sample / "thong-ke.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    by = {(r["section"], r["key"]): r for r in rows}
    assert by["products", "all"]["value"] == str(len(expected.products))
    assert by["products", "expired"]["value"] == str(expected.expired)
    assert {r["name"]: int(r["value"]) for r in rows if r["section"] == "commune"} == \
        expected.communes
    assert {r["key"]: int(r["value"]) for r in rows if r["section"] == "stars"} == {
        str(n): expected.stars[n] for n in (5, 4, 3)}
    assert sorted(r["name"] for r in rows if r["section"] == "expiring_12_months") == \
        sorted(expected.later)


def test_progress_against_the_targets_of_site_yaml(sample: Path, expected: Expected) -> None:
    targets = yaml.safe_load((REPO / "site.yaml").read_text(encoding="utf-8"))["targets"]
    assert targets, "the sample shows progress bars"
    wanted = []
    for year, goals in sorted(targets.items()):
        for metric, target in goals.items():
            if metric.startswith("new_"):
                least = int(metric.split("_")[1])
                actual = sum(1 for p in expected.products
                             if p["certificate"]["date"].year == year and p["stars"] >= least)
            else:
                day = min(dt.date(year, 12, 31), SAMPLE_TODAY)
                actual = len({expected.commune_of[p["name"]] for p in expected.products
                              if p["certificate"]["date"] <= day <= (
                                  p["certificate"].get("valid_until")
                                  or months_later(p["certificate"]["date"], 36))})
            wanted.append({"year": year, "metric": metric, "target": target,
                           "actual": actual})
    stats = json.loads((sample / "catalogue.json").read_text(encoding="utf-8"))["statistics"]
    order = ("new_3_star", "new_4_star", "new_5_star", "communes")
    assert stats["targets"] == sorted(wanted, key=lambda g: (g["year"],
                                                             order.index(g["metric"])))
    rows = body(read_page(sample / "thong-ke/index.html").tables["targets-table"])
    assert [(int(r[0]), int(r[2]), int(r[3]), r[4]) for r in rows] == [
        (g["year"], g["target"], g["actual"],
         f"{min(100, g['actual'] * 100 // g['target'])} %") for g in stats["targets"]]


def test_the_english_page_sits_behind_en_and_both_are_linked_and_listed(
        sample: Path, expected: Expected) -> None:
    english = sample / "en/thong-ke/index.html"
    html = english.read_text(encoding="utf-8")
    assert '<html lang="en"' in html and 'hreflang="vi"' in html
    stars = body(read_page(english).tables["by-stars-table"])
    assert stars == [[f"{n} stars", str(expected.stars[n])] for n in (5, 4, 3)]
    assert 'href="thong-ke/"' in (sample / "index.html").read_text(encoding="utf-8")
    assert 'href="../../thong-ke/"' in (sample / "san-pham/banh-chung-tam-son/index.html"
                                         ).read_text(encoding="utf-8")
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}thong-ke/</loc>" in sitemap and f"<loc>{BASE}en/thong-ke/</loc>" \
        in sitemap


# -- small sites ------------------------------------------------------------------------

SMALL_SITE = """title: OCOP một xã
base_url: https://example.org/
languages: [vi, en]
region:
  name: Thử Nghiệm
"""
ONE_COMMUNE = """communes:
  - name: Sông Lô
    formed_from: [xã Đồng Thịnh, xã Tứ Yên]
"""
PRODUCER = """---
name: HTX Chè Đồng Thịnh
type: cooperative
commune: Sông Lô
phone: "0900 000 000"
address: Đồng Thịnh
---
"""
PRODUCT = """---
name: {name}
stars: {stars}
category: che-tuoi-che-bien
commune: {commune}
producer: htx-che
certificate:
  decision: 1/QĐ-UBND
  date: {date}
---
Mô tả.
"""


def small_site(root: Path, products: list[dict[str, Any]]) -> Path:
    (root / "content/data").mkdir(parents=True)
    (root / "site.yaml").write_text(SMALL_SITE, encoding="utf-8")
    (root / "content/data/communes.yaml").write_text(ONE_COMMUNE, encoding="utf-8")
    shutil.copy(REPO / "content/data/categories.yaml", root / "content/data/categories.yaml")
    if products:
        (root / "content/producers").mkdir()
        (root / "content/producers/htx-che.md").write_text(PRODUCER, encoding="utf-8")
        (root / "content/products").mkdir()
        for index, fields in enumerate(products):
            (root / f"content/products/p{index}.md").write_text(PRODUCT.format(**fields),
                                                                encoding="utf-8")
    return root


def test_a_site_without_certificates_builds_a_sensible_page(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", [])
    builder.build(site, tmp_path / "a", today=SAMPLE_TODAY)
    builder.build(site, tmp_path / "b", today=SAMPLE_TODAY)
    page = read_page(tmp_path / "a/thong-ke/index.html")
    html = (tmp_path / "a/thong-ke/index.html").read_text(encoding="utf-8")
    assert page.figures == ["0"] * 5 + ["0"]
    assert "Chưa có sản phẩm OCOP nào trong danh mục." in html
    assert "Chưa đặt chỉ tiêu" in html and page.charts == []
    assert html.count("Không có giấy chứng nhận nào.") == 2
    for name in ("thong-ke/index.html", "en/thong-ke/index.html", "thong-ke.csv",
                 "catalogue.json"):  # same input, same bytes
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    stats = json.loads((tmp_path / "a/catalogue.json").read_text(encoding="utf-8"))
    assert stats["statistics"]["product_count"] == 0
    assert stats["statistics"]["certificates_by_year"] == {}


def test_a_site_of_one_commune_has_one_full_bar(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", [
        {"name": "Chè xanh", "stars": 3, "commune": "Đồng Thịnh", "date": "2024-01-10"},
        {"name": "Chè búp", "stars": 4, "commune": "xã Tứ Yên", "date": "2025-03-02"}])
    out = tmp_path / "out"
    builder.build(site, out, today=SAMPLE_TODAY)
    page = read_page(out / "thong-ke/index.html")
    assert body(page.tables["by-commune-table"]) == [
        ["Sông Lô", "xã Đồng Thịnh, xã Tứ Yên", "2"]]
    assert page.bars["by-commune"] == 1
    assert body(page.tables["by-year-table"]) == [["2024", "1"], ["2025", "1"]]
    assert body(page.tables["by-stars-table"]) == [["5 sao", "0"], ["4 sao", "1"],
                                                   ["3 sao", "1"]]


BAD_TARGETS = """targets:
  2025:
    new_3_stars: 10
    new_4_star: -1
  20x5:
    communes: 2
  2026: 7
"""


def test_wrong_targets_are_errors_on_their_lines_and_nothing_is_written(
        tmp_path: Path) -> None:
    site = small_site(tmp_path / "site", [])
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write(BAD_TARGETS)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source",
                           str(site), "--output", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    first = len(SMALL_SITE.splitlines())  # targets: is the next line
    lines = [line for line in done.stderr.splitlines() if line.startswith("site.yaml:")]
    assert lines[0].startswith(f"site.yaml:{first + 3}: targets.2025.new_3_stars: unknown "
                               "target 'new_3_stars'")
    assert "'new_3_star'" in lines[0] and " / không có chỉ tiêu " in lines[0]
    assert lines[1].startswith(f"site.yaml:{first + 4}: targets.2025.new_4_star: must be a "
                               "whole number of 1 or more, got -1")
    assert lines[2].startswith(f"site.yaml:{first + 5}: targets.20x5: '20x5' is not a year")
    assert lines[3].startswith(f"site.yaml:{first + 7}: targets.2026: must list the "
                               "year's targets")
    assert len(lines) == 4
