"""Build the site aside, then swap it in whole.

A failed or killed build never leaves a half-written site: files go into a staging
folder beside the output, and only a complete staging folder replaces the output.
Files whose bytes did not change are hard-linked from the previous output, so their
modification times survive (rsync and CDNs upload only what changed).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import posixpath
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..base.files import link_or_copy
from ..errors import SetupError
from .ahead import FoldersAhead, LinksAhead, folder_umask_bites, link_all

STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"
LINKS_IN_CHILD = 2000  # links from the cache made by a child process when this many wait


class OutputError(SetupError):
    """A problem with the output folder itself (not the content)."""


def staging_path(output: Path) -> Path:
    """The staging folder of this process's build of `output`, beside it."""
    output = output.resolve()
    return output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"


class SiteWriter:
    """Collects the files of one build in a staging folder; each path written once.
    `ahead`: the staging folder made already, its folders being made by a child process
    (output/ahead.py), waited for when a file first needs a folder."""

    def __init__(self, output: Path, ahead: FoldersAhead | None = None):
        self.output = output.resolve()
        self.parent = self.output.parent
        self.staging = staging_path(self.output)
        self.written: dict[str, str] = {}  # site path → who wrote it
        self.changed = 0
        self.unchanged = 0
        self._folders: set[str] = set()  # folders of the staging tree already made
        self.folders_used: set[str] = set()  # those holding a file, once committed
        # mkdir(…, 0o755) gives 0755 unless the umask takes bits away: chmod only then
        self._chmod_folders = folder_umask_bites()
        self._ahead = ahead  # its folders waited for once (`_join_ahead`), then its removal
        self._folders_pending = False
        self._links: list[tuple[str, str]] = []  # (blob, target): placed by `send_links`
        self._linking: list[LinksAhead] = []

    def __enter__(self) -> "SiteWriter":
        check_output_folder(self.output)  # before the build, not at the swap after it
        self.parent.mkdir(parents=True, exist_ok=True)
        self._folders_pending = self._ahead is not None and self._ahead.take(self.staging)
        if not self._folders_pending:
            if self.staging.exists():
                shutil.rmtree(self.staging)
            self.staging.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            if self._folders_pending and self._ahead is not None:
                self._ahead.stop()
            for links in self._linking:
                links.stop()
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)

    def _join_ahead(self) -> None:
        """The folders the child process made, now there (or, if it failed, none)."""
        if self._folders_pending and self._ahead is not None:
            self._folders |= self._ahead.join()
            self._folders_pending = False

    def _target(self, site_path: str, writer: str) -> Path:
        # `key` is normalised and relative, and the staging folder is this build's own,
        # made empty and holding no symbolic links (nothing here makes any), so the
        # target is inside it without resolving it on disk (a dozen system calls a file)
        return Path(f"{self.staging}/{self._claim(site_path, writer)}")  # one parse

    def _claim(self, site_path: str, writer: str) -> str:
        """The normalised site path, reserved for `writer`, its folder made."""
        # 'xa//index.html' and 'xa/./index.html' are the file 'xa/index.html': compare
        # the file, so a page made from an empty slug cannot silently replace another
        key = posixpath.normpath(site_path)
        if self._folders_pending:
            self._join_ahead()
        if site_path.startswith("/") or key == ".." or key.startswith("../"):
            raise OutputError(f"refusing to write outside the site: {site_path}",
                              f"không ghi ra ngoài thư mục trang: {site_path}")
        if key in self.written:
            raise OutputError(f"{site_path} written twice (by {self.written[key]} and "
                              f"{writer})",
                              f"{site_path} bị ghi hai lần ({self.written[key]} và {writer})")
        self.written[key] = writer
        folder = posixpath.dirname(key)
        if folder not in self._folders:
            self._make_folders(folder)
        return key

    def _make_folders(self, folder: str) -> None:
        """`folder` and its missing parents, readable by a web server whatever the umask
        (files get 0644 as they are made: no walk over the tree at the end)."""
        missing = []
        while folder and folder not in self._folders:
            missing.append(folder)
            folder = posixpath.dirname(folder)
        for name in reversed(missing):
            path = f"{self.staging}/{name}"
            try:
                os.mkdir(path, 0o755)
                if self._chmod_folders:
                    os.chmod(path, 0o755)
            except FileExistsError:
                pass
            self._folders.add(name)

    def make_folders(self, site_paths: Iterable[str]) -> None:
        """Every folder the files at `site_paths` will be in, made now in one sorted pass
        (parents first, siblings together) rather than one by one as files are claimed:
        the staging folder is this build's own, and holds only what `ahead` made."""
        self._join_ahead()
        wanted: set[str] = set()
        for site_path in site_paths:
            folder = posixpath.dirname(posixpath.normpath(site_path))
            while folder and folder not in wanted:
                wanted.add(folder)
                folder = posixpath.dirname(folder)
        for name in sorted(wanted - self._folders):
            if name.startswith("..") or name.startswith("/"):
                continue  # refused with its file, when it is claimed
            path = f"{self.staging}/{name}"
            os.mkdir(path, 0o755)
            if self._chmod_folders:
                os.chmod(path, 0o755)
            self._folders.add(name)

    def write(self, site_path: str, data: bytes, writer: str = "page") -> None:
        self.count(self.place(self._target(site_path, writer), site_path, data))

    def claim(self, site_path: str, writer: str = "page") -> None:
        """Reserve `site_path` for a file that `place` will write later, possibly in a
        worker process (the one-path-one-writer guard runs here, in the builder)."""
        self._claim(site_path, writer)

    def place(self, target: Path, site_path: str, data: bytes) -> bool:
        """Write a claimed file; an unchanged one is hard-linked from the previous output
        (keeping its mtime). Touches nothing but the file: safe in a worker process.
        Returns whether the bytes changed."""
        previous = self.output / site_path
        try:
            if previous.stat().st_size == len(data) and previous.read_bytes() == data:
                os.link(previous, target)
                return False
        except OSError:
            pass
        with open(target, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), 0o644)
        return True

    def place_blob(self, site_path: str, blob: str) -> None:
        """Put a stored blob at a claimed path, by hard link (a copy across file
        systems), when `send_links` is called: a child process makes many while the
        build goes on. Strings, not Paths: 65,000 a build at 10,000 products."""
        self._links.append((blob, f"{self.staging}/{posixpath.normpath(site_path)}"))

    def send_links(self) -> None:
        """The links `place_blob` noted: made by a child process when there are many
        (waited for before the swap), else here and now."""
        links, self._links = self._links, []
        if len(links) >= LINKS_IN_CHILD:
            self._linking.append(LinksAhead(links))
        else:
            link_all(links, again=False)

    def _join_links(self) -> None:
        self.send_links()
        for links in self._linking:
            links.join()
        self._linking = []

    def new_file(self, site_path: str) -> Path:
        """Where a file made for a claimed path is created: the path itself."""
        return self.staging / posixpath.normpath(site_path)

    def settle(self, site_path: str, made: Path) -> None:
        """Nothing to do: the file was made where it belongs."""

    def count(self, changed: bool) -> None:
        if changed:
            self.changed += 1
        else:
            self.unchanged += 1

    def copy(self, site_path: str, source: Path, writer: str = "asset") -> None:
        """Place a file by hard link when possible (cache → site costs no copying)."""
        target = self._target(site_path, writer)
        previous = self.output / site_path
        try:
            if previous.samefile(source):
                os.link(previous, target)
                self.unchanged += 1
                return
        except OSError:
            pass
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        os.chmod(target, 0o644)  # a cache file made 0600: the web server must read it
        self.changed += 1

    def _prune(self) -> None:
        """The folders that hold no file (made ahead for the last build's files, not
        this one's) removed, deepest first: the output is what a build without them
        makes. Every link is made by then."""
        self._join_ahead()
        self._join_links()
        used: set[str] = set()
        for key in self.written:
            folder = posixpath.dirname(key)
            while folder and folder not in used:
                used.add(folder)
                folder = posixpath.dirname(folder)
        for name in sorted(self._folders - used, reverse=True):
            try:
                os.rmdir(f"{self.staging}/{name}")
            except OSError:
                pass
        self._folders = self.folders_used = used

    def commit(self) -> None:
        """Swap the staging folder in for the output (atomically where the OS allows).
        Every file and folder was made readable by a web server as it was placed."""
        self._prune()
        os.chmod(self.staging, 0o755)
        if not self.output.exists():
            os.rename(self.staging, self.output)
            return
        check_output_folder(self.output)
        if _exchange(self.staging, self.output):
            self._remove(self.staging)  # now holds the old site
            return
        retired = self.parent / f"{RETIRED_PREFIX}{self.output.name}-{os.getpid()}"
        os.rename(self.output, retired)
        os.rename(self.staging, self.output)
        self._remove(retired)

    def _remove(self, old_site: Path) -> None:
        """The old site, swapped out: by a child process while the build saves its
        state and caches (output/ahead.py), or now."""
        if self._ahead is not None:
            self._ahead.remove_later(old_site)
        else:
            shutil.rmtree(old_site, ignore_errors=True)


