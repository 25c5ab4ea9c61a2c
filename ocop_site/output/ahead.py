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
"""
from __future__ import annotations

import os
import posixpath
import shutil
import signal
from pathlib import Path
from types import TracebackType
from typing import Iterable, Sequence

from ..base.files import write_atomically

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
    """A child process making folders in a staging folder, for the build that holds it
    (a context: leaving it stops the child and removes a staging folder no writer took)."""

    def __init__(self, staging: Path):
        self.staging = staging
        self.names: Sequence[str] = ()
        self._pid: int | None = None
        self._taken = False

    def __enter__(self) -> "FoldersAhead":
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        if self.names and not self._taken:
            shutil.rmtree(self.staging, ignore_errors=True)

    def start(self, names: Sequence[str], chmod: bool) -> None:
        """Make `names` (sorted, relative) in a new staging folder, in a child process;
        nothing when there are none or the folder cannot be made."""
        if not names or not hasattr(os, "fork"):
            return
        try:
            if self.staging.exists():  # a killed build's, whose pid this one has now
                shutil.rmtree(self.staging)
            self.staging.parent.mkdir(parents=True, exist_ok=True)
            self.staging.mkdir()
        except OSError:
            return
        self.names = names
        pid = os.fork()
        if pid == 0:  # the child: folders only, then out without any cleanup of the parent's
            code = 0
            try:
                root = str(self.staging)
                for name in names:
                    os.mkdir(f"{root}/{name}", 0o755)
                    if chmod:
                        os.chmod(f"{root}/{name}", 0o755)
            except BaseException:
                code = 1
            os._exit(code)
        self._pid = pid

    def take(self, staging: Path) -> bool:
        """The writer of `staging` takes the folder (True: started here, keep it)."""
        self._taken = bool(self.names) and staging == self.staging
        return self._taken

    def join(self) -> set[str]:
        """The folders the child made, once it is done; none if it failed (the staging
        folder is then emptied of what it made)."""
        if self._pid is None:
            return set()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if os.waitstatus_to_exitcode(status) == 0:
            return set(self.names)
        for entry in os.scandir(self.staging):
            shutil.rmtree(entry.path, ignore_errors=True)
        return set()

    def stop(self) -> None:
        """The build ends before the child: stopped and waited for."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = None
