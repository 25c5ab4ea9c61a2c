"""catalogue.json and catalogue.csv: read back with json and csv, compared with the content."""
from __future__ import annotations

import csv
import io
import json
import re

from ocop_site.outputs.opendata import CSV_COLUMNS

from ..conftest import REPO
from .conftest import Built

DOCS = REPO / "docs" / "open-data.md"


def load_json(built: Built) -> dict:
    return json.loads((built.root / "catalogue.json").read_bytes())


def read_csv(built: Built) -> tuple[bytes, list[dict[str, str]], list[str]]:
    raw = (built.root / "catalogue.csv").read_bytes()
    with open(built.root / "catalogue.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return raw, rows, list(reader.fieldnames or [])


def test_json_lists_every_product_with_its_facts(built: Built) -> None:
    data = load_json(built)
    catalogue = built.catalogue
    assert data["format_version"] == 1
    assert data["site"]["url"] == built.config.base_url
    assert [p["slug"] for p in data["products"]] == [p.slug for p in catalogue.products]
    assert data["product_count"] == len(catalogue.products)
    for record, product in zip(data["products"], catalogue.products):
        assert record["name"] == product.name
        assert record["stars"] == product.stars
        assert record["price"] == product.price
        assert record["currency"] == ("VND" if product.price is not None else None)
        assert record["category"]["id"] == product.category
        assert record["category"]["path"][-1]["id"] == product.category
        assert record["commune"]["slug"] == product.commune
        assert record["commune"]["name"] == catalogue.communes_by_slug[product.commune].name
        assert record["producer"]["id"] == product.producer
        assert record["producer"]["name"] == catalogue.producers[product.producer].name
        certificate = record["certificate"]
        assert certificate["decision"] == product.certificate.decision
        assert certificate["date"] == product.certificate.date.isoformat()
        assert certificate["valid_until"] == product.certificate.valid_until.isoformat()
        assert certificate["expired"] == catalogue.is_expired(product)
        for url in (record["url"], record["commune"]["url"], record["producer"]["url"],
                    record["qr_code"], *record["images"], *(e["url"] for e in record["events"])):
            assert built.file_for(url).is_file(), url
        assert len(record["images"]) == len(product.images)


def test_json_names_the_fixture_products_exactly(small: Built) -> None:
    [tea] = [p for p in load_json(small)["products"] if p["slug"] == "che-xanh-dong-thinh"]
    assert tea["commune"] == {
        "slug": "song-lo", "name": "Sông Lô", "name_en": "Song Lo",
        "as_written": "Đồng Thịnh", "url": "https://example.org/xa/song-lo/"}
    assert tea["certificate"] == {
        "decision": "123/QĐ-UBND", "date": "2024-05-12", "valid_until": "2027-05-12",
        "issued_by": "UBND tỉnh Vĩnh Phúc", "expired": False}
    assert [e["slug"] for e in tea["events"]] == ["phien-cho-thu-nghiem"]


def test_csv_has_a_bom_and_round_trips_vietnamese(built: Built) -> None:
    raw, rows, header = read_csv(built)
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    assert header == list(CSV_COLUMNS)
    data = load_json(built)["products"]
    assert len(rows) == len(data)
    for row, record in zip(rows, data):
        assert row["name"] == record["name"]  # Vietnamese survives the round trip
        assert row["commune_name"] == record["commune"]["name"]
        assert row["producer_name"] == record["producer"]["name"]
        assert row["producer_address"] == record["producer"]["address"]
        assert row["category_name"] == record["category"]["name"]
        assert row["summary"] == record["summary"]
        assert row["stars"] == str(record["stars"])
        assert row["price_vnd"] == ("" if record["price"] is None else str(record["price"]))
        assert row["certificate_expired"] == str(record["certificate"]["expired"]).lower()
        assert row["url"] == record["url"]
        assert row["qr_code_url"] == record["qr_code"]


def test_csv_row_of_the_fixture_tea(small: Built) -> None:
    _raw, rows, _header = read_csv(small)
    [tea] = [r for r in rows if r["slug"] == "che-xanh-dong-thinh"]
    assert tea["name"] == "Chè xanh Đồng Thịnh"
    assert tea["commune_as_written"] == "Đồng Thịnh"
    assert tea["producer_name"] == "Hợp tác xã Chè Đồng Thịnh"
    assert tea["certificate_decision"] == "123/QĐ-UBND"
    assert tea["price_vnd"] == "150000"
    assert tea["unit"] == "hộp 500g"
    [honey] = [r for r in rows if r["slug"] == "mat-ong-hoa-nhan-don-nhan"]
    assert (honey["price_vnd"], honey["certificate_expired"]) == ("", "true")


def test_every_field_and_column_is_documented(small: Built) -> None:
    docs = DOCS.read_text("utf-8")
    documented = set(re.findall(r"`([a-z_.]+)`", docs))
    for column in CSV_COLUMNS:
        assert column in documented, f"CSV column {column} is not in docs/open-data.md"
    record = load_json(small)["products"][0]
    for key, value in record.items():
        assert key in documented, f"JSON field {key} is not in docs/open-data.md"
        if isinstance(value, dict):
            for inner in value:
                assert f"{key}.{inner}" in documented or inner in documented, f"{key}.{inner}"
    # and the CSV table in the docs lists the columns in the published order
    table = re.findall(r"^\| `([a-z_]+)` \| ", docs.split("## `catalogue.csv`")[1], re.M)
    assert tuple(table[: len(CSV_COLUMNS)]) == CSV_COLUMNS


def test_csv_opens_with_the_csv_module_from_bytes(small: Built) -> None:
    raw = (small.root / "catalogue.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "slug"  # the BOM is not part of the first column name
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_json_made_record_by_record_is_what_one_dump_of_the_document_gives(
        built: Built) -> None:
    """catalogue.json is written one record at a time (memory); the bytes must be those
    of json.dumps over the whole document, so importers see one ordinary JSON layout."""
    shipped = (built.root / "catalogue.json").read_bytes()
    whole = json.dumps(json.loads(shipped), ensure_ascii=False, indent=1) + "\n"
    assert shipped == whole.encode("utf-8")
    assert load_json(built)["products"]  # the fixture has products: the list is laid out


def test_json_of_a_catalogue_without_products(built: Built) -> None:
    import dataclasses

    from ocop_site.outputs.opendata import open_data
    empty = dataclasses.replace(built.catalogue, products=(), featured=(), newest=())
    shipped, csv_bytes = open_data(empty, {})
    assert csv_bytes.decode("utf-8-sig").splitlines() == [",".join(CSV_COLUMNS)]
    data = json.loads(shipped)
    assert data["products"] == [] and data["product_count"] == 0
    assert shipped == (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def test_records_json_kept_between_builds_gives_the_same_bytes(built: Built) -> None:
    """KeptItems (.cache/opendata.pickle): a record's JSON taken from an earlier build is
    the JSON made now; a damaged entry is made again; an edited record misses."""
    import dataclasses

    from ocop_site.outputs.opendata import KeptItems, open_data
    plain = open_data(built.catalogue, {})
    first = KeptItems({})
    assert open_data(built.catalogue, {}, kept=first) == plain
    assert len(first.used) == len(built.catalogue.products)
    damaged = KeptItems({key: 7 for key in first.used})  # type: ignore[misc]
    assert open_data(built.catalogue, {}, kept=damaged) == plain
    again = KeptItems(first.used)
    assert open_data(built.catalogue, {}, kept=again) == plain
    assert again.used == first.used
    product = built.catalogue.products[0]
    edited = dataclasses.replace(product, summary=product.summary + " Thêm.")
    other = dataclasses.replace(built.catalogue,
                                products=(edited,) + built.catalogue.products[1:])
    kept = KeptItems(first.used)
    assert open_data(other, {}, kept=kept) == open_data(other, {})
    assert len(set(kept.used) - set(first.used)) == 1
