"""The static search index (search/tokens.py, search/indexcache.py, search/writer.py) on
the docs of the search fixture site: deterministic bytes, the posting encoding, what a
one-product edit changes, and the last run's index giving the cold build's bytes."""
from __future__ import annotations

import json
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.search.records import KeptDocs, site_records
from ocop_site.search.indexcache import IndexCache
from ocop_site.search.tokens import (
    decode_postings,
    doc_terms,
    encode_postings,
    fold,
    shard_name,
    words,
)
from ocop_site.search.writer import SPLIT_BYTES, KeptIndex, hash8, index_files, shard_of

from .conftest import SEARCH_SITE, TODAY


def files_of(site: Path, cache: IndexCache | None = None) -> dict[str, bytes]:
    config, catalogue, _ = builder.load(site, today=TODAY)
    records = site_records(catalogue, builder._process_images(config, catalogue))
    return dict(index_files(records, "search-index/", cache))


def test_words_and_folding() -> None:
    assert words("Chè Đồng-Thịnh, 500g!") == ["chè", "đồng", "thịnh", "500g"]
    assert fold("đồng") == fold("ĐỒNG".lower()) == "dong"
    assert fold("ðồng") == "dong"  # Đ's look-alike
    assert words("Ch\u0065\u0300") == ["chè"]  # NFD typed: NFC words
    assert shard_name("ma") == "ma" and shard_name("m") == "m"
    assert shard_name("ø") == "_f8" and shard_name("中文") == "_4e2d-6587"


def test_postings_round_trip() -> None:
    postings = [(0, 1), (3, 33), (4, 63), (1000, 2)]
    encoded = encode_postings(postings)
    assert encoded == [1, 3 * 64 + 33, 64 + 63, 996 * 64 + 2]
    assert list(decode_postings(encoded)) == postings
    assert doc_terms(("Mật ong", "", "", "", "ong mật", "Mật")) == (
        ("mật", 1 | 16 | 32), ("ong", 1 | 16))


def test_files_are_deterministic_and_named_by_their_hash(search_site: Path) -> None:
    files = files_of(search_site)
    assert files == files_of(search_site)
    manifest = json.loads(files["search-index/vi/index.json"])
    assert manifest["n"] == manifest["p"] == 8 and len(manifest["s"]) == 8
    for path, data in files.items():
        if not path.endswith("/index.json"):
            assert path.endswith(f".{hash8(data)}.json"), path
    shard = json.loads(files[f"search-index/vi/w/ma.{manifest['w']['ma']}.json"])
    assert set(shard["mat"]) == {"mật"}  # the spellings under their folded form
    ordinals = [o for o, _ in decode_postings(shard["mat"]["mật"])]
    cards = json.loads(files[f"search-index/vi/d/0.{manifest['d'][0]}.json"])
    assert {cards[o]["t"] for o in ordinals} >= {"Mật ong hoa nhãn Đôn Nhân", "Bưởi Đôn Nhân"}
    assert set(cards[0]) == {"u", "t", "s", "c", "p"}  # no photo: no "i"
    facets = json.loads(files[f"search-index/vi/facets.{manifest['f']}.json"])
    assert facets["names"] == ["commune", "group", "stars"] and len(facets["docs"]) == 8


def test_an_edit_changes_only_the_shards_of_its_words(search_site: Path) -> None:
    before = files_of(search_site)
    product = search_site / "content/products/buoi-don-nhan.md"
    product.write_text(product.read_text().replace("ngọt như mật", "ngọt như xoài"))
    after = files_of(search_site)
    changed = sorted(set(before) ^ set(after))
    shards = {p.split("/")[-1].split(".")[0] for p in changed if "/w/" in p}
    assert shards == {"xo"}  # "mật" stays (the same doc has it again); "xoài" is new
    assert {p for p in changed if "/w/" not in p} == set()  # same cards and facets
    assert before["search-index/vi/index.json"] != after["search-index/vi/index.json"]
    product.write_text(product.read_text().replace("Mùa hoa, vườn bưởi thu hút ong về lấy "
                                                   "mật.", "Mùa hoa."))
    again = files_of(search_site)
    shards = {p.split("/")[-1].split(".")[0] for p in set(after) ^ set(again) if "/w/" in p}
    assert shards == {"ma", "vu", "th", "hu", "on", "ve", "la"}  # mật, vườn, thu hút, ong…


def test_the_last_index_kept_gives_the_cold_bytes(search_site: Path, tmp_path: Path) -> None:
    """The index a run saves in .cache/ (search/indexcache.py) is what the next process
    updates: an edit of words splits one doc, a product added (every ordinal after it
    moves) only the new one; the bytes are a cold run's each time. A file of another
    code version or shard size, or one that is not a pickle, is no index."""
    folder = tmp_path / "search-index"
    folder.mkdir()
    (folder / "terms.pickle").write_bytes(b"what earlier versions kept")
    first = IndexCache(folder, "v1")
    cold = files_of(search_site, first)
    assert first.made == 8 and (folder / "index.pickle").is_file()
    assert not (folder / "terms.pickle").exists()
    product = search_site / "content/products/buoi-don-nhan.md"
    product.write_text(product.read_text().replace("Bưởi Đôn Nhân ngọt", "Bưởi ngon ngọt"))
    warm = IndexCache(folder, "v1")
    incremental = files_of(search_site, warm)
    assert warm.made == 1  # only the edited product split and folded again
    assert incremental == files_of(search_site) != cold
    (search_site / "content/products/aa-moi.md").write_text(
        product.read_text().replace("name: Bưởi Đôn Nhân", "name: Ấu mới"))
    added = IndexCache(folder, "v1")
    grown = files_of(search_site, added)
    assert added.made == 1 and grown == files_of(search_site) != incremental
    other = IndexCache(folder, "v2")  # another version of the code: every doc again
    assert files_of(search_site, other) == grown and other.made == 8 + 1
    assert IndexCache(folder, "v2").last("vi", SPLIT_BYTES) is not None
    assert IndexCache(folder, "v2").last("vi", 100) is None  # another shard size
    (folder / "index.pickle").write_bytes(b"not a pickle")
    broken = IndexCache(folder, "v2")
    assert files_of(search_site, broken) == grown and broken.made == 9


