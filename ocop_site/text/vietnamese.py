"""Vietnamese text: normalisation, identity keys, ASCII folding, slugs and collation.

Every name in the catalogue goes through here, on hot paths for ~100,000 products,
so the work is done by C-level primitives (``unicodedata.normalize``,
``str.translate``, compiled regexes) and results are memoised.

Vietnamese writes a syllable's tone (huyền, hỏi, ngã, sắc, nặng) as a combining mark
whose placement varies between "old" and "new" style ("hòa"/"hoà", "Thụy"/"Thuỵ"), and
the same text can arrive precomposed (NFC) or decomposed (NFD).  `identity_key` and
`sort_key` are built so that none of that makes two spellings of one name differ.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

__all__ = ["nfc", "identity_key", "fold", "slugify", "sort_key"]

# Holds every commune/producer/category name plus a whole product catalogue (about
# 22 MB per function per 100,000 distinct names), yet stays bounded in a long run.
_CACHE_SIZE = 1 << 18

# Tone marks in the traditional order: ngang (no mark) < huyền < hỏi < ngã < sắc <
# nặng.  The weights are also the canonical order of the tones a syllable carries.
_TONE_ORDER = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_TONES = "".join(_TONE_ORDER)

# A syllable is a maximal run of letters (str.isalpha) and combining marks (Unicode
# category M).  Every character with a non-zero combining class is a mark, so
# NFC/NFD reordering never moves a tone out of its syllable: keys are idempotent.
#
# Fast path, for text whose NFD lies in Latin + Combining Diacritical Marks (all real
# Vietnamese).  _LATIN_LETTERS is exactly the isalpha characters below U+0250 (a test
# checks it).  One step of moving tones to the end of their syllable: tones, then the
# rest of the syllable up to the next tone (or its end) -> swapped.
_LATIN_LETTERS = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_NON_TONE_MARKS = "\u0302\u0304-\u0308\u030a-\u0322\u0324-\u036f"
_FAST_PATH_TEXT = re.compile(r"[\u0000-\u024f\u0300-\u036f]*")
# The lookbehind and possessive run keep it linear: without them a syllable of n tones
# (hostile input) costs n² backtracking steps — 15 s for a 20,000-character name.
_TONES_BEFORE_REST = re.compile(
    rf"(?<![{_TONES}])([{_TONES}]++)([{_LATIN_LETTERS}{_NON_TONE_MARKS}]+)")
# A tone still followed by part of its syllable (another tone included).
_UNSETTLED_TONE = re.compile(rf"[{_TONES}][{_LATIN_LETTERS}{_NON_TONE_MARKS}{_TONES}]")
_ANY_TONE = re.compile(rf"[{_TONES}]")
# General path: a one-char-per-char "shadow" (t = tone, l = other syllable char,
# space = anything else) locates the syllables that carry tones.
_TONED_SYLLABLE = re.compile(r"(?<![lt])l*+t[lt]*+")  # linear, like _TONES_BEFORE_REST
_DELETE_TONES = dict.fromkeys(map(ord, _TONES))
_TONE_KEY = {tone: (unicodedata.combining(tone), order) for tone, order in _TONE_ORDER.items()}
_NON_SLUG = re.compile(r"[^a-z0-9]+")

# Vietnamese alphabet, with the Latin letters it lacks (f j w z) in their Latin place.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VOWEL_LETTERS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
                  ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}

# Primary collation weights, encoded as characters so that a primary key is a compact
# string compared in C.  Each class is told apart by its first character and has a
# fixed length, so comparing concatenations compares element by element:
#   "\x01"          whitespace (word boundary): lowest, so "Sông" < "Sông Lô" < "Sônga"
#   "\x02" + char   other characters (punctuation, symbols), by code point
#   "\x10".."\x19"  digits, by value (digit by digit: "10" < "2")
#   "\x20".."\x40"  the alphabet above
#   "\x50" + char   letters outside it (Cyrillic, CJK, ...), by code point
#   ""              combining marks: not primary (tones are secondary)
_SPACE_W = "\x01"
_OTHER_W = "\x02"
_DIGIT_W = 0x10
_LETTER_W = {ch: chr(0x20 + i) for i, ch in enumerate(_ALPHABET)}
_FOREIGN_W = "\x50"
# Secondary weights: each syllable's tones ("" for ngang), then an end marker lower
# than any tone, so comparing the strings compares tones syllable by syllable.
_SYLLABLE_END = "\x00"


class _LazyTable(dict):
    """A `str.translate` table that works out each character once, on first sight.

    A full table would mean scanning all of Unicode at import (~0.2 s); this way only
    characters that actually occur are classified, and then looked up in C.
    """

    __slots__ = ("_classify",)

    def __init__(self, classify: Callable[[str], str | None]) -> None:
        super().__init__()
        self._classify = classify

    def __missing__(self, code_point: int) -> str | None:
        value = self._classify(chr(code_point))
        self[code_point] = value
        return value


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def _is_syllable_char(ch: str) -> bool:
    return ch.isalpha() or _is_mark(ch)


# Đ's look-alike: Ð (U+00D0, Icelandic eth) is drawn the same and comes from some
# keyboards and old fonts' text; in a name here it is always meant as Đ
_ETH = "ð"  # casefold of Ð


def _fold_char(ch: str) -> str:
    """Casefold, decompose, drop every mark; đ (which NFD leaves whole) becomes d, and
    so does its look-alike Ð/ð."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFD", ch).casefold())
    return "".join("d" if c in ("đ", _ETH) else c for c in decomposed if not _is_mark(c))


