"""The consultant's pages. Thin: forms check shape, services apply the rules and write."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import context as audit_context
from audit.services import record_read, record_search

from . import decisions, eigen_bijdrage, emergency_services, four_eyes, panels, selectors, services, workflow
from .forms import (
    ClientForm,
    ClientSearchForm,
    EndIndicationForm,
    EvaluationForm,
    IndicationForm,
    IndicationResultFormSet,
    IssueForm,
    MeldingForm,
    RefusalForm,
    ReopenConceptForm,
    ReviewAnswerForm,
    ReviewDecisionForm,
    ReviewQuestionForm,
    WithdrawIndicationForm,
    apply_service_errors,
    kept_input,
)
from .models import Aanvraag, Client, Indication
from .selectors import CASE_WORK_PERMISSION, clients_visible_to, municipalities_of
from .validators import is_valid_bsn


def requires(permission: str):
    """The view needs this permission; without it the answer is 403 (never a login loop)."""
    return permission_required(permission, raise_exception=True)


# Every object is looked up within the clients the user may see: another team's client is a 404.
# (`queryset or ...` would evaluate the queryset, loading every client the user may see: test for None.)
# A client the user reads through a break-the-glass access (emergency_services) is read-only:
# every other page of that client answers 403.
def _client(request, client_uuid, queryset=None) -> Client:
    if queryset is None:
        queryset = clients_visible_to(request.user)
    client = queryset.filter(uuid=client_uuid).first()
    if client is None:
        if selectors.active_emergency_accesses(request.user).filter(client__uuid=client_uuid).exists():
            raise PermissionDenied
        raise Http404
    return client


def _visible(queryset, request, client_path: str):
    return queryset.filter(**{f"{client_path}__in": clients_visible_to(request.user)})


def home(request):
    """Each role starts on its own page."""
    user = request.user
    if user.has_perm("indications.view_client"):
        return redirect("indications:worklist")
    if user.has_perm("indications.view_management_information"):
        return redirect("providers:overview")
    if user.has_perm("audit.review_log"):
        return redirect("audit:log_review")  # the privacy officer
    if user.has_perm("indications.search_client_for_access_log"):
        return redirect("indications:client_search")
    raise PermissionDenied


# Each list of the worklist pages on its own query parameter (context name: parameter).
WORKLIST_LISTS = {
    "open_onderzoeken": "onderzoeken",
    "open_aanvragen": "aanvragen",
    "concept_indications": "concepten",
    "in_review": "beoordeling",
    "evaluations_due": "evaluaties",
    "ending_soon": "aflopend",
    "nazorg_due": "nazorg",
}
WORKLIST_PAGE_SIZE = 10


@requires("indications.view_client")
def worklist(request):
    """The day's work first, list by list, each paginated; the signals after it as counts per type
    and the most urgent few (they are handled on the signals page). A fixed number of queries.
    The verzoeken om wijziging and the signals come from the providers' and the signal engine's
    panels (indications.panels)."""
    today = timezone.localdate()
    sections = selectors.worklist(request.user, today=today)
    pages = {
        name: Paginator(sections[name], WORKLIST_PAGE_SIZE).get_page(request.GET.get(param))
        for name, param in WORKLIST_LISTS.items()
    }
    return render(
        request,
        "indications/worklist.html",
        {
            "today": today,
            **pages,
            "params": WORKLIST_LISTS,
            **panels.panel_context(panels.WORKLIST, request, request.user, today=today),
        },
    )


def client_search(request):
    """Search: consultants within their teams' clients; the functioneel beheerder (privacy officer)
    across all clients, to reach the access log, without the case file."""
    user = request.user
    for_access_log = not user.has_perm("indications.view_client")
    if for_access_log and not user.has_perm("indications.search_client_for_access_log"):
        raise PermissionDenied
    form = ClientSearchForm(request.GET or None)
    page = None
    if form.is_valid() and form.has_criteria():
        within = Client.objects.all() if for_access_log else clients_visible_to(user)
        clients = selectors.search_clients(within=within, **form.cleaned_data)
        page = Paginator(clients, 25).get_page(request.GET.get("pagina"))
        record_search(  # NEN 7513: who searched for which BSN or name, and how many hits
            request,
            object_type=Client._meta.label_lower,
            criteria=form.cleaned_data,
            hits=page.paginator.count,
            bsn=form.cleaned_data["bsn"],
            purpose=audit_context.PRIVACY if for_access_log else None,
        )
    # Break-the-glass: offered on EVERY not-found answer to a full, valid BSN, so that the offer
    # tells nothing about whether the client exists elsewhere (only the grant does).
    offer_emergency_access = (
        page is not None
        and not for_access_log
        and page.paginator.count == 0
        and is_valid_bsn(form.cleaned_data["bsn"])
        and user.has_perm(".".join(CASE_WORK_PERMISSION))
    )
    return render(
        request,
        "indications/client_search.html",
        {
            "form": form,
            "page": page,
            "for_access_log": for_access_log,
            "offer_emergency_access": offer_emergency_access,
        },
    )


@requires("indications.add_client")
def client_create(request):
    form = ClientForm(request.POST or None, municipalities=municipalities_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            client = services.register_client(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Cliënt %(name)s is geregistreerd.") % {"name": client.full_name})
            return redirect("indications:melding_create", client_uuid=client.uuid)
    return render(request, "indications/client_form.html", {"form": form, "title": _("Nieuwe cliënt")})


@requires("indications.change_client")
def client_update(request, client_uuid):
    client = _client(request, client_uuid)
    form = ClientForm(request.POST or None, instance=client, municipalities=municipalities_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(Client.objects.get(pk=client.pk), by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("indications:client_file", client_uuid=client.uuid)
    return render(
        request,
        "indications/client_form.html",
        {"form": form, "client": client, "title": _("Gegevens van %(name)s wijzigen") % {"name": client.full_name}},
    )


@requires("indications.view_client")
def client_file(request, client_uuid):
    """The client's file; read-only through a break-the-glass access in force, and every audit event
    recorded while it is read that way carries the access's purpose (emergency_services.purpose_of)."""
    found = clients_visible_to(request.user).filter(uuid=client_uuid).values_list("pk", flat=True).first()
    if found is not None:
        return _client_file_page(request, found, emergency_access=None)
    access = selectors.active_emergency_accesses(request.user).filter(client__uuid=client_uuid).first()
    if access is None:
        raise Http404
    with audit_context.purpose_of_use(emergency_services.purpose_of(access)):
        return _client_file_page(request, access.client_id, emergency_access=access)


