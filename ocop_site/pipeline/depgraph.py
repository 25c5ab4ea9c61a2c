"""The reverse-dependency graph of the last CLI build: which products and shops each
output read.

A build that finds the graph of the build before it (`.cache/graph.pickle`) and sees that
only the words of some product or shop files changed plans and fingerprints only the
outputs that showed those products or shops (the graph's `reads`), and the outputs that
read everything (open data, the feeds; the search index is always made by its own key).
Every other output is taken from the output cache by the key the graph kept, without
planning its page again. The words are:

* of a product: its summary, body, price, unit or online stores (`LOCAL_FIELDS`),
  nothing that decides which lists a product is in, in what order, or what any count or
  statistic says; or its name (`ORDER_FIELDS`) where the products keep their order in
  every language (`Graph.order`: renamed past another product, every list changes);
* of a shop (or of its translation file): its address, position, phone, Zalo, opening
  hours or description (`SHOP_LOCAL_FIELDS`). Its name (the order of every list of
  shops), kind, commune (the index's groups, a product's nearby shops first), products,
  photos (the sitemap's photos, the image files) and translations' names are its
  structure: they decide more than the pages showing the shop.

`edited_keys` sorts the changed files into these cases, each kind of content file one
case of the same loop; a product and a shop edited together plan the union.

The graph is exact or not used: any other input that changed (site.yaml, a data file, a
producer, a commune, an event, a template, an interface string, an asset, a photo), a
product or shop added, removed or moved between lists (a product's name, stars,
commune, category, producer, certificate, photo, draft or translation changed; a shop's
structure above), another version of the code, other build options, or a graph missing,
unreadable or made for another site: the build plans everything, as it always did, and
writes a new graph. The inputs are compared by stat first and, when a stat differs, by a
digest of the bytes (a file touched but not changed is not an edit).

What an output read is found by walking its `Page` (a `ProductView` holds its `Product`,
a `ShopView` its `Shop`); reads are product slugs and shop keys (`shop_key`: "shop:<id>",
which no slug can be: slugs are a-z, 0-9 and '-') in one interned set. A page that holds
something the walk cannot see into reads "everything" (None), like the open data, and is
planned again on every build.

Pickle, like the output cache's index: `.cache/` is the site's own and refused when
committed (content/safepath.cache_root). The file is replaced atomically (temp +
os.replace) at the end of a successful build; a build that fails leaves the old one,
which still describes the outputs it names.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import os
import pickle
from collections import abc
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..base.files import pickle_atomically
from ..base.inputs import FOLDER, MISSING
from ..content.models import Product, Shop

FORMAT = "4"  # 2: shops; 3: each product's digest; 4: the products' order
# fields of a product that only the outputs showing it (and those reading every product)
# depend on: no index, order, count or statistic of the catalogue reads them
LOCAL_FIELDS = frozenset({"summary", "body_html", "price", "unit", "buy_online"})
# fields that also decide the order of every list of products (by name): local too while
# the order of the products in every language is the order the graph recorded
# (`Graph.order`); a product renamed past another plans everything
ORDER_FIELDS = frozenset({"name"})
# a shop's likewise: shown by its page, its sheet, its products' pages and the index,
# read by no order, group, count, sitemap or photo (`shop_structure` digests the rest)
SHOP_LOCAL_FIELDS = frozenset({"address", "geo", "phone", "zalo", "hours", "body_html"})
# of a shop's translation (`Translation.fields`): its name orders that language's lists
SHOP_LOCAL_TEXTS = frozenset({"address"})
SHOP_KEY = "shop:"

# product slugs and shop keys (`shop_key`) an output showed; None: all of them
Reads = frozenset[str] | None
Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class GraphJob:
    key: str
    kind: str
    paths: tuple[str, ...]
    reads: Reads


@dataclass
class Graph:
    """What the last build read and made. `frame`: a digest of what decides everything
    (the code's version, the build options); `inputs`: every input file's stat and
    digest; `products`: a product file's slug, the digest of its fields that are not
    local, and its whole digest (seeded into the next build: graphplan.seed_digests);
    `shops`: a shop file's and its translation files' shop key and the digest of
    the shop's structure (`shop_structure`); `jobs`: every output but the search index,
    in the order they were made. `products` and `shops` are keyed by the file's path
    relative to the site folder."""

    frame: str
    inputs: dict[str, tuple[Stat, str]]
    products: dict[str, tuple[str, bytes, bytes]]
    jobs: list[GraphJob]
    pages: int
    shops: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    order: str = ""  # product_order of its build
    format: str = FORMAT


def graph_path(cache_folder: Path) -> Path:
    return cache_folder / "graph.pickle"


def frame_digest(version: str, options: Mapping[str, object]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{version}\0".encode())
    digest.update(f"{os.environ.get('PAGEFIND_BINARY_PATH', '')}\0".encode())
    for key in sorted(options):
        digest.update(f"{key}={options[key]!r}\0".encode())
    return digest.hexdigest()


def file_digest(path: str, stat: Stat) -> str:
    """The digest of a file's bytes; a root of the walk that is missing or a folder is
    its signature (base/inputs.py `scan`)."""
    if stat in (MISSING, FOLDER):
        return repr(stat)
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()


def load(path: Path) -> Graph | None:
    """The graph of the last build, or None (missing, unreadable, another format)."""
    try:
        with open(path, "rb") as handle:
            graph = pickle.load(handle)
    except Exception:  # any corruption means: plan everything
        return None
    if not isinstance(graph, Graph) or getattr(graph, "format", None) != FORMAT:
        return None
    return graph


def save(path: Path, graph: Graph) -> None:
    """Atomically; a graph that cannot be written is removed (never a stale one)."""
    try:
        pickle_atomically(path, graph)
    except OSError:
        forget(path)


def forget(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def input_digests(scan: Mapping[str, Stat], before: Graph | None = None
                  ) -> dict[str, tuple[Stat, str]]:
    """Every input's stat and digest, the digests of files whose stat did not change
    taken from `before`."""
    known = before.inputs if before is not None else {}
    found: dict[str, tuple[Stat, str]] = {}
    for path, stat in scan.items():
        old = known.get(path)
        found[path] = old if old is not None and old[0] == stat else (stat, file_digest(path, stat))
    return found


def changed_inputs(graph: Graph, scan: Mapping[str, Stat]) -> set[str] | None:
    """The inputs whose bytes changed since the graph's build; None when files were
    added or removed (or cannot be read)."""
    if scan.keys() != graph.inputs.keys():
        return None
    changed = set()
    try:
        for path, stat in scan.items():
            old_stat, old_digest = graph.inputs[path]
            if old_stat != stat and file_digest(path, stat) != old_digest:
                changed.add(path)
    except OSError:
        return None
    return changed


def structure(product: Product, digest: Any) -> bytes:
    """A digest of the fields of a product that are not local (`digest`: a
    Fingerprinter's)."""
    return digest(tuple((f.name, getattr(product, f.name)) for f in dataclasses.fields(product)
                        if f.name not in LOCAL_FIELDS and f.name not in ORDER_FIELDS))


def product_order(languages: Iterable[tuple[str, Iterable[Product]]]) -> str:
    """A digest of the order of the products in each language (by slug): what
    `ORDER_FIELDS` decide."""
    digest = hashlib.blake2b(digest_size=16)
    for code, products in languages:
        digest.update(code.encode() + b"\0")
        for product in products:
            digest.update(product.slug.encode() + b"\0")
    return digest.hexdigest()


def shop_key(shop_id: str) -> str:
    """A shop's read key: "shop:<id>", beside product slugs (which have no ':')."""
    return SHOP_KEY + shop_id


def shop_structure(shop: Shop, digest: Any) -> bytes:
    """A digest of what a shop decides beyond the pages showing it: every field but
    `SHOP_LOCAL_FIELDS`, and of each translation its language, file and texts but the
    local ones (the body is local)."""
    return digest((
        tuple((f.name, getattr(shop, f.name)) for f in dataclasses.fields(shop)
              if f.name not in SHOP_LOCAL_FIELDS and f.name != "translations"),
        tuple((t.lang, t.source, tuple(kv for kv in t.fields if kv[0] not in SHOP_LOCAL_TEXTS))
              for t in shop.translations)))


def shop_sources(shops: Iterable[Shop]) -> dict[str, Shop]:
    """Each shop file and translation file (relative to the site folder) → its shop."""
    return {source: shop for shop in shops
            for source in (shop.source, *(t.source for t in shop.translations))}


def shop_entry(shop: Shop, digest: Any) -> tuple[str, bytes]:
    """What the graph records of a shop's files: its key and structure."""
    return shop_key(shop.id), shop_structure(shop, digest)


@dataclass(frozen=True)
class Kind:
    """One kind of content file the graph knows: what the last build recorded of its
    files (path relative to the site folder → read key, structure), the files of this
    build's content, and how an item's key and structure are found now."""

    recorded: Mapping[str, tuple[Any, ...]]  # (read key, structure, …)
    files: Mapping[str, Any]  # path → the item (a Product, a Shop)
    entry: Callable[[Any], tuple[str, bytes]]  # the item → (its read key, structure)


def edited_keys(changed: Iterable[str], root: str, kinds: Sequence[Kind]
                ) -> frozenset[str] | None:
    """The read keys (product slugs, shop keys) of the items whose words only changed:
    each changed file (absolute) is one kind's file whose item kept its key and
    structure. None: plan everything (a file of no kind, or of a kind whose files or
    structure changed)."""
    if any(kind.files.keys() != kind.recorded.keys() for kind in kinds):
        return None
    edited = set()
    for path in changed:
        relative = Path(os.path.relpath(path, root)).as_posix()
        for kind in kinds:
            item = kind.files.get(relative)
            if item is None:
                continue
            key, structure_now = kind.entry(item)
            if (key, structure_now) != tuple(kind.recorded[relative][:2]):
                return None
            edited.add(key)
            break
        else:
            return None  # not a product or shop file: a data file, a template…
    return frozenset(edited)


def dirty(graph: Graph, slugs: frozenset[str]) -> tuple[set[int], set[int]]:
    """(indexes of the graph's jobs that read one of `slugs` (product slugs and shop
    keys) or everything, the indexes of the others)."""
    again, kept = set(), set()
    for index, job in enumerate(graph.jobs):
        if job.reads is None or job.reads & slugs:
            again.add(index)
        else:
            kept.add(index)
    return again, kept


# -- which products and shops a page shows -----------------------------------------------
_LEAVES = (str, bytes, int, float, bool, type(None), dt.date, PurePath, enum.Enum)


class _Unknown(Exception):
    pass


class ProductReads:
    """The slugs of the products and the keys of the shops (`shop_key`) a value holds,
    each dataclass instance walked once (a ProductView shown on forty pages is walked
    once)."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, frozenset[str]]] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        self._shops: dict[str, str] = {}  # shop id → its key, one string each

    def interned(self, reads: Reads) -> Reads:
        """One frozenset per distinct set of slugs: the two languages' pages of a list
        read the same products (14,800 distinct sets of 44,700 at 10,000 products)."""
        if reads is None:
            return None
        return self._sets.setdefault(reads, reads)

    def of(self, value: Any) -> Reads:
        found: set[str] = set()
        try:
            self._walk(value, found)
        except _Unknown:
            return None
        return frozenset(found)

    def _walk(self, value: Any, found: set[str]) -> None:
        if isinstance(value, _LEAVES):
            return
        if isinstance(value, Product):
            found.add(value.slug)
            return
        if isinstance(value, Shop):  # its products are slugs: read through their views
            key = self._shops.get(value.id)
            if key is None:
                key = self._shops[value.id] = shop_key(value.id)
            found.add(key)
            return
        if isinstance(value, (tuple, list, frozenset, set)):
            for item in value:
                self._walk(item, found)
            return
        if isinstance(value, abc.Mapping):  # not typing's Mapping: ten times slower
            for key, item in value.items():
                self._walk(key, found)
                self._walk(item, found)
            return
        if dataclasses.is_dataclass(value) or hasattr(value, "__fingerprint__"):
            entry = self._memo.get(id(value))
            if entry is None or entry[0] is not value:
                inner: set[str] = set()
                custom = getattr(value, "__fingerprint__", None)
                if custom is not None:
                    self._walk(custom(), inner)
                else:
                    for f in dataclasses.fields(value):
                        self._walk(getattr(value, f.name), inner)
                slugs = frozenset(inner)
                entry = self._memo[id(value)] = (value, self._sets.setdefault(slugs, slugs))
            found.update(entry[1])
            return
        if isinstance(value, type):
            return
        raise _Unknown(type(value).__name__)


def graph_jobs(jobs: Iterable[Any], reads_of: ProductReads,
               known: Mapping[tuple[str, ...], Reads] | None = None) -> list[GraphJob]:
    """The graph's record of planned jobs (pipeline/jobs.py `Job`): a page's reads walked
    from its `Page`, other jobs' as they declare them. `known`: the reads of pages planned
    again from the graph (by their paths), not walked again: only the words of products
    and shops changed, so every page shows the products and shops it showed (the print
    catalogue's walk over every product was 1 s of a CI build at 10,000)."""
    known = known or {}
    return [job.known if isinstance(job.known, GraphJob)
            else GraphJob(job.key, job.kind, job.paths, reads_of.interned(
                (known[job.paths] if job.paths in known else reads_of.of(job.page))
                if job.page is not None else job.reads))
            for job in jobs]
