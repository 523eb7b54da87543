"""The declaratie pages for contract management (issue 17): the reconciliation per provider and
month of a year (submitted, accepted, rejected against expected, and the budgets), and one
provider's month (its declaraties, the rejections by retourcode and, for those who may see client
data, each declaratie's lines). Thin views over billing.selectors / billing.reconciliation.

Who sees what follows the iWmo pages (iwmo.selectors.may_view_traffic / sees_client_data):
contract management (indications.view_management_information) sees the figures, statuses and
retourcodes without any client data; consultants and team leads also see the lines, BSN masked,
of the clients they may see (indications.selectors.clients_visible_to); every other role gets 403."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indications.models import Client, Municipality
from indications.selectors import clients_visible_to
from iwmo.codes import RETOURCODE_LABEL
from iwmo.selectors import may_view_traffic, sees_client_data
from providers.models import Provider
from ui.exports import export_context, query_without_export, requested_export
from ui.forms import DutchEmptyLabelsMixin
from ui.tables import euro

from . import reconciliation, selectors

FIRST_YEAR = 2021  # iWmo declaraties start in 2021 (CS100)


class ReconciliationFilterForm(DutchEmptyLabelsMixin, forms.Form):
    jaar = forms.IntegerField(label=_("Jaar"), min_value=FIRST_YEAR, max_value=2100)
    aanbieder = forms.ModelChoiceField(
        label=_("Aanbieder"),
        queryset=Provider.objects.order_by("name"),
        required=False,
        to_field_name="uuid",
        empty_label=_("alle aanbieders"),
    )
    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=_("alle gemeenten"),
    )

    def clean_jaar(self):
        year = self.cleaned_data["jaar"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Kies een jaar tot en met dit jaar."), code="future_year")
        return year


def _viewer(request) -> bool:
    """403 for a role that may not see the declaraties; True when the user also sees client data."""
    if not may_view_traffic(request.user):
        raise PermissionDenied
    return sees_client_data(request.user)


def overview(request):
    """Per provider and month of a year: declaraties, prestaties, submitted, accepted, rejected,
    expected; and the budget use per contract. Filters: year, provider, municipality."""
    _viewer(request)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("jaar", str(today.year))
    form = ReconciliationFilterForm(data)
    context = {"form": form, "query": query_without_export(request)}
    if not form.is_valid():
        return render(request, "billing/overview.html", context)
    year, provider, municipality = (form.cleaned_data[name] for name in ("jaar", "aanbieder", "gemeente"))
    until = min(today, date(year, 12, 31))
    tables = [
        reconciliation.overview(year, provider=provider, municipality=municipality, until=until).materialise(),
        reconciliation.budgets(year, provider=provider),
    ]
    download = requested_export(request, tables, context=export_context(request, form, figures_on=until))
    if download:
        return download
    context.update(year=year, until=until, table=tables[0], budgets=tables[1].materialise())
    return render(request, "billing/overview.html", context)


def month(request, provider_uuid, year: int, month: int):
    """One provider's month: totals, rejections by retourcode, the declaraties and their lines."""
    show_client = _viewer(request)
    provider = get_object_or_404(Provider, uuid=provider_uuid)
    if not (FIRST_YEAR <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    first = date(year, month, 1)
    result = selectors.reconciliation(provider, month=first)
    rejections = reconciliation.rejections(result, provider=provider, month=first)
    declaraties = list(selectors.declaraties_in_month(provider, month=first))
    declaratie_table = reconciliation.declaraties(declaraties, provider=provider, month=first)
    download = requested_export(
        request, [rejections, declaratie_table], context=export_context(request, figures_on=timezone.localdate())
    )
    if download:
        return download
    lines = (
        selectors.lines_in_month(provider, month=first, clients=clients_visible_to(request.user)) if show_client else {}
    )
    return render(
        request,
        "billing/month.html",
        {
            "provider": provider,
            "month": first,
            "cards": _cards(result),
            "rejections": rejections,
            "declaratie_table": declaratie_table,
            "declaraties": [(declaratie, _lines(lines.get(declaratie.pk, ()))) for declaratie in declaraties],
            "show_client": show_client,
            "overview_query": f"jaar={year}&aanbieder={provider.uuid}",
            "query": query_without_export(request),
        },
    )


def _cards(result: selectors.Reconciliation) -> list[tuple]:
    return [
        (_("Declaraties"), result.declaraties),
        (_("Prestaties"), result.lines),
        (_("Toegekend"), result.accepted_lines),
        (_("Ingediend"), euro(reconciliation.euros(result.submitted_cents))),
        (_("Toegekend bedrag"), euro(reconciliation.euros(result.accepted_cents))),
        (_("Afgewezen bedrag"), euro(reconciliation.euros(result.rejected_cents))),
    ]


def _lines(prestaties) -> list[dict]:
    """The lines as the page shows them: the BSN masked (as Client.masked_bsn does), the amount
    with its sign, each code with its meaning."""
    return [
        {
            "line": line,
            "number": line.index + 1,
            "amount": euro(reconciliation.euros(line.signed_cents)),
            "masked_bsn": Client(bsn=line.bsn).masked_bsn,
            "codes": [(code, RETOURCODE_LABEL.get(code, "")) for code in line.codes],
        }
        for line in prestaties
    ]
