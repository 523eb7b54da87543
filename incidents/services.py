"""Every write of an incident: report it (a provider through the API, or a consultant who took the
provider's phone call), record the report to the GGD, close it. Each validates, writes inside one
transaction, keeps a history row and an audit event, and runs the `incident_changed` hook so that
the signal engine raises (or closes) the team lead's signal in the same transaction."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event

from .hooks import IncidentChanged, run_incident_changed
from .models import Incident, IncidentChannel, IncidentStatus, IncidentStatusChange
from .workflow import ensure_transition_allowed


def _user_or_none(actor):
    return actor if isinstance(actor, get_user_model()) and actor.is_authenticated else None


def _history(incident: Incident, *, by, from_status: str, note: str = "") -> None:
    user = _user_or_none(by)
    IncidentStatusChange.objects.create(
        incident=incident,
        by=user,
        by_label="" if user or by is None else str(by)[:120],
        from_status=from_status,
        to_status=incident.status,
        note=note,
    )


def _changed(incident: Incident, today: date) -> None:
    run_incident_changed(IncidentChanged(incident_id=incident.pk, client_id=incident.client_id, today=today))


def _validate_report(*, assignment, occurred_at: datetime, description: str, now: datetime) -> dict:
    errors = {}
    if not description.strip():
        errors["description"] = ValidationError(_("Beschrijf wat er is gebeurd."), code="required")
    if occurred_at > now:
        errors["occurred_at"] = ValidationError(
            _("Het moment van het incident kan niet in de toekomst liggen."), code="in_future"
        )
    elif occurred_at.date() < assignment.start_date:
        errors["occurred_at"] = ValidationError(
            _("Het incident ligt vóór de ingangsdatum van de toewijzing (%(date)s).")
            % {"date": f"{assignment.start_date:%d-%m-%Y}"},
            code="before_assignment",
        )
    return errors


@transaction.atomic
def report_incident(
    *,
    assignment,
    kind: str,
    description: str,
    occurred_at: datetime,
    channel: str,
    by,
    message_id: str = "",
    now: datetime | None = None,
) -> Incident:
    """Register a calamiteit or geweldsincident in the care of `assignment` (whose provider reported
    it). Through the API `by` is the provider's API client and `message_id` its own id: the same id
    again returns the incident already registered (idempotent)."""
    now = now or timezone.now()
    if message_id:
        existing = Incident.objects.filter(provider_id=assignment.provider_id, message_id=message_id).first()
        if existing is not None:
            return existing
    errors = _validate_report(assignment=assignment, occurred_at=occurred_at, description=description, now=now)
    if errors:
        raise ValidationError(errors)
    incident = Incident(
        kind=kind,
        description=description.strip(),
        occurred_at=occurred_at,
        client_id=assignment.indication.client_id,
        assignment=assignment,
        provider_id=assignment.provider_id,
        reported_at=now,
        channel=channel,
        registered_by=by if channel == IncidentChannel.PHONE else None,
        message_id=message_id,
    )
    incident.full_clean()
    incident.save()
    _history(incident, by=by, from_status="", note=_("Gemeld."))
    record_event(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=incident,
        client_id=incident.client_id,
        summary=f"{incident.get_kind_display()} gemeld ({incident.get_channel_display()})",
    )
    _changed(incident, timezone.localdate(now))
    return incident


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _move(incident: Incident, *, to_status: str, by, note: str, today: date, changes: dict) -> Incident:
    before = incident.status
    incident.status = to_status
    incident.full_clean()
    incident.save()
    _history(incident, by=by, from_status=before, note=note)
    record_event(
        actor=by,
        action=AuditEvent.Action.TRANSITION,
        obj=incident,
        client_id=incident.client_id,
        summary=f"{incident.get_kind_display()}: {IncidentStatus(before).label} → {incident.get_status_display()}",
        changes={"status": [before, to_status], **changes},
    )
    _changed(incident, today)
    return incident


@transaction.atomic
def record_ggd_report(
    incident: Incident, *, reported_on: date, reference: str, by, today: date | None = None
) -> Incident:
    """Record that the incident was reported to the toezichthouder (the GGD): the day and the GGD's
    kenmerk. The team lead's signal closes with it."""
    today = today or timezone.localdate()
    incident = _locked(incident)
    ensure_transition_allowed(incident.status, IncidentStatus.GGD_REPORTED)
    reference = reference.strip()
    errors = {}
    if not reference:
        errors["reference"] = ValidationError(_("Vul het kenmerk van de GGD in."), code="required")
    if reported_on > today:
        errors["reported_on"] = ValidationError(_("De datum kan niet in de toekomst liggen."), code="in_future")
    elif reported_on < timezone.localdate(incident.occurred_at):
        errors["reported_on"] = ValidationError(
            _("De melding aan de GGD kan niet vóór het incident liggen."), code="before_incident"
        )
    if errors:
        raise ValidationError(errors)
    incident.ggd_reported_on, incident.ggd_reference = reported_on, reference
    return _move(
        incident,
        to_status=IncidentStatus.GGD_REPORTED,
        by=by,
        note=_("Gemeld aan de GGD op %(date)s, kenmerk %(reference)s.")
        % {"date": f"{reported_on:%d-%m-%Y}", "reference": reference},
        today=today,
        changes={"ggd_reported_on": [None, reported_on.isoformat()], "ggd_reference": [None, reference]},
    )


@transaction.atomic
def close_incident(incident: Incident, *, note: str, by, today: date | None = None) -> Incident:
    """Close the incident with a note on how it was followed up (only after the GGD report)."""
    today = today or timezone.localdate()
    incident = _locked(incident)
    ensure_transition_allowed(incident.status, IncidentStatus.CLOSED)
    note = note.strip()
    if not note:
        raise ValidationError({"closing_note": _("Geef aan hoe de calamiteit is afgehandeld.")}, code="required")
    incident.closed_on, incident.closing_note = today, note
    return _move(
        incident, to_status=IncidentStatus.CLOSED, by=by, note=note, today=today, changes={"closing_note": [None, note]}
    )
