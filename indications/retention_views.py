"""The functioneel beheerder's review of the proposals to destroy closed client files: the list of
open proposals with what holds each, the decision on one (approve, postpone, reject, each with a
reason) and the execution of an approved one. Every move is a service of indications.retention."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import retention
from .forms import apply_service_errors
from .models import DestructionProposal
from .retention_forms import APPROVE, POSTPONE, DestructionDecisionForm

REVIEW_PERMISSION = "indications.review_destruction"
# The statuses in which the reviewer decides (again): an approval can still become a postponement or
# a rejection until it is carried out.
DECIDABLE = (retention.S.PROPOSED, retention.S.APPROVED, retention.S.POSTPONED)


@permission_required(REVIEW_PERMISSION, raise_exception=True)
def destruction_proposals(request):
    proposals = list(retention.open_proposals())
    holds = retention.holds_of(proposal.client_id for proposal in proposals)
    rows = [{"proposal": proposal, "holds": holds.get(proposal.client_id, [])} for proposal in proposals]
    return render(
        request,
        "indications/destruction_proposals.html",
        {"rows": rows, "recent": retention.recent_decisions(), "years": settings.CLIENT_FILE_RETENTION_YEARS},
    )


@require_http_methods(["GET", "POST"])
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def destruction_proposal(request, proposal_uuid):
    proposal = get_object_or_404(DestructionProposal.objects.select_related("client__municipality"), uuid=proposal_uuid)
    can_decide = proposal.status in DECIDABLE
    form = DestructionDecisionForm(request.POST or None)
    if request.method == "POST" and not can_decide:
        messages.error(request, _("Over dit voorstel is al besloten."))
        return redirect("indications:destruction_proposal", proposal_uuid=proposal.uuid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == APPROVE:
                retention.approve_destruction(proposal, by=request.user, note=data["note"])
            elif data["decision"] == POSTPONE:
                retention.postpone_destruction(
                    proposal, by=request.user, note=data["note"], until=data["until"], today=timezone.localdate()
                )
            else:
                retention.reject_destruction(proposal, by=request.user, note=data["note"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Uw besluit over het voorstel is vastgelegd."))
            return redirect("indications:destruction_proposals")
    holds = retention.holds_of([proposal.client_id]).get(proposal.client_id, [])
    return render(
        request,
        "indications/destruction_proposal.html",
        {
            "proposal": proposal,
            "form": form,
            "holds": holds,
            "history": proposal.status_changes.select_related("by"),
            "can_decide": can_decide,
        },
    )


@require_POST
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def destruction_execute(request, proposal_uuid):
    proposal = get_object_or_404(DestructionProposal, uuid=proposal_uuid)
    try:
        proposal = retention.execute_destruction(proposal, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("indications:destruction_proposal", proposal_uuid=proposal.uuid)
    messages.success(
        request,
        _("Het dossier is geanonimiseerd (%(rows)s rijen gewijzigd of verwijderd).")
        % {"rows": sum(proposal.counts.values())},
    )
    return redirect("indications:destruction_proposals")
