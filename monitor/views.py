from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import client_ip, record_event
from indications.models import Municipality
from ui import charts
from ui.exports import export_context, export_response, query_without_export, requested_export
from ui.reporting import data_freshness, reporting_reads
from ui.tables import format_cell

from . import bezwaren, decisions, eigen_bijdrage, incidents, mantelzorg, money, selectors
from .forms import CeoExportForm, MonitorFilterForm
from .publication import Protection, protect_table


def _for_publication(request, tables: list, groups) -> list:
    """The tables with the one asked for protected for publication (monitor.publication); the
    growth of the reference groups is computed from the protected counts."""
    protection, slug = Protection.from_settings(), request.GET.get("export")
    if slug == "referentiegroepen-per-jaar-groei":
        return [selectors.growth_per_year(protect_table(groups, protection))]
    return [protect_table(table.materialise(), protection) if table.slug == slug else table for table in tables]


def _series(table, keys: list[int]):
    """Chart series from a table: the columns at `keys`, named after their headers."""
    return [charts.Series(str(table.columns[key].label), [row[key] for row in table.rows]) for key in keys]


def _waiting_series(table, years: list[int]):
    """Per step the median waiting time of each year (None where no step was completed)."""
    medians: dict = {}
    for year, step, _count, median, *_rest in table.rows:
        medians.setdefault(step, {})[year] = median
    return [charts.Series(step, [per_year.get(year) for year in years]) for step, per_year in medians.items()]


@permission_required("indications.view_management_information", raise_exception=True)
@reporting_reads
def dashboard(request):
    """The IB monitor: trends over the years, the periods of a year, spending, duration against the
    ambition, product shares, reference groups, stacking and mantelzorg, for the chosen selection."""
    today = timezone.localdate()
    form = MonitorFilterForm.for_request(request.GET, today=today)
    context = {
        "form": form,
        "refresh": selectors.last_refresh(),
        "freshness": data_freshness(),
        "query": query_without_export(request),
        "can_export_ceo": request.user.has_perm("monitor.export_ceo_population"),
    }
    if not form.is_valid():
        return render(request, "monitor/dashboard.html", context, status=200)
    selection, year, years = form.selection(), form.cleaned_data["year"], form.trend_years()
    per_year = selectors.key_figures_per_year(selection, years)
    per_period = selectors.key_figures_per_period(selection, year)
    products = selectors.product_shares(selection, years)
    groups = selectors.clients_per_reference_group(selection, years)
    stacking_rates, stacking_combinations = selectors.stacking(year, municipality=selection.municipality)
    waiting_per_year = selectors.waiting_times_per_year(selection, years)
    cube = money.cube(selection, year)
    tables = [
        per_year,
        per_period,
        selectors.spending(selection, year, per="product"),
        selectors.spending(selection, year, per="provider"),
        selectors.spending(selection, year, per="delivery_form"),
        selectors.durations(selection, year, per="product"),
        selectors.durations(selection, year, per="provider"),
        products,
        selectors.meldingen_per_channel(selection, years),
        groups,
        selectors.growth_per_year(groups),
        stacking_rates,
        stacking_combinations,
        waiting_per_year,
        selectors.waiting_times_per_period(selection, year),
        selectors.waiting_times(selection, year, per="municipality"),
        selectors.waiting_times(selection, year, per="product"),
        selectors.waiting_times(selection, year, per="provider"),
        eigen_bijdrage.stops_after_eigen_bijdrage(selection),
        mantelzorg.mantelzorg_per_year(selection, years),
        mantelzorg.mantelzorg_per_period(selection, year),
        mantelzorg.mantelzorg_per_municipality(selection, year),
        decisions.decisions_per_year(selection, years),
        decisions.decisions_per_period(selection, year),
        decisions.decisions_in_year(selection, year, per="municipality"),
        decisions.decisions_in_year(selection, year, per="product"),
        *[money.paid_against_expected(cube, year, per=per) for per in money.SLUGS],
        money.budget_use(selection, year, cube),
        money.providers_standing_out(selection, year),
        bezwaren.bezwaren_per_product(selection, year),
        incidents.incidents_per_month(selection, year),
        incidents.waiting_for_ggd(selection, timezone.localdate()),
        incidents.days_to_ggd_report(selection, year),
    ]
    refresh = context["refresh"]
    publication = request.GET.get("publicatie") == "1"
    download = requested_export(
        request,
        _for_publication(request, tables, groups) if publication else tables,
        context=export_context(
            request,
            form,
            figures_on=refresh.reference_date if refresh else None,
            filters=[
                (
                    _("Variant"),
                    _("voor publicatie: %(rule)s") % {"rule": Protection.from_settings().describe()}
                    if publication
                    else _("intern, exacte aantallen"),
                )
            ],
        ),
        suffix=_("publicatie") if publication else "",
    )
    if download:
        return download
    year_labels = [str(row[0]) for row in per_year.rows]
    context.update(
        year=year,
        stale_years=selectors.stale_years_shown(refresh, {year, *years}),
        coverage=selectors.coverage(years),
        publication=Protection.from_settings().describe(),
        tables={table.slug: table for table in tables},
        trend_chart=charts.line_chart(
            _("Cliënten, instroom en uitstroom per jaar"), year_labels, _series(per_year, [2, 3, 4])
        ),
        cost_chart=charts.line_chart(_("Kosten per jaar"), year_labels, _series(per_year, [9]), kind="money"),
        period_chart=charts.line_chart(
            _("Cliënten, instroom en uitstroom per periode van 4 weken in %(year)s") % {"year": year},
            [str(row[0])[-3:] for row in per_period.rows],
            _series(per_period, [4, 5, 6]),
        ),
        product_chart=charts.share_chart(
            str(products.title),
            [str(y) for y in years],
            [charts.Series(str(row[0]), row[1:-1]) for row in products.rows],
        ),
        group_chart=charts.line_chart(
            str(groups.title), [str(y) for y in years], [charts.Series(str(row[0]), row[1:-1]) for row in groups.rows]
        ),
        waiting_chart=charts.line_chart(
            _("Mediane wachttijd per stap per jaar (dagen)"),
            [str(y) for y in years],
            _waiting_series(waiting_per_year, years),
            kind="days",
        )
        if waiting_per_year.rows
        else None,
        cards=[
            (column.label, format_cell(value, column.kind))
            for column, value in zip(per_year.columns[1:], per_year.rows[-1][1:], strict=True)
        ]
        if per_year.rows and per_year.rows[-1][0] == year
        else [],
    )
    return render(request, "monitor/dashboard.html", context)


@permission_required("monitor.export_ceo_population", raise_exception=True)
@reporting_reads
def ceo_population(request):
    """Download of the cliëntervaringsonderzoek population (personal data: every download is
    recorded in the audit log, once per municipality it covers)."""
    form = CeoExportForm(request.GET or None)
    if not form.is_valid() or request.GET.get("formaat") not in ("csv", "xlsx"):
        return render(request, "monitor/ceo_population.html", {"form": form})
    year, municipality = form.cleaned_data["year"], form.cleaned_data["municipality"]
    for covered in [municipality] if municipality else Municipality.objects.members_in_year(year):
        record_event(
            actor=request.user,
            action=AuditEvent.Action.READ,
            obj=covered,
            summary=f"Export populatie cliëntervaringsonderzoek {year}",
            ip_address=client_ip(request),
        )
    table = selectors.ceo_population(year, municipality=municipality)
    return export_response(
        table, request.GET["formaat"], context=export_context(request, form, figures_on=timezone.localdate())
    )
