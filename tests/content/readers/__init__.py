"""Each reader on its own, on small real files in a temporary site folder."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ocop_site.content.readers.context import ReadContext
from ocop_site.errors import ErrorCollector

TODAY = dt.date(2026, 6, 1)


def context(root: Path, languages: tuple[str, ...] = ("vi", "en"),
            today: dt.date = TODAY) -> ReadContext:
    """A reading of the site folder `root` (its content/ is created)."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    return ReadContext(root, root / "content", languages, today, ErrorCollector())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lines(ctx: ReadContext) -> list[str]:
    """The errors reported so far, as the CLI prints them."""
    return [error.format() for error in ctx.errors.errors]


def warnings(ctx: ReadContext) -> list[str]:
    return [warning.format() for warning in ctx.errors.warnings]
