"""The web form's browser files are the npm packages' own, byte for byte: what
package-lock.json pins and `npm ci` installs (tools/install-test-deps.sh) is what is
committed under ocop_site/cms/vendor/ (tools/vendor_cms.py copies it)."""
from __future__ import annotations

import hashlib
import json

import pytest

from ocop_site.cms.vendored import FILES, VENDOR_DIR, manifest

from ..conftest import REPO

NODE_MODULES = REPO / "node_modules"
LOCK = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))


def installed(package: str, relative: str):
    path = NODE_MODULES / package / relative
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `bash tools/install-test-deps.sh` (it runs "
                    "`npm ci` from the committed package-lock.json)", pytrace=False)
    return path


@pytest.mark.parametrize("item", FILES, ids=lambda item: item.name)
def test_the_committed_file_is_the_npm_packages_file(item) -> None:
    committed = (VENDOR_DIR / item.name).read_bytes()
    assert committed == installed(item.package, item.source).read_bytes(), (
        f"vendor/{item.name} differs from node_modules/{item.package}/{item.source}: run "
        "python tools/vendor_cms.py")


@pytest.mark.parametrize("item", FILES, ids=lambda item: item.name)
def test_the_manifest_says_version_hash_size_and_licence(item) -> None:
    entry = manifest()[item.name]
    data = (VENDOR_DIR / item.name).read_bytes()
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["bytes"] == len(data)
    assert entry["package"] == item.package
    pinned = LOCK["packages"][f"node_modules/{item.package}"]["version"]
    assert entry["version"] == pinned  # the lock file's exact version
    assert entry["licence"] == "MIT"
    assert f'"{item.package}": "{pinned}"' in (REPO / "package.json").read_text("utf-8")


def test_every_package_has_its_licence_notice_beside_it() -> None:
    for package in {item.package for item in FILES}:
        notice = (VENDOR_DIR / f"{package}.NOTICE").read_text(encoding="utf-8")
        assert "licence: MIT" in notice and manifest_version(package) in notice
    assert "MIT" in (VENDOR_DIR / "js-yaml.LICENSE").read_text(encoding="utf-8")
    assert "@license MIT" in (VENDOR_DIR / "decap-cms.js.LICENSE.txt").read_text("utf-8")


def manifest_version(package: str) -> str:
    return next(str(e["version"]) for e in manifest().values() if e["package"] == package)
