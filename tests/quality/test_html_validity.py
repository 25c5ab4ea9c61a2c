"""The Nu Html Checker (npm `vnu-jar`, the W3C validator's engine) on every built page and
stylesheet, in one JVM run (its start-up costs more than checking a hundred pages)."""
from __future__ import annotations

import collections
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from .conftest import Site, node_tool

# a page with two faults the checker must report: proof the run checks what it is given
BROKEN_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>x</title></head><body><p id="a">one</p><p id="a">two</p><span><div>x</div></span>
</body></html>"""


def run_vnu(files: list[Path]) -> list[dict[str, Any]]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run `bash tools/install-test-deps.sh` as root "
                    "(`make test` does; it installs default-jre-headless)", pytrace=False)
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    done = subprocess.run(
        [java, "-Xss8m", "-jar", str(vnu), "--format", "json", "--skip-non-html",
         "--also-check-css", *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False)
    try:
        return json.loads(done.stderr)["messages"]  # vnu reports on stderr
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu.jar did not report (exit {done.returncode}):\n{done.stderr[-3000:]}",
                    pytrace=False)


@pytest.fixture(scope="module")
def messages(sample_at_root: Site, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[list[Path], dict[str, list[dict[str, Any]]], float]:
    broken = tmp_path_factory.mktemp("vnu") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    files = sorted(sample_at_root.root.rglob("*.html")) + sorted(
        sample_at_root.root.rglob("*.css"))
    by_file: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    started = time.perf_counter()
    for message in run_vnu(files + [broken]):
        by_file[message.get("url", "")].append(message)
    return files, by_file, time.perf_counter() - started


def test_the_checker_reports_faults(messages) -> None:
    _files, by_file, _seconds = messages
    errors = [m["message"] for url, found in by_file.items() if url.endswith("/broken.html")
              for m in found if m["type"] == "error"]
    assert any("Duplicate ID" in e for e in errors), errors
    assert any("“div” not allowed as child" in e for e in errors), errors


def test_every_page_and_stylesheet_is_valid(messages, sample_at_root: Site,
                                            summary: Callable[[str], None]) -> None:
    files, by_file, seconds = messages
    site = {url: found for url, found in by_file.items() if not url.endswith("/broken.html")}
    errors = [(url, m) for url, found in site.items() for m in found
              if m["type"] in ("error", "non-document-error")]
    warnings = [(url, m) for url, found in site.items() for m in found
                if m["type"] == "info" and m.get("subType") == "warning"]
    summary(f"Nu Html Checker: {len(files)} files, {len(errors)} errors, "
            f"{len(warnings)} warnings ({seconds:.0f} s)")
    for url, message in warnings[:20]:
        print(f"  warning {url.removeprefix('file:' + str(sample_at_root.root))}:"
              f"{message.get('lastLine', '?')}: {message['message']}")
    assert len(files) > 90
    assert not errors, "\n".join(
        f"{url.removeprefix('file:' + str(sample_at_root.root))}:{m.get('lastLine', '?')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()[:160]}" for url, m in errors)
