from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import clients_visible_to
from indications.models import Indication

from . import services
from .forms import AnswerChangeRequestForm, ChangeProviderForm, SlaFilterForm
from .models import ChangeRequest, Provider
from .selectors import periods, provider_overview, sla_figures


@permission_required("providers.view_provider", raise_exception=True)
def overview(request):
    return render(request, "providers/overview.html", {"providers": provider_overview()})


@permission_required("indications.view_management_information", raise_exception=True)
def sla(request):
    """SLA figures per provider for contract management, computed in the database."""
    today = timezone.localdate()
    form = SlaFilterForm(request.GET or {"year": today.year, "granularity": "jaar"})
    rows, period = [], None
    if form.is_valid():
        options = periods(form.cleaned_data["year"], form.cleaned_data["granularity"])
        period = options[min((form.cleaned_data.get("part") or 1), len(options)) - 1]
        providers = Provider.objects.all()
        if form.cleaned_data.get("reference_group"):
            providers = providers.filter(reference_group=form.cleaned_data["reference_group"])
        rows = sla_figures(period, providers=providers, today=today)
    return render(request, "providers/sla.html", {"form": form, "rows": rows, "period": period})


def _show_errors(request, error_messages) -> None:
    for message in error_messages:
        messages.error(request, message)


@require_POST
@permission_required("indications.change_indication", raise_exception=True)
def change_provider(request, indication_uuid):
    indication = get_object_or_404(
        Indication.objects.filter(client__in=clients_visible_to(request.user)), uuid=indication_uuid
    )
    form = ChangeProviderForm(request.POST)
    if form.is_valid():
        try:
            services.change_provider(indication, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _show_errors(request, error.messages)
        else:
            messages.success(request, _("De aanbieder is gewijzigd; de nieuwe toewijzing is verstuurd."))
    else:
        _show_errors(request, [m for errors in form.errors.values() for m in errors])
    return redirect("indications:indication_detail", indication_uuid=indication.uuid)


@require_POST
@permission_required("providers.change_changerequest", raise_exception=True)
def answer_change_request(request, request_uuid):
    change_request = get_object_or_404(
        ChangeRequest.objects.filter(assignment__indication__client__in=clients_visible_to(request.user))
        .select_related("assignment__indication"),
        uuid=request_uuid,
    )
    indication = change_request.assignment.indication
    form = AnswerChangeRequestForm(request.POST)
    if form.is_valid():
        try:
            services.answer_change_request(
                change_request,
                by=request.user,
                accept=form.cleaned_data["decision"] == AnswerChangeRequestForm.GRANT,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _show_errors(request, error.messages)
        else:
            messages.success(request, _("Het antwoord is aan de aanbieder gegeven."))
    else:
        _show_errors(request, [m for errors in form.errors.values() for m in errors])
    return redirect("indications:indication_detail", indication_uuid=indication.uuid)
