"""CSV files as offices send them, each encoding through the real CLI: the same plan."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ocop_site.importer.reading import read_table

from .sheets import cp1258, csv_text, run_import, tree

ROWS = [
    ["DANH SÁCH SẢN PHẨM OCOP (Kèm theo Quyết định số 88/QĐ-UBND ngày 02/01/2025 của UBND "
     "tỉnh Phú Thọ)"],
    ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Số sao"],
    ["1", "Chè xanh Đồng Thịnh", "Hợp tác xã Chè Đồng Thịnh", "xã Đồng Thịnh", "4 sao"],
    ["2", "Đùi gà hun khói Như Thụy", "HTX Chè Đồng Thịnh", "Như Thuỵ", "Năm sao"],
]


def encoded(encoding: str) -> bytes:
    text = csv_text(ROWS)
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "utf-16":
        return text.replace(",", "\t").encode("utf-16")
    return cp1258(text)


def test_cp1258_decodes_to_nfc(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(encoded("cp1258"))
    assert b"\xcc" in path.read_bytes() or b"\xec" in path.read_bytes()  # tone marks apart
    table = read_table(path)
    assert table.rows[2][1][1] == "Chè xanh Đồng Thịnh"  # NFC, equal to the typed text
    assert table.notes[0].en == "read as Windows-1258 text"


def test_semicolons_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text('Tên sản phẩm;Chủ thể;Hạng sao\r\n"Chè\nxanh";"HTX; A";4\r\n', "utf-8")
    table = read_table(path)
    assert table.rows == ((1, ("Tên sản phẩm", "Chủ thể", "Hạng sao")),
                          (2, ("Chè\nxanh", "HTX; A", "4")))


def test_binary_data_is_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(b"Ten,San\x00pham\n")
    from ocop_site.importer.messages import ImportFailure
    with pytest.raises(ImportFailure, match="binary data"):
        read_table(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-bom", "cp1258", "utf-16"])
def test_every_encoding_gives_the_same_plan(site: Path, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(encoded(encoding))
    before = tree(site)
    result = run_import(site, path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "encoding" not in line]
    assert lines == [
        "ds.csv:row 1: note: certificate: rows without their own certificate get decision "
        "88/QĐ-UBND of 02/01/2025 (UBND tỉnh Phú Thọ), from this title line / các dòng không "
        "ghi giấy chứng nhận dùng quyết định 88/QĐ-UBND ngày 02/01/2025 (UBND tỉnh Phú Thọ), "
        "lấy từ dòng tiêu đề này",
        "ds.csv:row 3: update content/products/che-xanh-dong-thinh.md: certificate.decision "
        "123/QĐ-UBND → 88/QĐ-UBND, certificate.date 12/05/2024 → 02/01/2025, "
        "certificate.issued_by UBND tỉnh Vĩnh Phúc → UBND tỉnh Phú Thọ / cập nhật",
        "ds.csv:row 4: unchanged content/products/dui-ga-nhu-thuy.md / không đổi",
        "ds.csv:row 4: note: certificate: the sheet's decision of 02/01/2025 is older than the "
        "file's (7/QĐ-UBND of 30/09/2025); the file is kept as it is / quyết định ngày "
        "02/01/2025 trong bảng cũ hơn quyết định trong tệp (7/QĐ-UBND ngày 30/09/2025); giữ "
        "nguyên tệp",
        "2 row(s): 0 new product(s) (0 new producer(s)), 1 update(s), 1 unchanged, 0 need(s) "
        "attention, 0 skipped; nothing written (add --write to write 1 file(s)) / 2 dòng: 0 "
        "sản phẩm mới (0 cơ sở mới), 1 cập nhật, 1 không đổi, 0 cần xem lại, 0 bỏ qua; chưa "
        "ghi gì (thêm --write để ghi 1 tệp)"]
    assert tree(site) == before


def test_encoding_option_reads_cp1258_as_told(site: Path, tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_bytes(encoded("cp1258"))
    assert run_import(site, path, "--encoding", "windows-1258").returncode == 0
    told_wrong = run_import(site, path, "--encoding", "utf-8")
    assert told_wrong.returncode == 2
    assert "the file is not UTF-8 text" in told_wrong.stderr
