"""Open data for provincial and national portals: catalogue.json and catalogue.csv.

Field and column names are a public contract documented in docs/open-data.md: add new
ones at the end, never rename or reorder (importers map columns by name or position).
The CSV starts with a UTF-8 byte order mark because that is how Excel on Windows knows
the file is UTF-8; without it Vietnamese shows as mojibake.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any, Callable, Mapping

from ..content.models import Product, translation_of
from ..images.photos import ProcessedImage
from ..site.catalogue import Catalogue
from ..site.statistics import Statistics, compute
from ..site.urls import Urls, site_languages
from . import shopdata, statsdata

FORMAT_VERSION = 1

CSV_COLUMNS: tuple[str, ...] = (
    "slug", "name", "stars", "category_id", "category_code", "category_name",
    "commune_slug", "commune_name", "commune_as_written",
    "producer_id", "producer_name", "producer_type", "producer_phone", "producer_address",
    "producer_website",
    "certificate_decision", "certificate_date", "certificate_valid_until",
    "certificate_issued_by", "certificate_expired",
    "price_vnd", "unit", "summary", "url", "image_url", "qr_code_url",
    # English, where written (empty otherwise); other languages are in the JSON only
    "name_en", "summary_en", "unit_en", "url_en",
)


def product_record(catalogue: Catalogue, product: Product,
                   images: Mapping[Path, ProcessedImage]) -> dict[str, Any]:
    """One product as the JSON object documented in docs/open-data.md."""
    absolute = catalogue.config.absolute
    category = catalogue.categories[product.category]
    commune = catalogue.communes_by_slug[product.commune]
    producer = catalogue.producers[product.producer]
    certificate = product.certificate
    return {
        "slug": product.slug,
        "name": product.name,
        "url": absolute(Urls.product(product)),
        "stars": product.stars,
        "summary": product.summary,
        "price": product.price,
        "currency": "VND" if product.price is not None else None,
        "unit": product.unit,
        "category": {
            "id": category.id,
            "code": category.code,
            "name": category.name,
            "name_en": category.name_en,
            "path": [{"id": c.id, "code": c.code, "name": c.name}
                     for c in catalogue.category_path(category.id)],
        },
        "commune": {
            "slug": commune.slug,
            "name": commune.name,
            "name_en": commune.name_en,
            "as_written": product.commune_as_written,
            "url": absolute(Urls.commune(commune.slug)),
        },
        "producer": {
            "id": producer.id,
            "name": producer.name,
            "type": producer.type,
            "phone": producer.phone,
            "address": producer.address,
            "website": producer.website or None,
            "url": absolute(Urls.producer(producer.id)),
        },
        "certificate": {
            "decision": certificate.decision,
            "date": certificate.date.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "issued_by": certificate.issued_by or None,
            "expired": catalogue.is_expired(product),
        },
        "images": [absolute(images[ref.source].fallback.url)
                   for ref in product.images if ref.source in images],
        "qr_code": absolute(Urls.qr(product)),
        "events": [{"slug": e.slug, "title": e.title, "start": e.start.isoformat(),
                    "end": e.end.isoformat(), "place": e.place,
                    "url": absolute(Urls.event(e.slug))}
                   for e in catalogue.events_by_product.get(product.slug, ())],
        "translations": translations(catalogue, product),
    }


def translations(catalogue: Catalogue, product: Product) -> dict[str, dict[str, Any]]:
    """The product's text in each other language of the site (null where the product
    has none yet) and its page in that language."""
    found = {}
    for lang in site_languages(catalogue.config)[1:]:
        own = translation_of(product.translations, lang.code)
        found[lang.code] = {
            **{name: (own.get(name) or None) if own else None
               for name in ("name", "summary", "unit")},
            "url": catalogue.config.absolute(lang.urls.product(product)),
        }
    return found


def _document_head(catalogue: Catalogue) -> dict[str, Any]:
    config = catalogue.config
    return {
        "format": "ocop-site-catalogue",
        "format_version": FORMAT_VERSION,
        "site": {
            "title": config.title,
            "url": config.absolute(Urls.home),
            "region": config.region_name,
            "province": config.province,
            "language": config.language,
        },
        "product_count": len(catalogue.products),
    }


def _json_list_item(record: Mapping[str, Any]) -> str:
    """A record as json.dumps(document, indent=1) writes it inside the "products" list
    (two levels deep), so the file is made one record at a time."""
    return "  " + json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def csv_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """The flat CSV form of a JSON product record, keyed by CSV_COLUMNS."""
    category, commune = record["category"], record["commune"]
    producer, certificate = record["producer"], record["certificate"]
    english = record.get("translations", {}).get("en", {})
    return {
        "slug": record["slug"], "name": record["name"], "stars": record["stars"],
        "category_id": category["id"], "category_code": category["code"],
        "category_name": category["name"],
        "commune_slug": commune["slug"], "commune_name": commune["name"],
        "commune_as_written": commune["as_written"],
        "producer_id": producer["id"], "producer_name": producer["name"],
        "producer_type": producer["type"], "producer_phone": producer["phone"],
        "producer_address": producer["address"], "producer_website": producer["website"] or "",
        "certificate_decision": certificate["decision"],
        "certificate_date": certificate["date"],
        "certificate_valid_until": certificate["valid_until"],
        "certificate_issued_by": certificate["issued_by"] or "",
        "certificate_expired": "true" if certificate["expired"] else "false",
        "price_vnd": "" if record["price"] is None else record["price"],
        "unit": record["unit"], "summary": record["summary"], "url": record["url"],
        "image_url": record["images"][0] if record["images"] else "",
        "qr_code_url": record["qr_code"],
        **{f"{name}_en": english.get(name) or "" for name in ("name", "summary", "unit", "url")},
    }


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A text cell Excel will not run as a formula (OWASP "CSV injection"): content comes
    from outsiders, and '=HYPERLINK(…)' or '@SUM(…)|cmd' in a product name would run on
    the reader's machine. Such cells get a leading apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class KeptItems:
    """Each product's record as its JSON item and its CSV line, made by earlier builds,
    by a key of what the record is made from (`key_of`, given by the pipeline: a digest
    of the product, its category path, commune, producer, photos, events, whether it
    expired, and the site's settings): after one edit, 9,999 records of 10,000 are
    neither made nor written again. Without `key_of`, the key is a digest of the
    record's `repr` (for the str, int, float, bool, None, list and dict a record holds,
    an equal repr is an equal value). `used`: what this build used or made, to keep for
    the next one."""

    def __init__(self, old: Mapping[str, Any],
                 key_of: Callable[[Product], str] | None = None):
        self.old = old
        self.key_of = key_of
        self.used: dict[str, tuple[str, str]] = {}

    def item(self, catalogue: Catalogue, product: Product,
             images: Mapping[Path, ProcessedImage]) -> tuple[str, str]:
        """(JSON item, CSV line) of the product's record."""
        record = None
        if self.key_of is not None:
            key = self.key_of(product)
        else:
            record = product_record(catalogue, product, images)
            key = hashlib.blake2b(repr(record).encode("utf-8", "surrogatepass"),
                                  digest_size=16).hexdigest()
        found = self.used.get(key)
        if found is None:
            found = self.old.get(key)
            if not (isinstance(found, tuple) and len(found) == 2
                    and all(isinstance(part, str) for part in found)):  # none, or damaged
                record = record or product_record(catalogue, product, images)
                found = (_json_list_item(record), csv_line(record))
            self.used[key] = found
        return found


