"""serve's local write API over real HTTP on 127.0.0.1: what the form may write, and
every request it must refuse — each with its status and a message in both languages,
and nothing written."""
from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from PIL import Image

from ocop_site.cms.jsonbody import MAX_DEPTH
from ocop_site.cms.localapi import MAX_REQUEST_BYTES, LocalApi, is_loopback
from ocop_site.content.safepath import MAX_IMAGE_BYTES
from ocop_site.serve import SiteApp

PRODUCT = "content/products/che-xanh-dong-thinh.md"
GOOD = """---
name: Mật ong bạc hà Đôn Nhân
stars: 4
category: mat-ong
commune: Bạch Lưu
producer: ho-mat-ong-don-nhan
certificate:
  decision: 12/QĐ-UBND
  date: 2025-02-03
images:
  - src: images/mat-ong-bac-ha-1.jpg
    alt: Hũ mật ong
---
Mật ong hoa bạc hà.
"""


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def api(site: Path, tmp_path: Path) -> Iterator[str]:
    """The API as serve mounts it, in a real HTTP server on an ephemeral port."""
    (tmp_path / "out").mkdir()
    app = SiteApp(tmp_path / "out", LocalApi(site))
    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()
    server.server_close()


def post(url: str, body: Any = None, raw: bytes | None = None,
         headers: dict[str, str] | None = None, method: str = "POST") -> tuple[int, Any]:
    data = raw if raw is not None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data if method == "POST" else None,
                                     method=method, headers={
                                         "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def files_of(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links as their target) → hash: to see nothing changed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = "link:" + str(path.readlink())
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def photo(width: int = 64, height: int = 48) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 150, 30)).save(buffer, "JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def persist(path: str, raw: str, assets: list | None = None) -> dict:
    return {"action": "persistEntry", "params": {
        "branch": "main", "dataFiles": [{"path": path, "slug": "x", "raw": raw}],
        "assets": assets or [], "options": {"commitMessage": "x", "useWorkflow": False,
                                            "status": "draft"}}}


def asset(path: str, content: str) -> dict:
    return {"path": path, "content": content, "encoding": "base64"}


def refused(api: str, site: Path, body: Any, status: int, english: str, vietnamese: str,
            **request: Any) -> None:
    """`body` is refused with `status`, both messages, and the site is untouched."""
    before = files_of(site.parent)
    code, answer = post(api, body, **request)
    assert code == status, answer
    assert english in answer["error"] and vietnamese in answer["error"], answer["error"]
    assert " / " in answer["error"]
    assert files_of(site.parent) == before


# -- what the form does --------------------------------------------------------------

def test_info_and_reading_the_content(api: str, site: Path) -> None:
    assert post(api, {"action": "info"}) == (
        200, {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"})
    code, entries = post(api, {"action": "entriesByFolder", "params": {
        "folder": "content/products", "extension": "md", "depth": 1}})
    assert code == 200
    assert [e["file"]["path"] for e in entries] == [
        "content/products/banh-draft.md", PRODUCT, "content/products/dui-ga-nhu-thuy.md",
        "content/products/mat-ong-don-nhan.md"]
    code, entry = post(api, {"action": "getEntry", "params": {"path": PRODUCT}})
    assert entry["data"] == (site / PRODUCT).read_text(encoding="utf-8")
    code, media = post(api, {"action": "getMedia", "params": {
        "mediaFolder": "content/products/images"}})
    assert [m["name"] for m in media] == ["che.jpg"]
    assert base64.b64decode(media[0]["content"]) == \
        (site / "content/products/images/che.jpg").read_bytes()


def test_a_new_product_and_its_photo_are_saved(api: str, site: Path) -> None:
    code, answer = post(api, persist("content/products/mat-ong-bac-ha-don-nhan.md", GOOD, [
        asset("content/products/images/mat-ong-bac-ha-1.jpg", photo())]))
    assert (code, answer) == (200, {"message": "entry persisted"})
    assert (site / "content/products/mat-ong-bac-ha-don-nhan.md").read_text("utf-8") == GOOD
    with Image.open(site / "content/products/images/mat-ong-bac-ha-1.jpg") as image:
        assert image.size == (64, 48)


def test_a_save_the_checker_refuses_is_refused_and_the_file_kept(api: str, site: Path) -> None:
    old = (site / PRODUCT).read_text(encoding="utf-8")
    refused(api, site, persist(PRODUCT, old.replace("stars: 4", "stars: 7")), 422,
            f"{PRODUCT}:3: stars: must be 3, 4 or 5 (got 7)",
            f"{PRODUCT}:3: stars: phải là 3, 4 hoặc 5 (đang ghi 7)")
    # a new file naming a photo that was never uploaded: neither is left behind
    refused(api, site, persist("content/products/moi.md", GOOD), 422,
            "images: file 'images/mat-ong-bac-ha-1.jpg' not found",
            "không tìm thấy tệp 'images/mat-ong-bac-ha-1.jpg'")
    # the same name as another product: the same address, san-pham/<slug>/
    clash = GOOD.replace("Mật ong bạc hà Đôn Nhân", "Chè xanh Đồng Thịnh")
    refused(api, site, persist("content/products/che-xanh-dong-thinh-1.md", clash, [
        asset("content/products/images/mat-ong-bac-ha-1.jpg", photo())]), 422,
            "both map to the URL san-pham/che-xanh-dong-thinh/", "cùng địa chỉ")


SHOP = """---
kind: supermarket
name: Bách hóa An Phú
commune: Hải Lựu
address: Km 3, xã Hải Lựu
geo:
  lat: 21.4861
  lng: 105.3659
hours:
  - Mo-Fr 07:30-11:30,13:30-17:00
  - Sa-Su 08:00-12:00
images:
  - images/quay.jpg
products:
  - che-xanh-dong-thinh
  - mat-ong-don-nhan
---
Quầy đặc sản ở tầng một.
"""


def test_a_new_shop_and_its_photo_are_saved_and_checked(api: str, site: Path) -> None:
    path = "content/shops/bach-hoa-an-phu.md"
    # as the form sends it: a bad hours line is refused with the checker's error
    bad = SHOP.replace("Sa-Su 08:00-12:00", "Sa-Su 12:00-08:00")
    refused(api, site, persist(path, bad, [asset("content/shops/images/quay.jpg", photo())]),
            422, f"{path}:11: hours: '12:00-08:00' closes before it opens",
            "giờ đóng trước giờ mở")
    code, answer = post(api, persist(path, SHOP, [
        asset("content/shops/images/quay.jpg", photo())]))
    assert (code, answer) == (200, {"message": "entry persisted"})
    assert (site / path).read_text("utf-8") == SHOP
    assert (site / "content/shops/images/quay.jpg").is_file()
    code, entries = post(api, {"action": "entriesByFolder", "params": {
        "folder": "content/shops", "extension": "md", "depth": 1}})
    assert [e["file"]["path"] for e in entries] == [path]
    # a product a shop sells cannot be deleted from under it
    refused(api, site, {"action": "deleteFile", "params": {
        "path": "content/products/mat-ong-don-nhan.md"}}, 422, "products", "sản phẩm")


def test_deleting_what_other_files_need_is_refused(api: str, site: Path) -> None:
    refused(api, site, {"action": "deleteFiles", "params": {
        "paths": ["content/producers/htx-che-dong-thinh.md"], "options": {}}}, 422,
            "unknown producer 'htx-che-dong-thinh'", "không có cơ sở sản xuất")
    draft = "content/products/banh-draft.md"  # no other file names it
    assert post(api, {"action": "deleteFile", "params": {"path": draft}})[0] == 200
    assert not (site / draft).exists()


# -- what it refuses -----------------------------------------------------------------

@pytest.mark.parametrize("path, english, vietnamese", [
    ("site.yaml", "'site.yaml' is not a path inside content/",
     "không phải đường dẫn bên trong content/"),
    ("/etc/passwd", "is not a path inside content/", "không phải đường dẫn bên trong content/"),
    ("content/products/../../site.yaml", "is not a path inside the content folder (no '..'",
     "không phải đường dẫn bên trong thư mục content"),
    ("content/../site.yaml", "is not a path inside the content folder",
     "không phải đường dẫn bên trong thư mục content"),
    ("content/data/communes.yaml", "is not a file the form writes",
     "không phải tệp biểu mẫu được ghi"),
    ("content/products/evil.html", "is not a file the form writes",
     "không phải tệp biểu mẫu được ghi"),
    ("content/products/sub/x.md", "is not a file the form writes", "không phải tệp biểu mẫu"),
    ("content/products/che.fr.md", "is not a file the form writes",  # not a site language
     "không phải tệp biểu mẫu"),
])
def test_paths_outside_content_or_of_other_kinds(api: str, site: Path, path: str,
                                                 english: str, vietnamese: str) -> None:
    refused(api, site, persist(path, GOOD), 422, english, vietnamese)


def test_a_link_out_is_never_written_through_or_read(api: str, site: Path,
                                                     tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\nname: x\n---\n", encoding="utf-8")
    (site / "content/products/link.md").symlink_to(outside / "secret.md")
    images = site / "content/products/images"
    for child in images.iterdir():
        child.rename(tmp_path / child.name)
    images.rmdir()
    images.symlink_to(outside, target_is_directory=True)
    refused(api, site, persist("content/products/link.md", GOOD), 422,
            "goes through a link", "đi qua một liên kết")
    refused(api, site, {"action": "persistMedia", "params": {
        "asset": asset("content/products/images/x.jpg", photo()), "options": {}}}, 422,
            "'products/images/x.jpg' goes through a link", "không ghi gì qua liên kết")
    refused(api, site, {"action": "getEntry", "params": {"path": "content/products/link.md"}},
            422, "goes through a link", "liên kết")
    assert (outside / "secret.md").read_text(encoding="utf-8") == "---\nname: x\n---\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.md"]


def test_an_oversized_upload(api: str, site: Path) -> None:
    big = base64.b64encode(b"\xff\xd8" + bytes(MAX_IMAGE_BYTES)).decode()
    refused(api, site, {"action": "persistMedia", "params": {
        "asset": asset("content/products/images/big.jpg", big), "options": {}}}, 413,
            f"'big.jpg' is over {MAX_IMAGE_BYTES:,} bytes, the limit for a photo",
            "giới hạn của một ảnh")
    # a request larger than any photo is refused before its body is read: none is sent
    before = files_of(site.parent)
    parts = urlsplit(api)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(MAX_REQUEST_BYTES + 1))
    connection.endheaders()
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    assert response.status == 413
    assert f"the limit is {MAX_REQUEST_BYTES:,}" in answer["error"]
    assert f"giới hạn là {MAX_REQUEST_BYTES:,}" in answer["error"]
    assert files_of(site.parent) == before


def test_uploads_the_build_would_refuse(api: str, site: Path) -> None:
    fake = base64.b64encode("---\nnot a photo\n".encode()).decode()
    refused(api, site, {"action": "persistMedia", "params": {
        "asset": asset("content/products/images/fake.jpg", fake), "options": {}}}, 422,
            "'fake.jpg' is not a JPEG, PNG, WebP or HEIC photo", "không phải ảnh JPEG")
    refused(api, site, {"action": "persistMedia", "params": {
        "asset": asset("content/products/images/x.svg", photo()), "options": {}}}, 422,
            "is not a file the form writes", "không phải tệp biểu mẫu")
    refused(api, site, {"action": "persistMedia", "params": {
        "asset": asset("content/products/images/x.jpg", "@@not base64@@"), "options": {}}},
            422, "'x.jpg' is not valid base64", "không phải base64 hợp lệ")


@pytest.mark.parametrize("raw, status, english, vietnamese", [
    (b'{"action": "persistEntry", "params": ', 400, "the body is not valid JSON",
     "nội dung không phải JSON hợp lệ"),
    (b"\xff\xfe", 400, "the body is not valid JSON", "không phải JSON"),
    (b'["info"]', 400, "the body must be an object with an 'action'", "phải là một đối tượng"),
    (b'{"action": "info", "params": []}', 400, "'params' must be an object",
     "'params' phải là một đối tượng"),
    (b'{"action": "publishUnpublishedEntry", "params": {}}', 422, "unknown action",
     "không có thao tác"),
    (b'{"action": "persistEntry", "params": {"dataFiles": "x"}}', 422,
     "'dataFiles' (or 'entry') and 'assets' must be lists", "phải là danh sách"),
    (b'{"action": "persistEntry", "params": {"dataFiles": [{"path": 7}], "assets": []}}', 422,
     "7 is not a path inside content/", "không phải đường dẫn"),
    (b'{"action": "entriesByFolder", "params": {"folder": "content/data", "extension": "md"}}',
     422, "'content/data' is not a folder of the form", "không phải thư mục của biểu mẫu"),
])
def test_malformed_requests(api: str, site: Path, raw: bytes, status: int, english: str,
                            vietnamese: str) -> None:
    refused(api, site, None, status, english, vietnamese, raw=raw)


def test_a_body_nested_too_deep_is_refused_without_a_traceback(
        api: str, site: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """200,000 "[" (400 KB) made json.loads raise RecursionError: a 500 and a traceback
    printed by the server. Now the nesting is bounded before parsing."""
    refused(api, site, None, 400, f"more than {MAX_DEPTH} levels deep",
            f"sâu quá {MAX_DEPTH} tầng", raw=b"[" * 200_000)
    refused(api, site, None, 400, "more than", "sâu quá", raw=b'{"a":' * 100_000 + b"1"
            + b"}" * 100_000)
    deepest_allowed = {"action": "info", "params": {}}
    nested: Any = 1
    for _ in range(MAX_DEPTH - 1):
        nested = [nested]
    deepest_allowed["x"] = nested  # type: ignore[assignment]
    assert post(api, deepest_allowed)[0] == 200
    deepest_allowed["x"] = [nested]  # type: ignore[assignment]
    refused(api, site, deepest_allowed, 400, "more than", "sâu quá")
    # brackets inside strings are text, not nesting (an entry's Markdown may hold them)
    assert post(api, {"action": "info", "params": {}, "x": "[{" * 1000 + '\\"['})[0] == 200
    refused(api, site, None, 400, "the body is not valid JSON", "không phải JSON hợp lệ",
            raw=b'{"action": "info", "n": ' + b"9" * 5000 + b"}")  # ValueError, not 500
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("headers, status, english, vietnamese", [
    ({"Host": "evil.example.org"}, 403, "only answers pages opened on this computer",
     "chỉ trả lời trang mở trên chính máy này"),
    ({"Host": "127.0.0.1.evil.example.org:8000"}, 403, "only answers pages opened",
     "chỉ trả lời"),
    ({"Origin": "https://evil.example.org"}, 403,
     "requests from https://evil.example.org are refused", "bị từ chối"),
    ({"Origin": "null"}, 403, "are refused", "bị từ chối"),
    ({"Content-Type": "text/plain"}, 415, "the body must be JSON", "nội dung phải là JSON"),
])
def test_requests_from_elsewhere_or_of_the_wrong_kind(api: str, site: Path, headers: dict,
                                                      status: int, english: str,
                                                      vietnamese: str) -> None:
    refused(api, site, persist("content/products/x.md", GOOD), status, english, vietnamese,
            headers=headers)


def test_only_post(api: str, site: Path) -> None:
    refused(api, site, None, 405, "send a POST with a JSON body", "hãy gửi POST",
            method="GET")


def test_no_api_when_serve_listens_beyond_this_computer(site: Path, tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1:8000") and is_loopback("localhost") and is_loopback("[::1]:80")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5:8000")
    assert not is_loopback("127.0.0.1.evil.example.org")
    (tmp_path / "out").mkdir()
    app = SiteApp(tmp_path / "out", api=None)  # what serve mounts for --host 0.0.0.0
    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        refused(f"http://127.0.0.1:{server.server_port}/api/v1", site,
                persist("content/products/x.md", GOOD), 403,
                "the form does not save while serve listens beyond this computer",
                "biểu mẫu không lưu khi serve mở ra ngoài máy này")
    finally:
        server.shutdown()
        server.server_close()
