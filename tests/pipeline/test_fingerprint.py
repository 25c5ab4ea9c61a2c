"""The digests output cache keys are made of (pipeline/fingerprint.py): equal values give
equal digests, a change anywhere gives another, and a digest taken from the memo (a list
of 10,000 views already digested) is the one a walk would give."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import PurePath

from ocop_site.pipeline.fingerprint import Fingerprinter


@dataclasses.dataclass(frozen=True)
class Leaf:
    name: str
    when: dt.date


@dataclasses.dataclass(frozen=True)
class View:
    leaf: Leaf
    rank: int
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Standing:
    """A type the fingerprinter is told to digest as something else."""

    shown: str
    hidden: str


def fingerprinter() -> Fingerprinter:
    return Fingerprinter(overrides={Standing: lambda s: s.shown,
                                    PurePath: lambda p: p.name})


def views(n: int) -> tuple[View, ...]:
    return tuple(View(Leaf(f"sản phẩm {i}", dt.date(2026, 1, 1 + i % 28)), i, ("a",))
                 for i in range(n))


def test_equal_values_equal_digests_and_any_change_another() -> None:
    one, other = fingerprinter(), fingerprinter()
    base = views(50)
    assert one.digest(base) == other.digest(views(50))
    changed = base[:20] + (dataclasses.replace(base[20], tags=("b",)),) + base[21:]
    assert one.digest(changed) != one.digest(base)
    assert one.digest((base, "x")) != one.digest((base, "y"))
    assert one.digest(list(base)) == one.digest(base)  # a list walks as a tuple


def test_digests_from_the_memo_are_the_walks_own() -> None:
    """A tuple of instances digested before (and seeded ones) gives the bytes a fresh
    fingerprinter gives walking each; an instance of a type with an override is digested
    as its override says inside a tuple too, even when its own digest is remembered."""
    warm, cold = fingerprinter(), fingerprinter()
    items = views(300)
    for view in items:
        warm.instance_digest(view)
    assert warm.digest(items) == cold.digest(items)
    assert warm.digest((items, [items[3]])) == cold.digest((items, [items[3]]))
    standing = Standing("shown", "hidden")
    warm.instance_digest(standing)  # its fields digested: not what a page's digest uses
    assert warm.digest((standing, items[0])) == cold.digest((standing, items[0]))
    assert warm.digest((standing,)) == cold.digest((Standing("shown", "other"),))
    assert warm.digest((PurePath("a/b.md"),)) == cold.digest((PurePath("c/b.md"),))
    seeded = fingerprinter()
    seeded.seed(items[0], b"\x00" * 16)  # what the last build's graph says it digested to
    assert seeded.digest(items[:2]) != cold.digest(items[:2])
