#!/usr/bin/env python3
"""Image pipeline speed: cold (empty cache) and warm (cached) processing of phone photos.

Generates N photo-like JPEGs (default 200 × 2400×1800, deterministic: smooth colour
fields, soft shapes and sensor-like noise, so they compress like photos, ~1 MB each at
quality 90; every 5th is rotated by EXIF orientation 6, every 3rd carries GPS), then times
`images.process_all` with an empty cache, again with the cache warm, and once more warm
without the stat index (every photo re-hashed, none decoded).

Reference (the issue): Hugo takes ~146 s cold (three WebP widths, Lanczos) and ~0.4 s warm
for such a set on a 2-core machine. Targets: cold ≤ 73 s, warm ≤ 0.5 s.

    python benchmarks/images.py [--count 200] [--workers N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from ocop_site.images import photos as images  # noqa: E402

HUGO_COLD, HUGO_WARM = 146.0, 0.4
TARGET_COLD, TARGET_WARM = 73.0, 0.5


def make_photo(index: int, size: tuple[int, int] = (2400, 1800)) -> bytes:
    """One deterministic photo-like JPEG (seeded by `index`), with EXIF on some."""
    rng = random.Random(index)
    width, height = size
    # soft shapes drawn at quarter size and blown up: blurred edges for free
    small = (width // 4, height // 4)
    base = Image.frombytes("RGB", (6, 5), rng.randbytes(6 * 5 * 3)).resize(
        small, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y, r = rng.randrange(small[0]), rng.randrange(small[1]), rng.randrange(8, 100)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r // 2), fill=colour)
        else:
            draw.rectangle((x, y, x + r, y + 2 * r), fill=colour)
    picture = base.resize(size, Image.Resampling.BICUBIC)
    # texture (foliage, fabric) plus fine sensor noise
    texture = Image.frombytes("L", small, rng.randbytes(small[0] * small[1])).resize(
        size, Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", size, rng.randbytes(width * height))
    picture = Image.blend(picture, Image.blend(texture, grain, 0.35).convert("RGB"), 0.18)

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if index % 5 == 0:
        exif[0x0112] = 6  # stored sideways, shown upright
    if index % 3 == 0:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (21.0, 18.0, 43.2)
        gps[3], gps[4] = "E", (105.0, 25.0, 7.9)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def _write_photo(job: tuple[int, str]) -> int:
    index, folder = job
    data = make_photo(index)
    (Path(folder) / f"anh-{index:03d}.jpg").write_bytes(data)
    return len(data)


def generate(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor() as pool:
        return sum(pool.map(_write_photo, [(i, str(folder)) for i in range(count)]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument("--sample", type=int, default=20,
                        help="photos timed in-process for CPU per photo (default 20)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="ocop-bench-images-"))
    photos, cache = work / "photos", work / "cache"
    try:
        started = time.perf_counter()
        existing = sorted(photos.glob("*.jpg")) if photos.is_dir() else []
        if len(existing) != args.count:
            shutil.rmtree(photos, ignore_errors=True)
            generate(photos, args.count)
        sources = [(p.resolve(), f"content/products/{p.stem}.md", 8)
                   for p in sorted(photos.glob("*.jpg"))]
        input_bytes = sum(p.stat().st_size for p, _, _ in sources)
        print(f"photos: {len(sources)} × 2400×1800 JPEG, {input_bytes / 1e6:.1f} MB "
              f"(ready in {time.perf_counter() - started:.1f} s)")
        print(f"machine: {os.cpu_count()} cores, load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        results, errors = images.process_all(sources, cache, workers=args.workers)
        cold = time.perf_counter() - started
        assert not errors, errors

        started = time.perf_counter()
        again, errors = images.process_all(sources, cache, workers=args.workers)
        warm = time.perf_counter() - started
        assert again == results and not errors

        (cache / "stat-index.json").unlink()
        started = time.perf_counter()
        images.process_all(sources, cache, workers=args.workers)
        rehash = time.perf_counter() - started

        # CPU per photo, measured in this process on a sample: unlike wall-clock time it
        # barely depends on what else the machine is doing
        sample = sources[: args.sample]
        shutil.rmtree(work / "sample-cache", ignore_errors=True)
        started = time.process_time()
        images.process_all(sample, work / "sample-cache", workers=1)
        cpu = (time.process_time() - started) / max(1, len(sample))
        projected = cpu * len(sources) / (args.workers or os.cpu_count() or 1)

        files = images.site_files(results.values(), cache)
        total = sum(path.stat().st_size for path in files.values())
        webp = sum(path.stat().st_size for url, path in files.items() if url.endswith(".webp"))
        phone = sum(files[img.closest(640, images.WEBP).url].stat().st_size
                    for img in results.values())
        per = cold / len(sources)
        print(f"cold: {cold:6.2f} s  ({per * 1000:.0f} ms per photo; Hugo {HUGO_COLD:.0f} s, "
              f"target ≤ {TARGET_COLD:.0f} s: {'OK' if cold <= TARGET_COLD else 'MISSED'})")
        print(f"warm: {warm:6.3f} s  (Hugo {HUGO_WARM} s, target ≤ {TARGET_WARM} s: "
              f"{'OK' if warm <= TARGET_WARM else 'MISSED'})")
        print(f"CPU per photo ({len(sample)} in-process): {cpu * 1000:.0f} ms → "
              f"{projected:.1f} s for {len(sources)} photos on "
              f"{args.workers or os.cpu_count()} idle cores")
        print("warm, stat index deleted (every photo re-hashed, none decoded): "
              f"{rehash:.3f} s")
        print(f"outputs: {len(files)} files, {total / 1e6:.1f} MB = {total / input_bytes:.0%} "
              f"of the input ({webp / 1e6:.1f} MB WebP, {(total - webp) / 1e6:.1f} MB JPEG "
              "fallback + social)")
        print(f"a phone at 640 px downloads {phone / len(sources) / 1e3:.0f} KB per photo "
              f"instead of {input_bytes / len(sources) / 1e3:.0f} KB")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
