"""Hostile content end to end: ~100 XSS payloads (tests/data/xss/payloads.txt) typed into
every free-text field and every Markdown body of a real site, built for real, and every
output file read as a browser, a feed reader and a spreadsheet would read it.

Nothing may run; and nothing typed may be lost: every payload comes back as text."""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import html
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

import html5lib
import pytest
import yaml

from ocop_site.pipeline import builder
from ocop_site.text.frontmatter import parse_document
from ocop_site.errors import ContentErrors

from .conftest import FIXTURE_SITE, REPO, TODAY, serve_directory
from .xss_scan import Scan, differences, scheme_of

PAYLOADS_FILE = Path(__file__).parent / "data" / "xss" / "payloads.txt"
SITE_HOST = "example.org"  # base_url of the fixture site
SHOP = "https://shop.example/"  # an honest external link in every description


def unescape_payload(line: str) -> str:
    line = line.replace("{LF}", "\n").replace("{TAB}", "\t")
    return re.sub(r"\{U\+([0-9A-Fa-f]{4,6})\}", lambda m: chr(int(m.group(1), 16)), line)


def load_payloads() -> list[str]:
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    return [unescape_payload(line) for line in lines if line.strip() and
            not line.startswith("#")]


PAYLOADS = load_payloads()


def collapse(text: str) -> str:
    """How text reads on a page: NFC, runs of whitespace as one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def front_matter(data: dict, body: str) -> str:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**9,
                            default_flow_style=False)
    return f"---\n{dumped}---\n{body}\n"


def write_content(path: Path, data: dict, body: str) -> None:
    """Write a content file and make sure the payloads survive the trip through YAML."""
    text = front_matter(data, body)
    parsed = parse_document(text.encode("utf-8"))

    def nfc(value):
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        if isinstance(value, dict):
            return {k: nfc(v) for k, v in value.items()}
        if isinstance(value, list):
            return [nfc(v) for v in value]
        return value

    assert parsed.data == nfc(data), path
    path.write_text(text, encoding="utf-8")


def hostile_site(target: Path, texts: list[str]) -> Path:
    """The fixture site plus, for each text i, a product, producer, commune and event
    whose every free-text field is text i (and a product whose body holds them all)."""
    shutil.copytree(FIXTURE_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    content = target / "content"
    config = target / "site.yaml"
    assert "tagline: Trang thử nghiệm" in config.read_text()
    config.write_text(config.read_text().replace(
        "tagline: Trang thử nghiệm", "tagline: " + json.dumps(texts[0], ensure_ascii=False)))
    communes = yaml.safe_load((content / "data/communes.yaml").read_text())
    for index, value in enumerate(texts):
        communes["communes"].append({"name": f"Thử Nghiệm {index}", "description": value,
                                     "description_en": value})
    (content / "data/communes.yaml").write_text(
        yaml.safe_dump(communes, allow_unicode=True, sort_keys=False, width=10**9))
    for index, value in enumerate(texts):
        slug = f"xss-{index:03d}"
        body = f"{value}\n\nMô tả {value} hết.\n\n[Cửa hàng]({SHOP})\n"
        write_content(content / f"producers/{slug}.md", {
            "name": value, "type": "household", "commune": f"Thử Nghiệm {index}",
            "phone": value, "address": value,
            # a web address holds nothing invisible; quotes and brackets it may
            "website": "https://example.net/?q=" + "".join(
                c for c in value if c.isprintable() and not c.isspace()),
        }, body)
        product = {
            "name": value, "slug": slug, "stars": 3 + index % 3, "category": "mat-ong",
            "commune": f"Thử Nghiệm {index}", "producer": slug,
            "certificate": {"decision": value, "date": dt.date(2025, 1, 1) + dt.timedelta(index),
                            "issued_by": value},
            "price": 1000 + index, "unit": value,
            "images": [{"src": "images/che.jpg", "alt": value}],
            "featured": index < 6,
        }
        if index % 2 == 0:  # odd ones get the summary made from the body
            product["summary"] = value
        write_content(content / f"products/{slug}.md", product, body)
        event = {"title": value, "start": dt.date(2026, 7, 1) + dt.timedelta(index),
                 "place": value, "products": [slug]}
        if index % 2 == 0:
            event["summary"] = value
        write_content(content / f"events/{slug}.md", event, body)
    write_content(content / "products/xss-all.md", {
        "name": "Tất cả", "slug": "xss-all", "stars": 4, "category": "mat-ong",
        "commune": "Sông Lô", "producer": "htx-che-dong-thinh",
        "certificate": {"decision": "1/QĐ", "date": dt.date(2025, 1, 1)},
    }, "\n\n".join(texts))
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The hostile site and its harmless twin, each built once."""
    root = tmp_path_factory.mktemp("hostile")
    harmless = [f"Văn bản vô hại số {i}" for i in range(len(PAYLOADS))]
    sites = {"hostile": hostile_site(root / "hostile", PAYLOADS),
             "baseline": hostile_site(root / "baseline", harmless)}
    for name, site in sites.items():
        builder.build(site, root / f"{name}-out", today=TODAY)
    return {"hostile": root / "hostile-out", "baseline": root / "baseline-out",
            "scan": Scan(SITE_HOST).tree(root / "hostile-out"),
            "baseline_scan": Scan(SITE_HOST).tree(root / "baseline-out")}


