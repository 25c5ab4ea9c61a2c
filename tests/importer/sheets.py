"""Real spreadsheet files for the importer's tests: .xlsx made with openpyxl, CSVs in the
encodings offices send, and the CLI run as a subprocess."""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Sequence

import openpyxl

from ..test_cli import run

TITLE = "(Kèm theo Quyết định số 245/QĐ-UBND ngày 15/3/2025 của UBND tỉnh Vĩnh Phúc)"


def workbook(path: Path, rows: Iterable[Sequence[Any]], title: str = "Sheet1",
             merges: Sequence[str] = (), hidden: dict[str, Sequence[Sequence[Any]]] | None = None,
             extra: dict[str, Sequence[Sequence[Any]]] | None = None) -> Path:
    """An .xlsx with `rows` on its first sheet, `merges` merged, other sheets (hidden or
    not) after it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    for name, content in (extra or {}).items():
        other = book.create_sheet(name)
        for row in content:
            other.append(list(row))
    for name, content in (hidden or {}).items():
        other = book.create_sheet(name)
        for row in content:
            other.append(list(row))
        other.sheet_state = "hidden"
    book.save(path)
    return path


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: a letter the code page has precomposed (ê, ơ, đ)
    with its tone as a separate combining mark, as Vietnamese Windows writes it."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return out


def csv_text(rows: Iterable[Sequence[Any]], separator: str = ",") -> str:
    def cell(value: Any) -> str:
        value = "" if value is None else str(value)
        if any(c in value for c in (separator, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(separator.join(cell(v) for v in row) + "\r\n" for row in rows)


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` (but caches and outputs) and a hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and ".cache" not in p.parts and "public" not in p.parts}


def run_import(site: Path, sheet: Path, *args: str):
    return run("import", str(sheet), "--source", str(site), *args, cwd=sheet.parent)


def cache_formula(path: Path, cell: str, value: int) -> None:
    """Give the formula in `cell` of the first sheet a saved value, as Excel does when
    it saves (openpyxl writes formulas without one)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    pattern = re.compile(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*/>')
    assert pattern.search(sheet), cell
    parts["xl/worksheets/sheet1.xml"] = pattern.sub(rf"\g<1><v>{value}</v>", sheet).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
