"""Cells as officials write them."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from ocop_site.importer import values


@pytest.mark.parametrize("cell, stars", [
    (3, 3), (4.0, 4), ("5", 5), ("3 sao", 3), ("3★", 3), ("★★★★", 4), ("Ba sao", 3),
    ("BỐN SAO", 4), ("năm sao", 5), ("4 stars", 4), ("3 sao OCOP", 3), ("hai sao", 2), (7, 7),
])
def test_stars(cell, stars: int) -> None:
    assert values.stars(cell) == stars  # 2 and 7 are refused by the row, with the cell


@pytest.mark.parametrize("cell", ["nhiều sao", "3,5", "", True, "sao"])
def test_stars_unreadable(cell) -> None:
    with pytest.raises(values.Unreadable) as caught:
        values.stars(cell)
    assert caught.value.en.endswith("— write 3, 4 or 5")


@pytest.mark.parametrize("cell, day", [
    (dt.datetime(2024, 3, 15), dt.date(2024, 3, 15)), ("15/3/2024", dt.date(2024, 3, 15)),
    ("15/03/2024", dt.date(2024, 3, 15)), ("2024-03-15", dt.date(2024, 3, 15)),
    ("15.3.2024", dt.date(2024, 3, 15)), ("ngày 15 tháng 3 năm 2024", dt.date(2024, 3, 15)),
    (45366, dt.date(2024, 3, 15)),  # a date cell that lost its format: Excel's day number
])
def test_dates(cell, day: dt.date) -> None:
    assert values.date(cell) == day


def test_a_bad_date_says_how_to_write_it() -> None:
    with pytest.raises(values.Unreadable, match="write it dd/mm/yyyy"):
        values.date("31/02/2024")


def test_text_is_one_nfc_line() -> None:
    nfd = unicodedata.normalize("NFD", "Chè  xanh\nĐồng Thịnh\x00")
    assert values.clean_text(nfd) == "Chè xanh Đồng Thịnh"
    assert values.clean_text(245.0) == "245"
    with pytest.raises(values.Unreadable, match="accent marks in a row"):
        values.clean_text("a" + "\u0301" * 40)


def test_score_bands_and_prices() -> None:
    assert [values.stars_for_score(p) for p in (92, 89.5, 70, 55, 30, 10)] == [5, 4, 4, 3, 2, 1]
    assert values.score("75,5") == 75.5
    assert values.price("150.000 đ") == 150000 and values.price(90000.0) == 90000