def test_the_corpus_is_large_and_varied() -> None:
    assert len(PAYLOADS) >= 30
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    for needle in ("<script", "onerror", "<svg", "javascript:", "data:", "vbscript:",
                   "<iframe", "<object", "<embed", "<style", "<link", "<meta", "<base",
                   "<form", "](javascript:", "![", "&#106;", "\u202e", "\u200b", "\n"):
        assert any(needle.lower() in p.lower() for p in PAYLOADS), needle


# -- the scanner itself must be able to fail --------------------------------------------

@pytest.mark.parametrize("markup,problem", [
    ('<img src=x onerror="alert(1)">', "event handler"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "dangerous URL"),
    ('<a href="  JAVASCRIPT:alert(1)">x</a>', "dangerous URL"),
    ('<a href="data:text/html,x">x</a>', "dangerous URL"),
    ('<img srcset="a.jpg 1x, vbscript:x 2x">', "srcset"),
    ('<form><button formaction="javascript:x">x</button></form>', "dangerous URL"),
    ('<svg><a xlink:href="javascript:x">x</a></svg>', "dangerous URL"),
    ('<div style="width: expression(alert(1))">x</div>', "active CSS"),
    ('<a href="https://evil.example/">x</a>', "noopener"),
    ('<a href="/x" target="_blank">x</a>', "noopener"),
    ('<script type="application/ld+json">{"a": "</scr" + "ipt>"}</script>', "JSON-LD"),
    ('<script type="application/ld+json">{"a": 1</script>', "does not parse"),
    ('<script type="application/ld+json">{"url": "javascript:x"}</script>', "dangerous URL"),
    ('<p><style>p{}</style></p>', "<style> in the body"),
    ('<iframe srcdoc="x"></iframe>', "srcdoc"),
])
def test_the_scanner_finds_each_kind_of_problem(markup: str, problem: str) -> None:
    scan = Scan(SITE_HOST)
    scan.html_document("page.html", f"<!doctype html><title>t</title><body>{markup}")
    assert any(problem in finding for finding in scan.findings), scan.findings


def test_the_scanner_accepts_a_clean_page() -> None:
    scan = Scan(SITE_HOST)
    scan.html_document("page.html", '<!doctype html><title>t</title><body><a href="/x">a</a>'
                       '<a href="https://shop.example/" rel="noopener">b</a>'
                       '<a href="https://example.org/y">c</a>'
                       '<script type="application/ld+json">{"name": "<\\/script>"}</script>')
    assert scan.findings == []


