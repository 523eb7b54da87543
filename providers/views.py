from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import client_ip, record_event
from indications.forms import apply_service_errors
from indications.models import Indication
from indications.selectors import clients_visible_to
from indications.views import render_indication_detail
from ui import charts
from ui.exports import export_context, query_without_export, requested_export
from ui.reporting import PRIMARY, data_freshness, reporting_reads

from . import figures, satisfaction, services, support_plans
from .forms import (
    SATISFACTION_FILE_COLUMNS,
    AnnualReviewForm,
    AnswerChangeRequestForm,
    DashboardFilterForm,
    JudgeSupportPlanForm,
    RejectAssignmentRequestForm,
    SatisfactionImportForm,
    SlaFilterForm,
)
from .models import AssignmentRequest, ChangeRequest, Provider, SupportPlan
from .panels import (
    ANSWER_FORM,
    CHANGE_PROVIDER_FORM,
    JUDGE_PLAN_FORM,
    answer_form,
    change_provider_form,
    judge_plan_form,
)
from .selectors import (
    annual_reviews_of,
    periods,
    provider_overview,
    recent_satisfaction_imports,
    sla_figures_computed_on,
)


@permission_required("providers.view_provider", raise_exception=True)
def overview(request):
    return render(request, "providers/overview.html", {"providers": provider_overview()})


def _with_defaults(request, **defaults):
    """The page's query with defaults for what it leaves out (e.g. an export link of a page that was
    opened without a query)."""
    data = request.GET.copy()
    for name, value in defaults.items():
        data.setdefault(name, value)
    return data


@permission_required("indications.view_management_information", raise_exception=True)
@reporting_reads
def sla(request):
    """The SLA benchmark: the providers (of a reference group) side by side on the SLA figures,
    results achieved, late reports and open SLA signals, with bar charts and exports."""
    today = timezone.localdate()
    form = SlaFilterForm(_with_defaults(request, year=today.year, granularity="jaar"))
    context = {
        "form": form,
        "period": None,
        "query": query_without_export(request),
        "computed_on": sla_figures_computed_on(),
        "freshness": data_freshness(),
    }
    if not form.is_valid():
        return render(request, "providers/sla.html", context)
    year, granularity = form.cleaned_data["year"], form.cleaned_data["granularity"]
    quarter = min(form.cleaned_data.get("part") or 1, 4) if granularity == "kwartaal" else 0
    period = periods(year, granularity)[max(quarter - 1, 0)]
    providers = Provider.objects.all()
    group = form.cleaned_data.get("reference_group")
    if group:
        providers = providers.filter(reference_group=group)
    title = _("SLA-benchmark %(period)s: %(group)s") % {
        "period": period.label,
        "group": group.name if group else _("alle referentiegroepen"),
    }
    table, rows = figures.benchmark_table(
        year, quarter, providers, title=title, highlight=request.GET.get("aanbieder", "")
    )
    satisfaction = figures.satisfaction_benchmark_table(year, providers, highlight=request.GET.get("aanbieder", ""))
    download = requested_export(
        request, [table, satisfaction], context=export_context(request, form, figures_on=context["computed_on"])
    )
    if download:
        return download
    highlight = next((row.name for row in rows if str(row.uuid) == request.GET.get("aanbieder")), None)
    names = [row.name for row in rows]

    def bars(title, series, kind="int"):
        return charts.grouped_bar_chart(
            title, names, [charts.Series(str(name), values) for name, values in series], kind=kind, highlight=highlight
        )

    context.update(
        period=period,
        table=table,
        satisfaction=satisfaction,
        rows=rows,
        highlight=highlight,
        charts=[
            bars(
                _("Uitstroom %% per aanbieder in %(period)s") % {"period": period.label},
                [(_("Uitstroom %"), [row.uitstroom_percentage for row in rows])],
                "pct",
            ),
            bars(
                _("Resultaten behaald %% per aanbieder in %(period)s") % {"period": period.label},
                [(_("Resultaten behaald %"), [row.behaald_percentage for row in rows])],
                "pct",
            ),
            bars(
                _("Te late start- en stopmeldingen in %(period)s") % {"period": period.label},
                [
                    (_("Te late startmeldingen"), [row.late_start_reports for row in rows]),
                    (_("Te late stopmeldingen"), [row.late_stop_reports for row in rows]),
                ],
            ),
            bars(
                _("Gemiddelde en mediane duur van beëindigde toewijzingen (dagen)"),
                [
                    (_("Gemiddelde duur"), [figures.days(row.average_duration) for row in rows]),
                    (_("Mediane duur"), [figures.days(row.median_duration) for row in rows]),
                ],
                "days",
            ),
        ]
        if rows
        else [],
    )
    return render(request, "providers/sla.html", context)


