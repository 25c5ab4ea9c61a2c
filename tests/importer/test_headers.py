"""The header row is found, not assumed."""
from __future__ import annotations

import pytest

from ocop_site.importer.headers import find_header, match_label


@pytest.mark.parametrize("label, field", [
    ("Tên sản phẩm", "name"), ("TÊN SẢN PHẨM", "name"), ("Ten san pham", "name"),
    ("Sản phẩm", "name"), ("Tên sản phẩm OCOP", "name"), ("Tên\nsản phẩm", "name"),
    ("Chủ thể", "producer"), ("Tên chủ thể", "producer"), ("Đơn vị", "producer"),
    ("Địa chỉ", "address"), ("Hạng sao", "stars"), ("Số sao", "stars"),
    ("Xếp hạng", "stars"), ("Hạng sao (3-5)", "stars"), ("Nhóm sản phẩm", "category"),
    ("Số QĐ", "decision"), ("Ngày", "date"), ("Điểm", "score"), ("SĐT", "phone"),
    ("Loại hình", "producer_type"), ("category_id", "category"), ("producer_id", "producer_id"),
])
def test_header_spellings(label: str, field: str) -> None:
    assert match_label(label)[0] == field


def test_unknown_labels_are_not_guessed() -> None:
    assert match_label("Ghi chú")[0] == "-"  # known, read by nobody
    assert match_label("Mã vạch") is None


def rows(*values):
    return tuple((number, tuple(row)) for number, row in enumerate(values, 1) if row)


def test_title_rows_above_and_columns_in_any_order() -> None:
    header = find_header(rows(
        ["UBND TỈNH VĨNH PHÚC"], ["DANH SÁCH SẢN PHẨM OCOP"], [],
        ["Hạng sao", "Địa chỉ", "STT", "Ten chu the", "Ten san pham"],
        ["4", "xã A", "1", "HTX A", "Chè"]))
    assert header.row == 4
    assert dict(header.columns) == {"stars": 0, "address": 1, "stt": 2, "producer": 3,
                                    "name": 4}
    assert header.title == ((1, "UBND TỈNH VĨNH PHÚC"), (2, "DANH SÁCH SẢN PHẨM OCOP"))


def test_two_rows_under_a_merged_cell() -> None:
    header = find_header(rows(
        ["STT", "Tên sản phẩm", "Chủ thể", None, "Hạng sao"],
        [None, None, "Tên", "Địa chỉ"],
        [1, "Chè", "HTX A", "xã A", 4]))
    assert header.row == 2 and header.rows == (1, 2)
    assert dict(header.columns) == {"stt": 0, "name": 1, "producer": 2, "address": 3,
                                    "stars": 4}


def test_a_producer_column_holding_the_address() -> None:
    header = find_header(rows(["Tên sản phẩm", "Chủ thể (tên, địa chỉ)", "Hạng sao"]))
    assert header.producer_has_address
    assert not find_header(rows(["Tên sản phẩm", "Chủ thể", "Địa chỉ"])).producer_has_address


def test_the_better_column_wins_and_the_other_is_reported() -> None:
    header = find_header(rows(["name", "category_code", "category_id", "category_name",
                               "stars", "Mã vạch"]))
    assert header.columns["category"] == 2
    assert header.unused == (1, 3, 5)


def test_no_header() -> None:
    assert find_header(rows(["Tên sản phẩm", "Ghi chú"], ["Chè", "x"])) is None
    assert find_header(rows(["Chủ thể", "Hạng sao", "Địa chỉ"])) is None  # no product name