def test_big_shards_are_split_and_every_word_is_found(search_site: Path) -> None:
    """With a tiny SPLIT_BYTES every shard of more than one word is split; each folded
    word is then in the shard the script picks (writer.shard_of, search.js shardOf)."""
    config, catalogue, _ = builder.load(search_site, today=TODAY)
    records = list(site_records(catalogue, builder._process_images(config, catalogue)))
    whole = dict(index_files(records, "search-index/"))
    split = dict(index_files(records, "search-index/", split_bytes=100))
    manifest = json.loads(split["search-index/vi/index.json"])
    assert len(manifest["w"]) > len(json.loads(whole["search-index/vi/index.json"])["w"])
    assert "th" not in manifest["w"] and shard_of(manifest["w"], "thinh").startswith("thi")
    everything = {}
    for path, data in whole.items():
        if "/w/" in path:
            everything.update(json.loads(data))
    for folded, spellings in everything.items():
        name = shard_of(manifest["w"], folded)
        shard = json.loads(split[f"search-index/vi/w/{name}.{manifest['w'][name]}.json"])
        assert shard[folded] == spellings, folded
    assert shard_of(manifest["w"], "xyzzy") is None


def records_of(site: Path) -> list:
    config, catalogue, _ = builder.load(site, today=TODAY)
    return list(site_records(catalogue, builder._process_images(config, catalogue)))


def test_a_kept_index_updated_gives_the_fresh_bytes(search_site: Path) -> None:
    """serve's session keeps the index (writer.KeptIndex): after each edit the updated
    files are the bytes a fresh writer makes, with shards split small and not; an edit
    of words makes again only the shards of the words that changed."""
    products = search_site / "content/products"
    buoi, che = products / "buoi-don-nhan.md", products / "che-xanh-dong-thinh.md"

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text, old
        path.write_text(text.replace(old, new))

    edits = [
        lambda: edit(buoi, "ngọt như mật", "ngọt như xoài zyzzyva"),  # a word new to all
        lambda: edit(buoi, "xoài zyzzyva", "xoài"),  # the only doc with it loses it
        lambda: edit(buoi, "stars: 4", "stars: 5"),  # a card, the facets, the stars
        lambda: edit(buoi, "Bưởi múi mọng", "Bưởi múi"),  # a word one field fewer
        lambda: edit(che, "name: Chè xanh", "name: Chè xanh Đồng Thịnh loại một"),
        lambda: edit(buoi, "name: Bưởi Đôn Nhân", "name: Ấu Bưởi Đôn Nhân"),  # moves first
        lambda: (products / "zz-moi.md").write_text(
            buoi.read_text().replace("name: Ấu Bưởi Đôn Nhân", "name: Ổi mới")),
    ]
    for split_bytes in (SPLIT_BYTES, 100):
        kept = KeptIndex()
        records = records_of(search_site)
        assert dict(index_files(records, "s/", split_bytes=split_bytes, kept=kept)) == \
            dict(index_files(records, "s/", split_bytes=split_bytes))
        for number, change in enumerate(edits):
            change()
            last = kept.languages["vi"]
            records = records_of(search_site)
            fresh = dict(index_files(records, "s/", split_bytes=split_bytes))
            assert dict(index_files(records, "s/", split_bytes=split_bytes,
                                    kept=kept)) == fresh, (split_bytes, number)
            now = kept.languages["vi"]
            if number == 0:  # words only: every other shard is the very file it was
                made = {key for key, shard in now.shards.items()
                        if shard is not last.shards.get(key)}
                assert made == {"xo", "zy"}, made  # "mật" stays (its other sentence)
                assert all(file is before for (_, file), (_, before)
                           in zip(now.cards, last.cards))
            if number == 5:  # a doc moved: made afresh
                assert all(now.shards[key] is not shard for key, shard in last.shards.items()
                           if key in now.shards)
        for path in (buoi, che):  # the next split size starts from the fixture again
            path.write_text((SEARCH_SITE / "content/products" / path.name).read_text())
        (products / "zz-moi.md").unlink()


def test_kept_docs_are_taken_when_made_from_the_same_values(search_site: Path) -> None:
    """serve's session keeps each product's doc with the objects it was made from
    (records.KeptDocs): the same catalogue gives the very docs of the last pass; after
    an edit, the edited product's doc is made again and the docs equal docs made
    afresh."""
    config, catalogue, _ = builder.load(search_site, today=TODAY)
    images = builder._process_images(config, catalogue)
    kept = KeptDocs()
    first = list(site_records(catalogue, images, kept))
    again = list(site_records(catalogue, images, kept))
    assert again == first and all(a is b for a, b in zip(first[0].docs, again[0].docs))
    product = search_site / "content/products/buoi-don-nhan.md"
    product.write_text(product.read_text().replace("ngọt như mật", "ngọt như xoài"))
    config, catalogue, _ = builder.load(search_site, today=TODAY)
    images = builder._process_images(config, catalogue)
    third = list(site_records(catalogue, images, kept))
    assert third == list(site_records(catalogue, images)) != first
    changed = [a.url for a, b in zip(first[0].docs, third[0].docs) if a is not b]
    assert changed == ["san-pham/buoi-don-nhan/"]  # the others: equal objects, kept
