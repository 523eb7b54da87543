"""The pages of break-the-glass (toegang in noodsituatie): the request with its reason and the end.
The file itself is indications.views.client_file, which reads through a grant in force."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import context as audit_context
from audit.models import AuditEvent, ReviewMark
from audit.services import record_read, record_request

from . import emergency_services
from .emergency_forms import EmergencyAccessForm
from .forms import apply_service_errors
from .models import EmergencyAccess


def _ensure_case_worker(request) -> None:
    if not request.user.has_perm(emergency_services._case_work_permission()):
        raise PermissionDenied


def emergency_access_request(request):
    """Ask for the access: the BSN (from the search) and the reason. Only the grant tells whether a
    client with the BSN exists; a refusal is recorded in the audit trail with the BSN."""
    _ensure_case_worker(request)
    form = EmergencyAccessForm(request.POST or None, initial={"bsn": request.GET.get("bsn", "")[:9]})
    if request.method == "POST" and form.is_valid():
        try:
            access = emergency_services.grant_emergency_access(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            record_request(
                request,
                action=AuditEvent.Action.REJECTED,
                object_type=EmergencyAccess._meta.label_lower,
                summary="toegang in noodsituatie geweigerd: "
                + "; ".join(item.code or "" for items in error.error_dict.values() for item in items),
                bsn=form.cleaned_data["bsn"][:9],
                purpose=str(emergency_services.EMERGENCY_PURPOSE),
            )
        else:
            # The client file's banner says until when and why (no message on top of it).
            return redirect("indications:client_file", client_uuid=access.client.uuid)
    return render(
        request,
        "indications/emergency_access_form.html",
        {"form": form, "hours": settings.EMERGENCY_ACCESS_HOURS},
    )


@require_POST
def emergency_access_end(request, access_uuid):
    access = get_object_or_404(EmergencyAccess, uuid=access_uuid, user=request.user)
    try:
        emergency_services.end_emergency_access(access, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De toegang in noodsituatie is beëindigd."))
    return redirect("indications:client_search")


def emergency_access_detail(request, access_uuid):
    """One access for those who review it (the privacy officer; a team lead for their teams): who,
    which file, why, how long, and what was done in the file meanwhile. Reading it is audited."""
    access = get_object_or_404(emergency_services.accesses_for_review(request.user), uuid=access_uuid)
    with audit_context.purpose_of_use(audit_context.LOG_REVIEW):
        record_read(request, access, client_id=access.client_id, summary="toegang in noodsituatie bekeken")
    return render(
        request,
        "indications/emergency_access_detail.html",
        {
            "access": access,
            "events": emergency_services.events_under(access),
            "mark": ReviewMark.objects.filter(kind=emergency_services.REVIEW_SOURCE.kind, key=str(access.uuid))
            .select_related("reviewed_by")
            .first(),
        },
    )
