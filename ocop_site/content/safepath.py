"""Keep every file the build reads inside the site's content folder, and bounded in size."""
from __future__ import annotations

import os
import stat
import subprocess
import unicodedata
from pathlib import Path

from ..errors import ContentError, ContentErrors, InvalidInput

MAX_TEXT_BYTES = 1_000_000  # a product description is a few KB; 1 MB is surely a mistake
MAX_IMAGE_BYTES = 25_000_000  # a phone photo is 2–8 MB; HEIC smaller


class UnsafePath(InvalidInput):
    """A path written in a content file that would leave content/ or is too large."""


def resolve_inside(root: Path, relative_to: Path, written: str) -> Path:
    """Resolve `written` (as typed in a file) against `relative_to`, refusing escapes.

    Absolute paths, `..` that climbs out, and symlinks pointing outside `root` are refused
    because content comes from outsiders' pull requests.
    """
    if not written or written.strip() != written:
        raise UnsafePath("the path is empty or has spaces around it",
                         "đường dẫn trống hoặc có khoảng trắng ở đầu/cuối")
    if written.startswith(("/", "\\")) or (len(written) > 1 and written[1] == ":") \
            or "://" in written:
        raise UnsafePath(
            f"'{written}' is an absolute path or a web address; write a path relative to "
            "this file, e.g. images/photo.jpg",
            f"'{written}' là đường dẫn tuyệt đối hoặc địa chỉ web; hãy ghi đường dẫn tương đối "
            "với tệp này, ví dụ images/anh.jpg",
        )
    not_found = UnsafePath(
        f"file '{written}' not found (names are case-sensitive; check the spelling "
        "and that the photo was uploaded)",
        f"không tìm thấy tệp '{written}' (phân biệt chữ hoa/thường; kiểm tra tên và "
        "ảnh đã được tải lên chưa)",
    )
    try:
        candidate = _match_normalisation(relative_to, written.replace("\\", "/"))
        resolved = Path(os.path.realpath(candidate))
        is_file = resolved.is_file()
    except (OSError, ValueError):  # a name too long, a NUL byte
        raise not_found from None
    root_resolved = Path(os.path.realpath(root))
    if not resolved.is_relative_to(root_resolved):
        raise UnsafePath(
            f"'{written}' points outside the content folder; keep photos next to the "
            "product files (e.g. images/photo.jpg)",
            f"'{written}' trỏ ra ngoài thư mục content; hãy để ảnh cạnh tệp sản phẩm "
            "(ví dụ images/anh.jpg)",
        )
    if not is_file:
        raise not_found
    return resolved


def _match_normalisation(base: Path, written: str) -> Path:
    """`base/written`, each name matched to the entry on disk whatever its Unicode form.

    Front-matter is NFC; a photo copied from a Mac may be named in NFD (and vice versa),
    and Linux compares names byte for byte. An exact name wins; otherwise the one entry
    with the same NFC name is used. `..` and `.` are kept for the escape check.
    """
    path = base
    for part in written.split("/"):
        exact = path / part
        if part in ("", ".", "..") or exact.exists() or not path.is_dir():
            path = exact
            continue
        wanted = unicodedata.normalize("NFC", part)
        try:
            same = sorted(e for e in os.listdir(path)
                          if unicodedata.normalize("NFC", e) == wanted)
        except OSError:
            same = []
        path = path / same[0] if len(same) == 1 else exact
    return path


