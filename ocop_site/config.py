"""`site.yaml` → a frozen SiteConfig. Nothing about any region is hard-coded elsewhere."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .content.frontmatter import Document, FrontMatterError, decode, parse_yaml
from .content.schema import Field, check_fields
from .errors import ErrorCollector

PACKAGE_ROOT = Path(__file__).resolve().parent.parent

SITE_FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "Sản phẩm OCOP Sông Lô"),
    Field("tagline", "text", False, ""),
    Field("description", "text", False, ""),
    Field("base_url", "url", False, "https://ocop.example.org/"),
    Field("language", "text", False, "vi"),
    Field("region", "mapping", True, "", (
        Field("name", "text", True, "Sông Lô"),
        Field("kind", "text", False, "vùng"),
        Field("province", "text", False, "Phú Thọ"),
    )),
    Field("contact", "mapping", False, "", (
        Field("organisation", "text", False, ""),
        Field("email", "text", False, ""),
        Field("phone", "text", False, ""),
    )),
    Field("sample_data", "bool", False, "true"),
    Field("featured_limit", "int", False, "6"),
    Field("newest_limit", "int", False, "6"),
    Field("hide_expired", "bool", False, "false"),
)


@dataclass(frozen=True)
class Contact:
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """Everything the build needs to know about the site, decided once."""

    source: Path  # the site folder (holds site.yaml and content/)
    title: str
    region_name: str
    base_url: str = "/"
    tagline: str = ""
    description: str = ""
    language: str = "vi"
    region_kind: str = ""
    province: str = ""
    contact: Contact = Contact()
    sample_data: bool = False
    featured_limit: int = 6
    newest_limit: int = 6
    hide_expired: bool = False
    today: dt.date = dt.date(1970, 1, 1)

    @property
    def content_dir(self) -> Path:
        return self.source / "content"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """The site's own templates first, then the project's default theme."""
        own = self.source / "templates"
        default = PACKAGE_ROOT / "templates"
        return _existing_unique(own, default)

    @property
    def asset_dirs(self) -> tuple[Path, ...]:
        """The site's own assets first; the build skips theme files they override."""
        return _existing_unique(self.source / "assets", PACKAGE_ROOT / "assets")

    @property
    def base_path(self) -> str:
        """URL path the site lives under, e.g. '/ocop/' — used where relative links can't be."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def absolute(self, url_path: str) -> str:
        """Absolute URL of a site-relative path like 'san-pham/che/'."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return base + url_path.lstrip("/")


def _existing_unique(*dirs: Path) -> tuple[Path, ...]:
    seen: list[Path] = []
    for folder in dirs:
        folder = folder.resolve()
        if folder.is_dir() and folder not in seen:
            seen.append(folder)
    return tuple(seen)


def build_date() -> dt.date:
    """The build's 'today': SOURCE_DATE_EPOCH when set, so rebuilds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def load_config(source: Path, errors: ErrorCollector, base_url: str | None = None,
                today: dt.date | None = None) -> SiteConfig | None:
    """Read `<source>/site.yaml`; record problems in `errors` and return None if unusable."""
    path = source / "site.yaml"
    shown = "site.yaml"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        errors.add(shown, 0, "site.yaml",
                   f"no site.yaml in {source} (is --source the site folder?)",
                   f"không có site.yaml trong {source} (--source có phải thư mục trang không?)")
        return None
    try:
        data, lines = parse_yaml(decode(raw))
    except FrontMatterError as exc:
        errors.extend([exc.to_error(shown)])
        return None
    if not isinstance(data, dict):
        errors.add(shown, 1, "site.yaml", "must be a list of 'key: value' lines",
                   "phải là các dòng 'khóa: giá trị'")
        return None
    before = len(errors.errors)
    clean = check_fields(Document(data, lines), SITE_FIELDS, shown, errors)
    if len(errors.errors) > before:
        return None
    region = clean["region"]
    return SiteConfig(
        source=source,
        title=clean["title"],
        tagline=clean.get("tagline", ""),
        description=clean.get("description", ""),
        base_url=base_url or clean.get("base_url", "/"),
        language=clean.get("language", "vi"),
        region_name=region["name"],
        region_kind=region.get("kind", ""),
        province=region.get("province", ""),
        contact=Contact(**clean.get("contact", {})),
        sample_data=clean.get("sample_data", False),
        featured_limit=clean.get("featured_limit", 6),
        newest_limit=clean.get("newest_limit", 6),
        hide_expired=clean.get("hide_expired", False),
        today=today or build_date(),
    )
