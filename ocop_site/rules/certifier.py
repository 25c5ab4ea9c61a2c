"""Who may sign an OCOP certificate of which star level, in which period — as data.

The rules are a table (ocop_site/rules/certifiers.yaml, extended or overridden by a
site's content/data/certifiers.yaml): from a date on, each star level is recognised by one
level of government (commune, district, province, central). `issuer_level()` reads that
level from the free text of `certificate.issued_by` ("UBND huyện Sông Lô", "UBND T. Vĩnh
Phúc", "Bộ NN&PTNT", any tone placement); `check()` says, as a warning, where a
certificate's stars, date and signer disagree with the period's rule. Text it cannot read
is left alone: a warning must name a rule, never guess.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from ..errors import ErrorCollector
from ..text import vietnamese

LEVELS = ("commune", "district", "province", "central")
RULES_FILE = Path(__file__).with_name("certifiers.yaml")

# how each level is named in a warning, and the words accepted for `issuer_level:`
_LEVEL_EN = {"commune": "a commune (UBND xã)", "district": "a district (UBND huyện)",
             "province": "a province (UBND tỉnh)",
             "central": "the central level (Bộ Nông nghiệp)"}
_LEVEL_VI = {"commune": "cấp xã (UBND xã)", "district": "cấp huyện (UBND huyện)",
             "province": "cấp tỉnh (UBND tỉnh)",
             "central": "cấp trung ương (Bộ Nông nghiệp)"}
_LEVEL_WORDS = {"commune": ("commune", "xa", "cap xa"),
                "district": ("district", "huyen", "cap huyen"),
                "province": ("province", "tinh", "cap tinh"),
                "central": ("central", "trung uong", "cap trung uong", "quoc gia")}


@dataclass(frozen=True)
class Period:
    """From `start` on (until the next period), star level → level of the signer."""

    start: dt.date
    decision: str  # "Quyết định 148/QĐ-TTg"
    signed: dt.date | None
    levels: tuple[tuple[int, str], ...]  # ((3, "district"), (4, "province"), (5, "central"))

    def level_for(self, stars: int) -> str | None:
        return dict(self.levels).get(stars)


@dataclass(frozen=True)
class Rules:
    periods: tuple[Period, ...] = ()  # sorted by start

    def period_on(self, day: dt.date) -> Period | None:
        """The period a certificate signed on `day` falls in; None before the first."""
        found = None
        for period in self.periods:
            if period.start <= day:
                found = period
        return found

    def extended(self, periods: tuple[Period, ...]) -> "Rules":
        """These rules with `periods` added; one starting on the same day replaces."""
        merged = {p.start: p for p in self.periods} | {p.start: p for p in periods}
        return Rules(tuple(merged[start] for start in sorted(merged)))


# --- reading the table --------------------------------------------------------------------

def parse_rules(data: Any, lines: Mapping[tuple, int], shown: str,
                errors: ErrorCollector) -> tuple[Period, ...]:
    """`periods:` of a certifiers.yaml, each checked; bad entries are errors, left out."""
    raw = data.get("periods") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        errors.add(shown, 1, "periods", "expected 'periods:' followed by a list",
                   "cần có 'periods:' và một danh sách")
        return ()
    periods = []
    for index, item in enumerate(raw):
        line = lines.get(("periods", str(index)), 1)
        period = _period(item)
        if period is None:
            errors.add(shown, line, "periods",
                       "each period needs 'from: YYYY-MM-DD', 'decision:' and 'stars: {3: "
                       "province, 4: province, 5: central}' (levels: " + ", ".join(LEVELS) + ")",
                       "mỗi thời kỳ cần 'from: YYYY-MM-DD', 'decision:' và 'stars: {3: "
                       "province, 4: province, 5: central}' (cấp: " + ", ".join(LEVELS) + ")")
            continue
        periods.append(period)
    return tuple(sorted(periods, key=lambda p: p.start))


def _period(item: Any) -> Period | None:
    if not isinstance(item, dict) or not isinstance(item.get("from"), dt.date):
        return None
    stars = item.get("stars")
    if not isinstance(stars, dict) or not isinstance(item.get("decision"), str):
        return None
    levels = []
    for key, level in stars.items():
        if not str(key).isdigit() or level not in LEVELS:
            return None
        levels.append((int(key), level))
    signed = item.get("signed")
    return Period(item["from"], item["decision"],
                  signed if isinstance(signed, dt.date) else None, tuple(sorted(levels)))


@cache
def default_rules() -> Rules:
    """The shipped table (the three periods of Decisions 1048, 148 and 1489)."""
    from ..text.frontmatter import parse_yaml

    errors = ErrorCollector()
    data, lines = parse_yaml(RULES_FILE.read_text(encoding="utf-8"))
    rules = Rules(parse_rules(data, lines, str(RULES_FILE), errors))
    assert not errors.errors, errors.errors  # the shipped file is tested
    return rules


# --- reading the signer ----------------------------------------------------------------

_COMMITTEE = r"(?:chu tich\s+)?(?:ubnd|uy ban nhan dan|u\.b\.n\.d\.?)\s*"
_PATTERNS = (  # on vietnamese.fold()ed text: no diacritics, so any tone placement matches
    ("central", re.compile(r"^(?:bo\b|bnn|bo\s*nn|thu tuong|chinh phu|van phong dieu phoi"
                           r".*trung uong|hoi dong .*trung uong)")),
    ("province", re.compile(rf"^(?:{_COMMITTEE}(?:tinh\b|t\.)|so\b|hoi dong .*cap tinh)")),
    ("district", re.compile(rf"^(?:{_COMMITTEE}(?:huyen\b|h\.|quan\b|q\.|thi xa\b|tx\b\.?)"
                            r"|hoi dong .*cap huyen|phong\b)")),
    ("commune", re.compile(rf"^(?:{_COMMITTEE}(?:xa\b|x\.|phuong\b|p\.|thi tran\b|tt\b\.?)"
                           r"|hoi dong .*cap xa)")),
)
_CITY = re.compile(rf"^{_COMMITTEE}(?:thanh pho|tp\b\.?)\s*(.+)$")


def issuer_level(issued_by: str) -> str | None:
    """The level of government that `issued_by` names, or None when the text does not
    say. "UBND thành phố X" is a province for a centrally governed city (Hà Nội, Huế…)
    and a district for a provincial city (Việt Trì, Vĩnh Yên)."""
    folded = vietnamese.fold(vietnamese.nfc(issued_by)).replace("đ", "d")
    folded = re.sub(r"\s*&\s*", "&", folded).strip(" .,;")
    if not folded:
        return None
    city = _CITY.match(folded)
    if city:
        return "province" if _is_centrally_governed(city.group(1)) else "district"
    for level, pattern in _PATTERNS:
        if pattern.match(folded):
            return level
    return None


def _is_centrally_governed(name: str) -> bool:
    from ..regions import gazetteer

    key = vietnamese.fold(name).replace("đ", "d")  # `name` comes folded from issuer_level()
    return any(p.kind == "thành phố" and vietnamese.fold(p.name).replace("đ", "d") == key
               for p in gazetteer.provinces())


def parse_level(value: str) -> str | None:
    """`issuer_level:` as written: "province", "tỉnh", "cấp tỉnh", "trung ương"…"""
    key = vietnamese.fold(str(value)).replace("đ", "d").strip()
    return next((level for level, words in _LEVEL_WORDS.items() if key in words), None)


# --- the check ------------------------------------------------------------------------

def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def check(stars: int, signed: dt.date, issued_by: str, declared_level: str | None,
          rules: Rules) -> tuple[str, str] | None:
    """(English, Vietnamese) warning when the signer's level is not the one the period's
    rule gives for `stars`; None when they agree or when the level cannot be told.
    `declared_level` (the `issuer_level:` field) wins over what the text suggests."""
    period = rules.period_on(signed)
    if period is None:
        return None
    expected = period.level_for(stars)
    actual = declared_level or issuer_level(issued_by)
    if expected is None or actual is None or actual == expected:
        return None
    if declared_level:
        who_en = who_vi = f"'{issued_by}' (issuer_level: {actual})" if issued_by else \
            f"issuer_level: {actual}"
    else:
        who_en, who_vi = f"'{issued_by}'", f"'{issued_by}'"
    return (f"a {stars}★ certificate is signed by {_LEVEL_EN[expected]}; {who_en} signed it "
            f"on {_day(signed)} — check issued_by, stars and date ({period.decision}, from "
            f"{_day(period.start)}), or write issuer_level: {actual} if they are right",
            f"giấy chứng nhận {stars}★ do {_LEVEL_VI[expected]} ký; {who_vi} ký ngày "
            f"{_day(signed)} — hãy kiểm tra issued_by, stars và date ({period.decision}, từ "
            f"{_day(period.start)}), hoặc ghi issuer_level: {actual} nếu đúng như vậy")
