"""The error family: every exception a user can cause is a SiteError with an exit code
and a bilingual line; anything else is private and says why."""
from __future__ import annotations

import ast
import builtins
import errno
import os
from pathlib import Path

import pytest

from ocop_site import errors
from ocop_site.text.frontmatter import FrontMatterError
from ocop_site.content.safepath import UnsafePath
from ocop_site.errors import (ContentError, ContentErrors, FileSystemError, InvalidInput,
    SetupError, SiteError, UsageError)
from ocop_site.content.i18n import MissingText
from ocop_site.images.photos import ImageError
from ocop_site.scaffold.interview import Cancelled
from ocop_site.output.folder import OutputError

PACKAGE = Path(errors.__file__).parent
# exceptions that never reach a person: control flow, or caught where they are raised
PRIVATE = {"Invalid": "scaffold/: one answer refused, caught and asked again",
           "CannotEdit": "importer/editing.py: a line not edited safely, reported on its row",
           "_Unknown": "pipeline/depgraph.py: a value the graph cannot walk, caught there: "
                       "the job is recorded as reading every product"}
BUILTIN_EXCEPTIONS = {name for name, value in vars(builtins).items()
                      if isinstance(value, type) and issubclass(value, BaseException)}


def test_every_exception_class_of_the_package_is_in_the_family_or_private() -> None:
    outside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # an exception class whose bases are all Python's own is outside the family
            if isinstance(node, ast.ClassDef) and node.bases and all(
                    isinstance(base, ast.Name) and base.id in BUILTIN_EXCEPTIONS
                    for base in node.bases) and node.name not in PRIVATE:
                if not (path.name == "errors.py" and node.name == "SiteError"):
                    outside.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert outside == []


@pytest.mark.parametrize("cls, code", [
    (ContentErrors, 1), (InvalidInput, 1), (FrontMatterError, 1), (UnsafePath, 1),
    (ImageError, 1), (MissingText, 1), (UsageError, 2),
    (Cancelled, 2), (SetupError, 2), (OutputError, 2), (FileSystemError, 2),
    (errors.Interrupted, 130)])
def test_each_member_has_its_exit_code(cls: type, code: int) -> None:
    assert issubclass(cls, SiteError) and cls.exit_code == code


def test_a_members_line_is_english_then_vietnamese() -> None:
    problem = UnsafePath("the path is empty", "đường dẫn trống")
    assert str(problem) == problem.en == "the path is empty" and problem.vi == "đường dẫn trống"
    assert problem.lines() == ["ocop-site: error: the path is empty / đường dẫn trống"]
    front = FrontMatterError(3, "stars", "bad", "sai")
    assert front.to_error("p.md").format() == "p.md:3: stars: bad / sai"


def test_content_errors_are_listed_then_counted() -> None:
    raised = ContentErrors([ContentError("b.md", 2, "name", "x", "y"),
                            ContentError("a.md", 1, "stars", "z", "w")])
    assert raised.lines() == ["a.md:1: stars: z / w", "b.md:2: name: x / y",
                              "2 error(s); nothing was written / 2 lỗi; chưa ghi gì"]
    assert str(raised) == "a.md:1: stars: z / w\nb.md:2: name: x / y"


@pytest.mark.parametrize("code, start", [
    (errno.ENOSPC, "no space left on the disk for out;"),
    (errno.EDQUOT, "no space left on the disk for out;"),
    (errno.EACCES, "permission denied for out;"),
    (errno.EROFS, "permission denied for out;"),
    (errno.ENOTDIR, "out is a file where a folder is needed;"),
    (errno.EIO, "cannot use out: Input/output error")])
def test_os_errors_say_what_to_do(code: int, start: str) -> None:
    failure = FileSystemError.of(OSError(code, os.strerror(code), "x"), "out")
    assert failure.message_en.startswith(start) and failure.exit_code == 2
    assert failure.message_vi and "out" in failure.message_vi