class LiveWriter(SiteWriter):
    """Updates an output folder in place, for `serve`: each file whose blob changed is
    replaced whole (a link under a temporary name, then os.replace), so a browser never
    reads half a page; files no longer made are removed. A build that stops half way
    leaves every file whole, some old and some new: serve's next build puts it right
    (and a CLI build always goes through a staging folder instead)."""

    def __init__(self, output: Path, current: Mapping[str, str]):
        super().__init__(output)
        self.staging = self.output  # claims and workers place files in the output itself
        self.current = dict(current)  # site path → blob name now in the output

    def __enter__(self) -> "LiveWriter":
        self.output.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def make_folders(self, site_paths: Iterable[str]) -> None:
        """Nothing ahead: the output's folders exist already; missing ones are made as
        their files are claimed."""

    def adopt(self, site_paths: Iterable[str], writer: str) -> bool:
        """Claim files the output holds already and keeps as they are (serve's outputs
        that the dependency graph says no edit reached): no folder, link or stat, only
        the one-path-one-writer guard. False, and nothing claimed, when a path is not
        one the last build placed under that very name."""
        paths = tuple(site_paths)
        if not all(self._adoptable(path) for path in paths):
            return False
        for path in paths:
            self.written[path] = writer
        self.unchanged += len(paths)
        return True

    def adopt_one(self, site_path: str, writer: str) -> bool:
        """`adopt` of one path (most jobs have one file): no tuple made, no loop."""
        if not self._adoptable(site_path):
            return False
        self.written[site_path] = writer
        self.unchanged += 1
        return True

    def _adoptable(self, site_path: str) -> bool:
        """The last build placed `site_path` under this very name, and no one has
        claimed it in this build."""
        return site_path in self.current and site_path not in self.written \
            and posixpath.normpath(site_path) == site_path

    def place_blob(self, site_path: str, blob: str | Path) -> None:
        blob = Path(blob)
        target = self.output / posixpath.normpath(site_path)
        try:
            if os.path.samefile(target, blob):
                return
        except OSError:
            pass
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            temporary.unlink(missing_ok=True)
            link_or_copy(blob, temporary)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def new_file(self, site_path: str) -> Path:
        """A file made for the output is created under a temporary name beside its
        place, then `settle` replaces the old one with it in one rename."""
        target = self.output / posixpath.normpath(site_path)
        made = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        made.unlink(missing_ok=True)
        return made

    def settle(self, site_path: str, made: Path) -> None:
        target = self.output / posixpath.normpath(site_path)
        try:
            same = os.path.samefile(made, target)
        except OSError:
            same = False
        if same:  # rename() between two links of one file does nothing: drop the spare
            made.unlink()
        else:
            os.replace(made, target)

    def copy(self, site_path: str, source: Path, writer: str = "asset") -> None:
        target = self._target(site_path, writer)
        try:
            if os.path.samefile(target, source):
                self.unchanged += 1
                return
        except OSError:
            pass
        self.place_blob(site_path, source)
        os.chmod(target, 0o644)
        self.changed += 1

    def remove_others(self) -> None:
        """Delete what the last build made and this one did not (a product now a draft,
        a list now shorter), and the folders that leaves empty."""
        for site_path in sorted(set(self.current) - set(self.written)):
            path = self.output / site_path
            try:
                path.unlink()
            except OSError:
                continue
            folder = path.parent
            while folder != self.output and folder.is_relative_to(self.output):
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent

    def commit(self) -> None:
        """Nothing to swap: every file was replaced where it stands."""