def _shadow_char(ch: str) -> str:
    if ch in _TONE_ORDER:
        return "t"
    return "l" if _is_syllable_char(ch) else " "


def _primary_char(ch: str) -> str:
    """Primary weight of one character of an identity key (NFC, casefolded)."""
    if ch.isspace():
        return _SPACE_W
    if _is_mark(ch):
        return ""
    digit = unicodedata.digit(ch, None)
    if digit is not None:
        return chr(_DIGIT_W + digit)
    if ch.isalpha():
        if ch in _LETTER_W:
            return _LETTER_W[ch]
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        if base in _LETTER_W:  # precomposed: ồ -> ô, ỵ -> y, ḥ -> h, ë -> e
            for mark in decomposed[1:]:
                letter = _VOWEL_LETTERS.get((base, mark))
                if letter:
                    return _LETTER_W[letter]
            return _LETTER_W[base]
        return _FOREIGN_W + ch
    return _OTHER_W + ch


def _secondary_char(ch: str) -> str:
    """Tone weights a character carries; a non-syllable character ends a syllable."""
    if not _is_syllable_char(ch):
        return _SYLLABLE_END
    return "".join(chr(_TONE_ORDER[m]) for m in unicodedata.normalize("NFD", ch)
                   if m in _TONE_ORDER)


_FOLD_TABLE = _LazyTable(_fold_char)
_SHADOW_TABLE = _LazyTable(_shadow_char)
_PRIMARY_TABLE = _LazyTable(_primary_char)
_SECONDARY_TABLE = _LazyTable(_secondary_char)


def _sort_tones(tones: Iterable[str]) -> str:
    # Combining class first: NFC then finds the tones already in canonical order (the
    # result is the same, as NFC's reordering is a stable sort by class). Otherwise a
    # hostile syllable of n sắc then n nặng costs CPython's normalize n² swaps.
    return "".join(sorted(tones, key=_TONE_KEY.__getitem__))


def _tones_last_fast(text: str) -> str:
    """Move each syllable's tones to its end, for Latin-only NFD text.

    split() yields [before, tones, rest, between, tones, rest, ..., after]; swapping
    every tones/rest pair is all C-level work, no Python call per syllable.
    """
    parts = _TONES_BEFORE_REST.split(text)
    if len(parts) > 1:
        parts[1::3], parts[2::3] = parts[2::3], parts[1::3]
        text = "".join(parts)
    if _UNSETTLED_TONE.search(text):  # a syllable with several tones: rare, malformed
        return _tones_last_general(text)
    return text


def _tones_last_general(text: str) -> str:
    """Move each syllable's tones to its end, for NFD text in any script."""
    shadow = text.translate(_SHADOW_TABLE)
    parts: list[str] = []
    end = 0
    for match in _TONED_SYLLABLE.finditer(shadow):
        start, stop = match.span()
        syllable = text[start:stop]
        parts += (text[end:start], syllable.translate(_DELETE_TONES),
                  _sort_tones([c for c in syllable if c in _TONE_ORDER]))
        end = stop
    parts.append(text[end:])
    return "".join(parts)


def nfc(text: str) -> str:
    """NFC-normalise, so precomposed and decomposed input compare equal downstream."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=_CACHE_SIZE)
def identity_key(text: str) -> str:
    """Equality key for names and slugs, blind to case, spacing and tone placement.

    "Như Thụy", "như  thuỵ" and their NFD forms share one key; "Thủy" and "Thùy",
    "mật" and "mạt", "Đồng" and "Dong" do not.  Each syllable's tone marks move to
    the end of the syllable (canonical order) and the result is NFC, so the key is
    idempotent and still readable: "như thuỵ", "hoà", "đông̀ thinḥ".
    """
    if text.isascii():
        return " ".join(text.lower().split())
    # Canonical caseless form, as the Unicode standard defines it: NFD(casefold(NFD(x))).
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())
    text = " ".join(text.split()).replace(_ETH, "đ")  # "Ðồng" is "Đồng"
    if _ANY_TONE.search(text):
        if _FAST_PATH_TEXT.fullmatch(text):
            text = _tones_last_fast(text)
        else:
            text = _tones_last_general(text)
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """Search form: no diacritics, đ -> d, casefolded, single spaces.

    "Chè Đồng Thịnh" -> "che dong thinh".  Letters with no Latin base (ø, Cyrillic,
    CJK) are kept as they are; `slugify` drops them.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(text.translate(_FOLD_TABLE).split())


@lru_cache(maxsize=_CACHE_SIZE)
def slugify(text: str) -> str:
    """URL slug: folded, each run of anything but [a-z0-9] made one "-"; "" if none left.

    "Chè xanh Đồng Thịnh" -> "che-xanh-dong-thinh".  ASCII and idempotent, so a slug
    written by hand in front-matter survives a second pass unchanged.
    """
    return _NON_SLUG.sub("-", fold(text)).strip("-")


@lru_cache(maxsize=_CACHE_SIZE)
def sort_key(text: str) -> tuple[str, str, str]:
    """Vietnamese alphabetical order (never code-point order), as a multi-level key.

    Primary: the letters, a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v
    (w) x y (z), case-insensitive; whitespace lowest (names compare word by word and a
    shorter prefix sorts first), then other characters, digits, letters.  Secondary,
    only when primaries tie: tones syllable by syllable, ngang < huyền < hỏi < ngã <
    sắc < nặng.  Last, the identity key itself: keys are equal exactly when identity
    keys are, and the order is total.
    """
    key = identity_key(text)
    return key.translate(_PRIMARY_TABLE), key.translate(_SECONDARY_TABLE), key
