"""sitemap.xml and robots.txt: parsed as XML; every URL is a real built file."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.outputs.sitemap import IMAGE_NS, SITEMAP_NS

from ..conftest import TODAY
from .conftest import Built, copy_fixture

NS = {"sm": SITEMAP_NS, "image": IMAGE_NS}


def test_every_url_resolves_to_a_built_file(built: Built) -> None:
    root = ET.fromstring((built.root / "sitemap.xml").read_bytes())
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    locs = [url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)]
    assert len(locs) == len(set(locs)), "no URL twice"
    for loc in locs:
        assert loc.startswith(built.config.base_url), loc
        assert built.file_for(loc).is_file(), loc
    images = [e.text for e in root.iterfind("sm:url/image:image/image:loc", NS)]
    assert images
    for image in images:
        assert built.file_for(image).is_file(), image


def test_every_page_is_listed_except_404_offline_and_form_pages(built: Built) -> None:
    root = ET.fromstring((built.root / "sitemap.xml").read_bytes())
    listed = {built.file_for(url.findtext("sm:loc", namespaces=NS))
              for url in root.findall("sm:url", NS)}
    # what the service worker shows, and the producers' web form: nothing to find
    offline = {"khong-co-mang", "da-luu", "admin"}
    pages = {p for p in built.root.rglob("*.html")
             if p.name == "index.html" and "search-index" not in p.parts}
    # the pages sending former communes' addresses on (xa/<former>/) are not listed
    redirects = {p for p in pages if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")}
    assert listed == {p for p in pages - redirects if not offline & set(p.parts)}
    assert built.root / "404.html" not in listed
    assert built.root / "khong-co-mang/index.html" in pages - listed
    assert built.root / "admin/index.html" not in listed


def test_product_photos_are_listed_on_their_page(small: Built) -> None:
    root = ET.fromstring((small.root / "sitemap.xml").read_bytes())
    by_page = {url.findtext("sm:loc", namespaces=NS):
               [e.text for e in url.iterfind("image:image/image:loc", NS)]
               for url in root.findall("sm:url", NS)}
    [photo] = by_page[small.config.base_url + "san-pham/che-xanh-dong-thinh/"]
    assert photo.endswith(".jpg")
    assert by_page[small.config.base_url + "san-pham/mat-ong-hoa-nhan-don-nhan/"] == []


def test_robots_txt_names_the_sitemap(built: Built) -> None:
    lines = (built.root / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [built.config.base_url + "sitemap.xml"]
    assert built.file_for(sitemaps[0]).is_file()


def test_a_relative_base_url_is_warned_about(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    result = builder.build(site, tmp_path / "public", base_url="/ocop/", today=TODAY)
    [warning] = [w for w in result.warnings if w.field == "base_url"]
    assert warning.path == "site.yaml" and warning.severity == "warning"
    assert "'/ocop/' is not a full address" in warning.format()
    absolute = builder.build(site, tmp_path / "public2", today=TODAY)
    assert not [w for w in absolute.warnings if w.field == "base_url"]
