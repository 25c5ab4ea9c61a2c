"""Opening hours in schema.org's `openingHours` syntax, one rule a line:

    Mo-Fr 07:30-11:30,13:30-17:00
    Sa-Su 08:00-12:00
    Mo,We,Fr 06:00-10:00

Days are Mo Tu We Th Fr Sa Su, a range (`Mo-Fr`, `Sa-Mo` wraps) or a list of either;
times are HH:MM-HH:MM (24:00 is midnight at the end of the day), several separated by
commas. A later line for a day adds to the earlier ones. Parsed into frozen values the
pages show in words (site/shops.py) and the browser reads to say "open now".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidInput

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # index 0 is Monday, like date.weekday()
EXAMPLE = "Mo-Fr 07:30-11:30,13:30-17:00"
_TIME = r"([01]?\d|2[0-4]):([0-5]\d)"
_SPAN = re.compile(rf"^{_TIME}-{_TIME}$")
_DAY_PART = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


@dataclass(frozen=True)
class OpeningRule:
    """One line: the days it covers (0 = Monday) and the spans, in minutes after
    midnight, the place is open on each of them."""

    days: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    written: str = ""  # the line as written, for schema.org's openingHours


class HoursError(InvalidInput):
    """A line that is not an opening-hours rule: what is wrong, in English and Vietnamese
    (`en`, `vi`); the shop reader reports it with the file and line."""


def parse_rule(line: str) -> OpeningRule:
    """`Mo-Fr 07:30-11:30,13:30-17:00` → OpeningRule; HoursError when it is not one."""
    text = " ".join(line.split())
    parts = text.split(" ")
    if len(parts) != 2:
        raise HoursError(f"'{line}' is not days then times, e.g. '{EXAMPLE}'",
                         f"'{line}' không phải ngày rồi giờ, ví dụ '{EXAMPLE}'")
    day_text, time_text = parts
    days: list[int] = []
    for part in day_text.split(","):
        match = _DAY_PART.match(part)
        if match is None:
            raise HoursError(
                f"'{part}' is not a day or a range of days; days are "
                f"{' '.join(DAYS)} (Monday to Sunday), e.g. '{EXAMPLE}'",
                f"'{part}' không phải ngày hay khoảng ngày; ngày viết là "
                f"{' '.join(DAYS)} (thứ Hai đến Chủ nhật), ví dụ '{EXAMPLE}'")
        first = DAYS.index(match.group(1))
        last = DAYS.index(match.group(2)) if match.group(2) else first
        count = (last - first) % 7 + 1
        days += [d for d in ((first + i) % 7 for i in range(count)) if d not in days]
    spans: list[tuple[int, int]] = []
    for part in time_text.split(","):
        match = _SPAN.match(part)
        if match is None:
            raise HoursError(
                f"'{part}' is not a time span HH:MM-HH:MM (24-hour clock), e.g. '{EXAMPLE}'",
                f"'{part}' không phải khoảng giờ HH:MM-HH:MM (đồng hồ 24 giờ), ví dụ "
                f"'{EXAMPLE}'")
        start = int(match.group(1)) * 60 + int(match.group(2))
        end = int(match.group(3)) * 60 + int(match.group(4))
        if start >= 24 * 60 or end > 24 * 60 or end <= start:
            raise HoursError(
                f"'{part}' closes before it opens or is past 24:00; write the opening "
                f"time first, e.g. '{EXAMPLE}'",
                f"'{part}' giờ đóng trước giờ mở hoặc quá 24:00; hãy ghi giờ mở trước, "
                f"ví dụ '{EXAMPLE}'")
        spans.append((start, end))
    spans.sort()
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
        raise HoursError(f"the times in '{time_text}' overlap; e.g. '{EXAMPLE}'",
                         f"các khoảng giờ trong '{time_text}' chồng lên nhau; ví dụ "
                         f"'{EXAMPLE}'")
    return OpeningRule(tuple(sorted(days)), tuple(spans), text)


def hh_mm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def spans_by_day(rules: tuple[OpeningRule, ...]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Monday … Sunday: the spans each day is open (later lines add to earlier ones)."""
    week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    for rule in rules:
        for day in rule.days:
            week[day] += [s for s in rule.spans if s not in week[day]]
    return tuple(tuple(sorted(day)) for day in week)
