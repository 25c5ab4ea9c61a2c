"""sw.js: the service worker that lets booth visitors and staff read the site at a fair
with a weak network or none (its logic is ocop_site/outputs/sw.js, documented there).

Its cache is named after a hash of what it keeps from the cache first — the assets
(their bytes: pages link them by fingerprint, site/assets.py) and the photos (their names
carry a hash of their bytes) — plus the worker's own code and the offline pages'
addresses. So two builds of the same input write the same sw.js (no clock, no build
number), a build that changes none of those keeps the worker and its cache (pages are
fetched from the network first anyway), and one that does gives the worker a new name
for its cache, which removes the old one when it takes over.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Mapping

from ..images.photos import ProcessedImage
from ..site.assets import asset_files, fingerprint
from ..site.catalogue import Catalogue
from ..site.urls import site_languages

SOURCE = Path(__file__).with_name("sw.js")


def service_worker(catalogue: Catalogue, images: Mapping[Path, ProcessedImage]) -> bytes:
    """The worker for this build: sw.js without its comment lines, values filled in."""
    config = catalogue.config
    offline = sorted(((lang.prefix, lang.urls.offline) for lang in site_languages(config)),
                     key=lambda entry: -len(entry[0]))
    code = "".join(line for line in SOURCE.read_text(encoding="utf-8").splitlines(True)
                   if not line.lstrip().startswith("//"))
    digest = hashlib.blake2b(digest_size=8)
    digest.update(code.encode() + json.dumps(offline).encode())
    for site_path, path in sorted(asset_files(config).items()):
        digest.update(f"\0{site_path}\0{fingerprint(path.read_bytes())}".encode())
    for url in sorted({v.url for image in images.values() for v in image.files}):
        digest.update(f"\0{url}".encode())
    return (code.replace("{{VERSION}}", digest.hexdigest())
            .replace("{{OFFLINE}}", json.dumps(offline, separators=(",", ":")))).encode()
