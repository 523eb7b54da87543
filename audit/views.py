"""The export of the audit trail for the functioneel beheerder (privacy, the SIEM): a page with the
filters of manage.py export_audit, and the streamed download."""

from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import context
from .export import Selection, lines, record_export
from .forms import AuditExportForm

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


@permission_required("audit.export_auditevent", raise_exception=True)
def export(request):
    form = AuditExportForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        selection = Selection(since=data["since"], until=data["until"], bsn=data["bsn"])
        fmt = data["format"]
        with transaction.atomic(), context.purpose_of_use(context.ADMINISTRATION):
            selection = record_export(selection, fmt, actor=request.user)
        response = StreamingHttpResponse(lines(selection, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="audittrail-{timezone.localdate():%Y%m%d}.{fmt}"'
        return response
    return render(request, "audit/export.html", {"form": form})
