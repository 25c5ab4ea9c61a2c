"""A spreadsheet file → the rows of one sheet, as plain values, within fixed bounds.

The file comes from anyone's e-mail: what it is is decided from its first bytes, never
from its name (a PDF renamed .xlsx, a password-protected workbook, an old .xls), and
every size is bounded before the work it would cost is done. Formulas are never
evaluated: an .xlsx cell gives the value Excel saved with it (see xlsx.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .messages import ImportFailure, RowMessage

# Bounds: a province's running OCOP list is a few thousand rows of a dozen columns; the
# national one ~17,000 rows. Anything far beyond is a mistake or an attack.
MAX_FILE_BYTES = 50_000_000  # the file on disk
MAX_UNCOMPRESSED_BYTES = 200_000_000  # an .xlsx's entries once unzipped (zip bombs)
MAX_ZIP_ENTRIES = 1_000  # a real workbook has ~10-40
MAX_ROWS = 20_000  # rows holding a value
MAX_COLUMNS = 60  # columns holding a value
MAX_CELL_CHARS = 4_000  # one cell's text (a long address is ~150)

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """The rows of one sheet: (row number as the spreadsheet shows it, cell values).
    `formulas` maps (row, column index) to a formula that had no saved value."""

    file: str  # as shown in messages: the file's name
    sheet: str  # "" for CSV
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: tuple[RowMessage, ...] = ()  # about the file: hidden sheets, encoding used


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def too_big(what_en: str, what_vi: str) -> ImportFailure:
    return ImportFailure(f"{what_en}; split the list into smaller files, or remove the "
                         "unused rows and columns",
                         f"{what_vi}; hãy chia danh sách thành các tệp nhỏ hơn, hoặc xóa "
                         "các dòng, cột không dùng")


def check_cell(value: Any, row: int, column: int) -> None:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        cell = f"{column_letter(column)}{row}"
        raise too_big(f"cell {cell} holds {len(value):,} characters; the limit is "
                      f"{MAX_CELL_CHARS:,}",
                      f"ô {cell} có {len(value):,} ký tự; giới hạn là {MAX_CELL_CHARS:,}")


def trimmed(values: tuple[Any, ...] | list[Any], row: int) -> tuple[Any, ...]:
    """The row without its trailing empty cells, each cell checked against the bounds."""
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    if end > MAX_COLUMNS:
        raise too_big(f"row {row} has values in {end} columns; the limit is {MAX_COLUMNS}",
                      f"dòng {row} có giá trị ở {end} cột; giới hạn là {MAX_COLUMNS}")
    for column in range(end):
        check_cell(values[column], row, column)
    return tuple(values[:end])


def check_row_count(row: int) -> None:
    if row > MAX_ROWS:
        raise too_big(f"the sheet has values beyond row {MAX_ROWS:,} (the limit)",
                      f"trang tính có giá trị sau dòng {MAX_ROWS:,} (giới hạn)")


def _kind(head: bytes, path: Path) -> str:
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(CFB_MAGIC):
        return "cfb"
    if head.startswith(b"%PDF"):
        raise ImportFailure(
            "this is a PDF, not a spreadsheet; ask for the decision's list as .xlsx, or "
            "copy its table into Excel and save it as .xlsx",
            "đây là tệp PDF, không phải bảng tính; hãy xin danh sách kèm quyết định dạng "
            ".xlsx, hoặc chép bảng vào Excel rồi lưu thành .xlsx")
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return "csv"
    raise ImportFailure(
        f"'{path.name}' is not a spreadsheet this command reads; save it from Excel as "
        "'Excel Workbook (.xlsx)' or 'CSV UTF-8 (.csv)'",
        f"'{path.name}' không phải bảng tính đọc được; hãy lưu từ Excel dạng "
        "'Excel Workbook (.xlsx)' hoặc 'CSV UTF-8 (.csv)'")


def _compound_file(path: Path) -> ImportFailure:
    """An OLE compound file: Excel puts a password-protected .xlsx in one (its streams
    are named EncryptionInfo and EncryptedPackage in the file's directory, which may lie
    anywhere in it: the whole file is searched, its size being bounded already), and the
    old .xls format is one."""
    data = path.read_bytes()
    if "EncryptionInfo".encode("utf-16-le") in data or \
            "EncryptedPackage".encode("utf-16-le") in data:
        return ImportFailure(
            "the workbook is protected by a password and cannot be read; open it in Excel, "
            "remove the password (File → Info → Protect Workbook → Encrypt with Password, "
            "empty it), save, and import again",
            "bảng tính được đặt mật khẩu nên không đọc được; hãy mở bằng Excel, bỏ mật khẩu "
            "(Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa trống), lưu "
            "lại rồi nhập lại")
    return ImportFailure(
        "this is an old Excel 97-2003 file (.xls); open it in Excel and save it as "
        "'Excel Workbook (.xlsx)'",
        "đây là tệp Excel 97-2003 cũ (.xls); hãy mở bằng Excel và lưu thành "
        "'Excel Workbook (.xlsx)'")


def read_table(path: Path, sheet: str | None = None, encoding: str | None = None,
               holds_list: Callable[[list[tuple[Any, ...]]], bool] = lambda rows: True
               ) -> Table:
    """The rows of `path`'s sheet (`sheet`, or the one visible sheet for which
    `holds_list(first rows)` is true); raises ImportFailure for anything that cannot be
    read, before any content is looked at."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise ImportFailure(f"cannot read the file ({exc.strerror or exc})",
                            f"không đọc được tệp ({exc.strerror or exc})") from None
    if size > MAX_FILE_BYTES:
        raise too_big(f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                      f"tệp nặng {size:,} byte; giới hạn là {MAX_FILE_BYTES:,}")
    kind = _kind(head, path)
    if kind == "cfb":
        raise _compound_file(path)
    if kind == "xlsx":
        from .xlsx import read_xlsx
        return read_xlsx(path, sheet, holds_list)
    from .csvfile import read_csv
    return read_csv(path, encoding)
