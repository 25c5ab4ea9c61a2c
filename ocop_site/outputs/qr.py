"""One QR code per product, linking to the product page's absolute URL (for fair booths).

segno is pure Python and maintained; encoding QR (Reed–Solomon, masking, version choice)
by hand would be hundreds of lines for no gain. The SVG is vector, so it prints sharp at
any size, and is byte-for-byte deterministic.
"""
from __future__ import annotations

import io

import segno

from ..catalogue import Catalogue
from ..pages import Urls

MODULE_PX = 4  # size of one module in SVG user units; pages scale it with width/height


def qr_svg(url: str, title: str) -> bytes:
    """A plain QR code (never Micro QR, which phone cameras do not read) as SVG bytes."""
    code = segno.make_qr(url, error="m")  # segno raises the level when it fits for free
    out = io.BytesIO()
    # white background drawn in: the code must scan on dark or coloured paper too
    code.save(out, kind="svg", scale=MODULE_PX, border=4, dark="#000", light="#fff",
              xmldecl=False, omitsize=True, title=title, svgclass="qr", lineclass=None)
    return out.getvalue()


def files(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    config = catalogue.config
    return [(Urls.qr(p), qr_svg(config.absolute(Urls.product(p)), f"Mã QR: {p.name}"))
            for p in catalogue.products]
