"""The CAK export of the eigen bijdrage: per client the start and end of the obligation (personal
data: every view and download is recorded in the audit trail)."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import client_ip, record_event
from ui.exports import export_context, query_without_export, requested_export
from ui.tables import Table

from . import eigen_bijdrage
from .eigen_bijdrage_forms import CakExportForm
from .models import EigenBijdrageRule

PAGE_ROWS = 200


@permission_required("indications.export_cak", raise_exception=True)
def cak_export(request):
    today = timezone.localdate()
    last = eigen_bijdrage.last_cak_export()
    if request.GET:
        form = CakExportForm(request.GET)
    else:
        start, end = eigen_bijdrage.default_export_period(today=today)
        form = CakExportForm(initial={"period_from": start, "period_to": end, "since_last_export": last is not None})
    context = {
        "form": form,
        "last_export": last,
        "query": query_without_export(request),
        "rules": EigenBijdrageRule.objects.prefetch_related("exemptions").order_by("valid_from"),
    }
    if not form.is_bound or not form.is_valid():
        return render(request, "indications/cak_export.html", context)
    data = form.cleaned_data
    table = eigen_bijdrage.cak_table(
        data["period_from"],
        data["period_to"],
        kind=data["kind"],
        municipality=data["municipality"],
        changed_since=last.exported_at if last is not None and data["since_last_export"] else None,
    )
    download = requested_export(request, [table], context=export_context(request, form, figures_on=today))
    if download:
        eigen_bijdrage.record_cak_export(
            period_from=data["period_from"],
            period_to=data["period_to"],
            rows=len(table.rows),
            by=request.user,
            ip_address=client_ip(request),
        )
        return download
    # The page shows the same personal data as the file: the view is recorded too.
    shown = EigenBijdrageRule.objects.order_by("-valid_from").first()
    if shown is not None:
        record_event(
            actor=request.user,
            action=AuditEvent.Action.READ,
            obj=shown,
            summary=f"CAK-overzicht eigen bijdrage bekeken {data['period_from']:%d-%m-%Y} t/m "
            f"{data['period_to']:%d-%m-%Y}",
            ip_address=client_ip(request),
        )
    context.update(
        table=table,
        total=len(table.rows),
        shown_rows=PAGE_ROWS,
        truncated=len(table.rows) > PAGE_ROWS,
        page_table=Table(table.slug, table.title, table.columns, table.rows[:PAGE_ROWS], note=table.note),
    )
    return render(request, "indications/cak_export.html", context)
