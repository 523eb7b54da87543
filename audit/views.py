"""The audit trail's pages: the export for the functioneel beheerder (privacy, the SIEM), a page
with the filters of manage.py export_audit and the streamed download; and the log review of the
privacy officer (and of team leads for their teams), with "reviewed, with a note" per item."""

import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import context, network
from .export import Selection, lines, record_export, start_of
from .forms import AuditExportForm, ReviewMarkForm, ReviewPeriodForm
from .review_selectors import may_review, review_sections
from .review_services import mark_reviewed

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


def _period(form: ReviewPeriodForm, today):
    """The form's days (default: the 30 days up to today) and [since, until) as aware datetimes."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    until_day = data.get("until") or today
    since_day = data.get("since") or until_day - timedelta(days=ReviewPeriodForm.DEFAULT_DAYS - 1)
    only_open = data.get("toon") != "alle"
    return since_day, until_day, start_of(since_day), start_of(until_day + timedelta(days=1)), only_open


def _item_id(kind: str, key: str) -> str:
    return f"{kind}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


@require_http_methods(["GET", "POST"])
def log_review(request):
    if not may_review(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    shown = {"until": today, "since": today - timedelta(days=ReviewPeriodForm.DEFAULT_DAYS - 1), "toon": "open"}
    period = ReviewPeriodForm(request.GET or None, initial=shown)
    since_day, until_day, start, end, only_open = _period(period, today)
    posted = None
    if request.method == "POST":
        posted = ReviewMarkForm(request.POST)
        if posted.is_valid():
            data = posted.cleaned_data
            try:
                mark_reviewed(
                    by=request.user,
                    kind=data["kind"],
                    key=data["key"],
                    note=data["note"],
                    ip_address=network.client_ip(request),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    posted.add_error("note" if field in ("note",) else None, errors)
            else:
                messages.success(request, _("Het logitem is als beoordeeld gemarkeerd."))
                return redirect(request.get_full_path())
    sections = review_sections(request.user, start, end, only_open=only_open)
    posted_shown = False
    for section in sections:
        for row in section.rows:
            if row.mark is not None:
                continue
            row.dom_id = _item_id(section.source.kind, row.item.key)
            is_posted = (
                posted is not None
                and posted.data.get("kind") == section.source.kind
                and (posted.data.get("key") == row.item.key)
            )
            row.form = (
                posted
                if is_posted
                else ReviewMarkForm(
                    initial={"kind": section.source.kind, "key": row.item.key}, auto_id=f"id_{row.dom_id}_%s"
                )
            )
            if is_posted:
                posted.auto_id = f"id_{row.dom_id}_%s"
                posted_shown = True
    status = 400 if posted is not None and posted.errors else 200
    return render(
        request,
        "audit/log_review.html",
        {
            "period": period,
            "since_day": since_day,
            "until_day": until_day,
            "only_open": only_open,
            "sections": sections,
            "open_total": sum(section.open for section in sections),
            # An error on an item that is no longer on the page (marked meanwhile): shown at the top.
            "posted_elsewhere": posted if posted is not None and posted.errors and not posted_shown else None,
        },
        status=status,
    )
