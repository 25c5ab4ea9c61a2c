"""`serve`: build, serve on 127.0.0.1 with live reload; every save rebuilds and refreshes.

    file-system events → a short quiet step → one rebuild (in the builder process)
    → each browser told to reload once the page it shows is on disk

Two processes, sharing no lock, thread or interpreter: the server (forked before the
first build, saying "building the site" until it is over) answers every request at once
from the output folder (each file is replaced whole, so a request gets the old file or
the new one) and holds the live-reload websocket; the builder hears saves from the file system (inotify, through
watchfiles), runs the rebuilds one after another, brings the search index up to date in
a thread after the pages, and tells the server through a pipe which pages changed and
whether the last build failed. A burst of saves (an editor saving several files, a
`git checkout`) gives one rebuild; saves during a rebuild give one more after it.

The rebuild is one call, `Session.build(heard)` (pipeline/session.py): the same pipeline as
every build, given what the last one left in memory, so an edit to a product reads that
file again and rewrites only the files whose inputs changed, the edited product's own
pages first. The browsers are told which pages changed (the livereload protocol's
`path`): one showing the edited product reloads as soon as its page is written, one
showing a list once the whole rebuild is. A content or template error never stops the
server: while the last build failed, every page is an error page naming each file and
line, in Vietnamese and English; the next good save brings the site back. (Over ~400
lines: that error page's and the building page's HTML and styles are inline, since the
site's own CSS may be what is broken or not built yet.)
"""
from __future__ import annotations

import gc
import html
import json
import mimetypes
import os
import pickle
import signal
import struct
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .base.inputs import input_roots
from .base.workers import collector_paused
from .cms import localapi
from .cms.admin import FOLDER
from .errors import ContentError, ContentErrors, SiteError
from .pipeline.watch import QUIET_MS, watch_sources

if TYPE_CHECKING:
    from .pipeline.session import Session

EVERY_PAGE = "*"  # the reload message's path when any page may have changed
MANY_PATHS = 2000  # more changed files than this: every browser reloads
_TYPES = {".yml": "text/yaml"}  # the web form's configuration (admin/config.yml)
# the livereload protocol's client, kept small: it reloads the page when a message names
# the file this page is served from (or "*"), so a browser on a list page does not
# reload before the list is written. It says which of the server's states it was served
# in (GENERATION, filled in per answer): a page served just before a change, whose
# client connects just after it, is told to reload at once (ReloadHandler)
RELOAD_SCRIPT = (
    b'<script>(function(){var h=decodeURIComponent(location.pathname.slice(1));'
    b'if(h===""||h.slice(-1)==="/")h+="index.html";'
    b'var w=new WebSocket((location.protocol==="https:"?"wss://":"ws://")+location.host'
    b'+"/livereload");w.onopen=function(){w.send(JSON.stringify({command:"hello",'
    b'protocols:["http://livereload.com/protocols/official-7"]}));'
    b'w.send(JSON.stringify({command:"info",url:location.href,plugins:{},'
    b'generation:GENERATION}))};'
    b'w.onmessage=function(e){var m=JSON.parse(e.data);if(m.command==="hello")'
    b'document.documentElement.dataset.reload="on";if(m.command==="reload"&&'
    b'(m.path==="*"||m.path.split("\\n").indexOf(h)>=0))location.reload()}})();</script>')


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


