from datetime import date

import pytest

from amorce.permanences.holidays import easter_sunday, holiday_name, holidays


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
     (2038, date(2038, 4, 25)), (2285, date(2285, 3, 22))],
)  # fmt: skip
def test_easter_follows_the_gregorian_computus(year, easter):
    assert easter_sunday(year) == easter


def test_the_2025_holidays():
    assert sorted(holidays(2025)) == [
        date(2025, 1, 1),
        date(2025, 4, 21),  # lundi de Pâques
        date(2025, 5, 1),
        date(2025, 5, 8),
        date(2025, 5, 29),  # Ascension
        date(2025, 6, 9),  # lundi de Pentecôte
        date(2025, 7, 14),
        date(2025, 8, 15),
        date(2025, 11, 1),
        date(2025, 11, 11),
        date(2025, 12, 25),
    ]


def test_the_2026_moveable_holidays():
    assert holiday_name(date(2026, 4, 6)) == "Lundi de Pâques"
    assert holiday_name(date(2026, 5, 14)) == "Ascension"
    assert holiday_name(date(2026, 5, 25)) == "Lundi de Pentecôte"
    assert holiday_name(date(2026, 4, 5)) is None  # Easter Sunday itself: a Sunday anyway
    assert len(holidays(2026)) == 11
