"""What a page looks like when shared on Zalo or Facebook (Open Graph, Twitter card).

Social networks crop to about 1.91:1 and need absolute image URLs; the page decides
which photo represents it, this module only picks the file and the kind of page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ..content.config import SiteConfig
from ..images.photos import ProcessedImage, Variant
from .urls import Page
from .views import ProductView

OG_LOCALE = "vi_VN"


@dataclass(frozen=True)
class Share:
    type: str  # og:type: "product" or "website"
    image_url: str = ""  # absolute; "" when the page has no photo
    image_width: int = 0
    image_height: int = 0
    image_alt: str = ""

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image_url else "summary"


def share_variant(image: ProcessedImage) -> Variant:
    """The 1200×630 JPEG crop images/photos.py makes for link previews (smaller when the photo
    is); the largest JPEG for an image processed without one."""
    return image.social or image.fallback


def _page_image(page: Page) -> tuple[ProcessedImage | None, str]:
    """The photo that stands for the page, with its alt text."""
    context: Mapping[str, Any] = page.context
    for ref, image in context.get("gallery", ()):
        return image, ref.alt
    image = context.get("image")
    if isinstance(image, ProcessedImage):
        return image, page.title
    for key in ("featured", "products", "newest"):  # lists: the first product with a photo
        for view in context.get(key, ()):
            if isinstance(view, ProductView) and view.image is not None:
                return view.image, view.product.name
    return None, ""


def share_for(page: Page, config: SiteConfig) -> Share:
    view = page.context.get("view")
    kind = "product" if isinstance(view, ProductView) and page.url == view.url else "website"
    image, alt = _page_image(page)
    if image is None:
        return Share(kind)
    variant = share_variant(image)
    return Share(kind, config.absolute(variant.url), variant.width, variant.height, alt)
