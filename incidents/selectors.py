"""Who may see which incident, in the query itself: the reporting provider (through the API), the
consultant of the client's beschikking, and the team leads of the client's municipality."""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils import timezone

from audit.models import AuditEvent
from indications.selectors import clients_visible_to
from providers.models import Provider

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


def providers_of(rows: QuerySet[Incident]) -> QuerySet[Provider]:
    """The providers of these incidents, by name (the list's provider filter)."""
    return Provider.objects.filter(pk__in=rows.values("provider_id")).order_by("name")


def filtered(
    rows: QuerySet[Incident],
    *,
    status: str = "",
    kind: str = "",
    provider=None,
    reported_from: date | None = None,
    reported_to: date | None = None,
) -> QuerySet[Incident]:
    """The incidents of one status, soort, aanbieder and reported in a period (each optional; the
    period's days in the local time zone, both ends included)."""
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if provider is not None:
        rows = rows.filter(provider=provider)
    if reported_from:
        rows = rows.filter(reported_at__gte=_start_of(reported_from))
    if reported_to:
        rows = rows.filter(reported_at__lt=_start_of(reported_to + timedelta(days=1)))
    return rows


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def open_first(rows: QuerySet[Incident]) -> QuerySet[Incident]:
    """Those still waiting for their GGD report first, then the newest."""
    waiting = Case(When(status=IncidentStatus.REPORTED, then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.order_by(waiting, "-reported_at", "-id")


# -- figures for the monitor (grouped in the database) ----------------------------------------------


def _selected(rows: QuerySet[Incident], *, municipality=None, product=None, provider=None) -> QuerySet[Incident]:
    filters = {"client__municipality": municipality, "assignment__product": product, "provider": provider}
    return rows.filter(**{key: value for key, value in filters.items() if value})


def _reported_between(start: date, end: date) -> Q:
    return Q(reported_at__gte=_start_of(start), reported_at__lt=_start_of(end + timedelta(days=1)))


def counts_per_provider_kind_month(start: date, end: date, **selection) -> QuerySet:
    """Per provider, soort and month (of the local date it was reported): how many were reported
    from start to end. One grouped query."""
    rows = _selected(Incident.objects.filter(_reported_between(start, end)), **selection)
    return (
        rows.annotate(month=ExtractMonth("reported_at"))
        .values("provider__name", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by("provider__name", "kind", "month")
    )


def waiting_for_ggd_per_provider(**selection) -> QuerySet:
    """Per provider the incidents whose report to the GGD is not yet recorded, and the oldest one's
    report. One grouped query."""
    rows = _selected(Incident.objects.filter(status=IncidentStatus.REPORTED), **selection)
    return (
        rows.values("provider__name")
        .annotate(n=Count("pk"), oldest=Min(TruncDate("reported_at")))
        .order_by("oldest", "provider__name")
    )


def days_to_ggd_report_per_provider(start: date, end: date, **selection) -> QuerySet:
    """Per provider, of the incidents reported from start to end whose GGD report is recorded: how
    many, and the average and longest number of days from the report to the municipality to the
    report to the GGD. One grouped query."""
    rows = _selected(Incident.objects.filter(_reported_between(start, end), ggd_reported_on__isnull=False), **selection)
    days = ExpressionWrapper(F("ggd_reported_on") - TruncDate("reported_at"), output_field=DurationField())
    return (
        rows.values("provider__name")
        .annotate(n=Count("pk"), average=Avg(days), longest=Max(days))
        .order_by("provider__name")
    )


def client_of_page(kwargs: dict) -> int | None:
    """The client of a page about a incident (audit.hooks.page_client: a refused page's event)."""
    if "incident_uuid" not in kwargs:
        return None
    return Incident.objects.filter(uuid=kwargs["incident_uuid"]).values_list("client_id", flat=True).first()
