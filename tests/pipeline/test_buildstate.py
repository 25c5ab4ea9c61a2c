"""The nothing-changed check's comparison of an output with the last build's manifest
(pipeline/buildstate.py `matches`), in one process and split with a child process, on
real folders: it says what a full scan compared with the manifest says, whichever half
a change is in, and leaves no child behind."""
from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from ocop_site.pipeline import buildstate


def site(root: Path) -> Path:
    """A small output: top-level files and folders of unequal sizes, nested."""
    for top, count in (("san-pham", 30), ("co-so", 12), ("en", 9), ("assets", 4),
                       ("xa", 3)):
        for n in range(count):
            page = root / top / f"item-{n}" / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"{top} {n}")
        (root / top / "index.html").write_text(top)
    (root / "en" / "san-pham" / "deep").mkdir(parents=True)
    (root / "en" / "san-pham" / "deep" / "a.html").write_text("deep")
    for name in ("index.html", "robots.txt", "sitemap.xml"):
        (root / name).write_text(name)
    return root


def children() -> set[str]:
    """This process's child processes, zombies included (/proc)."""
    me = str(os.getpid())
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me:
            found.add(stat.parent.name)
    return found


CHANGES = {
    "nothing": lambda out: None,
    "a big folder's page edited": lambda out: (out / "san-pham/item-7/index.html")
        .write_text("edited"),
    "a small folder's page edited": lambda out: (out / "xa/item-1/index.html")
        .write_text("edited!"),
    "a top-level file edited": lambda out: (out / "robots.txt").write_text("Disallow: /"),
    "a deep file removed": lambda out: (out / "en/san-pham/deep/a.html").unlink(),
    "a file added": lambda out: (out / "co-so/item-3/extra.html").write_text("x"),
    "a file added at the top": lambda out: (out / "new.html").write_text("x"),
    "a top-level folder removed": lambda out: [p.unlink() for p in (out / "assets").rglob(
        "*.html")] and None,
    "an empty folder added": lambda out: (out / "empty" / "inside").mkdir(parents=True),
    "a file replaced by a folder": lambda out: ((out / "sitemap.xml").unlink(),
                                                (out / "sitemap.xml").mkdir()),
    "a file's inode changed": lambda out: _copy_over(out / "en/index.html"),
}


def _copy_over(path: Path) -> None:
    """The same bytes and modification time in a new file (another inode)."""
    stat = path.stat()
    copy = path.with_name("copy")
    copy.write_bytes(path.read_bytes())
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(copy, path)


@pytest.mark.parametrize("in_two", [False, True], ids=["one process", "two processes"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_matches_says_what_a_full_scan_says(tmp_path: Path, change: str, in_two: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = site(tmp_path / "out")
    manifest = buildstate.scan_output(out)
    monkeypatch.setattr(buildstate, "CHECK_IN_TWO", 1 if in_two else 10**9)
    before = children()
    CHANGES[change](out)
    same = buildstate.scan_output(out) == manifest
    assert same == (change in ("nothing", "an empty folder added"))
    assert buildstate.matches(out, manifest) is same
    assert children() == before  # the child, if any, reaped


def test_a_missing_output_matches_nothing(tmp_path: Path) -> None:
    assert not buildstate.matches(tmp_path / "gone", {"index.html": [1, 2, 3]})
    (tmp_path / "empty").mkdir()
    assert buildstate.matches(tmp_path / "empty", {})


def test_a_scan_in_two_processes_is_the_scan_in_one(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """scan_output given the files a build put there scans half the top-level entries
    in a child process: the same manifest as one process makes (files the caller did
    not name included), the child reaped; an output that is not there scans to {}."""
    out = site(tmp_path / "out")
    (out / "unnamed").mkdir()
    (out / "unnamed" / "extra.txt").write_text("not in the build's list")
    one = buildstate.scan_output(out)
    named = [path for path in one if not path.startswith("unnamed")]
    monkeypatch.setattr(buildstate, "CHECK_IN_TWO", 1)
    before = children()
    two = buildstate.scan_output(out, named)
    assert two == one and len(two) == 68 and "unnamed/extra.txt" in two
    assert children() == before
    assert buildstate.scan_output(tmp_path / "gone", named) == {}
    monkeypatch.setattr(buildstate, "CHECK_IN_TWO", 10**9)
    assert buildstate.scan_output(out, named) == one


def test_a_scan_whose_child_fails_is_finished_here(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that cannot send its half back (here: its encoder fails, in the child
    only, which inherits this process's memory) leaves its exit code; this process scans
    that half itself and the manifest is the whole one, the child reaped."""
    out = site(tmp_path / "out")
    one = buildstate.scan_output(out)
    monkeypatch.setattr(buildstate, "CHECK_IN_TWO", 1)

    class Failing:
        loads = staticmethod(marshal.loads)

        @staticmethod
        def dumps(value: object) -> bytes:
            raise ValueError("the child cannot send")
    monkeypatch.setattr(buildstate, "marshal", Failing)
    before = children()
    assert buildstate.scan_output(out, list(one)) == one
    assert children() == before
