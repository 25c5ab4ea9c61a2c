"""The output cache's index is saved as chunks (output/cache.py `PageCache._dump`) and
read back whole."""
from __future__ import annotations

from pathlib import Path

from ocop_site.output import cache as output_cache
from ocop_site.output.cache import Entry, PageCache, Part, StoredFile


def test_an_index_of_many_chunks_is_read_back_whole(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(output_cache, "CHUNK", 3)  # every table in several chunks
    cache = PageCache(tmp_path, "v1")
    cache.begin()
    for n in range(10):
        cache.record(f"key{n}", [StoredFile(f"p{n}.html", f"blob{n}", n, n)])
        # equal lookups as distinct objects, as renders in worker processes send them
        cache.readsets[f"rs{n}"] = tuple(("string", "vi", f"s{k}") for k in range(n % 4))
        cache.parts[f"part{n}"] = Part(f"<p>{n}</p>".encode(), "", b"")
        cache.parts_used[f"part{n}"] = cache.generation
    cache.record_parts([("vi", "<td>Chè Đồng Thịnh</td>", ("", b"", ()), ())])
    cache.save()
    again = PageCache(tmp_path, "v1")
    assert again.entries == cache.entries and len(again.entries) == 10
    assert again.parts == cache.parts
    assert again.entries_used == cache.entries_used and len(again.entries_used) == 10
    assert again.parts_used == cache.parts_used and len(again.parts_used) == 11
    assert again.readsets == cache.readsets
    assert again.part("vi", None) == ("<td>Chè Đồng Thịnh</td>", ())
    assert again.generation == cache.generation
    assert isinstance(again.entries["key4"], Entry)


def test_an_index_cut_short_is_no_index(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, "v1")
    cache.begin()
    cache.record("key", [StoredFile("p.html", "blob", 1, 1)])
    cache.save()
    index = tmp_path / "index.pickle"
    index.write_bytes(index.read_bytes()[:-20])
    assert PageCache(tmp_path, "v1").entries == {}
