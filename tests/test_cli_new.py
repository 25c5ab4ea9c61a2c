"""`new` as people and scripts use it: real subprocesses, a real terminal (pty) for the
interactive run, and the real `check` on every file written."""
from __future__ import annotations

import codecs
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from .conftest import REPO
from .test_cli import ENV, run

PRODUCT_OPTIONS = ("--name", "Giò lụa Đôn Nhân", "--commune", "xã Như Thuỵ",
                   "--category", "Chế biến từ thịt", "--producer", "Hợp tác xã Chè Đồng Thịnh",
                   "--stars", "4", "--decision", "9/QĐ-UBND", "--date", "12/05/2025",
                   "--price", "150.000 đ", "--unit", "cây 1kg")


def check_passes(site: Path) -> None:
    result = run("check", "--source", str(site))
    assert result.returncode == 0, result.stderr
    assert "no errors found" in result.stdout


def test_new_product_from_options_then_check_passes(site: Path) -> None:
    result = run("new", "product", "--source", str(site), *PRODUCT_OPTIONS)
    assert result.returncode == 0, result.stderr
    path = site / "content/products/gio-lua-don-nhan.md"
    assert "content/products/gio-lua-don-nhan.md" in result.stdout
    assert path.read_text(encoding="utf-8").startswith(
        "---\nname: Giò lụa Đôn Nhân\nstars: 4\ncategory: che-bien-tu-thit\n"
        "commune: xã Như Thuỵ\nproducer: htx-che-dong-thinh\ncertificate:\n"
        "  decision: 9/QĐ-UBND\n  date: 2025-05-12\nprice: 150000\nunit: cây 1kg\n---\n")
    check_passes(site)
    build = run("build", "--source", str(site), "--output", str(site / "out"))
    assert build.returncode == 0, build.stderr
    page = (site / "out/san-pham/gio-lua-don-nhan/index.html").read_text(encoding="utf-8")
    assert "Giò lụa Đôn Nhân" in page and "Describe the product" not in page


def test_new_never_overwrites_and_bad_options_exit_2(site: Path) -> None:
    first = run("new", "product", "--source", str(site), *PRODUCT_OPTIONS)
    assert first.returncode == 0, first.stderr
    written = (site / "content/products/gio-lua-don-nhan.md").read_bytes()
    again = run("new", "product", "--source", str(site), *PRODUCT_OPTIONS[:-2],
                "--unit", "cây 2kg")
    assert again.returncode == 2
    assert "--name: a product with the address san-pham/gio-lua-don-nhan is already used" \
        in again.stderr
    assert "nothing was written" in again.stderr
    assert (site / "content/products/gio-lua-don-nhan.md").read_bytes() == written
    bad = run("new", "product", "--source", str(site), "--name", "Chè mới",
              "--commune", "Dong Thinh", "--stars", "2", "--yes")
    assert bad.returncode == 2
    lines = bad.stderr.splitlines()
    assert "ocop-site new product: --commune: unknown commune 'Dong Thinh' — did you mean " \
           "'Đồng Thịnh'? (communes are listed in content/data/communes.yaml) / không có " \
           "xã 'Dong Thinh' — có phải là 'Đồng Thịnh'? (danh sách xã ở " \
           "content/data/communes.yaml)" in lines
    assert any(line.startswith("ocop-site new product: --category: required") for line in lines)
    assert any(line.startswith("ocop-site new product: --stars: must be 3, 4 or 5")
               for line in lines)
    assert not (site / "content/products/che-moi.md").exists()
    assert run("new", "stall", "--source", str(site)).returncode == 2
    assert run("new", "product", "--source", str(site / "nowhere")).returncode == 2


def test_new_producer_and_event_from_options_then_check_passes(site: Path) -> None:
    producer = run("new", "producer", "--source", str(site), "--yes",
                   "--name", "Hợp tác xã Mây tre Nhân Đạo", "--id", "htx-may-tre",
                   "--type", "hợp tác xã", "--commune", "Hải Lựu", "--phone", "0900 123 456",
                   "--address", "Thôn 2, xã Hải Lựu", "--website", "https://example.org/mt")
    assert producer.returncode == 0, producer.stderr
    assert (site / "content/producers/htx-may-tre.md").read_text(encoding="utf-8").startswith(
        "---\nname: Hợp tác xã Mây tre Nhân Đạo\ntype: cooperative\ncommune: Hải Lựu\n"
        "phone: \"0900 123 456\"\naddress: Thôn 2, xã Hải Lựu\n"
        "website: https://example.org/mt\n---\n")
    product = run("new", "product", "--source", str(site), "--name", "Giỏ mây Nhân Đạo",
                  "--commune", "Bạch Lưu", "--category", "che-bien-tu-thit",
                  "--producer", "htx-may-tre", "--stars", "3", "--decision", "1/QĐ",
                  "--date", "2025-01-02")
    assert product.returncode == 0, product.stderr
    event = run("new", "event", "--source", str(site), "--title", "Phiên chợ: mùa bưởi, 2026",
                "--start", "2026-10-01", "--end", "2026-10-03", "--place", "Tam Sơn",
                "--products", "gio-may-nhan-dao, mat-ong-don-nhan")
    assert event.returncode == 0, event.stderr
    text = (site / "content/events/phien-cho-mua-buoi-2026.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: \"Phiên chợ: mùa bưởi, 2026\"\nstart: 2026-10-01\n"
                           "end: 2026-10-03\nplace: Tam Sơn\nproducts:\n  - gio-may-nhan-dao\n"
                           "  - mat-ong-hoa-nhan-don-nhan\n---\n")
    check_passes(site)


