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


@pytest.mark.parametrize(
    ("subdiv", "day", "name"),
    [
        ("57", date(2026, 4, 3), "Vendredi saint"),  # Moselle
        ("6AE", date(2026, 12, 26), "Saint-Étienne"),  # Bas-Rhin and Haut-Rhin
        ("971", date(2026, 5, 27), "Abolition de l'esclavage"),  # Guadeloupe
        ("974", date(2026, 12, 20), "Abolition de l'esclavage"),  # La Réunion
        ("976", date(2026, 4, 27), "Abolition de l'esclavage"),  # Mayotte
    ],
)
def test_alsace_moselle_and_overseas_have_their_own_days(subdiv, day, name):
    assert holiday_name(day, subdiv) == name
    assert holiday_name(day) is None  # not in mainland France


@pytest.mark.django_db
def test_a_sites_calendar_follows_the_departement_of_its_communes(site):
    from amorce.permanences.holidays import site_subdivision
    from amorce.territories.models import Commune

    assert site_subdivision(site) is None  # the test site is in the Aude
    site.communes.set(Commune.objects.filter(code__in=["57463", "57672"]))  # Metz, Sarreguemines
    assert site_subdivision(site) == "57"
    site.communes.set(Commune.objects.filter(code="97411"))  # Saint-Denis (La Réunion)
    assert site_subdivision(site) == "974"
