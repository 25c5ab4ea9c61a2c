"""One QR code per product, linking to the product page's absolute URL (for fair booths).

segno is pure Python and maintained; encoding QR (Reed–Solomon, version choice, format
information) by hand would be hundreds of lines for no gain, so segno encodes every code.
Two of its steps are done here instead, as they were most of the outputs' time on a large
catalogue (issue 8); together they take a code from ~9.1 ms to ~2.5 ms (one core,
500 URLs like https://ocop.example.org/san-pham/che-xanh-dong-thinh-1234/, version 4):

- Choosing the data mask. ISO/IEC 18004 (7.8.3) asks for the one of eight masks whose
  symbol has the lowest penalty; segno scores the eight module by module in Python,
  ~7 ms a code. Here segno encodes once with mask 0 (~1.3 ms), `penalties` scores the
  eight matrices segno would score, to segno's numbers, with shifts and bit counts on
  the matrix packed into an int (~0.2 ms), and the best mask's symbol is the mask-0
  symbol with the modules flipped that differ between the two (`_layout`). The tests
  check, for hundreds of URLs, that this gives exactly segno's own symbol, mask included.
- Writing the SVG: `svg` gives the bytes segno's writer gives (~0.7 ms) from regex runs
  of dark modules (~0.4 ms).

The SVG is vector, so it prints sharp at any size, and is byte-for-byte deterministic.
Codes are still cached by a hash of everything that goes into them (content-addressed:
a cached file is exactly what encoding would give).
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

import segno
from segno import encoder

from ..atomicfile import write_atomically
from ..catalogue import Catalogue
from ..config import SiteConfig
from ..content.safepath import cache_root
from ..localize import catalogue_in
from ..pages import site_languages

MODULE_PX = 4  # size of one module in SVG user units; pages scale it with width/height
BORDER = 4  # the quiet zone the QR standard asks for, in modules
ERROR_LEVEL = "m"  # segno raises it when the higher level fits in the same size
WRITER = "qr.py svg 2"  # in the cache key: change it when `svg` or the mask choice changes


def qr_svg(url: str, title: str) -> bytes:
    """A plain QR code (never Micro QR, which phone cameras do not read) as SVG bytes."""
    return svg(encode(url)[1], title)


def encode(url: str) -> tuple[int, list[bytes]]:
    """(mask, rows of 0/1 modules) of segno.make_qr(url, error=ERROR_LEVEL), with segno
    encoding once, with mask 0: `penalties` scores the eight masks and the matrix is
    turned into the best one's by flipping modules (see `_layout`)."""
    matrix = segno.make_qr(url, error=ERROR_LEVEL, mask=0).matrix
    n = len(matrix)
    rows = _pack(matrix)
    scores = penalties(rows, _pack(_transpose(matrix)), n)
    best = scores.index(min(scores))  # the first of equals, as segno's strict `<` keeps
    return best, _unpack(rows ^ _layout(n).flips[best], n)


# --- Mask evaluation (ISO/IEC 18004:2015, 7.8.3), as segno.encoder.mask_scores does it.
#
# The n lines of an n×n matrix (its rows, or its columns) are packed into one int, line
# after line, with four light modules before, between and after them: the quiet zone
# that surrounds the symbol, so a rule never runs from one line into the next. Module j
# of line i is bit GAP + i * (n + GAP) + j.

GAP = 4
_TO_ASCII = bytes.maketrans(b"\0\1", b"01")
_FROM_ASCII = bytes.maketrans(b"01", b"\0\1")


def _pack(lines) -> int:
    gap = b"\0" * GAP
    return int((gap + gap.join(lines) + gap).translate(_TO_ASCII)[::-1], 2)


def _unpack(packed: int, n: int) -> list[bytes]:
    stride = n + GAP
    flat = format(packed, f"0{n * stride + GAP}b").encode()[::-1].translate(_FROM_ASCII)
    return [flat[at:at + n] for at in range(GAP, n * stride, stride)]


def _transpose(lines) -> list[bytes]:
    flat = b"".join(lines)
    return [flat[j::len(lines)] for j in range(len(lines))]


class _Layout(NamedTuple):
    """What masking changes in n×n QR symbols, as ints of packed rows (and columns)."""
    unscored: tuple[int, int]  # modules segno leaves light while it scores masks
    scored_flips: list[tuple[int, int]]  # per mask: `flips` outside `unscored`
    flips: list[int]  # per mask: where a symbol with it differs from one with mask 0


