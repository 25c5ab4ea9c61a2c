"""Every failure a person can cause ends the real CLI with its exit code and one bilingual
line, never a traceback (the error family of errors.py, mapped by cli.main)."""
from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .test_cli import ENV, run

ROOT = os.geteuid() == 0  # root writes into read-only folders anyway


def failed(result: subprocess.CompletedProcess, code: int) -> list[str]:
    """The lines of standard error, once the exit code and the absence of a traceback
    are checked."""
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr.splitlines()


def test_an_output_that_is_a_file_is_refused_before_building(site: Path,
                                                              tmp_path: Path) -> None:
    output = tmp_path / "public"
    output.write_text("notes")
    lines = failed(run("build", "--source", str(site), "--output", str(output)), 2)
    assert lines == [
        f"ocop-site: error: the output folder {output} is a file; move it away or choose "
        f"another --output / thư mục kết quả {output} là một tệp; hãy chuyển tệp đi hoặc "
        "chọn --output khác"]
    assert output.read_text() == "notes"


def test_a_file_where_the_output_folder_should_be_made(site: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "sites"
    blocker.write_text("not a folder")
    lines = failed(run("build", "--source", str(site), "--output", str(blocker / "public")),
                   2)
    assert lines == [
        f"ocop-site: error: {blocker} is a file where a folder is needed; move the file "
        f"away or choose another --output / {blocker} là một tệp, ở đó cần một thư mục; "
        "hãy chuyển tệp đi hoặc chọn --output khác"]


def permission_line(path: Path) -> list[str]:
    return [f"ocop-site: error: permission denied for {path}; choose a folder you may write "
            f"to (--output) or change its permissions / không có quyền với {path}; hãy chọn "
            "thư mục được phép ghi (--output) hoặc đổi quyền truy cập"]


@pytest.mark.skipif(ROOT, reason="root may write into a read-only folder")
def test_an_output_in_a_read_only_folder(site: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("build", "--source", str(site), "--output", str(folder / "public"))
    finally:
        folder.chmod(0o755)
    assert failed(result, 2) == permission_line(folder / ".public.lock")


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys")
def test_an_output_on_a_file_system_nobody_may_write(site: Path) -> None:
    """sysfs refuses new folders to everyone, root included."""
    output = Path("/sys/ocop-site-test/public")
    lines = failed(run("build", "--source", str(site), "--output", str(output)), 2)
    assert lines == permission_line(output.parent)


def test_a_full_disk(site: Path, tmp_path: Path) -> None:
    disk = tmp_path / "small-disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(disk)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        output = disk / "public"
        lines = failed(run("build", "--source", str(site), "--output", str(output)), 2)
        left = sorted(p.name for p in disk.iterdir())
    finally:
        subprocess.run(["umount", str(disk)], check=True)
    assert lines[-1] == (
        f"ocop-site: error: no space left on the disk for {output}; free some space and run "
        f"the command again / ổ đĩa hết chỗ, không ghi được {output}; hãy giải phóng bớt "
        "dung lượng rồi chạy lại lệnh")
    assert left == [".public.lock"]  # no half-written staging folder, no output


@pytest.mark.parametrize("command", ["build", "check", "serve", "new product --yes"])
def test_a_folder_without_site_yaml(command: str, tmp_path: Path) -> None:
    lines = failed(run(*command.split(), "--source", str(tmp_path)), 2)
    assert lines == [f"ocop-site: error: no site.yaml in '{tmp_path}' (use --source "
                     f"SITE_FOLDER) / không có site.yaml trong '{tmp_path}' (dùng --source "
                     "THƯ_MỤC_TRANG)"]


def test_a_busy_lock_says_so_and_ctrl_c_ends_quietly(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "public"
    with open(tmp_path / ".public.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build of the same output
        build = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "build", "--source", str(site),
             "--output", str(output)], stderr=subprocess.PIPE, text=True, env=ENV,
            # a test run started in the background (`cmd &`) has Ctrl+C ignored, and the
            # build would inherit that: give it the terminal's default
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            waiting = build.stderr.readline()  # it says why it waits, then waits
            build.send_signal(signal.SIGINT)
            rest = build.stderr.read()
            code = build.wait(timeout=60)
        finally:
            build.kill()
    assert waiting == (f"waiting for another build of {output} to finish (Ctrl+C to stop) / "
                       f"đang chờ lần tạo trang khác vào {output} xong (Ctrl+C để dừng)\n")
    assert code == 130 and "Traceback" not in rest
    assert rest.splitlines() == ["ocop-site: stopped (Ctrl+C); the site was not changed / "
                                 "đã dừng (Ctrl+C); trang chưa bị thay đổi"]
    assert not output.exists()


def test_serve_on_a_port_in_use(site: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--source", str(site), "--output", str(tmp_path / "public"),
                     "--port", str(port))
    assert failed(result, 2)[-1] == (
        f"ocop-site: error: port {port} on 127.0.0.1 is already in use; stop the other "
        f"server or choose another --port / cổng {port} trên 127.0.0.1 đang được dùng; hãy "
        "dừng máy chủ kia hoặc chọn --port khác")