# The dashboard holds the year filter and the jaargesprek form, both with a "year" field: own ids.
REVIEW_FORM_IDS = "jaargesprek_%s"


def _dashboard_year(request, today) -> tuple[DashboardFilterForm, int | None]:
    form = DashboardFilterForm(_with_defaults(request, year=today.year))
    return form, form.cleaned_data["year"] if form.is_valid() else None


def _render_dashboard(
    request,
    provider: Provider,
    form: DashboardFilterForm,
    year: int | None,
    *,
    review_form: AnnualReviewForm | None = None,
    status: int = 200,
):
    today = timezone.localdate()
    context = {
        "provider": provider,
        "form": form,
        "query": query_without_export(request),
        "year": year,
        "computed_on": sla_figures_computed_on(),
        "freshness": data_freshness(),
    }
    if year is None:
        return render(request, "providers/dashboard.html", context, status=status)
    dashboard = figures.ProviderDashboard(provider, year, today=today)
    tables = dashboard.tables()
    download = requested_export(
        request,
        tables,
        context=export_context(
            request, form, figures_on=context["computed_on"], filters=[(_("Aanbieder"), provider.name)]
        ),
    )
    if download:
        return download
    # On screen the most urgent open signals; the download above holds them all.
    tables = [
        dashboard.open_signals(limit=figures.SIGNALS_ON_SCREEN) if table.slug == "open-sla-signalen" else table
        for table in tables
    ]
    trend, results = tables[1], tables[2]
    years = [row[0] for row in trend.rows]
    uitstroom = dashboard.keys.index("uitstroom_percentage") + 1
    context.update(
        tables={table.slug: table for table in tables},
        trend_chart=charts.line_chart(
            _("Instroom, uitstroom en cliënten per jaar"),
            years,
            [charts.Series(str(trend.columns[index].label), [row[index] for row in trend.rows]) for index in (1, 2, 5)],
        ),
        uitstroom_chart=charts.line_chart(
            _("Uitstroom % tegen de referentiegroep"),
            years,
            [
                charts.Series(provider.name, [row[uitstroom] for row in trend.rows]),
                charts.Series(str(_("Gemiddelde referentiegroep")), [row[-2] for row in trend.rows]),
            ],
            kind="pct",
        ),
        results_chart=charts.bar_chart(
            _("Resultaten behaald %% per product in %(year)s") % {"year": year},
            [row[0] for row in results.rows],
            [row[-1] for row in results.rows],
            kind="pct",
            series_name=str(results.columns[-1].label),
        ),
        reviews=annual_reviews_of(provider).using(PRIMARY),  # what the user just recorded: the primary
        can_record_review=request.user.has_perm("providers.add_annualreview"),
        review_form=review_form or AnnualReviewForm(initial={"year": year, "held_on": today}, auto_id=REVIEW_FORM_IDS),
        review_done=provider.annual_reviews.using(PRIMARY).filter(year=year).exists(),
    )
    return render(request, "providers/dashboard.html", context, status=status)


@permission_required("indications.view_management_information", raise_exception=True)
@reporting_reads
def dashboard(request, provider_uuid):
    """One provider's SLA dashboard: its figures per quarter and over five years against its
    reference group, results per product, late reports, open SLA signals and the jaargesprek."""
    provider = get_object_or_404(Provider.objects.select_related("reference_group"), uuid=provider_uuid)
    form, year = _dashboard_year(request, timezone.localdate())
    return _render_dashboard(request, provider, form, year)


