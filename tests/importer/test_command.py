"""`import` through the real CLI (a subprocess) on real .xlsx and .csv files, against a
copy of the fixture site: the plan's lines, the files written, that `check` accepts
them, the exit codes, and that nothing is written when the file cannot be used."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ocop_site.pipeline import builder

from ..conftest import REPO, TODAY
from ..test_cli import run
from .sheets import TITLE, cache_formula, run_import, tree, workbook


def product_sets(site: Path) -> list:
    """The loaded site's first two product sets (not hard-coded: the classification may
    be corrected); the list names them, the expected plan their ids."""
    _, catalogue, _ = builder.load(site, today=TODAY)
    return [c for c in catalogue.categories.values() if not c.children][:2]


def expected_plan(site: Path) -> str:
    first, second = product_sets(site)
    return PLAN.replace("{first}", first.id).replace("{second}", second.id)


def decision_list(site: Path, path: Path) -> Path:
    """A province's decision list as officials send it: title rows, a two-row header
    under merged cells, NFD text, former communes, new and known producers, stars
    written every way (some wrong), formulas, a blank row, a subtotal, a signature, and
    a hidden draft sheet."""
    honey, meat = (c.name for c in product_sets(site))
    nfd = unicodedata.normalize("NFD", "Chè xanh Đồng Thịnh")
    rows = [
        ["UỶ BAN NHÂN DÂN TỈNH VĨNH PHÚC"],
        ["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT OCOP NĂM 2024"],
        [TITLE],
        ["STT", "Tên sản phẩm", "Chủ thể", None, "Điện thoại", "Hạng sao", "Nhóm sản phẩm",
         "Điểm"],
        [None, None, "Tên", "Địa chỉ"],
        [1, nfd, "HTX chè Đồng Thịnh", "Thôn 1, xã Đồng Thịnh, huyện Sông Lô", None,
         "4 sao", None, 75],
        ["=A6+1", "Ổi Tứ Yên", "HTX cây trồng Sông Lô Xanh",
         "xã Tứ Yên, huyện Sông Lô, tỉnh Vĩnh Phúc", "0912 345 678", "4★", honey, 72],
        [],
        [3, "Bánh tẻ Nhân Đạo", "Hộ bà Mùi", "Thôn 2, xã Nhân Đạo, huyện Sông Lô",
         "0912 000 111", "=2+3", meat, 71],
        [4, "Mật ong hoa nhãn Đôn Nhân", "Hộ ông Nguyễn Văn An", "xã Đôn Nhân", None, "Bốn sao",
         None, None],
        [5, "Trâu sấy gác bếp", "HTX Lãng Công", "xã Bạch Lưu, huyện Sông Lô", None,
         "4 sao", meat, 75],
        [6, "Gà đồi", "Hộ ông Ba", "xã Dương Quang", "0912 000 222", "hai sao", meat, None],
        [7, "Rượu nếp", "Hộ ông Tư", "xã Dương Quang", "0912 000 333", 7, meat, None],
        [8, "Cá thính", "Hộ ông Năm", "xã Dương Quang", "0912 000 444", "=3+2", meat, None],
        [9, "Chè búp", "Hợp tác xã Chè Đồng Thịnh", None, None, "4 sao", None, None],
        [None, "Tổng cộng: 9 sản phẩm"],
        [None, None, None, None, None, None, "KT. CHỦ TỊCH"],
    ]
    workbook(path, rows, "Danh sách", merges=["A4:A5", "B4:B5", "C4:D4", "E4:E5", "F4:F5",
                                              "G4:G5", "H4:H5"],
             hidden={"Nháp": [["Tên sản phẩm", "Chủ thể", "Hạng sao"],
                              ["Sản phẩm nháp", "Hộ ông Sáu", 3]]})
    cache_formula(path, "A7", 2)
    cache_formula(path, "F9", 4)  # read as saved: 4, never calculated (it would be 5)
    return path


# what `import` prints for decision_list(), line by line ({first}, {second}: the ids of
# the product sets it names)
PLAN = (REPO / "tests/data/import/decision-list.plan").read_text(encoding="utf-8")


def test_plan_lines_and_nothing_written(site: Path, tmp_path: Path) -> None:
    sheet = decision_list(site, tmp_path / "danh-sach.xlsx")
    before = tree(site)
    result = run_import(site, sheet)
    assert result.returncode == 1, result.stderr
    assert result.stdout == expected_plan(site)
    assert tree(site) == before


def test_write_writes_the_usable_rows_and_check_accepts_them(site: Path,
                                                              tmp_path: Path) -> None:
    sheet = decision_list(site, tmp_path / "danh-sach.xlsx")
    tea = site / "content/products/che-xanh-dong-thinh.md"
    tea_before = tea.read_text(encoding="utf-8")
    before = tree(site)
    result = run_import(site, sheet, "--write")
    assert result.returncode == 1, result.stderr  # five rows still need attention
    assert result.stdout.splitlines()[:-1] == expected_plan(site).splitlines()[:-1]
    assert result.stdout.splitlines()[-1].endswith(
        "; wrote 6 file(s); check: OK / 12 dòng: 2 sản phẩm mới (2 cơ sở mới), 2 cập nhật, "
        "0 không đổi, 5 cần xem lại, 3 bỏ qua; đã ghi 6 tệp; kiểm tra: không có lỗi")
    after = tree(site)
    assert sorted(set(after) - set(before)) == [
        "content/producers/ho-ba-mui.md", "content/producers/htx-cay-trong-song-lo-xanh.md",
        "content/products/banh-te-nhan-dao.md", "content/products/oi-tu-yen.md"]
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == ["content/products/che-xanh-dong-thinh.md",
                       "content/products/mat-ong-don-nhan.md"]
    # only the lines of the changed keys differ; the description is untouched
    assert tea.read_text(encoding="utf-8") == (
        tea_before.replace("decision: 123/QĐ-UBND", "decision: 245/QĐ-UBND")
        .replace("date: 2024-05-12", "date: 2025-03-15"))
    producer = (site / "content/producers/htx-cay-trong-song-lo-xanh.md").read_text("utf-8")
    assert producer.startswith(
        '---\nname: HTX cây trồng Sông Lô Xanh\ntype: cooperative\ncommune: Tứ Yên\n'
        'phone: "0912 345 678"\naddress: xã Tứ Yên, huyện Sông Lô, tỉnh Vĩnh Phúc\n---\n')
    product = (site / "content/products/banh-te-nhan-dao.md").read_text("utf-8")
    assert product.startswith(
        f"---\nname: Bánh tẻ Nhân Đạo\nstars: 4\ncategory: {product_sets(site)[1].id}\n"
        "commune: Hải Lựu\n"
        "producer: ho-ba-mui\ncertificate:\n  decision: 245/QĐ-UBND\n  date: 2025-03-15\n"
        "  issued_by: UBND tỉnh Vĩnh Phúc\n---\n")
    checked = run("check", "--source", str(site))
    assert checked.returncode == 0, checked.stderr
    _, catalogue, _ = builder.load(site, today=TODAY)
    by_slug = {p.slug: p for p in catalogue.products}
    assert by_slug["oi-tu-yen"].commune == "song-lo"
    assert by_slug["oi-tu-yen"].commune_as_written == "Tứ Yên"
    assert by_slug["mat-ong-hoa-nhan-don-nhan"].stars == 4
    assert by_slug["che-xanh-dong-thinh"].certificate.decision == "245/QĐ-UBND"

    again = run_import(site, sheet, "--write")  # re-importing is safe: nothing changes
    assert again.returncode == 1
    assert tree(site) == after
    lines = again.stdout.splitlines()
    for row in (6, 7, 9, 10):
        assert any(line.startswith(f"danh-sach.xlsx:Danh sách:row {row}: unchanged ")
                   for line in lines), again.stdout
    assert "4 unchanged, 5 need(s) attention" in lines[-1]


def test_github_format_annotates_each_problem(site: Path, tmp_path: Path) -> None:
    sheet = decision_list(site, tmp_path / "danh-sach.xlsx")
    result = run_import(site, sheet, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert ("::error file=danh-sach.xlsx,title=Danh sách%3Arow 12%3A stars::'hai sao' — only "
            "3★, 4★ and 5★ are certified; write 3, 4 or 5 / 'hai sao' — chỉ sản phẩm 3, 4, 5 "
            "sao được công nhận; hãy ghi 3, 4 hoặc 5") in lines
    assert any(line.startswith("::notice file=danh-sach.xlsx,title=Danh sách%3Arow 9%3A "
                               "commune::") for line in lines)
    assert "danh-sach.xlsx:Danh sách:row 8: skipped: blank row / bỏ qua: dòng trống" in lines


def test_a_hidden_sheet_is_read_when_named(site: Path, tmp_path: Path) -> None:
    sheet = decision_list(site, tmp_path / "danh-sach.xlsx")
    result = run_import(site, sheet, "--sheet", "Nháp")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "danh-sach.xlsx:Nháp:row 2: needs attention: 'Sản phẩm nháp' is not written / cần "
        "xem lại: 'Sản phẩm nháp' chưa được ghi")


def cfb(stream_names: tuple[str, ...]) -> bytes:
    """A minimal OLE compound file: its signature, then a directory naming `streams`
    (what Excel writes for a password-protected .xlsx, or an old .xls)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(name.encode("utf-16-le").ljust(128, b"\0") for name in stream_names)
    return header + entries.ljust(512, b"\0")


