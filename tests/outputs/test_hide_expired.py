"""`hide_expired: true` hides expired products everywhere: pages, lists, events, print,
sitemap, feed, open data, QR codes and the search index. Without it they stay, flagged."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

from .conftest import Built

EXPIRED = "mat-ong-hoa-nhan-don-nhan"  # certificate expired 2024-03-01
NAME = "Mật ong hoa nhãn Đôn Nhân"


def every_text_file(built: Built) -> dict[str, str]:
    suffixes = {".html", ".xml", ".txt", ".json", ".csv", ".js", ".svg"}
    return {p.relative_to(built.root).as_posix(): p.read_text("utf-8", errors="replace")
            for p in built.root.rglob("*") if p.is_file() and p.suffix in suffixes}


def search_index_text(built: Built) -> str:
    """Every file of the search index (words, cards, facets), as text."""
    files = sorted((built.root / "search-index").rglob("*.json"))
    assert files, "the build writes a search index"
    return "\n".join(f.read_text("utf-8") for f in files)


def test_hidden_expired_product_is_not_searchable(hidden: Built, small: Built) -> None:
    assert f"\"san-pham/{EXPIRED}/" in search_index_text(small)  # indexed when not hidden
    indexed = search_index_text(hidden)
    assert "\"san-pham/che-xanh-dong-thinh/" in indexed
    assert f"\"san-pham/{EXPIRED}/" not in indexed
    assert NAME not in indexed


def test_hidden_expired_product_appears_nowhere(hidden: Built) -> None:
    assert EXPIRED not in {p.slug for p in hidden.catalogue.products}
    assert not (hidden.root / "san-pham" / EXPIRED).exists()  # no page, no QR code
    for path, content in every_text_file(hidden).items():
        assert EXPIRED not in content, path
        assert NAME not in content, path
    data = json.loads((hidden.root / "catalogue.json").read_bytes())
    assert EXPIRED not in [p["slug"] for p in data["products"]]
    with open(hidden.root / "catalogue.csv", encoding="utf-8-sig", newline="") as handle:
        assert EXPIRED not in [row["slug"] for row in csv.DictReader(handle)]
    sitemap = (hidden.root / "sitemap.xml").read_bytes()
    assert not [e for e in ET.fromstring(sitemap).iter() if e.text and EXPIRED in e.text]
    # the event that showed it is still there, with the other product
    event = hidden.page("su-kien/phien-cho-thu-nghiem/index.html")
    assert "Chè xanh Đồng Thịnh" in event


def test_without_the_option_expired_products_stay_flagged(small: Built) -> None:
    page = small.page(f"san-pham/{EXPIRED}/index.html")
    assert "đã hết hạn" in page and "Đã hết hạn" in page
    data = json.loads((small.root / "catalogue.json").read_bytes())
    [honey] = [p for p in data["products"] if p["slug"] == EXPIRED]
    assert honey["certificate"]["expired"] is True
    home = small.page("index.html")
    assert NAME not in home  # neither featured nor newest
    assert EXPIRED not in (small.root / "feed.xml").read_text("utf-8")
    assert EXPIRED in (small.root / "sitemap.xml").read_text("utf-8")
    assert (small.root / "san-pham" / EXPIRED / "qr.svg").is_file()
