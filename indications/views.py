"""The consultant's pages. Thin: forms check shape, services apply the rules and write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import record_event

from . import selectors, services
from .forms import (
    AanvraagForm,
    ClientForm,
    ClientSearchForm,
    ConversationForm,
    EndIndicationForm,
    EvaluationForm,
    IndicationForm,
    IndicationResultFormSet,
    IntakeConclusionForm,
    IssueForm,
    MeldingForm,
    NazorgForm,
    WithdrawIndicationForm,
    ZrmAssessmentForm,
    apply_service_errors,
)
from .models import Aanvraag, Client, Indication, Intake, ZrmAssessment


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def worklist(request):
    today = timezone.localdate()
    sections = selectors.worklist(request.user, today=today)
    return render(request, "indications/worklist.html", {"today": today, **sections})


def client_search(request):
    form = ClientSearchForm(request.GET or None)
    page = None
    if form.is_valid() and form.has_criteria():
        clients = selectors.search_clients(**form.cleaned_data)
        page = Paginator(clients, 25).get_page(request.GET.get("pagina"))
    return render(request, "indications/client_search.html", {"form": form, "page": page})


def client_create(request):
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.register_client(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Cliënt %(name)s is geregistreerd.") % {"name": client.full_name})
            return redirect("indications:melding_create", client_uuid=client.uuid)
    return render(request, "indications/client_form.html", {"form": form, "title": _("Nieuwe cliënt")})


def client_update(request, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(
                Client.objects.get(pk=client.pk), by=request.user, **form.cleaned_data
            )
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


def client_file(request, client_uuid):
    pk = get_object_or_404(Client.objects.only("pk"), uuid=client_uuid).pk
    client = selectors.client_file(pk)
    assessments, zrm_rows = selectors.zrm_history(client)
    record_event(
        actor=request.user,
        action=AuditEvent.Action.READ,
        obj=client,
        client_id=client.pk,
        summary="dossier ingezien",
        ip_address=_client_ip(request),
    )
    return render(
        request,
        "indications/client_file.html",
        {"client": client, "zrm_assessments": assessments, "zrm_rows": zrm_rows, "today": timezone.localdate()},
    )


def melding_create(request, client_uuid):
    client = get_object_or_404(Client, uuid=client_uuid)
    form = MeldingForm(
        request.POST or None, initial={"received_on": timezone.localdate(), "consultant": request.user.pk}
    )
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


def _intake_or_404(intake_uuid) -> Intake:
    return get_object_or_404(
        Intake.objects.select_related("melding__client__municipality", "melding__consultant").prefetch_related(
            "conversations",
            Prefetch("zrm_assessments", queryset=ZrmAssessment.objects.prefetch_related("scores__domain")),
            "aanvragen",
        ),
        uuid=intake_uuid,
    )


def intake(request, intake_uuid):
    """The onderzoek page: conversations, ZRM and conclusion, each a form of its own."""
    intake = _intake_or_404(intake_uuid)
    today = timezone.localdate()
    forms = {
        "conversation_form": ConversationForm(prefix="gesprek", initial={"held_on": today, "participants": ["client"]}),
        "zrm_form": ZrmAssessmentForm(prefix="zrm", initial={"assessed_on": today}),
        "conclusion_form": IntakeConclusionForm(prefix="conclusie", initial={"concluded_on": today}),
        "nazorg_form": NazorgForm(prefix="nazorg", initial={"done_on": today}),
    }
    if request.method == "POST":
        step = request.POST.get("step")
        handled = _handle_intake_step(request, intake, step, forms)
        if handled is not None:
            return handled
    return render(
        request,
        "indications/intake.html",
        {"intake": intake, "melding": intake.melding, "client": intake.melding.client, "today": today, **forms},
    )


def _handle_intake_step(request, intake: Intake, step: str, forms: dict):
    """Process one of the intake page's forms; return a redirect on success, None to re-render."""
    if step == "gesprek":
        form = forms["conversation_form"] = ConversationForm(request.POST, prefix="gesprek")
        if form.is_valid():
            try:
                services.add_conversation(intake, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Het gesprek is vastgelegd."))
                return redirect("indications:intake", intake_uuid=intake.uuid)
    elif step == "zrm":
        form = forms["zrm_form"] = ZrmAssessmentForm(request.POST, prefix="zrm")
        if form.is_valid():
            try:
                services.record_zrm_assessment(
                    client=intake.melding.client,
                    assessed_on=form.cleaned_data["assessed_on"],
                    scores=form.zrm_scores(),
                    by=request.user,
                    intake=intake,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("De ZRM-meting is vastgelegd."))
                return redirect("indications:intake", intake_uuid=intake.uuid)
    elif step == "conclusie":
        form = forms["conclusion_form"] = IntakeConclusionForm(request.POST, prefix="conclusie")
        if form.is_valid():
            try:
                services.conclude_intake(intake, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Het onderzoek is afgerond."))
                return redirect("indications:intake", intake_uuid=intake.uuid)
    elif step == "nazorg":
        form = forms["nazorg_form"] = NazorgForm(request.POST, prefix="nazorg")
        if form.is_valid():
            try:
                services.record_nazorg(intake, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("De nazorg is vastgelegd."))
                return redirect("indications:intake", intake_uuid=intake.uuid)
    return None


def aanvraag_create(request, intake_uuid):
    intake = _intake_or_404(intake_uuid)
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


def _indication_form_page(request, *, client: Client, indication: Indication | None, initial: dict):
    form = IndicationForm(request.POST or None, instance=indication, client=client, initial=initial)
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
    formset = IndicationResultFormSet(request.POST or None, prefix="resultaten", initial=result_initial)
    latest_zrm = selectors.latest_zrm_assessment(client)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
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
        {"form": form, "formset": formset, "client": client, "indication": indication, "latest_zrm": latest_zrm},
    )


def indication_create(request, aanvraag_uuid):
    aanvraag = get_object_or_404(Aanvraag.objects.select_related("client"), uuid=aanvraag_uuid)
    return _indication_form_page(
        request,
        client=aanvraag.client,
        indication=None,
        initial={"aanvraag": aanvraag.pk, "start_date": timezone.localdate()},
    )


def indication_update(request, indication_uuid):
    indication = get_object_or_404(Indication.objects.select_related("client"), uuid=indication_uuid)
    if indication.status != Indication.Status.CONCEPT:
        messages.error(request, _("Alleen een concept kan worden gewijzigd."))
        return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return _indication_form_page(request, client=indication.client, indication=indication, initial={})


def indication_detail(request, indication_uuid):
    """The indication; once vastgesteld this is the printable beschikking."""
    pk = get_object_or_404(Indication.objects.only("pk"), uuid=indication_uuid).pk
    indication = selectors.indication_detail(pk)
    today = timezone.localdate()
    rule_errors = []
    if indication.status == Indication.Status.CONCEPT:
        rule_errors = [message for error in services.check_ib_rules(indication, today=today) for message in error]
    record_event(
        actor=request.user,
        action=AuditEvent.Action.READ,
        obj=indication,
        client_id=indication.client_id,
        summary="beschikking ingezien",
        ip_address=_client_ip(request),
    )
    return render(
        request,
        "indications/indication_detail.html",
        {
            "indication": indication,
            "client": indication.client,
            "cost": selectors.beschikking_cost(indication),
            "rule_errors": rule_errors,
            "issue_form": IssueForm(initial={"decision_date": today}),
            "end_form": EndIndicationForm(initial={"ended_on": today}),
            "withdraw_form": WithdrawIndicationForm(),
            "zrm": selectors.latest_zrm_assessment(indication.client, on_or_before=indication.decision_date or today),
        },
    )


def _indication_action(request, indication_uuid, form_class, action):
    indication = get_object_or_404(Indication, uuid=indication_uuid)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(indication, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("indications:indication_detail", indication_uuid=indication.uuid)


@require_POST
def indication_issue(request, indication_uuid):
    def issue(indication, data):
        issued = services.issue_beschikking(indication, by=request.user, decision_date=data["decision_date"])
        messages.success(request, _("Beschikking %(number)s is vastgesteld.") % {"number": issued.number})

    return _indication_action(request, indication_uuid, IssueForm, issue)


@require_POST
def indication_end(request, indication_uuid):
    def end(indication, data):
        services.end_indication(indication, by=request.user, **data)
        messages.success(request, _("De beschikking is beëindigd."))

    return _indication_action(request, indication_uuid, EndIndicationForm, end)


@require_POST
def indication_withdraw(request, indication_uuid):
    def withdraw(indication, data):
        services.withdraw_indication(indication, by=request.user, **data)
        messages.success(request, _("De indicatie is ingetrokken."))

    return _indication_action(request, indication_uuid, WithdrawIndicationForm, withdraw)


def evaluation_create(request, indication_uuid):
    indication = get_object_or_404(
        Indication.objects.select_related("client", "product"), uuid=indication_uuid
    )
    form = EvaluationForm(request.POST or None, indication=indication, initial={"held_on": timezone.localdate()})
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
