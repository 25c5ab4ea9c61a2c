"""`ocop-site init` from the official lists, and `check`'s comparison with them: the real
CLI as a subprocess, real folders, real builds."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from ocop_site.pipeline import builder
from ocop_site.regions import gazetteer
from ocop_site.text import vietnamese

from .conftest import REPO, TODAY


def ocop(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args],
                          capture_output=True, text=True, timeout=300)


def communes_of(folder: Path) -> list[dict]:
    return yaml.safe_load((folder / "content/data/communes.yaml").read_text("utf-8"))["communes"]


def test_init_phu_tho_writes_148_communes_and_a_site_that_checks_and_builds(tmp_path: Path):
    site = tmp_path / "phu-tho"
    result = ocop("init", str(site), "--province", "Phú Thọ")
    assert result.returncode == 0, result.stderr
    communes = communes_of(site)
    assert len(communes) == 148
    tam_son = next(c for c in communes if c["name"] == "Tam Sơn")
    assert tam_son == {"name": "Tam Sơn", "kind": "xã", "code": "08824", "formed_from": [
        "xã Đồng Quế, huyện Sông Lô", "xã Tân Lập, huyện Sông Lô",
        "thị trấn Tam Sơn, huyện Sông Lô"], "aliases": ["Nhao Son", "Nhu Thuy"]}
    assert (site / "content/data/categories.yaml").read_bytes() == (
        REPO / "content/data/categories.yaml").read_bytes()
    assert ocop("check", "--source", str(site)).returncode == 0
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    assert (out / "xa/tam-son/index.html").is_file()
    _, catalogue, _ = builder.load(site, today=TODAY)
    [tam_son] = [c for c in catalogue.communes if c.name == "Tam Sơn"]
    pages = [unit.slug for unit in tam_son.formed_from if unit.slug]
    assert pages == ["dong-que", "tan-lap-song-lo"]  # "Tân Lập" was a name in two districts
    for slug in pages:
        assert "url=../../xa/tam-son/" in (out / f"xa/{slug}/index.html").read_text("utf-8")


def test_init_with_chosen_communes_gives_the_sample_map(tmp_path: Path):
    site = tmp_path / "song-lo"
    result = ocop("init", str(site), "--province", "tỉnh Phú Thọ",
                  "--communes", "Tam Sơn, xã Sông Lô, Hải Lựu, Yên Lãng")
    assert result.returncode == 0, result.stderr
    written = {c["name"]: (c["code"], c["formed_from"]) for c in communes_of(site)}
    sample = {c["name"]: (c["code"], c["formed_from"]) for c in communes_of(REPO)}
    assert {k: (v[0], set(v[1])) for k, v in written.items()} == {
        k: (v[0], set(v[1])) for k, v in sample.items()}
    # the names merged before 2025 the sample's aliases were written from, by hand
    written_aliases = {c["name"]: {letters(a) for a in c.get("aliases", [])}
                       for c in communes_of(site)}
    sample_aliases = {c["name"]: {letters(a) for a in c.get("aliases", [])}
                      for c in communes_of(REPO)}
    assert written_aliases == sample_aliases == {
        "Tam Sơn": {"nhaoson", "nhuthuy"}, "Hải Lựu": {"bachluu"}, "Sông Lô": set(),
        "Yên Lãng": set()}
    assert ocop("check", "--source", str(site)).returncode == 0


def letters(name: str) -> str:
    return vietnamese.slugify(name).replace("-", "")


def add_product(site: Path, commune: str) -> None:
    """One product and its producer naming `commune` as a certificate from before 2025
    would (with its diacritics)."""
    (site / "content/producers/htx-thu.md").write_text(
        f"---\nname: HTX Thử\ntype: cooperative\ncommune: {commune}\n"
        f'phone: "0900 000 101"\naddress: "Thôn 1, xã {commune}"\n---\nHTX.\n',
        encoding="utf-8")
    (site / "content/products/che-thu.md").write_text(f"""---
name: Chè thử
stars: 3
category: che-tuoi-che-bien
commune: {commune}
producer: htx-thu
certificate:
  decision: 12/QĐ-UBND
  date: 2024-03-12
  issued_by: UBND tỉnh
price: 100000
unit: hộp 500 g
---
Chè.
""", encoding="utf-8")


def test_init_writes_names_merged_before_2025_as_aliases_phu_tho(tmp_path: Path):
    """vietnamadminunits keeps them without diacritics ("xabachluu"): init writes "Bach
    Luu" and a product's "Bạch Lưu" finds Hải Lựu, like a 2025 former name."""
    site = tmp_path / "phu-tho"
    assert ocop("init", str(site), "--province", "Phú Thọ").returncode == 0
    by_name = {c["name"]: c for c in communes_of(site)}
    assert by_name["Hải Lựu"]["aliases"] == ["Bach Luu"]
    assert by_name["Quảng Yên"]["aliases"] == ["Quang Nap", "Thai Ninh", "Nang Yen"]
    # "Bắc Sơn" was merged into a unit of Hùng Sơn, and is itself a 2025 unit of Hiền Quan
    assert not any("Bac Son" in c.get("aliases", []) for c in by_name.values())
    add_product(site, "Bạch Lưu")
    assert ocop("check", "--source", str(site)).returncode == 0
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY)
    _, content, _ = builder.load(site, today=TODAY)
    [product] = content.products
    assert product.commune == "hai-luu"
    assert (out / "san-pham/che-thu/index.html").is_file()


