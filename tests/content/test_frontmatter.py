"""Front-matter parsing of hostile and broken files: every failure is a FrontMatterError
with a line number, quickly, and nothing a phone or an old Windows editor does is lost."""
from __future__ import annotations

import datetime as dt
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop_site.text.frontmatter import MAX_DEPTH, FrontMatterError, parse_document, parse_yaml

HANG_GUARD_SECONDS = 5.0  # hostile input is refused in milliseconds; this only catches hangs


def refused(raw: bytes) -> FrontMatterError:
    with pytest.raises(FrontMatterError) as info:
        parse_document(raw)
    return info.value


def timed_refusal(raw: bytes) -> tuple[FrontMatterError, float]:
    started = time.perf_counter()
    error = refused(raw)
    return error, time.perf_counter() - started


# -- bombs and runaway nesting ---------------------------------------------------------

BILLION_LAUGHS = b"""---
name: x
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
---
"""


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    error, seconds = timed_refusal(BILLION_LAUGHS)
    assert seconds < HANG_GUARD_SECONDS
    assert (error.line, error.field) == (3, "yaml")
    assert "anchors and aliases" in error.en


def test_an_alias_alone_is_refused_on_its_own_line() -> None:
    error = refused(b"---\nname: x\nunit: *u\n---\n")
    assert error.line == 3 and "aliases" in error.en


def test_a_merge_key_cannot_smuggle_an_alias() -> None:
    error = refused(b"---\nbase: &b {stars: 5}\nprice:\n  <<: *b\n---\n")
    assert error.line == 2 and "anchors" in error.en


@pytest.mark.parametrize("opener,closer", [(b"[", b"]"), (b"{", b"}"), (b"[{a: ", b"}]")])
@pytest.mark.parametrize("closed", [False, True])
def test_ten_thousand_nested_brackets_are_refused_quickly(opener: bytes, closer: bytes,
                                                          closed: bool) -> None:
    nested = opener * 10_000 + (closer * 10_000 if closed else b"")
    error, seconds = timed_refusal(b"---\nname: x\nimages: " + nested + b"\n---\n")
    assert seconds < HANG_GUARD_SECONDS
    assert error.line == 3
    assert "nested too deeply" in error.en


def test_deep_block_indentation_is_refused_at_the_first_line_too_deep() -> None:
    lines = b"".join(b"  " * depth + b"k:\n" for depth in range(3000))
    error, seconds = timed_refusal(b"---\n" + lines + b"---\n")
    assert seconds < HANG_GUARD_SECONDS
    # each block mapping is one level; the key that opens level MAX_DEPTH + 1 is reported
    assert error.line == MAX_DEPTH + 2 and "nested too deeply" in error.en


def test_nesting_a_real_file_needs_is_accepted() -> None:
    doc = parse_document(b"---\ncertificate:\n  decision: 1/QD\n  date: 2024-01-02\n"
                         b"images:\n  - src: a.jpg\n    alt: b\n---\n")
    assert doc.data["images"] == [{"src": "a.jpg", "alt": "b"}]


def test_too_many_values_are_refused() -> None:
    many = b", ".join(b"x" for _ in range(30_000))
    error, seconds = timed_refusal(b"---\nimages: [" + many + b"]\n---\n")
    assert seconds < HANG_GUARD_SECONDS
    assert error.line == 2 and "too large" in error.en


def test_data_files_may_hold_more_values_than_front_matter() -> None:
    communes = "communes:\n" + "".join(f"  - name: Xã {i}\n    former_names: [A{i}, B{i}]\n"
                                       for i in range(5000))
    data, lines = parse_yaml(communes, max_nodes=1_000_000)
    assert len(data["communes"]) == 5000 and lines[("communes", "4999")] == 2 + 2 * 4999


# -- tags: nothing but plain values ------------------------------------------------------

