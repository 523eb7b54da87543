"""A user's change resolves (or raises) that client's signals at once: the case-file services call
the hook in indications.hooks, which the signal engine registered at start-up."""

from datetime import timedelta

import pytest
from django.db import DatabaseError

from indications import hooks
from indications import services as indication_services
from indications.models import Aanvraag, ComplexityRule, OtherProvision
from providers import services as provider_services
from signals import services as signal_services
from signals.checks import CHECKS, CHECKS_BY_NAME, HOUSEHOLD
from signals.models import Signal, SignalStatus, SignalType
from signals.services import recheck_client, run_check
from tests.factories import (
    TODAY,
    AssignmentFactory,
    ClientFactory,
    IndicationFactory,
    MeldingFactory,
    OtherProvisionFactory,
    ProviderFactory,
    build_case_file,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> timedelta:
    return timedelta(days=n)


def run(name, today=TODAY):
    return run_check(CHECKS_BY_NAME[name], today=today, force=True)


def status_of(signal: Signal) -> str:
    signal.refresh_from_db()
    return signal.status


def test_the_signal_engine_registers_its_hook_at_start_up():
    assert recheck_client in hooks.case_changed_hook.callbacks


def test_issuing_the_beschikking_resolves_the_deadline_signal_at_once(consultant):
    ComplexityRule.objects.update(is_active=False)  # about the vaststelling, not four eyes
    case = build_case_file(consultant=consultant)
    Aanvraag.objects.filter(pk=case.aanvraag.pk).update(received_on=TODAY - days(10))
    run("termijn_beschikking")
    signal = Signal.objects.get(type=SignalType.BESCHIKKING_DEADLINE)
    indication_services.issue_beschikking(case.indication, by=consultant, today=TODAY)
    assert status_of(signal) == SignalStatus.LAPSED and signal.closed_on == TODAY
    assert run("termijn_beschikking", TODAY + days(1)).lapsed == 0


def test_a_care_stop_resolves_and_the_recheck_is_limited_to_that_client(consultant):
    start = TODAY - days(100)
    mine, other = (
        AssignmentFactory(
            indication=IndicationFactory(
                actief=True, consultant=consultant, start_date=start, end_date=start + days(364), evaluations=[]
            ),
            provider=ProviderFactory(),
            assigned_on=start,
            start_date=start,
            care_started_on=start,
            end_date=TODAY - days(30),
        )
        for _ in range(2)
    )
    run("zorg_na_einde")
    signals = {s.assignment_id: s for s in Signal.objects.filter(type=SignalType.CARE_AFTER_END)}
    assert set(signals) == {mine.pk, other.pk}
    provider_services.record_care_stop(mine, on=TODAY - days(30), reason="19", by=None, today=TODAY)
    assert status_of(signals[mine.pk]) == SignalStatus.LAPSED
    assert status_of(signals[other.pk]) == SignalStatus.OPEN


def test_a_change_that_causes_a_condition_raises_its_signal_at_once(consultant):
    assignment = AssignmentFactory(
        indication__consultant=consultant,
        indication__start_date=TODAY - days(30),
        start_date=TODAY - days(30),
        assigned_on=TODAY - days(30),
    )
    client = assignment.indication.client
    indication_services.record_other_provision(
        client=client, kind=OtherProvision.Kind.values[0], start_date=TODAY - days(5), by=consultant
    )
    # record_other_provision rechecks on the real clock, which is after TODAY: the stacking holds then too.
    assert Signal.objects.filter(type=SignalType.STACKING, client=client, status=SignalStatus.OPEN).exists()


def test_a_failing_recheck_never_fails_the_users_change(consultant, monkeypatch):
    melding = MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
    run("termijn_onderzoek")
    signal = Signal.objects.get(type=SignalType.ONDERZOEK_DEADLINE)

    def broken(*args, **kwargs):
        raise DatabaseError("lock timeout")

    monkeypatch.setattr(signal_services, "_synchronise_client", broken)
    indication_services.conclude_intake(
        melding.intake,
        by=consultant,
        conclusion="eigen_kracht",
        concluded_on=TODAY,
        report="Netwerk helpt.",
        no_conversation_reason="Telefonisch afgehandeld.",
        persoonlijk_plan_not_received=True,
        today=TODAY,
    )
    melding.intake.refresh_from_db()
    assert melding.intake.concluded_on == TODAY
    assert status_of(signal) == SignalStatus.OPEN  # left to the nightly run, which catches up
    monkeypatch.undo()
    assert run("termijn_onderzoek", TODAY + days(1)).lapsed == 1


def test_a_clients_conditions_are_the_whole_sets_rows_of_that_client(consultant):
    """Every check's per-client query (zorgstapeling has its own) gives exactly that client's rows of
    the whole condition set, households included."""

    def ib(client):
        AssignmentFactory(
            indication=IndicationFactory(
                actief=True, consultant=consultant, client=client, start_date=TODAY - days(30), evaluations=[]
            ),
            start_date=TODAY - days(30),
            assigned_on=TODAY - days(30),
        )

    alone, with_provision, housemate_ib, elsewhere = (ClientFactory() for _ in range(4))
    housemate_provision = ClientFactory(house_number=housemate_ib.house_number)  # the same address
    for client in (alone, with_provision, housemate_ib, elsewhere):
        ib(client)
    OtherProvisionFactory(client=with_provision)
    OtherProvisionFactory(client=housemate_provision)
    MeldingFactory(client=elsewhere, consultant=consultant, received_on=TODAY - days(40))
    for check in CHECKS:
        whole = [row for row in check.conditions(TODAY)]
        for client in (alone, with_provision, housemate_ib, housemate_provision, elsewhere):
            mine = sorted(map(sorted_row, check.conditions_of_client(TODAY, client.pk)))
            assert mine == sorted(sorted_row(row) for row in whole if row["sig_client"] == client.pk), check.name
        # A batch's recheck asks for several clients in one query: the same rows as one by one.
        some = [alone.pk, housemate_ib.pk, housemate_provision.pk, elsewhere.pk]
        together = sorted(map(sorted_row, check.conditions_of_clients(TODAY, some)))
        assert together == sorted(sorted_row(row) for row in whole if row["sig_client"] in some), check.name
    stacking = CHECKS_BY_NAME["zorgstapeling"]
    # IB with a housemate who has a provision: the household bit; alone at an address: nothing.
    assert [row["sig_variant"] for row in stacking.conditions_of_client(TODAY, housemate_ib.pk)] == [HOUSEHOLD]
    assert list(stacking.conditions_of_client(TODAY, alone.pk)) == []


def sorted_row(row: dict) -> tuple:
    return tuple(sorted((key, str(value)) for key, value in row.items()))


def test_a_recheck_runs_a_fixed_number_of_queries(consultant, django_assert_max_num_queries):
    """Two reads of the client's signals, then one condition query per check: no writes and no calendar
    updates when nothing changed and the client has no open signals."""
    # (Past the persoonlijk plan's 7 days: within them the melding has its open signal.)
    client = MeldingFactory(consultant=consultant, received_on=TODAY - days(10)).client
    with django_assert_max_num_queries(2 + len(CHECKS) + 2):  # and the savepoint
        recheck_client(client.pk, TODAY)
