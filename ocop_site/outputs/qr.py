"""One QR code per product, linking to the product page's absolute URL (for fair booths).

zxing-cpp (whose reader the tests decode with) encodes: its writer is zint's QR
encoder in C (zxing-cpp 3.1.1 bundles zint 2.16.0: core/src/libzint/qr.c includes the
zint submodule's backend/qr.c). zint encodes a code in ~0.04 ms with a given mask but
~0.24 ms when it chooses the mask itself, scoring the eight masks module by module
(qr_apply_bitmask and qr_evaluate in backend/qr.c). So zint encodes with mask 0 and the
mask is chosen here by zint's own rule, scoring all eight at once with big-int bit
operations (~0.05 ms): the tests check, for hundreds of URLs, that the symbol is exactly
the one zint makes when it chooses, and that its penalty is the lowest of the eight by a
plain module-by-module scorer. A code takes ~0.15 ms with its SVG (~1.2 ms with segno
before; CPU time on one core, benchmarks/qr.py).

What zint's rule is (ISO/IEC 18004:2015 7.8.3): all eight masks are scored on the whole
symbol, format and version information included (as ZXing does; segno scores before
adding them), the first of equal lowest scores wins. N1: 3 + (k - 5) for each run of
k ≥ 5 modules of one colour in a row or column; N2: 3 per 2×2 block of one colour; N3: 40
per dark-light-dark-dark-dark-light-dark in a row or column with four light modules
before or after it, the edge of the symbol counting as light; N4: 10 per full 5 % of dark
modules away from 50 %.

Level: the smallest version that holds the URL at level M, at the highest level that fits
in that version (segno's policy before, and zint's when it is given a version): a bigger
share of a code on a booth's card can be scratched before it stops scanning.

Codes are not cached any more: a cache file cost ~0.5 ms to write, more than encoding,
and only a build with every code already in it gained (~0.1 ms a code read instead of
encoded); the build's own cache of outputs keyed by their inputs (issue 18) is the place
to keep unchanged codes. The SVG is vector, prints sharp at any size and is byte-for-byte
deterministic for a zxing-cpp version (its version range is pinned in pyproject.toml).
"""
from __future__ import annotations

import functools
from itertools import chain
from typing import NamedTuple
from xml.sax.saxutils import escape

import zxingcpp

from ..site.catalogue import Catalogue
from ..site.localize import catalogue_in
from ..site.urls import site_languages

MODULE_PX = 4  # size of one module in SVG user units; pages scale it with width/height
BORDER = 4  # the quiet zone the QR standard asks for, in modules
_QR = zxingcpp.BarcodeFormat.QRCode  # plain QR, never Micro QR (phone cameras skip it)
_DARK_IS_1 = bytes.maketrans(b"\x00\xff", b"\x01\x00")  # zint's image: 0x00 is dark


class Symbol(NamedTuple):
    modules: bytes  # n×n, row after row: 1 dark, 0 light
    size: int  # n = 17 + 4 × version
    mask: int
    level: str  # "M", "Q" or "H"


def qr_svg(url: str, title: str) -> bytes:
    """The product page's QR code as SVG bytes; `title` is its accessible name."""
    symbol = encode(url)
    return svg(symbol.modules, symbol.size, title)


def encode(url: str) -> Symbol:
    """The symbol zint makes for `url` choosing the mask itself, at the level policy above
    (see the module's docstring): zint encodes with mask 0, `penalties` scores the eight
    masks and the modules that differ from mask 0 to the best one are flipped."""
    code = _with_mask_0(url)
    # no level given: zint takes the smallest version for level L and raises the level as
    # far as it fits there; when that is L, the smallest version for M is a larger one
    while code.ec_level == "L":
        version = (code.position.bottom_right.x + 1 - 17) // 4  # the symbol's corner
        if version == 40:
            raise ValueError(f"too long for a QR code at level M: {url[:80]}…")
        code = _with_mask_0(url, version=version + 1)
    image = code.to_image(add_quiet_zones=False)
    modules, n = _modules(image), image.shape[0]
    scores = penalties(modules, n)
    best = scores.index(min(scores))  # the first of equals, as zint's strict `<` keeps
    flipped = int.from_bytes(modules, "big") ^ _layout(n).flips[best]
    return Symbol(flipped.to_bytes(n * n, "big"), n, best, code.ec_level)