@pytest.mark.parametrize("value,shown", [
    ("!!python/object/apply:os.system ['echo pwned']", "!!python/object/apply:os.system"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!!int abc", "!!int"),
    ("!!timestamp tomorrow", "!!timestamp"),
    ("!custom x", "!custom"),
])
def test_explicit_tags_are_refused(value: str, shown: str) -> None:
    error = refused(f"---\nname: x\nunit: {value}\n---\n".encode())
    assert error.line == 3
    assert error.en.startswith(f"YAML tags such as '{shown}' are not allowed")


# -- duplicate keys ----------------------------------------------------------------------

def test_duplicate_keys_are_errors_naming_both_lines() -> None:
    error = refused(b"---\nname: A\nstars: 4\nname: B\n---\n")
    assert (error.line, error.field) == (4, "name")
    assert "first given on line 2" in error.en


def test_duplicate_nested_keys_are_errors_too() -> None:
    error = refused(b"---\ncertificate:\n  date: 2024-01-01\n  date: 2024-02-01\n---\n")
    assert (error.line, error.field) == (4, "certificate.date")


def test_an_empty_key_given_twice_still_names_a_field() -> None:
    # found by the property test below: '?' alone is an explicit empty key in YAML
    error = refused(b"---\n?\n?\n---\n")
    assert (error.line, error.field) == (3, "yaml")
    assert error.to_error("p.md").format().startswith("p.md:3: yaml: duplicate key ''")


def test_keys_equal_after_unicode_normalisation_are_duplicates() -> None:
    nfc, nfd = "tên".encode(), "te\u0302n".encode()
    error = refused(b"---\n" + nfc + b": a\n" + nfd + b": b\n---\n")
    assert error.line == 3


# -- what editors and phones do ------------------------------------------------------------

PLAIN = "---\nname: Chè xanh\nstars: 4\ncertificate:\n  decision: 1/QĐ\n  date: 2024-05-12\n---\nMô tả.\n"


def test_tabs_in_indentation_and_after_colons_are_accepted() -> None:
    doc = parse_document(PLAIN.replace("  ", "\t").replace("stars: ", "stars:\t").encode())
    assert doc.data["certificate"] == {"decision": "1/QĐ", "date": dt.date(2024, 5, 12)}
    assert doc.data["stars"] == 4


def test_a_bom_crlf_and_no_final_newline_change_nothing() -> None:
    plain = parse_document(PLAIN.encode())
    windows = parse_document(b"\xef\xbb\xbf" + PLAIN.rstrip("\n").replace("\n", "\r\n").encode())
    assert windows.data == plain.data
    assert windows.lines == plain.lines
    assert windows.body.rstrip("\n") == plain.body.rstrip("\n") == "Mô tả."
    assert windows.body_line == plain.body_line == 8


def test_old_mac_line_ends_are_accepted() -> None:
    assert parse_document(PLAIN.replace("\n", "\r").encode()).data["stars"] == 4


def test_closing_line_with_trailing_spaces_and_no_body() -> None:
    doc = parse_document(b"---\nname: x\n---   ")
    assert doc.data == {"name": "x"} and doc.body == ""


def test_line_numbers_after_crlf_stay_those_of_the_editor() -> None:
    error = refused("---\r\nname: a\r\nstars: 4\r\nname: b\r\n---\r\n".encode())
    assert error.line == 4


def test_nfd_text_is_stored_as_nfc() -> None:
    doc = parse_document("---\nname: Che\u0300 xanh\n---\n".encode())
    assert doc.data["name"] == "Chè xanh"


# -- encodings ---------------------------------------------------------------------------

def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: â ê ô ơ ư ă đ precomposed, tones as combining marks."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tones = "".join(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def test_cp1258_helper_round_trips() -> None:
    text = "Chè xanh Đồng Thịnh, mật ong Ướt"
    assert unicodedata.normalize("NFC", cp1258(text).decode("cp1258")) == text

def test_windows_1258_is_reported_with_its_line_not_mangled() -> None:
    raw = cp1258("---\nname: Chè xanh Đồng Thịnh\nstars: 4\n---\n")
    error = refused(raw)
    assert (error.line, error.field) == (2, "encoding")
    assert "Windows-1258" in error.en and "UTF-8" in error.en


def test_the_first_bad_byte_decides_the_line() -> None:
    raw = cp1258("---\nname: Che xanh\nstars: 4\nunit: hộp\n---\n")
    assert refused(raw).line == 4


def test_utf16_is_not_utf8() -> None:
    assert refused(PLAIN.encode("utf-16")).field == "encoding"


def test_a_control_character_is_reported_on_its_line() -> None:
    error = refused(b"---\nname: x\nunit: h\x1bp\n---\n")
    assert error.line == 3 and "U+001B" in error.en


def test_a_control_character_in_the_body_is_reported_on_its_line() -> None:
    """A form feed pasted from a PDF would make the Atom feed invalid XML."""
    error = refused(b"---\nname: x\n---\nfirst\n\nsecond \x0c page\n")
    assert (error.line, error.field) == (6, "encoding") and "U+000C" in error.en


@pytest.mark.parametrize("escape,code", [("\\0", "U+0000"), ("\\x1b", "U+001B"),
                                         ("\\x7f", "U+007F"), ("\\uFFFF", "U+FFFF")])
def test_a_control_character_written_as_an_escape_is_refused(escape: str, code: str) -> None:
    error = refused(f'---\nname: x\ncertificate:\n  decision: "1{escape}2"\n---\n'.encode())
    assert (error.line, error.field) == (4, "certificate.decision") and code in error.en


def test_a_flood_of_accent_marks_is_refused_quickly() -> None:
    """Out-of-order combining marks cost CPython's NFC n² steps (17 s for 40,000)."""
    flood = "e" + "\u0301" * 170_000 + "\u0323" * 170_000
    for raw, line, field in [
            (f"---\nname: {flood}\n---\n".encode(), 2, "encoding"),
            (f"---\nname: x\n---\n\nMô tả {flood}\n".encode(), 5, "encoding"),
            (b'---\nname: x\nunit: "e' + b"\\u0301\\u0323" * 20 + b'"\n---\n', 3, "unit")]:
        error, seconds = timed_refusal(raw)
        assert seconds < HANG_GUARD_SECONDS
        assert (error.line, error.field) == (line, field)
        assert error.en.startswith("more than 30 accent marks in a row")


def test_decomposed_vietnamese_is_far_below_the_mark_limit() -> None:
    text = unicodedata.normalize("NFD", "---\nname: Nghiễm Ệ Ượ\n---\nỆ ượ ặ\n")
    doc = parse_document(text.encode())
    assert doc.data["name"] == "Nghiễm Ệ Ượ" and doc.body == "Ệ ượ ặ\n"


def test_tabs_and_newlines_in_values_are_kept() -> None:
    doc = parse_document(b'---\nsummary: "a\\tb\\nc"\n---\n')
    assert doc.data["summary"] == "a\tb\nc"


# -- broken structure ----------------------------------------------------------------------

def test_missing_closing_line() -> None:
    error = refused(b"---\nname: x\nstars: 4\n\nMo ta.\n")
    assert (error.line, error.field) == (1, "front-matter") and "closing" in error.en


def test_missing_opening_line() -> None:
    assert "must start with" in refused(b"name: x\n---\n").en


def test_yaml_syntax_error_names_the_line() -> None:
    error = refused(b"---\nname: x\nsummary: a: b\nstars: 4\n---\n")
    assert (error.line, error.field) == (3, "yaml")


def test_impossible_dates_are_errors_not_crashes() -> None:
    error = refused(b"---\nname: x\ncertificate:\n  date: 2023-02-30\n---\n")
    assert (error.line, error.field) == (4, "certificate.date")
    assert error.en.startswith("'2023-02-30' is not a real date")


def test_a_list_instead_of_fields_is_refused() -> None:
    assert refused(b"---\n- a\n- b\n---\n").field == "front-matter"


def test_a_complex_key_is_refused() -> None:
    assert "plain word" in refused(b"---\n? [a, b]\n: c\n---\n").en


# -- never anything but FrontMatterError -------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(
    list("abc:-[]{}&*!|>'\"#%@`,?~=<.\\ \t\n\r0123456789") + ["\u00a0", "é", "\ufeff", "Đ",
                                                            "\x85", "\u2028", "\x00"]),
    max_size=200)


def _parse_or_refuse(raw: bytes) -> None:
    try:
        doc = parse_document(raw)
    except FrontMatterError as error:
        assert error.line >= 1 and error.en and error.vi and error.field
    else:
        assert isinstance(doc.data, dict)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_else(raw: bytes) -> None:
    _parse_or_refuse(raw)
    _parse_or_refuse(b"---\n" + raw + b"\n---\n")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH, st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
def test_arbitrary_yaml_like_text_never_raises_anything_else(text: str, encoding: str) -> None:
    raw = ("---\n" + text + "\n---\nbody\n").encode(encoding, "replace")
    _parse_or_refuse(raw)
