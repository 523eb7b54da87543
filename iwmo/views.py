"""The message-traffic pages: per day, per provider, per client, and the XML of one message. Thin
views over iwmo.selectors; the only write is the audit record of a download or a client's list.

Who sees what (iwmo.selectors.sees_client_data): consultants and team leads see the messages with
their client (name and masked BSN, within the clients they may see) and download the XML; contract
management sees the same figures, statuses and retourcodes without any client data and without the
XML; every other role gets 403."""

from datetime import timedelta

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_read
from indications.selectors import clients_visible_to
from indications.views import requires
from providers.models import Provider
from ui.exports import export_context, query_without_export, requested_export

from . import resend, retour_handling, selectors
from .forms import PeriodForm, RetourHandledForm, TrafficFilterForm, by_municipality
from .selectors import IN, OUT

PAGE_SIZE = 25


def _traffic_viewer(request) -> bool:
    """403 for a role that may not see the traffic; True when the user also sees client data."""
    if not selectors.may_view_traffic(request.user):
        raise PermissionDenied
    return selectors.sees_client_data(request.user)


def _page(request, messages, param: str):
    return Paginator(messages, PAGE_SIZE).get_page(request.GET.get(param))


def _incoming_page(request, messages, param: str):
    """A page of received messages, each with its retourcodes and their meaning."""
    page = _page(request, messages, param)
    page.object_list = selectors.with_retourcodes(page.object_list)
    return page


def day_overview(request):
    """One day's traffic (default today): counts per type, provider and status, the errors to act
    on, and the messages sent and received, filtered by type, direction, provider and status."""
    show_client = _traffic_viewer(request)
    today = timezone.localdate()
    form = TrafficFilterForm(request.GET or None, initial={"dag": today})
    filtered = form.is_bound and form.is_valid()
    day = (form.cleaned_data.get("dag") if filtered else None) or today
    directions = form.directions() if filtered else (OUT, IN)
    outgoing = selectors.outgoing_on(selectors.outgoing_for(request.user), day)
    incoming = selectors.incoming_on(selectors.incoming_for(request.user), day)
    if filtered:
        outgoing, incoming = form.apply(outgoing, OUT), form.apply(incoming, IN)
    if OUT not in directions:
        outgoing = outgoing.none()
    if IN not in directions:
        incoming = incoming.none()
    counts = selectors.counts_by_type_and_provider(outgoing, incoming)
    table = selectors.day_figures_table(counts, day=day)
    download = requested_export(
        request, [table], context=export_context(request, form if filtered else None, figures_on=day)
    )
    if download:
        return download
    return render(
        request,
        "iwmo/day.html",
        {
            "form": form,
            "day": day,
            "today": today,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1) if day < today else None,
            "counts": counts,
            "table": table,
            "query": query_without_export(request),
            "outgoing_errors": _page(request, selectors.outgoing_errors(outgoing), "fouten-uit"),
            "incoming_errors": _incoming_page(request, selectors.incoming_errors(incoming), "fouten-in"),
            "outgoing": _page(request, outgoing, "uit") if OUT in directions else None,
            "incoming": _incoming_page(request, incoming, "in") if IN in directions else None,
            "show_client": show_client,
            "xml": show_client,
            "may_resend": resend.may_resend(request.user),
        },
    )


def provider_traffic(request, provider_uuid):
    """A provider's traffic per day over a period (default the last 30 days) and its errors."""
    show_client = _traffic_viewer(request)
    provider = get_object_or_404(Provider, uuid=provider_uuid)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    first, last = form.period()
    municipality = form.municipality()
    outgoing = by_municipality(selectors.outgoing_for(request.user).filter(provider=provider), municipality)
    incoming = by_municipality(selectors.incoming_for(request.user).filter(provider=provider), municipality)
    days = selectors.traffic_per_day(outgoing, incoming, first=first, last=last)
    table = selectors.days_table(days, provider_name=provider.name, first=first, last=last)
    valid = form.is_bound and form.is_valid()
    download = requested_export(
        request, [table], context=export_context(request, form if valid else None, figures_on=last)
    )
    if download:
        return download
    start, _ = selectors.day_bounds(first)
    _, end = selectors.day_bounds(last)
    outgoing = outgoing.filter(created_at__gte=start, created_at__lt=end)
    incoming = incoming.filter(received_at__gte=start, received_at__lt=end)
    return render(
        request,
        "iwmo/provider.html",
        {
            "provider": provider,
            "form": form,
            "first": first,
            "last": last,
            "query": query_without_export(request),
            "days": _page(request, days, "dagen"),
            "totals": {
                "sent": sum(row.sent for row in days),
                "received": sum(row.received for row in days),
                "errors": sum(row.errors for row in days),
            },
            "outgoing_errors": _page(request, selectors.outgoing_errors(outgoing), "fouten-uit"),
            "incoming_errors": _incoming_page(request, selectors.incoming_errors(incoming), "fouten-in"),
            "show_client": show_client,
            "xml": show_client,
            "may_resend": resend.may_resend(request.user),
        },
    )


