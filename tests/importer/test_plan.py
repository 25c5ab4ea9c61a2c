"""The plan is pure: rows + the site as loaded → actions and file contents."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.importer.command import load_site
from ocop_site.importer.headers import find_header
from ocop_site.importer.plan import ATTENTION_ROW, NEW, UNCHANGED, UPDATE, make_plan
from ocop_site.importer.reading import Table
from ocop_site.importer.rows import Defaults, parse_rows

from ..conftest import TODAY
from .sheets import tree

HEADER = ["Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điện thoại", "Hạng sao", "Nhóm sản phẩm",
          "Số QĐ", "Ngày", "Điểm"]


def plan_of(site: Path, *rows, defaults: Defaults = Defaults()):
    table = Table("ds.csv", "", tuple((n, tuple(r)) for n, r in enumerate((HEADER, *rows), 1)))
    parsed = parse_rows(table, find_header(table.rows), defaults)
    return make_plan(parsed, load_site(site)[0])


def product_set(site: Path) -> str:
    """A product set of the loaded site (its ids are not hard-coded here)."""
    _, catalogue, _ = builder.load(site, today=TODAY)
    return next(c.id for c in catalogue.categories.values() if not c.children)


def messages(row) -> list[str]:
    return [f"{m.field}: {m.en}" for m in row.messages]


def test_the_plan_reads_and_never_writes(site: Path) -> None:
    before = tree(site)
    row = ["Chè xanh Đồng Thịnh", "HTX Chè Đồng Thịnh", None, None, 5, None, "9/QĐ-UBND",
           "01/02/2025"]
    first, second = plan_of(site, row), plan_of(site, row)
    assert first == second
    assert [r.action for r in first.rows] == [UPDATE]
    assert tree(site) == before
    assert first.writes[0].path == "content/products/che-xanh-dong-thinh.md"
    assert not first.writes[0].new


def test_a_new_certificate_needs_its_number_and_its_date(site: Path) -> None:
    plan = plan_of(site, ["Chè xanh Đồng Thịnh", "HTX Chè Đồng Thịnh", None, None, 4, None,
                          "9/QĐ-UBND"])
    assert plan.rows[0].action == ATTENTION_ROW
    assert messages(plan.rows[0]) == [
        "certificate.date: no decision date; add a 'Ngày' column, or give --date"]


def test_a_future_date_needs_attention(site: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=400)).strftime("%d/%m/%Y")
    plan = plan_of(site, ["Chè xanh Đồng Thịnh", "HTX Chè Đồng Thịnh", None, None, 4, None,
                          "9/QĐ-UBND", future])
    assert plan.rows[0].action == ATTENTION_ROW
    assert messages(plan.rows[0])[0].startswith(f"certificate.date: {future} is in the future")


def test_the_same_product_twice_and_a_name_another_producer_has(site: Path) -> None:
    tea = ["Chè xanh Đồng Thịnh", "Hộ ông Nguyễn Văn An", None, None, 3, product_set(site),
           "9/QĐ-UBND", "01/02/2025"]
    plan = plan_of(site, tea, tea)
    assert [r.action for r in plan.rows] == [NEW, ATTENTION_ROW]
    assert plan.rows[0].path == "content/products/che-xanh-dong-thinh-ho-mat-ong-don-nhan.md"
    assert messages(plan.rows[0]) == [
        "commune: the row names no commune; the producer's commune Đôn Nhân is used",
        "name: the address san-pham/che-xanh-dong-thinh/ is taken by "
        "content/products/che-xanh-dong-thinh.md; this product gets "
        "san-pham/che-xanh-dong-thinh-ho-mat-ong-don-nhan/"]
    assert messages(plan.rows[1]) == [
        "name: the same product and producer as row 2; keep one row"]


def test_a_new_product_never_guesses_what_the_sheet_lacks(site: Path) -> None:
    plan = plan_of(site, ["Chè mới", "HTX Chè Dong Thinh", "xã Hải Lựu", None, None, None,
                          None, None, 72])
    assert plan.rows[0].action == ATTENTION_ROW
    assert [m.split(":")[0] for m in messages(plan.rows[0])] == [
        "producer", "category", "stars", "certificate.decision", "certificate.date"]
    assert "'HTX Chè Dong Thinh' is taken as the producer 'Hợp tác xã Chè Đồng Thịnh'" \
        in messages(plan.rows[0])[0]
    assert "(its score 72 is a 4★ score)" in messages(plan.rows[0])[2]
    assert plan.writes == ()


def test_a_replaced_certificate_loses_the_old_signer(site: Path) -> None:
    plan = plan_of(site, ["Chè xanh Đồng Thịnh", "HTX Chè Đồng Thịnh", None, None, 4, None,
                          "9/QĐ-UBND", "01/02/2025"])
    _, catalogue, _ = builder.load(site, today=TODAY)
    signer = next(p for p in catalogue.products if p.slug == "che-xanh-dong-thinh"
                  ).certificate.issued_by
    assert plan.rows[0].detail_en == (
        "certificate.decision 123/QĐ-UBND → 9/QĐ-UBND, certificate.date 12/05/2024 → "
        f"01/02/2025, certificate.issued_by {signer} removed")
    written = plan.writes[0].data.decode()
    assert "issued_by" not in written and "decision: 9/QĐ-UBND" in written


def test_same_values_are_unchanged(site: Path) -> None:
    plan = plan_of(site, ["Chè xanh Đồng Thịnh", "HTX Chè Đồng Thịnh", None, None, "4 sao",
                          None, "123/QĐ-UBND", "12/05/2024"])
    assert [r.action for r in plan.rows] == [UNCHANGED] and plan.writes == ()


def test_an_old_category_id_is_filed_under_its_product_set(site: Path) -> None:
    data = site / "content/data/categories.yaml"
    leaf = product_set(site)
    data.write_text(data.read_text("utf-8") + f"aliases:\n  mat-ong-cu: {leaf}\n", "utf-8")
    plan = plan_of(site, ["Mật ong bạc hà", "Hộ ông Nguyễn Văn An", "xã Đôn Nhân", None, 4,
                          "mat-ong-cu", "9/QĐ-UBND", "01/02/2025"])
    assert [r.action for r in plan.rows] == [NEW]
    assert messages(plan.rows[0]) == [
        f"category: 'mat-ong-cu' is an old product-set id; the product is filed under '{leaf}'"]
    assert f"\ncategory: {leaf}\n" in plan.writes[0].data.decode()


def test_a_name_close_to_one_the_producer_has_is_pointed_out(site: Path) -> None:
    plan = plan_of(site, ["Chè xanh Đồng Thịnh hộp", "HTX Chè Đồng Thịnh", "xã Đồng Thịnh",
                          None, 4, product_set(site), "9/QĐ-UBND", "01/02/2025"])
    assert [r.action for r in plan.rows] == [NEW]
    assert messages(plan.rows[0])[-1] == (
        "name: the producer already has 'Chè xanh Đồng Thịnh' "
        "(content/products/che-xanh-dong-thinh.md); if it is the same product, write its "
        "name as there")


def test_a_signer_the_period_does_not_give_is_pointed_out(site: Path) -> None:
    """Decision 148 (2023-2025): 3★ by a district, 4★ by the province, 5★ centrally."""
    plan = plan_of(site, ["Mật ong bạc hà", "Hộ ông Nguyễn Văn An", "xã Đôn Nhân", None, 5,
                          product_set(site), "9/QĐ-UBND", "01/02/2025"],
                   defaults=Defaults(issued_by="UBND huyện Sông Lô"))
    assert [r.action for r in plan.rows] == [NEW]
    assert messages(plan.rows[0])[-1].startswith(
        "certificate: a 5★ certificate is signed by the central level")
