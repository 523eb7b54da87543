"""The SVB list of pgb budgets per month (indications.pgb): on the page and as CSV or XLSX. It holds
personal data (BSN, names), so every showing and every download is recorded in the audit trail,
once per beschikking on it (so the client's access log shows it)."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_read
from ui.exports import export_context, query_without_export, requested_export

from .pgb import Month, svb_rows, svb_table


class SvbMonthForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2015, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Maand"),
        coerce=int,
        choices=[
            (1, _("januari")),
            (2, _("februari")),
            (3, _("maart")),
            (4, _("april")),
            (5, _("mei")),
            (6, _("juni")),
            (7, _("juli")),
            (8, _("augustus")),
            (9, _("september")),
            (10, _("oktober")),
            (11, _("november")),
            (12, _("december")),
        ],
    )

    def month_chosen(self) -> Month:
        return Month(self.cleaned_data["year"], self.cleaned_data["month"])


@transaction.atomic
def _record(request, month: Month, *, summary: str) -> None:
    for row in svb_rows(month):
        record_read(request, row.indication, client_id=row.indication.client_id, summary=summary)


@permission_required("indications.export_svb", raise_exception=True)
def svb_export(request):
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("month", str(today.month))
    form = SvbMonthForm(data)
    context = {"form": form, "query": query_without_export(request)}
    if not form.is_valid():
        return render(request, "indications/svb_export.html", context)
    month = form.month_chosen()
    table = svb_table(month).materialise()
    download = requested_export(request, [table], context=export_context(request, form, figures_on=today))
    label = f"{month.year}-{month.month:02d}"
    if download:
        _record(request, month, summary=f"Export pgb-lijst SVB {label} ({request.GET.get('formaat')})")
        return download
    _record(request, month, summary=f"Pgb-lijst SVB {label} ingezien")
    return render(request, "indications/svb_export.html", {**context, "table": table})