def test_new_shop_from_options_then_check_passes_and_builds_its_page(site: Path) -> None:
    bad = run("new", "shop", "--source", str(site), "--yes", "--name", "Sạp chợ Đôn Nhân",
              "--kind", "cho", "--commune", "Đôn Nhân", "--address", "Chợ Đôn Nhân",
              "--hours", "Mo-Su 05:00-10:00; Sa 12:00-08:00", "--products", "che-xanh")
    assert bad.returncode == 2
    assert "--kind: unknown kind 'cho'" in bad.stderr
    assert "--hours: line 2: '12:00-08:00' closes before it opens or is past 24:00; write " \
           "the opening time first, e.g. 'Mo-Fr 07:30-11:30,13:30-17:00'" in bad.stderr
    assert "dòng 2: '12:00-08:00' giờ đóng trước giờ mở" in bad.stderr
    assert "--products: unknown product 'che-xanh'" in bad.stderr
    assert not (site / "content/shops").exists()
    shop = run("new", "shop", "--source", str(site), "--yes", "--name", "Sạp chợ Đôn Nhân",
               "--kind", "sạp chợ", "--commune", "Đôn Nhân", "--address", "Chợ Đôn Nhân",
               "--zalo", "0900 000 203", "--hours", "Mo-Su 05:00-10:00",
               "--products", "mat-ong-don-nhan, Chè xanh Đồng Thịnh",
               "--description", "Sạp khô số 3.")
    assert shop.returncode == 0, shop.stderr
    text = (site / "content/shops/sap-cho-don-nhan.md").read_text(encoding="utf-8")
    assert text == ("---\nname: Sạp chợ Đôn Nhân\nkind: market\ncommune: Đôn Nhân\n"
                    "address: Chợ Đôn Nhân\nzalo: \"0900 000 203\"\nhours:\n"
                    "  - Mo-Su 05:00-10:00\nproducts:\n  - mat-ong-hoa-nhan-don-nhan\n"
                    "  - che-xanh-dong-thinh\n---\nSạp khô số 3.\n")
    check_passes(site)
    again = run("new", "shop", "--source", str(site), "--yes", "--name", "Sạp chợ Đôn Nhân",
                "--kind", "market", "--commune", "Đôn Nhân", "--address", "Chợ",
                "--products", "mat-ong-don-nhan")
    assert again.returncode == 2
    assert "the shop address cua-hang/sap-cho-don-nhan is already used" in again.stderr
    build = run("build", "--source", str(site), "--output", str(site / "out"))
    assert build.returncode == 0, build.stderr
    page = (site / "out/cua-hang/sap-cho-don-nhan/index.html").read_text(encoding="utf-8")
    assert "Sạp chợ Đôn Nhân" in page and "Describe the shop" not in page


def test_new_shop_interactive_on_a_terminal(site: Path) -> None:
    term = Terminal("new", "shop", "--source", str(site), cwd=site)
    term.expect("Tên cửa hàng, điểm bán / Shop name")
    term.type("Đại lý OCOP Hải Lựu")
    term.expect("Mã cửa hàng (tên tệp)")
    assert "[dai-ly-ocop-hai-luu]" in term.expect(": ")
    term.type("")
    term.expect("Loại / Kind")
    term.type("?")  # lists the kinds, then asks again
    shown = term.expect("Loại / Kind")
    assert "5. agent — Đại lý / Agent" in shown and "1. showroom" in shown
    term.type("5")
    term.expect("Xã / Commune")
    term.type("Hải Lựu")
    term.expect("Địa chỉ / Address")
    term.type("Km 3")
    for label in ("Điện thoại", "Số Zalo"):
        term.expect(label)
        term.type("")
    term.expect("Giờ mở cửa / Opening hours")
    term.type("Thứ 2 - Thứ 6 7:30-17:00")
    shown = term.expect("Giờ mở cửa / Opening hours")
    assert "ví dụ 'Mo-Fr 07:30-11:30,13:30-17:00'" in shown
    assert "e.g. 'Mo-Fr 07:30-11:30,13:30-17:00'" in shown
    term.type("Mo-Fr 07:30-17:00; Sa 07:30-11:00")
    term.expect("Sản phẩm bán ở đây / Products sold here")
    term.type("che-xanh-dong-thinh")
    term.expect("Mô tả")
    term.type("")
    preview = term.expect("Write this file?")
    assert "content/shops/dai-ly-ocop-hai-luu.md:" in preview
    term.type("c")
    assert term.finish() == 0, term.screen
    text = (site / "content/shops/dai-ly-ocop-hai-luu.md").read_text(encoding="utf-8")
    assert text.startswith("---\nname: Đại lý OCOP Hải Lựu\nkind: agent\ncommune: Hải Lựu\n"
                           "address: Km 3\nhours:\n  - Mo-Fr 07:30-17:00\n  - Sa 07:30-11:00\n"
                           "products:\n  - che-xanh-dong-thinh\n---\n<!-- ")
    check_passes(site)


