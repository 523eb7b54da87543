"""The bezwaar pages: the open bezwaren with their deadlines and dwangsom risk, registering one
against a beschikking, and one bezwaar with its actions. Thin views over objections.services and
.selectors; every object is looked up within the clients the user may see (else 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record_read
from indications.forms import apply_service_errors
from indications.models import Indication
from indications.selectors import clients_visible_to
from indications.views import requires
from letters import selectors as letter_selectors

from . import deadlines, selectors, services
from .forms import ConsentForm, DecisionForm, ExtensionForm, IngebrekestellingForm, ProcedureForm, RegisterForm

PAGE_SIZE = 25


@requires("objections.view_bezwaar")
def bezwaar_list(request):
    today = timezone.localdate()
    page = Paginator(selectors.open_bezwaren(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "objections/list.html",
        {
            "page": page,
            "rows": selectors.with_figures(page.object_list, today=today),
            "today": today,
            "dwangsom_maximum": deadlines.DWANGSOM_MAXIMUM,
        },
    )


def _beschikking(request, indication_uuid) -> Indication:
    visible = Indication.objects.filter(client__in=clients_visible_to(request.user)).select_related("client", "product")
    return get_object_or_404(visible, uuid=indication_uuid)


@requires("objections.add_bezwaar")
def bezwaar_register(request, indication_uuid):
    beschikking = _beschikking(request, indication_uuid)
    today = timezone.localdate()
    form = RegisterForm(request.POST or None, initial={"received_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            bezwaar = services.register_bezwaar(beschikking, by=request.user, today=today, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het bezwaar is geregistreerd."))
            return redirect("objections:detail", bezwaar_uuid=bezwaar.uuid)
    letter_date = services.letter_date_of(beschikking)
    return render(
        request,
        "objections/register.html",
        {
            "form": form,
            "beschikking": beschikking,
            "client": beschikking.client,
            "letter_date": letter_date,
            "bezwaartermijn_end": deadlines.bezwaartermijn_end(letter_date) if letter_date else None,
            "today": today,
        },
    )


def _detail_forms(bezwaar) -> dict:
    return {
        "procedure_form": ProcedureForm(
            initial={
                "hearing": bezwaar.hearing,
                "hearing_on": bezwaar.hearing_on,
                "advisory_committee": bezwaar.advisory_committee,
            }
        ),
        "extension_form": ExtensionForm(),
        "consent_form": ConsentForm(),
        "ingebrekestelling_form": IngebrekestellingForm(),
        "decision_form": DecisionForm(
            initial={"decided_on": timezone.localdate()}, herzieningen=selectors.herziening_choices(bezwaar)
        ),
    }


def _render_detail(request, bezwaar, *, failed: dict | None = None, status: int = 200):
    today = timezone.localdate()
    context = {
        "bezwaar": bezwaar,
        "client": bezwaar.beschikking.client,
        "figures": selectors.figures(bezwaar, today=today),
        "today": today,
        "dwangsom_maximum": deadlines.DWANGSOM_MAXIMUM,
        # The letters sent about this bezwaar (ontvangstbevestiging, verdaging, beslissing), as sent.
        "bezwaar_letters": letter_selectors.letters_about(bezwaar)
        if request.user.has_perm("letters.view_letter")
        else None,
        **_detail_forms(bezwaar),
        **(failed or {}),
    }
    return render(request, "objections/detail.html", context, status=status)


def _bezwaar(request, bezwaar_uuid):
    return get_object_or_404(selectors.bezwaar_detail(request.user, bezwaar_uuid))


@requires("objections.view_bezwaar")
def bezwaar_detail(request, bezwaar_uuid):
    bezwaar = _bezwaar(request, bezwaar_uuid)
    record_read(request, bezwaar, client_id=bezwaar.beschikking.client_id, summary="bezwaar ingezien")
    return _render_detail(request, bezwaar)


def _action(request, bezwaar_uuid, form_name: str, form_class, run, success: str, *, form_kwargs=None):
    """Validate one of the detail page's forms and run its service; on an error the page comes back
    with the errors at the form's fields."""
    bezwaar = _bezwaar(request, bezwaar_uuid)
    form = form_class(request.POST, **(form_kwargs(bezwaar) if form_kwargs else {}))
    if form.is_valid():
        try:
            run(bezwaar, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("objections:detail", bezwaar_uuid=bezwaar.uuid)
    return _render_detail(request, bezwaar, failed={form_name: form})


@require_POST
@requires("objections.change_bezwaar")
def bezwaar_procedure(request, bezwaar_uuid):
    def run(bezwaar, data):
        services.update_procedure(bezwaar, by=request.user, **data)

    return _action(request, bezwaar_uuid, "procedure_form", ProcedureForm, run, _("De procedure is bijgewerkt."))


@require_POST
@requires("objections.change_bezwaar")
def bezwaar_extend(request, bezwaar_uuid):
    def run(bezwaar, data):
        services.extend_decision_term(bezwaar, by=request.user, reason=data["reason"])

    return _action(request, bezwaar_uuid, "extension_form", ExtensionForm, run, _("De beslissing is verdaagd."))


@require_POST
@requires("objections.change_bezwaar")
def bezwaar_consent(request, bezwaar_uuid):
    def run(bezwaar, data):
        services.record_consent(bezwaar, by=request.user, until=data["until"], note=data["note"])

    return _action(request, bezwaar_uuid, "consent_form", ConsentForm, run, _("Het uitstel is vastgelegd."))


@require_POST
@requires("objections.change_bezwaar")
def bezwaar_ingebrekestelling(request, bezwaar_uuid):
    def run(bezwaar, data):
        services.record_ingebrekestelling(bezwaar, by=request.user, received_on=data["received_on"])

    return _action(
        request,
        bezwaar_uuid,
        "ingebrekestelling_form",
        IngebrekestellingForm,
        run,
        _("De ingebrekestelling is vastgelegd."),
    )


@require_POST
@requires("objections.decide_bezwaar")
def bezwaar_decide(request, bezwaar_uuid):
    def run(bezwaar, data):
        decide = services.DECISIONS[data["outcome"]]
        extra = {"herziening": data["herziening"]} if data["outcome"] == "gegrond" else {}
        decide(bezwaar, by=request.user, motivation=data["motivation"], decided_on=data["decided_on"], **extra)

    def kwargs(bezwaar):
        return {"herzieningen": selectors.herziening_choices(bezwaar)}

    return _action(
        request, bezwaar_uuid, "decision_form", DecisionForm, run, _("Op het bezwaar is beslist."), form_kwargs=kwargs
    )
