"""Shops written into a real copy of the fixture site, for the shop tests."""
from __future__ import annotations

from pathlib import Path

SHOWROOM = """---
name: Điểm giới thiệu sản phẩm OCOP Sông Lô
kind: showroom
commune: Như Thuỵ
address: Thôn Đồng Tâm, xã Sông Lô
geo: {lat: 21.45, lng: 105.39}
phone: "0900 000 201"
zalo: "0900 000 201"
hours:
  - Mo-Fr 07:30-11:30,13:30-17:00
  - Sa-Su 08:00-12:00
products:
  - che-xanh-dong-thinh
  - Mật ong hoa nhãn Đôn Nhân
---
Gian trưng bày của huyện.
"""
MARKET = """---
name: Chợ Đôn Nhân
kind: market
commune: Đôn Nhân
address: Chợ Đôn Nhân
geo: {lat: 21.30, lng: 105.50}
hours: |
  Mo-Su 05:00-10:00
products: [mat-ong-don-nhan, che-xanh-dong-thinh]
---
"""
SUPERMARKET = """---
name: Bách hóa An Phú
kind: supermarket
commune: Hải Lựu
address: Km 3, xã Hải Lựu
products: [che-xanh-dong-thinh]
---
"""
BUY_ONLINE = """buy_online:
  - {platform: shopee, url: "https://shopee.vn/che-xanh-i.1.2"}
  - {platform: website, url: "https://htx-che.example.org/mua"}
"""


def add_shops(site: Path) -> Path:
    """Three shops and online stores on the tea; returns the site."""
    folder = site / "content" / "shops"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ocop-song-lo.md").write_text(SHOWROOM, encoding="utf-8")
    (folder / "cho-don-nhan.md").write_text(MARKET, encoding="utf-8")
    (folder / "bach-hoa-an-phu.md").write_text(SUPERMARKET, encoding="utf-8")
    tea = site / "content" / "products" / "che-xanh-dong-thinh.md"
    text = tea.read_text(encoding="utf-8")
    tea.write_text(text.replace("featured: true\n", "featured: true\n" + BUY_ONLINE, 1),
                   encoding="utf-8")
    return site
