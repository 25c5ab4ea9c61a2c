"""The local write API's request body: bytes → JSON, bounded, every failure a `BadBody`.

Python's json module parses nested arrays and objects recursively: a 400 KB body of
200,000 "[" raises RecursionError deep in it, and a number of 5,000 digits a ValueError
that is no JSONDecodeError. The form's requests nest five levels deep, so the nesting is
bounded (MAX_DEPTH) before parsing, on the brackets outside strings only, and anything
the parser still raises is turned into `BadBody` with both languages' words.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..errors import InvalidInput

MAX_DEPTH = 64  # arrays and objects inside each other; Decap sends at most ~5

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class BadBody(InvalidInput):
    """Why a body is no usable JSON: `en` and `vi` (localapi.py answers it with a 400)."""


def depth(raw: bytes) -> int:
    """How deep arrays and objects nest in `raw` (brackets inside strings not counted),
    counted only as far as MAX_DEPTH + 1."""
    deepest = level = 0
    for bracket in _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS):
        level += 1 if bracket in b"[{" else -1
        if level > deepest:
            deepest = level
            if deepest > MAX_DEPTH:
                break
    return deepest


def parse(raw: bytes) -> Any:
    """The JSON value of `raw` (UTF-8), or BadBody: not UTF-8, not JSON, nested deeper
    than MAX_DEPTH, or anything else the parser refuses."""
    if depth(raw) > MAX_DEPTH:
        raise BadBody(f"the body nests arrays or objects more than {MAX_DEPTH} levels deep",
                      f"nội dung lồng mảng, đối tượng sâu quá {MAX_DEPTH} tầng")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError too
        raise BadBody(f"the body is not valid JSON ({exc})",
                      f"nội dung không phải JSON hợp lệ ({exc})") from None
