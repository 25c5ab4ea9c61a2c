"""Child processes for system calls beside the build: forked, so they start at once
with what the parent holds (a folder list, a manifest) and need nothing sent. Work that
is all system calls (mkdir, link, stat, unlink) gains from the second core only this way:
a thread waits for the interpreter's lock after each call (output/ahead.py)."""
from __future__ import annotations

import os
import signal
from typing import Callable


def in_child(work: Callable[[], None]) -> int | None:
    """`work` run in a forked child process: its pid (None: this system cannot fork,
    or not now: the caller does the work itself). The child leaves with 0 when `work`
    returned, 1 when it raised, skipping every clean-up of the parent's (buffers,
    temporary files, exit handlers)."""
    if not hasattr(os, "fork"):
        return None
    try:
        pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM)
        return None
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def waited(pid: int) -> bool:
    """Whether the child `pid` did its work, once it is done."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def stopped(pid: int) -> None:
    """The child `pid` stopped and reaped."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