@require_POST
@permission_required("providers.add_annualreview", raise_exception=True)
def record_annual_review(request, provider_uuid):
    """Record the jaargesprek held with the provider, with the figures of the dashboard as discussed."""
    provider = get_object_or_404(Provider.objects.select_related("reference_group"), uuid=provider_uuid)
    today = timezone.localdate()
    review_form = AnnualReviewForm(request.POST, auto_id=REVIEW_FORM_IDS)
    if review_form.is_valid():
        data = review_form.cleaned_data
        try:
            services.record_annual_review(provider, **data, by=request.user, today=today)
        except ValidationError as error:
            review_form.add_error(None, error)  # a dict of field errors lands on those fields
        else:
            messages.success(request, _("Het jaargesprek over %(year)s is vastgelegd.") % {"year": data["year"]})
            return redirect(f"{reverse('providers:dashboard', args=[provider.uuid])}?year={data['year']}")
    # Back to the dashboard of the year the review was about (this year when that is no year).
    form = DashboardFilterForm({"year": request.POST.get("year", "")})
    if not form.is_valid():
        form = DashboardFilterForm({"year": today.year})
        form.is_valid()
    return _render_dashboard(request, provider, form, form.cleaned_data["year"], review_form=review_form, status=400)


@require_POST
@permission_required("indications.change_indication", raise_exception=True)
def change_provider(request, indication_uuid):
    """The beschikking page's change of provider (its form comes from providers.panels)."""
    indication = get_object_or_404(
        Indication.objects.filter(client__in=clients_visible_to(request.user)), uuid=indication_uuid
    )
    form = change_provider_form(request.POST)
    if form.is_valid():
        try:
            services.change_provider(indication, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("De aanbieder is gewijzigd; de nieuwe toewijzing is verstuurd."))
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    # Back on the beschikking page with the errors at the form's fields.
    return render_indication_detail(request, indication.pk, failed={CHANGE_PROVIDER_FORM: form})


