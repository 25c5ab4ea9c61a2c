"""The CLI is a contract: real subprocesses, real exit codes, nothing written on error."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1780272000"}  # 2026-06-01


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, env=ENV, timeout=300)


def test_build_writes_site_and_exits_0(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--source", str(site), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    assert "Built" in result.stdout and "Đã tạo" in result.stdout


def test_default_source_is_cwd_and_default_output_is_public(site: Path) -> None:
    result = run("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "public" / "san-pham" / "index.html").is_file()


def test_content_error_exits_1_writes_nothing_and_is_bilingual(site: Path,
                                                               tmp_path: Path) -> None:
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text().replace("stars: 4", "stars: 2")
                       .replace("commune: Đồng Thịnh", "commune: Đồng Thinh"))
    out = tmp_path / "out"
    result = run("build", "--source", str(site), "--output", str(out))
    assert result.returncode == 1
    assert not out.exists()
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/products/che-xanh-dong-thinh.md:3: stars: must be 3, 4 "
                               "or 5 (got 2)") and "phải là 3, 4 hoặc 5" in line for line in lines)
    assert any(line.startswith("content/products/che-xanh-dong-thinh.md:5: commune: unknown "
                               "commune 'Đồng Thinh' — did you mean 'Đồng Thịnh'?")
               for line in lines), result.stderr
    assert "2 error(s); nothing was written" in result.stderr


def test_check_validates_and_writes_nothing(site: Path) -> None:
    before = sorted(p.relative_to(site) for p in site.rglob("*") if ".cache" not in p.parts)
    result = run("check", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert "warning: certificate" in result.stderr  # the expired fixture product
    after = sorted(p.relative_to(site) for p in site.rglob("*") if ".cache" not in p.parts)
    assert after == before


def test_check_reports_errors_with_exit_1(site: Path) -> None:
    (site / "content/products/extra.md").write_text("---\nname: X\nstar: 3\n---\n")
    result = run("check", "--source", str(site))
    assert result.returncode == 1
    assert ("content/products/extra.md:3: star: unknown field 'star' — did you mean 'stars'?"
            in result.stderr)


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("frobnicate").returncode == 2
    assert run("build", "--no-such-flag").returncode == 2
    missing = run("build", "--source", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "no site.yaml" in missing.stderr and "không có site.yaml" in missing.stderr


def test_installed_console_script_runs_the_same_cli(site: Path, tmp_path: Path) -> None:
    """`make test` installs the package; its `ocop-site` script must behave like build.py."""
    import importlib.metadata
    import pytest
    try:
        importlib.metadata.distribution("ocop-site")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("package not installed (run through `make test`)")
    script = Path(sys.executable).parent / "ocop-site"
    assert script.is_file(), "pip install did not create the ocop-site console script"
    result = subprocess.run([str(script), "check", "--source", str(site)], capture_output=True,
                            text=True, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no errors found" in result.stdout
