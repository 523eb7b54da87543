"""The status table played as a scenario: every allowed move succeeds through its service and leaves
a history row and an audit event; every forbidden move raises and leaves everything as it was."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from indications import beschikking_services, four_eyes, services
from indications.models import ComplexityRule, Indication, IndicationStatusChange
from indications.models import IndicationStatus as S
from indications.workflow import ALLOWED_STATUS_CHANGES, LIVE_STATUSES, InvalidTransition, ensure_transition_allowed
from providers.models import Assignment
from tests.factories import IndicationFactory

pytestmark = pytest.mark.django_db

ALL = list(S)


# -- the table -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
def test_the_table_allows_exactly_the_listed_moves(source, target):
    if target in ALLOWED_STATUS_CHANGES[source]:
        ensure_transition_allowed(source, target)
    else:
        with pytest.raises(InvalidTransition) as failure:
            ensure_transition_allowed(source, target)
        assert failure.value.code == "invalid_transition"


def test_the_table_is_the_one_of_the_domain():
    assert ALLOWED_STATUS_CHANGES == {
        S.CONCEPT: {S.TER_BEOORDELING, S.VASTGESTELD, S.AFGEWEZEN, S.INGETROKKEN},
        S.TER_BEOORDELING: {S.GOEDGEKEURD, S.CONCEPT, S.INGETROKKEN},
        S.GOEDGEKEURD: {S.VASTGESTELD, S.AFGEWEZEN, S.CONCEPT, S.INGETROKKEN},
        S.VASTGESTELD: {S.ACTIEF, S.BEEINDIGD, S.INGETROKKEN},
        S.ACTIEF: {S.BEEINDIGD, S.INGETROKKEN},
        S.BEEINDIGD: set(),
        S.INGETROKKEN: set(),
        S.AFGEWEZEN: set(),
    }
    assert set(LIVE_STATUSES) == {S.VASTGESTELD, S.ACTIEF}


def test_an_invalid_transition_is_a_validation_error_with_a_dutch_message():
    with pytest.raises(ValidationError) as failure:
        ensure_transition_allowed(S.BEEINDIGD, S.ACTIEF)
    assert failure.value.messages == ["Een indicatie met status 'beëindigd' kan niet naar 'actief'."]


# -- reaching every status through the services ---------------------------------------------------


@pytest.fixture
def reach(ib_client, consultant, team_lead, today):
    """reach(status): an IB1 indication of the consultant brought to `status` through the services.
    The consultant asks for four eyes where the path runs past a team lead."""

    def _reach(status):
        indication = IndicationFactory(
            client=ib_client,
            consultant=consultant,
            start_date=today + timedelta(days=7),
            four_eyes_requested=status in (S.TER_BEOORDELING, S.GOEDGEKEURD),
        )
        if status == S.CONCEPT:
            pass
        elif status in (S.VASTGESTELD, S.ACTIEF, S.BEEINDIGD):
            services.issue_beschikking(indication, by=consultant, today=today)
            if status == S.ACTIEF:
                services.activate_beschikking(indication, today=indication.start_date)
            if status == S.BEEINDIGD:
                # Per a day that has passed: ended at once (a later day only plans the end).
                services.end_beschikking(
                    indication,
                    by=consultant,
                    ended_on=indication.start_date,
                    reason="Cliënt verhuisd",
                    today=indication.start_date + timedelta(days=1),
                )
        elif status == S.INGETROKKEN:
            services.withdraw_beschikking(indication, by=consultant, reason="Aanvraag ingetrokken")
        else:
            four_eyes.submit_for_review(indication, by=consultant, today=today)
            if status == S.GOEDGEKEURD:
                four_eyes.approve_indication(indication, by=team_lead)
        indication.refresh_from_db()
        return indication

    return _reach


@pytest.fixture
def move_to(consultant, team_lead, today):
    """move_to(indication, target): the service call that makes the move (the only way to make it)."""

    def _move_to(indication, target):
        if target == S.TER_BEOORDELING:
            Indication.objects.filter(pk=indication.pk).update(four_eyes_requested=True)
            four_eyes.submit_for_review(indication, by=consultant, today=today)
        elif target == S.GOEDGEKEURD:
            four_eyes.approve_indication(indication, by=team_lead, motivation="Akkoord")
        elif target == S.CONCEPT and indication.status == S.TER_BEOORDELING:
            four_eyes.reject_indication(indication, by=team_lead, motivation="Doelen concreter maken")
        elif target == S.CONCEPT:
            four_eyes.reopen_concept(indication, by=consultant, reason="Einddatum aanpassen")
        elif target == S.VASTGESTELD:
            services.issue_beschikking(indication, by=consultant, today=today)
        elif target == S.AFGEWEZEN:
            # The same vaststelling, of a refusal (an approved one keeps its approval; a concept
            # that is no longer reviewed: the refusal rule switched off for this move).
            ComplexityRule.objects.filter(kind=ComplexityRule.Kind.REFUSAL).update(is_active=False)
            Indication.objects.filter(pk=indication.pk).update(
                outcome=Indication.Outcome.AFWIJZING,
                refusal_ground=Indication.RefusalGround.EIGEN_KRACHT,
                refusal_motivation="Het netwerk biedt de steun.",
                provider=None,
            )
            services.issue_beschikking(indication, by=consultant, today=today)
        elif target == S.ACTIEF:
            services.activate_beschikking(indication, today=indication.start_date)
        elif target == S.BEEINDIGD:
            services.end_beschikking(
                indication,
                by=consultant,
                ended_on=indication.start_date + timedelta(days=30),
                reason="Doelen behaald",
                today=indication.start_date + timedelta(days=31),
            )
        elif target == S.INGETROKKEN:
            services.withdraw_beschikking(indication, by=consultant, reason="Bezwaar gegrond")
        indication.refresh_from_db()
        return indication

    return _move_to


ALLOWED = [(source, target) for source in ALL for target in sorted(ALLOWED_STATUS_CHANGES[source])]


@pytest.mark.parametrize("source, target", ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_every_allowed_move_succeeds_and_is_recorded(reach, move_to, consultant, team_lead, source, target):
    indication = reach(source)
    assert indication.status == source
    changes_before = indication.status_changes.count()
    moved = move_to(indication, target)
    assert moved.status == target
    assert moved.status_changes.count() == changes_before + 1
    last = moved.status_changes.order_by("id").last()
    assert (last.from_status, last.to_status) == (source, target)
    by_team_lead = target == S.GOEDGEKEURD or (source, target) == (S.TER_BEOORDELING, S.CONCEPT)
    expected_actor = None if target == S.ACTIEF else team_lead if by_team_lead else consultant
    assert last.by == expected_actor
    event = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.TRANSITION, object_type="indications.indication", object_id=str(moved.pk)
        )
        .order_by("pk")
        .last()
    )
    assert event.changes == {"status": [source, target]}
    assert (event.actor, event.client_id) == (expected_actor, moved.client_id)


FORBIDDEN = [
    (S.CONCEPT, S.ACTIEF),
    (S.CONCEPT, S.BEEINDIGD),
    (S.TER_BEOORDELING, S.VASTGESTELD),
    (S.TER_BEOORDELING, S.TER_BEOORDELING),
    (S.GOEDGEKEURD, S.ACTIEF),
    (S.GOEDGEKEURD, S.GOEDGEKEURD),
    (S.VASTGESTELD, S.VASTGESTELD),
    (S.VASTGESTELD, S.CONCEPT),
    (S.ACTIEF, S.VASTGESTELD),
    (S.ACTIEF, S.ACTIEF),
    (S.ACTIEF, S.CONCEPT),
    (S.BEEINDIGD, S.ACTIEF),
    (S.BEEINDIGD, S.VASTGESTELD),
    (S.BEEINDIGD, S.BEEINDIGD),
    (S.BEEINDIGD, S.INGETROKKEN),
    (S.INGETROKKEN, S.CONCEPT),
    (S.INGETROKKEN, S.VASTGESTELD),
    (S.INGETROKKEN, S.BEEINDIGD),
    (S.INGETROKKEN, S.INGETROKKEN),
]


@pytest.mark.parametrize("source, target", FORBIDDEN, ids=[f"{s}->{t}" for s, t in FORBIDDEN])
def test_a_forbidden_move_raises_and_changes_nothing(reach, move_to, source, target):
    assert target not in ALLOWED_STATUS_CHANGES[source]
    indication = reach(source)
    changes = IndicationStatusChange.objects.count()
    events = AuditEvent.objects.count()
    assignments = list(Assignment.objects.values_list("pk", "status", "end_date"))
    with pytest.raises(ValidationError):
        move_to(indication, target)
    indication.refresh_from_db()
    assert indication.status == source
    assert IndicationStatusChange.objects.count() == changes
    assert AuditEvent.objects.count() == events
    assert list(Assignment.objects.values_list("pk", "status", "end_date")) == assignments


def test_terminal_states_have_no_way_out():
    assert ALLOWED_STATUS_CHANGES[S.BEEINDIGD] == set()
    assert ALLOWED_STATUS_CHANGES[S.INGETROKKEN] == set()


# -- the main path -------------------------------------------------------------------------------


def test_concept_to_vastgesteld_to_actief_to_beeindigd(case_file, consultant, today):
    concept = case_file.indication
    issued = services.issue_beschikking(concept, by=consultant, today=today)
    assert issued.status == S.VASTGESTELD
    activated = services.activate_beschikking(issued, today=concept.start_date)
    assert activated.status == S.ACTIEF
    ended_on = concept.start_date + timedelta(days=60)
    ended = services.end_beschikking(
        activated, by=consultant, ended_on=ended_on, reason="Doelen behaald", today=ended_on + timedelta(days=1)
    )
    assert ended.status == S.BEEINDIGD
    assert ended.ended_on == ended.end_date == ended_on
    assert ended.status_reason == "Doelen behaald"
    history = list(ended.status_changes.values_list("from_status", "to_status", "by"))
    assert history == [
        (S.CONCEPT, S.VASTGESTELD, consultant.pk),
        (S.VASTGESTELD, S.ACTIEF, None),
        (S.ACTIEF, S.BEEINDIGD, consultant.pk),
    ]
    transitions = AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSITION, object_id=str(concept.pk), object_type="indications.indication"
    )
    assert transitions.count() == 3


def test_a_beschikking_that_starts_today_is_actief_at_once(case_file, consultant, today):
    indication = case_file.indication
    indication.start_date, indication.end_date = today, today + timedelta(days=200)
    indication.save()
    issued = services.issue_beschikking(indication, by=consultant, today=today)
    assert issued.status == S.ACTIEF
    assert list(issued.status_changes.values_list("to_status", flat=True)) == [S.VASTGESTELD, S.ACTIEF]


def test_a_beschikking_that_starts_tomorrow_waits(case_file, consultant, today):
    indication = case_file.indication
    indication.start_date, indication.end_date = today + timedelta(days=1), today + timedelta(days=200)
    indication.save()
    assert services.issue_beschikking(indication, by=consultant, today=today).status == S.VASTGESTELD


# -- reasons, dates and guards --------------------------------------------------------------------


@pytest.mark.parametrize("trait", ["vastgesteld", "actief"])
def test_withdrawing_needs_a_reason(trait, consultant):
    indication = IndicationFactory(**{trait: True})
    with pytest.raises(ValidationError) as failure:
        services.withdraw_beschikking(indication, by=consultant, reason=" ")
    assert "reason" in failure.value.error_dict
    indication.refresh_from_db()
    assert indication.status == getattr(S, trait.upper())
    withdrawn = services.withdraw_beschikking(indication, by=consultant, reason="Bezwaar gegrond")
    assert (withdrawn.status, withdrawn.status_reason) == (S.INGETROKKEN, "Bezwaar gegrond")


def test_ending_needs_a_reason_and_a_date_within_a_year(consultant, today):
    indication = IndicationFactory(actief=True)
    with pytest.raises(ValidationError) as no_reason:
        services.end_beschikking(indication, by=consultant, ended_on=today, reason="", today=today)
    assert "reason" in no_reason.value.error_dict
    with pytest.raises(ValidationError) as too_late:
        services.end_beschikking(
            indication, by=consultant, ended_on=today + timedelta(days=366), reason="x", today=today
        )
    assert "ended_on" in too_late.value.error_dict
    with pytest.raises(ValidationError) as before_start:
        services.end_beschikking(
            indication, by=consultant, ended_on=indication.start_date - timedelta(days=1), reason="x", today=today
        )
    assert "ended_on" in before_start.value.error_dict
    indication.refresh_from_db()
    assert indication.status == S.ACTIEF and not indication.status_changes.exists()
    ended = services.end_beschikking(
        indication, by=consultant, ended_on=today + timedelta(days=365), reason="x", today=today
    )
    assert (ended.status, ended.ended_on) == (S.ACTIEF, today + timedelta(days=365))  # planned: live until then


def test_ending_later_than_planned_keeps_the_planned_end_date(consultant, today):
    indication = IndicationFactory(actief=True, end_date=today + timedelta(days=10))
    ended = services.end_beschikking(
        indication, by=consultant, ended_on=today + timedelta(days=20), reason="x", today=today
    )
    assert ended.end_date == today + timedelta(days=10)
    assert ended.ended_on == today + timedelta(days=20)


def test_activation_waits_for_the_start_date(today):
    indication = IndicationFactory(vastgesteld=True, start_date=today + timedelta(days=3))
    with pytest.raises(ValidationError) as failure:
        services.activate_beschikking(indication, today=today + timedelta(days=2))
    assert failure.value.code == "not_started"
    assert services.activate_beschikking(indication, today=today + timedelta(days=3)).status == S.ACTIEF


# -- issue_beschikking is atomic ------------------------------------------------------------------


def snapshot():
    return (IndicationStatusChange.objects.count(), AuditEvent.objects.count(), Assignment.objects.count())


def test_a_refused_vaststelling_writes_nothing(today, provider):
    indication = IndicationFactory(provider=provider)  # no ZRM: the IB rules refuse it
    before = snapshot()
    with pytest.raises(ValidationError) as failure:
        services.issue_beschikking(indication, by=indication.consultant, today=today)
    assert {e.code for e in failure.value.error_list} == {"no_zrm"}
    indication.refresh_from_db()
    assert indication.status == S.CONCEPT
    assert indication.number is None and indication.decision_date is None
    assert not indication.status_changes.exists()
    assert snapshot() == before


def test_a_failure_at_the_last_step_rolls_everything_back(ib_client, provider, today, monkeypatch):
    """The last step (to actief) fails after the status, number, history, toewijzing and the end of
    the replaced beschikking were written: the transaction takes all of them back."""
    ComplexityRule.objects.update(is_active=False)
    old = IndicationFactory(client=ib_client, actief=True, end_date=None)
    new = IndicationFactory(client=ib_client, provider=provider, replaces=old, kind="herindicatie", start_date=today)
    before = snapshot()
    real_move = beschikking_services._move
    written = {}

    def move_failing_on_activation(indication, target, **kwargs):
        if target == S.ACTIEF:
            written["new"] = Indication.objects.get(pk=new.pk).status
            written["old"] = Indication.objects.get(pk=old.pk).status
            written["assignments"] = Assignment.objects.filter(indication=new).count()
            raise ValidationError("Onverwachte fout", code="unexpected")
        real_move(indication, target, **kwargs)

    monkeypatch.setattr(beschikking_services, "_move", move_failing_on_activation)
    with pytest.raises(ValidationError):
        services.issue_beschikking(new, by=new.consultant, today=today)
    assert written == {"new": S.VASTGESTELD, "old": S.BEEINDIGD, "assignments": 1}  # the writes did happen
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, new.number, new.decision_date) == (S.CONCEPT, None, None)
    assert (old.status, old.end_date, old.ended_on) == (S.ACTIEF, None, None)
    assert snapshot() == before