def writable_inside(root: Path, relative: str) -> Path:
    """`root/relative`, for writing a file there: refused when a part is empty, `.`,
    `..` or hidden, or when anything on the way — the file included — is a link (a link
    would carry the write out of `root`, or onto another file). Folders need not exist
    yet; what does exist must be a folder, and the file a regular file."""
    parts = relative.split("/")
    if not relative or any(not part or part in (".", "..") or part.startswith(".")
                           or "\\" in part or "\0" in part for part in parts):
        raise UnsafePath(
            f"'{relative}' is not a path inside the content folder (no '..', no empty, "
            "hidden or absolute parts)",
            f"'{relative}' không phải đường dẫn bên trong thư mục content (không có '..', "
            "phần trống, ẩn hay tuyệt đối)")
    path = Path(os.path.realpath(root))
    for index, part in enumerate(parts):
        path = path / part
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise UnsafePath(f"cannot use '{relative}' ({exc.strerror or exc})",
                             f"không dùng được '{relative}' ({exc.strerror or exc})") from None
        last = index == len(parts) - 1
        if stat.S_ISLNK(info.st_mode) or not (stat.S_ISREG(info.st_mode) if last
                                                else stat.S_ISDIR(info.st_mode)):
            raise UnsafePath(
                f"'{relative}' goes through a link or something that is not a "
                f"{'file' if last else 'folder'} ('{'/'.join(parts[:index + 1])}'); "
                "nothing is written through links",
                f"'{relative}' đi qua một liên kết hoặc thứ không phải "
                f"{'tệp' if last else 'thư mục'} ('{'/'.join(parts[:index + 1])}'); không "
                "ghi gì qua liên kết")
    return path


def read_bounded(path: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """Read a content file, refusing links that leave `root`, non-files and oversized files."""
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(Path(os.path.realpath(root))):
        raise UnsafePath("this file is a link to somewhere outside the site folder",
                         "tệp này là liên kết tới nơi nằm ngoài thư mục trang")
    try:
        info = resolved.stat()
    except OSError as exc:  # a dangling link, a link loop, no permission
        raise UnsafePath(f"cannot read this file ({exc.strerror or exc})",
                         f"không đọc được tệp này ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        # a directory named *.md, or a FIFO/device that would block the build forever
        raise UnsafePath("this is not a regular file (a folder, or a link to one?)",
                         "đây không phải tệp thường (thư mục, hoặc liên kết tới thư mục?)")
    if info.st_size > limit:
        raise UnsafePath(
            f"file is {info.st_size:,} bytes; the limit is {limit:,}",
            f"tệp có {info.st_size:,} byte; giới hạn là {limit:,}",
        )
    try:
        with open(resolved, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnsafePath(f"cannot read this file ({exc.strerror or exc})",
                         f"không đọc được tệp này ({exc.strerror or exc})") from None
    if len(data) > limit:  # grew since stat
        raise UnsafePath(f"file is over the limit of {limit:,} bytes",
                         f"tệp vượt quá giới hạn {limit:,} byte")
    return data


def cache_root(source: Path) -> Path:
    """The site's cache folder, `.cache/` — refused when it comes from the repository.

    The caches hold pickled parsed content and sanitised description HTML, every file a
    build made (pages, QR codes: the output cache) and processed photos, all used as
    they are: a pull request that commits a `.cache/` file (git add -f) could run code
    when the build unpickles it, or put a script in a page or a QR code. Caches are made
    by the build on each machine, so any committed file in there is an error, before
    anything in it is read.
    """
    committed = committed_files(source, ".cache")
    if committed:
        listed = ", ".join(committed[:3]) + (", …" if len(committed) > 3 else "")
        raise ContentErrors([ContentError(
            ".cache", 0, "cache",
            f"the cache folder holds files committed to the repository ({listed}); caches "
            "are made by each build and a committed one could run code or replace pages: "
            "remove them with 'git rm -r --cached .cache' and delete the folder",
            f"thư mục .cache có tệp đã được đưa vào kho mã ({listed}); bộ nhớ đệm do mỗi "
            "lần tạo trang sinh ra, và một bộ nhớ đệm bị đưa vào có thể chạy mã hoặc thay "
            "trang: hãy gỡ bằng 'git rm -r --cached .cache' rồi xóa thư mục")])
    return source / ".cache"


def committed_files(source: Path, relative: str) -> list[str]:
    """Paths under `source/relative` tracked by git ([] outside a repository or without
    git: then there is no pull request to guard against)."""
    try:
        result = subprocess.run(
            # safe.directory: a CI checkout owned by another user must still be checked
            ["git", "-c", "safe.directory=*", "-C", str(source), "ls-files", "-z", "--",
             relative],
            capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if result.returncode != 0:
        return []
    return sorted(name for name in result.stdout.decode("utf-8", "replace").split("\0")
                  if name)
