"""Vietnamese and English (issue 6), on real builds of the sample site.

For every page: its counterpart in the other language exists and is linked (hreflang and
the switcher), `<html lang>` is right, the interface is in the page's language, and text
shown untranslated is marked and announced. No template or script holds interface text
of its own. Adding a language is a file and a line: a third one is built here.
"""
from __future__ import annotations

import concurrent.futures
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2
import pytest
import yaml

from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors
from ocop_site.content.i18n import Translator

from .conftest import REPO, TODAY
from .test_search_browser import CHROMIUM, CHROMIUM_ARGS

BASE = "https://ocop.example.org/"
THEME_TEMPLATES = REPO / "templates"
THEME_SCRIPTS = REPO / "assets" / "js"
THEME_STRINGS = REPO / "i18n"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample site (Vietnamese at /, English at /en/), built once."""
    out = tmp_path_factory.mktemp("i18n") / "public"
    builder.build(REPO, out, base_url=BASE, today=TODAY)
    return out


@pytest.fixture(scope="module")
def strings() -> dict[str, Translator]:
    config, _, _ = builder.load(REPO, today=TODAY)
    return {code: config.translator(code) for code in config.languages}


class Page(HTMLParser):
    """What these tests read from a page: html lang, links, the switcher, and the text
    with the language each piece of it is marked as (the nearest `lang` attribute)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang = ""
        self.alternates: dict[str, str] = {}  # hreflang → href
        self.switcher: list[tuple[str, str]] = []  # (hreflang, href)
        self.texts: list[tuple[str, str, str]] = []  # (language, enclosing tags, text)
        self._stack: list[tuple[str, str, bool]] = []  # (tag, language, in switcher)
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = values.get("lang", "")
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.alternates[values["hreflang"]] = values["href"]
        in_switcher = bool(self._stack and self._stack[-1][2]) or (
            tag == "nav" and "languages" in values.get("class", "").split())
        if tag == "a" and in_switcher:
            self.switcher.append((values.get("hreflang", ""), values["href"]))
        if tag not in self.VOID:
            lang = values.get("lang") or (self._stack[-1][1] if self._stack
                                         else self.html_lang)
            classes = values.get("class", "").split()
            self._stack.append((".".join([tag, *classes[:1]]), lang, in_switcher))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0].split(".")[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        tags = " ".join(t for t, _, _ in self._stack)  # 'body header.site-header div…'
        if data.strip() and not re.search(r"\b(script|style|title)\b", tags):
            lang = self._stack[-1][1] if self._stack else self.html_lang
            self.texts.append((lang, tags, data.strip()))

    def text_in(self, lang: str) -> str:
        return "\n".join(text for code, _, text in self.texts if code == lang)


def read(out: Path, path: str) -> Page:
    return Page((out / path).read_text(encoding="utf-8"))


def counterpart(path: str) -> tuple[str, str]:
    """('en/xa/index.html', 'en') for 'xa/index.html' and the other way round."""
    if path.startswith("en/"):
        return path[3:], "vi"
    return "en/" + path, "en"


def url_of(path: str) -> str:
    return BASE + (path[: -len("index.html")] if path.endswith("index.html") else path)


def html_pages(out: Path) -> list[str]:
    """Every page a visitor reads; not the redirects of former communes (xa/<former>/),
    which only send the visitor on (tests/test_former_units.py checks them), nor the
    producers' web form (admin/, en/admin/: Decap CMS's own interface in each language,
    tests/cms/test_admin.py)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                  if "admin" not in p.relative_to(out).parts
                  and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))


# -- every page, both ways ------------------------------------------------------------

def test_every_page_has_its_counterpart_linked_both_ways(sample: Path) -> None:
    pages = html_pages(sample)
    english = [p for p in pages if p.startswith("en/")]
    assert len(english) * 2 == len(pages) > 150  # the same pages in both languages
    for path in pages:
        page = read(sample, path)
        other, other_lang = counterpart(path)
        lang = "en" if path.startswith("en/") else "vi"
        assert page.html_lang == lang, path
        assert (sample / other).is_file(), f"{path}: no {other}"
        vi_path, en_path = (path, other) if lang == "vi" else (other, path)
        assert page.alternates == {"vi": url_of(vi_path), "en": url_of(en_path),
                                   "x-default": url_of(vi_path)}, path
        # the switcher: one plain link, to the same page in the other language
        [(hreflang, href)] = page.switcher
        assert hreflang == other_lang, path
        if path.endswith("404.html"):  # served at any depth: an absolute path
            assert href == urlsplit(url_of(other)).path, path
        else:
            target = urljoin(url_of(path), href)
            assert target == url_of(other), f"{path}: switcher goes to {target}"


def test_interface_is_in_the_page_language(sample: Path, strings) -> None:
    """Nav and chrome come from the page language's file; no interface string of the
    other language shows outside text marked with that language."""
    nav = {code: [strings[code](f"nav.{k}") for k in
                  ("products", "communes", "categories", "stars", "producers", "events")]
           for code in ("vi", "en")}
    assert nav["vi"] != nav["en"]
    leaks = {code: _distinctive(strings[code], strings[other])
             for code, other in (("vi", "en"), ("en", "vi"))}
    assert len(leaks["vi"]) > 100 and len(leaks["en"]) > 100
    for path in html_pages(sample):
        lang = "en" if path.startswith("en/") else "vi"
        other = "vi" if lang == "en" else "en"
        html = (sample / path).read_text(encoding="utf-8")
        page = Page(html)
        shown_nav = [text for _, tags, text in page.texts
                     if tags.endswith("nav ul.nav li a")]
        assert shown_nav == nav[lang], path
        own_text = page.text_in(lang)
        found = [s for s in leaks[other] if s in own_text]
        assert found == [], f"{path}: {other} interface text on a {lang} page: {found}"


def _distinctive(translator: Translator, other: Translator) -> list[str]:
    """The literal pieces (between placeholders) of a language's strings that the other
    language does not share and that are long enough to mean something."""
    pieces = set()
    for key, value in translator.texts.items():
        if key.startswith(("language.", "format.", "month.")):
            continue
        for piece in re.split(r"\{[a-z_]+\}", value):
            piece = piece.strip(" .,:;()“”·/")
            if len(piece) >= 5 and " " in piece and piece not in " ".join(
                    other.texts.values()):
                pieces.add(piece)
    return sorted(pieces)


def test_untranslated_content_is_marked_and_announced(sample: Path, strings) -> None:
    note = strings["en"]("fallback.product")
    # no English file: Vietnamese text, marked lang="vi", and the note
    page = read(sample, "en/san-pham/cha-ca-song-lo/index.html")
    assert note in page.text_in("en")
    assert "Chả cá sông Lô" in [text for lang, tags, text in page.texts
                                if lang == "vi" and tags.endswith("h1")]
    assert "## " not in page.text_in("vi") and "Giới thiệu" not in page.text_in("en")
    description = [lang for lang, tags, _ in page.texts if "section.description div" in tags]
    assert description and set(description) == {"vi"}
    # an English file: English text, no note, nothing marked Vietnamese in the product
    page = read(sample, "en/san-pham/che-xanh-dong-thinh/index.html")
    assert note not in page.text_in("en")
    assert "Đồng Thịnh Green Tea" in [text for lang, tags, text in page.texts
                                      if lang == "en" and tags.endswith("h1")]
    assert "How to brew" in page.text_in("en")
    # the Vietnamese page never shows the note, whatever is translated
    assert strings["vi"]("fallback.product") not in read(
        sample, "san-pham/cha-ca-song-lo/index.html").text_in("vi")
    # producers and events too
    assert strings["en"]("fallback.producer") in read(
        sample, "en/co-so/ho-gom-dong-que/index.html").text_in("en")
    assert strings["en"]("fallback.producer") not in read(
        sample, "en/co-so/htx-che-dong-thinh/index.html").text_in("en")
    assert strings["en"]("fallback.event") not in read(
        sample, "en/su-kien/hoi-cho-ocop-phu-tho-2026/index.html").text_in("en")


def test_english_lists_sort_by_english_name_and_use_english_labels(sample: Path) -> None:
    html = (sample / "en/xa/song-lo/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'class="card-title"[^>]*>([^<]+)<', html)
    assert "Đồng Thịnh Green Tea" in titles and "Chè xanh Đồng Thịnh" not in titles
    ranks = [int(r) for r in re.findall(r'data-rank="(\d+)"', html)]
    assert ranks == sorted(ranks)  # name order in the page's language
    assert "Song Lo commune" in html and "180,000\u00a0₫" in html
    home = (sample / "en/index.html").read_text(encoding="utf-8")
    assert "12 May 2024" in (sample / "en/san-pham/che-xanh-dong-thinh/index.html"
                             ).read_text(encoding="utf-8")
    assert "OCOP products of Sông Lô" in home and "Beverages" in home


def test_sitemap_lists_every_page_of_both_languages_with_alternates(sample: Path) -> None:
    xml = (sample / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    # all but the 404 page and what the service worker shows for reading offline
    pages = [p for p in html_pages(sample) if not p.endswith("404.html")
             and not re.search(r"(^|/)(khong-co-mang|da-luu)/", p)]
    assert sorted(locs) == sorted(url_of(p) for p in pages)
    entry = re.search(r"<url><loc>https://ocop.example.org/en/xa/song-lo/</loc>(.*?)</url>",
                      xml).group(1)
    assert 'hreflang="vi" href="https://ocop.example.org/xa/song-lo/"' in entry
    assert 'hreflang="en" href="https://ocop.example.org/en/xa/song-lo/"' in entry
    assert 'hreflang="x-default" href="https://ocop.example.org/xa/song-lo/"' in entry
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in xml


def test_search_index_has_one_language_per_page_language(sample: Path) -> None:
    products = len(list((sample / "san-pham").glob("*/index.html")))
    shops = len(list((sample / "cua-hang").glob("*/index.html")))  # shops are found too
    manifests = {code: json.loads((sample / f"search-index/{code}/index.json").read_text())
                 for code in ("vi", "en")}
    assert {code: (m["n"], m["p"]) for code, m in manifests.items()} == {
        "vi": (products + shops, products), "en": (products + shops, products)}
    page = (sample / "en/tim-kiem/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    texts = json.loads(re.search(r'<script type="application/json" id="search-text">(.*?)'
                                 r"</script>", page, re.S).group(1))
    assert texts["found_one"] == "{count} product" and texts["commune"] == "{name} commune"
    assert 'data-root="../../"' in page  # the cards' paths start at the site root
    assert 'data-index="../../search-index/"' in page  # its en/ folder: <html lang>


def in_browser(work):
    """Run `work(page)` in Debian's chromium, in a thread of its own: Playwright's sync API
    allows one live instance per thread, and other modules keep theirs open."""
    def run():
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                work(page)
                assert errors == []  # no script error on any page visited
            finally:
                browser.close()
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `bash tools/install-test-deps.sh` as root",
                    pytrace=False)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def test_search_in_the_browser_stays_in_the_page_language(sample: Path, http_root) -> None:
    base = http_root(sample)
    in_browser(lambda page: _search_in_both_languages(page, base))


def _search_in_both_languages(page, base: str) -> None:
    from playwright.sync_api import expect
    page.goto(f"{base}/en/tim-kiem/?q=pomelo")
    expect(page.locator("[data-status]")).to_have_text(re.compile(r"^\d+ products? for “pomelo”$"))
    card = page.locator("[data-results] .card").first
    expect(card.locator(".card-title")).to_have_text("Đôn Nhân Pomelo")
    expect(card.locator(".card-commune")).to_have_text("Hai Luu commune")
    assert card.locator("a").get_attribute("href").endswith("/en/san-pham/buoi-don-nhan/")
    page.goto(f"{base}/tim-kiem/?q=pomelo")  # English words are not in the Vietnamese index
    expect(page.locator("[data-status]")).to_contain_text("Không tìm thấy sản phẩm nào")
    page.goto(f"{base}/tim-kiem/?q=buoi")
    expect(page.locator("[data-status]")).to_contain_text("sản phẩm cho “buoi”")
    titles = page.locator("[data-results] .card-title").all_inner_texts()
    assert "Bưởi Đôn Nhân" in titles and "Đôn Nhân Pomelo" not in titles
    # the switcher of the search page keeps to the search page
    page.locator("nav.languages a").click()
    assert page.url == f"{base}/en/tim-kiem/"


def test_qr_codes_and_open_data_per_language(sample: Path) -> None:
    english = (sample / "en/san-pham/che-xanh-dong-thinh/qr.svg").read_text()
    assert "QR code: Đồng Thịnh Green Tea" in english
    assert "Mã QR: Chè xanh Đồng Thịnh" in (
        sample / "san-pham/che-xanh-dong-thinh/qr.svg").read_text()
    data = json.loads((sample / "catalogue.json").read_text(encoding="utf-8"))
    che = next(p for p in data["products"] if p["slug"] == "che-xanh-dong-thinh")
    assert che["translations"]["en"] == {
        "name": "Đồng Thịnh Green Tea", "unit": "500 g box",
        "summary": che["translations"]["en"]["summary"],
        "url": "https://ocop.example.org/en/san-pham/che-xanh-dong-thinh/"}
    cha = next(p for p in data["products"] if p["slug"] == "cha-ca-song-lo")
    assert cha["translations"]["en"]["name"] is None
    csv = (sample / "catalogue.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].endswith(",name_en,summary_en,unit_en,url_en")


def test_shipped_translation_files_are_complete(strings) -> None:
    """A missing string would show in Vietnamese on English pages; an extra one is a
    typo no page asks for."""
    assert strings["en"].missing() == ()
    config, _, warnings = builder.load(REPO, today=TODAY)
    assert [w for w in warnings if w.field == "i18n"] == []
    assert set(config.languages) == {p.stem for p in THEME_STRINGS.glob("*.yaml")}


# -- no interface text outside the translation files --------------------------------

HOLE = " \x01 "  # stands for a Jinja expression: no letter, and valid inside a tag
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "label",
                   "aria-description", "aria-roledescription", "aria-valuetext"}


class _Untranslated(HTMLParser):
    """Letters in text or in a read-aloud attribute of a template with every Jinja
    expression, tag and comment replaced by a placeholder."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw = 0  # inside <script>/<style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._raw += 1
        values = dict(attrs)
        checked = [v for k, v in attrs if k in TEXT_ATTRIBUTES]
        if tag == "meta" and values.get("name") in ("description", "keywords"):
            checked.append(values.get("content"))
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            checked.append(values.get("value"))
        for value in checked:
            self._check(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._raw:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self._check(data)

    def _check(self, text: str) -> None:
        if any(char.isalpha() for char in text):
            self.found.append((self.getpos()[0], " ".join(text.replace(HOLE, " ").split())))


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of interface text written into a template instead of `t('…')`."""
    env = jinja2.Environment()
    text = ""
    for line, kind, value in env.lex(source):
        if kind == "data":
            text += "\n" * (line - 1 - text.count("\n")) + value
        elif not text.endswith(HOLE):
            text += HOLE  # an expression or tag: never text of the template's own
    parser = _Untranslated()
    parser.feed(text)
    parser.close()
    return parser.found


def test_the_checker_finds_text_and_read_aloud_attributes() -> None:
    assert untranslated('<p>{{ t("a") }}</p>\n<p>Xem thêm</p>') == [(2, "Xem thêm")]
    assert untranslated('<img src="{{ x }}" alt="Ảnh">') == [(1, "Ảnh")]
    assert untranslated('<nav aria-label="Main">{% if a %}x{% endif %}</nav>') == [
        (1, "Main"), (1, "x")]
    assert untranslated('<a href="{{ u }}" class="card-link">{{ n }}</a> · › ★') == []
    assert untranslated('{# a comment #}<script>var a = "b";</script>') == []


@pytest.mark.parametrize("template", sorted(
    p.relative_to(THEME_TEMPLATES).as_posix() for p in THEME_TEMPLATES.rglob("*.html")))
def test_no_template_contains_untranslated_text(template: str) -> None:
    source = (THEME_TEMPLATES / template).read_text(encoding="utf-8")
    assert untranslated(source) == [], f"templates/{template}: write t('key') instead"


# Strings a script may hold: CSS class lists it builds, not words a person reads.
SCRIPT_ALLOWED = {"use strict", "stars stars-"}


def js_strings(source: str) -> list[tuple[int, str]]:
    """(line, value) of every string literal of a script, comments skipped (the theme's
    scripts use no regular-expression literals)."""
    found, index, line = [], 0, 1
    while index < len(source):
        char = source[index]
        if source.startswith("//", index):
            index = source.index("\n", index) if "\n" in source[index:] else len(source)
            continue
        if source.startswith("/*", index):
            end = source.index("*/", index) + 2
            line += source.count("\n", index, end)
            index = end
            continue
        if char in "\"'`":
            end = index + 1
            while source[end] != char:
                end += 2 if source[end] == "\\" else 1
            found.append((line, source[index + 1:end]))
            line += source.count("\n", index, end)
            index = end + 1
            continue
        line += char == "\n"
        index += 1
    return found


@pytest.mark.parametrize("script", sorted(p.name for p in THEME_SCRIPTS.glob("*.js")))
def test_no_script_contains_interface_text(script: str) -> None:
    """Words a script shows come from the page (data-* or a JSON block), in its language."""
    source = (THEME_SCRIPTS / script).read_text(encoding="utf-8")
    literals = js_strings(source)
    assert literals, "the scanner read no strings"
    words = [(line, value) for line, value in literals if value not in SCRIPT_ALLOWED and (
        any(c.isalpha() and not c.isascii() for c in value)
        or re.search(r"[A-Za-z]{2,}\s+[A-Za-z]", value))]
    assert words == []


def test_script_scanner_sees_words() -> None:
    assert js_strings('a = "Đang hiện " + n; // "not this"\nb = \'x\';') == [
        (1, "Đang hiện "), (2, "x")]


# -- adding a language ----------------------------------------------------------------

def _marked_copy(source: Path, marker: str, code: str, name: str) -> str:
    """The English strings with `marker` before every one: a 'translation' a test can
    recognise on the page."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))

    def mark(node):
        if isinstance(node, dict):
            return {k: mark(v) for k, v in node.items()}
        return f"{marker}{node}"
    marked = {k: mark(v) for k, v in data.items() if k not in ("language", "format", "month")}
    marked["language"] = {"name": name, "hreflang": code, "og_locale": f"{code}_FR"}
    marked["format"] = data["format"]
    marked["month"] = data["month"]
    return yaml.safe_dump(marked, allow_unicode=True, sort_keys=False)


def test_a_third_language_is_a_file_and_a_line(site: Path, tmp_path: Path) -> None:
    (site / "i18n").mkdir()
    (site / "i18n/fr.yaml").write_text(
        _marked_copy(THEME_STRINGS / "en.yaml", "«fr» ", "fr", "Français"), encoding="utf-8")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [vi, en, fr]\n",
                      encoding="utf-8")
    out = tmp_path / "public"
    result = builder.build(site, out, today=TODAY)
    assert [w for w in result.warnings if w.field == "i18n"] == []
    vi_pages = [p for p in html_pages(out) if not p.startswith(("en/", "fr/"))]
    assert len(html_pages(out)) == 3 * len(vi_pages)
    for path in vi_pages:
        page = read(out, "fr/" + path)
        assert page.html_lang == "fr"
        assert (out / "en" / path).is_file()
        assert set(page.alternates) == {"vi", "en", "fr", "x-default"}
        assert {lang for lang, _ in page.switcher} == {"vi", "en"}
    home = read(out, "fr/index.html")
    assert "«fr» Products" in home.text_in("fr")
    assert ("vi", "../") in read(out, "fr/index.html").switcher
    assert "Français" in read(out, "index.html").text_in("fr")


def test_a_string_missing_in_a_language_falls_back_to_the_default(site: Path,
                                                                  tmp_path: Path) -> None:
    (site / "i18n").mkdir()
    (site / "i18n/fr.yaml").write_text(
        "language:\n  name: Français\nnav:\n  products: Produits\n", encoding="utf-8")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [vi, fr]\n",
                      encoding="utf-8")
    out = tmp_path / "public"
    result = builder.build(site, out, today=TODAY)
    [warning] = [w for w in result.warnings if w.field == "i18n"]
    assert warning.path == "i18n/fr.yaml" and "shown in 'vi' instead" in warning.message_en
    nav = [text for _, tags, text in read(out, "fr/index.html").texts
           if tags.endswith("nav ul.nav li a")]
    assert nav[:2] == ["Produits", "Các xã"]


