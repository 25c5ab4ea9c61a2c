"""Content errors as values: collected while loading, reported once, in English and Vietnamese.

Producers fix their own files from these messages, so every error names the file, the
line of the offending key, the field, and what to write instead.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence


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


class ContentErrors(Exception):
    """Raised once, at the end of loading, carrying every error found."""

    def __init__(self, errors: Sequence[ContentError]):
        self.errors = tuple(sorted(errors))
        super().__init__("\n".join(e.format() for e in self.errors))


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
