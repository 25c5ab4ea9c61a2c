"""`serve`: build, serve on 127.0.0.1 with live reload; every save rebuilds and refreshes.

    poll the sources → a change (re)starts a short quiet timer → one rebuild → reload

A burst of saves (an editor saving several files, a `git checkout`) gives one rebuild.
A content or template error never stops the server: while the last build failed, every
page is an error page naming each file and line, in Vietnamese and English; the next good
save brings the site back. The output folder is swapped whole by each good build, so the
server simply serves it, answering pages with the error page while the build is broken.

The rebuild is one call, `Session.build()` (pipeline/session.py): the same pipeline as every
build, given what the last one left in memory, so an edit to a product reads that file
again and rewrites only the files whose inputs changed, the edited product's own pages
first. The watcher looks at the sources with the build's own walk (base/inputs.py), so what
starts a rebuild is exactly what a build reads: no dot file, no editor's swap file.
"""
from __future__ import annotations

import html
import mimetypes
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .base.inputs import input_roots, scan
from .cms import localapi
from .cms.admin import FOLDER
from .errors import ContentError, ContentErrors, SiteError

if TYPE_CHECKING:
    from livereload.watcher import Watcher

    from .pipeline.session import Session

POLL_SECONDS = 0.25  # how often the sources are looked at
QUIET_SECONDS = 0.4  # rebuild once no save has been seen for this long
_TYPES = {".yml": "text/yaml"}  # the web form's configuration (admin/config.yml)
# loads livereload's client from this server, which tells the page to reload after a build
RELOAD_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
                 b's.src="/livereload.js?port="+(location.port||(location.protocol=='
                 b'"https:"?443:80));document.head.appendChild(s);})();</script>')


# -- the error page -------------------------------------------------------------------
@dataclass(frozen=True)
class Failure:
    """Why the last build failed: content/template errors, or an unexpected crash."""

    errors: tuple[ContentError, ...] = ()
    crash: str = ""  # traceback text


def error_page(failure: Failure) -> bytes:
    """A self-contained page (no CSS or JS files: the site may be what is broken)."""
    items = []
    for error in failure.errors:
        where = f"{error.path}:{error.line}" if error.line else error.path
        items.append(
            f'<li><p class="where"><code>{html.escape(where)}</code> — '
            f"<strong>{html.escape(error.field)}</strong></p>"
            f"<p>{html.escape(error.message_vi)}</p>"
            f'<p lang="en">{html.escape(error.message_en)}</p></li>')
    if failure.crash:
        items.append(f'<li><p class="where">Lỗi chương trình / Program error</p>'
                     f'<pre lang="en">{html.escape(failure.crash)}</pre></li>')
    count = len(failure.errors) or 1
    page = f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lỗi khi tạo trang / Build failed</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff8f6; }}
