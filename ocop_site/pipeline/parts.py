"""Parts of pages kept between builds (site/fragments.py `PartStore`): a row of the print
catalogue, by a digest of what it shows, in the output cache.

Looked up and made where the page is rendered, perhaps in a worker process: what a
render used and made is collected here and `drain`ed with the page, so the parent
process notes it in the cache's index (output/place.py `keep_parts`).
"""
from __future__ import annotations

from typing import Any

from ..output.place import Output, PartMade
from ..site.recorded import Read, ReadResolver, readset_id
from .fingerprint import Fingerprinter

Drained = tuple[tuple[str, ...], tuple[PartMade, ...]]  # (keys used, parts made)


class KeptParts:
    """The build's PartStore: keys digest the part's name and values with what every
    page shares (`common`, set once the shared values are made) and the code's version
    (in `common`)."""

    def __init__(self, fp: Fingerprinter, resolver: ReadResolver):
        self.fp, self.resolver = fp, resolver
        self.common = ""
        self.output: Output | None = None  # none yet: nothing is kept
        self._used: list[str] = []
        self._made: list[PartMade] = []

    def key(self, name: str, values: tuple[Any, ...]) -> str:
        """The key a part showing `values` is kept under."""
        return self.fp.hexdigest("part", name, self.common, values)

    def get(self, name: str, values: tuple[Any, ...]) -> tuple[str, tuple[Read, ...]] | None:
        if self.output is None or not self.common:
            return None
        key = self.key(name, values)
        found = self.output.part(key, self.resolver)
        if found is not None:
            self._used.append(key)
        return found

    def put(self, name: str, values: tuple[Any, ...], html: str,
            reads: tuple[Read, ...], joined: tuple[str, ...] = ()) -> None:
        """Keep a part just rendered; `joined`: the keys of the kept parts it was joined
        from, kept as long as it is."""
        if self.output is None or not self.common:
            return
        readset = readset_id(reads) if reads else ""
        digest = self.resolver.values_digest(readset, reads) if reads else b""
        self._made.append((self.key(name, values), html, (readset, digest, reads), joined))

    def drain(self) -> Drained:
        """What renders since the last drain used and made (each readset's lookups sent
        once), for the parent process."""
        sent: set[str] = set()
        made = []
        for key, html, (readset, digest, reads), joined in self._made:
            made.append((key, html, (readset, digest, () if readset in sent else reads),
                         joined))
            sent.add(readset)
        drained = tuple(self._used), tuple(made)
        self._used.clear()
        self._made.clear()
        return drained
