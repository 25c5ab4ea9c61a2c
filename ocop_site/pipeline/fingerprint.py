"""Digests of the values a page or file is made from: the keys of the output cache.

A page is rendered from its `Page` (URL, title, context) and the values every page
shares; templates only display what they are given (site/pages.py decides everything), so a
digest of those values says exactly when the page must be rendered again. The digest
walks the values themselves — frozen dataclasses field by field, tuples, mappings in
their order, strings, numbers, dates, paths — so a change anywhere a page can see it
changes the digest, and nothing a page cannot see does.

What is read while rendering rather than given (templates, interface strings) is
recorded then (site/render.py `Reads`) and checked apart: it is not part of these digests.

A `Fingerprinter` remembers the digest of every dataclass instance it has seen (by
identity, holding the instance so the identity stays unique): a product shown on forty
pages is digested once. Objects may say what they stand for with `__fingerprint__()`
(a value digested instead of their fields), e.g. to leave out what is recorded apart.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import sys
from collections import abc
from pathlib import PurePath
from typing import Any, Callable, Mapping

Digest = bytes  # 16 bytes

_SEPARATOR = b"\x1f"


class Fingerprinter:
    """Digests of values, each dataclass instance digested once. `overrides`: for
    instances of a type, the value to digest instead (what it stands for)."""

    def __init__(self, overrides: Mapping[type, Callable[[Any], Any]] | None = None) -> None:
        self._memo: dict[int, tuple[Any, Digest]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}
        self._overrides = dict(overrides or {})
        self._override_of: dict[type, Callable[[Any], Any] | None] = {}

    def carried(self) -> "Fingerprinter":
        """A fingerprinter for the next build of the same site in this process (serve's
        session) that still knows the digests of the instances it digested: an edit of
        one product does not digest the other 10,000 again. It takes this one's memo
        over (this one is not used again); `prune` it once the build is done. Sound
        because the instances digested are frozen and never changed."""
        return self._with_memo(self._memo)

    def copied(self) -> "Fingerprinter":
        """Another fingerprinter knowing what this one knows, for another thread (serve's
        search update beside a build): the memo copied at once (one C call, so a build
        adding to it meanwhile is not seen half way)."""
        return self._with_memo(self._memo.copy())

    def _with_memo(self, memo: dict[int, tuple[Any, Digest]]) -> "Fingerprinter":
        """This one's overrides and field tables (filled with the same values by any
        thread), with `memo`."""
        other = Fingerprinter()
        other._overrides, other._override_of = self._overrides, self._override_of
        other._fields, other._memo = self._fields, memo
        return other

    def prune(self) -> None:
        """Forget the instances only this memo still holds (a build's pages and views,
        gone once it is over): their ids may be reused."""
        # the memo's tuple and getrefcount's argument: 2 references when nothing else
        # holds the instance
        self._memo = {key: entry for key, entry in self._memo.items()
                      if sys.getrefcount(entry[0]) > 2}

    def instance_digest(self, value: Any) -> Digest:
        """The digest this fingerprinter keeps for a dataclass instance (what `seed`
        takes; not `digest(value)`, which digests it once more)."""
        return self._object(value)

    def seed(self, value: Any, digest: Digest) -> None:
        """`value`'s instance_digest, known already (pipeline/graphplan.py seed_digests:
        an unchanged product's, kept by the last build): not walked again."""
        self._memo[id(value)] = (value, digest)

    def _override(self, kind: type) -> Callable[[Any], Any] | None:
        try:
            return self._override_of[kind]
        except KeyError:
            found = next((self._overrides[base] for base in kind.__mro__
                          if base in self._overrides), None)
            self._override_of[kind] = found
            return found

    def digest(self, value: Any) -> Digest:
        """16-byte digest of `value`; equal values give equal digests."""
        parts: list[bytes] = []
        self._feed(value, parts)
        return hashlib.blake2b(b"".join(parts), digest_size=16).digest()

    def hexdigest(self, *values: Any) -> str:
        return self.digest(values).hex()

    # -- the walk ----------------------------------------------------------------------
    def _feed(self, value: Any, parts: list[bytes]) -> None:
        kind = type(value)
        if kind is str:  # most of what pages hold: ~60% of the calls
            data = value.encode("utf-8", "surrogatepass")
            parts.append(b"s%d:%b" % (len(data), data))  # as _text makes it
            return
        simple = _SIMPLE.get(kind)
        if simple is not None:
            parts.append(simple(value))
            return
        if self._overrides:
            override = self._override(kind)
            if override is not None:
                parts.append(b"o")
                self._feed(override(value), parts)
                return
        if kind is tuple or kind is list:
            parts.append(b"(%d" % len(value))
            # a list page's 10,000 product views are each digested already: their
            # digests taken from the memo here, not a call of _feed and _object each
            # (what _feed would append: no override for their type)
            memo = self._memo
            for item in value:
                entry = memo.get(id(item))
                if entry is not None and entry[0] is item \
                        and not (self._overrides and self._override(type(item))):
                    parts.append(entry[1])
                else:
                    self._feed(item, parts)
            parts.append(b")")
            return
        if hasattr(kind, "__dataclass_fields__") or hasattr(value, "__fingerprint__"):
            parts.append(self._object(value))
            return
        if kind is dict or isinstance(value, abc.Mapping):  # not typing's: 10x slower
            parts.append(b"{%d" % len(value))
            for key, item in value.items():
                self._feed(key, parts)
                self._feed(item, parts)
            parts.append(b"}")
            return
        for base, simple in _SIMPLE.items():  # subclasses: Markup is a str, Path a PurePath
            if isinstance(value, base):
                parts.append(simple(value))
                return
        if isinstance(value, (frozenset, set)):
            parts.append(b"<%d" % len(value))
            for item in sorted(value, key=repr):
                self._feed(item, parts)
            parts.append(b">")
            return
        if isinstance(value, type):
            parts.append(b"T" + f"{value.__module__}.{value.__qualname__}".encode())
            return
        # a program error, not a user's: a page was given something the cache cannot see
        # into (a function, say); give it data, or a `__fingerprint__()`
        raise TypeError(f"cannot fingerprint {kind.__module__}.{kind.__qualname__}")

    def _object(self, value: Any) -> Digest:
        entry = self._memo.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        kind = type(value)
        parts = [f"{kind.__module__}.{kind.__qualname__}".encode()]
        custom = getattr(value, "__fingerprint__", None)
        if custom is not None:
            self._feed(custom(), parts)
        else:
            names = self._fields.get(kind)
            if names is None:
                names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind))
            for name in names:
                self._feed(getattr(value, name), parts)
        digest = hashlib.blake2b(_SEPARATOR.join(parts), digest_size=16).digest()
        self._memo[id(value)] = (value, digest)
        return digest


def _text(value: str) -> bytes:
    data = value.encode("utf-8", "surrogatepass")
    return b"s%d:" % len(data) + data


_SIMPLE: dict[type, Callable[[Any], bytes]] = {
    str: _text,
    bytes: lambda v: b"b%d:" % len(v) + v,
    bool: lambda v: b"T" if v else b"F",
    int: lambda v: b"i%d" % v,
    float: lambda v: b"f" + repr(v).encode(),
    type(None): lambda v: b"N",
    dt.date: lambda v: b"d" + v.isoformat().encode(),
    dt.datetime: lambda v: b"D" + v.isoformat().encode(),
    PurePath: lambda v: b"p" + _text(str(v)),
    enum.Enum: lambda v: b"e" + repr(v).encode(),
}