def csv_line(record: Mapping[str, Any]) -> str:
    """The record's line of catalogue.csv (RFC 4180 line end, no cell Excel would run)."""
    row = csv_row(record)
    extra = row.keys() - set(CSV_COLUMNS)
    if extra:  # fails loudly instead of shifting columns
        raise ValueError(f"CSV columns not declared: {sorted(extra)}")
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(
        [inert(row.get(column, "")) for column in CSV_COLUMNS])
    return line.getvalue()


def open_data(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
              stats: Statistics | None = None,
              kept: KeptItems | None = None) -> tuple[bytes, bytes]:
    """catalogue.json and catalogue.csv, from one record per product made once and
    dropped once written, both files written as UTF-8 bytes as they grow: a national
    catalogue's records held at once as Python objects, or its JSON as one Python
    string (two bytes a character once a Vietnamese letter is in it), would be the
    largest things in the build's memory. `kept`: records' JSON made before."""
    head = json.dumps({**_document_head(catalogue), "products": []}, ensure_ascii=False,
                      indent=1)
    assert head.endswith('"products": []\n}')
    json_out = io.BytesIO()
    json_out.write(head[:-len("[]\n}")].encode("utf-8"))
    csv_bytes = io.BytesIO()
    csv_text = io.TextIOWrapper(csv_bytes, encoding="utf-8-sig", newline="")
    # RFC 4180 line ends; a missing or extra key fails loudly instead of shifting columns
    csv.writer(csv_text, lineterminator="\r\n").writerow(CSV_COLUMNS)
    kept = kept if kept is not None else KeptItems({})
    for index, product in enumerate(catalogue.products):
        json_item, line = kept.item(catalogue, product, images)
        json_out.write((",\n" if index else "[\n").encode("utf-8"))
        json_out.write(json_item.encode("utf-8"))
        csv_text.write(line)
    json_out.write(b"\n ]" if catalogue.products else b"[]")
    if catalogue.shops:  # each shop with its products' ids (outputs/shopdata.py)
        json_out.write(b",\n" + shopdata.shops_json(catalogue))
    # the statistics page's figures, after the products (new keys go at the end)
    stats = compute(catalogue) if stats is None else stats
    figures = json.dumps(statsdata.statistics_record(catalogue, stats), ensure_ascii=False,
                         indent=1).replace("\n", "\n ")
    json_out.write(f',\n "statistics": {figures}\n}}\n'.encode("utf-8"))
    csv_text.flush()
    return json_out.getvalue(), csv_bytes.getvalue()


