"""Keep every file the build reads inside the site's content folder, and bounded in size."""
from __future__ import annotations

import os
from pathlib import Path

MAX_TEXT_BYTES = 1_000_000  # a product description is a few KB; 1 MB is surely a mistake
MAX_IMAGE_BYTES = 25_000_000  # a phone photo is 2–8 MB; HEIC smaller


class UnsafePath(Exception):
    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.en, self.vi = en, vi


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
    candidate = (relative_to / written.replace("\\", "/"))
    resolved = Path(os.path.realpath(candidate))
    root_resolved = Path(os.path.realpath(root))
    if not resolved.is_relative_to(root_resolved):
        raise UnsafePath(
            f"'{written}' points outside the content folder; keep photos next to the "
            "product files (e.g. images/photo.jpg)",
            f"'{written}' trỏ ra ngoài thư mục content; hãy để ảnh cạnh tệp sản phẩm "
            "(ví dụ images/anh.jpg)",
        )
    if not resolved.is_file():
        raise UnsafePath(
            f"file '{written}' not found (names are case-sensitive; check the spelling "
            "and that the photo was uploaded)",
            f"không tìm thấy tệp '{written}' (phân biệt chữ hoa/thường; kiểm tra tên và "
            "ảnh đã được tải lên chưa)",
        )
    return resolved


def read_bounded(path: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """Read a content file, refusing symlinks that leave `root` and oversized files."""
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(Path(os.path.realpath(root))):
        raise UnsafePath("this file is a link to somewhere outside the site folder",
                         "tệp này là liên kết tới nơi nằm ngoài thư mục trang")
    size = resolved.stat().st_size
    if size > limit:
        raise UnsafePath(
            f"file is {size:,} bytes; the limit is {limit:,}",
            f"tệp có {size:,} byte; giới hạn là {limit:,}",
        )
    with open(resolved, "rb") as handle:
        return handle.read(limit + 1)
