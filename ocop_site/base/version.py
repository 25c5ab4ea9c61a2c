"""What the build's output depends on besides the site: this code and its libraries.

Light on purpose (only the standard library): the CLI reads it to tell whether the last
build is still current before it imports anything that builds (Jinja, Pillow, Markdown),
so a build with nothing to do stays a fraction of a second, interpreter start included.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import os
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # ocop_site/
PACKAGE_ROOT = PACKAGE.parent  # the theme (templates/, assets/, i18n/) lives beside it


@cache
def code_digest(package: Path = PACKAGE) -> str:
    """Hash of every file of the package (code, and data such as the service worker's
    script and the certifier rules): any change is a new version, without anyone having
    to remember to bump a number."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def library_versions(names: tuple[str, ...]) -> str:
    """'jinja2=3.1.6,…' for the installed distributions named (… '=?' when missing).
    Read once a process (~5 ms each time, twice a build): the libraries it runs are the
    ones it imported, whatever is installed meanwhile."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


def build_date() -> dt.date:
    """The build's 'today': SOURCE_DATE_EPOCH when set, so rebuilds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()
