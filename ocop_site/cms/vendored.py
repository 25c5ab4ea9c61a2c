"""The browser files the web form (admin/) is made of that come from npm packages.

Each is committed under ocop_site/cms/vendor/ exactly as its npm package ships it, so a
site builds with only Python (no Node, no download, no CDN at run time):
tools/vendor_cms.py copies them from node_modules after `npm ci` (package-lock.json
pins the versions) and writes vendor/VENDORED.json (version, sha256, size, licence);
tests/cms/test_vendored.py checks the committed bytes against node_modules.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
MANIFEST = VENDOR_DIR / "VENDORED.json"


@dataclass(frozen=True)
class Vendored:
    package: str  # npm package name
    source: str  # path inside the package
    name: str  # file name under vendor/ (and under admin/ in the site)
    licence_file: str = ""  # the package's own licence text, if it ships one


FILES: tuple[Vendored, ...] = (
    # Decap CMS: the whole editor (React, the editor widgets, every locale) in one file;
    # its lazy chunks (CodeMirror modes, a WebP encoder) serve widgets the form never uses
    Vendored("decap-cms", "dist/decap-cms.js", "decap-cms.js"),
    Vendored("decap-cms", "dist/decap-cms.js.LICENSE.txt", "decap-cms.js.LICENSE.txt"),
    # js-yaml: reads and writes the front-matter the way the checker reads it (admin.js)
    Vendored("js-yaml", "dist/js-yaml.min.js", "js-yaml.min.js", "LICENSE"),
)


def manifest() -> dict[str, dict[str, object]]:
    """file name → {package, version, sha256, bytes, licence}, as vendor_cms.py wrote it."""
    return json.loads(MANIFEST.read_text(encoding="utf-8"))
