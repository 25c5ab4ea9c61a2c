"""The geometry of the statistics page's charts: horizontal bars drawn as inline SVG by
the template (templates/partials/chart.html), every coordinate decided here.

Each row is its label on one line and its bar on the next, so long names need no room
beside the bar and a chart stays readable at 320 px as at 1280 px (the SVG scales to
its box). Coordinates are strings with one decimal: the same figures give the same bytes.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Sequence

WIDTH = 320  # viewBox units; about CSS px on a phone
ROW = 40  # one row: the label's line and the bar's
LINE = 16  # each more line of a long label
LABEL_CHARACTERS = 44  # a line of label at 13px in WIDTH (wider letters: about 7 px each)
LABEL_BASELINE = 15  # from the top of the row
BAR_TOP, BAR_HEIGHT = 21, 14
VALUE_ROOM = 64  # right of the longest bar, for its value ("10.000", "100 %")
TRACK = WIDTH - VALUE_ROOM  # the longest bar


def _n(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    label: tuple[tuple[str, str], ...]  # (line, its baseline): long labels take two or more
    value_text: str  # written after the bar
    bar_y: str
    width: str  # of the bar (0 for a zero)
    value_x: str
    value_y: str  # the value's baseline, level with the bar


@dataclass(frozen=True)
class Chart:
    """One chart: `ident` names its <title> and <desc> for aria-labelledby; `tracks`:
    progress bars, each drawn over a track as long as its target."""

    ident: str
    title: str
    description: str
    height: int
    bars: tuple[Bar, ...]
    tracks: bool = False
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT
    track_width: str = _n(TRACK)


def bar_chart(ident: str, title: str, description: str,
              rows: Sequence[tuple[str, int, str]]) -> Chart:
    """(label, value, value as written) rows → bars scaled to the largest value."""
    largest = max((value for _, value, _ in rows), default=0)
    return _chart(ident, title, description, [
        (label, written, value / largest if largest else 0.0) for label, value, written in rows],
        False)


def progress_chart(ident: str, title: str, description: str,
                   rows: Sequence[tuple[str, int, str]]) -> Chart:
    """(label, percent 0–100, value as written) rows → bars over a full-length track."""
    return _chart(ident, title, description, [
        (label, written, min(max(percent, 0), 100) / 100) for label, percent, written in rows],
        True)


def _chart(ident: str, title: str, description: str,
           rows: Sequence[tuple[str, str, float]], tracked: bool) -> Chart:
    """(label, value as written, share of the longest bar) rows, one under the other;
    the value is written after the bar, or after the track."""
    bars = []
    top = 0
    for label, written, share in rows:
        lines = textwrap.wrap(label, LABEL_CHARACTERS) or [""]
        extra = (len(lines) - 1) * LINE
        width = TRACK * share
        bar_top = top + extra + BAR_TOP
        bars.append(Bar(
            tuple((line, _n(top + LABEL_BASELINE + index * LINE))
                  for index, line in enumerate(lines)),
            written, _n(bar_top), _n(width), _n((TRACK if tracked else width) + 6),
            _n(bar_top + BAR_HEIGHT - 2)))
        top += ROW + extra
    return Chart(ident, title, description, max(top, ROW), tuple(bars), tracks=tracked)