def test_init_writes_names_merged_before_2025_as_aliases_ha_noi(tmp_path: Path):
    site = tmp_path / "ha-noi"
    assert ocop("init", str(site), "--province", "Hà Nội",
                "--communes", "Đống Đa, Ba Đình, Hoàn Kiếm").returncode == 0
    by_name = {c["name"]: c for c in communes_of(site)}
    assert by_name["Đống Đa"]["aliases"] == ["Nga Tu So"]  # into phường Thịnh Quang
    assert by_name["Ba Đình"]["aliases"] == ["Nguyen Trung Truc"]  # into phường Trúc Bạch
    add_product(site, "phường Ngã Tư Sở")
    _, content, _ = builder.load(site, today=TODAY)
    assert [p.commune for p in content.products] == ["dong-da"]
    add_product(site, "Ngã Tư")  # no such name, marked or not: the usual error
    result = ocop("check", "--source", str(site))
    assert result.returncode == 1 and "unknown commune 'Ngã Tư'" in result.stderr


def test_init_another_province_as_the_official_lists_say(tmp_path: Path):
    site = tmp_path / "ha-noi"
    assert ocop("init", str(site), "--province", "Hà Nội").returncode == 0
    communes = communes_of(site)
    hanoi = gazetteer.find_province("Hà Nội")
    official = gazetteer.communes_of(hanoi)
    assert len(communes) == len(official) == 126
    for written, commune in zip(communes, official):
        assert (written["name"], written["kind"], written["code"]) == (
            commune.name, commune.kind, commune.code)
        units = {f"{u.full_name}, {u.district_kind} {u.district}" for u in commune.formed_from}
        assert set(written["formed_from"]) == units
    assert "phường Hoàn Kiếm" in [c["kind"] + " " + c["name"] for c in communes]
    assert ocop("check", "--source", str(site)).returncode == 0


def test_init_refuses_an_unknown_province_commune_or_a_full_folder(tmp_path: Path):
    result = ocop("init", str(tmp_path / "x"), "--province", "Vĩnh Phúc")
    assert result.returncode == 2 and "unknown province 'Vĩnh Phúc'" in result.stderr
    result = ocop("init", str(tmp_path / "x"), "--province", "Phú Thọ", "--communes",
                  "Đôn Nhân, Sông Lo")
    assert result.returncode == 2
    assert "'Đôn Nhân' (a former unit, now xã Hải Lựu" in result.stderr
    assert "'Sông Lo' (did you mean / có phải 'Sông Lô'?)" in result.stderr
    assert not (tmp_path / "x").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full/site.yaml").write_text("title: x\n")
    result = ocop("init", str(tmp_path / "full"), "--province", "Phú Thọ")
    assert result.returncode == 2 and "is not empty" in result.stderr


def test_check_compares_communes_yaml_with_the_official_lists(site: Path):
    (site / "content/data/communes.yaml").write_text("""communes:
  - name: Sông Lô
    code: "08800"
    formed_from: ["xã Đồng Thịnh, huyện Sông Lô", "xã Tân Lập, huyện Sông Lô"]
    aliases: [Như Thụy]
  - name: Hải Lựu
    formed_from: ["xã Đôn Nhân, huyện Sông Lô"]
  - name: Thử Nghiệm
  - name: Làng Mới
    differs_from_official: "a test commune, not in any list"
""", encoding="utf-8")
    warnings = [w.format() for w in builder.check(site, today=TODAY)
                if w.path == "content/data/communes.yaml"]
    assert warnings == [
        "content/data/communes.yaml:2: warning: communes: Sông Lô: code 08800, the official "
        "code is 08848 (or write differs_from_official: with the reason) / Sông Lô: mã 08800, "
        "mã chính thức là 08848 (hoặc ghi lý do ở differs_from_official:)",
        "content/data/communes.yaml:2: warning: communes: Sông Lô: xã Tân Lập went to xã Tam "
        "Sơn, per the official lists (or write differs_from_official: with the reason) / Sông "
        "Lô: xã Tân Lập đã nhập vào xã Tam Sơn theo danh mục chính thức (hoặc ghi lý do ở "
        "differs_from_official:)",
        "content/data/communes.yaml:8: warning: communes: 'Thử Nghiệm' is not a commune of "
        f"Phú Thọ in the official lists ({gazetteer.sources()}) (or write "
        "differs_from_official: with the reason) / 'Thử Nghiệm' không có trong danh mục xã, "
        "phường của Phú Thọ (hoặc ghi lý do ở differs_from_official:)"]
