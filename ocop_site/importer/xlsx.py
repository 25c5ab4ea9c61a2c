""".xlsx through openpyxl: streamed (read_only), cached values only (data_only).

openpyxl is the maintained reader of the format; with `data_only=True` a formula cell
gives the value Excel saved with it and nothing is ever calculated, and `read_only=True`
parses one row at a time instead of building the whole workbook in memory. Before
openpyxl opens the file, the zip's directory is checked: entry count and unpacked size
(a zip bomb is refused before a byte is inflated) and that it is a workbook at all.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

from ..text import vietnamese
from .messages import INFO, ImportFailure, RowMessage, Where
from .reading import (
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
    Table,
    check_row_count,
    too_big,
    trimmed,
)

SNIFF_ROWS = 40  # rows read from each sheet to see whether it holds a list
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_OTHER_ZIPS = {
    "word/document.xml": ("a Word document (.docx)", "tệp Word (.docx)"),
    "ppt/presentation.xml": ("a PowerPoint file (.pptx)", "tệp PowerPoint (.pptx)"),
    "content.xml": ("an OpenDocument file (.ods/.odt)", "tệp OpenDocument (.ods/.odt)"),
}


def _unreadable(reason: str) -> ImportFailure:
    return ImportFailure(
        f"cannot be read as an Excel workbook ({reason}); open it in Excel and save it "
        "again as 'Excel Workbook (.xlsx)'",
        f"không đọc được như bảng tính Excel ({reason}); hãy mở bằng Excel và lưu lại "
        "dạng 'Excel Workbook (.xlsx)'")


def _check_archive(path: Path) -> bool:
    """Refuse what is not a bounded workbook; True when some sheet holds a formula."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise too_big(f"the .xlsx holds {len(entries):,} parts; the limit is "
                              f"{MAX_ZIP_ENTRIES:,}",
                              f"tệp .xlsx có {len(entries):,} phần; giới hạn là "
                              f"{MAX_ZIP_ENTRIES:,}")
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > MAX_UNCOMPRESSED_BYTES:
                raise too_big(f"the .xlsx unpacks to {unpacked:,} bytes; the limit is "
                              f"{MAX_UNCOMPRESSED_BYTES:,}",
                              f"tệp .xlsx khi giải nén nặng {unpacked:,} byte; giới hạn là "
                              f"{MAX_UNCOMPRESSED_BYTES:,}")
            names = {entry.filename for entry in entries}
            if "xl/workbook.xml" not in names:
                for part, (en, vi) in _OTHER_ZIPS.items():
                    if part in names:
                        raise ImportFailure(
                            f"this is {en}, not a spreadsheet; copy its table into Excel "
                            "and save it as .xlsx",
                            f"đây là {vi}, không phải bảng tính; hãy chép bảng vào Excel "
                            "rồi lưu thành .xlsx")
                raise _unreadable("no xl/workbook.xml in it")
            # sizes are bounded above, so reading the sheets' XML to look for <f> is too
            return any(_FORMULA.search(archive.read(name)) for name in sorted(names)
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except zipfile.BadZipFile as exc:
        raise _unreadable(str(exc)) from None


def _open(path: Path, data_only: bool):
    import openpyxl  # here: the other commands never pay for importing it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only,
                                      keep_links=False, keep_vba=False)
    except ImportFailure:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _unreadable(f"{type(exc).__name__}: {exc}"[:200]) from None