@pytest.mark.parametrize("name, data, message", [
    ("list.xlsx", cfb(("EncryptionInfo", "EncryptedPackage")),
     "the workbook is protected by a password and cannot be read"),
    ("list.xls", cfb(("Workbook", "SummaryInformation")),
     "this is an old Excel 97-2003 file (.xls)"),
    ("list.xlsx", b"%PDF-1.7\n%binary", "this is a PDF, not a spreadsheet"),
    ("list.xlsx", b"just some text, renamed", "'list.xlsx' is not a spreadsheet"),
    ("list.csv", "Xin chào\nkhông có tiêu đề\n".encode("utf-8"), "no header row found"),
])
def test_unusable_files_exit_2_and_write_nothing(site: Path, tmp_path: Path, name: str,
                                                 data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = tree(site)
    result = run_import(site, path, "--write")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{name}: error: {message}"), result.stderr
    assert "nothing was written / chưa ghi gì" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(site) == before


def test_a_word_document_is_named(site: Path, tmp_path: Path) -> None:
    import zipfile
    path = tmp_path / "quyet-dinh.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    result = run_import(site, path)
    assert result.returncode == 2
    assert "this is a Word document (.docx), not a spreadsheet" in result.stderr


@pytest.mark.parametrize("option, message", [
    (("--sheet", "Không có"), "there is no sheet 'Không có'; its sheets are 'Danh sách', "
                              "'Nháp' (hidden)"),
    (("--date", "31/02/2024"), "--date: '31/02/2024' is not a date"),
    (("--encoding", "latin-1"), "--encoding: 'latin-1' is not utf-8 or cp1258"),
])
def test_bad_options_exit_2(site: Path, tmp_path: Path, option: tuple[str, str],
                            message: str) -> None:
    sheet = decision_list(site, tmp_path / "danh-sach.xlsx")
    before = tree(site)
    result = run_import(site, sheet, *option, "--write")
    assert result.returncode == 2
    assert message in result.stderr
    assert tree(site) == before


def test_options_give_the_certificate_when_the_list_has_no_title(site: Path,
                                                                  tmp_path: Path) -> None:
    sheet = workbook(tmp_path / "ds.xlsx", [
        ["Tên sản phẩm", "Tên chủ thể", "Hạng sao"],
        ["Chè xanh Đồng Thịnh", "HTX Chè Đồng Thịnh", "4 sao"]])
    result = run_import(site, sheet, "--decision", "12/QĐ-UBND", "--date", "2025-08-01",
                        "--issued-by", "UBND tỉnh Phú Thọ", "--write")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == (
        "ds.xlsx:Sheet1:row 2: update content/products/che-xanh-dong-thinh.md: "
        "certificate.decision 123/QĐ-UBND → 12/QĐ-UBND, certificate.date 12/05/2024 → "
        "01/08/2025, certificate.issued_by UBND tỉnh Vĩnh Phúc → UBND tỉnh Phú Thọ / cập nhật")


def test_a_site_with_errors_is_not_written_to(site: Path, tmp_path: Path) -> None:
    sheet = decision_list(site, tmp_path / "danh-sach.xlsx")
    broken = site / "content/products/dui-ga-nhu-thuy.md"
    broken.write_text(broken.read_text("utf-8").replace("stars: 5", "stars: 9"), "utf-8")
    before = tree(site)
    result = run_import(site, sheet, "--write")
    assert result.returncode == 1
    assert "the site has 1 error(s) already; run `check`" in result.stderr
    assert tree(site) == before
