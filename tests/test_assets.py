"""Asset addresses carry a hash of the file's bytes: a changed stylesheet is a new
address (browsers and the service worker keep assets forever), an unchanged one keeps
its address, and a site's own file wins over the theme's of the same name."""
from __future__ import annotations

from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.site.assets import asset_files, asset_urls, fingerprint

from .conftest import REPO, TODAY


def urls_of(site: Path) -> dict[str, str]:
    config, _, _ = builder.load(site, today=TODAY)
    return asset_urls(asset_files(config))


def test_theme_assets_are_fingerprinted(site: Path) -> None:
    urls = urls_of(site)
    css = (REPO / "assets/css/site.css").read_bytes()
    assert urls["css/site.css"] == f"assets/css/site.css?v={fingerprint(css)}"
    assert {"js/list.js", "js/search.js", "favicon.svg", "css/print.css"} <= urls.keys()


def test_a_changed_file_gets_a_new_address_and_the_rest_keep_theirs(site: Path) -> None:
    before = urls_of(site)
    (site / "assets/css").mkdir(parents=True)
    (site / "assets/css/site.css").write_text("body{color:#000}")
    after = urls_of(site)
    assert after["css/site.css"] != before["css/site.css"]
    assert after["css/site.css"].startswith("assets/css/site.css?v=")
    assert {k: v for k, v in after.items() if k != "css/site.css"} == {
        k: v for k, v in before.items() if k != "css/site.css"}
