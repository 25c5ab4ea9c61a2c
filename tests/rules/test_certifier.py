"""Who may certify which star level, when: the shipped table, the signer's text, the warnings.

Rules per Decisions 1048/QĐ-TTg (2019), 148/QĐ-TTg (from 24/02/2023) and 1489/QĐ-TTg (from
06/07/2025); see ocop_site/rules/certifiers.yaml for the sources.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ocop_site.pipeline import builder
from ocop_site.errors import ContentErrors
from ocop_site.rules import certifier

from ..conftest import TODAY

RULES = certifier.default_rules()
PRODUCT = """---
name: Chè thử
stars: {stars}
category: che-tuoi-che-bien
commune: Đồng Thịnh
producer: htx-che-dong-thinh
certificate:
  decision: 12/QĐ-UBND
  date: {date}
{extra}---
Chè.
"""


def certificate_warnings(site: Path, stars: int, date: str, issued_by: str | None,
                         level: str | None = None) -> list[str]:
    extra = f"  issued_by: {issued_by}\n" if issued_by is not None else ""
    extra += f"  issuer_level: {level}\n" if level else ""
    path = site / "content/products/che-xanh-dong-thinh.md"
    path.write_text(PRODUCT.format(stars=stars, date=date, extra=extra), encoding="utf-8")
    _, _, warnings = builder.load(site, today=TODAY)
    return [w.format() for w in warnings
            if w.field == "certificate" and "expired" not in w.message_en]


@pytest.mark.parametrize("issued_by, level", [
    ("UBND huyện Sông Lô", "district"),
    ("Ủy ban nhân dân huyện Sông Lô", "district"),
    ("Uỷ ban nhân dân huyện Sông Lô", "district"),  # the other tone placement
    ("UBND H. Sông Lô", "district"),
    ("ubnd  huyen song lo", "district"),  # typed without marks
    ("UBND thị xã Phú Thọ", "district"),
    ("UBND TX. Phú Thọ", "district"),
    ("UBND thành phố Việt Trì", "district"),  # a provincial city is a district
    ("UBND tỉnh Vĩnh Phúc", "province"),
    ("Ủy ban nhân dân tỉnh Phú Thọ", "province"),
    ("UBND T. Vĩnh Phúc", "province"),
    ("Chủ tịch UBND tỉnh Phú Thọ", "province"),
    ("UBND thành phố Hà Nội", "province"),  # a centrally governed city is a province
    ("UBND TP. Hồ Chí Minh", "province"),
    ("UBND TP Hải Phòng", "province"),
    ("Sở Nông nghiệp và Phát triển nông thôn tỉnh Vĩnh Phúc", "province"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "central"),
    ("Bộ Nông nghiệp và Môi trường", "central"),
    ("Bộ NN&PTNT", "central"),
    ("BNN&PTNT", "central"),
    ("Bộ NN & PTNT", "central"),
    ("UBND xã Hải Lựu", "commune"),
    ("Hội đồng OCOP", None),  # not told by the text: no guess
    ("Công ty ABC", None),
    ("", None),
])
def test_the_signers_level_from_its_text(issued_by: str, level: str | None):
    assert certifier.issuer_level(issued_by) == level


def test_issuer_level_words():
    assert certifier.parse_level("province") == "province"
    assert certifier.parse_level("tỉnh") == "province"
    assert certifier.parse_level("cấp huyện") == "district"
    assert certifier.parse_level("trung ương") == "central"
    assert certifier.parse_level("region") is None


@pytest.mark.parametrize("day, stars, level", [
    # Decision 1048 (2019-08-21 → 2023-02-23): province 3★ and 4★, central 5★
    (dt.date(2019, 8, 21), 3, "province"), (dt.date(2023, 2, 23), 3, "province"),
    (dt.date(2021, 1, 1), 4, "province"), (dt.date(2021, 1, 1), 5, "central"),
    # Decision 148 (2023-02-24 → 2025-07-05): district 3★, province 4★, central 5★
    (dt.date(2023, 2, 24), 3, "district"), (dt.date(2025, 7, 5), 3, "district"),
    (dt.date(2024, 5, 12), 4, "province"), (dt.date(2024, 5, 12), 5, "central"),
    # Decision 1489 (from 2025-07-06): province 3★ and 4★, central 5★
    (dt.date(2025, 7, 6), 3, "province"), (dt.date(2026, 1, 1), 4, "province"),
    (dt.date(2026, 1, 1), 5, "central"),
])
def test_each_rule_of_the_shipped_table(day: dt.date, stars: int, level: str):
    assert RULES.period_on(day).level_for(stars) == level


def test_before_the_first_period_nothing_is_said():
    assert RULES.period_on(dt.date(2019, 8, 20)) is None
    assert certifier.check(4, dt.date(2019, 1, 1), "UBND huyện Sông Lô", None, RULES) is None


def test_a_4_star_certificate_signed_by_a_district_warns_on_its_line(site: Path):
    assert certificate_warnings(site, 4, "2024-05-12", "UBND huyện Sông Lô") == [
        "content/products/che-xanh-dong-thinh.md:10: warning: certificate: a 4★ certificate "
        "is signed by a province (UBND tỉnh); 'UBND huyện Sông Lô' signed it on 12/05/2024 — "
        "check issued_by, stars and date (Quyết định 148/QĐ-TTg, from 24/02/2023), or write "
        "issuer_level: district if they are right / giấy chứng nhận 4★ do cấp tỉnh (UBND "
        "tỉnh) ký; 'UBND huyện Sông Lô' ký ngày 12/05/2024 — hãy kiểm tra issued_by, stars "
        "và date (Quyết định 148/QĐ-TTg, từ 24/02/2023), hoặc ghi issuer_level: district "
        "nếu đúng như vậy"]
    assert certificate_warnings(site, 4, "2024-05-12", "UBND tỉnh Vĩnh Phúc") == []


def test_a_5_star_certificate_signed_by_a_province_warns(site: Path):
    [line] = certificate_warnings(site, 5, "2025-12-18", "UBND tỉnh Phú Thọ")
    assert line.startswith(
        "content/products/che-xanh-dong-thinh.md:10: warning: certificate: a 5★ certificate "
        "is signed by the central level (Bộ Nông nghiệp); 'UBND tỉnh Phú Thọ' signed it on "
        "18/12/2025 — check issued_by, stars and date (Quyết định 1489/QĐ-TTg, from "
        "06/07/2025)")
    assert certificate_warnings(site, 5, "2025-12-18", "Bộ Nông nghiệp và Môi trường") == []


def test_the_2023_02_24_boundary(site: Path):
    # the day before Decision 148, a district's 3★ is the province's to sign
    [line] = certificate_warnings(site, 3, "2023-02-23", "UBND huyện Sông Lô")
    assert ("a 3★ certificate is signed by a province (UBND tỉnh); 'UBND huyện Sông Lô' "
            "signed it on 23/02/2023 — check issued_by, stars and date (Quyết định "
            "1048/QĐ-TTg, from 21/08/2019)") in line
    assert certificate_warnings(site, 3, "2023-02-24", "UBND huyện Sông Lô") == []
    [line] = certificate_warnings(site, 3, "2023-02-24", "UBND tỉnh Vĩnh Phúc")
    assert ("a 3★ certificate is signed by a district (UBND huyện); 'UBND tỉnh Vĩnh Phúc' "
            "signed it on 24/02/2023 — check issued_by, stars and date (Quyết định "
            "148/QĐ-TTg, from 24/02/2023), or write issuer_level: province if they are "
            "right") in line


def test_the_2025_07_06_boundary(site: Path):
    assert certificate_warnings(site, 3, "2025-07-05", "UBND huyện Sông Lô") == []
    [line] = certificate_warnings(site, 3, "2025-07-06", "UBND huyện Sông Lô")
    assert line == (
        "content/products/che-xanh-dong-thinh.md:10: warning: certificate: a 3★ certificate "
        "is signed by a province (UBND tỉnh); 'UBND huyện Sông Lô' signed it on 06/07/2025 — "
        "check issued_by, stars and date (Quyết định 1489/QĐ-TTg, from 06/07/2025), or "
        "write issuer_level: district if they are right / giấy chứng nhận 3★ do cấp tỉnh "
        "(UBND tỉnh) ký; 'UBND huyện Sông Lô' ký ngày 06/07/2025 — hãy kiểm tra issued_by, "
        "stars và date (Quyết định 1489/QĐ-TTg, từ 06/07/2025), hoặc ghi issuer_level: "
        "district nếu đúng như vậy")
    assert certificate_warnings(site, 3, "2025-07-06", "UBND tỉnh Phú Thọ") == []


def test_unreadable_or_missing_signer_says_nothing(site: Path):
    assert certificate_warnings(site, 4, "2024-05-12", "Hội đồng OCOP") == []
    assert certificate_warnings(site, 4, "2024-05-12", None) == []


def test_issuer_level_settles_an_unusual_case(site: Path):
    # a text the checker reads as a district, declared to be the province's act
    assert certificate_warnings(site, 4, "2024-05-12", "UBND huyện Sông Lô", "province") == []
    # a text it cannot read, declared: now checked
    [line] = certificate_warnings(site, 4, "2024-05-12", "Hội đồng OCOP", "huyện")
    assert ("'Hội đồng OCOP' (issuer_level: district) signed it on 12/05/2024" in line)
    [line] = certificate_warnings(site, 5, "2024-05-12", None, "province")
    assert line.startswith("content/products/che-xanh-dong-thinh.md:10: warning: certificate: "
                           "a 5★ certificate is signed by the central level (Bộ Nông "
                           "nghiệp); issuer_level: province signed it on 12/05/2024")


def test_a_bad_issuer_level_is_an_error(site: Path):
    with pytest.raises(ContentErrors) as info:
        certificate_warnings(site, 4, "2024-05-12", "UBND tỉnh Phú Thọ", "region")
    assert [e.format() for e in info.value.errors] == [
        "content/products/che-xanh-dong-thinh.md:11: certificate.issuer_level: 'region' is "
        "not a level; write commune, district, province or central / 'region' không phải là "
        "cấp; hãy ghi commune (xã), district (huyện), province (tỉnh) hoặc central (trung "
        "ương)"]


def test_a_site_adds_a_fourth_period_in_its_own_data(site: Path):
    (site / "content/data/certifiers.yaml").write_text(
        "periods:\n"
        "  - from: 2026-05-22\n"
        "    decision: Quyết định 99/2026/QĐ-TTg\n"
        "    stars: {3: commune, 4: province, 5: central}\n", encoding="utf-8")
    # the new period's rule: a commune signs 3★ from 22/05/2026 on
    assert certificate_warnings(site, 3, "2026-05-22", "UBND xã Sông Lô") == []
    [line] = certificate_warnings(site, 3, "2026-05-22", "UBND tỉnh Phú Thọ")
    assert ("a 3★ certificate is signed by a commune (UBND xã); 'UBND tỉnh Phú Thọ' signed "
            "it on 22/05/2026 — check issued_by, stars and date (Quyết định 99/2026/QĐ-TTg, "
            "from 22/05/2026)") in line
    # the shipped periods still hold before it
    assert certificate_warnings(site, 3, "2026-05-21", "UBND tỉnh Phú Thọ") == []
    [line] = certificate_warnings(site, 3, "2026-05-21", "UBND xã Sông Lô")
    assert "(Quyết định 1489/QĐ-TTg, from 06/07/2025)" in line


def test_a_site_period_on_the_same_day_replaces_the_shipped_one():
    replaced = RULES.extended((certifier.Period(dt.date(2025, 7, 6), "X", None,
                                                ((3, "district"),)),))
    assert len(replaced.periods) == 3
    assert replaced.period_on(dt.date(2025, 8, 1)).level_for(3) == "district"


def test_a_bad_period_in_a_site_file_is_an_error_on_its_line(site: Path):
    (site / "content/data/certifiers.yaml").write_text(
        "periods:\n  - from: 2026-05-22\n    decision: X\n    stars: {3: region}\n",
        encoding="utf-8")
    with pytest.raises(ContentErrors) as info:
        builder.load(site, today=TODAY)
    [error] = [e for e in info.value.errors if e.path == "content/data/certifiers.yaml"]
    assert error.line == 2 and error.field == "periods"
    assert "levels: commune, district, province, central" in error.message_en
