"""Names of units merged before 2025, as vietnamadminunits gives them.

Its legacy table (`admin_units_legacy.wardAlias`) lists, for a unit that existed until
2025-06-30, the names of the units merged into it earlier (2019–2024: Bạch Lưu into
xã Hải Lựu, Nhạo Sơn and Như Thụy into thị trấn Tam Sơn) — but only as unmarked ASCII
keys without spaces, each with and without its unit word: ["xabachluu", "bachluu"].
No file of either installed package (vietnamadminunits 1.0.4, vietnam-provinces
2025.10.1) holds those names with their diacritics, so they cannot be restored: `init`
writes them unmarked ("Bach Luu", split into the syllables the lists' own names use most)
and a site's lookup matches an unmarked alias whatever marks a product gives it
(content/communemap.py).
"""
from __future__ import annotations

import math
import re
from typing import Iterable, Mapping

__all__ = ["bare_names", "spaced"]

# the unit words the keys are written with, longest first ("tt": thị trấn abbreviated)
_PREFIXES = ("thitran", "phuong", "xa", "tt")


# one unmarked syllable: initial consonant(s), one to three vowels, a final consonant
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                       r"([aeiouy]{1,3})(ch|ng|nh|[cmnpt])?")


def _well_formed(piece: str) -> bool:
    """A syllable Vietnamese spelling allows: a vowel run ending in a glide (ai, ao, uoi…)
    takes no final consonant, except uo, oo, uy ("uong", "noong", "huynh")."""
    match = _SYLLABLE.fullmatch(piece)
    if match is None:
        return False
    vowels, final = match.groups()
    return not final or len(vowels) == 1 or vowels[-1] in "ae" or vowels in ("uo", "oo", "uy")


def bare_names(aliases: Iterable[str], own: str,
               syllables: Mapping[str, int]) -> tuple[str, ...]:
    """The distinct names in a unit's alias keys, without their unit word, leaving out
    the unit's own name (`own`, its key: a unit renamed "xã" → "thị trấn" lists itself)
    and abbreviations that read as no run of known syllables ("ntmocchau")."""
    listed = list(dict.fromkeys(aliases))
    names: list[str] = []
    for alias in listed:
        if any(alias.startswith(p) and alias[len(p):] in listed for p in _PREFIXES):
            continue  # the prefixed twin of a bare key in the list
        name = alias
        if not any(p + alias in listed for p in _PREFIXES):  # alone: strip its unit word
            prefix = next((p for p in _PREFIXES if alias.startswith(p)), "")
            name = alias[len(prefix):]
        if name and name != own and name not in names and _reading(name, syllables):
            names.append(name)
    return tuple(names)


def _reading(key: str, syllables: Mapping[str, int]) -> list[str]:
    """The likeliest split of `key` into syllables, by how often the lists' names use each
    (`syllables`: unmarked syllable → count; a well-formed one they never use counts ½),
    then the fewest syllables; [] when `key` is no run of syllables."""
    total = sum(syllables.values()) or 1
    best: dict[int, tuple[float, int, list[str]]] = {0: (0.0, 0, [])}
    for start in range(len(key)):
        if start not in best:
            continue
        score, count, pieces = best[start]
        for end in range(start + 1, min(len(key), start + 7) + 1):
            if not _well_formed(key[start:end]):
                continue
            uses = syllables.get(key[start:end], 0) or 0.5
            found = (score + math.log(uses / total), count - 1, pieces + [key[start:end]])
            if end not in best or found[:2] > best[end][:2]:
                best[end] = found
    return best[len(key)][2] if len(key) in best else []


def spaced(key: str, syllables: Mapping[str, int]) -> str:
    """"bachluu" → "Bach Luu" (see `_reading`); the key capitalised when it does not split."""
    pieces = _reading(key, syllables)
    return " ".join(p.capitalize() for p in pieces) if pieces else key.capitalize()
