"""Errors a user can cause, in English and Vietnamese, and the one family they belong to.

Content errors are values (ContentError): collected while loading, reported once.
Producers fix their own files from these messages, so every error names the file, the
line of the offending key, the field, and what to write instead.

Every failure a person running the program can cause is a SiteError; `cli.main` prints
its lines and exits with its code, never a traceback:

    SiteError
    ├── ContentErrors    1  every ContentError of a load or build
    ├── InvalidInput     1  one problem met inside a stage (front-matter, a path, a photo,
    │                       a missing interface string), turned into a ContentError by the
    │                       stage that knows the file: FrontMatterError, UnsafePath,
    │                       ImageError, MissingText
    ├── UsageError       2  the command line or the site folder: no site.yaml, a file
    │                       `new` will not overwrite, `new` cancelled
    ├── SetupError       2  the machine: an output folder that cannot be written
    │                       (writer.OutputError, FileSystemError: permission denied, disk
    │                       full, a file in the way)
    └── Interrupted    130  Ctrl+C
"""
from __future__ import annotations

import difflib
import errno
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in one file. `line` is 1-based; 0 means 'the file as a whole'."""

    path: str
    line: int
    field: str
    message_en: str
    message_vi: str
    severity: str = "error"  # "error" stops the build; "warning" is only reported

    def format(self) -> str:
        """`path:line: field: English / Tiếng Việt` — one line, grep- and editor-friendly.

        Line breaks a contributor put in a quoted value are shown as \\n: a second line
        starting with '::' would be a GitHub Actions workflow command in a CI log."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        line = f"{where}: {prefix}{self.field}: {self.message_en} / {self.message_vi}"
        return line.translate(_LINE_BREAKS)


_LINE_BREAKS = {ord(c): "\\n" for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


class SiteError(Exception):
    """A failure the person running the command can fix. `str()` is the English message
    (as before the family existed); `lines()` is what the CLI prints."""

    exit_code = EXIT_CONTENT

    def __init__(self, message_en: str, message_vi: str):
        super().__init__(message_en)
        self.message_en, self.message_vi = message_en, message_vi

    def lines(self) -> list[str]:
        return [f"ocop-site: error: {self.message_en} / {self.message_vi}"]


class ContentErrors(SiteError):
    """Raised once, at the end of loading, carrying every error found."""

    def __init__(self, errors: Sequence[ContentError]):
        self.errors = tuple(sorted(errors))
        count = len(self.errors)
        super().__init__("\n".join(e.format() for e in self.errors),
                         f"{count} lỗi; chưa ghi gì")

    def lines(self) -> list[str]:
        count = len(self.errors)
        return [e.format() for e in self.errors] + [
            f"{count} error(s); nothing was written / {count} lỗi; chưa ghi gì"]


class InvalidInput(SiteError):
    """One problem found inside a stage, before the stage knows which file to name: the
    stage catches it and reports a ContentError (`en`, `vi` are the two messages)."""

    @property
    def en(self) -> str:
        return self.message_en

    @property
    def vi(self) -> str:
        return self.message_vi


class UsageError(SiteError):
    """The command line or the site folder is not what the command needs."""

    exit_code = EXIT_USAGE


class SetupError(SiteError):
    """The machine: a folder that cannot be written, a full disk, a missing tool."""

    exit_code = EXIT_USAGE


class FileSystemError(SetupError):
    """An OSError (permission denied, disk full, a file where a folder should be) in
    words that say what to do; `shown` is the path as the person knows it."""

    @classmethod
    def of(cls, exc: OSError, shown: str) -> FileSystemError:
        code = exc.errno
        if code in (errno.ENOSPC, errno.EDQUOT):
            return cls(f"no space left on the disk for {shown}; free some space and run "
                       "the command again",
                       f"ổ đĩa hết chỗ, không ghi được {shown}; hãy giải phóng bớt dung "
                       "lượng rồi chạy lại lệnh")
        if code in (errno.EACCES, errno.EPERM, errno.EROFS):
            return cls(f"permission denied for {shown}; choose a folder you may write to "
                       "(--output) or change its permissions",
                       f"không có quyền với {shown}; hãy chọn thư mục được phép ghi "
                       "(--output) hoặc đổi quyền truy cập")
        if code in (errno.EEXIST, errno.ENOTDIR):
            return cls(f"{shown} is a file where a folder is needed; move the file away or "
                       "choose another --output",
                       f"{shown} là một tệp, ở đó cần một thư mục; hãy chuyển tệp đi hoặc "
                       "chọn --output khác")
        reason = exc.strerror or type(exc).__name__
        return cls(f"cannot use {shown}: {reason}", f"không dùng được {shown}: {reason}")


class Interrupted(SiteError):
    """Ctrl+C: the build stops where it is; the output is swapped in whole or not at all."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self) -> None:
        super().__init__("stopped (Ctrl+C); the site was not changed",
                         "đã dừng (Ctrl+C); trang chưa bị thay đổi")

    def lines(self) -> list[str]:
        return [f"ocop-site: {self.message_en} / {self.message_vi}"]


@dataclass
class ErrorCollector:
    """Accumulates errors and warnings while a stage walks the content."""

    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)

    def add(self, path: str | Path, line: int, field_name: str, en: str, vi: str) -> None:
        self.errors.append(ContentError(str(path), line, field_name, en, vi))

    def warn(self, path: str | Path, line: int, field_name: str, en: str, vi: str) -> None:
        self.warnings.append(ContentError(str(path), line, field_name, en, vi, "warning"))

    def extend(self, errors: Iterable[ContentError]) -> None:
        for error in errors:
            (self.warnings if error.severity == "warning" else self.errors).append(error)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(self.errors)


def nearest(word: str, choices: Iterable[str], key=None) -> str | None:
    """The closest known value, for 'did you mean …?' hints (None when nothing is close)."""
    choices = list(choices)
    if not choices:
        return None
    if key is None:
        matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
        return matches[0] if matches else None
    keyed = {key(c): c for c in choices}
    matches = difflib.get_close_matches(key(word), list(keyed), n=1, cutoff=0.5)
    return keyed[matches[0]] if matches else None


def did_you_mean(suggestion: str | None) -> tuple[str, str]:
    """English and Vietnamese tails for a suggestion (empty strings when there is none)."""
    if not suggestion:
        return "", ""
    return f" — did you mean '{suggestion}'?", f" — có phải là '{suggestion}'?"
