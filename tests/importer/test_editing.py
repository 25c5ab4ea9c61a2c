"""Front-matter edits change the changed lines and nothing else, byte for byte."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ocop_site.importer.editing import REMOVE, CannotEdit, edit_front_matter

FILE = """\
---
# Sản phẩm của HTX — đừng xóa dòng này
name: "Chè xanh Đồng Thịnh"
stars: 4   # theo QĐ cũ
category: che-tuoi-che-bien
commune: Đồng Thịnh
producer: htx-che-dong-thinh
certificate:
  decision: 123/QĐ-UBND
  date: 2024-05-12
  valid_until: 2027-01-01
price: 150000
---
Mô tả **giữ nguyên**.

---
Không phải front-matter.
"""


def test_only_the_changed_lines_change() -> None:
    edited = edit_front_matter(FILE.encode(), {
        ("stars",): 5, ("certificate", "decision"): "245/QĐ-UBND",
        ("certificate", "date"): dt.date(2024, 3, 15),
        ("certificate", "issued_by"): "UBND tỉnh Vĩnh Phúc",
        ("certificate", "valid_until"): REMOVE}).decode()
    assert edited == FILE.replace("stars: 4   # theo", "stars: 5   # theo").replace(
        "decision: 123/QĐ-UBND", "decision: 245/QĐ-UBND").replace(
        "  date: 2024-05-12\n  valid_until: 2027-01-01\n",
        "  date: 2024-03-15\n  issued_by: UBND tỉnh Vĩnh Phúc\n")


def test_line_ends_byte_order_mark_and_nfd_text_are_kept() -> None:
    raw = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", FILE).replace("\n", "\r\n").encode()
    edited = edit_front_matter(raw, {("stars",): 3})
    assert edited == raw.replace(b"stars: 4 ", b"stars: 3 ")


def test_a_missing_block_is_added_before_the_closing_line() -> None:
    raw = b"---\nname: A\n---\nbody\n"
    edited = edit_front_matter(raw, {("certificate", "decision"): "1/QĐ-UBND"})
    assert edited.decode() == "---\nname: A\ncertificate:\n  decision: 1/QĐ-UBND\n---\nbody\n"


def test_values_that_need_quotes_get_them() -> None:
    edited = edit_front_matter(b"---\nstars: 4\n---\n", {("stars",): "a: b # c"})
    assert edited == b'---\nstars: "a: b # c"\n---\n'


@pytest.mark.parametrize("raw", [
    b"---\ncertificate: {decision: 1, date: 2024-01-01}\n---\n",  # written on one line
    b"---\nstars: >\n  4\n---\n",  # a block scalar
    b"---\nstars: '4 # x'   # y\n---\n",  # a quoted value the line pattern cannot split
])
def test_what_cannot_be_edited_safely_is_refused(raw: bytes) -> None:
    with pytest.raises(CannotEdit):
        edit_front_matter(raw, {("stars",): 5, ("certificate", "issued_by"): "X"})
