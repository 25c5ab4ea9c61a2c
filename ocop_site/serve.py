"""`serve`: build, then serve with live reload; any edit rebuilds and refreshes the browser.

A content error does not stop the server: the previous good site stays up and the
errors are printed, until the next good save.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import ContentErrors


def serve(source: Path, output: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    from livereload import Server

    from . import builder

    def rebuild() -> None:
        try:
            result = builder.build(source, output)
            print(f"rebuilt {result.changed} changed file(s) in {result.seconds:.2f} s",
                  flush=True)
        except ContentErrors as exc:
            for error in exc.errors:
                print(error.format(), file=sys.stderr, flush=True)

    rebuild()
    server = Server()
    for folder in ("content", "templates", "assets"):
        if (source / folder).is_dir():
            server.watch(str(source / folder / "**" / "*"), rebuild, delay=0.3)
    server.watch(str(source / "site.yaml"), rebuild, delay=0.3)
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop) / Đang phục vụ tại "
          f"http://{host}:{port}/", flush=True)
    server.serve(root=str(output), host=host, port=port, open_url_delay=None,
                 restart_delay=0)
    return 0
