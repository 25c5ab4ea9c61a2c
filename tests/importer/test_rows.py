"""Rows below the header: products, and what is skipped and why."""
from __future__ import annotations

import datetime as dt

from ocop_site.importer.headers import find_header
from ocop_site.importer.reading import Table
from ocop_site.importer.rows import Defaults, SheetRow, Skipped, parse_rows, title_defaults


def parsed(*rows, options: Defaults = Defaults(), formulas=None):
    table = Table("ds.xlsx", "Sheet1", tuple((n, tuple(r)) for n, r in rows if r),
                  formulas or {})
    return parse_rows(table, find_header(table.rows), options)


HEADER = (1, ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Số QĐ", "Ngày"])


def test_skipped_rows_say_why() -> None:
    result = parsed(HEADER, (2, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]),
                    (3, [None, "I. THỰC PHẨM"]), (4, [1, "Chè", "HTX A", 4]),
                    (6, [None, "Cộng", None, None]), (7, [None, None, "Người lập biểu"]),
                    (8, [2, "Cồng chiêng", "HTX B", 3]), (9, ["Tổng số: 2"]))
    kinds = [(type(r).__name__, r.where.row) for r in result.rows]
    assert kinds == [("Skipped", 2), ("Skipped", 3), ("SheetRow", 4), ("Skipped", 5),
                     ("Skipped", 6), ("Skipped", 7), ("SheetRow", 8), ("Skipped", 9)]
    reasons = [r.en for r in result.rows if isinstance(r, Skipped)]
    assert reasons == ["the row of column numbers",
                       "not a product row (a heading or a note): 'I. THỰC PHẨM'",
                       "blank row", "subtotal row 'Cộng'",
                       "not a product row (a heading or a note): 'Người lập biểu'",
                       "subtotal row 'Tổng số: 2'"]


def test_a_row_becomes_a_frozen_record() -> None:
    row = parsed(HEADER, (2, [1, "  Chè\nxanh ", "HTX A", "4 sao", "12/QĐ-UBND",
                              dt.datetime(2024, 1, 2)])).rows[0]
    assert isinstance(row, SheetRow) and row.usable
    assert row.texts == {"name": "Chè xanh", "producer": "HTX A", "decision": "12/QĐ-UBND"}
    assert (row.stars, row.date) == (4, dt.date(2024, 1, 2))


def test_problems_name_the_row_and_the_field() -> None:
    result = parsed(HEADER, (2, [1, "Chè", "HTX A", "ba sao rưỡi", None, "30/2/2024"]),
                    (3, [2, None, "HTX B", 2]))
    first, second = result.rows
    assert [m.format() for m in first.messages] == [
        "ds.xlsx:Sheet1:row 2: stars: 'ba sao rưỡi' — write 3, 4 or 5 / 'ba sao rưỡi' — hãy "
        "ghi 3, 4 hoặc 5",
        "ds.xlsx:Sheet1:row 2: certificate.date: '30/2/2024' is not a date; write it "
        "dd/mm/yyyy, e.g. 15/03/2024 / '30/2/2024' không phải ngày; hãy ghi dạng "
        "ngày/tháng/năm, ví dụ 15/03/2024"]
    assert [m.field for m in second.messages] == ["stars", "name"]
    assert not first.usable and not second.usable


def test_a_formula_without_saved_value_needs_attention() -> None:
    result = parsed(HEADER, (2, [1, "Chè", "HTX A"]), formulas={(2, 3): "=B9*2"})
    message = result.rows[0].messages[0]
    assert message.field == "stars" and "cell D2 holds the formula '=B9*2'" in message.en


def test_title_line_gives_the_certificate() -> None:
    line = "(Kèm theo Quyết định số 245/QĐ-UBND ngày 15/3/2024 của UBND tỉnh Vĩnh Phúc)"
    assert title_defaults(((2, line),)) == (
        Defaults("245/QĐ-UBND", dt.date(2024, 3, 15), "UBND tỉnh Vĩnh Phúc"), 2)
    other = "Kèm theo Quyết định số 1021 /QĐ-UBND ngày 02 tháng 10 năm 2023 của Chủ tịch " \
            "UBND huyện Sông Lô về việc công nhận sản phẩm OCOP"
    assert title_defaults(((1, other),)) == (
        Defaults("1021/QĐ-UBND", dt.date(2023, 10, 2), "Chủ tịch UBND huyện Sông Lô"), 1)
    options = Defaults("9/QĐ-UBND")
    result = parsed((1, [line]), HEADER, options=options)
    assert result.defaults == Defaults("9/QĐ-UBND", dt.date(2024, 3, 15), "UBND tỉnh Vĩnh Phúc")


def test_a_producer_cell_holding_its_address_is_split() -> None:
    result = parsed((1, ["Tên sản phẩm", "Chủ thể (tên, địa chỉ)", "Hạng sao"]),
                    (2, ["Ổi", "HTX Sông Lô Xanh, thôn 3, xã Đôn Nhân", 3]),
                    (3, ["Bánh", "Hộ bà Mùi - xã Tứ Yên", 3]),
                    (4, ["Giò", "Hộ kinh doanh Nguyễn Thị Hạnh\nThôn 1, xã Phương Khoan", 3]),
                    (5, ["Gà", "Công ty TNHH Lô Giang - Đức Bác", 4]))
    assert [(r.get("producer"), r.get("address")) for r in result.rows] == [
        ("HTX Sông Lô Xanh", "thôn 3, xã Đôn Nhân"), ("Hộ bà Mùi", "xã Tứ Yên"),
        ("Hộ kinh doanh Nguyễn Thị Hạnh", "Thôn 1, xã Phương Khoan"),
        ("Công ty TNHH Lô Giang - Đức Bác", "")]
