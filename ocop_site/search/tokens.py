"""Words, their folded form, and postings: the rules the index writer and the search
script (assets/js/search.js) must share, kept in one place.

A word is a run of Unicode letters and digits of the NFC, lowercased text ("Chè
Đồng-Thịnh 500g" -> chè, đồng, thịnh, 500g). Its folded form drops every combining mark
after NFD and turns đ (and its look-alike ð) into d: "đồng" -> "dong". The script does
the same with `normalize("NFD")`, `/\\p{M}/gu` and `/[\\p{L}\\p{N}]+/gu`, so what a buyer
types splits and folds as the catalogue's text did.

Each field of a doc has one bit (FIELD_BITS); a doc's terms are its spellings, each with
the OR of the bits of the fields it occurs in. A posting list of one spelling is a list
of ints `delta * 64 + mask`, delta being the doc's ordinal minus the previous one in the
list (the first: the ordinal itself): small numbers, short JSON.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

FIELD_BITS = {"name": 1, "category": 2, "commune": 4, "producer": 8, "summary": 16,
              "description": 32}
MASK_SPAN = 64  # one more than the largest mask
TOKENIZER_VERSION = "1"  # part of every cached doc's key: change it with these rules

_WORD = re.compile(r"[^\W_]+")  # letters (L*) and digits (N*): \p{L}\p{N} in JavaScript


def words(text: str) -> list[str]:
    """The lowercase NFC words of `text`, in order, repeats kept."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """'đồng' -> 'dong': combining marks dropped after NFD, đ/ð -> d."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join("d" if c in "đð" else c for c in decomposed
                   if unicodedata.category(c)[0] != "M")


def shard_key(folded: str) -> str:
    """The shard a folded word is in, before a big one is split (search/writer.py): its
    first two characters."""
    return folded[:2]


def shard_name(key: str) -> str:
    """The file name part of a shard key: itself when it is ASCII letters and digits,
    else '_' and its code points in hex ('_111-63'), so every name is plain ASCII."""
    if key.isascii() and key.isalnum():
        return key
    return "_" + "-".join(f"{ord(c):x}" for c in key)


def doc_terms(fields: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """(spelling, field mask) of every word of a doc's fields (FIELD_BITS order),
    each spelling once, sorted."""
    masks: dict[str, int] = {}
    for bit, text in zip(FIELD_BITS.values(), fields):
        for word in words(text):
            masks[word] = masks.get(word, 0) | bit
    return tuple(sorted(masks.items()))


def encode_postings(postings: Iterable[tuple[int, int]]) -> list[int]:
    """[(ordinal, mask)…] in rising ordinal order -> [delta * 64 + mask…]."""
    encoded, previous = [], 0
    for ordinal, mask in postings:
        encoded.append((ordinal - previous) * MASK_SPAN + mask)
        previous = ordinal
    return encoded


def decode_postings(encoded: Iterable[int]) -> Iterator[tuple[int, int]]:
    """The inverse of encode_postings."""
    ordinal = 0
    for value in encoded:
        ordinal += value // MASK_SPAN
        yield ordinal, value % MASK_SPAN
