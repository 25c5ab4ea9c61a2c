"""Progress of long builds, for the person waiting: the builder reports (stage, done,
total) through an optional callback and stays free of terminal concerns; this turns the
reports into a bar redrawn in place on a terminal, or into a plain line now and then in
CI logs, where a redrawn line would become thousands of lines."""
from __future__ import annotations

import time
from typing import Callable, TextIO

STAGE_NAMES = {"load": "nội dung / content", "images": "ảnh / photos",
               "pages": "trang / pages", "outputs": "tệp khác / other files",
               "search": "tìm kiếm / search index"}


class Progress:
    """Callable as `progress(stage, done, total)`; `total` 0 means "not known" (a counter,
    or just the stage's name when `done` is 0 too). Call `close()` when the build ends.

    On a terminal: one line per stage, redrawn at most every `redraw` seconds and ended
    when the stage is done or another begins. Elsewhere: a line whenever `every` seconds
    have passed since the last one (so a quick build prints nothing, and a long silent
    stage is named as soon as the next report comes), and a last line for a counted stage
    that printed any.
    """

    def __init__(self, stream: TextIO, tty: bool, every: float = 5.0, redraw: float = 0.1,
                 clock: Callable[[], float] = time.monotonic, width: int = 30):
        self.stream, self.tty, self.every, self.redraw = stream, tty, every, redraw
        self.clock, self.width = clock, width
        self._stage: str | None = None
        self._last = clock()  # when the last line was written (or drawn)
        self._printed = False  # a line was written for the current stage
        self._open = False  # a terminal line waits for its end

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        new_stage = stage != self._stage
        if new_stage:
            self._end_line()
            self._stage, self._printed = stage, False
        finished = 0 < total <= done
        if self.tty:
            if new_stage or finished or now - self._last >= self.redraw:
                self._draw(stage, done, total)
                self._last = now
            if finished:
                self._end_line()
                self._stage = None
            return
        if now - self._last >= self.every or (finished and self._printed):
            self.stream.write(self._plain(stage, done, total) + "\n")
            self.stream.flush()
            self._last, self._printed = now, True
        if finished:
            self._stage = None

    def close(self) -> None:
        """End a terminal line left open by a stage of unknown length."""
        self._end_line()
        self._stage = None

    def _end_line(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False

    def _plain(self, stage: str, done: int, total: int) -> str:
        name = STAGE_NAMES.get(stage, stage)
        if total > 0:
            return f"{name}: {done}/{total} ({percent(done, total)}%)"
        return f"{name}: {done}" if done else f"{name}…"

    def _draw(self, stage: str, done: int, total: int) -> None:
        name = STAGE_NAMES.get(stage, stage)
        if total > 0:
            filled = self.width * min(done, total) // total
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"{name:<24} [{bar}] {done}/{total} {percent(done, total):>3}%"
        else:
            line = f"{name:<24} {done}" if done else f"{name:<24} …"
        self.stream.write("\r" + line + "\x1b[K")  # clear what a longer line left behind
        self.stream.flush()
        self._open = True


def percent(done: int, total: int) -> int:
    return min(100, 100 * done // total) if total else 100