@functools.lru_cache(maxsize=None)
def _layout(n: int) -> _Layout:
    """segno scores masks before adding format and version information and the dark
    module: those modules are light then (segno.encoder.make_matrix reserves them).
    A symbol with mask k differs from the same symbol with mask 0 in the same modules
    for any content and error level: where the two masks differ in the encoding region,
    and where their format information differs (its BCH code is linear, so the error
    level's bits cancel out). They are found here by encoding a filler with each mask."""
    # reserved: 0 where make_matrix reserves a module, 2 (unset) there without reserving
    unscored = [bytes(r == 0 and u == 2 for r, u in zip(*rows)) for rows in
                zip(encoder.make_matrix(n, n), encoder.make_matrix(n, n, reserve_regions=False))]
    symbols = [segno.make_qr("", version=(n - 17) // 4, error=ERROR_LEVEL, mask=mask).matrix
               for mask in range(8)]
    flips = [[bytes(a ^ b for a, b in zip(*rows)) for rows in zip(symbols[0], symbol)]
             for symbol in symbols]
    unscored_rows, unscored_cols = _pack(unscored), _pack(_transpose(unscored))
    return _Layout((unscored_rows, unscored_cols),
                   [(_pack(rows) & ~unscored_rows, _pack(_transpose(rows)) & ~unscored_cols)
                    for rows in flips],
                   [_pack(rows) for rows in flips])


def penalties(rows: int, cols: int, n: int) -> list[int]:
    """The penalty score of each of the eight masks for a QR code encoded with mask 0
    (packed rows and columns): segno.encoder.evaluate_mask of the matrix segno scores
    for that mask (the mask applied to the encoding region, format and version
    information not yet added)."""
    layout = _layout(n)
    rows &= ~layout.unscored[0]
    cols &= ~layout.unscored[1]
    return [penalty(rows ^ flip_rows, cols ^ flip_cols, n)
            for flip_rows, flip_cols in layout.scored_flips]


def penalty(rows: int, cols: int, n: int) -> int:
    """N1 + N2 + N3 + N4 of a packed n×n matrix (`cols`: the same matrix transposed)."""
    modules = _modules(n)
    score = 0
    for dark in rows, cols:
        light = modules & ~dark
        # N1: a run of k ≥ 5 modules of one colour costs k - 2, i.e. one point per
        # window of five in the run, plus two per run (a run starts at a window whose
        # left neighbour is no window).
        for colour in dark, light:
            five = colour & colour >> 1 & colour >> 2 & colour >> 3 & colour >> 4
            score += five.bit_count() + 2 * (five & ~(five << 1)).bit_count()
        # N3: dark-light-dark-dark-dark-light-dark with four light modules (quiet zone
        # included) before or after it: 40 points.
        quiet = ~dark & ((1 << n * (n + GAP) + GAP) - 1)
        four = quiet & quiet >> 1 & quiet >> 2 & quiet >> 3
        found = dark & light >> 1 & dark >> 2 & dark >> 3 & dark >> 4 & light >> 5 & dark >> 6
        score += 40 * _n3_count(found & (four << GAP | four >> 7))
    # N2: 3 points per 2×2 block of one colour (a row and the row below it)
    stride = n + GAP
    same_down = ~(rows ^ rows >> stride) & modules & modules >> stride
    same_right = ~(rows ^ rows >> 1) & modules & modules >> 1
    score += 3 * (same_down & same_down >> 1 & same_right).bit_count()
    # N4: 10 points per full 5 % of dark modules away from 50 %, in segno's float steps
    percent = rows.bit_count() / (n * n)
    return score + 10 * int(abs(percent * 100 - 50) / 5)


@functools.lru_cache(maxsize=None)
def _modules(n: int) -> int:
    return _pack([b"\1" * n] * n)


def _n3_count(found: int) -> int:
    """How many of the found patterns (bits) segno counts: after counting one, it looks
    for the next one 7 modules on, so a pattern overlapping it (4 or 6 modules on: the
    pattern's own overlaps) is not counted."""
    if not found & (found << 4 | found << 6):
        return found.bit_count()
    count, last = 0, -7
    while found:
        at = (found & -found).bit_length() - 1
        found &= found - 1
        if at - last >= 7:
            count, last = count + 1, at
    return count


# --- SVG

_DARK_RUN = re.compile(rb"\x01+")


def svg(matrix, title: str) -> bytes:
    """The code (rows of 0/1 modules) drawn as segno's writer draws it (scale MODULE_PX,
    quiet zone BORDER, no XML declaration): a white square, and each run of dark modules
    in a row as a horizontal stroke, moving relative to the end of the previous one."""
    size = len(matrix) + 2 * BORDER
    strokes = []
    x = y = None
    for i, row in enumerate(matrix):
        for run in _DARK_RUN.finditer(row):
            start, end = run.span()
            if x is None:
                strokes.append(f"M{BORDER + start} {BORDER + i}.5h{end - start}")
            else:
                strokes.append(f"m{start - x} {i - y}h{end - start}")
            x, y = end, i
    # white background drawn in: the code must scan on dark or coloured paper too
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size * MODULE_PX} '
            f'{size * MODULE_PX}" class="qr"><title>{escape(title)}</title>'
            f'<g transform="scale({MODULE_PX})"><path fill="#fff" d="M0 0h{size}v{size}'
            f'h-{size}z"/><path stroke="#000" d="{"".join(strokes)}"/></g></svg>\n'
            ).encode("utf-8")


def cache_dir(config: SiteConfig) -> Path:
    return cache_root(config.source) / "qr"


def _cache_key(url: str, title: str) -> str:
    recipe = "\0".join((segno.__version__, WRITER, str(MODULE_PX), str(BORDER), ERROR_LEVEL,
                        url, title))
    return hashlib.sha256(recipe.encode("utf-8")).hexdigest()[:32]


def cached_qr_svg(url: str, title: str, cache: Path | None) -> bytes:
    """qr_svg, read from `cache` when it was made before (None: always encode)."""
    if cache is None:
        return qr_svg(url, title)
    path = cache / f"{_cache_key(url, title)}.svg"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    code = qr_svg(url, title)
    write_atomically(path, code)  # never a half-written code
    return code


def files(catalogue: Catalogue, cache: Path | None = None) -> list[tuple[str, bytes]]:
    """A code per product and language: an English page's code opens the English page."""
    config = catalogue.config
    out = []
    for lang in site_languages(config):
        local, _ = catalogue_in(catalogue, lang.code)
        out += [(lang.urls.qr(p), cached_qr_svg(config.absolute(lang.urls.product(p)),
                                                lang.t("qr.named", name=p.name), cache))
                for p in local.products]
    return out