class Terminal:
    """`python build.py …` on a pseudo-terminal: what a person at a console sees."""

    def __init__(self, *args: str, cwd: Path):
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *args],
                                        stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                        env=ENV, close_fds=True)
        os.close(slave)
        self.screen, self.pos = "", 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")  # chunks split chars

    def expect(self, text: str, timeout: float = 60) -> str:
        """Read until `text` is shown; return what was shown from the previous match up to
        and including it."""
        deadline = time.monotonic() + timeout
        while text not in self.screen[self.pos:]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"never saw {text!r}; screen:\n{self.screen[self.pos:]}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the program ended (EIO on Linux)
                    chunk = b""
                assert chunk, f"ended before {text!r}; screen:\n{self.screen[self.pos:]}"
                self.screen += self.decoder.decode(chunk)
        end = self.screen.index(text, self.pos) + len(text)
        shown, self.pos = self.screen[self.pos:end], end
        return shown

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode("utf-8"))

    def finish(self, timeout: float = 60) -> int:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], timeout)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.screen += self.decoder.decode(chunk)
        except OSError:
            pass
        code = self.process.wait(timeout=timeout)
        os.close(self.master)
        return code


def test_new_product_interactive_on_a_terminal(site: Path) -> None:
    term = Terminal("new", "product", "--source", str(site), cwd=site)
    term.expect("Tên sản phẩm / Product name")
    term.type("Mật ong hoa nhãn Như Thụy")
    term.expect("Xã / Commune")
    term.type("Nhu Thuy")  # no diacritics: refused, the nearest name offered
    shown = term.expect("Xã / Commune")
    assert "không có xã 'Nhu Thuy' — có phải là 'Như Thuỵ'?" in shown
    assert "unknown commune 'Nhu Thuy' — did you mean 'Như Thuỵ'?" in shown
    assert "[Như Thuỵ]" in term.expect(": ")
    term.type("")  # Enter accepts the suggestion
    term.expect("Bộ sản phẩm / Product set")
    term.type("mat ong")
    term.expect("Cơ sở sản xuất / Producer")
    term.type("ho-mat-ong-don-nhan")
    term.expect("Hạng sao / Stars")
    term.type("5")
    term.expect("Số quyết định công nhận")
    term.type("12/QĐ-UBND")
    term.expect("Ngày ký quyết định")
    term.type("2025-03-01")
    for label in ("Cơ quan cấp", "Giá", "Đơn vị bán", "Tóm tắt"):
        term.expect(label)
        term.type("")
    term.expect("Mô tả")
    term.type("Mật ong nguyên chất từ vườn nhãn ven sông.")
    preview = term.expect("Write this file?")
    assert "content/products/mat-ong-hoa-nhan-nhu-thuy.md:" in preview
    assert "commune: Như Thuỵ" in preview
    term.type("c")
    assert term.finish() == 0, term.screen
    assert "Wrote content/products/mat-ong-hoa-nhan-nhu-thuy.md" in term.screen
    text = (site / "content/products/mat-ong-hoa-nhan-nhu-thuy.md").read_text(encoding="utf-8")
    assert text == ("---\nname: Mật ong hoa nhãn Như Thụy\nstars: 5\ncategory: mat-ong\n"
                    "commune: Như Thuỵ\nproducer: ho-mat-ong-don-nhan\ncertificate:\n"
                    "  decision: 12/QĐ-UBND\n  date: 2025-03-01\n---\n"
                    "Mật ong nguyên chất từ vườn nhãn ven sông.\n")
    check_passes(site)


def test_new_interactive_answer_no_writes_nothing(site: Path) -> None:
    term = Terminal("new", "producer", "--source", str(site), "--name", "Hộ Ông Ba",
                    "--type", "household", "--commune", "Sông Lô", "--phone", "0900000001",
                    "--address", "Thôn 3", cwd=site)
    term.expect("Mã cơ sở (tên tệp)")
    assert "[ho-ong-ba]" in term.expect(": ")
    term.type("")
    term.expect("Trang web")
    term.type("")
    term.expect("Mô tả")
    term.type("")
    term.expect("Write this file?")
    term.type("không")
    assert term.finish() == 2
    assert "nothing was written" in term.screen
    assert not (site / "content/producers/ho-ong-ba.md").exists()


def test_piped_input_is_not_a_conversation(site: Path) -> None:
    """A script piping into `new` gets no prompts: missing answers are usage errors."""
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "product",
                             "--source", str(site), "--name", "Chè mới"], input="4\n",
                            capture_output=True, text=True, env=ENV, timeout=120)
    assert result.returncode == 2
    assert "Hạng sao" not in result.stdout
    assert "--stars: required; give it as --stars" in result.stderr
