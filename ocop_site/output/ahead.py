"""The folders of a new output made ahead, by a child process, while the build loads
and plans.

A build into a new output folder (CI restoring `.cache/`) makes a folder per page before
it places a file: 24,997 at 10,000 products, 40 to 340 µs a `mkdir` on this project's
test machine — seconds of system calls. The last staged output's folders are listed in
`.cache/` (`save_folders`); the next staged build starts a child process that makes them
in its staging folder (`FoldersAhead.start`) while this process reads the content and
plans on the other core. A thread would not do: after each call it waits for the
interpreter's lock, ~200 calls a second beside a busy interpreter.

The staging folder (output/folder.py SiteWriter) waits for the child when it first needs
a folder, removes before the swap the folders this build left empty, and makes the ones
it lacks. If the child fails, its folders are removed and the build makes every folder
itself: the output is the same either way.

The files the output cache has are hard-linked into the staging folder the same way
(`LinksAhead`, from SiteWriter.send_links): a child makes the links while the build
renders what changed, and is waited for before the swap. And after the swap the old
site is removed by a child (`FoldersAhead.remove_later`: 45,800 files, ~5 s on this
disk) while the build saves its state and caches; the build waits for it at its end.
"""
from __future__ import annotations

import functools
import os
import posixpath
import shutil
from pathlib import Path
from types import TracebackType
from typing import Iterable, Sequence

from ..base.children import in_child, stopped, waited
from ..base.files import link_or_copy, write_atomically

LIST_FILE = "output-folders"  # in .cache/: the last staged output's folders, sorted


def read_folders(cache: Path) -> list[str]:
    """The folders the last staged output held, sorted (parents first); [] when the
    list is missing, unreadable or names a folder outside the output."""
    try:
        text = (cache / LIST_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    names = text.split("\n") if text else []
    for name in names:
        if not name or name.startswith("/") or name == ".." or name.startswith("../") \
                or posixpath.normpath(name) != name:
            return []
    return names


def save_folders(cache: Path, folders: Iterable[str], listed: Sequence[str]) -> None:
    """List `folders` for the next build (not rewritten when it is `listed` already)."""
    names = sorted(folders)
    if names != list(listed):
        try:
            write_atomically(cache / LIST_FILE, "\n".join(names).encode("utf-8"))
        except OSError:
            pass  # the next build makes its folders itself


def folder_umask_bites() -> bool:
    """Whether this process's umask takes bits from 0755 (or cannot be read: Linux
    shows it in /proc/self/status; os.umask would change it for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8) & 0o755 != 0
    except (OSError, ValueError, IndexError):
        pass
    return True


class FoldersAhead:
    """A child process making folders in a staging folder, and those removing the old
    site after the swap, for the build that holds it (a context: leaving it stops the
    first, waits for the others, and removes a staging folder no writer took)."""

    def __init__(self, staging: Path):
        self.staging = staging
        self.names: Sequence[str] = ()
        self._pid: int | None = None
        self._taken = False
        self._removing: list[tuple[int, Path]] = []

    def __enter__(self) -> "FoldersAhead":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        for pid, folder in self._removing:
            if not waited(pid):
                shutil.rmtree(folder, ignore_errors=True)
        self._removing = []
        if self.names and not self._taken:
            shutil.rmtree(self.staging, ignore_errors=True)

    def remove_later(self, folder: Path) -> None:
        """`folder` (the old site, swapped out) removed by a child process while the
        build goes on; waited for when the build ends."""
        pid = in_child(functools.partial(shutil.rmtree, folder, ignore_errors=True))
        if pid is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            self._removing.append((pid, folder))

    def start(self, names: Sequence[str], chmod: bool) -> None:
        """Make `names` (sorted, relative) in a new staging folder, in a child process;
        nothing when there are none or the folder cannot be made."""
        if not names:
            return
        try:
            if self.staging.exists():  # a killed build's, whose pid this one has now
                shutil.rmtree(self.staging)
            self.staging.parent.mkdir(parents=True, exist_ok=True)
            self.staging.mkdir()
        except OSError:
            return
        self.names = names
        root = str(self.staging)

        def make() -> None:
            for name in names:
                os.mkdir(f"{root}/{name}", 0o755)
                if chmod:
                    os.chmod(f"{root}/{name}", 0o755)
        self._pid = in_child(make)

    def take(self, staging: Path) -> bool:
        """The writer of `staging` takes the folder (True: started here, keep it)."""
        self._taken = bool(self.names) and staging == self.staging
        return self._taken

    def join(self) -> set[str]:
        """The folders the child made, once it is done; none if it failed (the staging
        folder is then emptied of what it made)."""
        if self._pid is None:
            return set()
        made = waited(self._pid)
        self._pid = None
        if made:
            return set(self.names)
        for entry in os.scandir(self.staging):
            shutil.rmtree(entry.path, ignore_errors=True)
        return set()

    def stop(self) -> None:
        """The build ends before the child: stopped and waited for."""
        if self._pid is not None:
            stopped(self._pid)
            self._pid = None


class LinksAhead:
    """Hard links into a staging folder made by a child process while the build goes
    on (the files the output cache had: 45,000 at 10,000 products after one edit), the
    ones a failed child left undone made here when they are waited for."""

    def __init__(self, links: list[tuple[str, str]]):
        self.links = links  # (blob, target)
        self._pid = in_child(functools.partial(link_all, links, False))
        if self._pid is None:
            link_all(links, False)

    def join(self) -> None:
        if self._pid is not None and not waited(self._pid):
            link_all(self.links, True)
        self._pid = None

    def stop(self) -> None:
        if self._pid is not None:
            stopped(self._pid)
            self._pid = None


def link_all(links: Iterable[tuple[str, str]], again: bool) -> None:
    """Each blob hard-linked at its target (copied across file systems); `again`: a
    target already there (a failed child's link of the same blob) is left."""
    for blob, target in links:
        try:
            os.link(blob, target)
        except FileExistsError:
            if not again:
                raise
        except OSError:
            link_or_copy(Path(blob), Path(target))
