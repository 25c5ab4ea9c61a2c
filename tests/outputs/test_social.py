"""Open Graph and Twitter card tags: what Zalo and Facebook show when a page is shared."""
from __future__ import annotations

from PIL import Image

from .conftest import Built
from .pagedata import parse


def one(meta: dict[str, list[str]], key: str) -> str:
    [value] = meta[key]
    return value


def test_product_page_shares_title_description_and_photo(built: Built) -> None:
    for product in built.catalogue.products:
        url = built.config.absolute(f"san-pham/{product.slug}/")
        meta = parse(built.file_for(url).read_text("utf-8")).meta
        assert one(meta, "og:type") == "product"
        assert one(meta, "og:locale") == "vi_VN"
        assert one(meta, "og:title") == product.name
        assert one(meta, "og:description") == product.summary
        assert one(meta, "og:url") == url
        assert one(meta, "twitter:title") == product.name
        if not product.images:
            assert "og:image" not in meta
            assert one(meta, "twitter:card") == "summary"
            continue
        assert one(meta, "twitter:card") == "summary_large_image"
        image_url = one(meta, "og:image")
        assert one(meta, "twitter:image") == image_url
        with Image.open(built.file_for(image_url)) as image:  # absolute, real, right size
            assert image.size == (int(one(meta, "og:image:width")),
                                  int(one(meta, "og:image:height")))
            assert image.format == "JPEG"  # every network reads JPEG
            width, height = image.size
            assert abs(width / height - 1200 / 630) < 0.01  # the 1.91:1 link-preview frame
            assert width <= 1200
        assert one(meta, "og:image:alt")


def test_other_pages_are_websites_with_absolute_urls(small: Built) -> None:
    for path in ("index.html", "xa/song-lo/index.html", "co-so/htx-che-dong-thinh/index.html",
                 "su-kien/index.html", "ban-in/index.html"):
        meta = parse(small.page(path)).meta
        assert one(meta, "og:type") == "website", path
        assert one(meta, "og:locale") == "vi_VN"
        assert one(meta, "og:url").startswith(small.config.base_url)
        for key in ("og:image", "twitter:image"):
            for url in meta.get(key, []):
                assert small.file_for(url).is_file(), (path, url)
    home = parse(small.page("index.html")).meta
    assert one(home, "og:title") == "OCOP Thử nghiệm"
    assert one(home, "og:description") == "Trang thử nghiệm"