def check_output_folder(output: Path) -> None:
    """The output may be missing (it is made) or a folder; a file there is never replaced."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"the output folder {output} is a file; move it away or choose "
                          "another --output",
                          f"thư mục kết quả {output} là một tệp; hãy chuyển tệp đi hoặc "
                          "chọn --output khác")


def shown_output_path(filename: str | os.PathLike | None, output: Path, given: str) -> str:
    """A path named by an OSError, as the person knows it: anything in this build's
    staging or retired folder, or in the output, is `given` (the --output they typed)."""
    if filename is None:
        return given
    path = Path(os.fsdecode(filename))
    output = output.resolve()
    try:
        first = path.relative_to(output.parent).parts[0]
    except (ValueError, IndexError):
        return str(path)
    name = output.name
    if first == name or first.startswith((f"{STAGING_PREFIX}{name}-",
                                          f"{RETIRED_PREFIX}{name}-")):
        return given
    return str(path)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two folders with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def leftovers(output: Path, prefix: str) -> list[Path]:
    """Folders a killed build of exactly `output` left beside it, oldest first.

    The name must be prefix + output name + '-' + a pid: a plain glob for 'public-*'
    would also match the live staging folder of a concurrent build into 'public-2'.
    """
    start = f"{prefix}{output.name}-"
    found = [p for p in output.parent.iterdir()
             if p.name.startswith(start) and p.name[len(start):].isdigit()]
    return sorted(found, key=lambda p: (p.lstat().st_mtime_ns, p.name))


def recover(output: Path) -> None:
    """Clear what killed builds left; put the old site back if one died mid-swap.

    Where renameat2 is missing, commit() renames output → retired, then staging → output:
    a kill between the two leaves no output, and the retired folder is the site.
    """
    retired = leftovers(output, RETIRED_PREFIX)
    if retired and not os.path.lexists(output):
        os.rename(retired.pop(), output)
    for leftover in leftovers(output, STAGING_PREFIX) + retired:
        shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """One build per output folder at a time; leftovers of killed builds are cleared.
    A build that has to wait says so on standard error (else it would look hung)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {output} to finish (Ctrl+C to stop) / "
                  f"đang chờ lần tạo trang khác vào {output} xong (Ctrl+C để dừng)",
                  file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            recover(output)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
