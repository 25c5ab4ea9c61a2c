"""The whole pipeline on real folders: every page type, subpaths, atomicity, determinism."""
from __future__ import annotations

import gc
import hashlib
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.site.assets import fingerprint
from ocop_site.errors import ContentErrors

from .conftest import TODAY
from .linkcheck import crawl, fetch


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_page_type_is_built(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = builder.build(site, out, today=TODAY)
    expected = [
        "index.html", "404.html",
        "san-pham/index.html", "san-pham/che-xanh-dong-thinh/index.html",
        "xa/index.html", "xa/song-lo/index.html", "xa/don-nhan/index.html",
        "danh-muc/index.html", "danh-muc/do-uong/index.html",
        "danh-muc/che-va-san-pham-tu-che/index.html", "danh-muc/che-tuoi-che-bien/index.html",
        "sao/index.html", "sao/3/index.html", "sao/4/index.html", "sao/5/index.html",
        "co-so/index.html", "co-so/htx-che-dong-thinh/index.html",
        "assets/css/site.css",
    ]
    for path in expected:
        assert (out / path).is_file(), path
    assert result.pages >= len([p for p in expected if p.endswith(".html")])
    # drafts are not published; empty categories get no page
    assert not (out / "san-pham/banh-nhap").exists()
    assert "Bánh nháp" not in (out / "san-pham/index.html").read_text()


def test_product_page_shows_every_field(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    html = (out / "san-pham/che-xanh-dong-thinh/index.html").read_text()
    for text in ("Chè xanh Đồng Thịnh", "OCOP 4 sao", "150.000", "hộp 500g", "123/QĐ-UBND",
                 "12/05/2024", "12/05/2027", "UBND tỉnh Vĩnh Phúc", "Còn hiệu lực",
                 "Hợp tác xã Chè Đồng Thịnh", "0900 000 101", "trước đây: Đồng Thịnh",
                 "Chè tươi, chè chế biến", "<h3>Đặc điểm</h3>", 'alt="Búp chè xanh"',
                 'lang="vi"'):
        assert text in html, text


def test_expired_certificate_is_flagged(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = builder.build(site, out, today=TODAY)
    html = (out / "san-pham/mat-ong-hoa-nhan-don-nhan/index.html").read_text()
    assert "đã hết hạn ngày 01/03/2024" in html
    assert [w.field for w in result.warnings] == ["certificate"]
    assert result.warnings[0].path == "content/products/mat-ong-don-nhan.md"


def test_former_commune_lands_on_current_commune_page(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    song_lo = (out / "xa/song-lo/index.html").read_text()
    # "Như Thụy" in the product, "Như Thuỵ" in communes.yaml: tone placement differs
    assert "Đùi gà hun khói Như Thụy" in song_lo
    assert "Chè xanh Đồng Thịnh" in song_lo
    assert "Mật ong" not in song_lo


def test_lists_are_in_vietnamese_order(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    html = (out / "xa/index.html").read_text()
    positions = [html.index(f">{name}<") for name in ("Dương Quang", "Đôn Nhân", "Hải Lựu",
                                                       "Sông Lô")]
    assert positions == sorted(positions)  # Đ after every D…, before H


def test_links_resolve_under_a_subpath(site: Path, tmp_path: Path, http_root) -> None:
    server_root = tmp_path / "srv"
    out = server_root / "ocop"
    builder.build(site, out, base_url="https://example.org/ocop/", today=TODAY)
    base = http_root(server_root)
    pages, broken = crawl(f"{base}/ocop/")
    assert broken == []
    assert len(pages) > 25
    # the 404 page is served at arbitrary depths, so its links are absolute paths
    status, body, _ = fetch(f"{base}/ocop/404.html")
    assert status == 200 and b'href="/ocop/assets/css/site.css?v=' in body
    assert b'href="/ocop/san-pham/"' in body
    canonical = (out / "xa/song-lo/index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/ocop/xa/song-lo/">' in canonical


def test_links_resolve_at_the_root(site: Path, tmp_path: Path, http_root) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    pages, broken = crawl(http_root(out) + "/")
    assert broken == [] and len(pages) > 25


def test_building_twice_is_byte_identical(site: Path, tmp_path: Path) -> None:
    builder.build(site, tmp_path / "a", today=TODAY)
    shutil.rmtree(site / ".cache")  # cold both times
    builder.build(site, tmp_path / "b", today=TODAY)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_rebuild_keeps_unchanged_files_and_removes_stale_ones(site: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    home_mtime = (out / "index.html").stat().st_mtime_ns
    (site / "content/products/dui-ga-nhu-thuy.md").unlink()
    result = builder.build(site, out, today=TODAY)
    assert not (out / "san-pham/dui-ga-hun-khoi-nhu-thuy").exists()
    assert result.unchanged > 0
    assert (out / "co-so/ho-mat-ong-don-nhan/index.html").is_file()
    del home_mtime  # the home page lists the product, so it legitimately changed


def test_unchanged_pages_keep_their_mtime(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    before = (out / "co-so/ho-mat-ong-don-nhan/index.html").stat().st_mtime_ns
    result = builder.build(site, out, today=TODAY)
    assert result.changed == 0
    assert (out / "co-so/ho-mat-ong-don-nhan/index.html").stat().st_mtime_ns == before


def test_failed_build_leaves_previous_site_byte_for_byte(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    before = tree_digest(out)
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text().replace("stars: 4", "stars: 7"))
    with pytest.raises(ContentErrors):
        builder.build(site, out, today=TODAY)
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".staging")] == []


def test_template_error_fails_build_and_names_the_template(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    before = tree_digest(out)
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ no_such_variable }}\n{% endblock %}\n')
    with pytest.raises(ContentErrors) as info:
        builder.build(site, out, today=TODAY)
    error = info.value.errors[0]
    assert (error.path, error.line, error.field) == ("templates/404.html", 3, "template")
    assert "no_such_variable" in error.message_en
    assert tree_digest(out) == before


def test_site_templates_and_assets_override_the_theme(site: Path, tmp_path: Path) -> None:
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Riêng của tỉnh</p>{% endblock %}')
    (site / "assets/css").mkdir(parents=True)
    (site / "assets/css/site.css").write_text("body{color:#000}")
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    assert "Riêng của tỉnh" in (out / "404.html").read_text()
    assert (out / "assets/css/site.css").read_text() == "body{color:#000}"
    assert (out / "assets/favicon.svg").is_file()  # theme files not overridden stay
    # pages link the site's stylesheet by its own fingerprint
    assert f'href="assets/css/site.css?v={fingerprint(b"body{color:#000}")}"' in (
        out / "index.html").read_text()


def test_the_collector_is_paused_while_a_build_runs(site: Path, tmp_path: Path) -> None:
    """builder.build pauses the cyclic collector (base/workers.collector_paused: it
    walked a one-edit build's millions of objects 15 times at 10,000 products) and
    gives it back after a build, a skipped one and a failed one."""
    seen: list[bool] = []

    def progress(stage: str, done: int, total: int) -> None:
        seen.append(gc.isenabled())
    assert gc.isenabled()
    builder.build(site, tmp_path / "public", today=TODAY, progress=progress)
    assert seen and not any(seen)
    assert gc.isenabled()
    builder.build(site, tmp_path / "public", today=TODAY)  # nothing changed: skipped
    assert gc.isenabled()
    (site / "content/products/che-xanh-dong-thinh.md").write_text("---\nname: [\n---\n")
    with pytest.raises(ContentErrors):
        builder.build(site, tmp_path / "public", today=TODAY)
    assert gc.isenabled()
