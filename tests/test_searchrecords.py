"""The search docs: what the index holds of each product and shop, made from the
catalogue of each language (no page rendered), on copies of the search fixture site."""
from __future__ import annotations

import re
from pathlib import Path

from ocop_site.pipeline import builder
from ocop_site.pipeline.jobs import fingerprinter, search_job
from ocop_site.search.records import FIELDS, SearchDoc, first_paragraph, site_records
from ocop_site.site.localize import localized_catalogue

from .conftest import TODAY


def records_of(site: Path) -> dict[str, tuple[str, SearchDoc]]:
    config, catalogue, _ = builder.load(site, today=TODAY)
    records = site_records(catalogue, builder._process_images(config, catalogue))
    return {doc.url: (language.lang, doc) for language in records for doc in language.docs}


def test_a_doc_holds_each_field_apart(search_site: Path) -> None:
    lang, gom = records_of(search_site)["san-pham/bo-am-chen-gom-dong-que/"]
    fields = dict(zip(FIELDS, gom.fields))
    assert lang == "vi" and fields["name"] == "Bộ ấm chén gốm Đồng Quế"
    assert fields["commune"] == "Đồng Quế"
    assert fields["description"] == "Gốm vuốt tay từ đất sét ven sông, phủ men tro."
    assert "Thủ công mỹ nghệ" in fields["category"]


def test_only_the_first_paragraph_of_the_description_is_searched() -> None:
    assert first_paragraph("<p>Một <em>hai</em> &amp; ba</p>\n<p>bốn</p>") == "Một hai & ba"
    assert first_paragraph("<h2></h2><p>x</p>") == "x"
    assert first_paragraph("<p>" + "từ " * 200 + "</p>").split() == ["từ"] * 80


def test_a_doc_has_the_facets_and_card_of_a_result(search_site: Path) -> None:
    records = records_of(search_site)
    assert len(records) == 8  # one per published product, one language
    _, gom = records["san-pham/bo-am-chen-gom-dong-que/"]
    assert gom.facets == ("Đồng Quế", "Thủ công mỹ nghệ", "3")
    assert dict(gom.card) == {"u": "san-pham/bo-am-chen-gom-dong-que/",
                              "t": "Bộ ấm chén gốm Đồng Quế", "s": 3, "c": "Đồng Quế",
                              "p": "550.000\u00a0₫ / bộ (1 ấm, 6 chén)"}  # no photo: no i
    _, che = records["san-pham/che-xanh-dong-thinh/"]
    assert re.fullmatch(r"img/[^/]+\.jpg", dict(che.card)["i"])
    # another product of the same producer is not part of this one's doc
    assert not any("Hồng trà" in field for field in che.fields)
    assert "p" not in dict(records["san-pham/ruou-men-la-bach-luu/"][1].card)


def test_each_language_has_its_records(search_site: Path) -> None:
    config = search_site / "site.yaml"
    config.write_text(config.read_text() + "languages: [vi, en]\n")
    records = records_of(search_site)
    assert len(records) == 16
    lang, en = records["en/san-pham/bo-am-chen-gom-dong-que/"]
    assert lang == "en"
    # English thousands separator, the unit as written (no translation)
    assert dict(en.card)["p"] == "550,000\u00a0₫ / bộ (1 ấm, 6 chén)"
    # the English page's category names are the classification's English names
    assert en.facets == ("Dong Que", "Handicrafts", "3")


def test_the_index_key_follows_what_the_records_are_made_of(search_site: Path) -> None:
    """The search index's job key (jobs.search_job) digests the products, communes,
    producers, categories, photos and strings the records are made of: a product's
    stars or name change it, a template (pages' layout) does not, and no record is made
    to compute it."""
    def key() -> str:
        config, catalogue, _ = builder.load(search_site, today=TODAY)
        catalogue = localized_catalogue(catalogue)
        images = builder._process_images(config, catalogue)
        return search_job(catalogue, images, fingerprinter(config), "version").key

    product = search_site / "content/products/buoi-don-nhan.md"
    first = key()
    assert key() == first
    (search_site / "templates").mkdir(exist_ok=True)
    (search_site / "templates/product.html").write_text("{{ page.title }}")
    assert key() == first
    text = product.read_text()
    product.write_text(text.replace("stars: 4", "stars: 5"))  # a filter
    assert key() != first
    product.write_text(text.replace("Bưởi Đôn Nhân", "Bưởi Đôn Nhân loại 1", 1))
    assert key() != first
    product.write_text(text)
    assert key() == first
