"""content/cache.py: parsing ahead in worker processes gives what one process gives, each
distinct file is parsed once, and a file that does not parse is left for its reader."""
from __future__ import annotations

from pathlib import Path

import pytest

from ocop_site.content.cache import CHUNK, ContentCache
from ocop_site.text.frontmatter import FrontMatterError

PRODUCT = "---\nname: Chè số {n}\nstars: 4\n---\n## Đặc điểm\n\nChè **búp** số {n}.\n"


def content_files(root: Path, count: int) -> list[Path]:
    folder = root / "products"
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        path = folder / f"che-{n:03d}.md"
        path.write_text(PRODUCT.format(n=n % (count - 3)), encoding="utf-8")  # 3 twins
        paths.append(path)
    paths[5].write_text("---\nname: [unclosed\n---\n", encoding="utf-8")
    return paths


def test_workers_parse_what_one_process_parses(tmp_path: Path) -> None:
    paths = content_files(tmp_path / "content", 3 * CHUNK)
    root = tmp_path / "content"
    parallel, serial = ContentCache(None), ContentCache(None)
    parallel.prime(paths, root, workers=2)
    serial.prime(paths, root, workers=1)
    assert parallel.entries == serial.entries
    assert parallel.parsed == serial.parsed == 3 * CHUNK - 3 - 1  # twins once, 1 broken
    document = parallel.read(paths[7], root)
    assert document.data["name"] == "Chè số 7" and "<strong>búp</strong>" in document.body_html
    assert parallel.parsed == serial.parsed  # read() found it primed
    with pytest.raises(FrontMatterError):
        parallel.read(paths[5], root)  # the reader reports it, with its line
