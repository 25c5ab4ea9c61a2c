"""reading.py and xlsx.py on real files: what a file is, from its bytes; every bound
refused with a clear line before the work it would cost; sheets chosen, hidden ones
listed; formulas read as their saved values, never calculated."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ocop_site.importer.headers import holds_list
from ocop_site.importer.messages import ImportFailure
from ocop_site.importer.reading import (MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES, MAX_ZIP_ENTRIES, column_letter, read_table)

from .sheets import cache_formula, workbook

HEADER = ["Tên sản phẩm", "Chủ thể", "Hạng sao"]


def failure(path: Path, **options) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_table(path, holds_list=holds_list, **options)
    return caught.value.en


def test_rows_keep_the_numbers_the_spreadsheet_shows(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", [["Danh sách"], [], HEADER, ["Chè", "HTX A", 4],
                                          [None, None, None], ["Ổi", "HTX B", "3 sao"]])
    table = read_table(path)
    assert table.file == "a.xlsx" and table.sheet == "Sheet1"
    assert table.rows == ((1, ("Danh sách",)), (3, tuple(HEADER)), (4, ("Chè", "HTX A", 4)),
                          (6, ("Ổi", "HTX B", "3 sao")))


def test_formulas_give_their_saved_value_and_are_never_calculated(tmp_path: Path) -> None:
    path = workbook(tmp_path / "f.xlsx", [HEADER, ["Chè", "HTX A", "=2+2"],
                                          ["Ổi", "HTX B", "=1+1"]])
    cache_formula(path, "C2", 3)  # Excel saved 3; calculating would give 4
    table = read_table(path)
    assert table.rows[1] == (2, ("Chè", "HTX A", 3))
    assert table.rows[2] == (3, ("Ổi", "HTX B"))  # no saved value: empty …
    assert table.formulas == {(3, 2): "=1+1"}  # … and the formula is known, as text


@pytest.mark.parametrize("cell, message", [
    ((MAX_ROWS + 1, 1), f"the sheet has values beyond row {MAX_ROWS:,}"),
    ((5, MAX_COLUMNS + 1), f"row 5 has values in {MAX_COLUMNS + 1} columns; the limit is "
                           f"{MAX_COLUMNS}"),
])
def test_a_sheet_too_big_is_refused(tmp_path: Path, cell: tuple[int, int], message: str) -> None:
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.cell(row=cell[0], column=cell[1], value="x")
    book.save(tmp_path / "big.xlsx")
    assert failure(tmp_path / "big.xlsx").startswith(message)


def test_a_cell_too_big_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "c.xlsx", [HEADER, ["Chè", "x" * (MAX_CELL_CHARS + 1), 4]])
    assert failure(path).startswith(f"cell B2 holds {MAX_CELL_CHARS + 1:,} characters; the "
                                    f"limit is {MAX_CELL_CHARS:,}")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(MAX_UNCOMPRESSED_BYTES // (1 << 20) + 1):
                entry.write(b" " * (1 << 20))
    assert path.stat().st_size < 2_000_000
    assert failure(path).startswith("the .xlsx unpacks to 20")


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"xl/media/{number}.bin", b"")
    assert failure(path).startswith(f"the .xlsx holds {MAX_ZIP_ENTRIES + 1:,} parts")


def test_a_damaged_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "ok.xlsx", [HEADER])
    data = path.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    assert failure(tmp_path / "cut.xlsx").startswith("cannot be read as an Excel workbook")


def test_hidden_sheets_are_listed_not_read(tmp_path: Path) -> None:
    path = workbook(tmp_path / "h.xlsx", [HEADER, ["Chè", "HTX A", 4]], "Công khai",
                    hidden={"Nháp": [HEADER, ["Bí mật", "HTX B", 5]]})
    table = read_table(path, holds_list=holds_list)
    assert table.sheet == "Công khai"
    assert [note.format() for note in table.notes] == [
        "h.xlsx: note: sheet: hidden sheet 'Nháp' was not read; to read it, add --sheet "
        "'Nháp' / trang tính ẩn 'Nháp' không được đọc; muốn đọc, thêm --sheet 'Nháp'"]
    named = read_table(path, "nháp", holds_list=holds_list)  # any case, any tone placement
    assert named.sheet == "Nháp" and named.rows[1] == (2, ("Bí mật", "HTX B", 5))


def test_only_hidden_sheets_is_an_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "hidden.xlsx", [HEADER], "A", hidden={"B": [HEADER]})
    with zipfile.ZipFile(path) as archive:  # openpyxl refuses to save such a workbook
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'sheetId="1" state="visible"', b'sheetId="1" state="hidden"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert failure(path).startswith("every sheet is hidden ('A' (hidden), 'B' (hidden))")


def test_the_one_sheet_holding_a_list_is_chosen(tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [["Ghi chú: danh sách ở trang sau"]], "Bìa",
                    extra={"Danh sách": [HEADER, ["Chè", "HTX A", 4]]})
    table = read_table(path, holds_list=holds_list)
    assert table.sheet == "Danh sách"
    assert "sheet 'Bìa' has no list of products and was not read" in table.notes[0].en


def test_several_lists_need_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "s.xlsx", [HEADER], "2023", extra={"2024": [HEADER]})
    assert failure(path).startswith("the workbook has several sheets ('2023', '2024'); name "
                                    "the one to read with --sheet NAME")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_a_cell_merged_down_is_read_on_every_row(tmp_path: Path) -> None:
    """One producer written once beside its two products; a heading merged across the
    table stays on its own row."""
    path = workbook(tmp_path / "m.xlsx", [
        ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao"],
        ["I. THỰC PHẨM"],
        [1, "Chè xanh", "HTX Chè Đồng Thịnh", 4],
        [2, "Hồng trà", None, 5],
        [3, "Bánh tẻ", "Hộ bà Mùi", 3]], merges=["C3:C4", "A2:D2"])
    table = read_table(path)
    assert table.rows[1:] == ((2, ("I. THỰC PHẨM",)), (3, (1, "Chè xanh", "HTX Chè Đồng Thịnh", 4)),
                              (4, (2, "Hồng trà", "HTX Chè Đồng Thịnh", 5)),
                              (5, (3, "Bánh tẻ", "Hộ bà Mùi", 3)))
