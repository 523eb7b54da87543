"""The signal checks, one by one: each fires exactly from its boundary date (not the day
before), carries the right consultant, team, links, due date and urgency, and lapses (vervallen,
with a history row) on the next run once its condition has cleared.

TODAY (2026-11-23) is a Monday; the provider SLA checks count working days around it.
The engine's generic guarantees (no duplicates, a closed signal stays closed) are played for every
type in test_engine.py."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Team
from indications import four_eyes
from indications import services as indication_services
from indications.models import Evaluation, IndicationStatus, Intake, OtherProvision, Review, ZrmDomain
from providers import services as provider_services
from providers.codes import RedenBeeindiging
from providers.models import Assignment
from signals.checks import (
    CHECKS_BY_NAME,
    HOUSEHOLD,
    KIND_BITS,
    MORE_THAN_ONE_IB,
    clients_with_stacking,
    describe_stacking,
    working_days_after,
    working_days_before,
)
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.selectors import signals_for
from signals.services import move_signal, run_check
from tests.factories import (
    TODAY,
    AanvraagFactory,
    AssignmentFactory,
    ClientFactory,
    EvaluationFactory,
    IndicationFactory,
    IntakeFactory,
    MeldingFactory,
    OtherProvisionFactory,
    PlannedEvaluationFactory,
    ProviderFactory,
    TeamFactory,
    get_municipality,
    get_product,
)

pytestmark = pytest.mark.django_db

MONDAY = TODAY
assert MONDAY.weekday() == 0


def days(n: int) -> timedelta:
    return timedelta(days=n)


def run(name: str, today: date):
    return run_check(CHECKS_BY_NAME[name], today=today, force=True)


def signals_of(signal_type: str) -> list[Signal]:
    return list(Signal.objects.filter(type=signal_type).order_by("pk"))


def the_signal(signal_type: str) -> Signal:
    (signal,) = signals_of(signal_type)
    return signal


def assert_raised(signal: Signal, *, on: date):
    assert signal.status == SignalStatus.OPEN
    assert signal.created_on == on
    assert signal.closed_on is None
    assert [(e.from_status, e.to_status, e.by) for e in signal.history.all()] == [("", SignalStatus.OPEN, None)]


def assert_lapsed(signal: Signal, *, on: date, was: str = SignalStatus.OPEN):
    signal.refresh_from_db()
    assert signal.status == SignalStatus.LAPSED
    assert signal.closed_on == on
    last = signal.history.last()
    assert (last.from_status, last.to_status, last.by) == (was, SignalStatus.LAPSED, None)
    assert "Automatisch vervallen" in last.note


@pytest.fixture
def team(consultant):
    """The consultant fixture's team, which works for Dordrecht (the factories' municipality)."""
    return Team.objects.get(name="Team Dordrecht")


def active_indication(consultant, **fields):
    return IndicationFactory(actief=True, consultant=consultant, evaluations=[], **fields)


# -- teams ---------------------------------------------------------------------------------------


def test_the_team_is_the_one_working_for_the_clients_municipality(consultant, team):
    zwijndrecht_team = TeamFactory(name="Team Zwijndrecht", municipalities=["Zwijndrecht"])
    TeamFactory(name="Team Papendrecht", municipalities=["Papendrecht"])
    in_dordrecht = MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
    in_zwijndrecht = MeldingFactory(
        consultant=consultant, received_on=TODAY - days(40), client__municipality=get_municipality("Zwijndrecht")
    )
    nowhere = MeldingFactory(
        consultant=consultant, received_on=TODAY - days(40), client__municipality=get_municipality("Sliedrecht")
    )
    assert run("termijn_onderzoek", TODAY).created == 3
    team_of = {s.melding_id: s.team for s in signals_of(SignalType.ONDERZOEK_DEADLINE)}
    assert team_of == {in_dordrecht.pk: team, in_zwijndrecht.pk: zwijndrecht_team, nowhere.pk: None}


# -- 1. evaluation overdue -------------------------------------------------------------------------


class TestEvaluationOverdue:
    def test_fires_the_day_after_the_planned_date(self, consultant, team):
        indication = active_indication(consultant)
        planned = PlannedEvaluationFactory(indication=indication, planned_on=TODAY)
        assert run("evaluatie_te_laat", TODAY).created == 0
        assert signals_of(SignalType.EVALUATION_OVERDUE) == []

        assert run("evaluatie_te_laat", TODAY + days(1)).created == 1
        signal = the_signal(SignalType.EVALUATION_OVERDUE)
        assert_raised(signal, on=TODAY + days(1))
        assert (signal.subject_id, signal.variant) == (planned.pk, 0)
        assert signal.due_date == TODAY
        assert signal.urgency == Urgency.OVERDUE
        assert signal.escalated_on is None
        assert signal.assigned_to == consultant
        assert signal.team == team
        assert signal.client == indication.client
        assert signal.indication == indication
        assert (signal.melding, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)

    def test_each_missed_evaluation_is_its_own_signal(self, consultant):
        indication = active_indication(consultant)
        first = PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(20))
        second = PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(2))
        PlannedEvaluationFactory(indication=indication, planned_on=TODAY + days(30))
        assert run("evaluatie_te_laat", TODAY).created == 2
        assert {s.subject_id for s in signals_of(SignalType.EVALUATION_OVERDUE)} == {first.pk, second.pk}

    @pytest.mark.parametrize("state", ["vastgesteld", "beeindigd", "ingetrokken"])
    def test_only_for_an_active_beschikking(self, consultant, state):
        indication = IndicationFactory(consultant=consultant, evaluations=[], **{state: True})
        PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(10))
        assert run("evaluatie_te_laat", TODAY).created == 0

    def test_an_evaluation_long_overdue_is_escalated_when_first_raised(self, consultant):
        indication = active_indication(consultant)
        PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(14))
        PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(15))
        run("evaluatie_te_laat", TODAY)
        escalated = {s.due_date: s.escalated_on for s in signals_of(SignalType.EVALUATION_OVERDUE)}
        assert escalated == {TODAY - days(14): None, TODAY - days(15): TODAY}

    def test_lapses_when_the_evaluation_is_recorded(self, consultant):
        indication = active_indication(consultant)
        PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(3))
        run("evaluatie_te_laat", TODAY)
        signal = the_signal(SignalType.EVALUATION_OVERDUE)

        indication_services.record_evaluation(
            indication,
            by=consultant,
            held_on=TODAY,
            outcome=Evaluation.Outcome.CONTINUE,
            zrm_scores={domain: 3 for domain in ZrmDomain.objects.filter(is_active=True)},
            progress={result.pk: ("deels", "") for result in indication.results.all()},
            next_evaluation_on=TODAY + days(91),
            today=TODAY,
        )
        # The service rechecked the client at once; the nightly run finds nothing left to do.
        assert_lapsed(signal, on=TODAY)
        outcome = run("evaluatie_te_laat", TODAY + days(1))
        assert (outcome.created, outcome.lapsed) == (0, 0)

    def test_lapses_when_the_beschikking_ends(self, consultant):
        indication = active_indication(consultant)
        PlannedEvaluationFactory(indication=indication, planned_on=TODAY - days(3))
        run("evaluatie_te_laat", TODAY)
        indication.status, indication.ended_on = IndicationStatus.BEEINDIGD, TODAY
        indication.save()
        assert run("evaluatie_te_laat", TODAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.EVALUATION_OVERDUE), on=TODAY + days(1))


# -- 2. beschikking expiring -----------------------------------------------------------------------


class TestBeschikkingExpiring:
    def test_fires_56_days_before_the_end(self, consultant, team):
        indication = active_indication(consultant, end_date=TODAY + days(57))
        assert run("beschikking_loopt_af", TODAY).created == 0
        assert run("beschikking_loopt_af", TODAY + days(1)).created == 1
        signal = the_signal(SignalType.BESCHIKKING_EXPIRING)
        assert_raised(signal, on=TODAY + days(1))
        assert (signal.subject_id, signal.variant) == (indication.pk, 0)
        assert signal.due_date == indication.end_date
        assert signal.urgency == Urgency.WARNING
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.indication) == (indication.client, indication)
        assert (signal.melding, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)

    def test_the_window_follows_the_settings(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "EXPIRING_WITHIN_DAYS": 28}
        active_indication(consultant, end_date=TODAY + days(29))
        assert run("beschikking_loopt_af", TODAY).created == 0
        assert run("beschikking_loopt_af", TODAY + days(1)).created == 1

    def test_not_for_a_beschikking_that_is_not_active(self, consultant):
        IndicationFactory(
            vastgesteld=True, consultant=consultant, start_date=TODAY - days(10), end_date=TODAY + days(20)
        )
        assert run("beschikking_loopt_af", TODAY).created == 0

    def test_an_evaluation_in_the_window_counts_as_follow_up(self, consultant):
        recent = active_indication(consultant, end_date=TODAY + days(30))
        EvaluationFactory(indication=recent, held_on=TODAY - days(56))
        older = active_indication(consultant, end_date=TODAY + days(30))
        EvaluationFactory(indication=older, held_on=TODAY - days(57))
        run("beschikking_loopt_af", TODAY)
        assert [s.indication for s in signals_of(SignalType.BESCHIKKING_EXPIRING)] == [older]

    def test_a_withdrawn_follow_up_does_not_count(self, consultant):
        indication = active_indication(consultant, end_date=TODAY + days(30))
        IndicationFactory(
            client=indication.client,
            replaces=indication,
            consultant=consultant,
            ingetrokken=True,
            kind="herindicatie",
            start_date=indication.end_date + days(1),
        )
        assert run("beschikking_loopt_af", TODAY).created == 1

    def test_lapses_when_a_follow_up_beschikking_is_made(self, consultant):
        indication = active_indication(consultant, end_date=TODAY + days(30))
        run("beschikking_loopt_af", TODAY)
        IndicationFactory(
            client=indication.client,
            replaces=indication,
            consultant=consultant,
            kind="herindicatie",
            start_date=indication.end_date + days(1),
        )
        assert run("beschikking_loopt_af", TODAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.BESCHIKKING_EXPIRING), on=TODAY + days(1))

    def test_lapses_when_an_evaluation_is_held(self, consultant):
        indication = active_indication(consultant, end_date=TODAY + days(30))
        run("beschikking_loopt_af", TODAY)
        EvaluationFactory(indication=indication, held_on=TODAY + days(2))
        assert run("beschikking_loopt_af", TODAY + days(2)).lapsed == 1
        assert_lapsed(the_signal(SignalType.BESCHIKKING_EXPIRING), on=TODAY + days(2))


# -- 3. legal deadlines ----------------------------------------------------------------------------


class TestOnderzoekDeadline:
    def test_warns_7_days_before_the_6_weeks_are_over(self, consultant, team):
        melding = MeldingFactory(consultant=consultant, received_on=TODAY - days(34))
        assert run("termijn_onderzoek", TODAY).created == 0
        assert run("termijn_onderzoek", TODAY + days(1)).created == 1
        signal = the_signal(SignalType.ONDERZOEK_DEADLINE)
        assert_raised(signal, on=TODAY + days(1))
        assert (signal.subject_id, signal.variant) == (melding.pk, 0)
        assert signal.due_date == melding.received_on + days(42) == TODAY + days(8)
        assert signal.urgency == Urgency.WARNING
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.melding) == (melding.client, melding)
        assert (signal.indication, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)

    @pytest.mark.parametrize("days_ago, urgency", [(42, Urgency.WARNING), (43, Urgency.OVERDUE)])
    def test_raised_as_passed_the_day_after_the_deadline(self, consultant, days_ago, urgency):
        MeldingFactory(consultant=consultant, received_on=TODAY - days(days_ago))
        run("termijn_onderzoek", TODAY)
        assert the_signal(SignalType.ONDERZOEK_DEADLINE).urgency == urgency

    def test_the_deadline_follows_the_settings(self, consultant, settings):
        settings.SDD = {**settings.SDD, "ONDERZOEK_DEADLINE_DAYS": 56}
        settings.SIGNALS = {**settings.SIGNALS, "DEADLINE_WARN_DAYS": 3}
        melding = MeldingFactory(consultant=consultant, received_on=TODAY - days(52))
        assert run("termijn_onderzoek", TODAY).created == 0
        assert run("termijn_onderzoek", TODAY + days(1)).created == 1
        assert the_signal(SignalType.ONDERZOEK_DEADLINE).due_date == melding.received_on + days(56)

    def test_not_for_a_concluded_onderzoek(self, consultant):
        IntakeFactory(maatwerk=True, melding__consultant=consultant, melding__received_on=TODAY - days(60))
        assert run("termijn_onderzoek", TODAY).created == 0

    def test_lapses_when_the_onderzoek_is_concluded(self, consultant):
        melding = MeldingFactory(consultant=consultant, received_on=TODAY - days(40))
        run("termijn_onderzoek", TODAY)
        indication_services.conclude_intake(
            melding.intake,
            by=consultant,
            conclusion=Intake.Conclusion.OWN_STRENGTH,
            concluded_on=TODAY,
            report="Netwerk helpt met de post.",
            no_conversation_reason="Telefonisch afgehandeld.",
            persoonlijk_plan_not_received=True,
            today=TODAY,
        )
        # The service rechecked the client at once; the nightly run finds nothing left to do.
        assert_lapsed(the_signal(SignalType.ONDERZOEK_DEADLINE), on=TODAY)
        assert run("termijn_onderzoek", TODAY + days(1)).lapsed == 0


class TestBeschikkingDeadline:
    def test_warns_7_days_before_the_2_weeks_are_over(self, consultant, team):
        aanvraag = AanvraagFactory(consultant=consultant, received_on=TODAY - days(6))
        assert run("termijn_beschikking", TODAY).created == 0
        assert run("termijn_beschikking", TODAY + days(1)).created == 1
        signal = the_signal(SignalType.BESCHIKKING_DEADLINE)
        assert_raised(signal, on=TODAY + days(1))
        assert (signal.subject_id, signal.variant) == (aanvraag.pk, 0)
        assert signal.due_date == aanvraag.received_on + days(14) == TODAY + days(8)
        assert signal.urgency == Urgency.WARNING
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.aanvraag) == (aanvraag.client, aanvraag)
        assert (signal.indication, signal.melding, signal.assignment, signal.provider) == (None, None, None, None)

    @pytest.mark.parametrize("days_ago, urgency", [(14, Urgency.WARNING), (15, Urgency.OVERDUE)])
    def test_raised_as_passed_the_day_after_the_deadline(self, consultant, days_ago, urgency):
        AanvraagFactory(consultant=consultant, received_on=TODAY - days(days_ago))
        run("termijn_beschikking", TODAY)
        assert the_signal(SignalType.BESCHIKKING_DEADLINE).urgency == urgency

    def test_a_concept_is_no_beschikking_yet(self, consultant):
        aanvraag = AanvraagFactory(consultant=consultant, received_on=TODAY - days(10))
        IndicationFactory(client=aanvraag.client, aanvraag=aanvraag, consultant=consultant)
        assert run("termijn_beschikking", TODAY).created == 1

    def test_lapses_when_the_beschikking_is_decided(self, consultant):
        aanvraag = AanvraagFactory(consultant=consultant, received_on=TODAY - days(10))
        concept = IndicationFactory(client=aanvraag.client, aanvraag=aanvraag, consultant=consultant)
        run("termijn_beschikking", TODAY)
        concept.status, concept.decision_date, concept.number = IndicationStatus.VASTGESTELD, TODAY, "IB-T-1"
        concept.save()
        assert run("termijn_beschikking", TODAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.BESCHIKKING_DEADLINE), on=TODAY + days(1))


# -- 4. IB2 / IB0 too long ---------------------------------------------------------------------------


class TestProductTooLong:
    def test_an_open_ended_ib0_fires_the_day_after_26_weeks(self, consultant, team):
        start = TODAY - days(182)
        indication = active_indication(consultant, product=get_product("IB0"), start_date=start, end_date=None)
        assert run("product_te_lang", TODAY).created == 0
        assert run("product_te_lang", TODAY + days(1)).created == 1
        signal = the_signal(SignalType.PRODUCT_TOO_LONG)
        assert_raised(signal, on=TODAY + days(1))
        assert (signal.subject_id, signal.variant) == (indication.pk, 0)
        assert signal.due_date == start + timedelta(weeks=26) == TODAY
        assert signal.urgency == Urgency.OVERDUE
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.indication) == (indication.client, indication)
        assert (signal.melding, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)

    def test_an_ib2_planned_beyond_26_weeks_fires_at_once(self, consultant):
        start = TODAY - days(10)
        at_most = active_indication(
            consultant, product=get_product("IB2"), start_date=start, end_date=start + days(182)
        )
        beyond = active_indication(consultant, product=get_product("IB2"), start_date=start, end_date=start + days(183))
        run("product_te_lang", TODAY)
        signal = the_signal(SignalType.PRODUCT_TOO_LONG)
        assert signal.indication == beyond != at_most
        assert signal.due_date == start + days(182)

    def test_ib1_and_ib3_have_no_maximum(self, consultant):
        for code in ("IB1", "IB3"):
            active_indication(
                consultant, product=get_product(code), start_date=TODAY - days(400), end_date=TODAY + days(300)
            )
        assert run("product_te_lang", TODAY).created == 0

    def test_an_extension_with_the_same_product_counts_from_the_first_start(self, consultant):
        first = IndicationFactory(
            beeindigd=True,
            consultant=consultant,
            product=get_product("IB2"),
            start_date=TODAY - days(150),
            end_date=TODAY - days(31),
            ended_on=TODAY - days(31),
        )
        extension = active_indication(
            consultant,
            client=first.client,
            replaces=first,
            product=get_product("IB2"),
            start_date=TODAY - days(30),
            end_date=TODAY + days(60),
        )
        run("product_te_lang", TODAY)
        signal = the_signal(SignalType.PRODUCT_TOO_LONG)
        assert signal.indication == extension
        assert signal.due_date == first.start_date + days(182)

    def test_a_follow_up_of_another_product_starts_a_new_run(self, consultant):
        first = IndicationFactory(
            beeindigd=True,
            consultant=consultant,
            product=get_product("IB1"),
            start_date=TODAY - days(150),
            end_date=TODAY - days(31),
            ended_on=TODAY - days(31),
        )
        active_indication(
            consultant,
            client=first.client,
            replaces=first,
            product=get_product("IB2"),
            start_date=TODAY - days(30),
            end_date=TODAY + days(60),
        )
        assert run("product_te_lang", TODAY).created == 0

    def test_the_maxima_follow_the_settings(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "MAX_WEEKS": {"IB2": 8, "IB0": None}}
        start = TODAY - days(56)
        ib2 = active_indication(consultant, product=get_product("IB2"), start_date=start, end_date=start + days(56))
        active_indication(consultant, product=get_product("IB0"), start_date=TODAY - days(400), end_date=None)
        assert run("product_te_lang", TODAY).created == 0
        assert run("product_te_lang", TODAY + days(1)).created == 1
        assert the_signal(SignalType.PRODUCT_TOO_LONG).indication == ib2

    def test_no_maxima_no_signals(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "MAX_WEEKS": {"IB2": 0, "IB0": None}}
        active_indication(consultant, product=get_product("IB0"), start_date=TODAY - days(400), end_date=None)
        assert run("product_te_lang", TODAY).created == 0

    def test_lapses_when_the_end_date_is_brought_back(self, consultant):
        start = TODAY - days(10)
        indication = active_indication(
            consultant, product=get_product("IB2"), start_date=start, end_date=start + days(200)
        )
        run("product_te_lang", TODAY)
        indication.end_date = start + days(182)
        indication.save()
        assert run("product_te_lang", TODAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.PRODUCT_TOO_LONG), on=TODAY + days(1))


# -- 5. zorgstapeling ------------------------------------------------------------------------------


def client_at(house_number: str | None = None, **fields):
    """A client at an address of their own (as every ClientFactory client) unless a house number
    (in 3311 AA) is given."""
    return ClientFactory(**({"house_number": house_number} if house_number else {}), **fields)


def with_ib(client, consultant, **assignment_fields) -> Assignment:
    indication = active_indication(consultant, client=client)
    return AssignmentFactory(indication=indication, **assignment_fields)


def stacking_signals() -> dict[tuple[int, int], Signal]:
    return {(s.subject_id, s.variant): s for s in signals_of(SignalType.STACKING)}


DAGBESTEDING = KIND_BITS[OtherProvision.Kind.DAGBESTEDING]
WLZ = KIND_BITS[OtherProvision.Kind.WLZ]


class TestStacking:
    def test_ib_alone_is_no_stacking(self, consultant):
        with_ib(client_at(), consultant)
        OtherProvisionFactory(client=client_at())  # someone else, at another address, without IB
        assert run("zorgstapeling", TODAY).created == 0

    def test_ib_and_another_provision(self, consultant, team):
        client = client_at()
        assignment = with_ib(client, consultant)
        OtherProvisionFactory(client=client, start_date=TODAY + days(1))
        assert run("zorgstapeling", TODAY).created == 0
        assert run("zorgstapeling", TODAY + days(1)).created == 1
        signal = the_signal(SignalType.STACKING)
        assert_raised(signal, on=TODAY + days(1))
        assert (signal.subject_id, signal.variant) == (client.pk, DAGBESTEDING)
        assert signal.due_date == TODAY + days(1)
        assert signal.urgency == Urgency.ATTENTION
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.indication) == (client, assignment.indication)
        assert (signal.melding, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)
        parts, laws = describe_stacking(signal.variant)
        assert parts == [str(OtherProvision.Kind.DAGBESTEDING.label)]
        assert laws == ["wmo"]

    def test_every_kind_is_its_own_bit_and_two_of_one_kind_count_once(self, consultant):
        client = client_at()
        with_ib(client, consultant)
        OtherProvisionFactory(client=client)
        OtherProvisionFactory(client=client, start_date=TODAY - days(10))
        OtherProvisionFactory(client=client, kind=OtherProvision.Kind.WLZ)
        OtherProvisionFactory(client=client, kind=OtherProvision.Kind.BIJSTAND, end_date=TODAY - days(1))
        row = clients_with_stacking(TODAY).get(pk=client.pk)
        assert (row.ib_count, row.kinds_mask, row.household) == (1, DAGBESTEDING | WLZ, 0)
        run("zorgstapeling", TODAY)
        signal = the_signal(SignalType.STACKING)
        assert signal.variant == DAGBESTEDING | WLZ
        assert describe_stacking(signal.variant)[1] == ["wlz", "wmo"]
        assert len(set(KIND_BITS.values())) == len(OtherProvision.Kind.values)
        assert not set(KIND_BITS.values()) & {MORE_THAN_ONE_IB, HOUSEHOLD}

    def test_more_than_one_ib_toewijzing(self, consultant):
        client = client_at()
        first = with_ib(client, consultant)
        second = with_ib(client, consultant, start_date=TODAY + days(1))
        assert run("zorgstapeling", TODAY).created == 0
        run("zorgstapeling", TODAY + days(1))
        signal = the_signal(SignalType.STACKING)
        assert (signal.subject_id, signal.variant) == (client.pk, MORE_THAN_ONE_IB)
        # The consultant and beschikking of the latest live beschikking.
        assert first.indication.start_date == second.indication.start_date
        assert signal.indication == max(first.indication, second.indication, key=lambda i: i.pk)

    def test_ended_or_withdrawn_toewijzingen_do_not_count(self, consultant):
        client = client_at()
        with_ib(client, consultant)
        with_ib(client, consultant, end_date=TODAY - days(1))
        with_ib(client, consultant, status=Assignment.Status.WITHDRAWN)
        with_ib(client, consultant, status=Assignment.Status.ENDED)
        assert run("zorgstapeling", TODAY).created == 0

    def test_a_housemate_with_ib_or_another_provision(self, consultant):
        both_with_ib = client_at("7"), client_at("7")
        housemate_with_provision, with_ib_and_that_housemate = client_at("9"), client_at("9")
        housemate_without_care, with_ib_and_that_housemate_2 = client_at("11"), client_at("11")
        address_unknown = ClientFactory(house_number="11", postcode="")  # never anyone's housemate
        for client in (*both_with_ib, with_ib_and_that_housemate, with_ib_and_that_housemate_2, address_unknown):
            with_ib(client, consultant)
        OtherProvisionFactory(client=housemate_with_provision)
        assert housemate_without_care.other_provisions.count() == 0
        run("zorgstapeling", TODAY)
        assert set(stacking_signals()) == {
            (both_with_ib[0].pk, HOUSEHOLD),
            (both_with_ib[1].pk, HOUSEHOLD),
            (with_ib_and_that_housemate.pk, HOUSEHOLD),
        }
        parts, _laws = describe_stacking(HOUSEHOLD)
        assert parts == ["huisgenoot met IB of een andere voorziening"]

    def test_a_new_combination_is_a_new_signal(self, consultant):
        client = client_at()
        with_ib(client, consultant)
        OtherProvisionFactory(client=client)
        run("zorgstapeling", TODAY)
        first = the_signal(SignalType.STACKING)
        move_signal(
            first, to_status=SignalStatus.RESOLVED, by=consultant, note="Besproken met de aanbieders.", today=TODAY
        )
        with_ib(client, consultant, start_date=TODAY + days(1))
        outcome = run("zorgstapeling", TODAY + days(1))
        assert (outcome.created, outcome.lapsed) == (1, 0)
        signals = stacking_signals()
        assert set(signals) == {(client.pk, DAGBESTEDING), (client.pk, DAGBESTEDING | MORE_THAN_ONE_IB)}
        assert signals[(client.pk, DAGBESTEDING)].status == SignalStatus.RESOLVED
        assert signals[(client.pk, DAGBESTEDING | MORE_THAN_ONE_IB)].status == SignalStatus.OPEN

    def test_an_open_signal_of_the_old_combination_lapses(self, consultant):
        client = client_at()
        with_ib(client, consultant)
        OtherProvisionFactory(client=client)
        run("zorgstapeling", TODAY)
        old = the_signal(SignalType.STACKING)
        OtherProvisionFactory(client=client, kind=OtherProvision.Kind.WLZ, start_date=TODAY + days(1))
        outcome = run("zorgstapeling", TODAY + days(1))
        assert (outcome.created, outcome.lapsed) == (1, 1)
        assert_lapsed(old, on=TODAY + days(1))
        assert Signal.objects.get(type=SignalType.STACKING, status=SignalStatus.OPEN).variant == DAGBESTEDING | WLZ

    def test_a_combination_that_returns_is_signalled_again(self, consultant):
        """IB + dagbesteding, then a Wlz indication for a while: when the Wlz ends, IB + dagbesteding
        is stacked again. Its old signal only lapsed by itself, nobody closed it: it opens again."""
        client = client_at()
        with_ib(client, consultant)
        OtherProvisionFactory(client=client)
        wlz = OtherProvisionFactory(
            client=client, kind=OtherProvision.Kind.WLZ, start_date=TODAY + days(1), end_date=TODAY + days(9)
        )
        run("zorgstapeling", TODAY)
        run("zorgstapeling", TODAY + days(1))
        first = Signal.objects.get(type=SignalType.STACKING, variant=DAGBESTEDING)
        assert first.status == SignalStatus.LAPSED

        outcome = run("zorgstapeling", TODAY + days(10))
        assert wlz.end_date < TODAY + days(10)
        assert (outcome.created, outcome.lapsed) == (1, 1)
        first.refresh_from_db()
        assert (first.status, first.closed_on) == (SignalStatus.OPEN, None)
        assert [e.to_status for e in first.history.all()] == [
            SignalStatus.OPEN,
            SignalStatus.LAPSED,
            SignalStatus.OPEN,
        ]
        assert Signal.objects.get(variant=DAGBESTEDING | WLZ).status == SignalStatus.LAPSED

    def test_lapses_when_the_provision_ends(self, consultant):
        client = client_at()
        with_ib(client, consultant)
        OtherProvisionFactory(client=client, end_date=TODAY)
        assert run("zorgstapeling", TODAY).created == 1
        assert run("zorgstapeling", TODAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.STACKING), on=TODAY + days(1))

    def test_lapses_when_the_housemate_moves(self, consultant):
        client, housemate = client_at("21"), client_at("21")
        with_ib(client, consultant)
        OtherProvisionFactory(client=housemate)
        run("zorgstapeling", TODAY)
        signal = the_signal(SignalType.STACKING)
        assert (signal.subject_id, signal.variant) == (client.pk, HOUSEHOLD)
        housemate.house_number = "23"
        housemate.save()
        assert run("zorgstapeling", TODAY + days(1)).lapsed == 1
        assert_lapsed(signal, on=TODAY + days(1))


# -- 6. provider SLA -------------------------------------------------------------------------------


def toewijzing(consultant, *, start: date, provider=None, indication=None, **fields) -> Assignment:
    indication = indication or active_indication(consultant, start_date=start, end_date=start + days(364))
    return AssignmentFactory(
        indication=indication, provider=provider or ProviderFactory(), assigned_on=start, start_date=start, **fields
    )


class TestNoStartReported:
    def test_working_days_before(self):
        assert working_days_before(MONDAY, 5) == MONDAY - days(7)
        assert working_days_before(MONDAY + days(5), 5) == MONDAY  # from a Saturday
        assert working_days_before(MONDAY + days(6), 5) == MONDAY  # from a Sunday
        assert working_days_before(MONDAY + days(2), 0) == MONDAY + days(2)

    def test_fires_after_5_working_days(self, consultant, team):
        provider = ProviderFactory()
        assignment = toewijzing(consultant, start=MONDAY - days(7), provider=provider)
        assert run("geen_start_zorg", MONDAY).created == 0  # the 5th working day: still on time
        assert run("geen_start_zorg", MONDAY + days(1)).created == 1
        signal = the_signal(SignalType.NO_START_REPORTED)
        assert_raised(signal, on=MONDAY + days(1))
        assert (signal.subject_id, signal.variant) == (assignment.pk, 0)
        assert signal.due_date == assignment.assigned_on
        assert signal.urgency == Urgency.OVERDUE
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.indication) == (assignment.indication.client, assignment.indication)
        assert (signal.assignment, signal.provider) == (assignment, provider)
        assert (signal.melding, signal.aanvraag) == (None, None)

    def test_weekends_do_not_count(self, consultant):
        friday = MONDAY - days(3)
        toewijzing(consultant, start=friday)
        for today in (MONDAY + days(3), MONDAY + days(4)):  # Thursday, Friday: 4 and 5 working days
            assert run("geen_start_zorg", today).created == 0
        assert run("geen_start_zorg", MONDAY + days(5)).created == 1  # Saturday: the 5th working day is over

    def test_counted_from_a_later_start_date(self, consultant):
        indication = IndicationFactory(vastgesteld=True, consultant=consultant, start_date=MONDAY + days(7))
        AssignmentFactory(indication=indication, assigned_on=MONDAY - days(7))
        assert run("geen_start_zorg", MONDAY + days(14)).created == 0
        assert run("geen_start_zorg", MONDAY + days(15)).created == 1
        assert the_signal(SignalType.NO_START_REPORTED).due_date == MONDAY + days(7)

    def test_the_working_days_follow_the_settings(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "START_REPORT_WORKING_DAYS": 2}
        toewijzing(consultant, start=MONDAY)
        assert run("geen_start_zorg", MONDAY + days(2)).created == 0
        assert run("geen_start_zorg", MONDAY + days(3)).created == 1

    @pytest.mark.parametrize("status", [Assignment.Status.ENDED, Assignment.Status.WITHDRAWN])
    def test_not_for_a_toewijzing_that_is_no_longer_active(self, consultant, status):
        toewijzing(consultant, start=MONDAY - days(30), status=status)
        assert run("geen_start_zorg", MONDAY).created == 0

    def test_lapses_when_the_start_is_reported(self, consultant):
        assignment = toewijzing(consultant, start=MONDAY - days(14))
        run("geen_start_zorg", MONDAY)
        provider_services.record_care_start(assignment, on=MONDAY - days(14), by=None, today=MONDAY + days(1))
        # The service rechecked the client at once; the nightly run finds nothing left to do.
        assert_lapsed(the_signal(SignalType.NO_START_REPORTED), on=MONDAY + days(1))
        assert run("geen_start_zorg", MONDAY + days(1)).lapsed == 0


class TestCareAfterEnd:
    def test_fires_5_working_days_after_the_toewijzing_ended(self, consultant, team):
        provider = ProviderFactory()
        start = MONDAY - days(100)
        assignment = toewijzing(
            consultant, start=start, provider=provider, care_started_on=start, end_date=MONDAY - days(7)
        )
        assert run("zorg_na_einde", MONDAY).created == 0
        assert run("zorg_na_einde", MONDAY + days(1)).created == 1
        signal = the_signal(SignalType.CARE_AFTER_END)
        assert_raised(signal, on=MONDAY + days(1))
        assert (signal.subject_id, signal.variant) == (assignment.pk, 0)
        assert signal.due_date == assignment.end_date
        assert signal.urgency == Urgency.OVERDUE
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.indication) == (assignment.indication.client, assignment.indication)
        assert (signal.assignment, signal.provider) == (assignment, provider)

    def test_fires_5_working_days_after_the_beschikking_ended(self, consultant):
        friday = MONDAY - days(3)
        indication = IndicationFactory(
            beeindigd=True,
            consultant=consultant,
            start_date=MONDAY - days(100),
            end_date=MONDAY + days(200),
            ended_on=friday,
        )
        toewijzing(
            consultant,
            start=indication.start_date,
            indication=indication,
            care_started_on=indication.start_date,
            end_date=None,
        )
        assert run("zorg_na_einde", MONDAY + days(4)).created == 0
        assert run("zorg_na_einde", MONDAY + days(5)).created == 1
        assert the_signal(SignalType.CARE_AFTER_END).due_date == friday

    def test_not_without_a_start_or_for_a_withdrawn_toewijzing(self, consultant):
        start = MONDAY - days(100)
        toewijzing(consultant, start=start, end_date=MONDAY - days(30))
        toewijzing(
            consultant,
            start=start,
            care_started_on=start,
            end_date=MONDAY - days(30),
            status=Assignment.Status.WITHDRAWN,
        )
        assert run("zorg_na_einde", MONDAY).created == 0

    def test_only_within_the_sla_year(self, consultant):
        indication = active_indication(consultant, start_date=MONDAY - days(400), end_date=MONDAY + days(100))
        assignment = toewijzing(
            consultant,
            start=indication.start_date,
            indication=indication,
            care_started_on=indication.start_date,
            end_date=MONDAY - days(365),
        )
        assert run("zorg_na_einde", MONDAY).created == 1
        outcome = run("zorg_na_einde", MONDAY + days(1))
        assert outcome.lapsed == 1
        assert_lapsed(the_signal(SignalType.CARE_AFTER_END), on=MONDAY + days(1))
        assert assignment.end_date < MONDAY + days(1) - days(365)

    def test_lapses_when_the_stop_is_reported(self, consultant):
        start = MONDAY - days(100)
        assignment = toewijzing(consultant, start=start, care_started_on=start, end_date=MONDAY - days(30))
        run("zorg_na_einde", MONDAY)
        provider_services.record_care_stop(
            assignment, on=MONDAY - days(30), reason=RedenBeeindiging.VOLGENS_PLAN, by=None, today=MONDAY
        )
        # The service rechecked the client at once; the nightly run finds nothing left to do.
        assert_lapsed(the_signal(SignalType.CARE_AFTER_END), on=MONDAY)
        assert run("zorg_na_einde", MONDAY + days(1)).lapsed == 0


class TestStopWithoutReason:
    def stopped(self, consultant, *, on: date, reason: str = "", provider=None) -> Assignment:
        start = on - days(60)
        return toewijzing(
            consultant,
            start=start,
            provider=provider,
            care_started_on=start,
            care_stopped_on=on,
            end_date=on,
            stop_reason=reason,
            status=Assignment.Status.ENDED,
        )

    def test_fires_for_a_stop_without_reason(self, consultant, team):
        provider = ProviderFactory()
        assignment = self.stopped(consultant, on=MONDAY - days(2), provider=provider)
        self.stopped(consultant, on=MONDAY - days(2), reason=RedenBeeindiging.VOLGENS_PLAN)
        assert run("stop_zonder_reden", MONDAY).created == 1
        signal = the_signal(SignalType.STOP_WITHOUT_REASON)
        assert_raised(signal, on=MONDAY)
        assert (signal.subject_id, signal.variant) == (assignment.pk, 0)
        assert signal.due_date == MONDAY - days(2)
        assert signal.urgency == Urgency.OVERDUE
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.indication) == (assignment.indication.client, assignment.indication)
        assert (signal.assignment, signal.provider) == (assignment, provider)

    def test_only_within_the_sla_year(self, consultant):
        self.stopped(consultant, on=MONDAY - days(366))
        self.stopped(consultant, on=MONDAY - days(365))
        assert run("stop_zonder_reden", MONDAY).created == 1
        assert the_signal(SignalType.STOP_WITHOUT_REASON).due_date == MONDAY - days(365)
        assert run("stop_zonder_reden", MONDAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.STOP_WITHOUT_REASON), on=MONDAY + days(1))

    def test_lapses_when_the_reason_is_given(self, consultant):
        assignment = self.stopped(consultant, on=MONDAY - days(2))
        run("stop_zonder_reden", MONDAY)
        Assignment.objects.filter(pk=assignment.pk).update(stop_reason=RedenBeeindiging.DOOR_CLIENT)
        assert run("stop_zonder_reden", MONDAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.STOP_WITHOUT_REASON), on=MONDAY + days(1))


# -- 7. nazorg ------------------------------------------------------------------------------------


class TestNazorg:
    def test_fires_on_the_planned_nazorg_date(self, consultant, team):
        intake = IntakeFactory(referred=True, melding__consultant=consultant, melding__received_on=TODAY - days(52))
        assert intake.nazorg_due_on == TODAY
        assert run("nazorg", TODAY - days(1)).created == 0
        assert run("nazorg", TODAY).created == 1
        signal = the_signal(SignalType.NAZORG_DUE)
        assert_raised(signal, on=TODAY)
        assert (signal.subject_id, signal.variant) == (intake.pk, 0)
        assert signal.due_date == TODAY
        assert signal.urgency == Urgency.ATTENTION
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.melding) == (intake.melding.client, intake.melding)
        assert (signal.indication, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)

    def test_without_a_planned_date_42_days_after_the_referral(self, consultant):
        intake = IntakeFactory(
            referred=True,
            conclusion=Intake.Conclusion.OTHER_LAW,
            other_law="wlz",
            referral_provision="",
            melding__consultant=consultant,
            melding__received_on=TODAY - days(60),
            nazorg_due_on=None,
        )
        due = intake.concluded_on + days(42)
        assert run("nazorg", due - days(1)).created == 0
        assert run("nazorg", due).created == 1
        assert the_signal(SignalType.NAZORG_DUE).due_date == due

    def test_not_after_a_maatwerk_conclusion_or_an_open_onderzoek(self, consultant):
        IntakeFactory(maatwerk=True, melding__consultant=consultant, melding__received_on=TODAY - days(100))
        IntakeFactory(melding__consultant=consultant, melding__received_on=TODAY - days(100))
        assert run("nazorg", TODAY).created == 0

    def test_lapses_when_the_nazorg_is_recorded(self, consultant):
        intake = IntakeFactory(referred=True, melding__consultant=consultant, melding__received_on=TODAY - days(60))
        run("nazorg", TODAY)
        indication_services.record_nazorg(
            intake, by=consultant, done_on=TODAY, notes="Gaat naar de inloop.", today=TODAY
        )
        # The service rechecked the client at once; the nightly run finds nothing left to do.
        assert_lapsed(the_signal(SignalType.NAZORG_DUE), on=TODAY)
        assert run("nazorg", TODAY + days(1)).lapsed == 0


# -- 8. heraanmelding -------------------------------------------------------------------------------


def outflow(consultant, *, ended_on: date, **fields):
    return IndicationFactory(
        beeindigd=True,
        consultant=consultant,
        start_date=ended_on - days(300),
        end_date=ended_on,
        ended_on=ended_on,
        **fields,
    )


class TestHeraanmelding:
    def test_a_melding_within_12_months_of_the_outflow(self, consultant, team):
        ended = outflow(consultant, ended_on=TODAY - days(365))
        melding = MeldingFactory(client=ended.client, consultant=consultant, received_on=TODAY)
        assert run("heraanmelding", TODAY).created == 1
        signal = the_signal(SignalType.HERAANMELDING)
        assert_raised(signal, on=TODAY)
        assert (signal.subject_id, signal.variant) == (melding.pk, 0)
        assert signal.due_date == melding.received_on
        assert signal.urgency == Urgency.ATTENTION
        assert (signal.assigned_to, signal.team) == (consultant, team)
        assert (signal.client, signal.melding) == (ended.client, melding)
        assert (signal.indication, signal.aanvraag, signal.assignment, signal.provider) == (None, None, None, None)

    @pytest.mark.parametrize("ended_days_before, fires", [(366, False), (365, True), (0, True), (-1, False)])
    def test_the_window(self, consultant, ended_days_before, fires):
        ended = outflow(consultant, ended_on=TODAY - days(ended_days_before))
        MeldingFactory(client=ended.client, consultant=consultant, received_on=TODAY)
        assert run("heraanmelding", TODAY + days(2)).created == int(fires)

    def test_the_window_follows_the_settings(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "HERAANMELDING_MONTHS": 6}
        for ended_days_before in (183, 184):
            ended = outflow(consultant, ended_on=TODAY - days(ended_days_before))
            MeldingFactory(client=ended.client, consultant=consultant, received_on=TODAY)
        run("heraanmelding", TODAY)
        assert the_signal(SignalType.HERAANMELDING).client.indications.get().ended_on == TODAY - days(183)

    def test_not_when_the_beschikking_was_followed_up(self, consultant):
        ended = outflow(consultant, ended_on=TODAY - days(100))
        active_indication(
            consultant,
            client=ended.client,
            replaces=ended,
            product=get_product("IB0"),
            start_date=ended.end_date + days(1),
            end_date=None,
        )
        MeldingFactory(client=ended.client, consultant=consultant, received_on=TODAY)
        assert run("heraanmelding", TODAY).created == 0

    def test_not_for_another_clients_outflow(self, consultant):
        outflow(consultant, ended_on=TODAY - days(100))
        MeldingFactory(consultant=consultant, received_on=TODAY)
        assert run("heraanmelding", TODAY).created == 0

    def test_lapses_when_the_onderzoek_is_concluded(self, consultant):
        ended = outflow(consultant, ended_on=TODAY - days(100))
        melding = MeldingFactory(client=ended.client, consultant=consultant, received_on=TODAY - days(5))
        run("heraanmelding", TODAY)
        Intake.objects.filter(melding=melding).update(
            conclusion=Intake.Conclusion.OWN_STRENGTH, concluded_on=TODAY, report="Netwerk pakt het op."
        )
        assert run("heraanmelding", TODAY + days(1)).lapsed == 1
        assert_lapsed(the_signal(SignalType.HERAANMELDING), on=TODAY + days(1))


# -- 9. four-eyes review waiting ------------------------------------------------------------------


class TestReviewWaiting:
    """A review waiting more than 3 working days, or sooner when the beschikking (due 2 weeks after
    the aanvraag) would be late; for the team leads; escalating as the deadline nears."""

    def waiting(self, consultant, *, submitted_on: date, aanvraag_on: date | None = None) -> Review:
        indication = IndicationFactory(
            consultant=consultant,
            status=IndicationStatus.TER_BEOORDELING,
            four_eyes_requested=True,
            four_eyes_required=True,
            **({"aanvraag__received_on": aanvraag_on} if aanvraag_on else {"aanvraag": None}),
        )
        submitted_at = timezone.make_aware(datetime.combine(submitted_on, time(16, 30)))
        return Review.objects.create(
            indication=indication,
            submitted_by=consultant,
            submitted_at=submitted_at,
            findings=[{"rule": "vier_ogen_gevraagd", "reason": "Gevraagd"}],
        )

    def test_working_days_after(self):
        assert working_days_after(MONDAY, 2) == MONDAY + days(2)
        assert working_days_after(MONDAY + days(4), 1) == MONDAY + days(7)  # Friday → Monday
        assert working_days_after(MONDAY + days(5), 1) == MONDAY + days(7)  # Saturday → Monday

    def test_fires_after_3_working_days_for_the_team_leads(self, consultant, team_lead, team):
        monday = MONDAY - days(7)
        review = self.waiting(consultant, submitted_on=monday, aanvraag_on=monday)  # deadline far: MONDAY + 7
        assert run("beoordeling_wacht", monday + days(3)).created == 0  # Thursday: 3 working days waited
        assert run("beoordeling_wacht", monday + days(4)).created == 1  # Friday: longer
        signal = the_signal(SignalType.REVIEW_WAITING)
        assert_raised(signal, on=monday + days(4))
        assert (signal.subject_id, signal.due_date) == (review.pk, monday + days(14))
        assert (signal.urgency, signal.escalated_on) == (Urgency.ATTENTION, None)
        assert (signal.assigned_to, signal.team) == (None, team)  # the team, not one person
        assert (signal.client, signal.indication, signal.aanvraag) == (
            review.indication.client,
            review.indication,
            review.indication.aanvraag,
        )
        assert list(signals_for(team_lead, team_view=True)) == [signal]
        assert list(signals_for(consultant)) == []

    def test_weekends_do_not_count(self, consultant):
        thursday = MONDAY - days(4)
        self.waiting(consultant, submitted_on=thursday, aanvraag_on=thursday)
        assert run("beoordeling_wacht", MONDAY + days(1)).created == 0  # Tuesday: Fri, Mon, Tue
        assert run("beoordeling_wacht", MONDAY + days(2)).created == 1  # Wednesday

    def test_the_working_days_follow_the_settings(self, consultant, settings):
        settings.SIGNALS = {**settings.SIGNALS, "REVIEW_WAITING_WORKING_DAYS": 5}
        monday = MONDAY - days(7)
        self.waiting(consultant, submitted_on=monday, aanvraag_on=monday)
        assert run("beoordeling_wacht", monday + days(7)).created == 0  # next Monday: 5 working days
        assert run("beoordeling_wacht", monday + days(8)).created == 1

    @pytest.mark.parametrize(("deadline_in", "fires"), [(2, True), (3, False)])
    def test_sooner_when_the_beschikking_would_be_late(self, consultant, deadline_in, fires):
        """Offered today, but the beschikking is due within 2 working days: a signal at once."""
        self.waiting(consultant, submitted_on=MONDAY, aanvraag_on=MONDAY + days(deadline_in) - days(14))
        assert run("beoordeling_wacht", MONDAY).created == int(fires)
        if fires:
            signal = the_signal(SignalType.REVIEW_WAITING)
            assert (signal.urgency, signal.escalated_on) == (Urgency.WARNING, MONDAY)

    def test_escalates_as_the_deadline_nears_and_turns_overdue_after_it(self, consultant):
        monday = MONDAY - days(7)
        self.waiting(consultant, submitted_on=monday, aanvraag_on=monday - days(3))  # due Friday MONDAY - 3 + 7
        due = monday + days(11)
        assert run("beoordeling_wacht", monday + days(4)).created == 1
        signal = the_signal(SignalType.REVIEW_WAITING)
        assert (signal.due_date, signal.urgency) == (due, Urgency.ATTENTION)
        assert run("beoordeling_wacht", due - days(3)).escalated == 0  # Tuesday: due beyond 2 working days
        assert run("beoordeling_wacht", due - days(2)).escalated == 1  # Wednesday: due within 2
        signal.refresh_from_db()
        assert (signal.urgency, signal.escalated_on) == (Urgency.WARNING, due - days(2))
        assert run("beoordeling_wacht", due).updated == 0
        assert run("beoordeling_wacht", due + days(1)).updated == 1
        signal.refresh_from_db()
        assert signal.urgency == Urgency.OVERDUE and signal.status == SignalStatus.OPEN

    def test_raised_as_passed_after_the_deadline(self, consultant):
        self.waiting(consultant, submitted_on=MONDAY - days(1), aanvraag_on=MONDAY - days(15))
        run("beoordeling_wacht", MONDAY)
        assert the_signal(SignalType.REVIEW_WAITING).urgency == Urgency.OVERDUE

    def test_without_an_aanvraag_only_the_waiting_counts(self, consultant):
        monday = MONDAY - days(7)
        self.waiting(consultant, submitted_on=monday)
        assert run("beoordeling_wacht", monday + days(3)).created == 0
        assert run("beoordeling_wacht", monday + days(4)).created == 1
        assert run("beoordeling_wacht", MONDAY + days(30)).escalated == 0
        signal = the_signal(SignalType.REVIEW_WAITING)
        assert (signal.due_date, signal.urgency) == (monday, Urgency.ATTENTION)

    def test_not_for_a_decided_review(self, consultant, team_lead):
        review = self.waiting(consultant, submitted_on=MONDAY - days(10), aanvraag_on=MONDAY - days(10))
        Review.objects.filter(pk=review.pk).update(
            outcome=Review.Outcome.APPROVED, reviewer=team_lead, decided_at=timezone.now()
        )
        assert run("beoordeling_wacht", MONDAY).created == 0

    @pytest.mark.parametrize("decision", ["approve", "reject"])
    def test_clears_at_once_when_the_review_is_decided(self, consultant, team_lead, decision):
        review = self.waiting(consultant, submitted_on=MONDAY - days(7), aanvraag_on=MONDAY - days(7))
        run("beoordeling_wacht", MONDAY)
        signal = the_signal(SignalType.REVIEW_WAITING)
        if decision == "approve":
            four_eyes.approve_indication(review.indication, by=team_lead, today=MONDAY)
        else:
            four_eyes.reject_indication(review.indication, by=team_lead, motivation="Doelen concreter", today=MONDAY)
        assert_lapsed(signal, on=MONDAY)
        assert run("beoordeling_wacht", MONDAY + days(1)).lapsed == 0