def _with_mask_0(text: str, **options: int) -> zxingcpp.Barcode:
    return zxingcpp.create_barcode(text, _QR, data_mask=0, **options)


def _modules(image: zxingcpp.Image) -> bytes:
    """A symbol's image as one byte a module, 1 dark and 0 light, row by row."""
    # zxingcpp's Image has the buffer protocol, which its type stubs do not declare
    return bytes(memoryview(image)).translate(_DARK_IS_1)  # type: ignore[arg-type]


# --- Mask evaluation: the eight masks at once.
#
# One region holds a symbol's rows and then its columns (so each rule is written once
# for both), each line after four light modules (the quiet zone: a rule never runs from
# one line into the next, and N3 sees the edge as light) and a blank line after the rows
# and after the columns (N2 compares a module with the one a line below). The regions of
# the eight masks are side by side in one int, region k holding the symbol with mask k:
# a shift or a bitwise operation works on all eight. Module p of a region is bit p.

GAP = 4
_TO_ASCII = bytes.maketrans(b"\0\1", b"01")


class _Layout(NamedTuple):
    """What does not depend on the code, for n×n symbols."""
    stride: int  # n + GAP: from a module to the one a line below
    region_bytes: int  # a region's size (a whole number of bytes)
    five_modules: int  # in the eight regions, modules p where p … p+4 are modules
    right_modules: int  # modules p where p+1 is a module too
    down_modules: int  # modules p where p+stride is a module too
    region_flips: int  # per region k: where mask k differs from mask 0
    flips: list[int]  # the same per mask, as ints of the n×n module bytes


