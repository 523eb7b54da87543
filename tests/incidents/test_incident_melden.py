"""Reporting a calamiteit or geweldsincident (art. 3.4 lid 1 sub c Wmo 2015): it lands with the team
lead at once, as a signal of the highest urgency raised in the same transaction, tracked until the
report to the GGD is recorded (the signal closes then); every move follows the status table."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from incidents import services
from incidents.models import Incident, IncidentChannel, IncidentKind, IncidentStatus
from incidents.workflow import ALLOWED_STATUS_CHANGES
from signals.checks import CHECKS_BY_NAME
from signals.models import Signal, SignalStatus, SignalType, Urgency
from signals.selectors import signals_for
from signals.services import run_check

pytestmark = pytest.mark.django_db


def report(assignment, by, **fields) -> Incident:
    values = {
        "kind": IncidentKind.CALAMITEIT,
        "description": "Cliënt gevallen tijdens begeleiding, met ambulance naar het ziekenhuis.",
        "occurred_at": timezone.now() - timedelta(hours=2),
        "channel": IncidentChannel.PHONE,
    }
    return services.report_incident(assignment=assignment, by=by, **{**values, **fields})


def test_a_report_raises_an_escalated_signal_of_the_highest_urgency_at_once(assignment, consultant, team_lead):
    incident = report(assignment, consultant)
    signal = Signal.objects.get(type=SignalType.INCIDENT, subject_id=incident.pk)
    today = timezone.localdate()
    assert signal.status == SignalStatus.OPEN
    assert signal.urgency == Urgency.OVERDUE and signal.urgency_on(today) == Urgency.OVERDUE
    assert signal.escalated_on == today and signal.assigned_to == consultant
    assert signal.client_id == incident.client_id and signal.assignment_id == assignment.pk
    assert signal in signals_for(team_lead, team_view=True)
    assert incident.provider_id == assignment.provider_id and incident.client_id == assignment.indication.client_id


def test_the_signal_is_in_the_reporting_transaction(assignment, consultant):
    with pytest.raises(RuntimeError), transaction.atomic():
        report(assignment, consultant)
        assert Signal.objects.filter(type=SignalType.INCIDENT).count() == 1
        raise RuntimeError
    assert not Incident.objects.exists() and not Signal.objects.filter(type=SignalType.INCIDENT).exists()


def test_the_ggd_report_closes_the_signal_and_a_later_close_keeps_it_closed(assignment, consultant, team_lead):
    incident = report(assignment, consultant)
    today = timezone.localdate()
    services.record_ggd_report(incident, reported_on=today, reference="GGD-2026-0042", by=team_lead, today=today)
    signal = Signal.objects.get(type=SignalType.INCIDENT, subject_id=incident.pk)
    assert signal.status == SignalStatus.LAPSED and signal.closed_on == today
    assert signal not in signals_for(team_lead, team_view=True)
    services.close_incident(incident, note="Besproken met de aanbieder; maatregelen afgesproken.", by=team_lead)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.closed_on == today
    signal.refresh_from_db()
    assert signal.status == SignalStatus.LAPSED
    assert [row.to_status for row in incident.history.all()] == [
        IncidentStatus.REPORTED,
        IncidentStatus.GGD_REPORTED,
        IncidentStatus.CLOSED,
    ]


def test_the_nightly_check_raises_a_missing_signal_too(assignment, consultant):
    incident = report(assignment, consultant)
    Signal.objects.filter(subject_id=incident.pk, type=SignalType.INCIDENT).delete()
    outcome = run_check(CHECKS_BY_NAME["calamiteit"], force=True)
    assert outcome.created == 1
    assert run_check(CHECKS_BY_NAME["calamiteit"], force=True).created == 0


def test_every_write_is_audited(assignment, consultant, team_lead):
    incident = report(assignment, consultant)
    services.record_ggd_report(incident, reported_on=timezone.localdate(), reference="K-1", by=team_lead)
    actions = list(
        AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(incident.pk))
        .order_by("at", "id")
        .values_list("action", "actor_id")
    )
    assert actions == [(AuditEvent.Action.CREATE, consultant.pk), (AuditEvent.Action.TRANSITION, team_lead.pk)]


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"description": "  "}, "description", "required"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at", "in_future"),
        ({"occurred_at": timezone.now() - timedelta(days=400)}, "occurred_at", "before_assignment"),
    ],
)
def test_a_bad_report_is_refused_and_writes_nothing(assignment, consultant, fields, field, code):
    with pytest.raises(ValidationError) as refused:
        report(assignment, consultant, **fields)
    assert refused.value.error_dict[field][0].code == code
    assert not Incident.objects.exists() and not Signal.objects.filter(type=SignalType.INCIDENT).exists()


def test_the_same_message_id_returns_the_first_report(assignment):
    first = report(assignment, None, channel=IncidentChannel.API, message_id="incident-1")
    again = report(assignment, None, channel=IncidentChannel.API, message_id="incident-1", description="anders")
    assert again.pk == first.pk and Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("reported_on_days", "reference", "field", "code"),
    [
        (1, "K-1", "reported_on", "in_future"),
        (-30, "K-1", "reported_on", "before_incident"),
        (0, " ", "reference", "required"),
    ],
)
def test_a_bad_ggd_report_is_refused(assignment, consultant, reported_on_days, reference, field, code):
    incident = report(assignment, consultant)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.record_ggd_report(
            incident,
            reported_on=today + timedelta(days=reported_on_days),
            reference=reference,
            by=consultant,
            today=today,
        )
    assert refused.value.error_dict[field][0].code == code
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


def test_the_status_table_every_forbidden_move_leaves_the_state(assignment, consultant):
    incident = report(assignment, consultant)
    # Closing before the GGD report: refused (every incident must reach the GGD).
    with pytest.raises(ValidationError) as refused:
        services.close_incident(incident, note="klaar", by=consultant)
    assert refused.value.code == "invalid_transition"
    services.record_ggd_report(incident, reported_on=timezone.localdate(), reference="K-1", by=consultant)
    with pytest.raises(ValidationError):
        services.record_ggd_report(incident, reported_on=timezone.localdate(), reference="K-2", by=consultant)
    with pytest.raises(ValidationError) as refused:
        services.close_incident(incident, note=" ", by=consultant)
    assert "closing_note" in refused.value.error_dict
    services.close_incident(incident, note="Afgehandeld.", by=consultant)
    incident.refresh_from_db()
    assert incident.ggd_reference == "K-1" and incident.status == IncidentStatus.CLOSED
    assert ALLOWED_STATUS_CHANGES[IncidentStatus.CLOSED] == set()
