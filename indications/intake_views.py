"""The onderzoek pages: the onderzoek with its sections (gesprekken, mantelzorgers, ZRM, other
provisions, conclusion, nazorg) in one form, a mantelzorger's own page to change or remove it, and
the aanvraag that follows a maatwerk conclusion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import context as audit_context
from audit.services import record_read

from . import emergency_services, selectors, services
from .forms import (
    AanvraagForm,
    ConversationForm,
    IntakeConclusionForm,
    MantelzorgerForm,
    MantelzorgerRemoveForm,
    NazorgForm,
    OtherProvisionForm,
    PersoonlijkPlanForm,
    ZrmAssessmentForm,
    apply_service_errors,
    kept_input,
)
from .models import Intake, Mantelzorger, ZrmAssessment
from .views import _visible, requires


def _intake_or_404(request, intake_uuid) -> Intake:
    return get_object_or_404(_with_sections(_visible(Intake.objects, request, "melding__client")), uuid=intake_uuid)


def _with_sections(intakes):
    return intakes.select_related("melding__client__municipality", "melding__consultant").prefetch_related(
        "conversations",
        "mantelzorgers",
        Prefetch("zrm_assessments", queryset=ZrmAssessment.objects.prefetch_related("scores__domain")),
        Prefetch("aanvragen", queryset=selectors.aanvragen_with_indication()),
    )


def _intake_through_grant(request, intake_uuid):
    """The onderzoek and the break-the-glass access in force to its client, or a 404."""
    found = _with_sections(Intake.objects.filter(uuid=intake_uuid)).first()
    access = found and selectors.emergency_access_to(request.user, found.melding.client_id)
    if not access:
        raise Http404
    return found, access


# The onderzoek page's sections: (prefix, context name, form class). One <form> holds them all, so
# saving one section posts what was typed in the others too; that input is kept (INTAKE_DRAFTS).
INTAKE_SECTIONS = (
    ("gesprek", "conversation_form", ConversationForm),
    ("mantelzorger", "mantelzorger_form", MantelzorgerForm),
    ("zrm", "zrm_form", ZrmAssessmentForm),
    ("voorziening", "provision_form", OtherProvisionForm),
    ("persoonlijkplan", "persoonlijk_plan_form", PersoonlijkPlanForm),
    ("conclusie", "conclusion_form", IntakeConclusionForm),
    ("nazorg", "nazorg_form", NazorgForm),
)
# The session key under which a saved section's redirect carries the other sections' input.
INTAKE_DRAFTS = "onderzoek-invoer-{uuid}"


def _intake_defaults(today) -> dict[str, dict]:
    return {
        "gesprek": {"held_on": today, "participants": ["client"]},
        "mantelzorger": {},
        "zrm": {"assessed_on": today},
        "voorziening": {},
        "persoonlijkplan": {"received_on": today},
        "conclusie": {"concluded_on": today},
        "nazorg": {"done_on": today},
    }


def _posted_sections(request, defaults: dict[str, dict]) -> dict[str, dict]:
    """What was typed in each section shown on the page, for the sections where anything was typed
    (a section not shown posts nothing; one left as it was needs no keeping)."""
    kept = {}
    for prefix, _name, form_class in INTAKE_SECTIONS:
        if not any(key.startswith(f"{prefix}-") for key in request.POST):
            continue
        typed = kept_input(form_class(request.POST, prefix=prefix))
        if any(
            value not in (None, "", [], False) and str(value) != str(defaults[prefix].get(name, ""))
            for name, value in typed.items()
        ):
            kept[prefix] = typed
    return kept


@requires("indications.change_intake")
def intake(request, intake_uuid):
    """The onderzoek page: conversations, ZRM, other provisions and conclusion in one form with a
    save button per section. Saving a section keeps what was typed in the others. Read through a
    break-the-glass access in force (GET only): the same page without a form, under its purpose."""
    try:
        intake = _intake_or_404(request, intake_uuid)
    except Http404:
        if request.method != "GET":
            raise
        intake, access = _intake_through_grant(request, intake_uuid)
        with audit_context.purpose_of_use(emergency_services.purpose_of(access)):
            record_read(request, intake, client_id=intake.melding.client_id, summary="onderzoek ingezien")
        return _intake_page(request, intake, forms={}, kept={}, emergency_access=access)
    today = timezone.localdate()
    draft_key = INTAKE_DRAFTS.format(uuid=intake.uuid)
    defaults = _intake_defaults(today)
    if request.method == "POST":
        kept = _posted_sections(request, defaults)
    else:
        kept = request.session.pop(draft_key, {})
        record_read(request, intake, client_id=intake.melding.client_id, summary="onderzoek ingezien")
    forms = {
        name: form_class(prefix=prefix, initial=kept.get(prefix) or defaults[prefix])
        for prefix, name, form_class in INTAKE_SECTIONS
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step:
        handled = _handle_intake_step(request, intake, step, forms)
        if handled is not None:
            kept.pop(step, None)
            if kept:
                request.session[draft_key] = kept
            return handled
        if step not in {prefix for prefix, _name, _cls in INTAKE_SECTIONS}:
            messages.info(request, _("Er is niets opgeslagen: kies de knop onder het onderdeel dat u wilt opslaan."))
    return _intake_page(request, intake, forms=forms, kept=kept)


def _intake_page(request, intake: Intake, *, forms: dict, kept: dict, emergency_access=None):
    today = timezone.localdate()
    return render(
        request,
        "indications/intake.html",
        {
            "intake": intake,
            "melding": intake.melding,
            "client": intake.melding.client,
            "today": today,
            "persoonlijk_plan_term_runs": intake.persoonlijk_plan_term_runs(today),
            "kept": set(kept),
            # Sections offer their forms while the onderzoek runs, never through a break-the-glass access.
            "editable": not intake.is_concluded and emergency_access is None,
            "emergency_access": emergency_access,
            **forms,
        },
    )


def _handle_intake_step(request, intake: Intake, step: str, forms: dict):
    """Process one section of the onderzoek page; return a redirect on success, None to re-render."""
    client, user = intake.melding.client, request.user
    # step: (context name, form class, prefix, service call, success message)
    steps = {
        "gesprek": (
            "conversation_form",
            ConversationForm,
            "gesprek",
            lambda form: services.add_conversation(intake, by=user, **form.cleaned_data),
            _("Het gesprek is vastgelegd."),
        ),
        "mantelzorger": (
            "mantelzorger_form",
            MantelzorgerForm,
            "mantelzorger",
            lambda form: services.add_mantelzorger(intake, by=user, **form.cleaned_data),
            _("De mantelzorger is vastgelegd."),
        ),
        "zrm": (
            "zrm_form",
            ZrmAssessmentForm,
            "zrm",
            lambda form: services.record_zrm_assessment(
                client=client,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.zrm_scores(),
                by=user,
                intake=intake,
            ),
            _("De ZRM-meting is vastgelegd."),
        ),
        "persoonlijkplan": (
            "persoonlijk_plan_form",
            PersoonlijkPlanForm,
            "persoonlijkplan",
            lambda form: services.record_persoonlijk_plan(intake, by=user, **form.cleaned_data),
            _("Het persoonlijk plan is vastgelegd."),
        ),
        "conclusie": (
            "conclusion_form",
            IntakeConclusionForm,
            "conclusie",
            lambda form: services.conclude_intake(intake, by=user, **form.cleaned_data),
            _("Het onderzoek is afgerond."),
        ),
        "voorziening": (
            "provision_form",
            OtherProvisionForm,
            "voorziening",
            lambda form: services.record_other_provision(client=client, by=user, **form.cleaned_data),
            _("De andere voorziening is vastgelegd."),
        ),
        "nazorg": (
            "nazorg_form",
            NazorgForm,
            "nazorg",
            lambda form: services.record_nazorg(intake, by=user, **form.cleaned_data),
            _("De nazorg is vastgelegd."),
        ),
    }
    if step not in steps:
        return None
    name, form_class, prefix, call_service, success = steps[step]
    form = forms[name] = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call_service(form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("indications:intake", intake_uuid=intake.uuid)
    return None


def _mantelzorger_or_404(request, intake_uuid, mantelzorger_uuid) -> Mantelzorger:
    mantelzorgers = _visible(Mantelzorger.objects, request, "intake__melding__client").select_related(
        "intake__melding__client__municipality"
    )
    return get_object_or_404(mantelzorgers, uuid=mantelzorger_uuid, intake__uuid=intake_uuid)


@requires("indications.change_intake")
def mantelzorger_update(request, intake_uuid, mantelzorger_uuid):
    """Change what is recorded of a mantelzorger, or remove one recorded by mistake (a form of its
    own, so that no form is nested); only while the onderzoek is open."""
    mantelzorger = _mantelzorger_or_404(request, intake_uuid, mantelzorger_uuid)
    intake = mantelzorger.intake
    client = intake.melding.client
    if request.method == "GET":
        record_read(request, mantelzorger, client_id=client.pk, summary="mantelzorger ingezien")
    form = MantelzorgerForm(
        request.POST if request.POST.get("step") == "wijzigen" else None, instance=mantelzorger, prefix="mantelzorger"
    )
    remove_form = MantelzorgerRemoveForm(request.POST if request.POST.get("step") == "verwijderen" else None)
    if form.is_bound and form.is_valid():
        try:
            services.update_mantelzorger(mantelzorger, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De mantelzorger is gewijzigd."))
            return redirect("indications:intake", intake_uuid=intake.uuid)
    if remove_form.is_bound and remove_form.is_valid():
        try:
            services.remove_mantelzorger(mantelzorger, by=request.user)
        except ValidationError as error:
            apply_service_errors(remove_form, error)
        else:
            messages.success(request, _("De mantelzorger is verwijderd."))
            return redirect("indications:intake", intake_uuid=intake.uuid)
    return render(
        request,
        "indications/mantelzorger_form.html",
        {"form": form, "remove_form": remove_form, "mantelzorger": mantelzorger, "intake": intake, "client": client},
    )


@requires("indications.add_aanvraag")
def aanvraag_create(request, intake_uuid):
    intake = _intake_or_404(request, intake_uuid)
    client = intake.melding.client
    form = AanvraagForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            aanvraag = services.register_aanvraag(
                client=client,
                intake=intake,
                received_on=form.cleaned_data["received_on"],
                consultant=request.user,
                by=request.user,
                requested_product=form.cleaned_data["requested_product"],
                requested_opslag=form.cleaned_data["requested_opslag"],
                requested_end_date=form.cleaned_data["requested_end_date"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Aanvraag geregistreerd. De beschikking moet uiterlijk %(date)s worden afgegeven.")
                % {"date": aanvraag.beschikking_deadline.strftime("%d-%m-%Y")},
            )
            return redirect("indications:indication_create", aanvraag_uuid=aanvraag.uuid)
    return render(request, "indications/aanvraag_form.html", {"form": form, "intake": intake, "client": client})
