"""The money sums: paid per toewijzing, provider and month summed from the accepted prestaties
(debits minus credits), and the reconciliation per provider per month with the Dutch meaning of
each retourcode."""

from datetime import date

import pytest

from billing import selectors
from tests.billing.declaraties import (
    IB1_MONTH_CENTS,
    billable_provider,
    credit_of,
    declaratie,
    ib1_assignment,
    line,
    submit,
)

pytestmark = pytest.mark.django_db

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
SEPTEMBER = {"period_start": date(2026, 9, 1), "period_end": date(2026, 9, 30)}


def test_paid_per_toewijzing_provider_and_month(provider):
    first, second = ib1_assignment(provider), ib1_assignment(provider)
    other_provider = billable_provider()
    foreign = ib1_assignment(other_provider)
    october_debit = line(first)
    submit(declaratie(october_debit, line(second), line(first, **SEPTEMBER)), provider)
    submit(declaratie(line(foreign)), other_provider)
    submit(declaratie(credit_of(october_debit), period=NOVEMBER), provider, today=date(2026, 12, 1))

    assert selectors.paid_per_assignment([first.pk, second.pk, foreign.pk]) == {
        first.pk: IB1_MONTH_CENTS,  # two debits, one credited
        second.pk: IB1_MONTH_CENTS,
        foreign.pk: IB1_MONTH_CENTS,
    }
    assert selectors.paid_cents(provider=provider) == 2 * IB1_MONTH_CENTS
    assert selectors.paid_cents(assignment=first) == IB1_MONTH_CENTS
    rows = [(r["provider_id"], r["month"], r["paid"]) for r in selectors.paid_per_provider_month(year=2026)]
    assert rows == [
        (provider.pk, date(2026, 10, 1), 3 * IB1_MONTH_CENTS),
        (provider.pk, date(2026, 11, 1), -IB1_MONTH_CENTS),
        (other_provider.pk, date(2026, 10, 1), IB1_MONTH_CENTS),
    ]


def test_rejected_lines_are_never_paid(provider):
    assignment = ib1_assignment(provider)
    submit(declaratie(line(assignment, amount_cents=5)), provider)
    assert selectors.paid_cents(provider=provider) == 0
    assert selectors.paid_per_assignment([assignment.pk]) == {}


def test_reconciliation_per_provider_per_month_by_retourcode(provider):
    assignment = ib1_assignment(provider)
    good = line(assignment)
    wrong_amount = line(assignment, amount_cents=100, **SEPTEMBER)
    unknown = line(assignment, assignment_number="9999999999", reference="X-UNKNOWN")
    submit(declaratie(good, wrong_amount, unknown), provider)
    submit(declaratie(line(assignment, assignment_number="9999999998")), provider, identification="second")

    result = selectors.reconciliation(provider, month=date(2026, 10, 15))
    assert result.declaraties == 2
    assert (result.lines, result.accepted_lines) == (4, 1)
    assert result.submitted_cents == 3 * IB1_MONTH_CENTS + 100
    assert result.accepted_cents == IB1_MONTH_CENTS
    assert result.rejected_cents == 2 * IB1_MONTH_CENTS + 100
    assert [(r.code, r.lines, r.cents) for r in result.rejected_by_code] == [
        ("9338", 2, 2 * IB1_MONTH_CENTS),
        ("9346", 1, 100),
    ]
    assert result.rejected_by_code[0].meaning.startswith("Niet iedere prestatie in een declaratiebericht")

    rows = list(selectors.reconciliation_rows(year=2026))
    assert [(r["provider_id"], r["month"], r["lines"], r["accepted_cents"], r["rejected_cents"]) for r in rows] == [
        (provider.pk, date(2026, 10, 1), 4, IB1_MONTH_CENTS, 2 * IB1_MONTH_CENTS + 100)
    ]


def test_an_empty_month_reconciles_to_zero(provider):
    result = selectors.reconciliation(provider, month=date(2026, 1, 1))
    assert (result.declaraties, result.lines, result.submitted_cents, result.rejected_by_code) == (0, 0, 0, ())
