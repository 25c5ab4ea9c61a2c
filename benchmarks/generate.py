#!/usr/bin/env python3
"""Generate a deterministic site of N products in the project's own content format.

    python benchmarks/generate.py OUT_DIR N [--images K] [--communes C]

For benchmarks and for anyone who wants to see how the generator behaves at scale:
realistic Vietnamese names, ~300-word descriptions, products spread over communes,
categories and producers. Same arguments → byte-identical files.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ocop_site.text.vietnamese import slugify  # noqa: E402

SYLLABLES = ("An Bình Cao Đông Đồng Đức Giang Hà Hải Hòa Hồng Hưng Khánh Lâm Lãng Lạc Liên "
             "Long Minh Mỹ Nam Nghĩa Nhân Như Phong Phú Phúc Phương Quang Quế Sơn Tam Tân "
             "Thạch Thái Thành Thịnh Thủy Thuận Tiến Trung Tứ Vân Việt Vĩnh Xuân Yên").split()
PRODUCTS = [
    ("Chè xanh", "che-tuoi-che-bien", "hộp 500g", 150_000),
    ("Hồng trà", "che-tuoi-che-bien", "hộp 200g", 180_000),
    ("Mật ong hoa nhãn", None, "chai 500ml", 250_000),
    ("Mật ong rừng", None, "chai 1 lít", 420_000),
    ("Bưởi", None, "kg", 35_000),
    ("Ổi lê", None, "kg", 30_000),
    ("Giò lụa", None, "kg", 220_000),
    ("Thịt trâu gác bếp", None, "gói 500g", 450_000),
    ("Gạo nếp cái hoa vàng", None, "túi 5kg", 160_000),
    ("Bánh chưng", None, "chiếc", 60_000),
    ("Rượu men lá", None, "chai 750ml", 120_000),
    ("Tinh bột nghệ", None, "hộp 250g", 200_000),
    ("Nấm sò", None, "kg", 50_000),
    ("Giỏ mây tre đan", None, "chiếc", 90_000),
    ("Ấm chén gốm", None, "bộ", 350_000),
    ("Lan kiếm", None, "chậu", 500_000),
    ("Homestay ven sông", None, None, None),
]
SENTENCES = [
    "Sản phẩm được làm theo phương pháp truyền thống của người dân địa phương, "
    "kết hợp với quy trình kiểm soát chất lượng hiện đại.",
    "Nguyên liệu được tuyển chọn kỹ lưỡng từ vùng trồng đạt tiêu chuẩn VietGAP, "
    "không sử dụng chất bảo quản.",
    "Mỗi mẻ sản phẩm đều được ghi nhật ký sản xuất và có mã truy xuất nguồn gốc.",
    "Hương vị đậm đà, đặc trưng của vùng đất trung du bên dòng sông Lô.",
    "Cơ sở sản xuất đã tham gia nhiều hội chợ xúc tiến thương mại trong và ngoài tỉnh.",
    "Bao bì được thiết kế mới, thân thiện với môi trường và thuận tiện làm quà biếu.",
    "Sản phẩm phù hợp với người tiêu dùng ở mọi lứa tuổi và có thể bảo quản lâu.",
    "Hợp tác xã liên kết với hàng chục hộ dân, tạo việc làm ổn định cho lao động nông thôn.",
    "Khách hàng có thể đặt mua trực tiếp tại cơ sở hoặc qua các sàn thương mại điện tử.",
    "Quy trình chế biến khép kín, đảm bảo vệ sinh an toàn thực phẩm theo quy định.",
]
TYPES = ("enterprise", "cooperative", "cooperative_group", "household")
PREFIX = {"enterprise": "Công ty TNHH", "cooperative": "Hợp tác xã",
          "cooperative_group": "Tổ hợp tác", "household": "Hộ kinh doanh"}


def place_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"
        if slugify(name) not in seen:
            seen.add(slugify(name))
            names.append(name)
    return names


def leaf_categories() -> list[str]:
    import yaml
    data = yaml.safe_load((REPO / "content/data/categories.yaml").read_text(encoding="utf-8"))
    leaves = []
    for group in data["groups"]:
        for sub in group.get("subgroups", []) or [group]:
            leaves += [c["id"] for c in sub.get("categories", [])] or [sub["id"]]
    return leaves


def description(rng: random.Random, name: str, commune: str) -> str:
    paragraphs = [f"{name} là sản phẩm OCOP tiêu biểu của xã {commune}. "
                  + " ".join(rng.sample(SENTENCES, 4))]
    paragraphs.append("## Đặc điểm\n\n" + "\n".join(
        f"- {s}" for s in rng.sample(SENTENCES, 4)))
    paragraphs.append("## Câu chuyện sản phẩm\n\n" + " ".join(rng.sample(SENTENCES, 6)))
    paragraphs.append("## Bảo quản\n\n" + " ".join(rng.sample(SENTENCES, 3))
                      + " Xem thêm tại [trang của cơ sở](https://example.org/).")
    return "\n\n".join(paragraphs) + "\n"


def generate(out: Path, count: int, images: int = 0, communes: int = 148,
             seed: int = 2025) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "content/data").mkdir(parents=True)
    (out / "content/products/images").mkdir(parents=True)
    (out / "content/producers").mkdir(parents=True)
    shutil.copy(REPO / "content/data/categories.yaml", out / "content/data/categories.yaml")
    (out / "site.yaml").write_text(
        "title: Sản phẩm OCOP (dữ liệu sinh tự động)\n"
        "base_url: https://ocop.example.org/\n"
        "region:\n  name: Tỉnh Mẫu\n  kind: tỉnh\n  province: Tỉnh Mẫu\n"
        "sample_data: true\n"
        "languages: [vi, en]  # both, as the Hugo bench site makes them\n",
        encoding="utf-8")

    names = place_names(communes + communes * 2, rng)
    current, former = names[:communes], names[communes:]
    lines = ["communes:"]
    for index, name in enumerate(current):
        merged = ", ".join(former[index * 2: index * 2 + 2])
        lines.append(f"  - name: {name}\n    former_names: [{merged}]")
    (out / "content/data/communes.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    leaves = leaf_categories()
    producer_count = max(4, count // 8)
    producers = []
    for index in range(producer_count):
        kind = TYPES[index % 4]
        commune = rng.choice(current)
        name = f"{PREFIX[kind]} {rng.choice(SYLLABLES)} {commune} {index + 1}"
        producer_id = slugify(name)
        producers.append(producer_id)
        (out / f"content/producers/{producer_id}.md").write_text(
            f"---\nname: {name}\ntype: {kind}\ncommune: {commune}\n"
            f"phone: \"0900 {index // 1000:03d} {index % 1000:03d}\"\n"
            f"address: Thôn {index % 12 + 1}, xã {commune}\n---\n"
            f"{name} sản xuất và kinh doanh đặc sản của xã {commune}.\n", encoding="utf-8")

    image_files = _make_images(out / "content/products/images", images, rng)
    for index in range(count):
        base, category, unit, price = PRODUCTS[index % len(PRODUCTS)]
        commune = rng.choice(current + former)
        name = f"{base} {commune} {index + 1}"
        category = category or rng.choice(leaves)
        year = rng.choice((2022, 2023, 2024, 2025))
        stars = rng.choice((3, 3, 3, 4, 4, 5))
        signed = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        front = [
            # the slug written out too: the Hugo bench site's permalinks take :slug
            "---", f"name: {name}", f"slug: {slugify(name)}", f"stars: {stars}",
            f"category: {category}", f"commune: {commune}",
            f"producer: {producers[index % producer_count]}",
            "certificate:", f"  decision: {index + 1}/QĐ-UBND",
            f"  date: {signed}", f"  issued_by: {signer(stars, signed)}",
        ]
        if price:
            front += [f"price: {price + 1000 * (index % 50)}", f"unit: {unit}"]
        if image_files:
            front.append(f"images: [images/{image_files[index % len(image_files)]}]")
        if index % 97 == 0:
            front.append("featured: true")
        front.append("---")
        (out / f"content/products/{slugify(name)}.md").write_text(
            "\n".join(front) + "\n" + description(rng, name, commune), encoding="utf-8")


def signer(stars: int, signed: str) -> str:
    """Who signs a certificate of that level on that date (ocop_site/rules/certifiers.yaml)."""
    if stars == 5:
        return "Bộ Nông nghiệp và Phát triển nông thôn"
    if stars == 3 and "2023-02-24" <= signed <= "2025-07-05":
        return "UBND huyện Mẫu"
    return "UBND tỉnh Mẫu"


def _make_images(folder: Path, count: int, rng: random.Random) -> list[str]:
    if not count:
        return []
    from PIL import Image, ImageDraw, ImageFilter
    files = []
    for index in range(count):
        image = Image.new("RGB", (1600, 1200), (rng.randrange(256), 140, 90))
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randrange(1600), rng.randrange(1200)
            draw.ellipse((x, y, x + rng.randrange(50, 400), y + rng.randrange(50, 300)),
                         fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        image = image.filter(ImageFilter.GaussianBlur(2))
        name = f"anh-{index + 1:04d}.jpg"
        image.save(folder / name, quality=80)
        files.append(name)
    return files


SHOP_KINDS = ("showroom", "shop", "supermarket", "market", "agent")


def add_shops(out: Path, count: int, per_shop: int, seed: int = 2025) -> None:
    """`count` shops in content/shops/, each with hours, a position and `per_shop` of
    the generated products (the issue's bench: 500 shops of 20 products)."""
    rng = random.Random(seed + 1)
    slugs = sorted(p.stem for p in (out / "content/products").glob("*.md"))
    communes = [line.split(":", 1)[1].strip() for line in
                (out / "content/data/communes.yaml").read_text("utf-8").splitlines()
                if line.startswith("  - name:")]
    folder = out / "content/shops"
    folder.mkdir(exist_ok=True)
    for index in range(count):
        products = "\n".join(f"  - {slug}" for slug in rng.sample(slugs, per_shop))
        (folder / f"cua-hang-{index:04d}.md").write_text(
            f"---\nname: Cửa hàng OCOP số {index}\nkind: {rng.choice(SHOP_KINDS)}\n"
            f"commune: {rng.choice(communes)}\naddress: Số {index}, đường chính\n"
            f"geo: {{lat: {rng.uniform(20.5, 22.5):.4f}, lng: {rng.uniform(104.5, 106.5):.4f}}}\n"
            f'phone: "0900 {index:03d} 000"\nhours:\n  - Mo-Fr 07:30-11:30,13:30-17:00\n'
            f"  - Sa-Su 08:00-12:00\nproducts:\n{products}\n---\nCửa hàng mẫu.\n",
            encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--images", type=int, default=0, help="distinct photos to generate")
    parser.add_argument("--communes", type=int, default=148)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--shops", type=int, default=0,
                        help="shops to add, each selling --shop-products products")
    parser.add_argument("--shop-products", type=int, default=20)
    args = parser.parse_args()
    generate(args.out, args.count, args.images, args.communes, args.seed)
    if args.shops:
        add_shops(args.out, args.shops, args.shop_products, args.seed)
    print(f"generated {args.count} products in {args.out}")


if __name__ == "__main__":
    main()
