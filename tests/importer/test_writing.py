"""All the plan's files or none: a failing check puts every file back."""
from __future__ import annotations

from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.importer.plan import FileWrite
from ocop_site.importer.writing import write_plan

from .sheets import tree

GOOD = "content/products/che-xanh-dong-thinh.md"


def test_written_and_checked(site: Path) -> None:
    original = (site / GOOD).read_bytes()
    writes = (FileWrite(GOOD, original.replace(b"stars: 4", b"stars: 5"), new=False),)
    assert write_plan(site, writes, builder.check) == ()
    assert (site / GOOD).read_bytes() == original.replace(b"stars: 4", b"stars: 5")


def test_a_failing_check_puts_everything_back(site: Path) -> None:
    before = tree(site)
    original = (site / GOOD).read_bytes()
    writes = (FileWrite(GOOD, original.replace(b"stars: 4", b"stars: 5"), new=False),
              FileWrite("content/products/moi.md", original.replace(b"stars: 4", b"stars: 8")
                        .replace("Chè xanh".encode(), "Chè mới".encode()), new=True))
    errors = write_plan(site, writes, builder.check)
    assert [e.format().split(": ")[0:2] for e in errors] == [["content/products/moi.md:3",
                                                              "stars"]]
    assert tree(site) == before


def test_a_file_that_appeared_meanwhile_is_never_overwritten(site: Path) -> None:
    before = tree(site)
    original = (site / GOOD).read_bytes()
    writes = (FileWrite(GOOD, original.replace(b"stars: 4", b"stars: 5"), new=False),
              FileWrite("content/products/mat-ong-don-nhan.md", b"x", new=True))
    with pytest.raises(FileExistsError):
        write_plan(site, writes, builder.check)
    assert tree(site) == before