def test_a_string_missing_everywhere_fails_the_build_at_its_line(site: Path,
                                                                tmp_path: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ t("no.such.key") }}</p>\n'
        '{% endblock %}\n', encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        builder.build(site, tmp_path / "public", today=TODAY)
    [error] = info.value.errors
    assert (error.path, error.line, error.field) == ("templates/404.html", 3, "template")
    assert "no.such.key" in error.message_en


def test_a_site_overrides_single_strings(site: Path, tmp_path: Path) -> None:
    (site / "i18n").mkdir()
    (site / "i18n/vi.yaml").write_text("nav:\n  producers: Nhà sản xuất\n", encoding="utf-8")
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    nav = [text for _, tags, text in read(out, "index.html").texts
           if tags.endswith("nav ul.nav li a")]
    assert nav == ["Sản phẩm", "Các xã", "Danh mục", "Hạng sao", "Nhà sản xuất", "Sự kiện"]


def test_a_site_in_one_language_has_no_switcher(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    assert not (out / "en").exists()
    page = read(out, "san-pham/che-xanh-dong-thinh/index.html")
    assert page.html_lang == "vi" and page.switcher == [] and page.alternates == {}


# -- content translations: one sibling file, checked like any content file -----------

def _bilingual(site: Path) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "languages: [vi, en]\n",
                      encoding="utf-8")