@requires("indications.view_client")
def client_traffic(request, client_uuid):
    """All messages about one client, in and out (client data: audited as a read)."""
    client = get_object_or_404(clients_visible_to(request.user).select_related("municipality"), uuid=client_uuid)
    record_read(request, client, client_id=client.pk, summary="iWmo-berichten ingezien")
    return render(
        request,
        "iwmo/client.html",
        {
            "client": client,
            "outgoing": _page(request, selectors.outgoing_for(request.user).filter(client=client), "uit"),
            "incoming": _incoming_page(request, selectors.incoming_for(request.user).filter(client=client), "in"),
            "show_client": False,
            "xml": True,
            "show_day": True,
            "may_resend": resend.may_resend(request.user),
        },
    )


@require_POST
@requires(resend.RESEND_PERMISSION)
def resend_outgoing(request, message_uuid):
    """Put a failed (mislukt) message back in the queue, from the day, provider or client page."""
    _traffic_viewer(request)
    message = get_object_or_404(selectors.outgoing_for(request.user), uuid=message_uuid)
    try:
        resend.resend_failed_message(message, by=request.user)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(
            request,
            _("%(type)s %(id)s staat opnieuw in de wachtrij en wordt verstuurd.")
            % {"type": message.message_type, "id": message.identification},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("iwmo:day")


@requires(retour_handling.HANDLE_PERMISSION)
def handle_retour(request, message_uuid):
    """A message the provider rejected in its retour (302/320): the retourcodes with their Dutch
    meaning per element, and the form that marks it handled (what was done)."""
    message = get_object_or_404(
        selectors.outgoing_for(request.user).select_related("retour_message", "retour_handled_by"),
        uuid=message_uuid,
        retour_status__in=retour_handling.REJECTED,
    )
    form = RetourHandledForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retour_handling.mark_retour_handled(message, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:  # a note error lands on its field, any other above the form
            form.add_error(None, error)
        else:
            flash.success(
                request,
                _("De retour op %(type)s %(id)s is afgehandeld.")
                % {"type": message.message_type, "id": message.identification},
            )
            return redirect("indications:worklist")
    return render(request, "iwmo/handle_retour.html", {"message": message, "form": form})


def _xml_response(content: bytes | str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("indications.view_client")
def outgoing_xml(request, message_uuid):
    """The XML of a message we sent, as a file; a view of client data, so audited."""
    message = get_object_or_404(selectors.outgoing_for(request.user).defer(None), uuid=message_uuid)
    record_read(
        request,
        message,
        client_id=message.client_id,
        summary=f"iWmo-bericht {message.message_type} {message.identification} gedownload (XML)",
    )
    return _xml_response(message.xml, message.file_name)


@requires("indications.view_client")
def incoming_xml(request, message_uuid):
    """The message we received, byte for byte as it came; audited."""
    message = get_object_or_404(selectors.incoming_for(request.user).defer(None), uuid=message_uuid)
    record_read(
        request,
        message,
        client_id=message.client_id,
        summary=f"iWmo-bericht {message.message_type or '?'} {message.identification or '?'} gedownload (XML)",
    )
    name = "_".join(
        part
        for part in (message.message_type or "bericht", message.sender, message.receiver, message.identification)
        if part
    )
    return _xml_response(bytes(message.raw), f"{name}_ontvangen.xml")
