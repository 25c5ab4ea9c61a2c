"""The published site survives anything a build can suffer: SIGKILL at any moment, two
builds at once, a kill while photos are being cached. Real processes, real signals, real
files; the kill points come from real timing (and from watching the file system), never
from a hook inside the code under test."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image, ImageDraw

from ocop_site.pipeline import builder
from ocop_site.output.folder import (RETIRED_PREFIX, STAGING_PREFIX, OutputError,
    SiteWriter, build_lock, leftovers)

from .conftest import FIXTURE_SITE, REPO, TODAY

EPOCH = str(int(dt.datetime(TODAY.year, TODAY.month, TODAY.day,
                            tzinfo=dt.timezone.utc).timestamp()))
BUILD_TIMEOUT = 600


def tree_digest(folder: Path) -> dict[str, str]:
    """{site path: sha256} of every file: 'byte-for-byte' made comparable."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def debris(parent: Path) -> list[str]:
    """What a killed build may leave beside its output (lock files are meant to stay)."""
    return sorted(p.name for p in parent.iterdir()
                  if p.name.startswith((STAGING_PREFIX, RETIRED_PREFIX)))


def start_build(source: Path, output: Path) -> subprocess.Popen:
    """`python build.py build` as a user runs it, in its own process group."""
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--source", str(source),
         "--output", str(output)],
        cwd=REPO, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=BUILD_TIMEOUT)
    assert process.returncode == 0, err.decode()
    return out.decode()


def build_cli(source: Path, output: Path) -> str:
    return finish(start_build(source, output))


def kill(process: subprocess.Popen) -> bool:
    """SIGKILL the build and everything it started (photo workers).

    True if it was still running, i.e. the kill interrupted it."""
    running = process.poll() is None
    if running:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=BUILD_TIMEOUT)
    return running and process.returncode == -signal.SIGKILL


def wait_for(condition: Callable[[], bool], process: subprocess.Popen,
             timeout: float = BUILD_TIMEOUT) -> None:
    """Poll the file system until `condition` or the build's end."""
    deadline = time.monotonic() + timeout
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)