def _rows(sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) for rows holding a value; the dimensions the file states
    are not trusted (reset), so no cell is cut off and none is invented."""
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(value is not None and value != "" for value in values):
            check_row_count(number)
            yield number, trimmed(values, number)


def _describe(sheets) -> str:
    return ", ".join(f"'{s.title}'" + ("" if s.sheet_state == "visible" else " (hidden)")
                     for s in sheets)


def _choose(workbook, wanted: str | None, label: str,
            holds_list: Callable[[list[tuple[Any, ...]]], bool]):
    sheets = list(workbook.worksheets)
    if wanted is not None:
        for sheet in sheets:
            if sheet.title == wanted or vietnamese.identity_key(sheet.title) == \
                    vietnamese.identity_key(wanted):
                return sheet, ()
        raise ImportFailure(f"there is no sheet '{wanted}'; its sheets are {_describe(sheets)}",
                            f"không có trang tính '{wanted}'; các trang tính là "
                            f"{_describe(sheets)}")
    visible = [s for s in sheets if s.sheet_state == "visible"]
    notes = tuple(RowMessage(
        Where(label, "", 0), "sheet",
        f"hidden sheet '{s.title}' was not read; to read it, add --sheet '{s.title}'",
        f"trang tính ẩn '{s.title}' không được đọc; muốn đọc, thêm --sheet '{s.title}'",
        INFO) for s in sheets if s.sheet_state != "visible")
    if not visible:
        raise ImportFailure(f"every sheet is hidden ({_describe(sheets)}); name the one to "
                            "read with --sheet NAME",
                            f"mọi trang tính đều ẩn ({_describe(sheets)}); hãy chọn trang "
                            "cần đọc bằng --sheet TÊN")
    if len(visible) == 1:
        return visible[0], notes
    lists = []
    for sheet in visible:
        first = []
        for _, values in _rows(sheet):
            first.append(values)
            if len(first) >= SNIFF_ROWS:
                break
        if holds_list(first):
            lists.append(sheet)
    if len(lists) == 1:
        others = [s for s in visible if s is not lists[0]]
        return lists[0], notes + tuple(RowMessage(
            Where(label, "", 0), "sheet",
            f"sheet '{s.title}' has no list of products and was not read",
            f"trang tính '{s.title}' không có danh sách sản phẩm nên không được đọc",
            INFO) for s in others)
    candidates = lists or visible
    raise ImportFailure(f"the workbook has several sheets ({_describe(candidates)}); name "
                        "the one to read with --sheet NAME",
                        f"bảng tính có nhiều trang tính ({_describe(candidates)}); hãy chọn "
                        "trang cần đọc bằng --sheet TÊN")


def _formulas(path: Path, title: str, rows: dict[int, tuple[Any, ...]]
              ) -> dict[tuple[int, int], str]:
    """Formulas of the cells that came back empty: Excel never calculated them (the file
    was written by a program, not saved by Excel). Only read, never evaluated."""
    workbook = _open(path, data_only=False)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()
        found = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(value is not None for value in values):
                check_row_count(number)
            cached = rows.get(number, ())
            for column, value in enumerate(values):
                if isinstance(value, str) and value.startswith("=") and (
                        column >= len(cached) or cached[column] in (None, "")):
                    found[(number, column)] = value[:200]
        return found
    finally:
        workbook.close()


def _column(letters: bytes) -> int:
    index = 0
    for letter in letters.decode():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _merged_down(path: Path, part: str) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of each cell merged down one column: a producer
    written once beside two of its products. Streaming readers see only the first
    cell's value; cells merged across columns (a heading over the whole table) are left
    as they are, since repeating them would make a heading look like a product."""
    with zipfile.ZipFile(path) as archive:
        try:
            data = archive.read(part)
        except KeyError:
            return []
    merged = []
    for first_col, first_row, last_col, last_row in _MERGE.findall(data):
        if first_col == last_col and int(last_row) > int(first_row):
            merged.append((_column(first_col), int(first_row), int(last_row)))
    return merged


def _fill_merged(rows: tuple[tuple[int, tuple[Any, ...]], ...],
                 merged: list[tuple[int, int, int]]) -> tuple[tuple[int, tuple[Any, ...]], ...]:
    by_number = {number: list(values) for number, values in rows}
    for column, first, last in merged:
        top = by_number.get(first, [])
        value = top[column] if column < len(top) else None
        if value is None:
            continue
        for number in range(first + 1, last + 1):
            below = by_number.get(number)
            if below is None:  # a row holding nothing else stays a blank row
                continue
            below.extend([None] * (column + 1 - len(below)))
            if below[column] is None:
                below[column] = value
    return tuple((number, tuple(values)) for number, values in sorted(by_number.items()))


def read_xlsx(path: Path, wanted: str | None,
              holds_list: Callable[[list[tuple[Any, ...]]], bool]) -> Table:
    has_formulas = _check_archive(path)
    workbook = _open(path, data_only=True)
    try:
        sheet, notes = _choose(workbook, wanted, path.name, holds_list)
        rows = tuple(_rows(sheet))
        title = sheet.title
        part = getattr(sheet, "_worksheet_path", "")
    finally:
        workbook.close()
    merged = _merged_down(path, part) if part else []
    if merged:
        rows = _fill_merged(rows, merged)
    formulas = _formulas(path, title, dict(rows)) if has_formulas else {}
    missing = {number for number, _ in formulas} - {number for number, _ in rows}
    if missing:  # a row of uncalculated formulas only: shown, not taken for a blank row
        rows = tuple(sorted(rows + tuple((number, ()) for number in missing),
                           key=lambda row: row[0]))
    return Table(path.name, title, rows, formulas, notes)
