"""French public holidays (jours fériés) of mainland France, computed, never downloaded.

Alsace-Moselle's Good Friday and 26 December, and the overseas abolition days, are
not included: no site there yet.
"""

from datetime import date, timedelta
from functools import cache

FIXED = {
    (1, 1): "Jour de l'an",
    (5, 1): "Fête du Travail",
    (5, 8): "Victoire 1945",
    (7, 14): "Fête nationale",
    (8, 15): "Assomption",
    (11, 1): "Toussaint",
    (11, 11): "Armistice 1918",
    (12, 25): "Noël",
}
AFTER_EASTER = {1: "Lundi de Pâques", 39: "Ascension", 50: "Lundi de Pentecôte"}


def easter_sunday(year: int) -> date:
    """The anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def holidays(year: int) -> dict[date, str]:
    days = {date(year, month, day): name for (month, day), name in FIXED.items()}
    easter = easter_sunday(year)
    days.update({easter + timedelta(days=n): name for n, name in AFTER_EASTER.items()})
    return days


def holiday_name(day: date) -> str | None:
    return holidays(day.year).get(day)


def is_holiday(day: date) -> bool:
    return day in holidays(day.year)
