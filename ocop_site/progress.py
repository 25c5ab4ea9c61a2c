"""Progress of long builds, for the person waiting: the builder reports (stage, done,
total) through an optional callback and stays free of terminal concerns; this turns the
reports into a bar redrawn in place on a terminal, or into a plain line now and then in
CI logs, where a redrawn line would become thousands of lines."""
from __future__ import annotations

import time
from typing import Callable, TextIO

STAGE_NAMES = {"pages": "trang / pages"}


class Progress:
    """Callable as `progress(stage, done, total)`.

    On a terminal: one line per stage, redrawn at most every `redraw` seconds, ended when
    the stage is done. Elsewhere: nothing for a stage that finishes within `every`
    seconds (small sites stay quiet), otherwise a line every `every` seconds and a last
    one when the stage is done.
    """

    def __init__(self, stream: TextIO, tty: bool, every: float = 5.0, redraw: float = 0.1,
                 clock: Callable[[], float] = time.monotonic, width: int = 30):
        self.stream, self.tty, self.every, self.redraw = stream, tty, every, redraw
        self.clock, self.width = clock, width
        self._stage: str | None = None
        self._last = 0.0  # when the last line was written (or the stage started)
        self._printed = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        now = self.clock()
        if stage != self._stage:
            self._stage, self._last, self._printed = stage, now, False
            if self.tty:
                self._draw(stage, done, total)
                self._last = now
        finished = done >= total
        if self.tty:
            if finished or now - self._last >= self.redraw:
                self._draw(stage, done, total)
                self._last = now
            if finished:
                self.stream.write("\n")
                self.stream.flush()
                self._stage = None
            return
        if (finished and self._printed) or (not finished and now - self._last >= self.every):
            self.stream.write(f"{STAGE_NAMES.get(stage, stage)}: {done}/{total} "
                              f"({percent(done, total)}%)\n")
            self.stream.flush()
            self._last, self._printed = now, True
        if finished:
            self._stage = None

    def _draw(self, stage: str, done: int, total: int) -> None:
        filled = self.width * done // total if total else 0
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{STAGE_NAMES.get(stage, stage):<16} [{bar}] {done}/{total} "
                          f"{percent(done, total):>3}%")
        self.stream.flush()


def percent(done: int, total: int) -> int:
    return 100 * done // total if total else 100