def test_the_baseline_comparison_sees_an_extra_element() -> None:
    page = "<!doctype html><title>t</title><body><form action='/s'></form>{}"
    base, hostile = Scan(SITE_HOST), Scan(SITE_HOST)
    base.html_document("p.html", page.format(""))
    hostile.html_document("p.html", page.format("<p><iframe src='/x'></iframe></p>"))
    assert list(differences(base, base)) == []
    assert [d for d in differences(hostile, base) if "iframe" in d]
    extra_jsonld = Scan(SITE_HOST)
    extra_jsonld.html_document("p.html", page.format(
        '<script type="application/ld+json">{"@type": "Thing"}</script>'))
    assert [d for d in differences(extra_jsonld, base) if "JSON-LD blocks" in d]


def test_mxss_is_seen_as_a_browser_sees_it() -> None:
    """<svg><style> holds markup, not text, in HTML5: html.parser would miss this img."""
    scan = Scan(SITE_HOST)
    scan.html_fragment("f", "<svg><style><img src=x onerror=alert(1)></style></svg>")
    assert any("event handler" in f for f in scan.findings)


@pytest.mark.parametrize("url,scheme", [
    ("javascript:x", "javascript"), (" \tjava\nscript:x", "javascript"),
    ("JaVaScRiPt:x", "javascript"), ("\x00\x1f javascript:x", "javascript"),
    ("java\u200bscript:x", ""), ("java   script:x", ""),  # not a scheme: a relative URL
    ("data:text/html,x", "data"), ("https://a/b", "https"), ("images/a.jpg", ""),
    ("../x:y", ""),
])
def test_scheme_detection(url: str, scheme: str) -> None:
    assert scheme_of(url) == scheme


def test_csv_formulas_and_feeds_are_checked() -> None:
    scan = Scan(SITE_HOST)
    scan.csv_document("c.csv", b"name,url\n=HYPERLINK(1),https://a/\n-12,javascript:x\n")
    assert len(scan.findings) == 2
    scan = Scan(SITE_HOST)
    scan.xml_document("f.xml", b'<feed xmlns="http://www.w3.org/2005/Atom"><summary '
                      b'type="html">&lt;img src=x onerror=alert(1)&gt;</summary>'
                      b'<link href="javascript:x"/></feed>')
    assert len(scan.findings) >= 2
    scan.xml_document("g.xml", b"<feed><title>\x01</title></feed>")
    assert any("not well-formed" in f for f in scan.findings)


# -- the real build ------------------------------------------------------------------------

def test_nothing_executable_in_any_output_file(built: dict) -> None:
    assert built["baseline_scan"].findings == []  # the theme itself is clean
    assert built["scan"].findings == []


def test_no_active_element_comes_from_content(built: dict) -> None:
    assert list(differences(built["scan"], built["baseline_scan"])) == []


def test_every_kind_of_output_was_scanned(built: dict) -> None:
    kinds = {p.suffix for p in built["hostile"].rglob("*") if p.is_file()}
    assert {".html", ".xml", ".json", ".csv"} <= kinds
    assert len(built["scan"].active) > 4 * len(PAYLOADS)  # product, producer, commune, event
    assert sum(len(blocks) for blocks in built["scan"].jsonld.values()) > 2 * len(PAYLOADS)


def page_text(page: Path, selector: Callable[[object], bool]) -> list[str]:
    root = html5lib.parse(page.read_text(), treebuilder="etree", namespaceHTMLElements=False)
    return [collapse("".join(e.itertext())) for e in root.iter() if selector(e)]


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_every_payload_comes_back_as_text(built: dict, index: int) -> None:
    """Escaped, not dropped: each payload is the product's and producer's visible name,
    and the name in their JSON-LD."""
    payload = collapse(PAYLOADS[index])
    out = built["hostile"]
    slug = f"xss-{index:03d}"
    product = out / f"san-pham/{slug}/index.html"
    assert page_text(product, lambda e: e.tag == "h1") == [payload]
    producer = out / f"co-so/{slug}/index.html"
    assert page_text(producer, lambda e: e.tag == "h1") == [payload]
    names = [collapse(block.get("name", "")) for block in
             built["scan"].jsonld[f"san-pham/{slug}/index.html"]
             if block.get("@type") == "Product"]
    assert names == [payload]


