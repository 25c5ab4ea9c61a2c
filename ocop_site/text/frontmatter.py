"""Split a Markdown file into YAML front-matter and body, keeping the line of every key.

Why not `yaml.safe_load`: producers need the line of the offending key, duplicate keys
must be errors (PyYAML silently keeps the last), and content from outsiders must not be
able to expand alias bombs or nest without bound. We compose the document with libyaml's
C parser (safe: only standard tags) and convert the node tree ourselves.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from ..errors import ContentError, InvalidInput

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # the C parser is ~10x faster; fall back for platforms without libyaml
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_DEPTH = 20
MAX_MARKS = 30  # combining marks in a row (UAX #15 stream-safe text format)
MAX_NODES = 10_000
_PLAIN_TEXT_TAGS = frozenset({"tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"})
# C0 controls but tab and newline, DEL, and the non-characters XML forbids
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A parsed content file: front-matter values, the line of each key, and the body."""

    data: dict[str, Any]
    lines: dict[KeyPath, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, *path: str) -> int:
        """Line of the deepest known key on `path` (falls back to the parent, then line 1)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


class FrontMatterError(InvalidInput):
    """A file's front-matter cannot be read: the line and field, for its ContentError."""

    def __init__(self, line: int, field_name: str, en: str, vi: str):
        super().__init__(en, vi)
        self.line, self.field = line, field_name

    def to_error(self, path: str) -> ContentError:
        return ContentError(path, self.line, self.field, self.en, self.vi)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) → NFC text with LF line ends; anything else is an error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrontMatterError(
            line, "encoding",
            "file is not UTF-8 (was it saved as Windows-1258 or another code page?); "
            "save it as UTF-8",
            "tệp không phải UTF-8 (có thể lưu bằng Windows-1258 hoặc bảng mã khác); "
            "hãy lưu lại dưới dạng UTF-8",
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        raise _control_error(text[: control.start()].count("\n") + 1, "encoding",
                             control.group())
    return nfc_bounded(text, lambda index: text[:index].count("\n") + 1, "encoding")


def nfc_bounded(text: str, line_at: Callable[[int], int], field_name: str) -> str:
    """NFC, refusing runs of more than MAX_MARKS combining marks first.

    CPython puts combining marks in canonical order with an insertion sort: 40,000 marks
    of two classes take 17 s, a 1 MB file hours. Vietnamese needs two marks on a letter;
    Unicode's stream-safe format (UAX #15) allows 30. Text already NFC (almost every file)
    skips both the scan and the normalisation.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    run = 0
    for index, char in enumerate(text):
        if char >= "\u0300" and unicodedata.combining(char):
            run += 1
            if run > MAX_MARKS:
                raise FrontMatterError(
                    line_at(index), field_name,
                    f"more than {MAX_MARKS} accent marks in a row on one letter; the text "
                    "is garbled — retype it",
                    f"hơn {MAX_MARKS} dấu liên tiếp trên một chữ; văn bản bị lỗi — hãy gõ lại",
                )
        else:
            run = 0
    return unicodedata.normalize("NFC", text)


def _control_error(line: int, field_name: str, char: str) -> FrontMatterError:
    # They are invisible in editors, make feeds invalid XML, and never belong in a
    # product description: usually debris of a copy from a PDF or a word processor.
    return FrontMatterError(
        line, field_name,
        f"invisible control character U+{ord(char):04X} is not allowed; delete it "
        "(it often comes from copying text out of another program)",
        f"không được có ký tự điều khiển ẩn U+{ord(char):04X}; hãy xóa nó (thường "
        "do sao chép văn bản từ chương trình khác)",
    )


def split(text: str) -> tuple[str, int, str, int]:
    """Return (yaml_text, yaml_first_line, body, body_first_line) of a decoded file."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(
            1, "front-matter",
            "the file must start with a line '---', then the fields, then another '---'",
            "tệp phải bắt đầu bằng dòng '---', tiếp theo là các trường, rồi một dòng '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return yaml_text, 2, body, index + 2
    raise FrontMatterError(
        1, "front-matter",
        "the closing '---' line after the fields is missing",
        "thiếu dòng '---' đóng phần thông tin ở đầu tệp",
    )


def parse_yaml(yaml_text: str, first_line: int = 1, max_nodes: int = MAX_NODES
               ) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML safely, returning plain values and {key path: 1-based line}.

    `max_nodes` bounds front-matter (a product has a few dozen values); data files such
    as a national communes.yaml pass a larger bound, their byte size being limited anyway.
    """
    if "\t" in yaml_text:
        # YAML forbids tabs for indentation; editors insert them. Tabs inside values are
        # rare in front-matter, so expanding them is the forgiving choice.
        yaml_text = yaml_text.expandtabs(2)
    try:
        # Streamed first: an alias bomb or 10,000 nested '[' is refused after a few
        # events, before libyaml's composer builds (recursively) a tree of them.
        _prescan(yaml_text, first_line, max_nodes)
        loader = _Loader(yaml_text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or "invalid YAML"
        if "nesting depth" in problem:  # PyYAML ≥ 6.0.4's own limit, met before ours
            raise _too_deep(line) from None
        raise FrontMatterError(
            line, "yaml",
            f"YAML syntax error: {problem} (check quotes, colons and indentation; "
            "put text containing ': ' in quotes)",
            f"lỗi cú pháp YAML: {problem} (kiểm tra dấu nháy, dấu hai chấm và thụt lề; "
            "đặt văn bản có ': ' trong dấu nháy)",
        ) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + yaml_text[: exc.position].count("\n")
        raise _control_error(line, "yaml", chr(exc.character)) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, "yaml", f"YAML error: {exc}",
                               f"lỗi YAML: {exc}") from None
    try:
        if node is None:
            return {}, {}
        lines: dict[KeyPath, int] = {}
        converter = _Converter(loader, first_line, lines, max_nodes)
        return converter.convert(node, (), 0), lines
    finally:
        loader.dispose()


def _too_deep(line: int) -> FrontMatterError:
    return FrontMatterError(
        line, "yaml",
        f"the front-matter is nested too deeply (more than {MAX_DEPTH} levels) or is too large",
        f"phần thông tin đầu tệp lồng nhau quá sâu (quá {MAX_DEPTH} cấp) hoặc quá lớn",
    )


def _prescan(yaml_text: str, first_line: int, max_nodes: int) -> None:
    """Refuse anchors, aliases, tags, deep nesting and huge documents from the event stream.

    Runs in constant memory and stops at the first offending event, so hostile input costs
    no more than reading up to it. Tags are refused because front-matter never needs them
    and they reach constructors (!!binary, !!set, !!timestamp) built for trusted input.
    """
    loader = _Loader(yaml_text)
    depth = events = 0
    try:
        while (event := loader.get_event()) is not None:
            mark = event.start_mark
            line = first_line + (mark.line if mark else 0)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise FrontMatterError(
                    line, "yaml",
                    "YAML anchors and aliases (& and *) are not allowed; write the value out",
                    "không dùng neo và bí danh YAML (& và *); hãy viết đầy đủ giá trị",
                )
            # (an alias, the one node event without a tag, was refused just above)
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise FrontMatterError(
                    line, "yaml",
                    f"YAML tags such as '{tag}' are not allowed; write the plain value "
                    "(put text in quotes)",
                    f"không dùng thẻ YAML như '{tag}'; hãy viết giá trị thường "
                    "(đặt văn bản trong dấu nháy)",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            events += 1
            if depth > MAX_DEPTH or events > 2 * max_nodes:
                raise _too_deep(line)
    finally:
        loader.dispose()


def _field_of(path: KeyPath) -> str:
    """The field an error names: the dotted key path, or 'yaml' for the file as a whole
    (and for a key written as nothing)."""
    return ".".join(path) or "yaml"


class _Converter:
    """Node tree → Python values, refusing aliases, duplicate keys and runaway nesting."""

    def __init__(self, loader: Any, first_line: int, lines: dict[KeyPath, int],
                 max_nodes: int = MAX_NODES):
        self.loader = loader
        self.first_line = first_line
        self.lines = lines
        self.max_nodes = max_nodes
        self.count = 0
        self.seen: set[int] = set()  # id() of every node converted: an alias re-visits one

    def line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.count += 1
        if depth > MAX_DEPTH or self.count > self.max_nodes:
            raise FrontMatterError(
                self.line(node), _field_of(path),
                "the front-matter is nested too deeply or is too large",
                "phần thông tin đầu tệp lồng nhau quá sâu hoặc quá lớn",
            )
        if getattr(node, "anchor", None) is not None or id(node) in self.seen:
            raise self._alias_error(node, path)
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                item_path = path + (str(index),)
                self.lines[item_path] = self.line(item)
                items.append(self.convert(item, item_path, depth + 1))
            return items
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise FrontMatterError(self.line(key_node), _field_of(path),
                                       "a key must be a plain word",
                                       "tên trường phải là một từ đơn giản")
            key = nfc_bounded(str(key_node.value), lambda _: self.line(key_node),
                              _field_of(path))
            key_path = path + (key,)
            if key in result:
                raise FrontMatterError(
                    self.line(key_node), _field_of(key_path),  # _field_of: key '' twice
                    f"duplicate key '{key}' (first given on line "
                    f"{self.lines[key_path]}); keep only one",
                    f"trường '{key}' bị lặp (đã có ở dòng {self.lines[key_path]}); "
                    "chỉ giữ một",
                )
            self.lines[key_path] = self.line(key_node)
            result[key] = self.convert(value_node, key_path, depth + 1)
        return result

    def _scalar(self, node: yaml.Node, path: KeyPath) -> Any:
        if node.tag in _PLAIN_TEXT_TAGS:  # '=' and '<<' alone: text, not YAML 1.1 magic
            return unicodedata.normalize("NFC", str(node.value))
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise FrontMatterError(self.line(node), _field_of(path),
                                   f"cannot read this value: {exc}",
                                   f"không đọc được giá trị này: {exc}") from None
        except (ValueError, TypeError, OverflowError) as exc:
            # PyYAML's constructors trust the resolver: "2023-02-30" looks like a date,
            # then datetime.date() raises ValueError.
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise FrontMatterError(
                    self.line(node), _field_of(path),
                    f"'{node.value}' is not a real date ({exc}); write YYYY-MM-DD",
                    f"'{node.value}' không phải ngày có thật; hãy viết dạng YYYY-MM-DD",
                ) from None
            raise FrontMatterError(self.line(node), _field_of(path),
                                   f"cannot read the value '{node.value}' ({exc})",
                                   f"không đọc được giá trị '{node.value}'") from None
        if isinstance(value, str):
            control = _CONTROL.search(value)
            if control:  # written as an escape: "\0", "\x1b" in a double-quoted value
                raise _control_error(self.line(node), _field_of(path), control.group())
            value = nfc_bounded(value, lambda _: self.line(node), _field_of(path))
        return value

    def _alias_error(self, node: yaml.Node, path: KeyPath) -> FrontMatterError:
        return FrontMatterError(
            self.line(node), _field_of(path),
            "YAML anchors and aliases (& and *) are not allowed; write the value out",
            "không dùng neo và bí danh YAML (& và *); hãy viết đầy đủ giá trị",
        )


def parse_document(raw: bytes) -> Document:
    """Bytes of a content file → Document, or FrontMatterError with file line numbers."""
    text = decode(raw)
    yaml_text, yaml_line, body, body_line = split(text)
    data, lines = parse_yaml(yaml_text, yaml_line)
    if not isinstance(data, dict):
        raise FrontMatterError(
            yaml_line, "front-matter",
            "the front-matter must be a list of 'field: value' lines",
            "phần thông tin đầu tệp phải là các dòng 'trường: giá trị'",
        )
    return Document(data=data, lines=lines, body=body, body_line=body_line)
