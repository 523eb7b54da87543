"""Each figure of the monitor on the small hand-made world of conftest.py, against answers worked out
by hand (in the comments) from the definitions in monitor/services.py:

- a beschikking counts from its ingangsdatum up to and including its end; only decided ones;
  periods end at the reference date (TODAY, 2026-11-23, for 2026);
- clients: each client once, in the cell of the beschikking that started last;
- cost: days in the period / 28 x (tariff on its first day in the period + opslag), rounded per cell.

Care days and costs per beschikking in 2025 (the whole year):
  b1  IB1    2025-03-01..06-30   122 days  337.66 x 122 / 28 = 1471.2329  -> 1471.23
  b2  IB2+o  2025-01-01..03-30    89 days  971.66 x  89 / 28 = 3088.4907  -> 3088.49
  b3  IB1    2025-03-31..12-31   276 days  337.66 x 276 / 28 = 3328.3629  -> 3328.36
  b4  IB1    2025-01-01..01-31    31 days  337.66 x  31 / 28 =  373.8379  ->  373.84
  b5  IB3+o  2025-02-01..12-31   334 days 1492.99 x 334 / 28 = 17809.2379 -> 17809.24
  b7  IB1    2025-05-01..10-31   184 days  337.66 x 184 / 28 = 2218.9086  -> 2218.91
  b8  IB1+o  2025-11-03..12-31    59 days  448.11 x  59 / 28 =  944.2318  ->  944.23
  b9  IB1    2025-01-01..12-31   365 days  337.66 x 365 / 28 = 4401.6393  -> 4401.64
  total                         1460 days                                  33635.94
(971.66 = 732.16 + 239.50; 1492.99 = 1124.99 + 368.00; 448.11 = 337.66 + 110.45.)
Every 2025 beschikking lies in a cell of its own (they differ in age group, gender, product, ...),
so the cells' rounding is the rounding per beschikking above."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from indications.models import Client
from monitor.models import AgeGroup, Cell, StackingCell
from monitor.periods import PERIODS_PER_YEAR, four_week_periods, spans_of, year_span, years_before
from monitor.selectors import (
    KEY_COLUMNS,
    Selection,
    clients_per_reference_group,
    durations,
    growth_per_year,
    key_figures_per_period,
    key_figures_per_year,
    product_shares,
    spending,
    stacking,
)
from monitor.services import age_group_on
from tests.factories import TODAY, ClientFactory, get_municipality, get_product

pytestmark = pytest.mark.django_db

ALL = Selection()
KEYS = [key for key, _column in KEY_COLUMNS]


def year_figures(selection: Selection, year: int) -> dict:
    (row,) = key_figures_per_year(selection, [year]).rows
    assert row[0] == year
    return dict(zip(KEYS, row[1:], strict=True))


def period_figures(selection: Selection, year: int) -> dict[str, dict]:
    return {
        row[0]: dict(zip(["van", "tot", *KEYS], row[1:], strict=True))
        for row in key_figures_per_period(selection, year).rows
    }


def care_days(year: int, period: int = Cell.YEAR) -> int:
    return Cell.objects.filter(year=year, period=period).aggregate(days=Sum("care_days"))["days"]


# -- the key figures of a whole year ------------------------------------------------------------


def test_key_figures_2025(cube):
    figures = year_figures(ALL, 2025)
    # Beschikkingen in 2025: b1 (C1), b2 b3 (C2), b4 b5 (C3), b7 (C4), b8 (C5), b9 (C7); b6 ended in
    # 2024, b10 starts in 2026, the concept and the ingetrokken one are not decided.
    assert figures["clients"] == 6  # C1, C2, C3, C4, C5, C7
    # Running on 2025-12-31: b3 (C2), b5 (C3, to 2026-01-31), b8 (C5), b9 (C7); b1 and b7 ended.
    assert figures["clients_on_reference_date"] == 4
    # Eerste indicaties starting in 2025: b1 (03-01), b7 (05-01), b8 (11-03); b3 and b5 are scalings.
    assert figures["instroom"] == 3
    # b7: C4's b6 ended 2024-12-15, 137 days before 2025-05-01 (within 12 months).
    assert figures["heraanmeldingen"] == 1
    # Ending in 2025: b1 (06-30) and b7 (10-31) are not continued; b2 (03-30) is continued by b3 on
    # 03-31 and b4 (01-31) by b5 on 02-01.
    assert figures["uitstroom"] == 2
    assert figures["uitstroom_percentage"] == pytest.approx(100 * 2 / 6)  # 33.3%
    assert figures["afschaling"] == 1  # b3
    assert figures["opschaling"] == 1  # b5
    assert care_days(2025) == 1460  # see the module docstring
    assert figures["cost"] == Decimal("33635.94")  # see the module docstring
    # 33635.94 x 28 / 1460 days = 645.0729 per client per 4 weeks
    assert figures["cost_per_client_period"] == pytest.approx(645.0729, abs=1e-4)


def test_key_figures_2024(cube):
    figures = year_figures(ALL, 2024)
    # In 2024: b2 (C2, from 10-01), b4 (C3, from 06-01), b6 (C4, 01-15..12-15), b9 (C7, all year).
    assert figures["clients"] == 4
    assert figures["clients_on_reference_date"] == 3  # b2, b4, b9 on 2024-12-31
    assert figures["instroom"] == 3  # b2, b4, b6 (b9 started in 2023)
    assert figures["heraanmeldingen"] == 0
    assert figures["uitstroom"] == 1  # b6; C4 only returns in May 2025
    assert figures["uitstroom_percentage"] == pytest.approx(25.0)  # 1 of 4
    assert (figures["afschaling"], figures["opschaling"]) == (0, 0)
    # b2 92 days (10-01..12-31), b4 214 (06-01..12-31), b6 336 (01-15..12-15, leap year), b9 366
    assert care_days(2024) == 92 + 214 + 336 + 366
    # b2 971.66 x 92 / 28 = 3192.60; b4 337.66 x 214 / 28 = 2580.69; b6 (IB0, 168.83) x 336 / 28 = 2025.96;
    # b9 337.66 x 366 / 28 = 4413.70
    assert figures["cost"] == Decimal("3192.60") + Decimal("2580.69") + Decimal("2025.96") + Decimal("4413.70")
    # 12212.95 x 28 / 1008 days = 339.2486
    assert figures["cost_per_client_period"] == pytest.approx(339.2486, abs=1e-4)


def test_the_current_year_ends_at_the_reference_date(cube):
    figures = year_figures(ALL, 2026)
    # Up to 2026-11-23: b3 (C2), b5 (C3, to 01-31), b8 (C5), b9 (C7). b10 is vastgesteld and starts
    # in 2026, but on 12-01, after the reference date: no client, no instroom yet.
    assert figures["clients"] == 4
    assert figures["clients_on_reference_date"] == 3  # b3, b8, b9 on 2026-11-23
    assert (figures["instroom"], figures["heraanmeldingen"]) == (0, 0)
    assert figures["uitstroom"] == 1  # b5 on 2026-01-31
    assert figures["uitstroom_percentage"] == pytest.approx(25.0)
    # 01-01..11-23 is 327 days for b3, b8 and b9; b5 runs 31 days.
    assert care_days(2026) == 3 * 327 + 31
    # b3 and b9: 337.66 x 327 / 28 = 3943.39 each; b5: 1492.99 x 31 / 28 = 1652.95;
    # b8: 448.11 x 327 / 28 = 5233.28
    assert figures["cost"] == Decimal("3943.39") * 2 + Decimal("1652.95") + Decimal("5233.28")
    # The periods after the reference date are not computed: 2026-P13 starts on 2026-11-30.
    assert sorted(Cell.objects.filter(year=2026).values_list("period", flat=True).distinct()) == list(range(13))


def test_each_client_counts_once_in_the_cell_of_the_beschikking_that_started_last(cube):
    counted = {
        (cell.product.code, cell.provider.name, cell.age_group, cell.gender): cell.clients
        for cell in Cell.objects.filter(year=2025, period=Cell.YEAR, clients__gt=0).select_related(
            "product", "provider"
        )
    }
    assert counted == {
        ("IB1", "Aanbieder A", "26-45", "V"): 1,  # C1: b1
        ("IB1", "Aanbieder B", "18-25", "M"): 1,  # C2: b3 (afschaling), not b2
        ("IB3", "Aanbieder A", "76+", "M"): 1,  # C3: b5 (opschaling), not b4
        ("IB1", "Aanbieder B", "46-65", "X"): 1,  # C4: b7
        ("IB1", "Aanbieder A", "66-75", "V"): 1,  # C5: b8
        ("IB1", "Aanbieder A", "26-45", "M"): 1,  # C7: b9
    }
    # The replaced beschikkingen b2 and b4 keep their own cells, for their days and cost only.
    b2 = Cell.objects.get(year=2025, period=Cell.YEAR, product__code="IB2")
    assert (b2.clients, b2.clients_on_reference_date, b2.care_days, b2.cost, b2.opslag) == (
        0,
        0,
        89,
        Decimal("3088.49"),
        True,
    )
    assert (b2.ended, b2.ended_days, b2.uitstroom) == (1, 181, 0)  # 2024-10-01..2025-03-30, continued


def test_cost_per_beschikking_cell(cube):
    cost = {
        (cell.product.code, cell.age_group, cell.gender): (cell.care_days, cell.cost)
        for cell in Cell.objects.filter(year=2025, period=Cell.YEAR).select_related("product")
    }
    assert cost == {  # the module docstring, beschikking by beschikking
        ("IB1", "26-45", "V"): (122, Decimal("1471.23")),  # b1
        ("IB2", "18-25", "M"): (89, Decimal("3088.49")),  # b2, opslag
        ("IB1", "18-25", "M"): (276, Decimal("3328.36")),  # b3
        ("IB1", "76+", "M"): (31, Decimal("373.84")),  # b4
        ("IB3", "76+", "M"): (334, Decimal("17809.24")),  # b5, opslag
        ("IB1", "46-65", "X"): (184, Decimal("2218.91")),  # b7
        ("IB1", "66-75", "V"): (59, Decimal("944.23")),  # b8, opslag
        ("IB1", "26-45", "M"): (365, Decimal("4401.64")),  # b9
    }


# -- spending ------------------------------------------------------------------------------------


def test_spending_per_product_and_per_provider(cube):
    per_product = spending(ALL, 2025, per="product")
    assert [row[:3] for row in per_product.rows] == [  # clients and cost, the most expensive first
        ["IB3 zwaar", 1, Decimal("17809.24")],  # b5; C3
        ["IB1 licht", 5, Decimal("12738.21")],  # b1 b3 b4 b7 b8 b9; C1 C2 C4 C5 C7
        ["IB2 middel", 0, Decimal("3088.49")],  # b2: cost, but C2 counts at b3
    ]
    average = {row[0]: row[3] for row in per_product.rows}
    # IB1: 12738.21 x 28 / (122 + 276 + 31 + 184 + 59 + 365 = 1037 days) = 356669.88 / 1037 = 343.9440
    assert average["IB1 licht"] == pytest.approx(343.9440, abs=1e-4)
    # IB3: 17809.24 x 28 / 334 = 498658.72 / 334 = 1492.9902, the tariff with opslag (1492.99) but
    # for the rounding of the cell's cost
    assert average["IB3 zwaar"] == pytest.approx(1492.9902, abs=1e-4)

    per_provider = spending(ALL, 2025, per="provider")
    assert [row[:3] for row in per_provider.rows] == [
        ["Aanbieder A", 4, Decimal("25000.18")],  # b1 b4 b5 b8 b9: 1471.23 + 373.84 + 17809.24 + 944.23 + 4401.64
        ["Aanbieder B", 2, Decimal("8635.76")],  # b2 b3 b7: 3088.49 + 3328.36 + 2218.91
    ]


# -- duration against the ambition ---------------------------------------------------------------


def test_duration_per_product_against_the_ambition(cube):
    # Ended in 2025 (duration from ingangsdatum to end, both included):
    #   b1 IB1 2025-03-01..06-30 122 days; b4 IB1 2024-06-01..2025-01-31 245 days;
    #   b7 IB1 2025-05-01..10-31 184 days; b2 IB2 2024-10-01..2025-03-30 181 days.
    # Ambition: IB1 52 weeks = 364 days, IB2 26 weeks = 182 days.
    rows = {row[0]: row[1:] for row in durations(ALL, 2025, per="product").rows}
    assert list(rows) == ["IB1 licht", "IB2 middel"]
    ended, average, median, ambition, difference = rows["IB1 licht"]
    assert ended == 3
    assert average == pytest.approx((122 + 245 + 184) / 3)  # 183.67
    assert median == 184  # 122, 184, 245
    assert ambition == 364
    assert difference == pytest.approx(551 / 3 - 364)  # -180.33
    assert rows["IB2 middel"] == [1, 181, 181, 182, -1]


def test_duration_per_provider_weighs_the_ambition_by_its_product_mix(cube):
    rows = {row[0]: row[1:] for row in durations(ALL, 2025, per="provider").rows}
    # A: b1 (IB1, 122) and b4 (IB1, 245); B: b2 (IB2, 181) and b7 (IB1, 184).
    assert rows["Aanbieder A"] == [2, 183.5, 183.5, 364, -180.5]
    # B's ambition: (182 + 364) / 2 = 273 days; 182.5 - 273 = -90.5
    assert rows["Aanbieder B"] == [2, 182.5, 182.5, 273, -90.5]


def test_duration_without_ambition(cube, pinned_today):
    # 2026 up to TODAY: only b5 (IB3, 2025-02-01..2026-01-31, 365 days) ended; IB3 has no ambition.
    assert durations(ALL, 2026, per="product").rows == [["IB3 zwaar", 1, 365, 365, None, None]]
    assert durations(Selection(product=get_product("IB1")), 2026, per="product").rows == []


# -- products and reference groups per year ------------------------------------------------------


def test_product_shares_per_year(cube):
    table = product_shares(ALL, [2024, 2025, 2026])
    assert [column.label for column in table.columns[1:4]] == ["2024", "2025", "2026"]
    assert table.rows == [
        # 2024: C4 at b6 (IB0); C3 at b4 and C7 at b9 (IB1); C2 at b2 (IB2).
        # 2025: C1 C2 C4 C5 C7 at IB1, C3 at b5 (IB3). 2026: C2 C5 C7 at IB1, C3 at b5 (IB3).
        ["IB0 waakvlam", 1, 0, 0, -100.0],  # (0 - 1) / 1
        ["IB1 licht", 2, 5, 3, 50.0],  # (3 - 2) / 2
        ["IB2 middel", 1, 0, 0, -100.0],
        ["IB3 zwaar", 0, 1, 1, None],  # no growth from zero
        ["IB4 zwaar jongeren", 0, 0, 0, None],  # every product, also without clients
    ]
    # Each year's shares add up to the year's clients (each client in one product).
    assert [sum(row[i] for row in table.rows) for i in (1, 2, 3)] == [4, 6, 4]


def test_clients_per_reference_group_and_growth(cube):
    table = clients_per_reference_group(ALL, [2024, 2025, 2026])
    rows = {row[0]: row[1:] for row in table.rows}
    assert list(rows) == [
        "Gehandicaptenzorg",
        "GGZ",
        "Psychische kwetsbaarheid / psychosociaal",
        "Autismezorg",
        "Thuiszorg en maatschappelijke dienstverlening",
        "Ouderenzorg",
    ]
    # Group 1 (provider A): 2024 C3 C7; 2025 C1 C3 C5 C7; 2026 C3 C5 C7.
    assert rows["Gehandicaptenzorg"] == [2, 4, 3, 50.0]  # (3 - 2) / 2
    # Group 2 (provider B): 2024 C2 C4; 2025 C2 C4; 2026 C2.
    assert rows["GGZ"] == [2, 2, 1, -50.0]  # (1 - 2) / 2
    assert rows["Ouderenzorg"] == [0, 0, 0, None]

    growth = growth_per_year(table)
    assert [column.label for column in growth.columns] == ["Referentiegroep", "2025", "2026"]
    rows = {row[0]: row[1:] for row in growth.rows}
    assert rows["Gehandicaptenzorg"] == [100.0, -25.0]  # 2 -> 4 -> 3
    assert rows["GGZ"] == [0.0, -50.0]  # 2 -> 2 -> 1
    assert rows["Autismezorg"] == [None, None]


# -- stacking ------------------------------------------------------------------------------------

HOUSEMATE = "huisgenoot met IB of een andere voorziening"


def test_stacking_rates_per_1000_inhabitants(cube):
    rates, _combinations = stacking(2025)
    # On 2025-12-31: C2 and C7 (IB, one address) in Dordrecht; C3 (IB + dagbesteding) in Zwijndrecht;
    # C5 (IB + wijkverpleging, living with C6 who has dagbesteding) in Sliedrecht.
    assert rates.rows == [
        # clients, households, over two laws, inhabitants, per 1,000, over two laws per 1,000
        ["Dordrecht", 2, 1, 0, 8000, 0.25, 0.0],  # 2 x 1000 / 8000
        ["Sliedrecht", 1, 1, 1, 2500, 0.4, 0.4],  # Wmo and Zvw; 1 x 1000 / 2500
        ["Zwijndrecht", 1, 1, 0, None, None, None],  # no population for 2025
        # The region: the inhabitants are known only when every member's are.
        ["Totaal (7 gemeenten)", 4, 3, 1, None, None, None],
    ]
    sliedrecht, _ = stacking(2025, municipality=get_municipality("Sliedrecht"))
    assert sliedrecht.rows == [rates.rows[1]]


def test_stacking_combinations_per_client_and_household(cube):
    _rates, combinations = stacking(2025)
    first, *others = combinations.rows
    assert first == [f"IB + {HOUSEMATE}", "Wmo", 2, 1]  # C2 and C7: two clients, one household
    assert sorted(others) == [
        ["IB + dagbesteding (Wmo)", "Wmo", 1, 1],  # C3
        [f"IB + wijkverpleging (Zvw), {HOUSEMATE}", "Wmo, Zvw", 1, 1],  # C5
    ]
    cells = StackingCell.objects.filter(year=2025)
    assert cells.count() == 3 + 3  # a combination and a total per municipality
    # On 2024-12-31 only C7 has an active toewijzing and nobody a provision: no stacking.
    assert stacking(2024)[0].rows == []
    # On TODAY (2026): b5's toewijzing ended 2026-01-31, so C3 is no longer counted.
    assert [row[:4] for row in stacking(2026)[0].rows] == [
        ["Dordrecht", 2, 1, 0],
        ["Sliedrecht", 1, 1, 1],
        ["Totaal (7 gemeenten)", 3, 2, 1],
    ]


# -- periods of 4 weeks --------------------------------------------------------------------------


def test_periods_of_four_weeks_follow_the_iso_weeks():
    periods = four_week_periods(2025)
    assert len(periods) == PERIODS_PER_YEAR == 13
    # 2025-01-01 is a Wednesday: ISO week 1 starts on Monday 2024-12-30.
    assert (periods[0].start, periods[0].end) == (date(2024, 12, 30), date(2025, 1, 26))
    assert (periods[1].start, periods[1].end) == (date(2025, 1, 27), date(2025, 2, 23))
    assert (periods[12].start, periods[12].end) == (date(2025, 12, 1), date(2025, 12, 28))  # week 52
    assert [p.label for p in periods[:2]] == ["2025-P01", "2025-P02"]
    # 2026 has 53 ISO weeks (1 January is a Thursday): period 13 runs 5 weeks, into 2027.
    periods = four_week_periods(2026)
    assert periods[0].start == date(2025, 12, 29)
    assert (periods[12].start, periods[12].end) == (date(2026, 11, 30), date(2027, 1, 3))
    assert [(p.end - p.start).days + 1 for p in periods] == [28] * 12 + [35]
    assert year_span(2026).label == "2026"
    assert [span.period for span in spans_of(2026)] == list(range(14))


def test_periods_tile_the_years_without_gaps_or_overlap():
    spans = [span for year in range(2015, 2036) for span in four_week_periods(year)]
    for before, after in zip(spans, spans[1:], strict=False):
        assert after.start == before.end + timedelta(days=1), (before, after)
    assert all(span.start.weekday() == 0 and span.end.weekday() == 6 for span in spans)
    long_years = [span.year for span in spans if (span.end - span.start).days + 1 == 35]
    assert long_years == [2015, 2020, 2026, 2032]  # the years with 53 ISO weeks


def test_key_figures_per_period(cube):
    periods = period_figures(ALL, 2025)
    assert list(periods) == [f"2025-P{n:02d}" for n in range(1, 14)]
    p1, p2 = periods["2025-P01"], periods["2025-P02"]
    assert (p1["van"], p1["tot"]) == (date(2024, 12, 30), date(2025, 1, 26))  # dates, written as dates
    # P1 (2024-12-30..2025-01-26): b2 (C2), b4 (C3), b9 (C7), 28 days each, from 2024-12-30:
    # 971.66 + 337.66 + 337.66. The year's cost has only 27 of those days: periods and year differ.
    assert (p1["clients"], p1["instroom"], p1["uitstroom"]) == (3, 0, 0)
    assert p1["cost"] == Decimal("1646.98")
    # P2 (2025-01-27..02-23): b2 (C2), b4 and b5 (C3, b5 started later), b9 (C7).
    assert (p2["clients"], p2["clients_on_reference_date"], p2["opschaling"], p2["uitstroom"]) == (3, 3, 1, 0)
    assert care_days(2025, 2) == 28 + 5 + 23 + 28  # b2, b4 to 01-31, b5 from 02-01, b9
    # 971.66 + 337.66 x 5 / 28 (60.30) + 1492.99 x 23 / 28 (1226.38) + 337.66
    assert p2["cost"] == Decimal("2596.00")
    assert p2["cost_per_client_period"] == pytest.approx(2596.00 * 28 / 84)
    # P11 (10-06..11-02): b7 ends 10-31 -> uitstroom; on 11-02 b3, b5, b9 run.
    assert (periods["2025-P11"]["clients"], periods["2025-P11"]["clients_on_reference_date"]) == (4, 3)
    assert periods["2025-P11"]["uitstroom"] == 1
    assert periods["2025-P11"]["uitstroom_percentage"] == pytest.approx(25.0)
    # P12 (11-03..11-30): b8 starts on its first day -> instroom in P12, not in P11.
    assert (periods["2025-P11"]["instroom"], periods["2025-P12"]["instroom"]) == (0, 1)
    # P12: b3, b5, b8, b9 whole periods: 337.66 + 1492.99 + 448.11 + 337.66
    assert periods["2025-P12"]["cost"] == Decimal("2616.42")
    assert sum(period["instroom"] for period in periods.values()) == 3  # b1 (P3), b7 (P5), b8 (P12)


def test_the_current_period_ends_at_the_reference_date(cube):
    periods = period_figures(ALL, 2026)
    assert list(periods)[-1] == "2026-P12"  # P13 starts 2026-11-30, after TODAY
    # P12 (2026-11-02..11-29) up to 11-23: b3, b8, b9 for 22 days each.
    assert care_days(2026, 12) == 3 * 22
    assert periods["2026-P12"]["clients_on_reference_date"] == 3


# -- filters -------------------------------------------------------------------------------------


def named_selection(name: str) -> Selection:
    from providers.models import Provider, ReferenceGroup

    kind, _, value = name.partition("=")
    if kind == "municipality":
        return Selection(municipality=get_municipality(value))
    if kind == "product":
        return Selection(product=get_product(value))
    if kind == "provider":
        return Selection(provider=Provider.objects.get(name=value))
    if kind == "reference_group":
        return Selection(reference_group=ReferenceGroup.objects.get(number=int(value)))
    if kind == "age_group":
        return Selection(age_group=value)
    if kind == "gender":
        return Selection(gender=value)
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # (clients, on reference date, instroom, uitstroom, cost) in 2025, from the cells in the docstring
        ("municipality=Dordrecht", (4, 2, 2, 2, "14508.63")),  # b1 b2 b3 b7 b9: C1 C2 C4 C7
        ("municipality=Zwijndrecht", (1, 1, 0, 0, "18183.08")),  # b4 b5: C3
        ("municipality=Sliedrecht", (1, 1, 1, 0, "944.23")),  # b8: C5
        ("product=IB1", (5, 3, 3, 2, "12738.21")),  # b1 b3 b4 b7 b8 b9
        ("product=IB2", (0, 0, 0, 0, "3088.49")),  # b2, whose client counts at b3
        ("product=IB3", (1, 1, 0, 0, "17809.24")),  # b5
        ("provider=Aanbieder A", (4, 3, 2, 1, "25000.18")),  # b1 b4 b5 b8 b9: C1 C3 C5 C7
        ("provider=Aanbieder B", (2, 1, 1, 1, "8635.76")),  # b2 b3 b7: C2 C4
        ("reference_group=1", (4, 3, 2, 1, "25000.18")),  # provider A's group
        ("reference_group=2", (2, 1, 1, 1, "8635.76")),
        # Ages on 2025-12-31: C2 exactly 18, C3 exactly 76, C5 75 (76 on 2026-01-01), C4 65, C1 35, C7 40.
        ("age_group=18-25", (1, 1, 0, 0, "6416.85")),  # b2 b3
        ("age_group=26-45", (2, 1, 1, 1, "5872.87")),  # b1 b9
        ("age_group=46-65", (1, 0, 1, 1, "2218.91")),  # b7
        ("age_group=66-75", (1, 1, 1, 0, "944.23")),  # b8
        ("age_group=76+", (1, 1, 0, 0, "18183.08")),  # b4 b5
        ("gender=V", (2, 1, 2, 1, "2415.46")),  # b1 b8
        ("gender=M", (3, 3, 0, 0, "29001.57")),  # b2 b3 b4 b5 b9
        ("gender=X", (1, 0, 1, 1, "2218.91")),  # b7
    ],
)
def test_each_filter(cube, name, expected):
    figures = year_figures(named_selection(name), 2025)
    clients, on_reference_date, instroom, uitstroom, cost = expected
    assert (
        figures["clients"],
        figures["clients_on_reference_date"],
        figures["instroom"],
        figures["uitstroom"],
        figures["cost"],
    ) == (clients, on_reference_date, instroom, uitstroom, Decimal(cost))


def test_filters_combine_and_an_empty_selection_has_no_rows(cube):
    from providers.models import Provider

    selection = Selection(
        municipality=get_municipality("Dordrecht"),
        provider=Provider.objects.get(name="Aanbieder B"),
        gender=Client.Gender.MALE,
    )
    figures = year_figures(selection, 2025)
    assert (figures["clients"], figures["afschaling"], figures["cost"]) == (1, 1, Decimal("6416.85"))  # C2: b2 b3
    assert key_figures_per_year(Selection(municipality=get_municipality("Papendrecht")), [2025]).rows == []
    assert key_figures_per_year(Selection(age_group=AgeGroup.UNDER_18), [2025]).rows == []


def test_the_age_group_is_the_age_on_the_periods_last_day(cube):
    # C2 (born 2007-12-31) is 17 on 2024-12-31 and on 2025-12-28 (the end of 2025-P13), 18 on 2025-12-31.
    under_18 = Selection(age_group=AgeGroup.UNDER_18)
    assert year_figures(under_18, 2024)["clients"] == 1
    assert period_figures(under_18, 2025)["2025-P13"]["clients"] == 1
    assert year_figures(Selection(age_group=AgeGroup.FROM_18), 2025)["clients"] == 1
    # C3 (born 1949-12-31) is 75 on 2024-12-31 and 76 on 2025-12-31.
    assert year_figures(Selection(age_group=AgeGroup.FROM_66), 2024)["clients"] == 1
    assert year_figures(Selection(age_group=AgeGroup.OVER_75), 2025)["clients"] == 1


@pytest.mark.parametrize(
    ("born", "group"),
    [
        # ages on 2026-11-23
        (date(2008, 11, 24), "0-17"),  # 18 tomorrow
        (date(2008, 11, 23), "18-25"),  # 18 today
        (date(2000, 11, 24), "18-25"),  # 25
        (date(2000, 11, 23), "26-45"),  # 26 today
        (date(1980, 11, 24), "26-45"),  # 45
        (date(1980, 11, 23), "46-65"),  # 46
        (date(1960, 11, 24), "46-65"),  # 65
        (date(1960, 11, 23), "66-75"),  # 66
        (date(1950, 11, 24), "66-75"),  # 75, 76 tomorrow
        (date(1950, 11, 23), "76+"),  # 76 today
    ],
)
def test_age_group_boundaries(db, born, group):
    client = ClientFactory(date_of_birth=born)
    annotated = Client.objects.annotate(group=age_group_on(TODAY, field="date_of_birth")).get(pk=client.pk)
    assert annotated.group == group


@pytest.mark.parametrize(
    ("born", "reference_date", "group"),
    [
        # Born on 29 February: 18 on 1 March in a year without 29 February.
        (date(2008, 2, 29), date(2026, 2, 28), "0-17"),
        (date(2008, 2, 29), date(2026, 3, 1), "18-25"),
        # A reference date on 29 February: 18 for whoever was born on 28 February 18 years before.
        (date(2010, 2, 28), date(2028, 2, 29), "18-25"),
        (date(2010, 3, 1), date(2028, 2, 29), "0-17"),
    ],
)
def test_age_groups_around_29_february(db, born, reference_date, group):
    client = ClientFactory(date_of_birth=born)
    annotated = Client.objects.annotate(group=age_group_on(reference_date, field="date_of_birth")).get(pk=client.pk)
    assert annotated.group == group
    assert years_before(date(2028, 2, 29), 18) == date(2010, 2, 28)
