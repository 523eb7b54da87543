"""The procedure and the outcomes of a bezwaar, played as its status table: every outcome from open
succeeds with its audit and history; a decided bezwaar is final (Awb 7:10, 7:11, 6:11, 6:21, 4:17)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from objections import services
from objections.models import Bezwaar, BezwaarStatus
from tests.factories import IndicationFactory

S = BezwaarStatus


def _codes(error: ValidationError, field: str) -> list[str]:
    return [item.code for item in error.error_dict[field]]


@pytest.fixture
def herziening(beschikking, consultant, today):
    """The new beschikking that replaces the contested one, as the indications flow leaves it."""
    return IndicationFactory(
        vastgesteld=True, client=beschikking.client, replaces=beschikking, consultant=consultant, decision_date=today
    )


def _decide(outcome, bezwaar, by, today, **extra):
    return services.DECISIONS[outcome](bezwaar, by=by, motivation="Na heroverweging.", today=today, **extra)


@pytest.mark.parametrize("outcome", [S.ONGEGROND, S.NIET_ONTVANKELIJK, S.INGETROKKEN])
def test_each_outcome_is_recorded_with_audit_and_history(outcome, bezwaar, team_lead, today):
    decided = _decide(outcome, bezwaar, team_lead, today)
    assert decided.status == outcome and decided.decided_on == today and decided.decided_by == team_lead
    change = decided.history.get()
    assert (change.from_status, change.to_status, change.by) == (S.OPEN, outcome, team_lead)
    event = AuditEvent.objects.get(object_id=bezwaar.pk, action=AuditEvent.Action.TRANSITION)
    assert event.changes == {"status": [S.OPEN, outcome]}


def test_gegrond_needs_the_herziening_made_through_the_indications_flow(bezwaar, team_lead, today, herziening):
    with pytest.raises(ValidationError) as refused:
        _decide(S.GEGROND, bezwaar, team_lead, today, herziening=None)
    assert _codes(refused.value, "herziening") == ["required"]
    concept = IndicationFactory(client=bezwaar.beschikking.client)
    with pytest.raises(ValidationError) as undecided:
        _decide(S.GEGROND, bezwaar, team_lead, today, herziening=concept)
    assert _codes(undecided.value, "herziening") == ["invalid"]
    decided = _decide(S.GEGROND, bezwaar, team_lead, today, herziening=herziening)
    assert decided.status == S.GEGROND and decided.herziening == herziening


def test_gegrond_refuses_another_clients_beschikking(bezwaar, team_lead, today):
    other = IndicationFactory(vastgesteld=True, decision_date=today)
    with pytest.raises(ValidationError) as refused:
        _decide(S.GEGROND, bezwaar, team_lead, today, herziening=other)
    assert _codes(refused.value, "herziening") == ["invalid"]


def test_a_decided_bezwaar_is_final(bezwaar, team_lead, today):
    _decide(S.ONGEGROND, bezwaar, team_lead, today)
    for outcome in (S.GEGROND, S.NIET_ONTVANKELIJK, S.INGETROKKEN, S.ONGEGROND):
        with pytest.raises(ValidationError) as refused:
            _decide(outcome, bezwaar, team_lead, today)
        assert refused.value.code == "final"
    with pytest.raises(ValidationError):
        services.extend_decision_term(bezwaar, by=team_lead, reason="Later", today=today)
    bezwaar.refresh_from_db()
    assert bezwaar.status == S.ONGEGROND and bezwaar.history.count() == 1


def test_the_database_keeps_a_decision_with_its_date_and_decider(bezwaar):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bezwaar.objects.filter(pk=bezwaar.pk).update(status=S.ONGEGROND, decision_motivation="x")


def test_awb_6_11_a_late_bezwaar_not_excused_is_not_judged_on_its_merits(register, team_lead, today):
    late = register(received_on=date(2026, 10, 21))
    with pytest.raises(ValidationError) as refused:
        _decide(S.ONGEGROND, late, team_lead, today)
    assert _codes(refused.value, "outcome") == ["late"]
    assert _decide(S.NIET_ONTVANKELIJK, late, team_lead, today).status == S.NIET_ONTVANKELIJK


def test_a_decision_needs_a_motivation_and_no_future_date(bezwaar, team_lead, today):
    with pytest.raises(ValidationError) as refused:
        services.declare_ongegrond(bezwaar, by=team_lead, motivation=" ", decided_on=date(2026, 12, 1), today=today)
    assert _codes(refused.value, "motivation") == ["required"]
    assert _codes(refused.value, "decided_on") == ["future"]


def test_awb_7_10_lid_3_deferred_once_with_a_reason(bezwaar, consultant, today):
    with pytest.raises(ValidationError) as no_reason:
        services.extend_decision_term(bezwaar, by=consultant, reason="", today=today)
    assert _codes(no_reason.value, "reason") == ["required"]
    extended = services.extend_decision_term(bezwaar, by=consultant, reason="Advies medisch adviseur.", today=today)
    assert extended.decision_due == date(2027, 1, 11)
    with pytest.raises(ValidationError) as twice:
        services.extend_decision_term(extended, by=consultant, reason="Nog eens.", today=today)
    assert _codes(twice.value, "reason") == ["already_extended"]


def test_awb_7_10_lid_3_no_deferral_once_the_term_passed(bezwaar, consultant):
    with pytest.raises(ValidationError) as refused:
        services.extend_decision_term(bezwaar, by=consultant, reason="Te laat.", today=date(2026, 12, 1))
    assert _codes(refused.value, "reason") == ["term_passed"]


def test_awb_7_10_lid_4_further_delay_with_consent(bezwaar, consultant, today):
    with pytest.raises(ValidationError) as refused:
        services.record_consent(bezwaar, by=consultant, until=date(2026, 11, 30), note="", today=today)
    assert _codes(refused.value, "until") == ["not_later"] and _codes(refused.value, "note") == ["required"]
    later = services.record_consent(
        bezwaar, by=consultant, until=date(2027, 2, 1), note="Telefonisch op 20-11.", today=today
    )
    assert later.decision_due == date(2027, 2, 1)


def test_an_advisory_committee_added_later_moves_the_deadline(bezwaar, consultant, today):
    updated = services.update_procedure(
        bezwaar, by=consultant, hearing=True, hearing_on=date(2026, 11, 26), advisory_committee=True, today=today
    )
    assert updated.decision_due == date(2027, 1, 11) and updated.hearing_on == date(2026, 11, 26)


def test_awb_4_17_an_ingebrekestelling_counts_only_after_the_deadline(bezwaar, consultant):
    with pytest.raises(ValidationError) as premature:
        services.record_ingebrekestelling(
            bezwaar, by=consultant, received_on=date(2026, 11, 30), today=date(2026, 12, 2)
        )
    assert _codes(premature.value, "received_on") == ["premature"]
    recorded = services.record_ingebrekestelling(
        bezwaar, by=consultant, received_on=date(2026, 12, 1), today=date(2026, 12, 2)
    )
    assert recorded.ingebrekestelling_on == date(2026, 12, 1)
