"""What `import` says about a row, named as the person sees it in the spreadsheet.

`danh-sach.xlsx:Sheet1:row 14: commune: English / Tiếng Việt` — the row number is the
one the spreadsheet shows at its left edge, so an official finds the row without
counting. Formatted exactly like errors.ContentError.format (same separators, same
escaping of line breaks), so a person reads one style of line from every command.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ContentError, UsageError

ATTENTION, INFO = "attention", "info"


@dataclass(frozen=True, order=True)
class Where:
    """A row of one sheet of one file (`sheet` is empty for a CSV file)."""

    file: str
    sheet: str
    row: int

    def format(self) -> str:
        sheet = f"{self.sheet}:" if self.sheet else ""
        return f"{self.file}:{sheet}row {self.row}" if self.row else f"{self.file}"


@dataclass(frozen=True, order=True)
class RowMessage:
    """One problem (ATTENTION: the row is not written) or note (INFO) about a row."""

    where: Where
    field: str
    en: str
    vi: str
    severity: str = ATTENTION

    def format(self) -> str:
        """Like ContentError.format; an INFO line starts 'note: ' as a warning starts
        'warning: ', so the lines that stop a row stand out."""
        prefix = "note: " if self.severity == INFO else ""
        error = ContentError(self.where.format(), 0, prefix + self.field, self.en, self.vi)
        return error.format()

    @property
    def blocks(self) -> bool:
        return self.severity == ATTENTION


class ImportFailure(UsageError):
    """The file as a whole cannot be used (not a spreadsheet, too big, no header row):
    a usage error, exit code 2, nothing written."""

    def __init__(self, en: str, vi: str):
        super().__init__(en, vi)
        self.en, self.vi = en, vi

    def format(self, file: str) -> str:
        return f"{file}: error: {self.en} / lỗi: {self.vi}"
