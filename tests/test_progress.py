"""Build progress: redrawn in place on a terminal, sparse plain lines in CI logs."""
from __future__ import annotations

import io
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.pipeline.progress import Progress

from .conftest import TODAY


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_ci_logs_stay_quiet_for_a_quick_stage() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=False, every=5.0, clock=clock)
    for done in range(1, 101):
        clock.now += 0.01
        progress("pages", done, 100)
    assert stream.getvalue() == ""


def test_ci_logs_get_a_line_every_few_seconds_and_one_at_the_end() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=False, every=5.0, clock=clock)
    for done in range(1, 101):
        clock.now += 0.25  # 25 s in all
        progress("pages", done, 100)
    assert stream.getvalue().splitlines() == [
        "trang / pages: 20/100 (20%)", "trang / pages: 40/100 (40%)",
        "trang / pages: 60/100 (60%)", "trang / pages: 80/100 (80%)",
        "trang / pages: 100/100 (100%)"]


def test_ci_logs_name_a_stage_that_follows_a_long_silence() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=False, every=5.0, clock=clock)
    progress("load", 0, 0)
    clock.now = 60.0  # loading 10,000 files, reporting nothing
    progress("search", 0, 0)
    clock.now = 61.0
    progress("outputs", 7, 0)
    clock.now = 70.0
    progress("outputs", 9000, 0)
    assert stream.getvalue().splitlines() == ["tìm kiếm / search index…",
                                              "tệp khác / other files: 9000"]


def test_terminal_bar_is_redrawn_in_place_and_ends_its_line() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=True, redraw=0.1, clock=clock, width=10)
    for done in range(1, 11):
        clock.now += 0.05
        progress("pages", done, 10)
    out = stream.getvalue()
    assert out.count("\n") == 1 and out.endswith("\n")
    frames = [frame.removesuffix("\x1b[K") for frame in out.rstrip("\n").split("\r")[1:]]
    assert frames[0] == "trang / pages            [#---------] 1/10  10%"
    assert frames[-1] == "trang / pages            [##########] 10/10 100%"
    assert len(frames) < 10  # not one frame per page


def test_terminal_stage_of_unknown_length_ends_when_the_next_begins() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, tty=True, clock=clock)
    progress("load", 0, 0)
    clock.now = 9.0
    progress("pages", 1, 1)
    progress("search", 0, 0)
    progress.close()
    progress.close()  # closing twice adds nothing
    lines = stream.getvalue().replace("\x1b[K", "").split("\n")
    assert lines == ["\rnội dung / content       …",
                     "\rtrang / pages            [##############################] 1/1 100%",
                     "\rtìm kiếm / search index  …", ""]


def test_build_reports_every_page(site: Path, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    result = builder.build(site, tmp_path / "out", today=TODAY,
                           progress=lambda *event: seen.append(event))
    pages = [event for event in seen if event[0] == "pages"]
    assert pages == [("pages", n, result.pages) for n in range(1, result.pages + 1)]
