"""The search records: what Pagefind indexes of each product, made from the catalogue of
each language (no page rendered), on copies of the search fixture site."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.pipeline.jobs import fingerprinter, search_job
from ocop_site.site.localize import localized_catalogue
from ocop_site.search.pagefind import SearchRecord
from ocop_site.search.records import site_records

from .conftest import REPO, TODAY

SEARCH_SITE = REPO / "tests" / "data" / "search-site"


@pytest.fixture
def search_site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SEARCH_SITE, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def records_of(site: Path) -> dict[str, SearchRecord]:
    config, catalogue, _ = builder.load(site, today=TODAY)
    records = site_records(catalogue, builder._process_images(config, catalogue))
    return {record.url: record for record in records}


def hidden(record: SearchRecord, weight: str) -> str:
    found = re.search(rf'<p hidden data-pagefind-body data-pagefind-weight="{weight}">'
                      r"([^<]*)</p>", record.html)
    return found.group(1) if found else ""


def test_a_record_carries_the_folded_d_words_below_the_real_text(search_site: Path) -> None:
    gom = records_of(search_site)["/san-pham/bo-am-chen-gom-dong-que/"]
    assert gom.lang == "vi" and gom.html.startswith('<html lang="vi"><body>')
    # the name's đ-words weighted 2 (above body text, below the <h1>), the rest 0.5
    assert hidden(gom, "2") == "dong"
    assert hidden(gom, "0.5") == "dat do"  # Đất sét (summary), Đồ gốm (category)
    assert '<h1 id="h-product">Bộ ấm chén gốm Đồng Quế</h1>' in gom.html
    ruou = records_of(search_site)["/san-pham/ruou-men-la-bach-luu/"]
    assert hidden(ruou, "2") == "" and "data-pagefind-weight=\"2\"" not in ruou.html


def test_a_record_has_the_filters_and_metadata_of_a_result_card(search_site: Path) -> None:
    records = records_of(search_site)
    assert len(records) == 8  # one per published product, one language
    gom = records["/san-pham/bo-am-chen-gom-dong-que/"].html
    assert '<span data-pagefind-filter="commune">Đồng Quế</span>' in gom
    assert '<span data-pagefind-filter="group">Thủ công mỹ nghệ</span>' in gom
    assert '<span data-pagefind-filter="stars">3</span>' in gom
    assert '<span data-pagefind-meta="price">550.000\u00a0₫ / bộ (1 ấm, 6 chén)</span>' in gom
    assert '<span data-pagefind-meta="image:"></span>' in gom  # no photo: no image
    che = records["/san-pham/che-xanh-dong-thinh/"].html
    assert re.search(r'<span data-pagefind-meta="image:img/[^"/]+\.jpg"></span>', che)
    # the filters and metadata are not words to find
    assert re.search(r"<div hidden data-pagefind-ignore>\n<span data-pagefind-filter", che)
    # another product of the same producer is not part of this one's record
    assert "Hồng trà" not in che
    assert "data-pagefind-meta=\"price\"" not in records["/san-pham/ruou-men-la-bach-luu/"].html


def test_each_language_has_its_records(search_site: Path) -> None:
    config = search_site / "site.yaml"
    config.write_text(config.read_text() + "languages: [vi, en]\n")
    records = records_of(search_site)
    assert len(records) == 16
    en = records["/en/san-pham/bo-am-chen-gom-dong-que/"]
    assert en.lang == "en" and en.html.startswith('<html lang="en"><body>')
    assert '<span data-pagefind-meta="price">550,000\u00a0₫ / bộ (1 ấm, 6 chén)</span>' \
        in en.html  # English thousands separator, the unit as written (no translation)
    assert "<dt>Product group</dt>" in en.html and "<dt>Nhóm sản phẩm</dt>" in \
        records["/san-pham/bo-am-chen-gom-dong-que/"].html
    # the English page's category names are the classification's English names
    assert '<span data-pagefind-filter="group">Handicrafts</span>' in en.html
    assert '<span data-pagefind-filter="commune">Dong Que</span>' in en.html  # name_en
    assert hidden(en, "2") == "dong"  # the untranslated name keeps its aliases


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
