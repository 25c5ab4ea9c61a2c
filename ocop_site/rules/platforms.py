"""Online stores a product may link (`buy_online:`): their display names and the hosts
their links must be on, from a table (ocop_site/rules/platforms.yaml, extended or
overridden entry by entry by a site's content/data/platforms.yaml); and the address a
shop's directions link opens.

A link passes only when it is https: and its host is one of the platform's hosts or a
subdomain of one (`www.shopee.vn`), never a look-alike (`shopee.vn.example.com`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

from ..errors import ErrorCollector

PLATFORMS_FILE = Path(__file__).with_name("platforms.yaml")
ANY_HOST = "any"


@dataclass(frozen=True)
class Platform:
    id: str
    name: str  # as the button says it, in every language unless name_<lang> is given
    hosts: tuple[str, ...]  # () with any_host: the producer's own shop
    any_host: bool = False
    names: tuple[tuple[str, str], ...] = ()  # (language, name) where it differs

    def name_in(self, lang: str) -> str:
        return dict(self.names).get(lang, self.name)

    def allows(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return self.any_host or any(host == h or host.endswith("." + h) for h in self.hosts)


@dataclass(frozen=True)
class Platforms:
    platforms: tuple[Platform, ...] = ()
    directions: str = ""  # a URL with {destination}

    def get(self, platform_id: str) -> Platform | None:
        return next((p for p in self.platforms if p.id == platform_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.platforms)

    def extended(self, other: "Platforms") -> "Platforms":
        """These platforms with `other`'s added; one of the same id replaces."""
        merged = {p.id: p for p in self.platforms} | {p.id: p for p in other.platforms}
        return Platforms(tuple(merged.values()), other.directions or self.directions)

    def directions_url(self, destination: str) -> str:
        return self.directions.replace("{destination}", quote(destination, safe=",."))


def link_problem(platform: Platform, url: str) -> tuple[str, str] | None:
    """What is wrong with `url` as a link to `platform` (English, Vietnamese), if anything."""
    if any(char.isspace() or not char.isprintable() for char in url):
        return ("a link may not hold spaces or invisible characters",
                "liên kết không được có khoảng trắng hay ký tự ẩn")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme.lower() != "https" or not host:
        return (f"must be a full https:// address (got {url!r})",
                f"phải là địa chỉ https:// đầy đủ (đang ghi {url!r})")
    if parts.username or parts.password or not platform.allows(host):
        hosts = ", ".join(platform.hosts)
        return (f"'{host}' is not a {platform.name} address; a {platform.name} link is on "
                f"{hosts}, e.g. https://{platform.hosts[0]}/…",
                f"'{host}' không phải địa chỉ của {platform.name}; liên kết {platform.name} "
                f"phải thuộc {hosts}, ví dụ https://{platform.hosts[0]}/…")
    return None


def parse_platforms(data: Any, lines: Mapping[tuple, int], shown: str,
                    errors: ErrorCollector) -> Platforms:
    """A platforms.yaml, each entry checked; bad entries are errors, left out."""
    raw = data.get("platforms", []) if isinstance(data, dict) else None
    if not isinstance(raw, list):
        errors.add(shown, 1, "platforms", "expected 'platforms:' followed by a list",
                   "cần có 'platforms:' và một danh sách")
        return Platforms()
    found = []
    for index, item in enumerate(raw):
        platform = _platform(item)
        if platform is None:
            errors.add(shown, lines.get(("platforms", str(index)), 1), "platforms",
                       "each platform needs 'id:', 'name:' and 'hosts:' (a list of hosts "
                       "such as [shopee.vn], or 'any')",
                       "mỗi sàn cần 'id:', 'name:' và 'hosts:' (danh sách tên miền như "
                       "[shopee.vn], hoặc 'any')")
            continue
        found.append(platform)
    directions = data.get("directions", "") if isinstance(data, dict) else ""
    if not isinstance(directions, str) or (directions and (
            not directions.startswith("https://") or "{destination}" not in directions)):
        errors.add(shown, lines.get(("directions",), 1), "directions",
                   "must be an https:// address holding {destination}",
                   "phải là địa chỉ https:// có {destination}")
        directions = ""
    return Platforms(tuple(found), directions)


def _platform(item: Any) -> Platform | None:
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item[k]
                                             for k in ("id", "name")):
        return None
    hosts = item.get("hosts")
    names = tuple(sorted((key[5:], value) for key, value in item.items()
                         if key.startswith("name_") and isinstance(value, str)))
    if hosts == ANY_HOST:
        return Platform(item["id"], item["name"], (), True, names)
    if not isinstance(hosts, list) or not hosts or not all(
            isinstance(h, str) and h and "/" not in h for h in hosts):
        return None
    return Platform(item["id"], item["name"], tuple(h.lower() for h in hosts), False, names)


@cache
def default_platforms() -> Platforms:
    """The shipped table."""
    from ..text.frontmatter import parse_yaml

    errors = ErrorCollector()
    data, lines = parse_yaml(PLATFORMS_FILE.read_text(encoding="utf-8"))
    platforms = parse_platforms(data, lines, str(PLATFORMS_FILE), errors)
    assert not errors.errors, errors.errors  # the shipped file is tested
    return platforms
