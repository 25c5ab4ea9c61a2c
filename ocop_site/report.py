"""How `check` and `build` show content errors: plain lines for people and editors, or
GitHub Actions workflow commands so a pull request shows each error on its line."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ContentError

FORMATS = ("text", "github")


def escape_data(value: str) -> str:
    """A workflow command's message: %, CR and LF are encoded (GitHub's toolkit rules)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A workflow command's property value: as data, plus ':' and ',' which separate
    properties."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_file(source: Path, shown: str, cwd: Path) -> str:
    """The error's file relative to the working directory (the repository checkout in
    CI), since errors name files relative to the site folder, which may be a subfolder."""
    path = Path(os.path.abspath(source / shown))
    try:
        return path.relative_to(Path(os.path.abspath(cwd))).as_posix()
    except ValueError:
        return path.as_posix()


def github_annotation(error: ContentError, file: str) -> str:
    """`::error file=…,line=…,title=…::English / Tiếng Việt` (or `::warning`); a
    whole-file error (line 0) has no line."""
    command = "warning" if error.severity == "warning" else "error"
    properties = [f"file={escape_property(file)}"]
    if error.line:
        properties.append(f"line={error.line}")
    properties.append(f"title={escape_property(error.field)}")
    message = f"{error.message_en} / {error.message_vi}"
    return f"::{command} {','.join(properties)}::{escape_data(message)}"