def test_payloads_reach_feeds_and_open_data_intact(built: dict) -> None:
    out = built["hostile"]
    catalogue = json.loads((out / "catalogue.json").read_text())
    records = catalogue["products"] if isinstance(catalogue, dict) else catalogue
    names = {collapse(r["name"]) for r in records}
    assert {collapse(p) for p in PAYLOADS} <= names
    feed = ET.parse(out / "feed.xml").getroot()
    titles = [collapse(e.text or "") for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(collapse(PAYLOADS[0]) in title for title in titles)
    csv_text = (out / "catalogue.csv").read_text(encoding="utf-8-sig")
    assert "xss-000" in csv_text


def test_descriptions_keep_honest_links_with_noopener(built: dict) -> None:
    page = built["hostile"] / "san-pham/xss-000/index.html"
    root = html5lib.parse(page.read_text(), treebuilder="etree", namespaceHTMLElements=False)
    shops = [a for a in root.iter("a") if a.get("href") == SHOP]
    assert shops and all("noopener" in (a.get("rel") or "").split() for a in shops)


def test_template_syntax_in_content_is_not_evaluated(built: dict) -> None:
    index = next(i for i, p in enumerate(PAYLOADS) if p.startswith("{{ 7*7 }}"))
    page = built["hostile"] / f"san-pham/xss-{index:03d}/index.html"
    assert page_text(page, lambda e: e.tag == "h1") == [collapse(PAYLOADS[index])]
    assert ">49<" not in page.read_text()


# -- in a real browser ---------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
BAD_LINKS_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (!/^(href|src|action|formaction|poster|data|cite|background|xlink:href)$/i
          .test(attr.name)) continue;
      let protocol;
      try { protocol = new URL(attr.value, document.baseURI).protocol; } catch (e) { continue; }
      if (["javascript:", "data:", "vbscript:"].includes(protocol))
        bad.push(`<${el.tagName} ${attr.name}="${attr.value}">`);
    }
  }
  return bad;
}"""


def chromium_sample(path: str) -> bool:
    """Every list page (they show every payload as a name) and 'xss-all', and the detail
    pages of a quarter of the payloads: ~0.4 s a page on a busy 2-core machine, and the
    HTML5 scan above already reads every page."""
    match = re.search(r"(?:xss-|thu-nghiem-)(\d+)/", path)
    return match is None or int(match.group(1)) % 4 == 0


def test_no_payload_runs_in_chromium(built: dict) -> None:
    """Pages of the hostile site loaded over HTTP: no dialog opens, no request leaves the
    site (a payload loading a script, style or pixel from elsewhere), and no link or
    source is javascript:/data:/vbscript: by Chromium's own URL parser."""
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = [path for path in sorted(p.relative_to(built["hostile"]).as_posix()
                                     for p in built["hostile"].rglob("*.html"))
             if chromium_sample(path)]
    dialogs: list[str] = []
    outside: list[str] = []
    links: list[str] = []

    def visit(base: str) -> None:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            context = browser.new_context()
            context.route(re.compile(r"^(?!http://127\.0\.0\.1:).*"),
                          lambda route: (outside.append(route.request.url), route.abort()))
            page = context.new_page()
            page.on("dialog", lambda dialog: (
                dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
            for path in pages:
                page.goto(f"{base}/{path}", wait_until="load")
                # the browser's own URL parser decides what a click would run
                links.extend(f"{path}: {bad}" for bad in page.evaluate(BAD_LINKS_JS))
            # the search page renders results from the index with JavaScript
            search = next((p for p in pages if p.startswith("tim-kiem/")), None)
            if search:
                for query in ("script", "alert", "onerror", "img", "javascript", "svg"):
                    page.goto(f"{base}/{search}?q={query}", wait_until="load")
                    page.wait_for_function(
                        "() => (document.querySelector('[data-status]') || {}).textContent",
                        timeout=30_000)
            browser.close()

    server, base = serve_directory(built["hostile"])
    try:
        # a thread of its own: a second sync Playwright in the thread of a session-wide
        # one (tests/test_search_browser.py) would break it
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(visit, base).result()
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == []
    assert outside == []
    assert links == []
    assert len(pages) > len(PAYLOADS)


def test_html_escaping_round_trips_through_the_page_source(built: dict) -> None:
    """The raw bytes hold the payload escaped: '<' never appears where the payload is."""
    index = PAYLOADS.index("<script>alert(1)</script>")
    source = (built["hostile"] / f"san-pham/xss-{index:03d}/index.html").read_text()
    assert html.escape("<script>alert(1)</script>", quote=False) in source
    assert "<script>alert(1)</script>" not in source


@pytest.mark.parametrize("website", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//xss.example/",
    "example.org", "java\tscript:alert(1)", "https:/\\xss.example",
])
def test_a_producer_website_must_be_a_web_address(site: Path, website: str) -> None:
    path = site / "content/producers/ho-mat-ong-don-nhan.md"
    path.write_text(path.read_text().replace("website: https://example.org/mat-ong",
                                             "website: " + json.dumps(website)))
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    [error] = info.value.errors
    assert (error.path, error.line, error.field) == (
        "content/producers/ho-mat-ong-don-nhan.md", 7, "website")
    assert error.message_en.startswith(("must start with https://",
                                        "must be a full web address"))


# -- a cache committed in a pull request ---------------------------------------------------

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


class _RunsCode:
    """Unpickling this creates a file: the stand-in for arbitrary code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_committed_cache_is_refused_before_anything_in_it_is_read(site: Path,
                                                                  tmp_path: Path) -> None:
    """.cache/ is git-ignored, but a pull request can force-add a pickle there; the
    build must refuse it before unpickling anything."""
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "site")
    marker = tmp_path / "code-ran"
    shards = site / ".cache" / "content"
    shards.mkdir(parents=True)
    for name in ["index.pickle"] + [f"shard-{d}.pickle" for d in "0123456789abcdef"]:
        (shards / name).write_bytes(pickle.dumps(_RunsCode(marker)))
    git(site, "add", "-f", ".cache")
    git(site, "commit", "-q", "-m", "a helpful speed-up")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--source", str(site),
         "--output", str(tmp_path / "public")], cwd=REPO, capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 1
    assert result.stderr.startswith(
        ".cache: cache: the cache folder holds files committed to the repository "
        "(.cache/content/index.pickle, .cache/content/shard-0.pickle, "
        ".cache/content/shard-1.pickle, …)")
    assert not marker.exists() and not (tmp_path / "public").exists()
    with pytest.raises(ContentErrors):
        builder.check(site, today=TODAY)
    assert not marker.exists()
    # the guard is what stands in the way: untracked, the same files are read as the
    # build's own (and a failed unpickle is only a cache miss)
    git(site, "rm", "-r", "-q", "--cached", ".cache")
    builder.build(site, tmp_path / "public", today=TODAY)
    assert marker.exists()


def test_a_committed_qr_code_is_refused(site: Path, tmp_path: Path) -> None:
    """A forged blob of the output cache would be served as a page or as
    san-pham/<slug>/qr.svg, script and all."""
    git(site, "init", "-q")
    blobs = site / ".cache" / "pages" / "blobs" / "01"
    blobs.mkdir(parents=True)
    (blobs / "0123456789abcdef0123456789abcdef").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    git(site, "add", "-A")
    git(site, "add", "-f", ".cache")
    git(site, "commit", "-q", "-m", "site")
    with pytest.raises(ContentErrors) as info:
        builder.build(site, tmp_path / "public", today=TODAY)
    assert [e.path for e in info.value.errors] == [".cache"]


def test_a_git_ignored_cache_is_used(site: Path, tmp_path: Path) -> None:
    git(site, "init", "-q")
    (site / ".gitignore").write_text(".cache/\n")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "site")
    builder.build(site, tmp_path / "a", today=TODAY)
    assert builder.build(site, tmp_path / "b", today=TODAY).parsed == 0  # all from cache