@require_POST
@permission_required("providers.change_changerequest", raise_exception=True)
def answer_change_request(request, request_uuid):
    """The consultant's answer to a verzoek om wijziging, from the beschikking page."""
    change_request = get_object_or_404(
        ChangeRequest.objects.filter(
            assignment__indication__client__in=clients_visible_to(request.user)
        ).select_related("assignment__indication"),
        uuid=request_uuid,
    )
    indication = change_request.assignment.indication
    form = answer_form(change_request.pk, request.POST)
    if form.is_valid():
        try:
            services.answer_change_request(
                change_request,
                by=request.user,
                accept=form.cleaned_data["decision"] == AnswerChangeRequestForm.GRANT,
                in_review=form.cleaned_data["decision"] == AnswerChangeRequestForm.IN_REVIEW,
                refusal_reason=form.cleaned_data["refusal_reason"]
                if form.cleaned_data["decision"] == AnswerChangeRequestForm.REFUSE
                else "",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het antwoord is aan de aanbieder gegeven."))
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return render_indication_detail(request, indication.pk, failed={(ANSWER_FORM, change_request.pk): form})


def _visible_assignment_request(request, request_uuid) -> AssignmentRequest:
    return get_object_or_404(
        AssignmentRequest.objects.filter(
            Q(client__in=clients_visible_to(request.user)) | Q(client__isnull=True)
        ).select_related("provider", "client", "product", "assignment__indication", "answered_by"),
        uuid=request_uuid,
    )


def _render_assignment_request(request, assignment_request, form, *, status=200):
    return render(
        request,
        "providers/assignment_request.html",
        {"assignment_request": assignment_request, "form": form},
        status=status,
    )


@permission_required("providers.change_assignmentrequest", raise_exception=True)
def assignment_request(request, request_uuid):
    """A verzoek om toewijzing (WMO315): what the provider asks, how to grant it (the normal route:
    its vaststelling with this provider answers it with a WMO301) and the form to reject it."""
    assignment_request = _visible_assignment_request(request, request_uuid)
    # A read of the request: about its client, or (a BSN that is not a client of ours) about its BSN.
    record_event(
        actor=request.user,
        action=AuditEvent.Action.READ,
        obj=assignment_request,
        client_id=assignment_request.client_id,
        summary="verzoek om toewijzing ingezien",
        ip_address=client_ip(request),
        **({} if assignment_request.client_id else {"bsn": assignment_request.bsn}),
    )
    return _render_assignment_request(request, assignment_request, RejectAssignmentRequestForm())


@require_POST
@permission_required("providers.change_assignmentrequest", raise_exception=True)
def reject_assignment_request(request, request_uuid):
    """Reject a verzoek om toewijzing with a WJ759 reason and a motivation (answered by a WMO319)."""
    assignment_request = _visible_assignment_request(request, request_uuid)
    if not assignment_request.can_be_answered:
        messages.error(request, _("Dit verzoek om toewijzing is al beantwoord."))
        return redirect("providers:assignment_request", request_uuid=assignment_request.uuid)
    form = RejectAssignmentRequestForm(request.POST)
    if form.is_valid():
        try:
            services.answer_assignment_request(
                assignment_request,
                by=request.user,
                accept=False,
                reason=form.cleaned_data["reason"],
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Het verzoek om toewijzing is afgewezen."))
            return redirect("indications:worklist")
    return _render_assignment_request(request, assignment_request, form, status=400)


def _visible_support_plan(request, plan_uuid) -> SupportPlan:
    return get_object_or_404(
        SupportPlan.objects.filter(assignment__indication__client__in=clients_visible_to(request.user)).select_related(
            "assignment__indication"
        ),
        uuid=plan_uuid,
    )


@require_POST
@permission_required("providers.change_supportplan", raise_exception=True)
def judge_support_plan(request, plan_uuid):
    """The consultant accepts an ondersteuningsplan or asks for changes, from the beschikking page."""
    plan = _visible_support_plan(request, plan_uuid)
    indication = plan.assignment.indication
    form = judge_plan_form(plan.pk, request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == JudgeSupportPlanForm.ACCEPT
        try:
            support_plans.judge_support_plan(plan, by=request.user, accept=accept, remark=form.cleaned_data["remark"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Het ondersteuningsplan is geaccepteerd.")
                if accept
                else _("De aanbieder is gevraagd het ondersteuningsplan te wijzigen."),
            )
            return redirect("indications:indication_detail", indication_uuid=indication.uuid)
    return render_indication_detail(request, indication.pk, failed={(JUDGE_PLAN_FORM, plan.pk): form})


@permission_required("providers.view_supportplan", raise_exception=True)
def support_plan_pdf(request, plan_uuid):
    """The PDF of an ondersteuningsplan, as a download (recorded in the audit trail as a read)."""
    plan = _visible_support_plan(request, plan_uuid)
    try:
        handle = support_plans.open_pdf(request, plan)
    except ValidationError:
        raise Http404(_("Deze versie van het plan heeft geen PDF.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"ondersteuningsplan-{plan.assignment.number}-versie-{plan.version}.pdf",
        content_type="application/pdf",
    )


@permission_required("providers.add_clientsatisfaction", raise_exception=True)
def import_satisfaction(request):
    """Contract management uploads the results of the cliëntervaringsonderzoek (XLSX): all rows are
    imported or, with an error per row and column, none."""
    form = SatisfactionImportForm()
    status = 200
    if request.method == "POST":
        form = SatisfactionImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                source = satisfaction.import_client_satisfaction(form.cleaned_data["file"], by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _("%(count)s uitslagen van het cliëntervaringsonderzoek zijn geïmporteerd.")
                    % {"count": source.rows},
                )
                return redirect("providers:import_satisfaction")
        status = 400
    return render(
        request,
        "providers/import_satisfaction.html",
        {"form": form, "imports": recent_satisfaction_imports(), "columns": SATISFACTION_FILE_COLUMNS},
        status=status,
    )
