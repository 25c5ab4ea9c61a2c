#!/usr/bin/env python3
"""Generate the illustrative images of the bundled SAMPLE catalogue.

The pictures are drawn, not photographed: gradients and simple shapes that evoke the
product (tea hills as green waves, honey as hexagons, pomelos as circles, the river as
blue bands …).  Nothing is copied from anywhere, and the output is deterministic (fixed
seeds, no timestamps, no EXIF).

They carry no text: the site crops every photo to a square thumbnail and to a 1200×630
share image, and a crop would cut words mid-way ("ưởi Đôn Nhân"); the site itself says
the data is a sample.  The subject sits in the middle, so the centred square crop keeps
it whole, and each photo of a product is a different view of it: the first a wide shot,
the second a mirrored close-up in warmer light, a third a tilted shot in cooler light.

Which files to draw is read from the content itself, so the script stays in sync:

* every entry of ``images:`` in ``products/*.md`` (relative to the products folder),
* the ``image:`` of ``producers/*.md`` (relative to the producers folder),
* the ``image:`` of each commune in ``data/communes.yaml`` (relative to the content folder).

Usage::

    python tools/make_sample_images.py [CONTENT_DIR]

CONTENT_DIR defaults to the repository's ``content/`` folder.  ``.jpg``/``.jpeg`` targets
are saved as JPEG (quality 82, optimised); ``.png`` targets are drawn on a transparent
background.
"""
from __future__ import annotations

import math
import random
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

BASE_SEED = 20250701  # the day the districts were abolished; any constant will do
SCALE = 2  # draw at twice the size, then downsample: cheap anti-aliasing
JPEG_QUALITY = 82
SIZE_BUDGET = 4_000_000  # bytes, all generated images together

SIZE_LARGE = (1600, 1200)
SIZE_MEDIUM = (1200, 900)
SIZE_PORTRAIT = (900, 1200)

# --------------------------------------------------------------------------- content

