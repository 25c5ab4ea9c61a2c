"""admin/ in the built site: published when site.yaml names a backend (and under serve),
absent with `cms: none`; it never weighs on visitors' pages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.cms.admin import STATIC_DIR as STATIC
from ocop_site.cms.vendored import FILES

from ..conftest import REPO, TODAY
from ..test_i18n import SCRIPT_ALLOWED, js_strings

GITHUB = ("cms:\n  backend: github\n  repo: ocop-example/site\n"
          "  base_url: https://oauth.example.org\n")


def build(site: Path, out: Path, **options) -> Path:
    builder.build(site, out, today=TODAY, **options)
    return out


def test_no_form_without_a_backend(site: Path, tmp_path: Path) -> None:
    out = build(site, tmp_path / "out")
    assert not (out / "admin").exists()


def test_serve_always_has_the_form_saving_locally(site: Path, tmp_path: Path) -> None:
    out = build(site, tmp_path / "out", local_cms=True)
    assert {p.name for p in (out / "admin").iterdir()} >= {
        "index.html", "config.yml", "admin.js", *(item.name for item in FILES)}
    assert "name: proxy" in (out / "admin/config.yml").read_text(encoding="utf-8")
    # the same folder built without serve loses the form: the option is part of the stamp
    build(site, tmp_path / "out")
    assert not (out / "admin").exists()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (GitHub backend, Vietnamese and English), built once."""
    return build(REPO, tmp_path_factory.mktemp("admin") / "public")


def test_the_published_form_in_both_languages(sample: Path) -> None:
    page = (sample / "admin/index.html").read_text(encoding="utf-8")
    assert page.startswith('<!doctype html>\n<html lang="vi">')
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "</head>" not in page  # serve's live reload never reloads the form
    assert re.findall(r'<script defer src="([^"]+)"', page) == [
        "js-yaml.min.js", "decap-cms.js", "admin.js"]
    assert '<link rel="alternate" hreflang="en" href="../en/admin/">' in page
    english = (sample / "en/admin/index.html").read_text(encoding="utf-8")
    assert english.startswith('<!doctype html>\n<html lang="en">')
    assert '<script defer src="../../admin/decap-cms.js">' in english  # one copy of Decap
    assert "<title>Product form – OCOP products of Sông Lô</title>" in english
    data = json.loads(re.search(r'id="ocop-cms">(.*?)</script>', page).group(1))
    assert data["lang"] == "vi" and data["languages"] == ["vi", "en"]
    assert data["strings"]["product.rating"] == "OCOP {stars} sao"
    assert data["css"] == "../assets/css/site.css"
    config = (sample / "admin/config.yml").read_text(encoding="utf-8")
    assert "  name: github\n  repo: ocop-example/song-lo\n" in config
    assert "publish_mode: editorial_workflow" in config


def test_visitors_pages_load_nothing_of_the_form(sample: Path) -> None:
    for path in sample.rglob("*.html"):
        if "admin" in path.relative_to(sample).parts:
            continue
        html = path.read_text(encoding="utf-8")
        assert "decap-cms" not in html and "admin.js" not in html, path
    sitemap = (sample / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin" not in sitemap
    searched = [p for p in (sample / "search-index").rglob("*") if p.is_file()]
    assert searched and not any(b"/admin/" in p.read_bytes() for p in searched
                                if p.suffix == ".json")


def test_the_same_input_gives_the_same_form(site: Path, tmp_path: Path) -> None:
    (site / "site.yaml").write_text((site / "site.yaml").read_text(encoding="utf-8") + GITHUB,
                                    encoding="utf-8")
    first = build(site, tmp_path / "a")
    second = build(site, tmp_path / "b")
    files = sorted(p.relative_to(first) for p in (first / "admin").rglob("*"))
    assert files and files == sorted(p.relative_to(second) for p in (second / "admin").rglob("*"))
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_forms_script_holds_no_interface_text() -> None:
    """Like the theme's scripts (tests/test_i18n.py): the words it shows come from the
    page's JSON block, in the page's language."""
    source = (STATIC / "admin.js").read_text(encoding="utf-8")
    literals = js_strings(source)
    assert len(literals) > 30
    classes = {"price big", "button button-call", "product-media gallery"}  # CSS, not words
    words = [(line, value) for line, value in literals
             if value not in SCRIPT_ALLOWED | classes and (
        any(c.isalpha() and not c.isascii() for c in value)
        or re.search(r"[A-Za-z]{2,}\s+[A-Za-z]", value))]
    assert words == []
