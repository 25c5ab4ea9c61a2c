"""A static host for the quality tests: what a real web host does that Python's
SimpleHTTPRequestHandler does not — gzip for text files (page weight and Lighthouse
measure what visitors would download) and the site's 404.html for missing paths."""
from __future__ import annotations

import gzip
import http.server
import io
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# compressed like every common host does; images and the search index's own
# compressed fragments are sent as they are
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml", "application/atom+xml")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves `directory`, gzipping text when the client accepts it; 404s get the
    `not_found` page (a site path under `directory`) with status 404."""

    not_found: str = ""
    served: list[str]  # every path asked for, in order (the tests read it)
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".mjs": "application/javascript",
                      ".wasm": "application/wasm", ".webp": "image/webp",
                      ".svg": "image/svg+xml", ".xml": "application/xml"}

    def send_head(self):  # type: ignore[override]
        self.served.append(self.path)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the 301 to the folder's URL with a slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return self._send_not_found()
        ctype = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and ctype.startswith(GZIP_TYPES)):
            return super().send_head()
        return self._send_bytes(200, ctype, Path(path).read_bytes(), compress=True)

    def _send_not_found(self):
        page = Path(self.directory) / self.not_found if self.not_found else None
        if page is None or not page.is_file():
            self.send_error(404)
            return None
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        return self._send_bytes(404, "text/html; charset=utf-8", page.read_bytes(), accepts)

    def _send_bytes(self, status: int, ctype: str, body: bytes, compress: bool):
        if compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args) -> None:  # keep test output readable
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that moves on cancels the photos still downloading: not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class Served:
    """A folder on 127.0.0.1: `origin` is 'http://127.0.0.1:PORT', `stop` ends it,
    `served` lists the paths asked for."""

    origin: str
    directory: Path
    stop: Callable[[], None]
    served: list[str]

    @property
    def port(self) -> int:
        return int(self.origin.rsplit(":", 1)[1])


def serve(directory: Path, not_found: str = "", port: int = 0) -> Served:
    """Listen first (the port is known before the site is built into `directory`).
    `port`: a given one (the same origin again, after a stop), else any free one."""
    served: list[str] = []
    handler = type("Host", (StaticHost,), {"not_found": not_found, "served": served})

    def make(*args, **kwargs):
        return handler(*args, directory=str(directory), **kwargs)

    server = _Server(("127.0.0.1", port), make)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return Served(f"http://127.0.0.1:{server.server_address[1]}", directory, stop, served)
