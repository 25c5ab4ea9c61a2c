"""One QR code per product, linking to the product page's absolute URL (for fair booths).

segno is pure Python and maintained; encoding QR (Reed–Solomon, masking, version choice)
by hand would be hundreds of lines for no gain. The SVG is vector, so it prints sharp at
any size, and is byte-for-byte deterministic.

Choosing the best of the eight masks costs segno ~10 ms per code, which is most of the
outputs' time on a large catalogue, so codes are cached by a hash of everything that
goes into them (content-addressed: a cached file is exactly what encoding would give).
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

import segno

from ..catalogue import Catalogue
from ..config import SiteConfig
from ..localize import catalogue_in
from ..pages import site_languages

MODULE_PX = 4  # size of one module in SVG user units; pages scale it with width/height
BORDER = 4  # the quiet zone the QR standard asks for, in modules
ERROR_LEVEL = "m"  # segno raises it when the higher level fits in the same size


def qr_svg(url: str, title: str) -> bytes:
    """A plain QR code (never Micro QR, which phone cameras do not read) as SVG bytes."""
    code = segno.make_qr(url, error=ERROR_LEVEL)
    out = io.BytesIO()
    # white background drawn in: the code must scan on dark or coloured paper too
    code.save(out, kind="svg", scale=MODULE_PX, border=BORDER, dark="#000", light="#fff",
              xmldecl=False, omitsize=True, title=title, svgclass="qr", lineclass=None)
    return out.getvalue()


def cache_dir(config: SiteConfig) -> Path:
    return config.source / ".cache" / "qr"


def _cache_key(url: str, title: str) -> str:
    recipe = "\0".join((segno.__version__, str(MODULE_PX), str(BORDER), ERROR_LEVEL, url, title))
    return hashlib.sha256(recipe.encode("utf-8")).hexdigest()[:32]


def cached_qr_svg(url: str, title: str, cache: Path | None) -> bytes:
    """qr_svg, read from `cache` when it was made before (None: always encode)."""
    if cache is None:
        return qr_svg(url, title)
    path = cache / f"{_cache_key(url, title)}.svg"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    svg = qr_svg(url, title)
    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache, prefix=".tmp-")  # never a half-written code
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(svg)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return svg


def files(catalogue: Catalogue, cache: Path | None = None) -> list[tuple[str, bytes]]:
    """A code per product and language: an English page's code opens the English page."""
    config = catalogue.config
    out = []
    for lang in site_languages(config):
        local, _ = catalogue_in(catalogue, lang.code)
        out += [(lang.urls.qr(p), cached_qr_svg(config.absolute(lang.urls.product(p)),
                                                lang.t("qr.named", name=p.name), cache))
                for p in local.products]
    return out