main {{ max-width: 50rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ color: #a4161a; font-size: 1.5rem; }}
ol {{ padding-left: 1.5rem; }}
li {{ background: #fff; border-left: 4px solid #a4161a; padding: .5rem 1rem; margin: 0 0 1rem; }}
.where {{ font-weight: 600; }}
code, pre {{ font: .95rem ui-monospace, monospace; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
<h1>Chưa tạo được trang: {count} lỗi <span lang="en">/ The site could not be built: {count} error(s)</span></h1>
<p>Sửa các lỗi dưới đây rồi lưu tệp: trang này tự tải lại khi trang web tạo được.
<span lang="en">Fix the errors below and save: this page reloads by itself once the site builds.</span></p>
<ol>
{chr(10).join(items)}
</ol>
</main>
</body>
</html>
"""
    return page.encode("utf-8")


# -- serving --------------------------------------------------------------------------
class SiteApp:
    """WSGI app: the output folder as a static site, or the error page while broken.

    Pages are answered with the error page while `failure` is set; photos, CSS and other
    files are still served. Directories without a trailing slash are redirected, since
    the site's links are relative.
    """

    def __init__(self, output: Path, api: Callable[[dict], localapi.Response] | None = None,
                 reload_script: bytes = b""):
        self.output = output
        self.failure: Failure | None = None
        self.api = api  # the web form's local write API (cms/localapi.py), on loopback only
        self.reload_script = reload_script  # put before </head> of every HTML page

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        raw = environ.get("PATH_INFO", "/")
        path = raw.encode("latin-1").decode("utf-8", "replace")
        if localapi.path_is_api(path):
            return self._api(environ, start_response)
        root = os.path.realpath(self.output)
        target = os.path.realpath(os.path.join(root, path.lstrip("/")))
        if os.path.commonpath([root, target]) != root:
            return self._send(start_response, "404 Not Found", b"not found", "text/plain")
        if os.path.isdir(target):
            if not path.endswith("/"):
                query = environ.get("QUERY_STRING")
                location = raw + "/" + (f"?{query}" if query else "")
                start_response("301 Moved Permanently", [("Location", location)])
                return [b""]
            target = os.path.join(target, "index.html")
        is_page = target.endswith(".html") or not os.path.isfile(target)
        in_form = "/" + FOLDER in path  # admin/, en/admin/: the form is how to fix it
        if self.failure is not None and is_page and not in_form:
            return self._send(start_response, "500 Build Failed", error_page(self.failure),
                              "text/html; charset=utf-8")
        if not os.path.isfile(target):
            missing = os.path.join(root, "404.html")
            body = Path(missing).read_bytes() if os.path.isfile(missing) else b"not found"
            return self._send(start_response, "404 Not Found", body,
                              "text/html; charset=utf-8")
        kind = _TYPES.get(os.path.splitext(target)[1]) or mimetypes.guess_type(target)[0] \
            or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return self._send(start_response, "200 OK", Path(target).read_bytes(), kind)

    def _api(self, environ: dict, start_response: Callable) -> list[bytes]:
        if self.api is None:
            answer = localapi.Response.json({"error": localapi.NOT_LOOPBACK}, 403)
        else:
            answer = self.api(environ)
        status = f"{answer.status} {localapi.STATUS_TEXT.get(answer.status, '')}"
        return self._send(start_response, status, answer.body,
                          "application/json; charset=utf-8")

    def _send(self, start_response: Callable, status: str, body: bytes, kind: str
              ) -> list[bytes]:
        if self.reload_script and kind.startswith("text/html"):
            body = body.replace(b"</head>", self.reload_script + b"</head>", 1)
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


def serve(source: Path, output: Path, host: str = "127.0.0.1", port: int = 8000,
          poll: float = POLL_SECONDS, quiet: float = QUIET_SECONDS) -> int:
    from livereload import Server

    from .pipeline.session import Session

    # the web form saves through serve only while serve answers this computer alone
    api = localapi.LocalApi(source) if localapi.is_loopback(host) else None
    app = SiteApp(output, api, RELOAD_SCRIPT)
    rebuild = _rebuilder(Session(source, output, local_cms=True, search_later=True), app)
    watcher = _source_watcher(input_roots(Path(os.path.abspath(source))), poll, quiet,
                              rebuild)
    rebuild(True)
    server = _pages_only_server(Server)(app=app, watcher=watcher)
    for root in watcher.roots:  # for livereload's bookkeeping; the watcher polls itself
        server.watch(str(root))
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop) / Đang phục vụ tại "
          f"http://{host}:{port}/", flush=True)
    print(f"Form / Biểu mẫu: http://{host}:{port}/{FOLDER}" if api else
          localapi.NOT_LOOPBACK, flush=True)
    server.serve(host=host, port=port, open_url_delay=None, restart_delay=0, debug=False)
    return 0


def _rebuilder(session: Session, app: SiteApp) -> Callable[[bool], None]:
    """One rebuild (`first`: the build at start): the session redoes only what an edit
    touches; the outcome is printed, and a failure is put on every page."""
    def rebuild(first: bool = False) -> None:
        started = time.perf_counter()
        try:
            result = session.build()
        except ContentErrors as exc:
            app.failure = Failure(exc.errors)
            for error in exc.errors:
                print(error.format(), file=sys.stderr, flush=True)
            print(f"build failed: {len(exc.errors)} error(s), shown in the browser until "
                  f"the next good save / lỗi: {len(exc.errors)}, hiển thị trên trình duyệt",
                  file=sys.stderr, flush=True)
        except SiteError as exc:  # the output folder, a missing tool: said, not traced
            app.failure = Failure(crash="\n".join(exc.lines()))
            for line in exc.lines():
                print(line, file=sys.stderr, flush=True)
        except Exception:  # noqa: BLE001 - a preview server outlives any one bad build
            crash = traceback.format_exc()
            app.failure = Failure(crash=crash)
            print(crash + "build failed (program error), shown in the browser / lỗi "
                  "chương trình, hiển thị trên trình duyệt", file=sys.stderr, flush=True)
        else:
            app.failure = None
            for warning in result.warnings:
                print(warning.format(), file=sys.stderr, flush=True)
            print(f"{'built' if first else 'rebuilt'} {result.pages} pages, {result.changed} "
                  f"changed file(s) in {time.perf_counter() - started:.2f} s / "
                  f"đã tạo {result.pages} trang", flush=True)
            if session.search_pending and indexing.acquire(blocking=False):
                threading.Thread(target=index, daemon=True).start()

    indexing = threading.Lock()  # one thread bringing the search index up to date

    def index() -> None:
        """The search index after the pages (Pagefind takes a minute at 10,000
        products): pages are served meanwhile, with the index of the build before."""
        try:
            while session.search_pending and not session.update_search_index():
                pass  # a build came in between: index what it wrote
            print("search index updated / đã cập nhật chỉ mục tìm kiếm", flush=True)
        except Exception as exc:  # noqa: BLE001 - the pages are served; the index can wait
            print(f"search index not updated: {exc} / chưa cập nhật được chỉ mục tìm kiếm: "
                  f"{exc}", file=sys.stderr, flush=True)
        finally:
            indexing.release()
    return rebuild


def _source_watcher(roots: tuple[Path, ...], poll: float, quiet: float,
                    rebuild: Callable[[bool], None]) -> Watcher:
    """A livereload watcher that polls `roots` itself (livereload's own would reload the
    browser as soon as a file changes, before the rebuild): a change only restarts the
    quiet timer, and the browser reloads once the rebuild is done."""
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop, PeriodicCallback

    class SourceWatcher(Watcher):
        def __init__(self) -> None:
            super().__init__()
            self.roots = roots
            self.seen = scan(roots)
            self.pending: object | None = None  # the quiet timer (IOLoop.call_later's)
            self.rest_until = 0.0  # a big site is looked at less often (see examine)
            self.interval = poll

        def start(self, callback: Callable[[], None]) -> bool:
            PeriodicCallback(callback, poll * 1000).start()
            return True

        def examine(self) -> tuple[None, None]:
            started = time.monotonic()
            if started < self.rest_until:
                return None, None
            now = scan(self.roots)
            # stat-ing tens of thousands of files takes a while: rest 3x as long, so the
            # watcher stays under a quarter of a core, and keep the quiet period longer
            # than the gap between two looks, so a burst still gives one rebuild
            spent = time.monotonic() - started
            self.rest_until = time.monotonic() + 3 * spent
            self.interval = max(poll, 4 * spent)
            if now != self.seen:
                self.seen = now
                loop = IOLoop.current()
                if self.pending is not None:
                    loop.remove_timeout(self.pending)
                self.pending = loop.call_later(max(quiet, 2 * self.interval), self.fire)
            return None, None  # never "reload now": fire() reloads after the rebuild

        def fire(self) -> None:
            self.pending = None
            rebuild(False)  # saves made meanwhile differ from `seen`: the next poll sees them
            LiveReloadHandler.reload_waiters("*")

    return SourceWatcher()


def _pages_only_server(server: type) -> type:
    """livereload's Server whose app puts the reload script into its pages itself
    (SiteApp._send): livereload's own container would put it into any response holding
    '</head>', scripts included (the form's editor has that text in it)."""
    from livereload.server import LiveScriptContainer
    from tornado import web

    class PagesOnlyServer(server):
        def get_web_handlers(self, script: bytes) -> list:
            return [(r".*", web.FallbackHandler,
                     {"fallback": LiveScriptContainer(self.app, b"")})]

    return PagesOnlyServer
