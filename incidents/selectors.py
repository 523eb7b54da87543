"""Who may see which incident, in the query itself: the reporting provider (through the API), the
consultant of the client's beschikking, and the team leads of the client's municipality."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from audit.models import AuditEvent
from indications.selectors import clients_visible_to

from .models import Incident, IncidentStatus

VIEW = "incidents.view_incident"
OVERSEE = "incidents.oversee_incident"


def _with_links(rows: QuerySet[Incident]) -> QuerySet[Incident]:
    return rows.select_related("client", "assignment__product", "assignment__indication__consultant", "provider")


def incidents_visible_to(user) -> QuerySet[Incident]:
    """A team lead (oversee_incident): the incidents of the clients of their teams' municipalities;
    a consultant: those of the clients whose beschikking (the toewijzing's) they hold; others none."""
    if not user.has_perm(VIEW):
        return Incident.objects.none()
    if user.has_perm(OVERSEE):
        rows = Incident.objects.filter(client__in=clients_visible_to(user))
    else:
        rows = Incident.objects.filter(assignment__indication__consultant=user, client__in=clients_visible_to(user))
    return _with_links(rows)


def incidents_of_provider(provider) -> QuerySet[Incident]:
    """The incidents the provider reported (by API or by phone)."""
    return _with_links(Incident.objects.filter(provider=provider))


def audit_events_of(incident: Incident) -> QuerySet[AuditEvent]:
    """The incident's own audit trail: every read and write of it."""
    # The pages record the incident by its primary key, the API's own records by the uuid in its path.
    named = Q(object_id=str(incident.pk)) | Q(object_id=str(incident.uuid))
    return AuditEvent.objects.filter(named, object_type=Incident._meta.label_lower).select_related("actor")


def open_first(rows: QuerySet[Incident]) -> QuerySet[Incident]:
    """Those still waiting for their GGD report first, then the newest."""
    waiting = Case(When(status=IncidentStatus.REPORTED, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(waiting, "-reported_at", "-id")
