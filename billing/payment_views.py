"""The payment-run pages under /declaraties/betaalrondes/ for contract management: the batches, a
new batch for a month, a batch with its totals per provider, vaststellen en exporteren (POST, with a
confirmation), cancelling a concept, and the downloads of the kept files (each audited). Thin views
over billing.payments; viewing needs billing.view_paymentbatch, every change
billing.manage_paymentbatch."""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indications.forms import DateInput
from indications.views import requires
from providers.iban import grouped
from providers.models import Provider
from ui.tables import euro

from . import payments
from .models import FrozenBatchError, PaymentBatch, PaymentExport

CONTENT_TYPES = {
    PaymentExport.Kind.CSV: "text/csv; charset=utf-8",
    PaymentExport.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PaymentExport.Kind.SEPA: "application/xml",
}


class MonthInput(forms.TextInput):
    input_type = "month"


class BatchForm(forms.Form):
    maand = forms.CharField(
        label=gettext_lazy("Maand"),
        help_text=gettext_lazy("De betaalronde betaalt de goedgekeurde declaraties tot en met deze maand."),
        widget=MonthInput(),
    )

    def clean_maand(self) -> date:
        value = self.cleaned_data["maand"].strip()
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError(gettext_lazy("Vul een maand in als jjjj-mm, bijvoorbeeld 2026-10."), code="invalid")
        return date(int(match[1]), int(match[2]), 1)


class ExportForm(forms.Form):
    uitvoeringsdatum = forms.DateField(label=gettext_lazy("Uitvoeringsdatum"), widget=DateInput())
    bevestigen = forms.BooleanField(
        label=gettext_lazy("Ik stel deze betaalronde vast; daarna verandert er niets meer aan."),
        error_messages={"required": gettext_lazy("Bevestig dat u de betaalronde vaststelt.")},
    )


def _field_errors(form: forms.Form, error: ValidationError, default_field: str) -> None:
    """A service's refusal as form errors next to the field it names."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {default_field: error.error_list}
    for field, errors in by_field.items():
        form.add_error(default_field if field not in form.fields else field, errors)


@requires(payments.VIEW_PERMISSION)
def batch_list(request):
    """The batches, newest month first, and (for contract management) the form for a new one."""
    may_manage = request.user.has_perm(payments.MANAGE_PERMISSION)
    form = BatchForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                batch = payments.create_payment_batch(
                    form.cleaned_data["maand"], by=request.user, today=timezone.localdate()
                )
            except ValidationError as error:
                _field_errors(form, error, "maand")
            else:
                flash.success(
                    request, _("Betaalronde %(number)s is aangemaakt als concept.") % {"number": batch.number}
                )
                return redirect("billing:payment_batch", batch_uuid=batch.uuid)
    return render(
        request,
        "billing/payments/list.html",
        {
            "batches": [
                {"batch": batch, "total": euro(Decimal(batch.total_cents) / 100)} for batch in payments.batches()
            ],
            "form": form,
            "may_manage": may_manage,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _batch(batch_uuid) -> PaymentBatch:
    return get_object_or_404(payments.batches(), uuid=batch_uuid)


def _detail(request, batch: PaymentBatch, export_form: ExportForm | None = None, status: int = 200):
    may_manage = request.user.has_perm(payments.MANAGE_PERMISSION)
    if export_form is None and may_manage and batch.status == PaymentBatch.Status.CONCEPT:
        export_form = ExportForm(initial={"uitvoeringsdatum": timezone.localdate()})
    totals = payments.provider_totals(batch)
    files = payments.exports_of(batch)
    return render(
        request,
        "billing/payments/detail.html",
        {
            "batch": batch,
            "month": payments.month_label(batch.month),
            "total": euro(Decimal(batch.total_cents) / 100),
            "rows": [
                {
                    "total": total,
                    "amount": euro(Decimal(total.amount_cents) / 100),
                    "iban": grouped(total.iban),
                    "csv": files.get((total.provider_id, "csv")),
                    "xlsx": files.get((total.provider_id, "xlsx")),
                }
                for total in totals
            ],
            "carried_over": [{**item, "net": euro(Decimal(item["net_cents"]) / 100)} for item in batch.carried_over],
            "batch_files": [files[(None, kind)] for kind in PaymentExport.Kind.values if (None, kind) in files],
            "export_form": export_form,
            "may_manage": may_manage,
        },
        status=status,
    )


@requires(payments.VIEW_PERMISSION)
def batch_detail(request, batch_uuid):
    return _detail(request, _batch(batch_uuid))


@require_POST
@requires(payments.MANAGE_PERMISSION)
def batch_export(request, batch_uuid):
    batch = _batch(batch_uuid)
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            payments.export_payment_batch(
                batch, by=request.user, today=timezone.localdate(), execution_date=form.cleaned_data["uitvoeringsdatum"]
            )
        except ValidationError as error:
            _field_errors(form, error, "uitvoeringsdatum")
        except FrozenBatchError as error:
            flash.error(request, str(error))
            return redirect("billing:payment_batch", batch_uuid=batch.uuid)
        else:
            flash.success(
                request, _("Betaalronde %(number)s is vastgesteld en geëxporteerd.") % {"number": batch.number}
            )
            return redirect("billing:payment_batch", batch_uuid=batch.uuid)
    return _detail(request, batch, export_form=form, status=400)


@require_POST
@requires(payments.MANAGE_PERMISSION)
def batch_cancel(request, batch_uuid):
    batch = _batch(batch_uuid)
    try:
        payments.cancel_payment_batch(batch, by=request.user)
    except FrozenBatchError as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("Betaalronde %(number)s is geannuleerd.") % {"number": batch.number})
    return redirect("billing:payment_batch", batch_uuid=batch.uuid)


@requires(payments.VIEW_PERMISSION)
def batch_download(request, batch_uuid, kind, provider_uuid=None):
    batch = _batch(batch_uuid)
    provider = get_object_or_404(Provider, uuid=provider_uuid) if provider_uuid else None
    if kind not in PaymentExport.Kind.values:
        raise Http404
    try:
        item = payments.download(request, batch, kind, provider)
    except PaymentExport.DoesNotExist as error:
        raise Http404 from error
    response = HttpResponse(bytes(item.content), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{item.filename}"'
    response["X-Content-SHA256"] = item.sha256
    return response
