"""`new`'s questions and file text, against the real fixture site: every answer is checked
by the loader's own rules, and every file written is read back by the real loader."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop_site.scaffold.filetext import errors_in, render_file, target_path, yaml_scalar
from ocop_site.scaffold.interview import Cancelled, check_answers, confirm, interview
from ocop_site.scaffold.known import Context, Invalid, Known, load_known
from ocop_site.scaffold.questions import QUESTIONS
from ocop_site.text.vietnamese import nfc
from ocop_site.content.config import load_config
from ocop_site.text.frontmatter import parse_document
from ocop_site.content.loader import load_content
from ocop_site.errors import ErrorCollector

from .conftest import FIXTURE_SITE

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def known() -> Known:
    value, site_errors = load_known(FIXTURE_SITE)
    assert site_errors == 0
    return value


def parse(known: Known, kind: str, key: str, raw: str, answers=None, given=None):
    question = next(q for q in QUESTIONS[kind] if q.key == key)
    ctx = Context(kind, known, answers or {}, given or {})
    return question.parse(raw, ctx)


PRODUCT = {"name": "Giò lụa Đôn Nhân", "commune": "Đôn Nhân", "category": "che-bien-tu-thit",
           "producer": "htx-che-dong-thinh", "stars": "4", "certificate.decision": "9/QĐ-UBND",
           "certificate.date": "2025-05-12"}


def test_commune_accepts_former_names_prefix_and_tone_placement(known) -> None:
    for written in ("Sông Lô", "Đồng Thịnh", "xã Đồng Thịnh", "Như Thụy", "Như Thuỵ",
                    "như thuỵ", "Xã Bạch Lưu"):
        assert parse(known, "product", "commune", written) == written


def test_commune_without_diacritics_is_refused_with_the_nearest_name(known) -> None:
    with pytest.raises(Invalid) as caught:
        parse(known, "product", "commune", "Dong Thinh")
    assert caught.value.suggestion == "Đồng Thịnh"
    assert "did you mean 'Đồng Thịnh'?" in caught.value.en
    assert "có phải là 'Đồng Thịnh'?" in caught.value.vi


def test_category_by_id_name_or_code_is_written_as_the_id(known) -> None:
    assert parse(known, "product", "category", "mat-ong") == "mat-ong"
    assert parse(known, "product", "category", "Chế biến từ thịt") == "che-bien-tu-thit"
    assert parse(known, "product", "category", "2.3.1") == "che-tuoi-che-bien"


def test_category_typo_and_group_are_refused_with_a_product_set(known) -> None:
    with pytest.raises(Invalid) as caught:
        parse(known, "product", "category", "mat-ongg")
    assert caught.value.suggestion == "mat-ong"
    with pytest.raises(Invalid) as caught:
        parse(known, "product", "category", "Chế biến thịt")  # half-remembered name
    assert caught.value.suggestion == "che-bien-tu-thit"
    with pytest.raises(Invalid) as caught:
        parse(known, "product", "category", "do-uong")  # a group, not a product set
    assert caught.value.suggestion == "che-tuoi-che-bien"  # its first product set
    assert "product sets" in caught.value.en


def test_producer_by_id_or_name(known) -> None:
    assert parse(known, "product", "producer", "htx-che-dong-thinh") == "htx-che-dong-thinh"
    assert parse(known, "product", "producer", "Hợp tác xã Chè Đồng Thịnh") == \
        "htx-che-dong-thinh"
    with pytest.raises(Invalid) as caught:
        parse(known, "product", "producer", "htx-che-dong-thin")
    assert caught.value.suggestion == "htx-che-dong-thinh"


@pytest.mark.parametrize("raw,value", [("3", 3), ("4 sao", 4), (" 5 ", 5), ("5 stars", 5)])
def test_stars(known, raw: str, value: int) -> None:
    assert parse(known, "product", "stars", raw) == value


@pytest.mark.parametrize("raw", ["2", "6", "bốn", "", "4.5"])
def test_stars_refused(known, raw: str) -> None:
    with pytest.raises(Invalid, match="must be 3, 4 or 5"):
        parse(known, "product", "stars", raw)


def test_dates_iso_or_vietnamese_and_never_in_the_future(known) -> None:
    assert parse(known, "product", "certificate.date", "2025-05-12") == dt.date(2025, 5, 12)
    assert parse(known, "product", "certificate.date", "12/05/2025") == dt.date(2025, 5, 12)
    tomorrow = (known.today + dt.timedelta(days=1)).isoformat()
    with pytest.raises(Invalid, match="in the future"):
        parse(known, "product", "certificate.date", tomorrow)
    with pytest.raises(Invalid, match="not a date"):
        parse(known, "product", "certificate.date", "31/02/2025")
    with pytest.raises(Invalid, match="after the certificate date"):
        parse(known, "product", "certificate.valid_until", "2025-05-01",
              answers={"certificate.date": dt.date(2025, 5, 12)})


@pytest.mark.parametrize("raw,value", [("150000", 150000), ("150.000", 150000),
                                       ("150.000 đ", 150000), ("1 200 000 VND", 1200000)])
def test_price(known, raw: str, value: int) -> None:
    assert parse(known, "product", "price", raw) == value


@pytest.mark.parametrize("raw", ["150,5", "-5", "một trăm", "15.00"])
def test_price_refused(known, raw: str) -> None:
    with pytest.raises(Invalid):
        parse(known, "product", "price", raw)


def test_existing_product_address_is_refused(known) -> None:
    with pytest.raises(Invalid, match="already used"):
        parse(known, "product", "name", "Chè xanh Đồng Thịnh")
    # a product whose file name differs from its slug is found by its slug too
    with pytest.raises(Invalid, match="already used"):
        parse(known, "product", "name", "Mật ong hoa nhãn Đôn Nhân")


def test_producer_type_in_either_language(known) -> None:
    assert parse(known, "producer", "type", "cooperative") == "cooperative"
    assert parse(known, "producer", "type", "Hợp tác xã") == "cooperative"
    assert parse(known, "producer", "type", "ho san xuat kinh doanh") == "household"
    assert parse(known, "producer", "type", "3") == "cooperative_group"
    with pytest.raises(Invalid) as caught:
        parse(known, "producer", "type", "cooperativ")
    assert caught.value.suggestion == "cooperative"


def test_event_products_by_slug_file_name_or_name(known) -> None:
    value = parse(known, "event", "products",
                  "che-xanh-dong-thinh, mat-ong-don-nhan, Đùi gà hun khói Như Thụy")
    assert value == ["che-xanh-dong-thinh", "mat-ong-hoa-nhan-don-nhan",
                     "dui-ga-hun-khoi-nhu-thuy"]
    with pytest.raises(Invalid) as caught:
        parse(known, "event", "products", "che-xanh-dong-thinh, mat-ong-don-nha")
    assert caught.value.suggestion == "che-xanh-dong-thinh, mat-ong-hoa-nhan-don-nhan"


def test_check_answers_reports_every_problem_with_its_option(known) -> None:
    given = {**PRODUCT, "commune": "Dong Thinh", "stars": "7"}
    del given["certificate.decision"]
    answers, problems = check_answers("product", given, known)
    assert [p.option for p in problems] == ["commune", "stars", "decision"]
    assert problems[0].format().startswith(
        "--commune: unknown commune 'Dong Thinh' — did you mean 'Đồng Thịnh'?")
    assert "bắt buộc" in problems[2].format()


def load_written(tmp_path: Path, kind: str, answers: dict) -> ErrorCollector:
    """Write the file into a copy of the fixture site and load the site for real."""
    site = tmp_path / "site"
    if not site.exists():
        shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns(".cache"))
    path = site / target_path(kind, answers)
    path.parent.mkdir(exist_ok=True)  # content/shops/: `new` makes it too
    path.write_text(render_file(kind, answers), encoding="utf-8")
    errors = ErrorCollector()
    config = load_config(site, errors, today=TODAY)
    load_content(config, errors)
    return errors


def test_product_file_is_read_back_as_answered(known, tmp_path: Path) -> None:
    answers, problems = check_answers(
        "product", {**PRODUCT, "price": "150.000", "unit": "cây 1kg",
                    "summary": "Giò: thơm, giòn", "certificate.issued_by": "UBND tỉnh"}, known)
    assert problems == ()
    assert target_path("product", answers) == "content/products/gio-lua-don-nhan.md"
    text = render_file("product", answers)
    assert text.startswith("---\nname: Giò lụa Đôn Nhân\nstars: 4\ncategory: che-bien-tu-thit\n"
                           "commune: Đôn Nhân\nproducer: htx-che-dong-thinh\ncertificate:\n"
                           "  decision: 9/QĐ-UBND\n  date: 2025-05-12\n  issued_by: UBND tỉnh\n"
                           "price: 150000\nunit: cây 1kg\nsummary: \"Giò: thơm, giòn\"\n---\n")
    errors = load_written(tmp_path, "product", answers)
    assert errors.errors == []


def test_producer_and_event_files_load(known, tmp_path: Path) -> None:
    producer, problems = check_answers("producer", {
        "name": "Hộ sản xuất Mây tre Nhân Đạo", "type": "household", "commune": "Hải Lựu",
        "phone": "0900 123 456", "address": "Thôn 2, xã Hải Lựu",
        "body": "Làm mây tre đan từ năm 1990."}, known)
    assert problems == ()
    assert producer["slug"] == "ho-san-xuat-may-tre-nhan-dao"
    text = render_file("producer", producer)
    assert 'phone: "0900 123 456"\n' in text and text.endswith("Làm mây tre đan từ năm 1990.\n")
    event, problems = check_answers("event", {
        "title": "Phiên chợ: mùa bưởi, 2026", "slug": "phien-cho-mua-buoi",
        "start": "2026-10-01", "end": "03/10/2026", "place": "Tam Sơn",
        "products": "che-xanh-dong-thinh"}, known)
    assert problems == ()
    assert target_path("event", event) == "content/events/phien-cho-mua-buoi.md"
    assert load_written(tmp_path, "producer", producer).errors == []
    assert load_written(tmp_path, "event", event).errors == []


SHOP = {"name": "Bách hóa Bích Ngọc", "kind": "Siêu thị", "commune": "Bạch Lưu",
        "address": "Km 3, xã Hải Lựu", "phone": "0900 000 202", "zalo": "0900000202",
        "hours": "Mo-Fr 07:30-11:30,13:30-17:00; Sa-Su 08:00-12:00",
        "products": "che-xanh-dong-thinh, Mật ong hoa nhãn Đôn Nhân"}


@pytest.mark.parametrize("raw", ["supermarket", "Siêu thị", "sieu thi", "3", "SUPERMARKET"])
def test_shop_kind_by_key_number_or_name_in_either_language(known, raw: str) -> None:
    assert parse(known, "shop", "kind", raw) == "supermarket"
    assert parse(known, "shop", "kind", "Market stall") == "market"
    assert parse(known, "shop", "kind", "Điểm giới thiệu và bán sản phẩm OCOP") == "showroom"


def test_shop_kind_refused_with_the_nearest_and_listed_on_question_mark(known) -> None:
    with pytest.raises(Invalid) as caught:
        parse(known, "shop", "kind", "supermarkt")
    assert caught.value.suggestion == "supermarket"
    assert "showroom, shop, supermarket, market, agent" in caught.value.en
    question = next(q for q in QUESTIONS["shop"] if q.key == "kind")
    assert question.choices is not None
    assert question.choices(known)[3] == "4. market — Sạp chợ / Market stall"


def test_shop_hours_each_line_checked_with_an_example(known) -> None:
    assert parse(known, "shop", "hours", SHOP["hours"]) == [
        "Mo-Fr 07:30-11:30,13:30-17:00", "Sa-Su 08:00-12:00"]
    assert parse(known, "shop", "hours", "Mo-Su  05:30-11:00\n") == ["Mo-Su 05:30-11:00"]
    for raw, en, vi in (
            ("Mo-Fr 07:30-17:00; Sa 12:00-08:00", "line 2: '12:00-08:00' closes before it opens",
             "dòng 2: '12:00-08:00' giờ đóng trước giờ mở"),
            ("Thứ 2 07:30-17:00", "is not days then times", "không phải ngày rồi giờ"),
            ("Mo-Fr 7h-17h", "'7h-17h' is not a time span", "không phải khoảng giờ"),
            ("Mo-Fr 08:00-12:00,11:00-17:00", "overlap", "")):
        with pytest.raises(Invalid) as caught:
            parse(known, "shop", "hours", raw)
        assert en in caught.value.en and vi in caught.value.vi, caught.value.en
        assert "e.g. 'Mo-Fr 07:30-11:30,13:30-17:00'" in caught.value.en
        assert "ví dụ 'Mo-Fr 07:30-11:30,13:30-17:00'" in caught.value.vi


def test_shop_zalo(known) -> None:
    assert parse(known, "shop", "zalo", "0900 000 202") == "0900 000 202"
    for raw in ("zalo 0900", "12345", "0900 000 202 000 000 000"):
        with pytest.raises(Invalid):
            parse(known, "shop", "zalo", raw)


def test_shop_file_loads_and_an_address_taken_is_refused(known, tmp_path: Path) -> None:
    shop, problems = check_answers("shop", SHOP, known)
    assert problems == ()
    assert target_path("shop", shop) == "content/shops/bach-hoa-bich-ngoc.md"
    text = render_file("shop", shop)
    assert text.startswith(
        "---\nname: Bách hóa Bích Ngọc\nkind: supermarket\ncommune: Bạch Lưu\n"
        "address: Km 3, xã Hải Lựu\nphone: \"0900 000 202\"\nzalo: \"0900000202\"\n"
        "hours:\n  - Mo-Fr 07:30-11:30,13:30-17:00\n  - Sa-Su 08:00-12:00\n"
        "products:\n  - che-xanh-dong-thinh\n  - mat-ong-hoa-nhan-don-nhan\n---\n")
    assert load_written(tmp_path, "shop", shop).errors == []
    taken = Known(**{**known.__dict__, "taken": {**known.taken, "shop": frozenset(
        {"bach-hoa-bich-ngoc"})}})
    _, problems = check_answers("shop", SHOP, taken)
    assert [p.option for p in problems] == ["id"]
    assert "the shop address cua-hang/bach-hoa-bich-ngoc is already used" in problems[0].en
    _, problems = check_answers("shop", {"name": "Chợ"}, known)
    assert [p.option for p in problems] == ["kind", "commune", "address", "products"]


def test_shop_interview_lists_the_kinds_and_reasks_a_bad_hours_line(known) -> None:
    person = Script("Sạp chợ Đôn Nhân", "",  # the id: Enter takes the one from the name
                    "?", "5", "Don Nhan", "", "Chợ Đôn Nhân", "", "0900 000 203",
                    "Mo-Su 10:00-05:00", "Mo-Su 05:00-10:00", "?", "dui-ga-nhu-thuy", "")
    answers = interview("shop", {}, known, person.ask, person.say)
    assert answers["slug"] == "sap-cho-don-nhan" and answers["kind"] == "agent"
    assert answers["commune"] == "Đôn Nhân" and answers["hours"] == ["Mo-Su 05:00-10:00"]
    assert answers["products"] == ["dui-ga-hun-khoi-nhu-thuy"] and "phone" not in answers
    assert any("1. showroom — Điểm giới thiệu" in said for said in person.said)
    assert any("'10:00-05:00' giờ đóng trước giờ mở" in said and "Mo-Fr 07:30-11:30,13:30-17:00" in said
               for said in person.said)
    assert sum(p.startswith("Giờ mở cửa") for p in person.prompts) == 2
    assert any("che-xanh-dong-thinh" in said for said in person.said)  # "?" lists products


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1))
def test_any_text_value_is_read_back_exactly(value: str) -> None:
    value = nfc(" ".join(value.split()))  # answers are single-spaced NFC lines
    if not value:
        return
    line = f"summary: {yaml_scalar(value)}"
    doc = parse_document(f"---\n{line}\n---\n".encode("utf-8"))
    assert doc.data == {"summary": value}


class Script:
    """A person at the keyboard: answers in order; records everything said."""

    def __init__(self, *answers: str):
        self.answers, self.prompts, self.said = list(answers), [], []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def say(self, message: str) -> None:
        self.said.append(message)


def test_interview_reasks_with_the_suggestion_as_default(known) -> None:
    person = Script("Giò lụa Đôn Nhân",
                    "Dong Thinh", "",  # wrong commune: Enter accepts the suggestion
                    "?", "che-bien-tu-thit",  # "?" lists the product sets first
                    "htx-che-dong-thinh", "6", "4", "9/QĐ-UBND", "2025-05-12",
                    "", "150000", "", "", "")
    answers = interview("product", {}, known, person.ask, person.say)
    assert answers["commune"] == "Đồng Thịnh"
    assert answers["category"] == "che-bien-tu-thit"
    assert answers["stars"] == 4
    assert answers["price"] == 150000
    assert "unit" not in answers and "body" not in answers
    assert any("có phải là 'Đồng Thịnh'?" in said for said in person.said)
    assert person.prompts[2].endswith("[Đồng Thịnh]: ")
    assert any("che-bien-tu-thit — 1.2.2 Chế biến từ thịt" in said for said in person.said)
    assert sum(p.startswith("Hạng sao") for p in person.prompts) == 2


def test_interview_skips_given_options_and_stops_at_end_of_input(known) -> None:
    person = Script("4")
    with pytest.raises(Cancelled):
        interview("product", {k: v for k, v in PRODUCT.items() if k != "stars"},
                           known, person.ask, person.say)
    assert person.prompts[0].startswith("Hạng sao / Stars")
    assert person.prompts[1].startswith("Cơ quan cấp / Issued by")


@pytest.mark.parametrize("answer,yes", [("", True), ("c", True), ("Có", True), ("y", True),
                                        ("k", False), ("không", False), ("n", False)])
def test_confirm(answer: str, yes: bool) -> None:
    assert confirm(answer) is yes


def test_the_written_file_is_read_back_before_reporting_success(known) -> None:
    answers, _ = check_answers("product", PRODUCT, known)
    shown = target_path("product", answers)
    assert errors_in("product", shown, render_file("product", answers)) == []
    broken = errors_in("product", shown, "---\nname: X\nstar: 4\n---\n")
    assert {error.field for error in broken} >= {"star", "stars", "commune"}
    assert errors_in("event", shown, "no front-matter")[0].field == "front-matter"
