"""Paid against expected (tariff × assigned days), the use of a contract's yearly budget and the
providers whose declaraties stand out (billing.spending)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import services, spending
from billing.models import ContractBudget
from monitor import money
from monitor.selectors import Selection
from monitor.services import refresh_monitor
from providers.models import Assignment, Contract
from tests.billing.declaraties import (
    IB1_MONTH_CENTS,
    billable_provider,
    credit_of,
    declaratie,
    ib1_assignment,
    line,
    submit,
)
from tests.factories import get_municipality

pytestmark = pytest.mark.django_db

OCTOBER = date(2026, 10, 1)
IB1_OPSLAG_MONTH_CENTS = 11965


def _expected(month=OCTOBER, **filters) -> int:
    return sum(cents for key, cents in spending.expected_in_year(month.year, **filters).items() if key[0] == month)


def test_a_whole_month_is_expected_at_volume_times_the_contract_price(provider):
    assignment = ib1_assignment(provider)

    expected = spending.expected_in_year(2026)

    municipality = assignment.indication.client.municipality_id
    # September up to December 2026 of the toewijzing that runs from 1 September 2026.
    assert expected == {
        (date(2026, month, 1), provider.pk, assignment.product_id, municipality): IB1_MONTH_CENTS
        for month in (9, 10, 11, 12)
    }


def test_a_part_of_a_month_is_expected_for_its_days(provider):
    ib1_assignment(provider, start=date(2026, 10, 16))  # 16 of October's 31 days
    ib1_assignment(provider, start=date(2026, 6, 1), end=date(2026, 10, 10))  # 10 days

    # Both toewijzingen fall in one group (provider, product, municipality): 26 days of 31, rounded once.
    assert _expected() == round(IB1_MONTH_CENTS * 26 / 31)


def test_opslag_is_expected_only_where_the_beschikking_grants_it(provider):
    plain = ib1_assignment(provider)
    with_opslag = ib1_assignment(provider)
    with_opslag.indication.opslag = True
    with_opslag.indication.save(update_fields=["opslag"])

    assert _expected() == 2 * IB1_MONTH_CENTS + IB1_OPSLAG_MONTH_CENTS
    assert plain.indication.opslag is False


def test_a_withdrawn_toewijzing_is_not_expected_and_others_are_filtered(provider):
    ib1_assignment(provider, status=Assignment.Status.WITHDRAWN)
    kept = ib1_assignment(provider)
    other = billable_provider()
    ib1_assignment(other)

    assert _expected(provider_id=provider.pk) == IB1_MONTH_CENTS
    assert _expected(product_id=kept.product_id) == 2 * IB1_MONTH_CENTS
    assert _expected(month=date(2027, 9, 1)) == 0  # after the einddatum


def test_paid_and_expected_per_provider_and_month_after_a_declaratie(provider):
    first, second = ib1_assignment(provider), ib1_assignment(provider)
    debit = line(first)
    submit(declaratie(debit, line(second)), provider)

    per_provider = spending.paid_and_expected(2026, per="provider")
    per_month = spending.paid_and_expected(2026, per="month")

    # September to December of two toewijzingen are expected; October of both is paid.
    assert per_provider[provider.pk].expected_cents == 2 * 4 * IB1_MONTH_CENTS
    assert per_provider[provider.pk].paid_cents == 2 * IB1_MONTH_CENTS
    assert per_month[OCTOBER].paid_share == 100.0
    assert per_month[date(2026, 11, 1)].paid_cents == 0
    assert per_month[date(2026, 11, 1)].difference_cents == -2 * IB1_MONTH_CENTS

    # A credit in a later declaratie takes the paid amount of its own month down, exactly once.
    submit(declaratie(credit_of(debit)), provider)
    submit(declaratie(credit_of(debit)), provider)
    assert spending.paid_and_expected(2026, per="provider")[provider.pk].paid_cents == IB1_MONTH_CENTS

    municipality = get_municipality()
    assert spending.paid_and_expected(2026, per="municipality")[municipality.pk].paid_cents == IB1_MONTH_CENTS


@pytest.mark.parametrize(("ceiling", "level"), [(100_000, 0), (45_000, 80), (36_580, 100), (30_000, 100)])
def test_budget_use_reaches_the_thresholds(provider, ceiling, level):
    submit(declaratie(line(ib1_assignment(provider))), provider)
    contract = Contract.objects.get(provider=provider)
    services.set_contract_budget(contract, year=2026, amount_cents=ceiling, by=None)
    services.set_contract_budget(contract, year=2027, amount_cents=1, by=None)

    [use] = spending.budget_use(2026)

    assert use.budget.contract == contract
    assert use.paid_cents == IB1_MONTH_CENTS
    assert use.level == level
    assert round(use.share, 2) == round(IB1_MONTH_CENTS * 100 / ceiling, 2)
    assert ContractBudget.objects.count() == 2


def test_a_provider_whose_lines_are_rejected_far_more_often_stands_out(provider, settings):
    settings.BILLING = {**settings.BILLING, "OUTLIER": {"MIN_LINES": 4, "FACTOR": 2.0}}
    careful = billable_provider()
    careful_lines = [line(ib1_assignment(careful)) for _ in range(8)]
    careful_lines[0] = line(ib1_assignment(careful), volume=3, amount_cents=3 * IB1_MONTH_CENTS)  # TR321
    submit(declaratie(*careful_lines), careful)
    sloppy_lines = [line(ib1_assignment(provider)) for _ in range(4)]
    sloppy_lines[:3] = [line(ib1_assignment(provider), volume=3, amount_cents=3 * IB1_MONTH_CENTS) for _ in range(3)]
    submit(declaratie(*sloppy_lines), provider)

    rows = {row.provider_id: row for row in spending.providers_standing_out(2026)}

    assert (rows[provider.pk].lines, rows[provider.pk].rejected, rows[provider.pk].beyond_assignment) == (4, 3, 3)
    assert rows[provider.pk].stands_out is True
    assert (rows[careful.pk].rejected, rows[careful.pk].stands_out) == (1, False)
    assert rows[provider.pk].rejection_rate == 75.0
    # The monitor's table reads the counts the refresh stored: the same providers and figures.
    refresh_monitor(today=date(2026, 12, 31), first_year=2026)
    table = money.providers_standing_out(Selection(), 2026)
    assert [row[0] for row in table.rows] == sorted([provider.name, careful.name])
    assert {row[0]: row[1:] for row in table.rows}[provider.name] == [4, 3, 75.0, 3, 75.0, "ja"]
    assert money.providers_standing_out(Selection(provider=careful), 2026).rows == [
        [careful.name, 8, 1, 12.5, 1, 12.5, "nee"]
    ]


def test_the_monitor_tables_show_euros_per_provider_and_the_budget_signal(provider):
    submit(declaratie(line(ib1_assignment(provider))), provider)
    services.set_contract_budget(Contract.objects.get(provider=provider), year=2026, amount_cents=40_000, by=None)
    refresh_monitor(today=date(2026, 12, 31), first_year=2026)  # the year is over
    cube = money.cube(Selection(), 2026)

    per_provider = money.paid_against_expected(cube, 2026, per="provider")
    per_month = money.paid_against_expected(cube, 2026, per="month")
    budgets = money.budget_use(Selection(), 2026)

    expected = Decimal(4 * IB1_MONTH_CENTS) / 100
    paid = Decimal(IB1_MONTH_CENTS) / 100
    assert per_provider.rows == [[provider.name, expected, paid, paid - expected, 25.0]]
    assert [row[0] for row in per_month.rows] == ["september 2026", "oktober 2026", "november 2026", "december 2026"]
    assert budgets.rows[0][0] == provider.name
    assert budgets.rows[0][-1] == "80% bereikt"
    # With the page's cube the budgets read what was paid from it: the same rows, one query less
    # (the stored cells of the year).
    with CaptureQueriesContext(connection) as alone:
        money.budget_use(Selection(), 2026)
    with CaptureQueriesContext(connection) as with_cube:
        assert money.budget_use(Selection(), 2026, cube).rows == budgets.rows
    assert len(with_cube) == len(alone) - 1
    # A selection on a product: the cube holds that product's money only, so the budgets read their own.
    product = Assignment.objects.get().product
    product_cube = money.cube(Selection(product=product), 2026)
    with CaptureQueriesContext(connection) as own:
        assert money.budget_use(Selection(product=product), 2026, product_cube).rows == budgets.rows
    assert len(own) == len(alone)


def test_expected_up_to_a_day_counts_the_current_month_for_its_days_so_far(provider):
    ib1_assignment(provider)  # from 1 September 2026

    until_15_october = spending.expected_in_year(2026, until=date(2026, 10, 15))

    per_month = {key[0]: cents for key, cents in until_15_october.items()}
    assert per_month[date(2026, 9, 1)] == IB1_MONTH_CENTS
    assert per_month[date(2026, 10, 1)] == round(IB1_MONTH_CENTS * 15 / 31)
    assert date(2026, 11, 1) not in per_month and date(2026, 12, 1) not in per_month
    # On the last day of the month the month is whole.
    assert _expected(until=date(2026, 10, 31)) == IB1_MONTH_CENTS


def test_the_monitor_expects_the_current_month_up_to_its_refresh(provider):
    ib1_assignment(provider)
    refresh_monitor(today=date(2026, 12, 15), first_year=2026)

    per_month = money.cube(Selection(), 2026).per("month")

    assert per_month[date(2026, 11, 1)].expected_cents == IB1_MONTH_CENTS
    assert per_month[date(2026, 12, 1)].expected_cents == round(IB1_MONTH_CENTS * 15 / 31)


def test_the_monitor_reads_the_money_the_refresh_stored(provider, django_assert_num_queries):
    assignment = ib1_assignment(provider)
    submit(declaratie(line(assignment)), provider)
    today = date(2026, 12, 15)
    refresh_monitor(today=today, first_year=2026)
    live = spending.MoneyCube.of(2026, until=today)
    municipality = assignment.indication.client.municipality
    with django_assert_num_queries(1):
        stored = money.cube(Selection(), 2026)
    for per in spending.GROUPS:
        assert stored.per(per) == live.per(per)
    assert money.cube(Selection(municipality=municipality), 2026).per("provider") == live.per("provider")
    assert money.cube(Selection(product=assignment.product), 2026).per("month") == live.per("month")
    assert money.cube(Selection(provider=provider), 2026).per("month") == live.per("month")
    assert money.cube(Selection(municipality=get_municipality("Sliedrecht")), 2026).per("month") == {}
    # A toewijzing after the refresh counts from the next one on.
    ib1_assignment(provider)
    assert money.cube(Selection(), 2026).per("provider") == live.per("provider")
    refresh_monitor(today=today, first_year=2026)
    assert money.cube(Selection(), 2026).per("provider") == spending.MoneyCube.of(2026, until=today).per("provider")
    assert money.cube(Selection(), 2026).per("provider") != live.per("provider")
