"""Every broken or hostile file in tests/data/bad/ gives exactly the error lines in its
.expected file — the lines a producer reads to fix the file.

A case is either `<name>.md` (dropped into content/products/ of a copy of the fixture
site) or a folder `<name>/` laid over the site copy at the same paths; `<name>.expected`
holds one `path:line: field: English message` per error, each matched against the
start of a reported line (which goes on with ' / ' and the Vietnamese). In a folder,
`x.symlink` becomes a link `x` to the path inside it, `x.size` a file `x` of that many
bytes, and `x.delete` removes `x` from the site.

Most cases run in-process for speed; a few through the real `python build.py check`,
whose exit code must be 1.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors

from .conftest import FIXTURE_SITE, REPO, TODAY

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted({p.name.removesuffix(".md") for p in BAD.iterdir()
                if p.suffix == ".md" or p.is_dir()})
THROUGH_CLI = {"not-utf8-windows-1258", "duplicate-url", "symlink-to-passwd",
               "yaml-syntax-error", "billion-laughs", "website-javascript",
               "line-break-in-value", "buy-online-bad", "shop-bad-fields"}  # one line per error: no forged CI annotation
EPOCH = str(int(dt.datetime(TODAY.year, TODAY.month, TODAY.day,
                            tzinfo=dt.timezone.utc).timestamp()))


def bad_site(case: str, target: Path) -> Path:
    shutil.copytree(FIXTURE_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    single = BAD / f"{case}.md"
    if single.is_file():
        shutil.copyfile(single, target / "content/products" / single.name)
        return target
    for source in sorted((BAD / case).rglob("*")):
        if source.is_dir():
            continue
        relative = source.relative_to(BAD / case)
        place = target / relative.with_suffix("")
        place.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".symlink":
            place.symlink_to(source.read_text().strip())
        elif source.suffix == ".size":
            with open(place, "wb") as handle:
                handle.truncate(int(source.read_text()))
        elif source.suffix == ".delete":
            place.unlink()
        else:
            shutil.copyfile(source, target / relative)
    return target


def expected_lines(case: str) -> list[str]:
    return [line for line in (BAD / f"{case}.expected").read_text(encoding="utf-8")
            .splitlines() if line.strip()]


def reported_in_process(site: Path) -> list[str]:
    with pytest.raises(ContentErrors) as info:
        builder.check(site, today=TODAY)
    return [e.format() for e in info.value.errors if e.severity == "error"]


def reported_by_cli(site: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--source", str(site)],
        cwd=REPO, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].endswith("nothing was written / " + lines[-1].split(" / ")[-1])
    return [line for line in lines[:-1] if ": warning: " not in line]


def matches(reported: str, expected: str) -> bool:
    return reported == expected or reported.startswith(expected + " / ")


def test_every_case_has_its_expected_errors() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert (BAD / f"{case}.expected").is_file(), case
        assert expected_lines(case), case


@pytest.mark.parametrize("case", CASES)
def test_bad_case_reports_exactly_its_errors(case: str, tmp_path: Path) -> None:
    site = bad_site(case, tmp_path / "site")
    started = time.perf_counter()
    reported = reported_by_cli(site) if case in THROUGH_CLI else reported_in_process(site)
    seconds = time.perf_counter() - started
    expected = expected_lines(case)
    assert len(reported) == len(expected), "\n".join(reported)
    for want, got in zip(expected, reported):
        assert matches(got, want), f"\nexpected: {want}\nreported: {got}"
    assert seconds < 60  # a hang guard: hostile files are refused, not chewed on
