"""The signal on a contract's yearly budget (signals.checks.budget_threshold): raised at 80 % of
the ceiling, moved to 100 % (the 80 % one lapses), about the contract and not a client, so no
consultant's worklist holds it and a client's recheck leaves it alone."""

from datetime import date

import pytest

from billing import services
from providers.models import Contract
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.selectors import open_sla_signals_for, signals_for
from signals.services import recheck_client, run_check
from tests.billing.declaraties import IB1_MONTH_CENTS, billable_provider, declaratie, ib1_assignment, line, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 2)
CHECK = CHECKS_BY_NAME["budgetplafond"]


def _budget_signals():
    return list(Signal.objects.filter(type=SignalType.BUDGET_THRESHOLD).values_list("variant", "status", "urgency"))


def test_the_budget_signal_is_raised_at_80_and_moves_to_100_percent():
    provider = billable_provider()
    contract = Contract.objects.get(provider=provider)
    services.set_contract_budget(contract, year=2026, amount_cents=2 * IB1_MONTH_CENTS, by=None)
    first, second = ib1_assignment(provider), ib1_assignment(provider)

    run_check(CHECK, today=TODAY, force=True)
    assert _budget_signals() == []  # nothing paid yet

    submit(declaratie(line(first), line(second, volume=1)), provider)  # 100 % of the ceiling
    services.set_contract_budget(contract, year=2026, amount_cents=int(2.4 * IB1_MONTH_CENTS), by=None)
    run_check(CHECK, today=TODAY, force=True)
    assert _budget_signals() == [(80, SignalStatus.OPEN, Urgency.WARNING)]
    signal = Signal.objects.get(type=SignalType.BUDGET_THRESHOLD)
    assert (signal.client_id, signal.team_id, signal.assigned_to_id, signal.provider_id) == (
        None,
        None,
        None,
        provider.pk,
    )

    services.set_contract_budget(contract, year=2026, amount_cents=2 * IB1_MONTH_CENTS, by=None)
    run_check(CHECK, today=TODAY + date.resolution, force=True)
    assert sorted(_budget_signals()) == [
        (80, SignalStatus.LAPSED, Urgency.WARNING),
        (100, SignalStatus.OPEN, Urgency.OVERDUE),
    ]

    # Contract management sees it with the provider; no consultant or team list holds it.
    assert list(open_sla_signals_for(provider).values_list("type", flat=True)) == [SignalType.BUDGET_THRESHOLD]
    assert not signals_for(UserFactory()).exists()
    assert not signals_for(UserFactory(), team_view=True, everything=True).exists()

    # A client's recheck does not touch a signal about a contract.
    recheck_client(first.indication.client_id, TODAY + date.resolution)
    assert sorted(_budget_signals())[1] == (100, SignalStatus.OPEN, Urgency.OVERDUE)


def test_a_budget_of_another_year_or_under_80_percent_raises_nothing():
    provider = billable_provider()
    contract = Contract.objects.get(provider=provider)
    services.set_contract_budget(contract, year=2027, amount_cents=IB1_MONTH_CENTS, by=None)
    services.set_contract_budget(contract, year=2026, amount_cents=10 * IB1_MONTH_CENTS, by=None)
    submit(declaratie(line(ib1_assignment(provider))), provider)

    run_check(CHECK, today=TODAY, force=True)

    assert _budget_signals() == []
