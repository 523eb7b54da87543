"""Dutch working days: Monday to Friday except the national holidays.

The holidays are those of the Algemene termijnenwet (art. 3: Nieuwjaarsdag, tweede Paasdag,
Hemelvaartsdag, tweede Pinksterdag, Koningsdag, beide Kerstdagen) and the days the Besluit under
it puts on a par (Goede Vrijdag, Bevrijdingsdag 5 mei); Easter Sunday and Whit Sunday fall on a
Sunday anyway. iWmo's terms in werkdagen (OP090: a retour within 3 werkdagen; a start or stop
reported within 5 werkdagen) count these days.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday Koningsdag is the Saturday before
        kings_day -= timedelta(days=1)
    return frozenset(
        {
            date(year, 1, 1),  # Nieuwjaarsdag
            easter - timedelta(days=2),  # Goede Vrijdag
            easter + timedelta(days=1),  # tweede Paasdag
            kings_day,
            date(year, 5, 5),  # Bevrijdingsdag
            easter + timedelta(days=39),  # Hemelvaartsdag
            easter + timedelta(days=50),  # tweede Pinksterdag
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in dutch_holidays(day.year)


def working_days_after(day: date, days: int) -> date:
    """The date `days` working days after `day` (the deadline of a term "binnen N werkdagen")."""
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_before(day: date, days: int) -> date:
    """The date `days` working days before `day`."""
    while days > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day
