"""Shared fixtures: real site folders copied to tmp, real builds, a real HTTP server."""
from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "data" / "site"
TODAY = dt.date(2026, 6, 1)  # fixed "today" so certificate validity is reproducible


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the small fixture site."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


SEARCH_SITE = REPO / "tests" / "data" / "search-site"


@pytest.fixture
def search_site(tmp_path: Path) -> Path:
    """A copy of the search fixture site (its .cache/ left out), for a test to edit."""
    target = tmp_path / "search-site"
    shutil.copytree(SEARCH_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def serve_directory(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `directory` on 127.0.0.1 (ephemeral port) in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # keep test output readable
        pass


@pytest.fixture
def http_root() -> Iterator:
    """Factory: serve a folder over real HTTP for the test's duration."""
    servers = []

    def start(directory: Path) -> str:
        server, url = serve_directory(directory)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