def scaled_site(target: Path, products: int, title: str) -> Path:
    """The fixture site with `products` more products, so a build takes a while."""
    shutil.copytree(FIXTURE_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    template = (target / "content/products/che-xanh-dong-thinh.md").read_text()
    for index in range(products):
        (target / f"content/products/sp-{index:04d}.md").write_text(template.replace(
            "name: Chè xanh Đồng Thịnh", f"name: Chè xanh số {index}"))
    set_title(target, title)
    return target


def set_title(site: Path, title: str) -> None:
    """Change something every page shows, so the two versions differ in every page."""
    config = site / "site.yaml"
    lines = [f"title: {title}" if line.startswith("title:") else line
             for line in config.read_text().splitlines()]
    config.write_text("\n".join(lines) + "\n")


# -- SiteWriter and build_lock on their own ----------------------------------------------

def test_a_path_is_written_once(tmp_path: Path) -> None:
    with SiteWriter(tmp_path / "public") as writer:
        writer.write("index.html", b"a", "home")
        with pytest.raises(OutputError, match="written twice"):
            writer.write("index.html", b"b", "other")


@pytest.mark.parametrize("spelling", ["xa//index.html", "xa/./index.html",
                                      "xa/b/../index.html"])
def test_a_path_is_written_once_however_it_is_spelt(tmp_path: Path, spelling: str) -> None:
    """A page whose slug came out empty ('xa//') must not replace the list page."""
    with SiteWriter(tmp_path / "public") as writer:
        writer.write("xa/index.html", b"list of communes", "communes")
        with pytest.raises(OutputError, match="written twice"):
            writer.write(spelling, b"one commune", "commune")


@pytest.mark.parametrize("site_path", ["../escape.html", "a/../../escape.html",
                                       "/escape.html"])
def test_nothing_is_written_outside_the_staging_folder(tmp_path: Path, site_path: str) -> None:
    with SiteWriter(tmp_path / "public") as writer:
        with pytest.raises(OutputError, match="outside the site"):
            writer.write(site_path, b"x")
    assert not (tmp_path / "escape.html").exists()


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_folders_made_ahead_are_the_tree_files_claimed_one_by_one_make(
        tmp_path: Path, umask: int) -> None:
    """A new output's folders made in one sorted pass (make_folders) are the folders,
    with the modes (0755, files 0644, whatever the umask), that claiming each file
    makes; a path outside the site is still refused when it is claimed."""
    paths = ["index.html", "san-pham/b/index.html", "en/san-pham/a/index.html",
             "san-pham/a/index.html", "qr/a.svg", "assets/css/site.css"]
    before = os.umask(umask)
    try:
        trees = []
        for ahead in (False, True):
            out = tmp_path / f"public-{ahead}"
            with SiteWriter(out) as writer:
                if ahead:
                    writer.make_folders(paths + ["../escape.html", "/etc/escape"])
                for path in paths:
                    writer.write(path, path.encode())
                with pytest.raises(OutputError, match="outside the site"):
                    writer.write("../escape.html", b"x")
                writer.commit()
            trees.append({p.relative_to(out).as_posix(): (p.is_dir(), p.stat().st_mode & 0o777)
                          for p in sorted(out.rglob("*"))})
    finally:
        os.umask(before)
    assert trees[0] == trees[1]
    assert {mode for is_dir, mode in trees[1].values() if is_dir} == {0o755}
    assert {mode for is_dir, mode in trees[1].values() if not is_dir} == {0o644}
    assert not (tmp_path / "escape.html").exists()


def test_a_failure_inside_the_writer_removes_its_staging_folder(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public/index.html").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with SiteWriter(tmp_path / "public") as writer:
            writer.write("index.html", b"new")
            raise RuntimeError("render failed")
    assert (tmp_path / "public/index.html").read_bytes() == b"old"
    assert debris(tmp_path) == []


def test_commit_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "stale.html").write_bytes(b"gone after the swap")
    (out / "same.html").write_bytes(b"same")
    with SiteWriter(out) as writer:
        writer.write("same.html", b"same")
        writer.write("new/index.html", b"new")
        writer.commit()
    assert tree_digest(out).keys() == {"same.html", "new/index.html"}
    assert (writer.changed, writer.unchanged) == (1, 1)
    assert debris(tmp_path) == []


def test_leftovers_are_only_those_of_this_output(tmp_path: Path) -> None:
    names = [".staging-public-123", ".staging-public-2-456", ".staging-public-x",
             ".retired-public-789", ".retired-public-2-1"]
    for name in names:
        (tmp_path / name).mkdir()
    found = {p.name for p in leftovers(tmp_path / "public", STAGING_PREFIX)}
    found |= {p.name for p in leftovers(tmp_path / "public", RETIRED_PREFIX)}
    assert found == {".staging-public-123", ".retired-public-789"}


def test_the_lock_never_touches_a_live_build_of_a_similarly_named_output(
        tmp_path: Path) -> None:
    """A build into 'public' used to glob '.staging-public-*' and delete the folder a
    concurrent build into 'public-2' was writing."""
    live = tmp_path / ".staging-public-2-99999"
    (live / "san-pham").mkdir(parents=True)
    (live / "san-pham/index.html").write_bytes(b"being written")
    dead = tmp_path / ".staging-public-99998"
    dead.mkdir()
    with build_lock(tmp_path / "public"):
        pass
    assert (live / "san-pham/index.html").read_bytes() == b"being written"
    assert not dead.exists()


def test_a_site_retired_by_a_build_killed_mid_swap_is_put_back(tmp_path: Path) -> None:
    """Without renameat2 the swap is two renames; a kill between them leaves the old
    site under its retired name and no output at all."""
    retired = tmp_path / ".retired-public-4242"
    retired.mkdir()
    (retired / "index.html").write_bytes(b"the published site")
    older = tmp_path / ".retired-public-4241"
    older.mkdir()
    os.utime(older, (1, 1))
    with build_lock(tmp_path / "public"):
        assert (tmp_path / "public/index.html").read_bytes() == b"the published site"
    assert debris(tmp_path) == []


def test_retired_folders_are_cleared_when_the_site_is_in_place(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    (tmp_path / "public/index.html").write_bytes(b"current")
    (tmp_path / ".retired-public-7").mkdir()
    with build_lock(tmp_path / "public"):
        pass
    assert (tmp_path / "public/index.html").read_bytes() == b"current"
    assert debris(tmp_path) == []


# -- killed builds -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A site in two versions (titles A and B), each built once to know its exact bytes."""
    root = tmp_path_factory.mktemp("killed")
    site = scaled_site(root / "site", products=40, title="Phiên bản A")
    build_cli(site, root / "ref-a")
    set_title(site, "Phiên bản B")
    build_cli(site, root / "ref-b")
    set_title(site, "Phiên bản A")
    snapshots = {"A": tree_digest(root / "ref-a"), "B": tree_digest(root / "ref-b")}
    assert snapshots["A"] != snapshots["B"]
    return {"root": root, "site": site, "snapshots": snapshots}


def test_a_build_killed_at_any_moment_leaves_a_whole_site(scaled: dict) -> None:
    """SIGKILL after fixed delays and at moments seen on disk (writing started, search
    index being built, swap done); after each kill the output is exactly the previous
    site or exactly the new one — never a mix — and the next build succeeds and clears
    what the killed one left."""
    root, site, snapshots = scaled["root"], scaled["site"], scaled["snapshots"]
    out = root / "public"
    finish(start_build(site, out))
    assert tree_digest(out) == snapshots["A"]
    current = "A"

    def staging() -> list[Path]:
        return leftovers(out, STAGING_PREFIX)

    def staging_has(name: str) -> Callable[[], bool]:
        return lambda: any((s / name).exists() for s in staging())

    def swapped() -> bool:
        return out.stat().st_ino != inode

    points: list[tuple[str, Callable[[], bool] | None, float]] = [
        ("after 0.05 s", None, 0.05), ("after 0.2 s", None, 0.2), ("after 0.5 s", None, 0.5),
        ("staging created", lambda: bool(staging()), 0.0),
        ("staging + 0.02 s", lambda: bool(staging()), 0.02),
        ("first product page written", staging_has("san-pham/che-xanh-so-0/index.html"), 0.0),
        ("assets being written", staging_has("assets"), 0.0),
        ("search index being built", staging_has("search-index"), 0.0),
        ("swap done", swapped, 0.0),
    ]
    interrupted, mid_write = [], []
    for label, condition, delay in points:
        target = "B" if current == "A" else "A"
        set_title(site, f"Phiên bản {target}")
        inode = out.stat().st_ino
        process = start_build(site, out)
        if condition is not None:
            wait_for(condition, process)
        time.sleep(delay)
        if kill(process):
            interrupted.append(label)
        after = tree_digest(out)
        assert after in (snapshots[current], snapshots[target]), (
            f"killed {label}: the output is neither the previous site nor the new one")
        if debris(out.parent):
            mid_write.append(label)
        # the next build succeeds, is complete and clears the killed build's leftovers
        finish(start_build(site, out))
        assert tree_digest(out) == snapshots[target], f"rebuild after kill {label}"
        assert debris(out.parent) == [], f"leftovers after the build following {label}"
        current = target
    # the test only means something if most kills landed inside a running build, some
    # of them while the staging folder was being filled
    assert len(interrupted) >= len(points) - 2, interrupted
    assert len(mid_write) >= 3, mid_write


def test_the_first_build_killed_leaves_no_output_or_a_whole_one(scaled: dict,
                                                                tmp_path: Path) -> None:
    site, snapshots = scaled["site"], scaled["snapshots"]
    set_title(site, "Phiên bản A")
    out = tmp_path / "public"
    for delay in (0.3, 0.8):
        process = start_build(site, out)
        wait_for(lambda: bool(leftovers(out, STAGING_PREFIX)), process)
        time.sleep(delay)
        kill(process)
        assert not out.exists() or tree_digest(out) == snapshots["A"]
    finish(start_build(site, out))
    assert tree_digest(out) == snapshots["A"]
    assert debris(tmp_path) == []


def test_two_builds_into_one_output_at_once_do_not_mix(scaled: dict, tmp_path: Path) -> None:
    """The lock serialises them: each swap installs one complete site."""
    site_a = tmp_path / "a"
    shutil.copytree(scaled["site"], site_a)
    set_title(site_a, "Phiên bản A")
    site_b = tmp_path / "b"
    shutil.copytree(site_a, site_b)
    set_title(site_b, "Phiên bản B")
    out = tmp_path / "public"
    for _round in range(2):
        first, second = start_build(site_a, out), start_build(site_b, out)
        finish(first)
        finish(second)
        assert tree_digest(out) in (scaled["snapshots"]["A"], scaled["snapshots"]["B"])
        assert debris(tmp_path) == []


def test_two_builds_into_different_outputs_at_once_both_succeed(scaled: dict,
                                                                tmp_path: Path) -> None:
    """'public' and 'public-2' side by side, from one source and one image cache."""
    site = tmp_path / "site"
    shutil.copytree(scaled["site"], site)
    set_title(site, "Phiên bản A")
    outputs = [tmp_path / "public", tmp_path / "public-2"]
    for _round in range(2):
        processes = [start_build(site, out) for out in outputs]
        for process in processes:
            finish(process)
        for out in outputs:
            assert tree_digest(out) == scaled["snapshots"]["A"], out.name
    assert debris(tmp_path) == []


# -- the image cache -------------------------------------------------------------------

def photo(path: Path, seed: int) -> None:
    """A distinct 3-megapixel photo (a gradient and a disc placed by `seed`)."""
    image = Image.linear_gradient("L").resize((2000, 1500)).convert("RGB")
    ImageDraw.Draw(image).ellipse((40 * seed, 30 * seed, 40 * seed + 800, 30 * seed + 600),
                                  fill=(200, 30 + 10 * seed, 40))
    image.save(path, "JPEG", quality=92)


def test_a_build_killed_while_caching_photos_never_serves_a_broken_one(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    product = site / "content/products/che-xanh-dong-thinh.md"
    photos = 8
    refs = "".join(f"  - images/noise-{i}.jpg\n" for i in range(photos))
    for index in range(photos):
        photo(site / f"content/products/images/noise-{index}.jpg", index)
    text = product.read_text()
    product.write_text(text.replace("images:\n", "images:\n" + refs, 1))
    cache = site / ".cache"
    out = tmp_path / "public"

    def cached_files() -> int:
        return sum(1 for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0

    interrupted = 0
    for step in (1, 4, 9):
        before = cached_files()
        process = start_build(site, out)
        # kill once this build has added a few files to the cache: photo workers are
        # encoding and writing the others at that moment
        wait_for(lambda: cached_files() >= before + step, process)
        interrupted += kill(process)
    assert interrupted >= 2
    finish(start_build(site, out))
    served = [p for p in out.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".webp",
                                                                 ".png", ".avif")]
    assert len(served) >= photos * 4
    for path in served:
        with Image.open(path) as image:
            image.load()  # raises on a truncated or half-written file
    # every finished cache file is whole too (temporary files are never served)
    for path in cache.rglob("*"):
        if path.is_file() and not path.name.startswith(".tmp") and path.suffix in (
                ".jpg", ".webp"):
            with Image.open(path) as image:
                image.load()


def test_an_in_process_build_after_a_killed_one(scaled: dict, tmp_path: Path) -> None:
    """The in-process API still works against a folder killed builds have used."""
    out = tmp_path / "public"
    process = start_build(scaled["site"], out)
    wait_for(lambda: bool(leftovers(out, STAGING_PREFIX)), process)
    kill(process)
    result = builder.build(scaled["site"], out, today=TODAY)
    assert result.pages > 40 and debris(tmp_path) == []