def read_front_matter(path: Path) -> dict:
    """The YAML between the first two '---' lines of a Markdown file."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            data = yaml.safe_load("\n".join(lines[1:end])) or {}
            return data if isinstance(data, dict) else {}
    return {}


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    out, dash = [], False
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


@dataclass
class Job:
    target: Path
    motif: str
    size: tuple[int, int]
    view: int = 0  # which photo of its product: each one is drawn differently


# keyword (token sequence of the slugged name/category) → motif; first match wins
MOTIF_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("may", "tre"), "basket"),
    (("cay", "canh"), "bonsai"),
    (("gao",), "rice"),
    (("nep",), "rice"),
    (("linh", "chi"), "lingzhi"),
    (("hoa", "vang"), "golden_flower"),
    (("xa", "den"), "herb"),
    (("my", "nghe"), "basket"),  # "thủ công mỹ nghệ" (and "nghệ thuật") is not turmeric
    (("nghe", "thuat"), "bonsai"),
    (("nghe",), "turmeric"),
    (("mat", "ong"), "honey"),
    (("buoi",), "pomelo"),
    (("oi",), "guava"),
    (("gio", "lua"), "porkroll"),
    (("gio", "cha"), "porkroll"),
    (("cha", "que"), "porkroll"),
    (("banh", "chung"), "banhchung"),
    (("banh", "gai"), "banhgai"),
    (("trau",), "buffalo"),
    (("cha", "ca"), "fish"),
    (("nam",), "mushroom"),
    (("ruou",), "wine"),
    (("gom",), "ceramic"),
    (("lan",), "orchid"),
    (("homestay",), "homestay"),
    (("du", "lich", "cong", "dong"), "homestay"),
    (("sinh", "thai"), "pines"),
    (("hong", "tra"), "black_tea"),
    (("che",), "tea"),
    (("tra",), "tea"),
)

GROUP_MOTIF = {
    "thuc-pham": "rice",
    "do-uong": "tea",
    "duoc-lieu": "herb",
    "thu-cong-my-nghe": "basket",
    "sinh-vat-canh": "bonsai",
    "du-lich": "homestay",
}


def motif_for(*texts: str) -> str | None:
    for text in texts:
        tokens = slugify(text).split("-")
        for seq, motif in MOTIF_RULES:
            n = len(seq)
            if any(tuple(tokens[i:i + n]) == seq for i in range(len(tokens) - n + 1)):
                return motif
    return None


def load_leaf_groups(content: Path) -> dict[str, str]:
    path = content / "data" / "categories.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    leaf_group: dict[str, str] = {}
    for group in data.get("groups") or []:
        for sub in group.get("subgroups") or []:
            for cat in sub.get("categories") or []:
                leaf_group[cat["id"]] = group["id"]
    return leaf_group


def image_src(entry) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get("src"), str):
        return entry["src"]
    return None


def collect_jobs(content: Path) -> list[Job]:
    jobs: list[Job] = []
    leaf_group = load_leaf_groups(content)
    producer_motif: dict[str, str] = {}

    products_dir = content / "products"
    for md in sorted(products_dir.glob("*.md")):
        fm = read_front_matter(md)
        name = str(fm.get("name") or md.stem)
        category = str(fm.get("category") or "")
        motif = (motif_for(name, category)
                 or GROUP_MOTIF.get(leaf_group.get(category, ""), "landscape"))
        producer = fm.get("producer")
        if isinstance(producer, str):
            producer_motif.setdefault(producer, motif)
        for index, entry in enumerate(fm.get("images") or []):
            src = image_src(entry)
            if not src:
                continue
            target = (products_dir / src)
            if target.suffix.lower() == ".png":
                size = SIZE_MEDIUM
            elif index == 0 and leaf_group.get(category) == "sinh-vat-canh" and motif == "orchid":
                size = SIZE_PORTRAIT
            elif index == 0:
                size = SIZE_LARGE
            else:
                size = SIZE_MEDIUM
            jobs.append(Job(target, motif, size, index))

    producers_dir = content / "producers"
    for md in sorted(producers_dir.glob("*.md")):
        fm = read_front_matter(md)
        src = fm.get("image")
        if not isinstance(src, str):
            continue
        name = str(fm.get("name") or md.stem)
        motif = motif_for(name) or producer_motif.get(md.stem, "landscape")
        jobs.append(Job(producers_dir / src, motif, SIZE_MEDIUM))

    communes_file = content / "data" / "communes.yaml"
    if communes_file.exists():
        data = yaml.safe_load(communes_file.read_text(encoding="utf-8")) or {}
        for commune in data.get("communes") or []:
            src = commune.get("image")
            if isinstance(src, str):
                jobs.append(Job(content / src, "landscape", SIZE_MEDIUM))
    return jobs


# --------------------------------------------------------------------------- drawing

def hexrgb(value: str, alpha: int = 255) -> tuple[int, int, int, int]:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha)


def gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGBA", size, hexrgb(bottom)),
                           Image.new("RGBA", size, hexrgb(top)), mask)


def jitter(rgb: str, rng: random.Random, amount: int = 18, alpha: int = 255):
    r, g, b, _ = hexrgb(rgb)
    clamp = lambda v: max(0, min(255, v + rng.randint(-amount, amount)))  # noqa: E731
    return (clamp(r), clamp(g), clamp(b), alpha)


def wave_polygon(w, h, base_y, amp, length, phase, steps=80):
    pts = [(0, h)]
    for i in range(steps + 1):
        x = w * i / steps
        pts.append((x, base_y + amp * math.sin(2 * math.pi * x / length + phase)))
    pts.append((w, h))
    return pts


def hexagon(cx, cy, r):
    return [(cx + r * math.cos(math.pi / 3 * k), cy + r * math.sin(math.pi / 3 * k))
            for k in range(6)]


def draw_leaf(d, cx, cy, length, angle, colour):
    pts = []
    for k in range(21):
        t = k / 20
        along = (t - 0.5) * length
        width = math.sin(math.pi * t) * length * 0.22
        pts.append((along, width))
    pts += [(x, -y) for x, y in reversed(pts)]
    ca, sa = math.cos(angle), math.sin(angle)
    d.polygon([(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts], fill=colour)


def hills(d, w, h, rng, colours, top_frac=0.45, rows=True):
    n = len(colours)
    for i, colour in enumerate(colours):
        base = h * (top_frac + i * (0.5 / n))
        amp = h * rng.uniform(0.03, 0.07)
        length = w * rng.uniform(0.5, 1.1)
        phase = rng.uniform(0, 6.28)
        d.polygon(wave_polygon(w, h, base, amp, length, phase), fill=hexrgb(colour))
        if rows:  # rows of tea bushes following the slope
            dark = hexrgb(colour)
            dark = (int(dark[0] * 0.78), int(dark[1] * 0.82), int(dark[2] * 0.78), 255)
            for r in range(1, 3):
                y0 = base + r * h * 0.035
                pts = [(x, y0 + amp * math.sin(2 * math.pi * x / length + phase))
                       for x in range(0, w + 1, max(1, w // 60))]
                d.line(pts, fill=dark, width=max(2, h // 150))


def river(d, w, h, y, thickness, rng):
    for i, colour in enumerate(("#3f7fb5", "#5b9bd0", "#8cbfe6")):
        off = i * thickness * 0.28
        amp = thickness * 0.25
        phase = rng.uniform(0, 6.28)
        top = [(x, y + off + amp * math.sin(x / w * 6 + phase)) for x in range(0, w + 1, w // 40)]
        bottom = [(x, y + thickness + off * 0.3 + amp * math.sin(x / w * 6 + phase + 0.8))
                  for x in range(w, -1, -(w // 40))]
        d.polygon(top + bottom, fill=hexrgb(colour, 235))


def sun(d, w, h, rng, colour="#fff3b0"):
    cx, cy, r = w * rng.uniform(0.65, 0.85), h * rng.uniform(0.12, 0.22), h * 0.07
    d.ellipse((cx - r * 1.6, cy - r * 1.6, cx + r * 1.6, cy + r * 1.6), fill=hexrgb(colour, 70))
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=hexrgb(colour))


def m_tea(d, w, h, rng):
    sun(d, w, h, rng)
    hills(d, w, h, rng, ["#a9cf7a", "#7fb55a", "#5c9a45", "#3f7f36", "#2e6a2c"], 0.33)
    for _ in range(6):
        draw_leaf(d, rng.uniform(0.05, 0.95) * w, rng.uniform(0.08, 0.3) * h, h * 0.12,
                  rng.uniform(-0.8, 0.8), hexrgb("#4c8c3a", 200))


def m_black_tea(d, w, h, rng):
    hills(d, w, h, rng, ["#c58b4a", "#a86a33", "#8a5126", "#6d3c1b"], 0.45)
    cx, cy, r = w * 0.5, h * 0.3, h * 0.16
    d.ellipse((cx - r * 1.3, cy - r * 0.45, cx + r * 1.3, cy + r * 0.45), fill=hexrgb("#f7efe3"))
    d.ellipse((cx - r, cy - r * 0.32, cx + r, cy + r * 0.32), fill=hexrgb("#b4561f"))
    for k in range(3):
        x = cx - r * 0.5 + k * r * 0.5
        d.arc((x - r * 0.2, cy - r * 1.6, x + r * 0.2, cy - r * 0.6), 100, 260,
              fill=hexrgb("#ffffff", 150), width=max(3, h // 200))


def m_honey(d, w, h, rng):
    r = h * 0.11
    dx, dy = r * 1.5, r * math.sqrt(3)
    for col in range(int(w / dx) + 2):
        for row in range(int(h / dy) + 2):
            cx = col * dx
            cy = row * dy + (dy / 2 if col % 2 else 0)
            shade = jitter("#f2b632", rng, 10)
            d.polygon(hexagon(cx, cy, r * 0.9), fill=shade)
    for _ in range(4):  # bees
        cx, cy, s = rng.uniform(0.15, 0.85) * w, rng.uniform(0.1, 0.45) * h, h * 0.035
        d.ellipse((cx - s * 1.1, cy - s * 1.6, cx + s * 0.4, cy - s * 0.2), fill=hexrgb("#ffffff", 170))
        d.ellipse((cx - s * 0.2, cy - s * 1.6, cx + s * 1.3, cy - s * 0.2), fill=hexrgb("#ffffff", 170))
        d.ellipse((cx - s * 1.4, cy - s * 0.7, cx + s * 1.4, cy + s * 0.7), fill=hexrgb("#f5c518"))
        for k in (-0.5, 0.3):
            d.rectangle((cx + s * k, cy - s * 0.68, cx + s * (k + 0.35), cy + s * 0.68),
                        fill=hexrgb("#2b2113"))


def fruit_tree(d, w, h, rng, fruit, leaf, count, rmin, rmax):
    for _ in range(14):
        draw_leaf(d, rng.uniform(0, 1) * w, rng.uniform(0, 0.7) * h, h * rng.uniform(0.14, 0.24),
                  rng.uniform(0, 3.14), jitter(leaf, rng, 15, 235))
    for _ in range(count):
        r = h * rng.uniform(rmin, rmax)
        cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.12, 0.62) * h
        d.ellipse((cx - r, cy - r, cx + r, cy + r * 1.05), fill=jitter(fruit, rng, 14))
        d.ellipse((cx - r * 0.55, cy - r * 0.6, cx - r * 0.15, cy - r * 0.2),
                  fill=hexrgb("#ffffff", 90))


def m_pomelo(d, w, h, rng):
    fruit_tree(d, w, h, rng, "#e8cf3a", "#3f8a3a", 7, 0.09, 0.14)


def m_guava(d, w, h, rng):
    fruit_tree(d, w, h, rng, "#b9dc6a", "#4f9a45", 9, 0.06, 0.1)


def m_porkroll(d, w, h, rng):
    for k in range(3):
        cx, cy, r = w * (0.25 + k * 0.25), h * (0.38 + (k % 2) * 0.08), h * 0.17
        for j in range(5):  # banana-leaf wrap
            a = j * 1.25 + rng.uniform(0, 0.4)
            draw_leaf(d, cx + r * 0.5 * math.cos(a), cy + r * 0.5 * math.sin(a), r * 2.6, a,
                      jitter("#4f9a3d", rng, 12))
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=hexrgb("#f4d9d0"))
        d.ellipse((cx - r * 0.9, cy - r * 0.9, cx + r * 0.9, cy + r * 0.9), fill=hexrgb("#f7e4dc"))
        for _ in range(30):
            px, py = cx + rng.uniform(-0.7, 0.7) * r, cy + rng.uniform(-0.7, 0.7) * r
            d.ellipse((px - 3, py - 3, px + 3, py + 3), fill=hexrgb("#e2bfb3"))


def m_banhchung(d, w, h, rng):
    s = h * 0.3
    for k, (cx, cy) in enumerate(((w * 0.32, h * 0.38), (w * 0.66, h * 0.42))):
        d.rectangle((cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2), fill=hexrgb("#2f7a3a"),
                    outline=hexrgb("#1f5528"), width=max(3, h // 150))
        for t in (-0.2, 0.2):  # bamboo strings
            d.line((cx + s * t, cy - s / 2, cx + s * t, cy + s / 2), fill=hexrgb("#e9d9a6"), width=max(4, h // 120))
            d.line((cx - s / 2, cy + s * t, cx + s / 2, cy + s * t), fill=hexrgb("#e9d9a6"), width=max(4, h // 120))


def m_banhgai(d, w, h, rng):
    s = h * 0.2
    for k in range(5):
        cx, cy = w * (0.15 + k * 0.175), h * (0.33 + (k % 2) * 0.12)
        d.rectangle((cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2), fill=hexrgb("#c9b27a"))
        d.rectangle((cx - s * 0.38, cy - s * 0.38, cx + s * 0.38, cy + s * 0.38), fill=hexrgb("#231c1a"))
        d.line((cx, cy - s / 2, cx, cy + s / 2), fill=hexrgb("#e9d9a6"), width=max(3, h // 160))


def m_buffalo(d, w, h, rng):
    for _ in range(10):  # smoke
        x, y = rng.uniform(0, w), rng.uniform(0, h * 0.4)
        d.ellipse((x - h * 0.12, y - h * 0.05, x + h * 0.12, y + h * 0.05), fill=hexrgb("#ffffff", 45))
    d.line((0, h * 0.18, w, h * 0.18), fill=hexrgb("#5b3b22"), width=max(6, h // 60))
    for k in range(9):
        x = w * (0.08 + k * 0.105)
        length = h * rng.uniform(0.3, 0.45)
        d.line((x, h * 0.18, x, h * 0.22), fill=hexrgb("#d9c7a0"), width=max(3, h // 200))
        d.rounded_rectangle((x - h * 0.025, h * 0.22, x + h * 0.025, h * 0.22 + length),
                            radius=h * 0.02, fill=jitter("#5a2a1a", rng, 16))


def fish_shape(d, cx, cy, s, colour, flip=False):
    sign = -1 if flip else 1
    d.ellipse((cx - s, cy - s * 0.42, cx + s, cy + s * 0.42), fill=colour)
    d.polygon([(cx - sign * s * 0.85, cy), (cx - sign * s * 1.5, cy - s * 0.4),
               (cx - sign * s * 1.5, cy + s * 0.4)], fill=colour)
    d.ellipse((cx + sign * s * 0.55 - s * 0.07, cy - s * 0.15, cx + sign * s * 0.55 + s * 0.07,
               cy - s * 0.01), fill=hexrgb("#1a1a1a"))


def m_fish(d, w, h, rng):
    for i in range(6):
        y = h * (0.15 + i * 0.13)
        d.line([(x, y + h * 0.015 * math.sin(x / w * 9 + i)) for x in range(0, w + 1, w // 50)],
               fill=hexrgb("#d6ecf8", 120), width=max(3, h // 180))
    for _ in range(6):
        fish_shape(d, rng.uniform(0.12, 0.88) * w, rng.uniform(0.15, 0.58) * h, h * rng.uniform(0.05, 0.09),
                   jitter("#c0cad0", rng, 20), rng.random() < 0.5)


def m_rice(d, w, h, rng):
    hills(d, w, h, rng, ["#e7c65a", "#d9b044", "#c89b30"], 0.45, rows=True)
    for _ in range(10):  # bending stalks with grains
        x0, y0 = rng.uniform(0.05, 0.95) * w, h * 0.7
        x1, y1 = x0 + rng.uniform(-0.05, 0.1) * w, h * rng.uniform(0.12, 0.3)
        d.line((x0, y0, x1, y1), fill=hexrgb("#9b7a22"), width=max(3, h // 220))
        for k in range(7):
            t = k / 7
            gx, gy = x1 + (x0 - x1) * t * 0.35, y1 + (y0 - y1) * t * 0.35
            g = h * 0.014
            d.ellipse((gx - g * 1.6, gy - g, gx + g * 1.6, gy + g), fill=hexrgb("#f6e7a8"))


def m_mushroom(d, w, h, rng):
    hills(d, w, h, rng, ["#8a6a4a", "#6e5238"], 0.62, rows=False)
    for _ in range(8):
        cx, cy, s = rng.uniform(0.1, 0.9) * w, h * rng.uniform(0.4, 0.62), h * rng.uniform(0.07, 0.12)
        d.rounded_rectangle((cx - s * 0.18, cy - s * 0.2, cx + s * 0.18, cy + s * 0.9), radius=s * 0.1,
                            fill=hexrgb("#efe9de"))
        d.pieslice((cx - s, cy - s * 0.8, cx + s, cy + s * 0.8), 180, 360, fill=jitter("#c9c3b8", rng, 14))


def m_lingzhi(d, w, h, rng):
    m_mushroom_base = ["#5a3b26", "#47301f"]
    hills(d, w, h, rng, m_mushroom_base, 0.65, rows=False)
    for _ in range(6):
        cx, cy, s = rng.uniform(0.12, 0.88) * w, h * rng.uniform(0.3, 0.6), h * rng.uniform(0.09, 0.14)
        d.pieslice((cx - s, cy - s * 0.7, cx + s, cy + s * 0.7), 190, 350, fill=jitter("#8e2a1c", rng, 16))
        d.arc((cx - s * 0.9, cy - s * 0.62, cx + s * 0.9, cy + s * 0.62), 190, 350,
              fill=hexrgb("#e6b24a"), width=max(3, h // 200))


def flower(d, cx, cy, r, petal, centre, n=6, rot=0.0):
    for k in range(n):
        a = rot + 2 * math.pi * k / n
        px, py = cx + r * 0.6 * math.cos(a), cy + r * 0.6 * math.sin(a)
        d.ellipse((px - r * 0.45, py - r * 0.45, px + r * 0.45, py + r * 0.45), fill=petal)
    d.ellipse((cx - r * 0.3, cy - r * 0.3, cx + r * 0.3, cy + r * 0.3), fill=centre)


def m_golden_flower(d, w, h, rng):
    for _ in range(12):
        draw_leaf(d, rng.uniform(0, 1) * w, rng.uniform(0, 0.7) * h, h * 0.2, rng.uniform(0, 3.14),
                  jitter("#2f6f3a", rng, 12, 230))
    for _ in range(7):
        flower(d, rng.uniform(0.1, 0.9) * w, rng.uniform(0.12, 0.6) * h, h * rng.uniform(0.06, 0.1),
               jitter("#f3c623", rng, 12), hexrgb("#e08a1e"), 7, rng.uniform(0, 1))


def m_herb(d, w, h, rng):
    for _ in range(22):
        draw_leaf(d, rng.uniform(0, 1) * w, rng.uniform(0, 0.72) * h, h * rng.uniform(0.12, 0.2),
                  rng.uniform(0, 3.14), jitter("#3b5f2d", rng, 18, 240))
    for _ in range(5):
        cx, cy, r = rng.uniform(0.1, 0.9) * w, rng.uniform(0.15, 0.6) * h, h * 0.02
        for k in range(6):
            d.ellipse((cx + k * r * 1.2 - r, cy - r, cx + k * r * 1.2 + r, cy + r), fill=hexrgb("#f1f1e6"))


def m_turmeric(d, w, h, rng):
    for _ in range(6):
        draw_leaf(d, rng.uniform(0, 1) * w, rng.uniform(0, 0.4) * h, h * 0.35, rng.uniform(-1.9, -1.2),
                  jitter("#4f8f3a", rng, 12))
    for _ in range(6):
        cx, cy, s = rng.uniform(0.1, 0.9) * w, rng.uniform(0.45, 0.62) * h, h * 0.05
        for k in range(4):
            a = rng.uniform(0, 6.28)
            x, y = cx + s * 1.3 * math.cos(a), cy + s * 0.8 * math.sin(a)
            d.ellipse((x - s * 1.2, y - s * 0.45, x + s * 1.2, y + s * 0.45), fill=jitter("#c98a3b", rng, 10))
    cx, cy, r = w * 0.5, h * 0.35, h * 0.16
    d.ellipse((cx - r, cy - r * 0.35, cx + r, cy + r * 0.35), fill=hexrgb("#f7b500"))


def m_wine(d, w, h, rng):
    for k in range(3):
        cx, base, s = w * (0.28 + k * 0.22), h * 0.68, h * (0.22 - k * 0.03)
        d.ellipse((cx - s, base - s * 1.8, cx + s, base), fill=jitter("#6b3f22", rng, 10))
        d.rectangle((cx - s * 0.45, base - s * 2.05, cx + s * 0.45, base - s * 1.65), fill=hexrgb("#5a321a"))
        d.ellipse((cx - s * 0.55, base - s * 2.15, cx + s * 0.55, base - s * 1.95), fill=hexrgb("#3c2212"))
        d.arc((cx - s * 0.8, base - s * 1.5, cx + s * 0.8, base - s * 0.3), 200, 250,
              fill=hexrgb("#ffffff", 90), width=max(3, h // 160))
    for _ in range(8):
        draw_leaf(d, rng.uniform(0, 1) * w, rng.uniform(0, 0.2) * h, h * 0.16, rng.uniform(0, 3.14),
                  jitter("#5a8a3a", rng, 15, 230))


def m_basket(d, w, h, rng):
    cx, top, bottom = w * 0.5, h * 0.22, h * 0.68
    tw, bw = w * 0.36, w * 0.26
    outline = [(cx - tw, top), (cx + tw, top), (cx + bw, bottom), (cx - bw, bottom)]
    d.polygon(outline, fill=hexrgb("#c99a5b"))
    step = h * 0.035
    lw = max(3, h // 200)
    y = top
    row = 0
    while y < bottom:  # woven pattern: alternating short strokes
        t = (y - top) / (bottom - top)
        half = tw + (bw - tw) * t
        x = cx - half
        while x < cx + half:
            if (int((x - cx) / step) + row) % 2 == 0:
                d.line((x, y + step * 0.5, min(x + step, cx + half), y + step * 0.5),
                       fill=hexrgb("#8a6232"), width=lw * 2)
            x += step
        y += step
        row += 1
    d.rounded_rectangle((cx - tw - h * 0.02, top - h * 0.03, cx + tw + h * 0.02, top + h * 0.02),
                        radius=h * 0.02, fill=hexrgb("#7a5228"))
    d.arc((cx - tw * 0.7, top - h * 0.3, cx + tw * 0.7, top + h * 0.15), 180, 360,
          fill=hexrgb("#7a5228"), width=max(8, h // 60))


def m_ceramic(d, w, h, rng):
    glaze = "#6f8f6a"
    cx, cy, r = w * 0.38, h * 0.42, h * 0.18
    d.ellipse((cx - r * 1.2, cy - r, cx + r * 1.2, cy + r), fill=hexrgb(glaze))
    d.polygon([(cx + r * 1.0, cy), (cx + r * 1.9, cy - r * 0.8), (cx + r * 2.0, cy - r * 0.7),
               (cx + r * 1.1, cy + r * 0.35)], fill=hexrgb(glaze))
    d.arc((cx - r * 2.0, cy - r * 0.6, cx - r * 0.6, cy + r * 0.6), 90, 270, fill=hexrgb("#4f6a4b"),
          width=max(8, h // 70))
    d.ellipse((cx - r * 0.5, cy - r * 1.15, cx + r * 0.5, cy - r * 0.85), fill=hexrgb("#4f6a4b"))
    for k in range(3):
        x, y, s = w * (0.66 + k * 0.1), h * 0.55, h * 0.055
        d.pieslice((x - s, y - s * 1.3, x + s, y + s * 0.7), 0, 180, fill=jitter(glaze, rng, 10))
        d.ellipse((x - s, y - s * 0.5, x + s, y + s * 0.1), fill=hexrgb("#d9d2bf"))
    d.arc((cx - r * 0.9, cy - r * 0.6, cx + r * 0.3, cy + r * 0.3), 200, 260, fill=hexrgb("#ffffff", 120),
          width=max(4, h // 150))


def m_orchid(d, w, h, rng):
    base = (w * 0.5, h * 0.62)
    for k in range(9):
        a = -math.pi / 2 + rng.uniform(-1.0, 1.0)
        length = h * rng.uniform(0.35, 0.55)
        tip = (base[0] + length * math.cos(a), base[1] + length * math.sin(a))
        mid = ((base[0] + tip[0]) / 2, (base[1] + tip[1]) / 2)
        nx, ny = -math.sin(a) * h * 0.018, math.cos(a) * h * 0.018
        d.polygon([base, (mid[0] + nx, mid[1] + ny), tip, (mid[0] - nx, mid[1] - ny)],
                  fill=jitter("#3f7f3a", rng, 12))
    stem_top = (w * 0.72, h * 0.15)
    d.line((base, stem_top), fill=hexrgb("#6d8f3a"), width=max(4, h // 200))
    for k in range(5):
        t = 0.15 + k * 0.17
        x, y = base[0] + (stem_top[0] - base[0]) * (1 - t), base[1] + (stem_top[1] - base[1]) * (1 - t)
        flower(d, x + h * 0.05, y, h * 0.05, hexrgb("#e4d86a"), hexrgb("#8f3b6a"), 5, rng.uniform(0, 1))
    d.polygon([(w * 0.34, h * 0.62), (w * 0.66, h * 0.62), (w * 0.6, h * 0.74), (w * 0.4, h * 0.74)],
              fill=hexrgb("#3e5c7a"))


def m_bonsai(d, w, h, rng):
    cx = w * 0.5
    d.rounded_rectangle((cx - w * 0.25, h * 0.6, cx + w * 0.25, h * 0.7), radius=h * 0.015, fill=hexrgb("#7c4a35"))
    pts = [(cx - w * 0.02, h * 0.6), (cx - w * 0.08, h * 0.48), (cx + w * 0.04, h * 0.38),
           (cx - w * 0.05, h * 0.27), (cx + w * 0.02, h * 0.18)]
    d.line(pts, fill=hexrgb("#5e3f2a"), width=max(18, h // 25), joint="curve")
    for x, y in pts[1:]:
        for _ in range(3):
            r = h * rng.uniform(0.06, 0.1)
            ox, oy = x + rng.uniform(-0.12, 0.12) * w, y + rng.uniform(-0.04, 0.03) * h
            d.ellipse((ox - r * 1.4, oy - r * 0.7, ox + r * 1.4, oy + r * 0.7), fill=jitter("#3f7a3a", rng, 16))


def m_homestay(d, w, h, rng):
    sun(d, w, h, rng, "#ffd59a")
    hills(d, w, h, rng, ["#6f9a6a", "#4f7f55"], 0.35, rows=False)
    river(d, w, h, h * 0.55, h * 0.16, rng)
    hx, hy, s = w * 0.26, h * 0.5, h * 0.13
    for k in range(4):
        d.line((hx - s + k * s * 0.66, hy, hx - s + k * s * 0.66, hy + s * 0.7), fill=hexrgb("#4a3020"),
               width=max(4, h // 150))
    d.rectangle((hx - s * 1.1, hy - s * 0.7, hx + s * 1.1, hy), fill=hexrgb("#8a5a35"))
    d.polygon([(hx - s * 1.5, hy - s * 0.6), (hx, hy - s * 1.5), (hx + s * 1.5, hy - s * 0.6)],
              fill=hexrgb("#5a3a22"))
    bx, by = w * 0.66, h * 0.63
    d.polygon([(bx - h * 0.12, by), (bx + h * 0.12, by), (bx + h * 0.09, by + h * 0.03),
               (bx - h * 0.09, by + h * 0.03)], fill=hexrgb("#3b2a1c"))


def m_pines(d, w, h, rng):
    hills(d, w, h, rng, ["#7aa584", "#5c8c6a"], 0.4, rows=False)
    d.ellipse((w * 0.3, h * 0.52, w * 0.95, h * 0.7), fill=hexrgb("#6aa6cf"))
    for _ in range(14):
        x, base, s = rng.uniform(0.02, 0.98) * w, h * rng.uniform(0.42, 0.6), h * rng.uniform(0.12, 0.22)
        d.rectangle((x - s * 0.05, base - s * 0.1, x + s * 0.05, base + s * 0.1), fill=hexrgb("#4b3624"))
        for k in range(3):
            y = base - s * (0.1 + k * 0.3)
            d.polygon([(x - s * (0.35 - k * 0.08), y), (x, y - s * 0.45), (x + s * (0.35 - k * 0.08), y)],
                      fill=jitter("#1f5a36", rng, 10))


def m_landscape(d, w, h, rng):
    sun(d, w, h, rng)
    hills(d, w, h, rng, ["#9cc58a", "#78ae6a", "#5f9657"], 0.32, rows=True)
    river(d, w, h, h * 0.58, h * 0.14, rng)


MOTIFS = {
    "tea": (m_tea, "#cfe8f7", "#eaf4d8"),
    "black_tea": (m_black_tea, "#f6e3c8", "#e7c08f"),
    "honey": (m_honey, "#f8d571", "#e3a12a"),
    "pomelo": (m_pomelo, "#d8f0fb", "#f4f1c6"),
    "guava": (m_guava, "#e2f5e0", "#f9f3d6"),
    "porkroll": (m_porkroll, "#f6efe1", "#d8c8a6"),
    "banhchung": (m_banhchung, "#fbe9c8", "#e6b76c"),
    "banhgai": (m_banhgai, "#f4e4cc", "#cfb184"),
    "buffalo": (m_buffalo, "#5b4a3e", "#2c221c"),
    "fish": (m_fish, "#4f8fc0", "#1f4f7a"),
    "rice": (m_rice, "#dff0fa", "#f7ecc4"),
    "mushroom": (m_mushroom, "#efe6d6", "#cbb894"),
    "lingzhi": (m_lingzhi, "#efe2cf", "#b78a5e"),
    "golden_flower": (m_golden_flower, "#e8f3dc", "#c8e0b0"),
    "herb": (m_herb, "#e7eed9", "#b9c99a"),
    "turmeric": (m_turmeric, "#fff4cf", "#f3cf6d"),
    "wine": (m_wine, "#efe4d2", "#b9a27f"),
    "basket": (m_basket, "#f3ead8", "#d9c39b"),
    "ceramic": (m_ceramic, "#ece7dc", "#b8ad97"),
    "orchid": (m_orchid, "#eef3e6", "#c9dcb8"),
    "bonsai": (m_bonsai, "#eef1e4", "#c7cfb0"),
    "homestay": (m_homestay, "#f9c78f", "#f3e1c0"),
    "pines": (m_pines, "#cde7f5", "#eaf3e2"),
    "landscape": (m_landscape, "#cfe6f6", "#edf5dd"),
}


# Objects (not scenes): drawn in a square in the middle of the picture, on a table top,
# so the square thumbnail holds all of them
OBJECTS = {"porkroll", "banhchung", "banhgai", "wine", "ceramic", "basket"}
# Scenes drawn in the upper part of the frame (fruit on a branch, flowers, leaves): moved
# down so they sit in the middle. The others fill the frame.
LOWERED = {"pomelo", "guava", "golden_flower", "herb", "turmeric", "mushroom", "lingzhi",
           "bonsai", "orchid"}


def _shift(colour: str, view: int) -> str:
    """The background in another light: warmer for the second photo, cooler for a third."""
    r, g, b, _ = hexrgb(colour)
    if view % 3 == 1:
        r, g, b = min(255, r + 24), min(255, g + 6), max(0, b - 26)
    elif view % 3 == 2:
        r, g, b = max(0, r - 20), min(255, g + 4), min(255, b + 22)
    return f"#{r:02x}{g:02x}{b:02x}"


def _subject(job: Job, w: int, h: int, rng: random.Random) -> Image.Image:
    """The motif on a transparent layer of the picture's size, centred."""
    func = MOTIFS.get(job.motif, MOTIFS["landscape"])[0]
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    if job.motif in OBJECTS:
        side = min(w, h)
        square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        func(ImageDraw.Draw(square), side, side, rng)
        layer.alpha_composite(square, ((w - side) // 2, (h - side) // 2 + side // 12))
    else:
        func(ImageDraw.Draw(layer), w, h, rng)
        if job.motif in LOWERED:
            lowered = Image.new("RGBA", (w, h), (0, 0, 0, 0))
            lowered.alpha_composite(layer.crop((0, 0, w, h - h // 9)), (0, h // 9))
            layer = lowered
    return layer


def _view(layer: Image.Image, view: int) -> Image.Image:
    """Photo 1: the wide shot. Photo 2: mirrored and closer (the middle 62%, enlarged).
    Photo 3 and on: turned a little and a bit closer. The middle stays the middle."""
    if view == 0:
        return layer
    w, h = layer.size
    if view % 2 == 1:
        layer = layer.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        zoom = 0.62
    else:
        layer = layer.rotate(7 * (1 if view % 4 == 2 else -1), resample=Image.BICUBIC,
                             expand=False)
        zoom = 0.8
    cw, ch = w * zoom, h * zoom
    box = ((w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2)
    return layer.resize((w, h), Image.LANCZOS, box=box)


def render(job: Job) -> Image.Image:
    transparent = job.target.suffix.lower() == ".png"
    w, h = job.size[0] * SCALE, job.size[1] * SCALE
    seed = BASE_SEED ^ zlib.crc32(job.target.name.encode("utf-8"))
    rng = random.Random(seed)
    _func, top, bottom = MOTIFS.get(job.motif, MOTIFS["landscape"])
    if transparent:
        img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    else:
        img = gradient((w, h), _shift(top, job.view), _shift(bottom, job.view))
        if job.motif in OBJECTS:  # the table the objects stand on
            table = Image.new("RGBA", (w, h - int(h * 0.68)), hexrgb(_shift("#b98a5a", job.view)))
            img.alpha_composite(table, (0, int(h * 0.68)))
    img.alpha_composite(_view(_subject(job, w, h, rng), job.view))
    return img.resize(job.size, Image.LANCZOS)


def save(img: Image.Image, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    suffix = target.suffix.lower()
    if suffix == ".png":
        # flat shapes on a transparent canvas: a 128-colour palette keeps the file small
        img.quantize(colors=128, method=Image.Quantize.FASTOCTREE).save(target, "PNG", optimize=True)
    elif suffix in (".jpg", ".jpeg"):
        img.convert("RGB").save(target, "JPEG", quality=JPEG_QUALITY, optimize=True,
                                progressive=True)
    elif suffix == ".webp":
        img.save(target, "WEBP", quality=JPEG_QUALITY, method=6)
    else:
        raise SystemExit(f"unsupported image type: {target}")


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parent.parent / "content"
    content = Path(argv[1]).resolve() if len(argv) > 1 else default
    if not content.is_dir():
        print(f"content folder not found: {content}", file=sys.stderr)
        return 2
    jobs = collect_jobs(content)
    seen: set[Path] = set()
    total = 0
    for job in jobs:
        target = job.target.resolve()
        if target in seen:
            continue
        seen.add(target)
        if content not in target.parents:
            print(f"skipping {job.target}: outside the content folder", file=sys.stderr)
            continue
        save(render(job), target)
        size = target.stat().st_size
        total += size
        print(f"{size:>8}  {target.relative_to(content)}  [{job.motif}]")
    print(f"{len(seen)} images, {total} bytes")
    if total > SIZE_BUDGET:
        print(f"warning: images exceed the {SIZE_BUDGET} byte budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