def _client_file_page(request, pk: int, *, emergency_access):
    client = selectors.client_file(pk)
    assessments, zrm_rows = selectors.zrm_history(client)
    record_read(request, client, client_id=client.pk, summary="dossier ingezien")
    today = timezone.localdate()
    return render(
        request,
        "indications/client_file.html",
        {
            "client": client,
            "zrm_assessments": assessments,
            "zrm_rows": zrm_rows,
            "today": today,
            "emergency_access": emergency_access,
            **panels.panel_context(panels.CLIENT_FILE, request, client, today=today),
        },
    )


@requires("indications.add_melding")
def melding_create(request, client_uuid):
    client = _client(request, client_uuid)
    initial = {"received_on": timezone.localdate(), "consultant": request.user.pk}
    form = MeldingForm(request.POST or None, client=client, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            melding = services.register_melding(client=client, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Melding geregistreerd. Het onderzoek moet uiterlijk %(date)s zijn afgerond.")
                % {"date": melding.onderzoek_deadline.strftime("%d-%m-%Y")},
            )
            return redirect("indications:intake", intake_uuid=melding.intake.uuid)
    return render(request, "indications/melding_form.html", {"form": form, "client": client})


# The indication form's submit buttons that only redraw the page, keeping what was typed.
RESULT_ROW_ADD, RESULT_ROWS_REFRESH = "resultaat_toevoegen", "subresultaten_tonen"


def _indication_form_page(
    request, *, client: Client, indication: Indication | None, initial: dict, aanvraag: Aanvraag | None = None
):
    if request.method == "GET":
        record_read(request, indication or client, client_id=client.pk, summary="indicatieformulier geopend")
    result_initial = []
    if indication is not None:
        result_initial = [
            {
                "result": str(item.result_id),
                "sub_results": [str(sub.pk) for sub in item.sub_results.all()],
                "goal": item.goal,
            }
            for item in indication.results.prefetch_related("sub_results")
        ]
    redraw = request.POST.get("rijen") if request.method == "POST" else None
    if redraw in (RESULT_ROW_ADD, RESULT_ROWS_REFRESH):
        # Add a result row or show the sub-results of the chosen results: nothing is saved, nothing
        # typed is lost, and no errors are shown for a form that is not finished yet.
        bound_form = IndicationForm(request.POST, instance=indication, client=client)
        bound_formset = IndicationResultFormSet(request.POST, prefix="resultaten")
        form = IndicationForm(instance=indication, client=client, initial=kept_input(bound_form))
        formset = IndicationResultFormSet(
            prefix="resultaten", initial=bound_formset.kept_rows(add=redraw == RESULT_ROW_ADD)
        )
    else:
        form = IndicationForm(request.POST or None, instance=indication, client=client, initial=initial)
        formset = IndicationResultFormSet(request.POST or None, prefix="resultaten", initial=result_initial)
    latest_zrm = selectors.latest_zrm_assessment(client)
    # The IB rule on an overloaded mantelzorger (ib_rules.mantelzorg_errors), shown before it bites.
    if indication is not None:
        aanvraag = indication.aanvraag
    else:
        aanvraag = Aanvraag.objects.filter(pk=initial.get("aanvraag")).first()
    overloaded_mantelzorgers = selectors.overloaded_mantelzorgers_of(aanvraag)
    if request.method == "POST" and not redraw and form.is_valid() and formset.is_valid():
        try:
            indication = services.save_indication_concept(
                indication,
                client=client,
                by=request.user,
                results=formset.result_inputs(),
                evaluation_dates=form.evaluation_dates(),
                **form.indication_data(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het concept is opgeslagen. Controleer het en stel de beschikking vast."))
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return render(
        request,
        "indications/indication_form.html",
        {
            "form": form,
            "formset": formset,
            "client": client,
            "indication": indication,
            "latest_zrm": latest_zrm,
            "overloaded_mantelzorgers": overloaded_mantelzorgers,
            "row_add": RESULT_ROW_ADD,
            "rows_refresh": RESULT_ROWS_REFRESH,
            "aanvraag": aanvraag,  # a new indication for it: the aanvraag may be refused instead
        },
    )


@requires("indications.add_indication")
def indication_create(request, aanvraag_uuid):
    aanvraag = get_object_or_404(
        _visible(Aanvraag.objects, request, "client").select_related("client"), uuid=aanvraag_uuid
    )
    existing = selectors.indication_of_aanvraag(aanvraag)
    if existing is not None:  # one aanvraag, one indication: go to it (the service refuses a second)
        messages.info(request, _("Bij deze aanvraag hoort al een indicatie."))
        return redirect("indications:indication_detail", indication_uuid=existing.uuid)
    return _indication_form_page(
        request,
        client=aanvraag.client,
        indication=None,
        initial={
            "aanvraag": aanvraag.pk,
            "start_date": timezone.localdate(),
            "product": aanvraag.requested_product_id,
            "opslag": aanvraag.requested_opslag,
            "end_date": aanvraag.requested_end_date,
        },
        aanvraag=aanvraag,
    )


def _indication_or_404(request, indication_uuid) -> Indication:
    return get_object_or_404(
        _visible(Indication.objects, request, "client").select_related("client", "product"), uuid=indication_uuid
    )


@requires("indications.change_indication")
def indication_update(request, indication_uuid):
    indication = _indication_or_404(request, indication_uuid)
    if indication.status not in workflow.EDITABLE_STATUSES:
        messages.error(request, _("Alleen een concept kan worden gewijzigd."))
        return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    if indication.is_refusal:
        return redirect("indications:indication_refuse", indication_uuid=indication.uuid)
    return _indication_form_page(request, client=indication.client, indication=indication, initial={})


def _refusal_page(request, *, aanvraag: Aanvraag, indication: Indication | None):
    """The afwijzing of the aanvraag: drawn up new, or the aanvraag's concept turned into one."""
    if request.method == "GET":
        record_read(request, indication or aanvraag.client, client_id=aanvraag.client_id, summary="afwijzing geopend")
    initial = {"product": aanvraag.requested_product_id}
    if indication is not None:
        initial = {
            "product": indication.product_id,
            "refusal_ground": indication.refusal_ground,
            "refusal_motivation": indication.refusal_motivation,
            "four_eyes_requested": indication.four_eyes_requested,
        }
    form = RefusalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            indication = services.save_refusal_concept(
                indication, aanvraag=aanvraag, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De afwijzing is als concept opgeslagen. Controleer haar en stel haar vast."))
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return render(
        request,
        "indications/refusal_form.html",
        {"form": form, "client": aanvraag.client, "aanvraag": aanvraag, "indication": indication},
    )


@requires("indications.add_indication")
def aanvraag_refuse(request, aanvraag_uuid):
    aanvraag = get_object_or_404(
        _visible(Aanvraag.objects, request, "client").select_related("client"), uuid=aanvraag_uuid
    )
    existing = selectors.indication_of_aanvraag(aanvraag)
    if existing is not None:  # one aanvraag, one decision: its concept becomes the afwijzing
        return redirect("indications:indication_refuse", indication_uuid=existing.uuid)
    return _refusal_page(request, aanvraag=aanvraag, indication=None)


@requires("indications.change_indication")
def indication_refuse(request, indication_uuid):
    indication = _indication_or_404(request, indication_uuid)
    if "refuse" not in workflow.offered_actions(indication, today=timezone.localdate(), needs_review=False) and not (
        indication.is_refusal and indication.status in workflow.EDITABLE_STATUSES
    ):
        messages.error(request, _("Alleen het concept van een aanvraag kan een afwijzing worden."))
        return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return _refusal_page(request, aanvraag=indication.aanvraag, indication=indication)


class _NoInput(forms.Form):
    """A button without fields; a service's refusal shows as this form's error."""


# The beschikking page holds several forms. Each gets its own ids (auto_id), so no two fields on the
# page share one; a form that fails comes back on this page, bound, with its errors at its fields.
DETAIL_FORMS = {
    "submit_form": (_NoInput, "aanbieden"),
    "issue_form": (IssueForm, "vaststellen"),
    "end_form": (EndIndicationForm, "beeindigen"),
    "withdraw_form": (WithdrawIndicationForm, "intrekken"),
    "review_decision_form": (ReviewDecisionForm, "besluit"),
    "question_form": (ReviewQuestionForm, "vraag"),
    "reopen_form": (ReopenConceptForm, "heropenen"),
}
# Forms repeated per row (a question of the team lead): ids per row. The provider domain's forms on
# this page (change of provider, answers to verzoeken om wijziging) come from its panel.
ROW_FORMS = {
    "answer_form": (ReviewAnswerForm, "antwoord"),
}


def detail_form(name: str, data=None, *, row: int | None = None, initial=None) -> forms.Form:
    """One of the beschikking page's forms, blank (data None) or bound, with its page-unique ids."""
    if row is None:
        form_class, id_prefix = DETAIL_FORMS[name]
    else:
        form_class, id_prefix = ROW_FORMS[name]
        id_prefix = f"{id_prefix}-{row}"
    return form_class(data, auto_id=f"{id_prefix}_%s", initial=initial)


def render_indication_detail(request, indication_pk: int, *, failed: dict | None = None, emergency_access=None):
    """The beschikking page; `failed` holds a bound form with errors, by name or (name, row), which
    replaces its blank twin, as the other form pages re-render theirs. The toewijzingen and their
    forms come from the provider domain's panel (indications.panels), which gets `failed` too."""
    failed = failed or {}
    indication = selectors.indication_detail(indication_pk)
    today = timezone.localdate()
    rule_errors, findings = [], []
    if indication.status == Indication.Status.CONCEPT:
        rule_errors = [message for error in services.check_ib_rules(indication, today=today) for message in error]
        findings = four_eyes.complexity_findings(indication, today=today)
    reviews = list(indication.reviews.all())  # newest first
    review = reviews[0] if reviews else None
    if review is not None:
        for question in review.questions.all():
            question.answer_form = failed.get(("answer_form", question.pk)) or detail_form(
                "answer_form", row=question.pk
            )
    # Defaults the services accept: care cannot end before it starts.
    initial = {"issue_form": {"decision_date": today}, "end_form": {"ended_on": max(today, indication.start_date)}}
    page_forms = {name: failed.get(name) or detail_form(name, initial=initial.get(name)) for name in DETAIL_FORMS}
    record_read(request, indication, client_id=indication.client_id, summary="beschikking ingezien")
    user = request.user
    actions = workflow.offered_actions(
        indication, today=today, needs_review=bool(findings), rules_broken=bool(rule_errors)
    )
    if emergency_access is not None:
        actions = []  # read through a break-the-glass access: nothing to do here but read
    return render(
        request,
        "indications/indication_detail.html",
        {
            "indication": indication,
            "client": indication.client,
            "cost": selectors.beschikking_cost(indication),
            "eigen_bijdrage": eigen_bijdrage.describe(
                eigen_bijdrage.obligation_of(indication), decided=indication.is_decided
            ),
            "rule_errors": rule_errors,
            "findings": findings,
            "partial_reasons": decisions.partial_reasons(indication),
            # A page that shows an error never also says that all is well.
            "has_errors": bool(failed),
            "review": review,
            "can_review": emergency_access is None and four_eyes.may_review(user, indication, review),
            "is_author": emergency_access is None and user.pk == indication.consultant_id,
            "emergency_access": emergency_access,
            "actions": actions,
            **page_forms,
            "zrm": selectors.latest_zrm_assessment(indication.client, on_or_before=indication.decision_date or today),
            **panels.panel_context(panels.INDICATION_DETAIL, request, indication, today=today, failed=failed),
        },
    )


@requires("indications.view_client")
def indication_detail(request, indication_uuid):
    """The indication; once vastgesteld this is the printable beschikking. Read-only through a
    break-the-glass access in force to its client (as the client file), under the access's purpose."""
    found = _visible(Indication.objects, request, "client").filter(uuid=indication_uuid).values_list("pk", flat=True)
    if found:
        return render_indication_detail(request, found[0])
    # Not visible: readable only through the user's grant in force to its client.
    granted = Indication.objects.filter(uuid=indication_uuid).values_list("pk", "client_id").first()
    access = granted and selectors.emergency_access_to(request.user, granted[1])
    if not access:
        raise Http404
    with audit_context.purpose_of_use(emergency_services.purpose_of(access)):
        return render_indication_detail(request, granted[0], emergency_access=access)


def _indication_action(
    request, indication_uuid, form_name, action, *, row: int | None = None, confirm: dict | None = None
):
    """Validate one of the beschikking page's forms and run its service; on an error the page comes
    back with the form's errors at its fields (a service's too, see apply_service_errors). With
    `confirm` (title, question, button) an irreversible action first asks for confirmation on a page
    of its own, which works without JavaScript."""
    indication = _indication_or_404(request, indication_uuid)
    form = detail_form(form_name, request.POST, row=row)
    if form.is_valid() and confirm and request.POST.get("bevestigd") != "ja":
        return render(
            request,
            "indications/confirm_action.html",
            {"indication": indication, "client": indication.client, "form": form, **confirm},
        )
    if form.is_valid():
        try:
            action(indication, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return render_indication_detail(
        request, indication.pk, failed={form_name if row is None else (form_name, row): form}
    )


@require_POST
@requires("indications.issue_beschikking")
def indication_issue(request, indication_uuid):
    def issue(indication, data):
        issued = services.issue_beschikking(indication, by=request.user, decision_date=data["decision_date"])
        if issued.is_refusal:
            messages.success(request, _("De afwijzing %(number)s is vastgesteld.") % {"number": issued.number})
        else:
            messages.success(request, _("Beschikking %(number)s is vastgesteld.") % {"number": issued.number})

    return _indication_action(request, indication_uuid, "issue_form", issue)


@require_POST
@requires("indications.change_indication")
def indication_end(request, indication_uuid):
    def end(indication, data):
        ended = services.end_beschikking(indication, by=request.user, **data)
        if ended.end_is_planned:
            messages.success(
                request,
                _("De beëindiging is gepland: de beschikking loopt tot en met %(date)s.")
                % {"date": ended.ended_on.strftime("%d-%m-%Y")},
            )
        else:
            messages.success(request, _("De beschikking is beëindigd."))

    return _indication_action(
        request,
        indication_uuid,
        "end_form",
        end,
        confirm={
            "title": _("Beschikking beëindigen?"),
            "question": _(
                "De beschikking en de toewijzing aan de aanbieder eindigen per de gekozen datum. Dit kan "
                "niet ongedaan worden gemaakt."
            ),
            "button": _("Ja, beëindigen"),
        },
    )


@require_POST
@requires("indications.change_indication")
def indication_withdraw(request, indication_uuid):
    def withdraw(indication, data):
        services.withdraw_beschikking(indication, by=request.user, **data)
        messages.success(request, _("De indicatie is ingetrokken."))

    return _indication_action(
        request,
        indication_uuid,
        "withdraw_form",
        withdraw,
        confirm={
            "title": _("Indicatie intrekken?"),
            "question": _(
                "De indicatie wordt ingetrokken en een toewijzing vervalt. Dit kan niet ongedaan worden gemaakt."
            ),
            "button": _("Ja, intrekken"),
        },
    )


@requires("indications.add_evaluation")
def evaluation_create(request, indication_uuid):
    indication = _indication_or_404(request, indication_uuid)
    today = timezone.localdate()
    if "evaluate" not in workflow.offered_actions(indication, today=today, needs_review=False):
        messages.error(
            request,
            _("Evalueren kan pas als de beschikking loopt: vanaf de ingangsdatum %(date)s.")
            % {"date": indication.start_date.strftime("%d-%m-%Y")},
        )
        return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    if request.method == "GET":
        record_read(request, indication, client_id=indication.client_id, summary="evaluatieformulier geopend")
    form = EvaluationForm(request.POST or None, indication=indication, initial={"held_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_evaluation(
                indication,
                by=request.user,
                held_on=form.cleaned_data["held_on"],
                outcome=form.cleaned_data["outcome"],
                next_evaluation_on=form.cleaned_data["next_evaluation_on"],
                notes=form.cleaned_data["notes"],
                zrm_scores=form.zrm_scores(),
                progress=form.progress(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De evaluatie is vastgelegd."))
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return render(
        request,
        "indications/evaluation_form.html",
        {"form": form, "indication": indication, "client": indication.client},
    )