BUILDING_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đang tạo trang / Building the site</title>
<style>body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; }
main { max-width: 50rem; margin: 0 auto; padding: 1.5rem; }</style>
</head>
<body>
<main>
<h1>Đang tạo trang… <span lang="en">/ Building the site…</span></h1>
<p>Trang này tự tải lại khi xong. <span lang="en">This page reloads by itself when it
is done.</span></p>
</main>
</body>
</html>
""".encode("utf-8")


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
        self.generation = 0  # changes the builder has told of (the server process counts)
        self.building = False  # serve's first build is running: pages say so

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
        if self.building and is_page and not in_form:
            return self._send(start_response, "503 Building", BUILDING_PAGE,
                              "text/html; charset=utf-8")
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
            script = self.reload_script.replace(b"GENERATION", b"%d" % self.generation)
            body = body.replace(b"</head>", script + b"</head>", 1)
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


BUILDER_NICENESS = 5  # added to the builder's (and its workers') niceness, not the server's


def serve(source: Path, output: Path, host: str = "127.0.0.1", port: int = 8000,
          quiet_ms: int = QUIET_MS) -> int:
    """Build, then serve from a process of its own while this one watches and rebuilds:
    the server shares no lock, thread or interpreter with the build, so a request is
    answered at once even while the build holds its interpreter (pickling an index,
    forking its workers)."""
    from tornado.netutil import bind_sockets

    from .pipeline.session import Session

    # the web form saves through serve only while serve answers this computer alone
    api = localapi.LocalApi(source) if localapi.is_loopback(host) else None
    app = SiteApp(output, api, RELOAD_SCRIPT)
    reading, writing = os.pipe()
    server = ServerLink(writing)
    session = Session(source, output, local_cms=True, search_later=True,
                      shown=server.pages)
    rebuild = _rebuilder(session, server)
    sockets = bind_sockets(port, host)  # here: a port in use is said before any fork
    # the server is forked before the first build, while this process is small: a
    # rebuild then writes to memory of its own, not to pages it shares with the server
    # (each one the first touch after a fork copies; ~0.1 s before the edited page at
    # 10,000 products). It serves what the output holds until the build replaces it.
    child = os.fork()
    if child == 0:  # the server: answers requests, hears the builder through the pipe
        os.close(writing)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # it ends when the builder does
        code = 0
        try:
            app.building = True  # until the builder says the first build is over
            run_server(app, sockets, reading, None)
        except BaseException:  # noqa: BLE001 - said, then the process ends
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(reading)
    server.connected = True
    for bound in sockets:
        bound.close()
    # the builder yields to the server when both want a core (2 cores, a rebuild on
    # both): a request waits for the scheduler no longer than for the server's own work
    os.nice(BUILDER_NICENESS)
    stop = threading.Event()
    try:
        rebuild(True, None)
        # what the first build left (the session's memory: content, caches, catalogue)
        # lives as long as serve: frozen, the collector's full passes do not walk it
        # during a rebuild (hundreds of ms at 10,000 products, before the edited page)
        gc.collect()
        gc.freeze()
        print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop) / Đang phục vụ tại "
              f"http://{host}:{port}/", flush=True)
        print(f"Form / Biểu mẫu: http://{host}:{port}/{FOLDER}" if api else
              localapi.NOT_LOOPBACK, flush=True)
        watch_sources(input_roots(Path(os.path.abspath(source))),
                      lambda heard: rebuild(False, heard), stop, quiet_ms)
    finally:
        stop.set()
        server.close()
        os.waitpid(child, 0)
    return 0


class ServerLink:
    """The builder's side of the pipe to the server process: which pages changed (the
    server tells the browsers showing them to reload) and whether the last build
    failed (the server answers pages with the error page). Messages are pickled, each
    after its length; callable from any thread of the builder."""

    def __init__(self, fd: int):
        self.fd = fd
        self.failure: Failure | None = None
        self.connected = False  # until the server process runs: it starts with `failure`
        self._lock = threading.Lock()

    def _send(self, message: tuple[str, object]) -> None:
        if not self.connected:
            return
        data = pickle.dumps(message)
        with self._lock:
            try:
                os.write(self.fd, struct.pack("!I", len(data)) + data)
            except OSError:  # the server has ended: nobody to tell
                pass

    def pages(self, site_paths: Sequence[str]) -> None:
        """Browsers showing one of these files (site paths: 'san-pham/x/index.html')
        reload; EVERY_PAGE: all of them."""
        if not site_paths:
            return
        path = EVERY_PAGE if EVERY_PAGE in site_paths or len(site_paths) > MANY_PATHS \
            else "\n".join(p for p in site_paths if p.endswith(".html"))
        if path:
            self._send(("reload", path))

    def everything(self) -> None:
        self.pages((EVERY_PAGE,))

    def failed(self, failure: Failure | None) -> None:
        self.failure = failure
        self._send(("failure", failure))

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


def run_server(app: SiteApp, sockets: list, fd: int, failure: Failure | None) -> None:
    """The server process: pages from the output folder, the live-reload websocket
    (livereload's handler), and what the builder says through the pipe `fd`."""
    from livereload.handlers import LiveReloadHandler
    from tornado import web
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop
    from tornado.wsgi import WSGIContainer

    app.failure = failure
    LiveReloadHandler.watcher = _NoPolling()  # its log line names the watcher's file

    class ReloadHandler(LiveReloadHandler):
        """livereload's websocket, and one more thing: a client served before the last
        change (its page's generation is older) is told to reload as it connects."""

        def on_message(self, message: str) -> None:
            super().on_message(message)
            data = json.loads(message)
            if data.get("command") == "info" and \
                    int(data.get("generation", app.generation)) < app.generation:
                self.send_message({"command": "reload", "path": EVERY_PAGE})

    pages = WSGIContainer(app)
    application = web.Application([
        (r"/livereload", ReloadHandler),
        (localapi.API_PATH + "/?", _answer_in_a_child(app, pages)),
        (r".*", web.FallbackHandler, {"fallback": pages})])
    HTTPServer(application).add_sockets(sockets)
    loop = IOLoop.current()
    pending = bytearray()

    def heard(fd: int, _events: int) -> None:
        data = os.read(fd, 1 << 16)
        if not data:  # the builder ended
            loop.stop()
            return
        pending.extend(data)
        while len(pending) >= 4:
            size = struct.unpack("!I", pending[:4])[0]
            if len(pending) < 4 + size:
                break
            kind, value = pickle.loads(bytes(pending[4:4 + size]))
            del pending[:4 + size]
            app.generation += 1
            app.building = False  # the builder speaks after its first build
            if kind == "failure":
                app.failure = value
            elif kind == "reload":
                LiveReloadHandler.reload_waiters(value)

    loop.add_handler(fd, heard, IOLoop.READ)
    loop.start()


def _answer_in_a_child(app: SiteApp, pages: Any) -> type:
    """The web form's requests, each answered by a process forked for it: a save checks
    the whole site (seconds at 10,000 products) and the server must not wait on it. The
    server has one thread, so forking it is safe; the child answers through `app` as any
    request, hands back status, headers and body, and ends."""
    from tornado import web
    from tornado.ioloop import IOLoop

    class FormHandler(web.RequestHandler):
        async def answer(self) -> None:
            environ = pages.environ(self.request)
            reading, writing = os.pipe()
            child = os.fork()
            if child == 0:  # the child: answer, hand back, end
                os.close(reading)
                try:
                    said: list = []
                    body = b"".join(app(environ, lambda status, headers: said.extend(
                        (status, headers))))
                    with os.fdopen(writing, "wb") as out:
                        out.write(pickle.dumps((said[0], said[1], body)))
                finally:
                    os._exit(0)
            os.close(writing)
            data = await IOLoop.current().run_in_executor(None, _read_all, reading)
            os.waitpid(child, 0)
            if not data:
                self.set_status(500)
                self.finish(json.dumps({"error": "the form could not be answered / chưa "
                                        "trả lời được biểu mẫu"}, ensure_ascii=False))
                return
            status, headers, body = pickle.loads(data)
            code, _, reason = status.partition(" ")
            self.set_status(int(code), reason or None)
            for name, value in headers:
                self.set_header(name, value)
            self.finish(body)

        get = post = put = delete = patch = head = options = answer

    return FormHandler


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as source:
        return source.read()


def _rebuilder(session: Session, server: ServerLink
               ) -> Callable[[bool, frozenset[str] | None], None]:
    """One rebuild (`first`: the build at start): the session redoes only what an edit
    touches; the outcome is printed, a failure put on every page, and the browsers
    showing a changed page told to reload. `heard`: the paths the watcher heard."""
    def rebuild(first: bool = False, heard: frozenset[str] | None = None) -> None:
        started = time.perf_counter()
        failed_before = server.failure is not None
        # the collector waits while the build runs (a full pass over the session's
        # objects took a few hundred ms before the edited page at 10,000 products):
        # what a build leaves in cycles is collected once it is over
        with collector_paused():
            try:
                result = session.build(heard)
            except ContentErrors as exc:
                server.failed(Failure(exc.errors))
                for error in exc.errors:
                    print(error.format(), file=sys.stderr, flush=True)
                print(f"build failed: {len(exc.errors)} error(s), shown in the browser until "
                      f"the next good save / lỗi: {len(exc.errors)}, hiển thị trên trình duyệt",
                      file=sys.stderr, flush=True)
                server.everything()
            except SiteError as exc:  # the output folder, a missing tool: said, not traced
                server.failed(Failure(crash="\n".join(exc.lines())))
                for line in exc.lines():
                    print(line, file=sys.stderr, flush=True)
                server.everything()
            except Exception:  # noqa: BLE001 - a preview server outlives any one bad build
                crash = traceback.format_exc()
                server.failed(Failure(crash=crash))
                print(crash + "build failed (program error), shown in the browser / lỗi "
                      "chương trình, hiển thị trên trình duyệt", file=sys.stderr, flush=True)
                server.everything()
            else:
                if failed_before:
                    server.failed(None)
                if failed_before or first:
                    server.everything()
                else:
                    server.pages(result.changed_paths)
                if result.skipped and not first and not failed_before:
                    return  # nothing changed (watch_sources's look once it watches)
                for warning in result.warnings:
                    print(warning.format(), file=sys.stderr, flush=True)
                print(f"{'built' if first else 'rebuilt'} {result.pages} pages, {result.changed} "
                      f"changed file(s) in {time.perf_counter() - started:.2f} s / "
                      f"đã tạo {result.pages} trang", flush=True)
                if session.pending and indexing.acquire(blocking=False):
                    threading.Thread(target=index, daemon=True).start()

    indexing = threading.Lock()  # one thread bringing the search index up to date

    def index() -> None:
        """The search index, then the open data, after the pages (seconds at 10,000
        products): pages are served meanwhile, with the index of the build before."""
        session.searchable = lambda: print(
            "search index updated / đã cập nhật chỉ mục tìm kiếm", flush=True)
        try:
            while session.pending and not session.update_search_index():
                pass  # a build came in between: index what it wrote
            session.save_caches()
            print("open data and caches updated / đã cập nhật dữ liệu mở và bộ nhớ đệm",
                  flush=True)
        except Exception as exc:  # noqa: BLE001 - the pages are served; the index can wait
            print(f"search index not updated: {exc} / chưa cập nhật được chỉ mục tìm kiếm: "
                  f"{exc}", file=sys.stderr, flush=True)
        finally:
            indexing.release()
    return rebuild


class _NoPolling:
    """livereload's watcher interface, doing nothing: watch_sources hears the saves and
    the rebuild says which pages to reload."""

    def __init__(self) -> None:
        self._tasks: dict = {}
        self._changes: list = []
        self.filepath = None

    def watch(self, *args: object, **kwargs: object) -> None:
        """Nothing: the roots are watch_sources's."""

    def start(self, callback: Callable[[], None]) -> bool:
        return True  # no polling loop

    def examine(self) -> tuple[None, None]:
        return None, None
