"""CSV as offices save it: UTF-8 with or without a byte order mark ("CSV UTF-8"), or
Windows-1258, the Vietnamese code page older Excel versions and office software still
write; separated by commas, or by semicolons where the list separator is ';'.

Python's cp1258 codec returns a tone mark as a separate combining character after its
letter (that is how the code page stores most toned letters), so text is NFC-normalised
after decoding, like every other text the site reads.
"""
from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ..text.frontmatter import FrontMatterError, nfc_bounded
from .messages import INFO, ImportFailure, RowMessage, Where
from .reading import Table, check_row_count, trimmed

ENCODINGS = ("utf-8", "cp1258")  # what --encoding accepts (and their usual aliases)
_ALIASES = {"utf8": "utf-8", "utf-8-sig": "utf-8", "windows-1258": "cp1258",
            "cp-1258": "cp1258", "1258": "cp1258"}


def encoding_name(value: str) -> str:
    """--encoding's value as a codec name; ValueError for one this command does not read."""
    name = _ALIASES.get(value.strip().lower(), value.strip().lower())
    if name not in ENCODINGS:
        raise ValueError(value)
    return name


def _decode(raw: bytes, wanted: str | None) -> tuple[str, str]:
    """(text, what was used); a UTF-16 file ("Unicode Text" from Excel) is read too."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and wanted is None:
        return raw.decode("utf-16"), "UTF-16"
    tried = [wanted] if wanted else ["utf-8", "cp1258"]
    for name in tried:
        try:
            if name == "utf-8":
                return raw.decode("utf-8-sig"), "UTF-8"
            return raw.decode(name), "Windows-1258"
        except UnicodeDecodeError:
            continue
    shown = "UTF-8" if wanted == "utf-8" else "Windows-1258" if wanted else \
        "UTF-8 or Windows-1258"
    raise ImportFailure(f"the file is not {shown} text; save it from Excel as "
                        "'CSV UTF-8 (Comma delimited)'",
                        f"tệp không phải văn bản {shown}; hãy lưu từ Excel dạng "
                        "'CSV UTF-8 (Comma delimited)'")


def _delimiter(sample: str) -> str:
    """',' or ';' (Excel where the list separator is ';') or a tab ("Unicode Text"):
    the one that splits the most of the first lines into three cells or more. Title rows
    above the table hold none of them, which is why csv.Sniffer gives up on such files."""
    lines = sample.splitlines()[:60]

    def rows_split(delimiter: str) -> int:
        return sum(1 for row in csv.reader(lines, delimiter=delimiter) if len(row) >= 3)

    return max((",", ";", "\t"), key=rows_split)  # max keeps the first of equals: ','


def read_csv(path: Path, wanted: str | None) -> Table:
    raw = path.read_bytes()
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFailure("the file holds binary data, not text; save it from Excel as "
                            "'CSV UTF-8 (Comma delimited)' or '.xlsx'",
                            "tệp chứa dữ liệu nhị phân, không phải văn bản; hãy lưu từ Excel "
                            "dạng 'CSV UTF-8 (Comma delimited)' hoặc '.xlsx'")
    decoded, used = _decode(raw, wanted)
    try:
        content = nfc_bounded(decoded, lambda index: decoded[:index].count("\n") + 1, "text")
    except FrontMatterError as exc:
        raise ImportFailure(f"line {exc.line}: {exc.en}", f"dòng {exc.line}: {exc.vi}") from None
    rows = []
    try:
        reader = csv.reader(io.StringIO(content, newline=""),
                            delimiter=_delimiter(content[:20_000]))
        for number, values in enumerate(reader, start=1):
            if any(value.strip() for value in values):
                check_row_count(number)
                rows.append((number, trimmed([v if v.strip() else None for v in values],
                                             number)))
    except csv.Error as exc:
        raise ImportFailure(f"cannot be read as CSV ({exc})",
                            f"không đọc được như tệp CSV ({exc})") from None
    notes: tuple[RowMessage, ...] = ()
    if used not in ("UTF-8",):
        notes = (RowMessage(Where(path.name, "", 0), "encoding",
                            f"read as {used} text", f"đọc theo bảng mã {used}", INFO),)
    return Table(path.name, "", tuple(rows), {}, notes)
