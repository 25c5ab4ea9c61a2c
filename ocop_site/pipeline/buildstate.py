"""What the last build of an output was made from, so a build that would change nothing
is skipped, and the search index is reused when its records did not change.

The *stamp* of a build is a hash of everything that can change its output without
being read: every source file's size, times and inode (site.yaml, content, templates,
assets and interface strings, the site's and the theme's), the build options, the build
date, the project's code and the versions of the libraries that shape the output. When
the stamp equals the last build's and the output is still exactly what that build left
(every file's size, mtime and inode, compared with the manifest taken after the swap),
the output is already what a build would make: the build stops there. A file edited or
deleted by hand in the output, a moved output, a new day (certificates expire) or any
source change means a full build.

The state lives beside the output (`.<name>.state`), never inside it, so it is never
published; it is replaced atomically, and a missing or unreadable one means "build".
It is JSON, not pickle: it sits beside the output, often in the repository's folder,
where a pull request could put a file of its own; reading JSON runs no code.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from ..base.children import in_child, stopped, waited
from ..base.files import write_atomically

# the one walk of the inputs (base/inputs.py), by the names the builder imports from here
from ..base.inputs import input_roots
from ..base.inputs import scan as source_stats
from ..base.version import code_digest, library_versions
from ..errors import ContentError

FORMAT = "3"  # 2: JSON; 3: with each file's blob in the output cache
# libraries whose version can change the bytes of the output
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "pyyaml", "pillow", "pillow-heif",
             "zxing-cpp")

# site path → [size, mtime_ns, inode]: lists, as JSON reads them back, so the manifest of
# the last build compares with a scan of the output as it is read (no 45,000 conversions)
Manifest = Mapping[str, list[int]]
# a manifest of at least this many files is checked by two processes (`matches`)
CHECK_IN_TWO = 8_000


def input_stamp(source: Path, options: Mapping[str, object], version: str | None = None,
                scan: Mapping[str, tuple[int, int, int, int]] | None = None) -> str:
    """Hash of the sources' stats (`scan`: taken already, else taken now), the build
    options (base URL, date) and the version of the code and libraries (`version`
    defaults to `project_version()`)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{FORMAT}\0{version if version is not None else project_version()}\0"
                  .encode())
    for key in sorted(options):
        digest.update(f"{key}={options[key]!r}\0".encode())
    if scan is None:
        scan = source_stats(input_roots(source.resolve()))
    for path, stats in sorted(scan.items()):
        digest.update(f"{path}\0{stats}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def project_version() -> str:
    """The project's code (every source file) and the output-shaping libraries."""
    return f"{code_digest()}:{library_versions(LIBRARIES)}"


def build_options(base_url: str | None, today: dt.date, search: bool | str = True,
                  local_cms: bool = False) -> dict[str, object]:
    """The options of builder.build that change its output (`search`: True, False, or
    'later' for serve's builds that leave the index to a second step)."""
    return {"base_url": base_url, "today": today.isoformat(), "search": search,
            "local_cms": local_cms}


# -- the output ------------------------------------------------------------------------
def scan_output(output: Path, expected: Iterable[str] = ()) -> dict[str, list[int]]:
    """site path → [size, mtime_ns, inode] of every file in the output ({} when it
    cannot be read). `expected`: the files the caller put there (a build's), which
    balance the work when there are CHECK_IN_TWO or more: half the output's top-level
    entries are scanned by a child process, which sends what it found back."""
    entries = _top_entries(output)
    if entries is None:
        return {}
    base = len(str(output)) + 1
    tops = _files_by_top(expected)
    if sum(tops.values()) < CHECK_IN_TWO:
        return _scan(entries, base) or {}
    mine, theirs = _halves(entries, tops)[0]
    reading, writing = os.pipe()  # the child writes what it found, this process reads

    def send() -> None:
        found = _scan(theirs, base)
        if found is None:
            raise OSError("the output changed while it was scanned")
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(marshal.dumps(found))
    pid = in_child(send)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        if pid is None:
            return _scan(entries, base) or {}
        found = _scan(mine, base)
        sent = pipe.read()
    # what the child could not do, done here
    rest = marshal.loads(sent) if waited(pid) else _scan(theirs, base)
    if found is None or rest is None:
        return {}
    found.update(rest)
    return found


def _top_entries(output: Path) -> list[os.DirEntry[str]] | None:
    try:
        with os.scandir(output) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return None


def _files_by_top(paths: Iterable[str]) -> dict[str, int]:
    """A top-level name → how many of `paths` are in it (or are it)."""
    tops: dict[str, int] = {}
    for path in paths:
        top = path.partition(os.sep)[0]
        tops[top] = tops.get(top, 0) + 1
    return tops


def _halves(entries: list[os.DirEntry[str]], tops: Mapping[str, int]
            ) -> tuple[tuple[list[os.DirEntry[str]], list[os.DirEntry[str]]], list[int]]:
    """`entries` in two lists of about as many files by `tops`, and their counts."""
    halves: tuple[list[os.DirEntry[str]], list[os.DirEntry[str]]] = ([], [])
    counts = [0, 0]
    for entry in sorted(entries, key=lambda entry: -tops.get(entry.name, 0)):
        lighter = 0 if counts[0] <= counts[1] else 1
        halves[lighter].append(entry)
        counts[lighter] += tops.get(entry.name, 0)
    return halves, counts


def _scan(entries: list[os.DirEntry[str]], base: int) -> dict[str, list[int]] | None:
    """scan_output of the files under `entries` (None: one could not be read)."""
    try:
        return dict(_files(entries, base))
    except OSError:
        return None


def _files(entries: list[os.DirEntry[str]], base: int) -> Iterator[tuple[str, list[int]]]:
    """(site path, [size, mtime_ns, inode]) of each file under `entries`, the first
    `base` characters of its path cut; OSError when one cannot be read."""
    pending = list(entries)
    while pending:
        entry = pending.pop()
        if entry.is_dir(follow_symlinks=False):
            with os.scandir(entry.path) as listing:
                pending.extend(listing)
            continue
        st = entry.stat(follow_symlinks=False)
        yield entry.path[base:], [st.st_size, st.st_mtime_ns, st.st_ino]


@dataclass(frozen=True)
class BuildState:
    """What the last successful build of an output was made from and what it wrote."""

    stamp: str
    manifest: Manifest
    pages: int
    warnings: tuple[ContentError, ...] = ()
    # site path → name of its blob in the output cache (output/cache.py), for the files
    # the build made (photos are linked from the image cache and not listed)
    blobs: Mapping[str, str] = dataclasses.field(default_factory=dict)


def state_path(output: Path) -> Path:
    output = output.resolve()
    return output.parent / f".{output.name}.state"


def read_state(output: Path, stamp: str | None = None) -> BuildState | None:
    """The last build's state; None when there is none, it cannot be read, or (`stamp`
    given: a build with nothing to do is being looked for) it is of other inputs — its
    files' blobs are then left out. The manifest is taken as JSON gives it: one that is
    not a scan's never equals one."""
    try:
        data = json.loads(state_path(output).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or (stamp is not None and data["stamp"] != stamp):
            return None
        manifest = data["manifest"]
        if not isinstance(manifest, dict):
            return None
        return BuildState(
            stamp=str(data["stamp"]),
            manifest=manifest,
            pages=int(data["pages"]),
            warnings=tuple(_warning(w) for w in data["warnings"]),
            blobs={} if stamp is not None
            else {str(k): str(v) for k, v in data["blobs"].items()})
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _warning(fields: Sequence[Any]) -> ContentError:
    """A warning as write_state lists it: path, line, field, the two messages, severity."""
    path, line, field, message_en, message_vi, *severity = fields
    return ContentError(str(path), int(line), str(field), str(message_en), str(message_vi),
                        *map(str, severity))


def write_state(output: Path, state: BuildState) -> None:
    path = state_path(output)
    data = {"format": FORMAT, "stamp": state.stamp, "manifest": dict(state.manifest),
            "pages": state.pages, "blobs": dict(state.blobs),
            "warnings": [[w.path, w.line, w.field, w.message_en, w.message_vi, w.severity]
                         for w in state.warnings]}
    try:
        write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8"), prefix=f".{path.name}-")
    except OSError:
        forget(output)  # a stale state must never survive: without one, we build


def forget(output: Path) -> None:
    try:
        state_path(output).unlink()
    except OSError:
        pass


def unchanged(output: Path, stamp: str) -> BuildState | None:
    """The last build's state if it was made from exactly these inputs and the output
    is still what it wrote; None means: build."""
    state = read_state(output, stamp)
    if state is None or not output.is_dir():
        return None
    if not matches(output.resolve(), state.manifest):
        return None
    return state


def matches(output: Path, manifest: Manifest) -> bool:
    """Whether the output holds exactly the files of `manifest`, each with its stats:
    what `scan_output(output) == manifest` says, from the same system calls, split in
    two by the output's top-level entries (balanced by their files in the manifest),
    one half checked by a child process when there are CHECK_IN_TWO files or more — at
    10,000 products 45,800 files in 25,000 folders, ~0.4 s of system calls for one."""
    entries = _top_entries(output)
    if entries is None:
        return False
    tops = _files_by_top(manifest)
    if sum(tops.get(entry.name, 0) for entry in entries) != len(manifest):
        return False  # a file's top-level folder is gone
    base = len(str(output)) + 1
    if len(manifest) < CHECK_IN_TWO:
        return _files_match(entries, manifest, base, len(manifest))
    halves, counts = _halves(entries, tops)

    def theirs() -> None:
        if not _files_match(halves[1], manifest, base, counts[1]):
            raise ValueError("the output differs")  # the child's exit code says it
    pid = in_child(theirs)
    if pid is None:
        return _files_match(entries, manifest, base, len(manifest))
    if not _files_match(halves[0], manifest, base, counts[0]):
        stopped(pid)
        return False
    return waited(pid)


def _files_match(entries: list[os.DirEntry[str]], manifest: Manifest, base: int,
                 files: int) -> bool:
    """Whether the files under `entries` are `files` files of `manifest`, each with its
    stats (scan_output's: [size, mtime_ns, inode])."""
    found = 0
    try:
        for path, stats in _files(entries, base):
            if manifest.get(path) != stats:
                return False
            found += 1
    except OSError:
        return False
    return found == files
