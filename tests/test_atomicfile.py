"""write_atomically: the one write-temp-then-rename every cache and serve's pages use."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ocop_site.base.files import write_atomically


def test_writes_the_bytes_making_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "a/b/file.svg"
    write_atomically(target, b"<svg/>")
    assert target.read_bytes() == b"<svg/>"
    assert [p.name for p in target.parent.iterdir()] == ["file.svg"]  # no temp left


def test_mode_is_given_to_the_file(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    write_atomically(target, b"page", mode=0o644)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes", prefix=".state.json-")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
