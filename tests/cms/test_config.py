"""admin/config.yml is made from the site's own schema and data, never kept by hand."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from ocop_site.pipeline import builder
from ocop_site.text import vietnamese
from ocop_site.cms.config import admin_config, config_yaml
from ocop_site.content.config import CmsSettings
from ocop_site.content.hours import parse_rule
from ocop_site.content.schema import (EVENT_FIELDS, PRODUCER_FIELDS, PRODUCT_FIELDS,
    PRODUCT_TEXT_FIELDS, SHOP_FIELDS, SHOP_TEXT_FIELDS)

from ..conftest import REPO, TODAY


def catalogue_of(site: Path, local: bool = True):
    _, catalogue, _ = builder.load(site, today=TODAY, local_cms=local)
    return catalogue


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def field(fields: list[dict], name: str) -> dict:
    return next(f for f in fields if f["name"] == name)


def test_every_schema_field_is_in_the_form_with_its_required_flag(site: Path) -> None:
    config = admin_config(catalogue_of(site), "vi")
    for name, schema in (("products", PRODUCT_FIELDS), ("producers", PRODUCER_FIELDS),
                         ("events", EVENT_FIELDS), ("shops", SHOP_FIELDS)):
        fields = collection(config, name)["fields"]
        assert [f["name"] for f in fields] == [s.name for s in schema] + ["body"]
        for spec in schema:
            assert field(fields, spec.name).get("required", True) is spec.required
            assert field(fields, spec.name)["label"]  # from i18n/vi.yaml
    certificate = field(collection(config, "products")["fields"], "certificate")
    assert certificate["widget"] == "object"
    assert [(f["name"], f.get("required", True)) for f in certificate["fields"]] == [
        ("decision", True), ("date", True), ("issued_by", False), ("issuer_level", False),
        ("valid_until", False)]
    assert [o["value"] for o in field(certificate["fields"], "issuer_level")["options"]] == [
        "commune", "district", "province", "central"]
    assert field(certificate["fields"], "date")["format"] == "YYYY-MM-DD"


def test_choices_come_from_the_data_files_and_the_producers(site: Path) -> None:
    fields = collection(admin_config(catalogue_of(site), "vi"), "products")["fields"]
    stars = field(fields, "stars")
    assert stars["options"] == [{"label": "3 sao", "value": 3}, {"label": "4 sao", "value": 4},
                                {"label": "5 sao", "value": 5}]  # numbers, as the checker wants
    communes = field(fields, "commune")["options"]
    labels = [o["label"] for o in communes]
    # a current commune shows its former names; each former name can be chosen itself
    assert {"label": "Sông Lô (trước đây: Đồng Thịnh, Như Thuỵ, Tứ Yên)",
            "value": "Sông Lô"} in communes
    assert {"label": "Bạch Lưu (nay là xã Hải Lựu)", "value": "Bạch Lưu"} in communes
    assert labels == sorted(labels, key=vietnamese.sort_key)  # Vietnamese order: Đ after D
    assert labels.index("Dương Quang") < labels.index("Đôn Nhân")
    categories = field(fields, "category")["options"]
    assert categories == [
        {"label": "Thực phẩm › Thực phẩm chế biến › Mật ong và sản phẩm từ mật ong",
         "value": "mat-ong"},
        {"label": "Thực phẩm › Thực phẩm chế biến › Chế biến từ thịt", "value": "che-bien-tu-thit"},
        {"label": "Đồ uống › Chè và sản phẩm từ chè › Chè tươi, chè chế biến",
         "value": "che-tuoi-che-bien"}]  # product sets only: products name a leaf
    assert [o["value"] for o in field(fields, "producer")["options"]] == [
        "ho-mat-ong-don-nhan", "htx-che-dong-thinh"]


def test_the_form_follows_a_change_to_the_data(site: Path) -> None:
    with open(site / "content/data/communes.yaml", "a", encoding="utf-8") as communes:
        communes.write("  - name: Tân Lập\n    former_names: [Tân Phú]\n")
    (site / "content/producers/ho-ong-binh.md").write_text(
        "---\nname: Hộ ông Bình\ntype: household\ncommune: Tân Phú\nphone: \"0900 000 222\"\n"
        "address: Thôn 2\n---\n", encoding="utf-8")
    fields = collection(admin_config(catalogue_of(site), "vi"), "products")["fields"]
    assert {"label": "Tân Phú (nay là xã Tân Lập)", "value": "Tân Phú"} in \
        field(fields, "commune")["options"]
    assert {"label": "Hộ ông Bình (ho-ong-binh)", "value": "ho-ong-binh"} in \
        field(fields, "producer")["options"]


def test_patterns_mirror_the_checker(site: Path) -> None:
    import re
    config = admin_config(catalogue_of(site), "vi")
    products, producers = (collection(config, n)["fields"] for n in ("products", "producers"))
    slug = re.compile(field(products, "slug")["pattern"][0])
    assert slug.search("che-xanh-dong-thinh") and not slug.search("Chè xanh")
    assert not slug.search("che--xanh") and not slug.search("-che")
    phone = re.compile(field(producers, "phone")["pattern"][0])
    assert phone.search("0900 000 101") and not phone.search("0900") \
        and not phone.search("gọi 0900 000 101")
    website = re.compile(field(producers, "website")["pattern"][0])
    assert website.search("https://example.org/htx") and not website.search("example.org") \
        and not website.search("https://exa mple.org")
    name = re.compile(field(products, "name")["pattern"][0])
    assert name.search("Đ") and not name.search("--- !")  # a name must give a slug


def test_files_are_named_by_the_projects_slug_rule(site: Path) -> None:
    config = admin_config(catalogue_of(site), "vi")
    for name in ("products", "producers", "events", "shops"):
        assert collection(config, name)["slug"] == "{{fields._file}}"  # set by admin.js
        assert collection(config, name)["format"] == "ocop-frontmatter"
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True,
                              "sanitize_replacement": "-"}


def test_backends(site: Path) -> None:
    catalogue = catalogue_of(site)
    assert admin_config(catalogue, "vi")["backend"] == {
        "name": "proxy", "proxy_url": "/api/v1", "branch": "main"}
    assert "publish_mode" not in admin_config(catalogue, "vi")  # saved at once, locally

    def published(**settings) -> dict:
        config = dataclasses.replace(catalogue.config, cms=CmsSettings(**settings))
        return admin_config(dataclasses.replace(catalogue, config=config), "vi")

    github = published(backend="github", repo="a/b", base_url="https://oauth.example.org")
    assert github["backend"] == {"name": "github", "repo": "a/b", "branch": "main",
                                 "base_url": "https://oauth.example.org",
                                 "open_authoring": True}
    assert github["publish_mode"] == "editorial_workflow"  # a pull request, checked by CI
    gitlab = published(backend="gitlab", repo="a/b", app_id="x1", branch="trunk",
                       api_root="https://git.example.org/api/v4")
    assert gitlab["backend"] == {"name": "gitlab", "repo": "a/b", "branch": "trunk",
                                 "auth_type": "pkce", "app_id": "x1",
                                 "api_root": "https://git.example.org/api/v4"}


def test_english_form_and_translation_collections() -> None:
    catalogue = catalogue_of(REPO)
    vi, en = admin_config(catalogue, "vi"), admin_config(catalogue, "en")
    assert (vi["locale"], en["locale"]) == ("vi", "en")
    assert collection(en, "products")["label"] == "Products"
    assert field(collection(en, "products")["fields"], "name")["label"] == "Product name"
    category = field(collection(en, "products")["fields"], "category")["options"][0]
    assert " › " in category["label"] and category["label"].replace("›", "").isascii()
    translations = collection(vi, "products_en")
    assert translations["folder"] == "content/products"
    assert translations["extension"] == "en.md"  # che-xanh-dong-thinh.en.md
    assert [f["name"] for f in translations["fields"]] == \
        ["translation_of"] + [f.name for f in PRODUCT_TEXT_FIELDS] + ["body"]
    assert translations["label"] == "Sản phẩm – bản tiếng Anh"
    assert {c["name"] for c in vi["collections"]} == {
        "products", "producers", "events", "shops", "products_en", "producers_en",
        "events_en", "shops_en"}
    shops = collection(vi, "shops_en")
    assert (shops["folder"], shops["extension"]) == ("content/shops", "en.md")
    assert [f["name"] for f in shops["fields"]] == \
        ["translation_of"] + [f.name for f in SHOP_TEXT_FIELDS] + ["body"]
    assert field(shops["fields"], "name")["label"] == "Tên cửa hàng, điểm bán (tiếng Anh)"
    assert collection(en, "shops")["label"] == "Shops"
    assert field(collection(en, "shops")["fields"], "kind")["options"][0] == {
        "label": "OCOP showroom", "value": "showroom"}


def test_the_same_site_gives_the_same_bytes(site: Path) -> None:
    first = config_yaml(catalogue_of(site), "vi")
    assert first == config_yaml(catalogue_of(site), "vi")
    assert yaml.safe_load(first) == admin_config(catalogue_of(site), "vi")
    assert "products_en" not in first.decode()  # the fixture is in Vietnamese only


def test_the_shops_collection(site: Path) -> None:
    """Its kinds, communes, position, hours (a line each, as the checker reads them) and
    the products sold there chosen from the products collection, as events' are."""
    import re
    shops = collection(admin_config(catalogue_of(site), "vi"), "shops")
    assert (shops["folder"], shops["label"], shops["label_singular"]) == (
        "content/shops", "Cửa hàng, điểm bán", "cửa hàng")
    assert (shops["media_folder"], shops["identifier_field"]) == ("images", "name")
    fields = shops["fields"]
    assert field(fields, "name")["label"] == "Tên cửa hàng, điểm bán"
    assert field(fields, "body")["label"] == "Giới thiệu cửa hàng"
    assert field(fields, "kind")["options"] == [
        {"label": "Điểm giới thiệu và bán sản phẩm OCOP", "value": "showroom"},
        {"label": "Cửa hàng", "value": "shop"}, {"label": "Siêu thị", "value": "supermarket"},
        {"label": "Sạp chợ", "value": "market"}, {"label": "Đại lý", "value": "agent"}]
    assert field(fields, "commune")["options"] == field(
        collection(admin_config(catalogue_of(site), "vi"), "products")["fields"],
        "commune")["options"]
    products = field(fields, "products")
    assert products["widget"] == "relation" and products["multiple"] is True
    assert products["collection"] == "products" and products["value_field"] == "{{slug}}"
    assert products["label"] == "Sản phẩm bán ở đây" and "required" not in products
    geo = field(fields, "geo")
    assert geo["required"] is False and [f["name"] for f in geo["fields"]] == ["lat", "lng"]
    lat, lng = geo["fields"]
    assert (lat["widget"], lat["value_type"], lat["min"], lat["max"]) == (
        "number", "float", 6.0, 23.5)
    assert (lng["min"], lng["max"], lng["required"]) == (102.0, 117.5, False)
    hours = field(fields, "hours")
    assert hours["widget"] == "list" and hours["required"] is False
    rule = re.compile(hours["field"]["pattern"][0])
    for line in ("Mo-Fr 07:30-11:30,13:30-17:00", "Sa-Su 08:00-12:00", "Mo,We,Fr 06:00-10:00",
                 "Mo-Su 05:30-11:00"):
        assert rule.search(line), line
        parse_rule(line)  # the checker takes what the form lets through
    for line in ("Mo-Fr", "07:30-17:00", "Thứ 2 07:30-17:00", "Mo-Fr 7:30-17:00",
                 "Mo-Fr 07:30–17:00"):
        assert not rule.search(line), line
    assert "Mo-Fr 07:30-11:30,13:30-17:00" in hours["field"]["pattern"][1]
    for name in ("phone", "zalo"):
        assert field(fields, name)["required"] is False and field(fields, name)["pattern"]
    assert field(fields, "images")["fields"][0]["widget"] == "image"