def statistics_csv(catalogue: Catalogue, stats: Statistics) -> bytes:
    """thong-ke.csv (outputs/statsdata.py), written like catalogue.csv: UTF-8 with a byte
    order mark, RFC 4180 line ends, no cell Excel would run."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(statsdata.CSV_COLUMNS)
    for row in statsdata.csv_rows(catalogue, stats):
        writer.writerow([inert(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def files(catalogue: Catalogue, images: Mapping[Path, ProcessedImage],
          stats: Statistics | None = None,
          kept: KeptItems | None = None) -> list[tuple[str, bytes]]:
    """catalogue.json (with the `statistics` key), catalogue.csv and thong-ke.csv;
    `stats`: the figures when the caller has them already; `kept`: see KeptItems."""
    stats = compute(catalogue) if stats is None else stats
    json_bytes, csv_bytes = open_data(catalogue, images, stats, kept)
    found = [(Urls.open_data_json, json_bytes), (Urls.open_data_csv, csv_bytes),
             (Urls.statistics_csv, statistics_csv(catalogue, stats))]
    if catalogue.shops:
        found.append((Urls.open_data_shops, shops_csv(catalogue)))
    return found


def shops_csv(catalogue: Catalogue) -> bytes:
    """shops.csv: UTF-8 with a BOM (Excel), RFC 4180 line ends, formulas made inert."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=shopdata.CSV_COLUMNS, lineterminator="\r\n",
                            extrasaction="raise")
    writer.writeheader()
    for row in shopdata.shop_rows(catalogue):
        writer.writerow({column: inert(value) for column, value in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")
