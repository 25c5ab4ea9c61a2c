#!/usr/bin/env python3
"""`serve` timed from outside, from the moment a file is saved, as a producer sees it.

    python benchmarks/serve.py [--sizes 1000,10000] [--edits 3]

For each size a catalogue is generated (benchmarks/generate.py), built once (so serve
starts from warm caches, as it does on a producer's machine after the first day), then
`python build.py serve` runs in its own process on a free port of 127.0.0.1. A
websocket client listens to serve's live-reload messages, and one product's name is
edited the way editors save (a temporary file renamed over the old one). Every moment
is timed from the rename:

  own page served     its page, fetched over HTTP (every 10 ms), shows the new name
  browser told (own)  a reload message names the product's page (a browser on it reloads)
  list served         the producer's page (a list of its products), over HTTP, shows
                      the new name
  browser told (list) a reload message names the producer's page, or every page
  rebuild done        serve says the rebuild is over (every page that shows it on disk)
  search updated      serve says the search index is up to date
  longest wait        the slowest answer to a request for an unrelated page, one sent
                      every 50 ms from the rename until the rebuild is done

The median of --edits edits is printed, each next to issue 30's target. With --form the
edit is saved through the web form's local write API (admin/'s persistEntry, which
checks the site before it writes), timed from the moment the request is sent.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402

TARGETS = {"own page served": 0.3, "browser told (own)": 1.0, "browser told (list)": None,
           "list served": None, "rebuild done": None, "search updated": None,
           "longest wait": 0.05}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> tuple[float, bytes]:
    """(seconds, body) of one GET on a new connection."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/" + path)
        body = connection.getresponse().read()
    finally:
        connection.close()
    return time.monotonic() - started, body


class Serve:
    """`build.py serve` in its own process; each line it prints, with the time it came."""

    def __init__(self, source: Path, port: int):
        self.port = port
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--source", str(source),
             "--output", str(source / "public"), "--port", str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip()))

    def first(self, prefix: str, after: float, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for moment, line in list(self.lines):
                if moment >= after and line.startswith(prefix):
                    return moment
            if self.process.poll() is not None:
                raise SystemExit("serve stopped:\n" + "\n".join(l for _, l in self.lines))
            time.sleep(0.01)
        raise SystemExit(f"no '{prefix}' from serve")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class ReloadListener:
    """A live-reload client (tornado's websocket): every reload message, timed."""

    def __init__(self, port: int):
        self.messages: list[tuple[float, str]] = []
        self.ready = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._listen(port)), daemon=True).start()
        assert self.ready.wait(30), "no live-reload connection"

    async def _listen(self, port: int) -> None:
        from tornado.websocket import websocket_connect
        socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        await socket_.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        await socket_.write_message(json.dumps({"command": "info", "url": "bench"}))
        self.ready.set()
        while True:
            message = await socket_.read_message()
            if message is None:
                return
            data = json.loads(message)
            if data.get("command") == "reload":
                self.messages.append((time.monotonic(), str(data.get("path"))))

    def first(self, wanted: str, after: float, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for moment, path in list(self.messages):
                if moment >= after and (path == "*" or wanted in path.split("\n")):
                    return moment
            time.sleep(0.005)
        return float("nan")


def front_matter(path: Path) -> dict[str, str]:
    import yaml
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def save_by_rename(path: Path, text: str) -> float:
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return time.monotonic()


def save_by_form(port: int, relative: str, text: str) -> float:
    """The web form's save: the local write API's persistEntry, as Decap sends it; the
    moment the request is sent (the producer's click)."""
    body = json.dumps({"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"path": relative, "slug": "x", "raw": text}],
        "assets": [], "options": {"commitMessage": "edit", "useWorkflow": False}}})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    clicked = time.monotonic()
    connection.request("POST", "/api/v1", body=body.encode("utf-8"), headers={
        "Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    assert answer.status == 200, answer.status
    return clicked


def until(condition, timeout: float = 600, step: float = 0.01) -> float:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return float("nan")
        time.sleep(step)
    return time.monotonic()


def measure(size: int, edits: int, work: Path, form: bool = False) -> dict[str, float]:
    source = work / f"site-{size}"
    generate(source, size)
    print(f"{size:,} products: first build (warms the caches)…", flush=True)
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--source", str(source),
                    "--output", str(source / "public")], check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    serve = Serve(source, free_port())
    serve.first("Serving on", 0.0)
    print("  serving; listening for reloads…", flush=True)
    listener = ReloadListener(serve.port)
    products = sorted((source / "content/products").glob("*.md"))
    results: dict[str, list[float]] = {name: [] for name in TARGETS}
    for number in range(edits):
        product = products[(number * 7919) % len(products)]
        fields = front_matter(product)
        page = f"san-pham/{fields['slug']}/index.html"
        list_page = f"co-so/{fields['producer']}/index.html"  # the producer's products
        other = f"san-pham/{front_matter(products[(number * 7919 + 1) % len(products)])['slug']}/"
        new_name = f"{fields['name']} mới {number}"
        text = product.read_text(encoding="utf-8").replace(
            f"name: {fields['name']}\n", f"name: {new_name}\n", 1)
        waits: list[float] = []
        stop = threading.Event()

        def unrelated() -> None:
            while not stop.is_set():
                waits.append(get(serve.port, other)[0])
                stop.wait(0.05)

        prober = threading.Thread(target=unrelated, daemon=True)
        if number:  # the last edit's open data and caches written: a save from idle
            serve.first("open data and caches updated", last_saved)
        time.sleep(1.0)  # the search index of the last edit settles
        prober.start()
        if form:  # the request blocks until the form's save is checked and written
            saved = save_by_form(serve.port, str(product.relative_to(source)), text)
        else:
            saved = save_by_rename(product, text)
        wanted = new_name.encode("utf-8")
        own = until(lambda: wanted in get(serve.port, page.removesuffix("index.html"))[1])
        listed = until(lambda: wanted in get(serve.port, list_page.removesuffix(
            "index.html"))[1], step=0.02)
        done = serve.first("rebuilt", saved)
        stop.set()
        prober.join()
        search = serve.first("search index updated", saved)
        told_own = listener.first(page, saved)
        told_all = listener.first(list_page, saved)
        for name, moment in (("own page served", own), ("browser told (own)", told_own),
                             ("list served", listed), ("browser told (list)", told_all),
                             ("rebuild done", done), ("search updated", search)):
            results[name].append(moment - saved)
        results["longest wait"].append(max(waits))
        last_saved = saved
        print(f"  edit {number + 1}: " + ", ".join(
            f"{k} {v[-1]:.3f}" for k, v in results.items()), flush=True)
    serve.stop()
    return {name: statistics.median(values) for name, values in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--form", action="store_true",
                        help="save through the web form's local write API instead of a file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="ocop-serve-bench-") as work:
        rows = {size: measure(size, args.edits, Path(work), args.form) for size in sizes}
    print("\nfrom the save (median of %d edits, seconds)" % args.edits)
    print(f"{'':22}" + "".join(f"{size:>12,}" for size in sizes) + "      target")
    for name, target in TARGETS.items():
        print(f"{name:22}" + "".join(f"{rows[s][name]:12.3f}" for s in sizes)
              + (f"   <= {target} s" if target else ""))


if __name__ == "__main__":
    main()
