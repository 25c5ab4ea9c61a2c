"""Change a few front-matter values of a content file and nothing else.

A product file is a person's work: comments, the order of keys, quoting, the
description, the line ends and the byte order mark stay byte for byte. Only the lines
of the changed keys are rewritten (a trailing comment on such a line kept), a missing
key is added after its siblings, a removed one loses its line. The result is parsed
again and must hold exactly the old values with the changes applied; otherwise the
edit is refused (CannotEdit) and the person is asked to make it by hand.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Mapping

from ..scaffold.filetext import yaml_scalar
from ..text.frontmatter import Document, FrontMatterError, parse_document, parse_yaml

KeyPath = tuple[str, ...]
REMOVE = object()  # a change that deletes the key
_LINE_END = re.compile(r"\r\n|\r|\n")
_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<key>[^\s:#][^:#]*?)[ ]*:(?P<gap>[ ]*)"
                       r"(?P<value>.*?)(?P<comment>[ ]+#.*)?$")


class CannotEdit(Exception):
    """The file is written in a way this editor does not change safely."""


def _split_lines(text: str) -> list[str]:
    """Lines with their own line end, so joining them gives `text` back exactly."""
    lines, start = [], 0
    for match in _LINE_END.finditer(text):
        lines.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _parts(line: str) -> tuple[str, str]:
    """(content, line end) of a line."""
    stripped = line.rstrip("\r\n")
    return stripped, line[len(stripped):]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _single_line(lines: list[str], index: int, closing: int) -> None:
    """The key at `index` must hold its value on its own line (no block below it)."""
    own = _indent(lines[index])
    following = lines[index + 1] if index + 1 < closing else ""
    content = _parts(following)[0]
    if content.strip() and not content.lstrip().startswith("#") and _indent(following) > own:
        raise CannotEdit("value spans several lines")


def _closing_line(lines: list[str]) -> int:
    for index in range(1, len(lines)):
        if _parts(lines[index])[0].rstrip() in ("---", "..."):
            return index
    raise CannotEdit("no closing ---")


def _at(data: dict, path: KeyPath) -> Any:
    for key in path:
        data = data[key]
    return data


def _reads_as(written: str, value: Any) -> bool:
    """The value part of a key's line, split from its comment, is the whole value: the
    line pattern cut a quoted '4 # x' at its '#' otherwise."""
    try:
        data, _ = parse_yaml(f"k: {written}")
    except FrontMatterError:
        return False
    return isinstance(data, dict) and data.get("k") == value


def _set(lines: list[str], doc: Document, path: KeyPath, value: Any, eol: str) -> None:
    closing = _closing_line(lines)
    if path in doc.lines:
        index = doc.lines[path] - 1
        _single_line(lines, index, closing)
        content, end = _parts(lines[index])
        match = _KEY_LINE.match(content)
        if not match or match["key"] != path[-1] or not _reads_as(match["value"],
                                                                   _at(doc.data, path)):
            raise CannotEdit("key line not understood")
        comment = match["comment"] or ""
        lines[index] = f"{match['indent']}{path[-1]}: {yaml_scalar(value)}{comment}{end}"
        return
    parent = path[:-1]
    if parent and parent not in doc.lines:  # the whole block is new: at the end
        lines.insert(closing, f"{parent[-1]}:{eol}")
        lines.insert(closing + 1, f"  {path[-1]}: {yaml_scalar(value)}{eol}")
        return
    if not parent:
        lines.insert(closing, f"{path[-1]}: {yaml_scalar(value)}{eol}")
        return
    parent_index = doc.lines[parent] - 1
    parent_match = _KEY_LINE.match(_parts(lines[parent_index])[0])
    if parent_match is None:
        raise CannotEdit("key line not understood")
    if parent_match["value"].strip():
        raise CannotEdit("a mapping written on one line")
    children = [line for key, line in doc.lines.items()
                if key[:len(parent)] == parent and len(key) > len(parent)]
    indent = " " * (_indent(lines[parent_index]) + 2)
    after = parent_index
    if children:
        indent = " " * _indent(lines[min(children) - 1])
        after = max(children) - 1
        _single_line(lines, after, closing)
    lines.insert(after + 1, f"{indent}{path[-1]}: {yaml_scalar(value)}{eol}")


def _remove(lines: list[str], doc: Document, path: KeyPath) -> None:
    if path not in doc.lines:
        return
    index = doc.lines[path] - 1
    _single_line(lines, index, _closing_line(lines))
    del lines[index]


def _expected(data: dict, changes: Mapping[KeyPath, Any]) -> dict:
    expected = copy.deepcopy(data)
    for path, value in changes.items():
        node = expected
        for key in path[:-1]:
            node = node.setdefault(key, {})
        if value is REMOVE:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value
    return expected


def edit_front_matter(raw: bytes, changes: Mapping[KeyPath, Any]) -> bytes:
    """`raw` with each key path set to its value (or removed, for REMOVE)."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0:].decode("utf-8")
        doc = parse_document(raw)
    except (UnicodeDecodeError, FrontMatterError) as exc:
        raise CannotEdit(str(exc)) from None
    lines = _split_lines(text)
    eol = _parts(lines[0])[1] or "\n"
    body_start = _closing_line(lines) + 1
    body = "".join(lines[body_start:])
    for path, value in changes.items():
        current = parse_document(("".join(lines)).encode("utf-8"))
        if value is REMOVE:
            _remove(lines, current, path)
        else:
            _set(lines, current, path, value, eol)
    edited = "".join(lines)
    result = (b"\xef\xbb\xbf" if bom else b"") + edited.encode("utf-8")
    try:
        after = parse_document(result)
    except FrontMatterError as exc:
        raise CannotEdit(str(exc)) from None
    if after.data != _expected(doc.data, changes) or \
            "".join(_split_lines(edited)[_closing_line(_split_lines(edited)) + 1:]) != body:
        raise CannotEdit("the edited file does not read back as intended")
    return result
