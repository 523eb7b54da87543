"""The definitions of monitor/services.py at their edges, each on a few beschikkingen of its own (not
on the shared world of conftest.py, as some change the tariffs): heraanmelding, uitstroom, the end
of a beschikking, duration, cost and tariffs; and the demo's reference data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from indications.models import Indication, IndicationStatus, Tariff
from monitor.models import Cell
from monitor.selectors import Selection, key_figures_per_year
from monitor.services import refresh_monitor
from tests.factories import TODAY, ClientFactory, IndicationFactory, contracted_provider, get_product

pytestmark = pytest.mark.django_db


def one_beschikking(product: str, start: date, end: date | None, *, opslag=False, client=None, **fields):
    return IndicationFactory(
        client=client or ClientFactory(),
        aanvraag=None,
        product=get_product(product),
        opslag=opslag,
        provider=contracted_provider(),
        start_date=start,
        end_date=end,
        status=IndicationStatus.BEEINDIGD if end and end < TODAY else IndicationStatus.ACTIEF,
        decision_date=start - timedelta(days=7),
        results=[],
        evaluations=[],
        **fields,
    )


def figures_2025() -> dict:
    refresh_monitor(today=TODAY, first_year=2025, last_year=2025)
    measures = ["clients", "instroom", "heraanmeldingen", "uitstroom", "care_days", "ended", "ended_days"]
    cells = Cell.objects.filter(year=2025, period=Cell.YEAR).values_list(*measures)
    return {name: sum(cell[index] for cell in cells) for index, name in enumerate(measures)}


# -- heraanmelding and uitstroom -----------------------------------------------------------------


def test_a_heraanmelding_returns_within_12_months():
    back_in_time = ClientFactory()
    one_beschikking("IB1", date(2023, 5, 1), date(2024, 5, 1), client=back_in_time)
    one_beschikking("IB1", date(2025, 5, 1), None, client=back_in_time)  # 365 days after 2024-05-01
    too_late = ClientFactory()
    one_beschikking("IB1", date(2023, 5, 1), date(2024, 4, 30), client=too_late)
    one_beschikking("IB1", date(2025, 5, 1), None, client=too_late)  # 366 days after 2024-04-30
    figures = figures_2025()
    # 12 months is 365 days (round(12 x 365.25 / 12)): the first returns on the last day of the window.
    assert (figures["instroom"], figures["heraanmeldingen"]) == (2, 1)


def test_a_return_that_is_not_a_first_beschikking_is_no_instroom():
    client = ClientFactory()
    one_beschikking("IB1", date(2024, 1, 1), date(2025, 1, 31), client=client)
    one_beschikking("IB1", date(2025, 3, 1), None, client=client, kind=Indication.Kind.HERINDICATIE)
    figures = figures_2025()
    # The herindicatie after a month without care: no instroom, so no heraanmelding; the end on
    # 01-31 is uitstroom, as no beschikking continues on 02-01.
    assert (figures["instroom"], figures["heraanmeldingen"], figures["uitstroom"]) == (0, 0, 1)


def test_uitstroom_is_an_end_that_nothing_continues_the_next_day():
    continued = ClientFactory()
    one_beschikking("IB2", date(2025, 1, 1), date(2025, 3, 31), client=continued)
    one_beschikking("IB1", date(2025, 4, 1), None, client=continued, kind=Indication.Kind.SCALE_DOWN)
    a_day_without = ClientFactory()
    one_beschikking("IB2", date(2025, 1, 1), date(2025, 3, 31), client=a_day_without)
    one_beschikking("IB1", date(2025, 4, 2), None, client=a_day_without, kind=Indication.Kind.SCALE_DOWN)
    figures = figures_2025()
    assert figures["clients"] == 2
    assert figures["uitstroom"] == 1  # the one with 2025-04-01 without a beschikking
    assert figures["ended"] == 2  # both IB2 beschikkingen ended, each of 90 days
    assert figures["ended_days"] == 90 + 90


def test_uitstroom_counts_beschikkingen_not_clients():
    client = ClientFactory()
    one_beschikking("IB1", date(2025, 1, 1), date(2025, 6, 30), client=client)
    one_beschikking("IB3", date(2025, 2, 1), date(2025, 6, 30), client=client)
    refresh_monitor(today=TODAY, first_year=2025, last_year=2025)
    (row,) = key_figures_per_year(Selection(), [2025]).rows
    # One client, two beschikkingen ending together: uitstroom 2, so 200% (see the report).
    assert (row[2], row[4], row[5]) == (1, 2, pytest.approx(200.0))


def test_a_beschikking_ended_early_counts_up_to_its_end():
    one_beschikking("IB1", date(2025, 1, 1), date(2025, 12, 31), ended_on=date(2025, 2, 25))
    figures = figures_2025()
    # beëindigd per 2025-02-25: 56 days, not the 365 up to the einddatum.
    assert (figures["care_days"], figures["ended"], figures["ended_days"], figures["uitstroom"]) == (56, 1, 56, 1)
    assert Cell.objects.get(year=2025, period=Cell.YEAR).cost == Decimal("675.32")  # 2 x 337.66


def test_average_and_median_duration_describe_the_same_beschikkingen(pinned_today):
    from monitor.models import DurationAmbition
    from monitor.selectors import durations

    DurationAmbition.objects.create(product=get_product("IB1"), weeks=52)  # 364 days
    one_beschikking("IB1", date(2026, 1, 1), date(2026, 3, 31))  # 90 days
    one_beschikking("IB1", date(2026, 1, 1), date(2026, 8, 31))  # ends after the refresh date below
    refresh_monitor(today=date(2026, 6, 30), first_year=2026)
    # As of 2026-06-30 one beschikking has ended: 1 ended, average 90 and median 90 days. The median
    # is taken up to the clock's date (TODAY), so it also holds the one ending 08-31: (90 + 243) / 2.
    assert durations(Selection(), 2026, per="product").rows == [["IB1 licht", 1, 90.0, 90.0, 364, -274.0]]


# -- cost and tariffs ----------------------------------------------------------------------------


def test_cost_uses_the_tariff_in_force_on_the_first_day_in_the_period():
    ib1 = get_product("IB1")
    Tariff.objects.filter(product=ib1).update(valid_to=date(2026, 6, 30))
    Tariff.objects.create(
        product=ib1,
        valid_from=date(2026, 7, 1),
        amount_per_period=Decimal("351.37"),
        opslag_per_period=Decimal("114.93"),
    )
    one_beschikking("IB1", date(2026, 1, 1), None, opslag=True)
    refresh_monitor(today=TODAY, first_year=2026)
    # The year: the tariff of 2026-01-01 for all 327 days up to TODAY: 448.11 x 327 / 28 = 5233.2846.
    assert Cell.objects.get(year=2026, period=Cell.YEAR).cost == Decimal("5233.28")
    periods = dict(Cell.objects.filter(year=2026, period__gte=1).values_list("period", "cost"))
    # P7 (2026-06-15..07-12) starts under the old tariff: 448.11 for its 28 days.
    assert periods[7] == Decimal("448.11")
    # P8 (2026-07-13..08-09) under the new one: 351.37 + 114.93 = 466.30.
    assert periods[8] == Decimal("466.30")
    # P1 (2025-12-29..2026-01-25) holds the 25 days from 2026-01-01: 448.11 x 25 / 28 = 400.0982.
    assert periods[1] == Decimal("400.10")


def test_a_product_without_opslag_tariff_costs_the_tariff_alone():
    # IB0 has no opslag in its tariff (168.83 from 2018-08-01); opslag granted anyway adds nothing.
    one_beschikking("IB0", date(2025, 1, 1), date(2025, 2, 25), opslag=True)
    refresh_monitor(today=TODAY, first_year=2025, last_year=2025)
    # 2025-01-01..02-25 = 56 days = two periods of 4 weeks: 2 x 168.83.
    assert Cell.objects.get(year=2025, period=Cell.YEAR).cost == Decimal("337.66")


def test_a_whole_euro_tariff_is_not_truncated():
    ib1 = get_product("IB1")
    Tariff.objects.filter(product=ib1).update(valid_to=date(2025, 12, 31))
    Tariff.objects.create(product=ib1, valid_from=date(2026, 1, 1), amount_per_period=Decimal("400.00"))
    one_beschikking("IB1", date(2026, 1, 1), date(2026, 1, 10))
    refresh_monitor(today=TODAY, first_year=2026)
    # 400.00 x 10 days / 28 = 142.857 -> 142.86 (SQLite stores 400.00 as the integer 400 and
    # computes 400 * 10 / 28 = 142).
    assert Cell.objects.get(year=2026, period=Cell.YEAR).cost == Decimal("142.86")


# -- reference data of the demo ------------------------------------------------------------------


def test_demo_reference_data():
    from monitor.demo import ensure_demo_reference_data
    from monitor.models import DurationAmbition, Population

    ensure_demo_reference_data(last_year=2026)
    ensure_demo_reference_data(last_year=2026)  # a second run adds nothing
    # Six members from 2015, Hardinxveld-Giessendam from 2018: no inhabitants before it joined.
    assert Population.objects.count() == 6 * (2026 - 2015 + 1) + (2026 - 2018 + 1)
    assert not Population.objects.filter(municipality__name="Hardinxveld-Giessendam", year__lt=2018).exists()
    inhabitants = {
        (p.municipality.name, p.year): p.inhabitants for p in Population.objects.select_related("municipality")
    }
    assert inhabitants["Dordrecht", 2020] == 119_100
    assert inhabitants["Dordrecht", 2016] == 116_747  # 119100 / 1.005^4 = 116747.48
    assert inhabitants["Alblasserdam", 2026] == 20_711  # 20100 x 1.005^6 = 20710.59
    assert inhabitants["Zwijndrecht", 2019] == 44_577  # 44800 / 1.005 = 44577.11
    assert dict(DurationAmbition.objects.values_list("product__code", "weeks")) == {
        "IB0": 26,
        "IB1": 52,
        "IB2": 26,
        "IB3": 52,
        "IB4": 52,
    }
