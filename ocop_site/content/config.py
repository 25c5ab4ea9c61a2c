"""`site.yaml` → a frozen SiteConfig. Nothing about any region is hard-coded elsewhere."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit

from ..base.version import PACKAGE_ROOT, build_date
from ..errors import ErrorCollector, did_you_mean, nearest
from ..text.frontmatter import Document, FrontMatterError, decode, parse_yaml
from .i18n import LANGUAGE_CODE, Translator, load_translators
from .schema import Field, check_fields
from .targets import Targets, read_targets

SITE_FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "Sản phẩm OCOP Sông Lô"),
    Field("tagline", "text", False, ""),
    Field("description", "text", False, ""),
    Field("base_url", "url", False, "https://ocop.example.org/"),
    Field("language", "text", False, "vi"),  # older sites: one language
    Field("languages", "list", False, "[vi, en]"),  # the first is the default, at /
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
    # read by content/targets.py (listed here for "did you mean" and the known fields)
    Field("targets", "mapping", False, "{2025: {new_3_star: 10}}"),
)

# An `en:` (any other language's code) block in site.yaml: the site's own texts in that
# language; what it leaves out is shown in the default language.
SITE_TEXT_FIELDS: tuple[Field, ...] = (
    Field("title", "text", False, "OCOP products of Sông Lô"),
    Field("tagline", "text", False, ""),
    Field("description", "text", False, ""),
    Field("region", "mapping", False, "", (
        Field("name", "text", False, "Sông Lô"),
        Field("kind", "text", False, "area"),
        Field("province", "text", False, "Phú Thọ"),
    )),
    Field("contact", "mapping", False, "", (
        Field("organisation", "text", False, ""),
    )),
)


# `cms:` in site.yaml: which git host the published site's web form (admin/) saves to.
CMS_BACKENDS = ("none", "github", "gitlab")
CMS_FIELDS: tuple[Field, ...] = (
    Field("backend", "text", True, "github"),
    Field("repo", "text", False, "owner/name"),
    Field("branch", "text", False, "main"),
    Field("base_url", "url", False, "https://oauth.example.org"),
    Field("auth_endpoint", "text", False, "auth"),
    Field("open_authoring", "bool", False, "true"),
    Field("app_id", "text", False, "0123456789abcdef"),
    Field("api_root", "url", False, "https://gitlab.example.org/api/v4"),
)
_REPO = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+")


@dataclass(frozen=True)
class CmsSettings:
    """The web form's git host (docs/cms.md). `none`: no admin/ is published; `serve`
    always offers the form, saving into the working folder (`local`)."""

    backend: str = "none"  # none | github | gitlab
    repo: str = ""  # owner/name (GitLab: group/…/name)
    branch: str = "main"
    base_url: str = ""  # GitHub: the OAuth endpoint's server; GitLab: the instance
    auth_endpoint: str = ""
    open_authoring: bool = True  # GitHub: a stranger's edit becomes a pull request
    app_id: str = ""  # GitLab: the OAuth application's id (PKCE, no server)
    api_root: str = ""  # GitLab on its own server
    local: bool = False  # serve: the form saves through serve's local write API

    @property
    def published(self) -> bool:
        return self.local or self.backend != "none"


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
    languages: tuple[str, ...] = ("vi",)  # the first is the default language, at /
    # language code → interface strings (i18n/<code>.yaml), and → the `<code>:` block
    translators: Mapping[str, Translator] = dataclasses.field(
        default_factory=lambda: MappingProxyType({}))
    site_texts: Mapping[str, Mapping[str, Any]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({}))
    cms: CmsSettings = CmsSettings()
    targets: Targets = ()  # the OCOP plan's targets by year (content/targets.py)

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
    def i18n_dirs(self) -> tuple[Path, ...]:
        """Interface strings: the site's own `i18n/` first (key by key), then the theme's."""
        return _existing_unique(self.source / "i18n", PACKAGE_ROOT / "i18n")

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def translator(self, lang: str) -> Translator:
        """The interface strings of `lang` (a bare one when none were loaded, e.g. in
        tests that build a SiteConfig by hand: every lookup then fails loudly)."""
        return self.translators.get(lang) or Translator(lang)

    def localized(self, lang: str) -> "SiteConfig":
        """This config as pages in `lang` show it: title, tagline, region… from the
        site.yaml block of that language where written; `language` is `lang`."""
        own = self.site_texts.get(lang, {})
        region, contact = own.get("region", {}), own.get("contact", {})
        return dataclasses.replace(
            self, language=lang,
            title=own.get("title") or self.title,
            tagline=own.get("tagline") or self.tagline,
            description=own.get("description") or self.description,
            region_name=region.get("name") or self.region_name,
            region_kind=region.get("kind") or self.region_kind,
            province=region.get("province") or self.province,
            contact=dataclasses.replace(
                self.contact, organisation=contact.get("organisation")
                or self.contact.organisation))

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


def reads_config(source: Path, path: str) -> bool:
    """Whether `path` (absolute) is one of the files load_config reads: site.yaml, or an
    interface-strings file of the site's or the theme's i18n/ (serve keeps the config
    of its last build while none of them changed)."""
    if path == str(source / "site.yaml"):
        return True
    return any(path == str(folder) or path.startswith(str(folder) + os.sep)
               for folder in (source / "i18n", PACKAGE_ROOT / "i18n"))


def load_config(source: Path, errors: ErrorCollector, base_url: str | None = None,
                today: dt.date | None = None, local_cms: bool = False) -> SiteConfig | None:
    """Read `<source>/site.yaml`; record problems in `errors` and return None if unusable.
    `local_cms`: the web form saves into the working folder (`serve`), whatever `cms:`
    says."""
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
    doc = Document(data, lines)
    languages = _languages(doc, shown, errors)
    blocks = tuple(Field(code, "mapping", False, "", SITE_TEXT_FIELDS)
                   for code in languages[1:])
    clean = check_fields(doc, SITE_FIELDS + blocks, shown, errors,
                         {k: v for k, v in data.items() if k not in ("cms", "targets")})
    cms = _cms(doc, shown, errors, local_cms)
    targets = read_targets(doc, shown, errors)
    if len(errors.errors) > before:
        return None
    i18n_dirs = _existing_unique(source / "i18n", PACKAGE_ROOT / "i18n")
    translators = load_translators(i18n_dirs, languages, errors, (source, PACKAGE_ROOT),
                                   doc.line_of("languages"))
    if len(errors.errors) > before:
        return None
    region = clean["region"]
    return SiteConfig(
        source=source,
        title=clean["title"],
        tagline=clean.get("tagline", ""),
        description=clean.get("description", ""),
        base_url=base_url or clean.get("base_url", "/"),
        language=languages[0],
        region_name=region["name"],
        region_kind=region.get("kind", ""),
        province=region.get("province", ""),
        contact=Contact(**clean.get("contact", {})),
        sample_data=clean.get("sample_data", False),
        featured_limit=clean.get("featured_limit", 6),
        newest_limit=clean.get("newest_limit", 6),
        hide_expired=clean.get("hide_expired", False),
        today=today or build_date(),
        languages=languages,
        translators=MappingProxyType(translators),
        site_texts=MappingProxyType({code: clean[code] for code in languages[1:]
                                     if code in clean}),
        cms=cms,
        targets=targets,
    )


def _languages(doc: Document, shown: str, errors: ErrorCollector) -> tuple[str, ...]:
    """`languages: [vi, en]` (or the older `language: vi`); codes checked, order kept."""
    value = doc.data.get("languages")
    single = doc.data.get("language")
    if value is None:
        return (single,) if isinstance(single, str) and LANGUAGE_CODE.match(single) else ("vi",)
    line = doc.line_of("languages")
    if not isinstance(value, list) or not value:
        return ("vi",)  # check_fields reports the wrong type
    codes: list[str] = []
    for item in value:
        code = item.strip() if isinstance(item, str) else item
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            errors.add(shown, line, "languages",
                       f"{item!r} is not a language code; write lower-case codes like "
                       "[vi, en]",
                       f"{item!r} không phải mã ngôn ngữ; hãy viết mã chữ thường như [vi, en]")
        elif code in codes:
            errors.add(shown, line, "languages", f"'{code}' is listed twice",
                       f"'{code}' được ghi hai lần")
        else:
            codes.append(code)
    if isinstance(single, str) and codes and single != codes[0]:
        errors.add(shown, doc.line_of("language"), "language",
                   f"'language: {single}' disagrees with 'languages' (the first, "
                   f"'{codes[0]}', is the default); remove 'language:'",
                   f"'language: {single}' khác với 'languages' (mã đầu tiên, '{codes[0]}', "
                   "là ngôn ngữ mặc định); hãy bỏ dòng 'language:'")
    return tuple(codes) or ("vi",)


def _cms(doc: Document, shown: str, errors: ErrorCollector, local: bool) -> CmsSettings:
    """`cms: none`, or `cms:` with `backend: github|gitlab` and what that host needs."""
    value = doc.data.get("cms")
    line = doc.line_of("cms")
    if value is None or value == "none":
        return CmsSettings(local=local)
    if not isinstance(value, dict):
        errors.add(shown, line, "cms",
                   f"must be 'none' or indented fields starting with 'backend:', got "
                   f"{value!r}; e.g. cms: none",
                   f"phải là 'none' hoặc các trường thụt lề bắt đầu bằng 'backend:', đang "
                   f"ghi {value!r}; ví dụ cms: none")
        return CmsSettings(local=local)
    before = len(errors.errors)
    clean = check_fields(doc, CMS_FIELDS, shown, errors, value, ("cms",))
    backend = clean.get("backend", "none")
    if backend not in CMS_BACKENDS:
        en, vi = did_you_mean(nearest(backend, CMS_BACKENDS))
        errors.add(shown, doc.line_of("cms", "backend"), "cms.backend",
                   f"unknown backend '{backend}'{en} (one of: {', '.join(CMS_BACKENDS)})",
                   f"không có backend '{backend}'{vi} (chọn một trong: "
                   f"{', '.join(CMS_BACKENDS)})")
    needed = {"github": ("repo", "base_url"), "gitlab": ("repo", "app_id")}.get(backend, ())
    for name in needed:
        if not clean.get(name):
            example = next(f.example for f in CMS_FIELDS if f.name == name)
            errors.add(shown, doc.line_of("cms", "backend"), f"cms.{name}",
                       f"the {backend} backend needs '{name}:'; add a line like "
                       f"'  {name}: {example}' (see docs/cms.md)",
                       f"backend {backend} cần '{name}:'; hãy thêm dòng như "
                       f"'  {name}: {example}' (xem docs/cms.md)")
    repo = clean.get("repo", "")
    if repo and not _REPO.fullmatch(repo):
        errors.add(shown, doc.line_of("cms", "repo"), "cms.repo",
                   f"must be the repository as owner/name, got {repo!r}",
                   f"phải là kho mã dạng chủ-sở-hữu/tên, đang ghi {repo!r}")
    if len(errors.errors) > before:
        return CmsSettings(local=local)
    return CmsSettings(**clean, local=local)