def test_a_translation_file_is_checked_with_its_lines(site: Path) -> None:
    _bilingual(site)
    (site / "content/products/che-xanh-dong-thinh.en.md").write_text(
        "---\nname: Đồng Thịnh Green Tea\nstars: 5\nsumary: Tea\n---\nGreen tea.\n",
        encoding="utf-8")
    (site / "content/products/no-such-product.en.md").write_text(
        "---\nname: Nothing\n---\n", encoding="utf-8")
    (site / "content/producers/htx-che-dong-thinh.fr.md").write_text(
        "---\nname: Coopérative\n---\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    found = [(e.path, e.line, e.field) for e in info.value.errors]
    assert found == [
        ("content/producers/htx-che-dong-thinh.fr.md", 0, "file"),
        ("content/products/che-xanh-dong-thinh.en.md", 3, "stars"),
        ("content/products/che-xanh-dong-thinh.en.md", 4, "sumary"),
        ("content/products/no-such-product.en.md", 0, "file"),
    ]
    messages = {e.field: e.format() for e in info.value.errors}
    assert "write it only in content/products/che-xanh-dong-thinh.md" in messages["stars"]
    assert "did you mean 'summary'" in messages["sumary"]
    assert " / " in messages["stars"]  # English / Vietnamese, like every content error


def test_a_translation_may_hold_only_a_description(site: Path, tmp_path: Path) -> None:
    _bilingual(site)
    (site / "content/products/che-xanh-dong-thinh.en.md").write_text(
        "---\n---\nHand-picked green tea from the Đồng Thịnh hills.\n", encoding="utf-8")
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    page = read(out, "en/san-pham/che-xanh-dong-thinh/index.html")
    assert "Hand-picked green tea from the Đồng Thịnh hills." in page.text_in("en")
    # the name is still Vietnamese: marked, and the page says so
    assert "Chè xanh Đồng Thịnh" in page.text_in("vi")
    assert "no English description yet" in page.text_in("en")
    # a translation file is never an item of its own
    assert not (out / "san-pham/che-xanh-dong-thinh-en").exists()


def test_languages_in_site_yaml_are_checked(site: Path) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "languages: [vi, EN, vi, xx]\nen:\n  titel: OCOP\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    messages = [e.format() for e in info.value.errors]
    line = len(config.read_text(encoding="utf-8").splitlines()) - 2
    assert any(m.startswith(f"site.yaml:{line}: languages: 'EN' is not a language code")
               for m in messages), messages
    assert any("'vi' is listed twice" in m for m in messages), messages
    assert any("unknown field 'en'" in m for m in messages), messages  # 'EN' was refused
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[vi, EN, vi, xx]", "[vi, xx]").replace("en:\n  titel: OCOP\n", ""), encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    [error] = info.value.errors
    assert (error.path, error.field) == ("site.yaml", "languages")
    assert "add i18n/xx.yaml" in error.message_en and "i18n/xx.yaml" in error.message_vi
