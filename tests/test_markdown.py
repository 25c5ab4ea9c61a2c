"""Markdown → HTML: the allow-list keeps what producers write (headings, lists, tables,
links) and drops everything that could run, whatever the input."""
from __future__ import annotations

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop_site.text.markdown import (ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MarkdownRenderer,
    first_paragraph_text, sanitize)

from .xss_scan import Scan, bad_url

RENDERER = MarkdownRenderer()


def elements(fragment: str):
    root = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False)
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag != "DOCUMENT_FRAGMENT"]


def assert_inert(fragment: str) -> None:
    """Only allow-listed tags and attributes, safe URLs, noopener on every link."""
    for element in elements(fragment):
        assert element.tag in ALLOWED_TAGS, (element.tag, fragment)
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES.get(element.tag, set()) | {"rel"}, (name, fragment)
            assert not bad_url(value), (name, value)
        if element.tag == "a":
            assert "noopener" in element.get("rel", "").split()
    scan = Scan("example.org")
    scan.html_fragment("fragment", fragment)
    assert scan.findings == []


# -- what producers write survives ---------------------------------------------------------

@pytest.mark.parametrize("markdown,expected", [
    ("## Đặc điểm\n\nChè **ngon**, *thơm*.", "<h3>Đặc điểm</h3>\n<p>Chè <strong>ngon</strong>, "
                                            "<em>thơm</em>.</p>"),
    ("- một\n- hai", "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>"),
    ("3. ba\n4. bốn", '<ol start="3">\n<li>ba</li>\n<li>bốn</li>\n</ol>'),
    ("| Cỡ | Giá |\n|:--|--:|\n| 500g | 150.000 |",
     '<table>\n<thead>\n<tr>\n<th align="left">Cỡ</th>\n<th align="right">Giá</th>\n</tr>\n'
     '</thead>\n<tbody>\n<tr>\n<td align="left">500g</td>\n<td align="right">150.000</td>\n'
     '</tr>\n</tbody>\n</table>'),
    ("[Cửa hàng](https://shop.example/)",
     '<p><a href="https://shop.example/" rel="noopener noreferrer">Cửa hàng</a></p>'),
    ("[Gọi](tel:0900000101) hoặc [thư](mailto:a@example.org)",
     '<p><a href="tel:0900000101" rel="noopener noreferrer">Gọi</a> hoặc '
     '<a href="mailto:a@example.org" rel="noopener noreferrer">thư</a></p>'),
    ("OCOP\n\n*[OCOP]: Mỗi xã một sản phẩm", '<p><abbr title="Mỗi xã một sản phẩm">OCOP</abbr>'
                                           '</p>'),
    ("> Lời chứng\n\n---\n\n`mã`", "<blockquote>\n<p>Lời chứng</p>\n</blockquote>\n<hr>\n"
                                   "<p><code>mã</code></p>"),
    ("# Tiêu đề cấp 1", "<h2>Tiêu đề cấp 1</h2>"),  # the page has its own <h1>
    ("x < y & z > 3", "<p>x &lt; y &amp; z &gt; 3</p>"),
])
def test_what_producers_write_is_kept(markdown: str, expected: str) -> None:
    assert RENDERER.render(markdown) == expected


def test_the_first_paragraph_is_the_default_summary() -> None:
    html = RENDERER.render("Chè &amp; <b>mật</b> ong.\n\nĐoạn hai.")
    assert first_paragraph_text(html) == "Chè & mật ong."
    long = RENDERER.render(" ".join(["chữ"] * 200))
    summary = first_paragraph_text(long)
    assert len(summary) <= 241 and summary.endswith("…") and not summary.endswith(" …")


# -- what could run is dropped ----------------------------------------------------------

@pytest.mark.parametrize("markdown", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<svg onload=alert(1)>",
    "<form action=https://evil.example><input name=q></form>",
    "<object data=x></object><embed src=x>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<base href=https://evil.example/>",
    "Xin chào {: onclick=\"alert(1)\" }",
    "## Tiêu đề {: onmouseover=\"alert(1)\" }",
    '<a href="https://evil.example/" target="_blank" onclick="x">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
])
def test_what_could_run_is_dropped(markdown: str) -> None:
    assert_inert(RENDERER.render(markdown))


def test_script_and_style_content_is_dropped_not_shown() -> None:
    html = RENDERER.render("trước <script>alert('x')</script> <style>p{}</style> sau")
    assert "alert" not in html and "p{}" not in html
    assert "trước" in html and "sau" in html


def test_comments_are_dropped() -> None:
    assert "<!--" not in RENDERER.render("a <!-- <script>alert(1)</script> --> b")


# -- whatever the input -------------------------------------------------------------------

MARKUP = st.lists(st.sampled_from(
    list("<>/=\"' \n\tabcdefhilmnoprstvx:;()[]!#*`&{}.-_|") + [
        "script", "img", "svg", "iframe", "style", "onerror", "onload", "href", "src",
        "javascript:", "data:", "&#x09;", "&#106;", "<!--", "-->", "<![CDATA[", "]]>",
        "{: ", " }", "](", "![", "\u200b", "đ", "<a href=", "<img src=x ", "\n\n", "    ",
        "*[", "]: "]), max_size=60).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUP)
def test_any_markdown_renders_inert(markdown: str) -> None:
    assert_inert(RENDERER.render(markdown))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUP)
def test_sanitizing_is_idempotent(markup: str) -> None:
    once = sanitize(markup)
    assert_inert(once)
    assert sanitize(once) == once
