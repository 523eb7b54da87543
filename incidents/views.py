"""The incident pages: the list, one incident with its history and audit trail, the phone
registration, the GGD report and the closing. Thin views over incidents.selectors (what the user may
see, in the query) and incidents.services (every write). Every read is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import record_read, record_request
from indications.forms import apply_service_errors
from indications.views import requires

from . import selectors, services
from .forms import CloseForm, GgdReportForm, IncidentFilterForm, PhoneReportForm
from .models import Incident, IncidentChannel

PAGE_SIZE = 25


def _visible(request, incident_uuid) -> Incident:
    """The incident if the user may see it; another one (or an unknown uuid) is a 404."""
    return get_object_or_404(selectors.incidents_visible_to(request.user), uuid=incident_uuid)


@requires("incidents.view_incident")
def incident_list(request):
    """The incidents the user may see, those still waiting for their GGD report first; filtered on
    status, soort, aanbieder and period."""
    visible = selectors.incidents_visible_to(request.user)
    form = IncidentFilterForm(request.GET or None, providers=selectors.providers_of(visible))
    incidents = visible
    if form.is_bound and form.is_valid():
        incidents = selectors.filtered(visible, **form.cleaned_data)
    elif form.is_bound:
        incidents = visible.none()
    page = Paginator(selectors.open_first(incidents), PAGE_SIZE).get_page(request.GET.get("pagina"))
    record_request(
        request,
        action=AuditEvent.Action.READ,
        object_type=Incident._meta.label_lower,
        summary=f"lijst calamiteiten, pagina {page.number}: {', '.join(str(row.pk) for row in page)}",
    )
    return render(request, "incidents/incident_list.html", {"page": page, "form": form})


def _render_detail(request, incident: Incident, *, ggd_form=None, close_form=None, status=200):
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "history": incident.history.select_related("by"),
            "audit_events": selectors.audit_events_of(incident)[:50],
            "may_change": request.user.has_perm("incidents.change_incident"),
            "ggd_form": ggd_form or GgdReportForm(initial={"reported_on": timezone.localdate()}),
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


@requires("incidents.view_incident")
def incident_detail(request, incident_uuid):
    incident = _visible(request, incident_uuid)
    record_read(request, incident, client_id=incident.client_id, summary=f"calamiteit {incident.get_kind_display()}")
    return _render_detail(request, incident)


@requires("incidents.add_incident")
def register_by_phone(request):
    """A provider reported a calamiteit by phone: the consultant registers it (the team lead's
    signal follows at once, as for one through the API)."""
    form = PhoneReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.report_incident(
                assignment=data["assignment"],
                kind=data["kind"],
                description=data["description"],
                occurred_at=data["occurred_at"],
                channel=IncidentChannel.PHONE,
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De calamiteit is geregistreerd; de teamleider is gesignaleerd."))
            if selectors.incidents_visible_to(request.user).filter(pk=incident.pk).exists():
                return redirect("incidents:detail", incident_uuid=incident.uuid)
            return redirect("incidents:list")
    status = 400 if form.is_bound else 200
    return render(request, "incidents/incident_form.html", {"form": form}, status=status)


@require_POST
@requires("incidents.change_incident")
def record_ggd_report(request, incident_uuid):
    incident = _visible(request, incident_uuid)
    form = GgdReportForm(request.POST)
    if form.is_valid():
        try:
            services.record_ggd_report(
                incident,
                reported_on=form.cleaned_data["reported_on"],
                reference=form.cleaned_data["reference"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De melding aan de GGD is vastgelegd; het signaal is gesloten."))
            return redirect("incidents:detail", incident_uuid=incident.uuid)
    return _render_detail(request, incident, ggd_form=form, status=400)


@require_POST
@requires("incidents.change_incident")
def close(request, incident_uuid):
    incident = _visible(request, incident_uuid)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_incident(incident, note=form.cleaned_data["closing_note"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De calamiteit is afgesloten."))
            return redirect("incidents:detail", incident_uuid=incident.uuid)
    return _render_detail(request, incident, close_form=form, status=400)
