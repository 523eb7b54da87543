"""The status table played as a scenario: every allowed path succeeds, every forbidden move raises
and leaves the state as it was."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from indications import services
from indications.models import IndicationStatus as S
from indications.workflow import ALLOWED_STATUS_CHANGES, InvalidTransition, ensure_transition_allowed
from tests.factories import IndicationFactory, ZrmAssessmentFactory

pytestmark = pytest.mark.django_db

ALL = list(S)


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
def test_the_table_allows_exactly_the_listed_moves(source, target):
    allowed = target in ALLOWED_STATUS_CHANGES[source]
    if allowed:
        ensure_transition_allowed(source, target)
    else:
        with pytest.raises(InvalidTransition):
            ensure_transition_allowed(source, target)


def test_terminal_states_have_no_way_out():
    assert ALLOWED_STATUS_CHANGES[S.BEEINDIGD] == set()
    assert ALLOWED_STATUS_CHANGES[S.INGETROKKEN] == set()


@pytest.fixture
def concept(today):
    assessment = ZrmAssessmentFactory(scores={"financien": 2})
    return IndicationFactory(client=assessment.client)


def test_concept_to_vastgesteld_to_actief_to_beeindigd(concept, today, consultant):
    issued = services.issue_beschikking(concept, by=consultant, today=today)
    assert issued.status == S.VASTGESTELD
    activated = services.activate_indication(issued, today=concept.start_date)
    assert activated.status == S.ACTIEF
    ended = services.end_indication(activated, by=consultant, ended_on=concept.start_date + timedelta(days=60),
                                   reason="Doelen behaald", today=concept.start_date + timedelta(days=60))
    assert ended.status == S.BEEINDIGD
    assert ended.ended_on == ended.end_date == concept.start_date + timedelta(days=60)
    history = list(ended.status_changes.values_list("from_status", "to_status"))
    assert history == [(S.CONCEPT, S.VASTGESTELD), (S.VASTGESTELD, S.ACTIEF), (S.ACTIEF, S.BEEINDIGD)]
    transitions = AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITION, object_id=str(concept.pk))
    assert transitions.count() == 3


def test_a_beschikking_that_starts_today_is_actief_at_once(today):
    assessment = ZrmAssessmentFactory(scores={"financien": 2})
    indication = IndicationFactory(client=assessment.client, start_date=today)
    assert services.issue_beschikking(indication, by=indication.consultant, today=today).status == S.ACTIEF


@pytest.mark.parametrize("status_trait", ["vastgesteld", "actief"])
def test_a_live_beschikking_can_be_withdrawn_with_a_reason(status_trait, consultant):
    indication = IndicationFactory(**{status_trait: True})
    with pytest.raises(ValidationError):
        services.withdraw_indication(indication, by=consultant, reason=" ")
    withdrawn = services.withdraw_indication(indication, by=consultant, reason="Bezwaar gegrond")
    assert withdrawn.status == S.INGETROKKEN


def test_a_concept_can_be_withdrawn(concept, consultant):
    assert services.withdraw_indication(concept, by=consultant, reason="Aanvraag ingetrokken").status == S.INGETROKKEN


@pytest.mark.parametrize(
    "trait, action",
    [
        ("beeindigd", "issue"),
        ("beeindigd", "end"),
        ("beeindigd", "withdraw"),
        ("vastgesteld", "issue"),
        ("actief", "issue"),
    ],
)
def test_forbidden_moves_raise_and_change_nothing(trait, action, consultant, today):
    indication = IndicationFactory(**{trait: True})
    before = indication.status
    calls = {
        "issue": lambda: services.issue_beschikking(indication, by=consultant, today=today),
        "end": lambda: services.end_indication(indication, by=consultant, ended_on=today, reason="x", today=today),
        "withdraw": lambda: services.withdraw_indication(indication, by=consultant, reason="x"),
    }
    with pytest.raises(ValidationError):
        calls[action]()
    indication.refresh_from_db()
    assert indication.status == before
    assert not indication.status_changes.exists()


def test_a_concept_cannot_be_ended(concept, consultant, today):
    with pytest.raises(InvalidTransition):
        services.end_indication(concept, by=consultant, ended_on=today, reason="x", today=today)


def test_activation_waits_for_the_start_date(today):
    indication = IndicationFactory(vastgesteld=True, start_date=today + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.activate_indication(indication, today=today)
    assert services.activate_indication(indication, today=today + timedelta(days=3)).status == S.ACTIEF


def test_nightly_jobs_activate_started_and_end_expired_beschikkingen(today):
    starting = IndicationFactory(vastgesteld=True, start_date=today)
    later = IndicationFactory(vastgesteld=True, start_date=today + timedelta(days=1))
    expired = IndicationFactory(actief=True, end_date=today - timedelta(days=1))
    running = IndicationFactory(actief=True, end_date=today)
    assert services.activate_started_beschikkingen(today=today) == 1
    assert services.end_expired_beschikkingen(today=today) == 1
    for item in (starting, later, expired, running):
        item.refresh_from_db()
    assert (starting.status, later.status, expired.status, running.status) == (S.ACTIEF, S.VASTGESTELD,
                                                                                  S.BEEINDIGD, S.ACTIEF)
    assert expired.ended_on == today - timedelta(days=1)
    # idempotent: a second run changes nothing
    assert services.activate_started_beschikkingen(today=today) == 0
    assert services.end_expired_beschikkingen(today=today) == 0


def test_celery_tasks_run_the_nightly_services(today):
    from indications import tasks

    IndicationFactory(vastgesteld=True, start_date=today - timedelta(days=1))
    assert tasks.activate_started_beschikkingen.apply().get() == 1
    assert tasks.end_expired_beschikkingen.apply().get() == 0
