"""An edit to one shop re-makes only what shows it: its page, its sheet, the pages of
the products it sells, the index that lists it and the open data; the rest is placed
from the output cache. Same input, same bytes."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ocop_site.pipeline import builder

from ..conftest import TODAY
from .helpers import add_shops


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".ocop" not in p.parts}


def test_one_shop_edit_remakes_its_page_sheet_and_products(site: Path, tmp_path: Path) -> None:
    add_shops(site)
    out = tmp_path / "public"
    builder.build(site, out, today=TODAY, search=False)
    before = tree(out)
    shop = site / "content/shops/ocop-song-lo.md"
    shop.write_text(shop.read_text("utf-8").replace("Sa-Su 08:00-12:00", "Sa-Su 08:00-11:00"),
                    "utf-8")
    result = builder.build(site, out, today=TODAY, search=False)
    after = tree(out)
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed == {
        "cua-hang/ocop-song-lo/index.html", "cua-hang/ocop-song-lo/in/index.html",
        "san-pham/che-xanh-dong-thinh/index.html",
        "san-pham/mat-ong-hoa-nhan-don-nhan/index.html",
        "cua-hang/index.html", "catalogue.json", "shops.csv"}
    assert result.made == len(changed) - 1  # catalogue.json and shops.csv: one job
    # a cold build of the edited site writes the same bytes
    cold = tmp_path / "cold"
    builder.build(site, cold, today=TODAY, search=False)
    assert tree(cold) == after
