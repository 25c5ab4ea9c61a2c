"""The files a build reads, walked one way, and one signature that says a file changed.

One walk (`scan`) serves the build's stamp (pipeline/buildstate.py: a build that would change
nothing is skipped), the builder's memory for serve (which files changed since the last
build) and serve's watcher (a save starts a rebuild); the asset list (site/assets.py) walks
the same way. One `signature` — size, mtime, ctime, inode — tells the content cache
(content/cache.py) and the photo index (images/photos.py) that a file may hold other bytes, so
"changed" means the same everywhere.

Ignored everywhere: names that start with '.' (.git, .cache, an editor's .x.md.swp)
and editors' swap and backup files (x~, #x#, x.swp, x.swx, x.tmp). The build reads none
of them either — the readers list `*.md` without dot files, no asset of such a name is
published, a photo may not be one (content/readers/checks.py) — so a stamp without them
cannot skip a build that would have changed something, and an editor writing its swap
file starts no rebuild.

Kept light (the standard library only): the CLI's no-change path imports it.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .version import PACKAGE_ROOT  # where the theme's templates, assets and strings are

SITE_INPUTS = ("site.yaml", "content", "templates", "assets", "i18n")
THEME_INPUTS = ("templates", "assets", "i18n")  # the package's own files: base/version.py
_BACKUP_SUFFIXES = ("~", ".swp", ".swx", ".tmp")

Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
Scan = Mapping[str, Signature]  # path → signature of every file under the roots
MISSING: Signature = (-1, 0, 0, 0)  # a root that does not exist: creating it counts
FOLDER: Signature = (0, 0, 0, 0)  # a root that is a folder (its files are listed)


def signature(st: os.stat_result) -> Signature:
    """Changes whenever the file's bytes may have: an edit moves mtime and ctime, a
    replacement (save by rename, git checkout) the inode, a truncation the size."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def ignored(name: str) -> bool:
    """A hidden file or folder, or an editor's swap or backup file: no input of a build."""
    return name.startswith(".") or name.endswith(_BACKUP_SUFFIXES) or (
        len(name) > 1 and name.startswith("#") and name.endswith("#"))


def input_roots(source: Path) -> tuple[Path, ...]:
    """Every file or folder a build reads (missing ones included, so creating one counts):
    the site's site.yaml, content, templates, assets and i18n, then the theme's."""
    roots = [source / name for name in SITE_INPUTS]
    roots += [PACKAGE_ROOT / name for name in THEME_INPUTS]
    unique: list[Path] = []
    for root in roots:
        root = Path(os.path.abspath(root))
        if root not in unique:
            unique.append(root)
    return tuple(unique)


def scan(roots: Iterable[Path]) -> dict[str, Signature]:
    """path → signature of every file under `roots` that is not ignored, through links
    as the build reads them; a root itself is MISSING or FOLDER, or a file's signature."""
    found: dict[str, Signature] = {}
    for root in roots:
        try:
            st = os.stat(root)
        except OSError:
            found[str(root)] = MISSING
            continue
        if stat.S_ISDIR(st.st_mode):
            found[str(root)] = FOLDER
            found.update((path, signature(st)) for path, st in _walk(str(root), st))
        else:
            found[str(root)] = signature(st)
    return found


def rescan(before: Scan, paths: Iterable[str]) -> dict[str, Signature] | None:
    """`before` with only `paths` (absolute, as `scan` names them) looked at again: what
    `scan` finds now if nothing else changed (serve passes the paths its watcher heard,
    under the roots and not ignored, and checks afterwards with a full scan). None when
    that cannot be told from the paths alone (a folder among them, or gone with files
    below it): scan then."""
    after = dict(before)
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            if path not in before and any(p.startswith(path + os.sep) for p in before):
                return None  # a folder gone, and its files with it
            after.pop(path, None)
            continue
        if stat.S_ISDIR(st.st_mode):
            return None
        after[path] = signature(st)
    return after


def files_under(folder: Path) -> list[Path]:
    """The files `scan` sees under `folder`, sorted."""
    try:
        st = os.stat(folder)
    except OSError:
        return []
    if not stat.S_ISDIR(st.st_mode):
        return []
    return sorted(Path(path) for path, _ in _walk(str(folder), st))


def changed(before: Scan, after: Scan) -> list[str]:
    """Paths added, removed or changed between two scans, sorted."""
    return sorted(path for path in before.keys() | after.keys()
                  if before.get(path) != after.get(path))


def _walk(folder: str, folder_stat: os.stat_result) -> Iterator[tuple[str, os.stat_result]]:
    """(path, stat) of every file below `folder`, skipping ignored names and any folder
    seen already (a link back up the tree is walked once, not forever)."""
    seen = {(folder_stat.st_dev, folder_stat.st_ino)}
    pending = [folder]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                listed = [entry for entry in entries if not ignored(entry.name)]
        except OSError:  # removed, or not readable, while we looked
            continue
        for entry in listed:
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError:  # removed while we looked, or a broken link
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) not in seen:
                    seen.add((st.st_dev, st.st_ino))
                    pending.append(entry.path)
            else:
                yield entry.path, st
