"""`check --format github`: GitHub Actions workflow commands, escaped by GitHub's rules,
one per error on the offending line; exit codes as for the plain format."""
from __future__ import annotations

from pathlib import Path

from ocop_site.errors import ContentError
from ocop_site.report import escape_data, escape_property, github_annotation, github_file

from .test_cli import run


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"
    assert escape_property("%3A") == "%253A"  # % first, so an escape is never doubled


def test_annotation_line_and_whole_file_and_warning() -> None:
    error = ContentError("content/products/a,b.md", 3, "stars", "must be 3: 4, 5 (50%)",
                         "phải là 3, 4\nhoặc 5")
    assert github_annotation(error, "site/content/products/a,b.md") == (
        "::error file=site/content/products/a%2Cb.md,line=3,title=stars::"
        "must be 3: 4, 5 (50%25) / phải là 3, 4%0Ahoặc 5")
    whole = ContentError("content/x.md", 0, "file", "too big", "quá lớn", "warning")
    assert github_annotation(whole, "content/x.md") == \
        "::warning file=content/x.md,title=file::too big / quá lớn"


def test_files_are_named_from_the_working_directory(tmp_path: Path) -> None:
    assert github_file(tmp_path / "site", "content/a.md", tmp_path) == "site/content/a.md"
    assert github_file(Path("."), "content/a.md", Path.cwd()) == "content/a.md"
    outside = github_file(tmp_path, "content/a.md", tmp_path / "elsewhere")
    assert outside == (tmp_path / "content/a.md").as_posix()


def test_check_format_github_prints_exact_annotations(site: Path) -> None:
    product = site / "content/products/che-xanh-dong-thinh.md"
    product.write_text(product.read_text().replace("stars: 4", "stars: 7")
                       .replace("commune: Đồng Thịnh", "commune: Đồng Thinh"))
    result = run("check", "--source", ".", "--format", "github", cwd=site)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/products/che-xanh-dong-thinh.md,line=3,title=stars::"
        "must be 3, 4 or 5 (got 7); only 3★ and above are certified / phải là 3, 4 hoặc 5 "
        "(đang ghi 7); chỉ sản phẩm từ 3 sao trở lên được công nhận",
        "::error file=content/products/che-xanh-dong-thinh.md,line=5,title=commune::"
        "unknown commune 'Đồng Thinh' — did you mean 'Đồng Thịnh'? (communes are listed in "
        "content/data/communes.yaml) / không có xã 'Đồng Thinh' — có phải là 'Đồng Thịnh'? "
        "(danh sách xã ở content/data/communes.yaml)",
    ]
    assert "2 error(s)" in result.stderr


def test_check_format_github_from_the_repository_root(site: Path) -> None:
    """In CI the site may be a subfolder of the checkout: paths are from the checkout."""
    (site / "content/products/extra.md").write_text("---\nname: X\nstar: 3\n---\n")
    result = run("check", "--source", "site", "--format", "github", cwd=site.parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert ("::error file=site/content/products/extra.md,line=3,title=star::unknown field "
            "'star' — did you mean 'stars'? (known fields: name, stars, category, commune, "
            "producer, certificate, price, unit, images, summary, slug, featured, draft, buy_online) / "
            "trường 'star' không có trong mẫu — có phải là 'stars'? (các trường hợp lệ: name, "
            "stars, category, commune, producer, certificate, price, unit, images, summary, "
            "slug, featured, draft, buy_online)") in lines
    assert ("::error file=site/content/products/extra.md,line=1,title=stars::required field "
            "is missing; add a line like 'stars: 4' / thiếu trường bắt buộc; hãy thêm dòng như "
            "'stars: 4'") in lines
    assert all(line.startswith("::error file=site/content/products/extra.md,") for line in lines)


def test_check_format_github_passes_with_warnings_as_annotations(site: Path) -> None:
    result = run("check", "--format", "github", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "::warning file=content/products/mat-ong-don-nhan.md,line=9,title=certificate::"
        "the certificate expired on 2024-03-01; the page says so until it is renewed / "
        "giấy chứng nhận đã hết hạn ngày 2024-03-01; trang sản phẩm sẽ ghi rõ cho tới khi "
        "được công nhận lại",
        "OK: no errors found / không có lỗi",
    ]


def test_check_format_usage_errors_exit_2(site: Path) -> None:
    assert run("check", "--format", "gitlab", cwd=site).returncode == 2
    missing = run("check", "--format", "github", "--source", "nowhere", cwd=site)
    assert missing.returncode == 2 and missing.stdout == ""
