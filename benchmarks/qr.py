#!/usr/bin/env python3
"""QR codes: milliseconds per code, on one core, for qr.py and the encoders it was chosen
among (issue 18: ≤ 0.2 ms a code, two codes per product).

URLs like those of a site's product pages in both languages
(https://ocop.example.org/san-pham/che-xanh-dong-thinh-1234/ and …/en/san-pham/…/);
each row is the best of R runs over all of them, in CPU time of this process (other work
on a shared machine slows it less than it slows the wall clock). Then `qr.files` per
code on a generated site, and the QR time of a build at 10,000 products (20,000 codes).

    taskset -c 0 python benchmarks/qr.py [--urls 600] [--repeat 3] [--products 500]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import zxingcpp  # noqa: E402

from ocop_site.pipeline import builder  # noqa: E402
from ocop_site.outputs import qr  # noqa: E402

WORDS = ("che xanh dong thinh mat ong hoa ban nuoc mam phu quoc gao banh pia buoi oi le "
         "gio lua thit trau gac bep ruou men la tinh bot nghe nam so gio may tre dan").split()
TITLE = "Mã QR: Chè xanh Đồng Thịnh"


def product_urls(count: int) -> list[str]:
    rng = random.Random(18)
    urls = []
    for i in range(count):
        slug = "-".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 7)))
        lang = "en/" if i % 2 else ""
        urls.append(f"https://ocop.example.org/{lang}san-pham/{slug}-{rng.randrange(10000)}/")
    return urls


def ms_per_item(repeat: int, work: Callable[[object], object], items: Sequence) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for item in items:
            work(item)
        best = min(best, time.process_time() - started)
    return best / len(items) * 1000


def zxing_modules(url: str, **options: object) -> bytes:
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, **options)
    return bytes(memoryview(code.to_image(add_quiet_zones=False)))


def segno_svg(url: str) -> bytes:
    import segno
    out = io.BytesIO()
    segno.make_qr(url, error="m").save(out, kind="svg", scale=qr.MODULE_PX, border=qr.BORDER,
                                       xmldecl=False, title=TITLE, svgclass="qr")
    return out.getvalue()


def candidates() -> list[tuple[str, Callable[[str], object]]]:
    QR = zxingcpp.BarcodeFormat.QRCode
    rows: list[tuple[str, Callable[[str], object]]] = []
    try:
        import segno
        rows += [("segno.make_qr, its own mask choice", lambda u: segno.make_qr(u, error="m")),
                 ("segno.make_qr, mask 0", lambda u: segno.make_qr(u, error="m", mask=0)),
                 ("segno, make_qr + its SVG writer", segno_svg)]
    except ImportError:
        print("  (segno not installed: its rows skipped)")
    return rows + [
        ("zxing-cpp, zint chooses the mask", lambda u: zxing_modules(u, ec_level="M")),
        ("zxing-cpp, mask 0", lambda u: zxing_modules(u, ec_level="M", data_mask=0)),
        ("zxing-cpp, zint's mask + its to_svg()",
         lambda u: zxingcpp.create_barcode(u, QR, ec_level="M").to_svg(add_quiet_zones=False)),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--products", type=int, default=500)
    args = parser.parse_args()
    urls = product_urls(args.urls)
    symbols = [qr.encode(url) for url in urls]
    versions = sorted({(s.size - 17) // 4 for s in symbols})
    print(f"zxing-cpp {version('zxing-cpp')}, {len(urls)} URLs (QR versions {versions}), "
          f"best of {args.repeat}, ms per code")
    for name, work in candidates():
        print(f"  {name:<44} {ms_per_item(args.repeat, work, urls):7.3f}")
    shipped = [
        ("qr.encode (zint mask 0 + qr.py's mask choice)", qr.encode),
        ("  of which qr.penalties (the eight masks)",
         lambda s: qr.penalties(s.modules, s.size)),
        ("qr.svg (writing the SVG)", lambda s: qr.svg(s.modules, s.size, TITLE)),
        ("qr.qr_svg (encode + SVG)", lambda u: qr.qr_svg(u, TITLE)),
    ]
    for name, work in shipped:
        items = symbols if "penalties" in name or "qr.svg " in name else urls
        print(f"  {name:<44} {ms_per_item(args.repeat, work, items):7.3f}")
    per_code = _files_per_code(args.products, args.repeat)
    print(f"  {'qr.files, per code (a generated site)':<44} {per_code:7.3f}")
    print(f"at 10,000 products (20,000 codes): {per_code * 20:.1f} s of one core")
    return 0


def _files_per_code(products: int, repeat: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), str(site),
                        str(products)], check=True, stdout=subprocess.DEVNULL)
        _config, catalogue, _warnings = builder.load(site, today=dt.date(2026, 11, 29))
        codes = len(qr.files(catalogue))
        return ms_per_item(repeat, lambda _: qr.files(catalogue), [None]) / codes


if __name__ == "__main__":
    sys.exit(main())
