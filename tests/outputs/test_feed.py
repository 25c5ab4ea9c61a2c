"""The Atom feed, parsed as XML and checked against RFC 4287's required elements."""
from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from ocop_site.pipeline import builder

from ..conftest import TODAY
from .conftest import Built, copy_fixture

A = "{http://www.w3.org/2005/Atom}"


def rfc3339(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    assert parsed.tzinfo is not None, f"{text} has no time zone (RFC 3339 requires one)"
    return parsed


def links(element: ET.Element) -> dict[str, str]:
    return {link.get("rel", "alternate"): link.get("href") for link in element.findall(f"{A}link")}


def test_feed_has_every_required_atom_element(built: Built) -> None:
    feed = ET.fromstring((built.root / "feed.xml").read_bytes())
    assert feed.tag == f"{A}feed"
    # RFC 4287 §4.1.1: exactly one id, title, updated; an author (here on the feed)
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
        assert feed.findtext(f"{A}{name}").strip()
    assert feed.findtext(f"{A}author/{A}name").strip()
    feed_links = links(feed)
    assert feed_links["self"] == built.config.base_url + "feed.xml"
    assert built.file_for(feed_links["self"]).is_file()
    assert built.file_for(feed_links["alternate"]).is_file()
    entries = feed.findall(f"{A}entry")
    assert entries
    ids = [entry.findtext(f"{A}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:  # §4.1.2: id, title, updated; link alternate (no content)
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
            assert entry.findtext(f"{A}{name}").strip()
        assert built.file_for(links(entry)["alternate"]).is_file()
    updated = [rfc3339(e.findtext(f"{A}updated")) for e in entries]
    assert updated == sorted(updated, reverse=True), "newest certificate first"
    assert rfc3339(feed.findtext(f"{A}updated")) == max(updated)


def test_feed_lists_current_products_by_certificate_date(small: Built) -> None:
    feed = ET.fromstring((small.root / "feed.xml").read_bytes())
    entries = [(links(e)["alternate"], e.findtext(f"{A}updated"), e.findtext(f"{A}title"))
               for e in feed.findall(f"{A}entry")]
    base = small.config.base_url
    # the honey's certificate expired in 2024: it is not announced
    assert entries == [
        (base + "san-pham/dui-ga-hun-khoi-nhu-thuy/", "2025-09-30T00:00:00+07:00",
         "Đùi gà hun khói Như Thụy — OCOP 5 sao"),
        (base + "san-pham/che-xanh-dong-thinh/", "2024-05-12T00:00:00+07:00",
         "Chè xanh Đồng Thịnh — OCOP 4 sao"),
    ]
    assert feed.findtext(f"{A}updated") == "2025-09-30T00:00:00+07:00"


def test_sample_feed_leaves_out_every_expired_product(sample: Built) -> None:
    feed = ET.fromstring((sample.root / "feed.xml").read_bytes())
    linked = {links(e)["alternate"] for e in feed.findall(f"{A}entry")}
    catalogue = sample.catalogue
    expired = {sample.config.absolute(f"san-pham/{p.slug}/")
               for p in catalogue.products if catalogue.is_expired(p)}
    assert expired, "the sample has expired certificates to leave out"
    assert not linked & expired
    assert len(linked) == len(catalogue.products) - len(expired)


def test_feed_time_comes_from_the_data_not_the_clock(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    feeds = []
    for day in (TODAY, TODAY + dt.timedelta(days=30)):  # nothing expires in between
        out = tmp_path / f"public-{day}"
        builder.build(site, out, today=day)
        feeds.append((out / "feed.xml").read_bytes())
        shutil.rmtree(out)
    assert feeds[0] == feeds[1]
