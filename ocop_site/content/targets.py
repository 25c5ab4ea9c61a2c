"""`targets:` in site.yaml: the district's OCOP plan, year by year, that the statistics
page (site/statistics.py) shows progress against.

    targets:
      2025:
        new_3_star: 10     # products certified that year, 3 stars and above
        new_4_star: 3      # … 4 stars and above
        new_5_star: 1      # … 5 stars
        communes: 4        # communes with at least one valid product at the year's end

Every mistake is an error on its line (`site.yaml:31: targets.2025.new_3_star: …`).
"""
from __future__ import annotations

from typing import Any

from ..errors import ErrorCollector, did_you_mean, nearest
from ..text.frontmatter import Document

TARGET_METRICS = ("new_3_star", "new_4_star", "new_5_star", "communes")
FIRST_YEAR, LAST_YEAR = 2000, 2100

# (year, ((metric, target), …)), years ascending, metrics in TARGET_METRICS order
Targets = tuple[tuple[int, tuple[tuple[str, int], ...]], ...]

EXAMPLE = "targets: {2025: {new_3_star: 10}}"


def read_targets(doc: Document, shown: str, errors: ErrorCollector) -> Targets:
    """The `targets:` block, checked; () when absent. Errors go to `errors`."""
    value = doc.data.get("targets")
    if value is None:
        return ()
    if not isinstance(value, dict):
        errors.add(shown, doc.line_of("targets"), "targets",
                   f"must be years with their targets, got {value!r}; e.g. {EXAMPLE}",
                   f"phải là các năm và chỉ tiêu của năm, đang ghi {value!r}; "
                   f"ví dụ {EXAMPLE}")
        return ()
    years: list[tuple[int, tuple[tuple[str, int], ...]]] = []
    for key, goals in value.items():
        line = doc.line_of("targets", str(key))
        year = _year(str(key))
        if year is None:
            errors.add(shown, line, f"targets.{key}",
                       f"'{key}' is not a year between {FIRST_YEAR} and {LAST_YEAR}; "
                       f"e.g. {EXAMPLE}",
                       f"'{key}' không phải là năm từ {FIRST_YEAR} đến {LAST_YEAR}; "
                       f"ví dụ {EXAMPLE}")
            continue
        if not isinstance(goals, dict) or not goals:
            errors.add(shown, line, f"targets.{key}",
                       f"must list the year's targets, e.g. 'new_3_star: 10' "
                       f"(one of: {', '.join(TARGET_METRICS)})",
                       f"phải ghi các chỉ tiêu của năm, ví dụ 'new_3_star: 10' "
                       f"(một trong: {', '.join(TARGET_METRICS)})")
            continue
        found = _goals(doc, shown, errors, str(key), goals)
        if found:
            years.append((year, found))
    return tuple(sorted(years))


def _year(text: str) -> int | None:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def _goals(doc: Document, shown: str, errors: ErrorCollector, year: str,
           goals: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    found: dict[str, int] = {}
    for metric, target in goals.items():
        line = doc.line_of("targets", year, str(metric))
        dotted = f"targets.{year}.{metric}"
        if metric not in TARGET_METRICS:
            en, vi = did_you_mean(nearest(str(metric), TARGET_METRICS))
            errors.add(shown, line, dotted,
                       f"unknown target '{metric}'{en} (one of: {', '.join(TARGET_METRICS)})",
                       f"không có chỉ tiêu '{metric}'{vi} (một trong: "
                       f"{', '.join(TARGET_METRICS)})")
        elif isinstance(target, bool) or not isinstance(target, int) or target < 1:
            errors.add(shown, line, dotted,
                       f"must be a whole number of 1 or more, got {target!r}; "
                       f"e.g. {metric}: 10",
                       f"phải là số nguyên từ 1 trở lên, đang ghi {target!r}; "
                       f"ví dụ {metric}: 10")
        else:
            found[metric] = target
    return tuple((metric, found[metric]) for metric in TARGET_METRICS if metric in found)
