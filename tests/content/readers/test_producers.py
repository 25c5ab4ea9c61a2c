"""content/producers/*.md, checked against the communes."""
from __future__ import annotations

from pathlib import Path

from ocop_site.content.readers.producers import producer_ids, read_producer, read_producers
from ocop_site.content.references import References
from ocop_site.text import vietnamese

from . import context, lines, write

REFS = References(commune_index={vietnamese.identity_key("Sông Lô"): "song-lo"})
PRODUCER = """\
---
name: HTX Chè
type: cooperative
commune: xã Sông Lô
phone: "0900 000 101"
address: Thôn 1
---
Trồng chè.
"""


def test_a_producer_is_read_with_its_commune_and_translation(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    path = write(tmp_path / "content/producers/htx-che.md", PRODUCER)
    write(tmp_path / "content/producers/htx-che.en.md", "---\nname: Tea co-op\n---\n")
    producer = read_producer(ctx, REFS, path)
    assert lines(ctx) == []
    assert (producer.id, producer.commune, producer.body_html) == (
        "htx-che", "song-lo", "<p>Trồng chè.</p>")
    assert producer.translations[0].get("name") == "Tea co-op"


def test_an_unknown_type_and_commune_are_both_reported(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    path = write(tmp_path / "content/producers/htx-che.md", PRODUCER.replace(
        "cooperative", "cooperativ").replace("xã Sông Lô", "Hà Nội"))
    assert read_producer(ctx, REFS, path) is None
    assert [line.split(" / ")[0] for line in lines(ctx)] == [
        "content/producers/htx-che.md:3: type: unknown type 'cooperativ' — did you mean "
        "'cooperative'? (one of: enterprise, cooperative, cooperative_group, household)",
        "content/producers/htx-che.md:4: commune: unknown commune 'Hà Nội' (communes are "
        "listed in content/data/communes.yaml)"]


def test_two_files_giving_one_id_are_an_error(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    paths = [write(tmp_path / "content/producers" / name, PRODUCER)
             for name in ("HTX-Che.md", "htx-che.md")]
    assert producer_ids(paths) == {"htx-che"}
    producers = read_producers(ctx, REFS, paths)
    assert [p.source for p in producers.values()] == ["content/producers/HTX-Che.md"]
    assert lines(ctx)[0].startswith(
        "content/producers/htx-che.md:1: file: 'content/producers/htx-che.md' and "
        "'content/producers/HTX-Che.md' both give the producer id 'htx-che'")
