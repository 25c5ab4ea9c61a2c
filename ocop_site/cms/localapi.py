"""serve's local write API: the web form (Decap CMS's `proxy` backend) saves here, into
the site's working folder, with no account. Then serve sees the files change and
rebuilds, as after any edit.

Decap speaks a small JSON protocol: POST /api/v1 with `{"action": …, "params": …}`
(the one the npm `decap-server` package answers; written here from its description, in
Python, with this project's rules):

  info · entriesByFolder · entriesByFiles · getEntry · persistEntry · getMedia ·
  getMediaFile · persistMedia · deleteFile · deleteFiles · getDeployPreview

What it refuses, each with a 4xx and an error in English and Vietnamese, writing
nothing: a Host or Origin that is not this computer (a web page elsewhere, or a DNS
rebinding, cannot reach it); anything but a JSON POST; a body over the bound; a path
outside content/, with `..`, through a link, or of a kind the schema does not have
(`.md` in products/, producers/, events/, shops/, `<name>.<lang>.md` translations, photos in
their images/ folders); a photo the build would refuse (25 MB, 50 megapixels, not a
JPEG/PNG/WebP/HEIC); a save that `check` would refuse: the site is checked with the
new files in place (parsed files come from the content cache), and every file is put
back as it was when `check` finds an error in the saved ones.
serve mounts it only when it listens on a loopback address.

It is longer than most modules (~440 lines) because each of the eleven actions sits
beside the checks that guard it: splitting actions from their guards would make a
missing check harder to see.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from ..base.files import write_atomically
from ..content.cache import ContentCache
from ..content.config import load_config
from ..content.loader import load_content
from ..content.readers.context import translation_lang
from ..content.safepath import (
    MAX_IMAGE_BYTES,
    MAX_TEXT_BYTES,
    UnsafePath,
    cache_root,
    read_bounded,
    writable_inside,
)
from ..errors import EXIT_USAGE, ContentError, ContentErrors, ErrorCollector, SiteError
from ..images.pixels import ImageError, check_photo
from . import jsonbody
from .config import API_PATH, KINDS

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
IMAGE_FOLDERS = ("products", "producers", "shops")  # the collections with photos (images/)
# base64 makes a photo 4/3 its size; JSON and the entry's text add a little
MAX_REQUEST_BYTES = MAX_IMAGE_BYTES * 4 // 3 + 2 * MAX_TEXT_BYTES
MEDIA_LISTED = 60  # the media library shows the newest photos of a folder, not thousands
_SCHEMAS = {folder.split("/")[1]: (fields, texts) for _, folder, fields, texts in KINDS}


class Refused(SiteError):
    """A request answered with an error: the HTTP status and why, in both languages (it
    never reaches the command line: serve answers it)."""

    exit_code = EXIT_USAGE

    def __init__(self, status: int, en: str, vi: str):
        super().__init__(en, vi)
        self.status = status


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    @classmethod
    def json(cls, value: Any, status: int = 200) -> "Response":
        return cls(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))


NOT_LOOPBACK = ("the form does not save while serve listens beyond this computer (--host); "
                "run serve without --host to use it / biểu mẫu không lưu khi serve mở ra ngoài "
                "máy này (--host); hãy chạy serve không có --host để dùng")
STATUS_TEXT = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
               405: "Method Not Allowed", 411: "Length Required", 413: "Payload Too Large",
               415: "Unsupported Media Type", 422: "Unprocessable Entity",
               500: "Internal Server Error"}


def is_loopback(host: str) -> bool:
    """'127.0.0.1', 'localhost', '::1' (with or without a port, or brackets)."""
    try:
        name = urlsplit(f"//{host}").hostname if host else None
    except ValueError:  # an unbalanced '[' and the like
        return False
    if name is None:
        return False
    try:
        return ipaddress.ip_address(name).is_loopback  # 127.0.0.0/8, ::1
    except ValueError:
        return name == "localhost"  # not 127.0.0.1.evil.example.org


class LocalApi:
    """The write API over one site folder. `languages()`: the site's languages now (the
    first is the default; translations are `<name>.<other>.md`), site.yaml's by default."""

    def __init__(self, source: Path,
                 languages: Callable[[], tuple[str, ...]] | None = None):
        self.source = source.resolve()
        self.content = self.source / "content"
        self.languages = languages or self.site_languages
        try:  # the parsed content files, as builds keep them
            self.cache: ContentCache | None = ContentCache(cache_root(self.source) / "content")
        except ContentErrors:  # a committed .cache/: the build says so; check without it
            self.cache = None

    def site_languages(self) -> tuple[str, ...]:
        """site.yaml's languages as they are now (an unusable site.yaml: Vietnamese)."""
        config = load_config(self.source, ErrorCollector())
        return config.languages if config is not None else ("vi",)

    # -- HTTP --------------------------------------------------------------------------
    def __call__(self, environ: Mapping[str, Any]) -> Response:
        """A WSGI request → the answer; never raises for anything a request can do."""
        try:
            return Response.json(self.answer(self._request(environ)))
        except Refused as exc:
            return Response.json({"error": f"{exc.message_en} / {exc.message_vi}"},
                                 exc.status)
        except OSError as exc:  # a full disk, no permission: said, never a traceback
            return Response.json({"error": f"could not save ({exc.strerror or exc}) / chưa "
                                  f"lưu được ({exc.strerror or exc})"}, 500)

    def _request(self, environ: Mapping[str, Any]) -> dict[str, Any]:
        if not is_loopback(environ.get("HTTP_HOST", "")):
            raise Refused(403, "this form only answers pages opened on this computer "
                          "(http://127.0.0.1:…/admin/)",
                          "biểu mẫu chỉ trả lời trang mở trên chính máy này "
                          "(http://127.0.0.1:…/admin/)")
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and not (urlsplit(origin).scheme in ("http", "https")
                                       and is_loopback(urlsplit(origin).netloc)):
            raise Refused(403, f"requests from {origin} are refused; open the form at "
                          "http://127.0.0.1:…/admin/",
                          f"yêu cầu từ {origin} bị từ chối; hãy mở biểu mẫu tại "
                          "http://127.0.0.1:…/admin/")
        if environ.get("REQUEST_METHOD") != "POST":
            raise Refused(405, "send a POST with a JSON body", "hãy gửi POST kèm nội dung JSON")
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise Refused(415, f"the body must be JSON (Content-Type: application/json, "
                          f"got {kind or 'none'})",
                          f"nội dung phải là JSON (Content-Type: application/json, đang là "
                          f"{kind or 'không có'})")
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            raise Refused(411, "the request has no Content-Length",
                          "yêu cầu thiếu Content-Length") from None
        if length > MAX_REQUEST_BYTES or length < 0:
            raise Refused(413, f"the request is {length:,} bytes; the limit is "
                          f"{MAX_REQUEST_BYTES:,} (a photo may be at most "
                          f"{MAX_IMAGE_BYTES:,} bytes)",
                          f"yêu cầu có {length:,} byte; giới hạn là {MAX_REQUEST_BYTES:,} "
                          f"(mỗi ảnh tối đa {MAX_IMAGE_BYTES:,} byte)")
        raw = environ["wsgi.input"].read(length)
        try:
            body = jsonbody.parse(raw)  # bounded nesting; never a RecursionError
        except jsonbody.BadBody as exc:
            raise Refused(400, exc.en, exc.vi) from None
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise Refused(400, "the body must be an object with an 'action'",
                          "nội dung phải là một đối tượng có 'action'")
        return body

    def answer(self, body: dict[str, Any]) -> Any:
        action = body["action"]
        params = body.get("params")
        params = {} if params is None else params
        if not isinstance(params, dict):
            raise Refused(400, "'params' must be an object", "'params' phải là một đối tượng")
        if action == "info":
            return {"repo": self.source.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "getDeployPreview":
            return None
        handler = self.ACTIONS.get(action)
        if handler is None:
            raise Refused(422, f"unknown action {action!r} (this form saves directly, "
                          "without the editorial workflow)",
                          f"không có thao tác {action!r} (biểu mẫu lưu trực tiếp, không qua "
                          "quy trình duyệt)")
        return handler(self, params)

    # -- paths -------------------------------------------------------------------------
    def relative(self, value: Any) -> str:
        """A path as the form sends it ('content/products/che.md') → inside content/."""
        if not isinstance(value, str) or not value.startswith("content/"):
            raise Refused(422, f"{value!r} is not a path inside content/",
                          f"{value!r} không phải đường dẫn bên trong content/")
        return value[len("content/"):]

    def kind_of(self, relative: str) -> str:
        """'text' (a content file or its translation) or 'image', or refused."""
        parts = relative.split("/")
        if len(parts) == 2 and parts[0] in _SCHEMAS and parts[1].endswith(".md"):
            lang = translation_lang(Path(parts[1]))
            if lang is None or lang in self.languages()[1:]:
                return "text"
        if len(parts) == 3 and parts[0] in IMAGE_FOLDERS and parts[1] == "images" \
                and parts[2].lower().endswith(IMAGE_SUFFIXES):
            return "image"
        raise Refused(422, f"content/{relative} is not a file the form writes: .md files in "
                      "content/products, producers, events or shops, their translations "
                      "(<name>.<language>.md), photos (.jpg .png .webp .heic) in their "
                      "images/ folders",
                      f"content/{relative} không phải tệp biểu mẫu được ghi: tệp .md trong "
                      "content/products, producers, events hay shops, bản dịch "
                      "(<tên>.<ngôn-ngữ>.md), ảnh (.jpg .png .webp .heic) trong thư mục "
                      "images/")

    def target(self, value: Any, kinds: tuple[str, ...] = ("text", "image")) -> tuple[Path, str]:
        """Where a file of the form goes (checked: inside content/, no link, allowed kind)."""
        relative = self.relative(value)
        try:
            path = writable_inside(self.content, relative)
        except UnsafePath as exc:
            raise Refused(422, exc.en, exc.vi) from None
        kind = self.kind_of(relative)
        if kind not in kinds:
            raise Refused(422, f"content/{relative} is not a {' or '.join(kinds)} file",
                          f"content/{relative} không phải tệp loại {' hoặc '.join(kinds)}")
        return path, kind

    def read(self, path: Path, limit: int) -> bytes | None:
        """A file's bytes (None when missing), refusing links out and oversized files."""
        if not os.path.lexists(path):
            return None
        try:
            return read_bounded(path, self.content, limit)
        except UnsafePath as exc:
            raise Refused(422, exc.en, exc.vi) from None

    def folder(self, value: Any, allowed: Callable[[list[str]], bool]) -> Path:
        """A folder the form lists: a collection's, or its images/."""
        parts = self.relative(value).strip("/").split("/")
        if not allowed(parts):
            raise Refused(422, f"{value!r} is not a folder of the form",
                          f"{value!r} không phải thư mục của biểu mẫu")
        path = self.content.joinpath(*parts)
        if os.path.islink(path) or os.path.islink(path.parent):
            raise Refused(422, f"{value!r} is a link; the form lists no links",
                          f"{value!r} là liên kết; biểu mẫu không liệt kê liên kết")
        return path

    # -- reading -----------------------------------------------------------------------
    def entry(self, value: Any) -> dict[str, Any]:
        path, _ = self.target(value, ("text",))
        data = self.read(path, MAX_TEXT_BYTES)
        text = data.decode("utf-8", "replace") if data is not None else None
        return {"data": text, "file": {"path": value,
                                        "id": hashlib.sha256(data).hexdigest() if data else None}}

    def entries_by_folder(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        folder = self.folder(params.get("folder"), lambda p: len(p) == 1 and p[0] in _SCHEMAS)
        extension = params.get("extension")
        if not isinstance(extension, str) or not extension:
            raise Refused(422, "'extension' is missing", "thiếu 'extension'")
        found = []
        for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
            path = f"content/{folder.name}/{name}"
            if name.startswith(".") or not name.endswith("." + extension):
                continue
            try:
                found.append(self.entry(path))
            except Refused:  # a link out, a language the site does not have: not listed
                continue
        return found

    def entries_by_files(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused(422, "'files' must be a list", "'files' phải là danh sách")
        return [{**self.entry(f.get("path") if isinstance(f, dict) else f),
                 "label": f.get("label") if isinstance(f, dict) else None} for f in files]

    def media_file(self, value: Any) -> dict[str, Any]:
        path, _ = self.target(value, ("image",))
        data = self.read(path, MAX_IMAGE_BYTES)
        if data is None:
            raise Refused(404, f"{value} does not exist", f"{value} không có")
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode(),
                "encoding": "base64", "path": value, "name": path.name}

    def media(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        # a new entry's photos are looked for in its collection's folder (Decap knows the
        # entry's own folder only once it is saved): photos are never kept there
        folder = self.folder(params.get("mediaFolder"), lambda p: p[0] in IMAGE_FOLDERS and (
            p[1:] == ["images"] or len(p) == 1))
        if folder.name != "images":
            return []
        names = [n for n in os.listdir(folder) if not n.startswith(".")
                 and n.lower().endswith(IMAGE_SUFFIXES) and (folder / n).is_file()
                 and not (folder / n).is_symlink()] if folder.is_dir() else []
        names.sort(key=lambda n: (-(folder / n).stat().st_mtime_ns, n))
        prefix = f"content/{folder.parent.name}/images/"
        return [self.media_file(prefix + name) for name in names[:MEDIA_LISTED]]

    # -- writing -----------------------------------------------------------------------
    def checked_text(self, relative: str, raw: Any) -> bytes:
        if not isinstance(raw, str):
            raise Refused(422, "'raw' must be the file's text", "'raw' phải là nội dung tệp")
        data = raw.encode("utf-8")
        if len(data) > MAX_TEXT_BYTES:
            raise Refused(413, f"content/{relative} is {len(data):,} bytes; the limit is "
                          f"{MAX_TEXT_BYTES:,}",
                          f"content/{relative} có {len(data):,} byte; giới hạn là "
                          f"{MAX_TEXT_BYTES:,}")
        return data

    def checked_photo(self, path: Path, asset: Any) -> bytes:
        if not isinstance(asset, dict) or asset.get("encoding") != "base64" \
                or not isinstance(asset.get("content"), str):
            raise Refused(422, "a photo is sent as base64 'content'",
                          "ảnh phải được gửi dạng 'content' base64")
        too_big = Refused(413, f"'{path.name}' is over {MAX_IMAGE_BYTES:,} bytes, the limit "
                          "for a photo; send a smaller one",
                          f"'{path.name}' nặng hơn {MAX_IMAGE_BYTES:,} byte, giới hạn của một "
                          "ảnh; hãy gửi ảnh nhỏ hơn")
        if len(asset["content"]) > (MAX_IMAGE_BYTES + 2) // 3 * 4:
            raise too_big
        try:
            data = base64.b64decode(asset["content"], validate=True)
        except (binascii.Error, ValueError):
            raise Refused(422, f"'{path.name}' is not valid base64",
                          f"'{path.name}' không phải base64 hợp lệ") from None
        if len(data) > MAX_IMAGE_BYTES:
            raise too_big
        try:
            check_photo(data, path.name)
        except ImageError as exc:
            raise Refused(422, exc.en, exc.vi) from None
        return data

    def site_errors(self) -> list[ContentError]:
        """What `check` says of the site as it is on disk (parsed files come from the
        cache, so only what changed is parsed again)."""
        errors = ErrorCollector()
        config = load_config(self.source, errors)
        if config is None:  # site.yaml itself: not the form's doing
            return []
        load_content(config, errors, self.cache)
        return list(errors.errors)

    def saved(self, writes: list[tuple[Path, bytes | None]], refuse: Callable[
            [list[ContentError]], list[ContentError]]) -> None:
        """Write (or, for None, delete) the files, then check the site as the build does;
        when `refuse` picks errors out of what `check` says, put every file back as it
        was and refuse with those errors."""
        backups = [(path, path.read_bytes() if path.is_file() else None)
                   for path, _ in writes]
        try:
            for path, data in writes:
                if data is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomically(path, data, mode=0o644)
            problems = refuse(self.site_errors())
        except BaseException:
            self.restore(backups)
            raise
        if problems:
            self.restore(backups)
            where = [f"{e.path}:{e.line}: {e.field}" if e.line else f"{e.path}: {e.field}"
                     for e in problems]
            raise Refused(422, "; ".join(f"{w}: {e.message_en}" for w, e in zip(where, problems)),
                          "; ".join(f"{w}: {e.message_vi}" for w, e in zip(where, problems)))

    @staticmethod
    def restore(backups: list[tuple[Path, bytes | None]]) -> None:
        for path, data in backups:
            if data is None:
                path.unlink(missing_ok=True)
            else:
                write_atomically(path, data, mode=0o644)

    def persist_entry(self, params: dict[str, Any]) -> dict[str, str]:
        files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
        assets = params.get("assets") or []
        if not isinstance(files, list) or not files or not isinstance(assets, list):
            raise Refused(422, "'dataFiles' (or 'entry') and 'assets' must be lists",
                          "'dataFiles' (hoặc 'entry') và 'assets' phải là danh sách")
        writes: list[tuple[Path, bytes | None]] = []
        for asset in assets:  # photos first: the entry names them
            path, _ = self.target(asset.get("path") if isinstance(asset, dict) else None,
                                  ("image",))
            writes.append((path, self.checked_photo(path, asset)))
        shown = []
        for item in files:  # everything checked before anything is written
            if not isinstance(item, dict) or item.get("newPath"):
                raise Refused(422, "each data file is {path, raw}; renaming is not offered",
                              "mỗi tệp là {path, raw}; không hỗ trợ đổi tên")
            path, _ = self.target(item.get("path"), ("text",))
            writes.append((path, self.checked_text(self.relative(item["path"]),
                                                   item.get("raw"))))
            shown.append(item["path"])
        self.saved(writes, lambda errors: [e for e in errors if e.path in shown or any(
            name in e.message_en for name in shown)])
        return {"message": "entry persisted"}

    def persist_media(self, params: dict[str, Any]) -> dict[str, Any]:
        asset: Any = params.get("asset")  # as the form sent it: checked_photo checks it
        path, _ = self.target(asset.get("path") if isinstance(asset, dict) else None,
                              ("image",))
        write_atomically(path, self.checked_photo(path, asset), mode=0o644)
        return self.media_file(asset["path"])

    def delete(self, values: Any) -> dict[str, str]:
        """Delete files, unless that breaks the site (a producer its products name)."""
        if not isinstance(values, list) or not values:
            raise Refused(422, "'paths' must be a list of paths", "'paths' phải là danh sách")
        paths = [self.target(value)[0] for value in values]
        before = {error.format() for error in self.site_errors()}
        self.saved([(path, None) for path in paths],
                   lambda errors: [e for e in errors if e.format() not in before])
        return {"message": f"deleted {len(paths)} file(s)"}

    ACTIONS: dict[str, Callable[["LocalApi", dict[str, Any]], Any]] = {
        "entriesByFolder": entries_by_folder,
        "entriesByFiles": entries_by_files,
        "getEntry": lambda self, p: self.entry(p.get("path")),
        "persistEntry": persist_entry,
        "getMedia": media,
        "getMediaFile": lambda self, p: self.media_file(p.get("path")),
        "persistMedia": persist_media,
        "deleteFile": lambda self, p: self.delete([p.get("path")]),
        "deleteFiles": lambda self, p: self.delete(p.get("paths")),
    }


def path_is_api(path: str) -> bool:
    return path.rstrip("/") == API_PATH
