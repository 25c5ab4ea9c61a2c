"""Hearing saves: serve's trigger for a rebuild. The folders a build reads are watched
through the file system's events (inotify on Linux, through watchfiles), so a save is
heard at once instead of at the next poll of tens of thousands of files; a short quiet
period makes a burst of saves one rebuild."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..base.inputs import ignored, scan

# rebuild once no save has been heard for this long: a burst of saves (an editor saving
# every open file, a git checkout: milliseconds apart) is one rebuild, and a single save
# starts its rebuild within 50 ms (issue 30), HEARD_MS included
QUIET_MS = 45
BURST_MS = 1600  # ... or once a burst of saves has lasted this long
HEARD_MS = 5  # how soon after a file-system event the watcher hears of it


def watch_sources(roots: Sequence[Path], rebuild: Callable[[frozenset[str] | None], None],
                  stop: threading.Event, quiet_ms: int = QUIET_MS) -> None:
    """Call `rebuild` after each save under `roots` (or a burst of them), until `stop`,
    with the paths heard changing (None: not known, look at every input).

    Folders are watched through the file system's events (inotify on Linux, through
    watchfiles): a save is heard at once, and `quiet_ms` without another one starts the
    rebuild (a burst is one rebuild, at most BURST_MS late). The roots that are files
    (site.yaml) or do not exist yet are looked at every quiet period; a root folder
    that appears or goes is watched from then on. Only what a build reads counts: no
    dot file, no editor's swap file. What is saved while a rebuild runs is heard by
    the next one. Once the folders are watched, `rebuild` is called once anyway."""
    import watchfiles

    def counts(_change: object, path: str) -> bool:
        for folder in folders:
            if path.startswith(folder + os.sep):
                return not any(ignored(part) for part in path[len(folder) + 1:].split(os.sep))
        return False

    # when the first save of a burst not yet built was heard; at first, now: what was
    # saved after the last build but before the folders were watched is built once
    # they are (a build that finds nothing changed does nothing)
    heard = time.monotonic()
    paths: set[str] | None = None  # heard since the last rebuild; None: not known
    while not stop.is_set():
        folders = tuple(str(root) for root in roots if root.is_dir())
        others = scan(root for root in roots if not root.is_dir())
        # each call of watchfiles' watcher returns what it heard (within a few ms of
        # the first event) or, after `quiet_ms` of silence, nothing: the quiet period is
        # counted here, since a save repeated to the same file is no "new" change there
        events = watchfiles.watch(
            *folders, watch_filter=counts, step=HEARD_MS, rust_timeout=quiet_ms,
            yield_on_timeout=True, stop_event=stop, raise_interrupt=False) \
            if folders else _ticks(stop, quiet_ms)
        for changes in events:
            now = scan(root for root in roots if not root.is_dir())
            if now != others:
                others, paths = now, None  # a root file: look at everything
                changes = {("root", "")}
            elif changes and paths is not None:
                paths.update(path for _change, path in changes)
            if changes and not heard:
                heard = time.monotonic()
            if heard and (not changes or time.monotonic() - heard > BURST_MS / 1000):
                heard = 0.0
                told, paths = paths, set()
                rebuild(frozenset(told) if told is not None else None)
            if tuple(str(r) for r in roots if r.is_dir()) != folders:
                # a root folder came or went: watch the new set, and build once it is
                # watched (what was written in it meanwhile is read then)
                heard = heard or time.monotonic()
                paths = None
                break


def _ticks(stop: threading.Event, quiet_ms: int) -> Iterator[set]:
    """No folder to watch: look at the other roots every quiet period."""
    while not stop.wait(quiet_ms / 1000):
        yield set()