@functools.lru_cache(maxsize=None)
def _layout(n: int) -> _Layout:
    """The flips are found by encoding a filler with each mask. Where a symbol with mask
    k differs from the same symbol with mask 0 does not depend on its content or error
    level: where the two masks differ in the encoding region, and where their format
    information differs (its BCH code is linear, so the error level's bits cancel out)."""
    version = (n - 17) // 4
    symbols = [zxingcpp.create_barcode("0", _QR, version=version, ec_level="M",
                                       data_mask=mask).to_image(add_quiet_zones=False)
               for mask in range(8)]
    flat = [_modules(image) for image in symbols]
    flips = [bytes(a ^ b for a, b in zip(flat[0], symbol)) for symbol in flat]
    stride = n + GAP
    region_bytes = -(-2 * (n + 1) * stride // 8)

    def regions(per_mask: list[bytes]) -> int:
        return sum(_region(modules, n, region_bytes) << (8 * region_bytes * mask)
                   for mask, modules in enumerate(per_mask))

    modules = regions([b"\1" * (n * n)] * 8)
    return _Layout(stride, region_bytes,
                   modules & modules >> 1 & modules >> 2 & modules >> 3 & modules >> 4,
                   modules & modules >> 1, modules & modules >> stride, regions(flips),
                   [int.from_bytes(flip, "big") for flip in flips])


def _region_text(modules: bytes, n: int, region_bytes: int) -> bytes:
    """A region as ASCII 0/1 digits, its last module first (what int(…, 2) reads)."""
    gap, blank = b"\0" * GAP, b"\0" * (n + GAP)
    rows = [modules[at:at + n] for at in range(0, n * n, n)]
    columns = [modules[j::n] for j in range(n)]
    lines = gap + gap.join(rows) + blank + gap + gap.join(columns) + blank
    return lines.ljust(8 * region_bytes, b"\0").translate(_TO_ASCII)[::-1]


def _region(modules: bytes, n: int, region_bytes: int) -> int:
    return int(_region_text(modules, n, region_bytes), 2)


def penalties(modules: bytes, n: int) -> list[int]:
    """zint's penalty score (qr_evaluate) of each of the eight masks, for the modules of
    a symbol encoded with mask 0."""
    layout = _layout(n)
    bits = 8 * layout.region_bytes
    x = _region(modules, n, layout.region_bytes)
    x |= x << bits  # eight copies, then each turned into the symbol with its mask
    x |= x << 2 * bits
    x |= x << 4 * bits
    x ^= layout.region_flips
    x1, x2, x3, x4, x5, x6 = x >> 1, x >> 2, x >> 3, x >> 4, x >> 5, x >> 6
    middle = x2 & x3 & x4
    any_dark = x | x1 | x2 | x3
    # N1: a run of k ≥ 5 costs k - 2, the number of windows of three modules in it: the
    # modules p with a window of five of one colour at p, p - 1 or p - 2
    five = middle & x & x1 | layout.five_modules & ~(any_dark | x4)
    long_runs = five | five << 1 | five << 2
    # N3: 1011101 with four light modules (gaps included) before or after it
    four_light = ~any_dark
    finder_like = middle & x & x6 & ~(x1 | x5) & (four_light << 4 | four_light >> 7)
    # N2: a 2×2 block of one colour (seen in the rows and again in the columns)
    same_down = ~(x ^ x >> layout.stride) & layout.down_modules
    blocks = ~(x ^ x1) & layout.right_modules & same_down & same_down >> 1
    counts = _counts_per_region((long_runs, finder_like, blocks), layout.region_bytes)
    dark = int.from_bytes(modules, "big")
    area = n * n
    scores = []
    for flips, (long_n, finder_n, blocks_n) in zip(layout.flips, zip(*counts)):
        percent = (dark ^ flips).bit_count() * 100 / area  # N4 in zint's floating point
        scores.append(long_n + 40 * finder_n + 3 * (blocks_n // 2)
                      + 10 * int(abs(percent - 50.0) / 5.0))
    return scores


def _counts_per_region(terms: tuple[int, ...], region_bytes: int) -> list[list[int]]:
    """For each term, its number of set bits in each of the eight regions."""
    size = 8 * region_bytes
    out = []
    for term in terms:
        data = term.to_bytes(size, "little")
        out.append([int.from_bytes(data[at:at + region_bytes], "little").bit_count()
                    for at in range(0, size, region_bytes)])
    return out


# --- SVG


class _Moves(dict):
    """Path commands for the pieces `svg` cuts an n×n symbol's drawing into: the light
    modules after a dark run but their first (bytes 0; one more light module ends each
    row, then a byte 2), then the next dark run (bytes 1). A move relative to the end of
    the run before, and a horizontal stroke the run's length; made once per piece (a dict
    subclass's __missing__ is called from C: lookups stay fast)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def __missing__(self, piece: bytes) -> str:
        dark = len(piece) - len(piece.rstrip(b"\1"))
        rows = piece.count(2)
        light = 1 + piece.count(0) - rows  # the piece's first light module was cut off
        self[piece] = command = f"m{light - rows * self.n} {rows}h{dark}"
        return command


@functools.lru_cache(maxsize=None)
def _moves(n: int) -> _Moves:
    return _Moves(n)


def svg(modules: bytes, n: int, title: str) -> bytes:
    """The code (n×n modules, 1 dark) at scale MODULE_PX with a quiet zone of BORDER: a
    white square, and each run of dark modules in a row as a horizontal stroke, moving
    relative to the end of the previous one (the drawing segno's writer made)."""
    # each row, a light module and a 2; from the first dark run on, cut at each light
    # module that follows a dark one (marked 3)
    rows = b"\0\2".join([modules[at:at + n] for at in range(0, n * n, n)])
    start = rows.index(1)
    y, x = divmod(start, n + 2)
    first, *pieces = rows[start:].rstrip(b"\0\2").replace(b"\1\0", b"\1\3").split(b"\3")
    strokes = "".join(chain((f"M{BORDER + x} {BORDER + y}.5h{len(first)}",),
                            map(_moves(n).__getitem__, pieces)))
    size = n + 2 * BORDER
    # white background drawn in: the code must scan on dark or coloured paper too
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size * MODULE_PX} '
            f'{size * MODULE_PX}" class="qr"><title>{escape(title)}</title>'
            f'<g transform="scale({MODULE_PX})"><path fill="#fff" d="M0 0h{size}v{size}'
            f'h-{size}z"/><path stroke="#000" d="{strokes}"/></g></svg>\n'
            ).encode("utf-8")


def files(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    """A code per product and language: an English page's code opens the English page.
    (The build makes each as a job of its own, jobs.qr_jobs, kept by the output cache.)"""
    config = catalogue.config
    out = []
    for lang in site_languages(config):
        local, _ = catalogue_in(catalogue, lang.code)
        out += [(lang.urls.qr(p), qr_svg(config.absolute(lang.urls.product(p)),
                                         lang.t("qr.named", name=p.name)))
                for p in local.products]
    return out
