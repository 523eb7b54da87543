"""The payment run: the accepted declaraties that no batch paid yet become a payment batch for the
financial system (CSV and XLSX, per provider and for the whole batch) and the bank (a SEPA credit
transfer, pain.001.001.03 written by `sepaxml`). Every state change is one service here: create a
batch for a month (concept), export it (vastgesteld en geëxporteerd: frozen), or cancel a concept;
each writes atomically and records one audit event, and every download is audited.

What a batch pays (`payable_declaraties`): every declaratie of the batch's month or an earlier one
that was judged (not rejected as a whole), has accepted prestaties and is in no batch, with as its
amount the sum of its accepted prestaties (+debit, -credit) computed in the database. A credit sent
after a payment is in a new declaratie, so it lands exactly once: in the next batch. A provider
whose net in the batch is not positive (its credits exceed its debits), or who has no IBAN, is not
transferred: its declaraties stay unpaid and are carried over to the next batch, where they are
settled against its new debits; the batch records them as 'doorgeschoven'."""

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from audit.models import AuditEvent
from audit.services import record_event, record_read
from providers.iban import compact, is_valid
from providers.models import Provider
from ui.exports import ExportContext, export_response, write_xlsx
from ui.tables import Column, Table, format_cell

from .models import FrozenBatchError, PaymentBatch, PaymentExport, PaymentLine
from .selectors import SIGNED_CENTS, accepted_prestaties
from .spending import month_end

VIEW_PERMISSION = "billing.view_paymentbatch"
MANAGE_PERMISSION = "billing.manage_paymentbatch"
Kind = PaymentExport.Kind


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def month_label(month: date) -> str:
    return formats.date_format(month, "F Y")


# --- selectors ---------------------------------------------------------------------------------


def payable_declaraties(month: date) -> QuerySet:
    """The declaraties a batch for `month` pays: of that month or earlier, with accepted prestaties,
    in no batch. Rows of declaratie_id, provider_id, `paid` (signed cents, from the accepted
    prestaties as billing.selectors sums them) and `accepted_lines`; one grouped query."""
    return (
        accepted_prestaties()
        .filter(declaratie__period_start__lte=month_end(first_of_month(month)), declaratie__payment_line__isnull=True)
        .values("declaratie_id", "provider_id")
        .annotate(paid=Sum(SIGNED_CENTS), accepted_lines=Count("pk"))
        .order_by()
    )


def batches() -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.select_related("created_by", "exported_by").order_by("-month", "-id")


@dataclass(frozen=True)
class ProviderTotal:
    provider_id: int
    provider_uuid: str
    name: str
    agb_code: str
    iban: str
    declaraties: int
    accepted_lines: int
    amount_cents: int


def provider_totals(batch: PaymentBatch) -> list[ProviderTotal]:
    """Per paid provider of the batch: its declaraties, prestaties and amount (one query)."""
    rows = (
        batch.lines.values("provider_id", "provider__uuid", "provider__name", "provider__agb_code", "provider__iban")
        .annotate(declaraties=Count("pk"), accepted=Sum("accepted_lines"), amount=Sum("amount_cents"))
        .order_by("provider__name", "provider_id")
    )
    return [
        ProviderTotal(
            provider_id=row["provider_id"],
            provider_uuid=str(row["provider__uuid"]),
            name=row["provider__name"],
            agb_code=row["provider__agb_code"],
            iban=row["provider__iban"],
            declaraties=row["declaraties"],
            accepted_lines=row["accepted"],
            amount_cents=row["amount"],
        )
        for row in rows
    ]


def exports_of(batch: PaymentBatch) -> dict[tuple[int | None, str], PaymentExport]:
    """The batch's files by (provider id or None, kind), without their content."""
    files = batch.exports.defer("content")
    return {(item.provider_id, item.kind): item for item in files}


# --- create ------------------------------------------------------------------------------------


def _refuse(message: str, code: str, field: str = "month"):
    raise ValidationError({field: ValidationError(message, code=code)})


def _check_month(month: date, *, today: date) -> None:
    if month >= first_of_month(today):
        _refuse(_("Kies een maand die voorbij is: de declaratieperiode moet zijn afgelopen."), "month_not_ended")
    active = PaymentBatch.objects.exclude(status=PaymentBatch.Status.CANCELLED)
    if active.filter(month=month).exists():
        _refuse(_("Voor deze maand is al een betaalronde gemaakt."), "batch_exists")
    if active.filter(month__gt=month).exists():
        _refuse(_("Er is al een betaalronde voor een latere maand; kies een latere maand."), "later_batch_exists")


def _payable_providers(month: date):
    """The payable declaraties per provider, and the providers with what they get."""
    per_provider: dict[int, list[dict]] = defaultdict(list)
    for row in payable_declaraties(month):
        per_provider[row["provider_id"]].append(row)
    providers = Provider.objects.in_bulk(list(per_provider))
    return per_provider, providers


def _carried(provider: Provider, rows: list[dict], net: int, reason: str) -> dict:
    return {
        "provider_id": provider.pk,
        "provider": provider.name,
        "agb_code": provider.agb_code,
        "declaraties": len(rows),
        "net_cents": net,
        "reason": reason,
    }


def _number_for(month: date) -> str:
    earlier = PaymentBatch.objects.filter(month=month).count()
    return f"BR{month:%Y%m}-{earlier + 1}"


def create_payment_batch(month: date, *, by, today: date) -> PaymentBatch:
    """A concept batch for `month` (any day of it) with every payable declaratie up to that month."""
    month = first_of_month(month)
    _check_month(month, today=today)
    with transaction.atomic():
        per_provider, providers = _payable_providers(month)
        lines, carried = [], []
        for provider_id, rows in sorted(per_provider.items(), key=lambda item: providers[item[0]].name):
            provider, net = providers[provider_id], sum(row["paid"] for row in rows)
            if net <= 0:
                carried.append(_carried(provider, rows, net, "credit"))
            elif not is_valid(provider.iban):
                carried.append(_carried(provider, rows, net, "iban"))
            else:
                lines.extend(
                    PaymentLine(
                        provider_id=provider_id,
                        declaratie_id=row["declaratie_id"],
                        amount_cents=row["paid"],
                        accepted_lines=row["accepted_lines"],
                    )
                    for row in rows
                )
        if not lines:
            _refuse(_("Er zijn geen goedgekeurde declaraties om te betalen tot en met deze maand."), "nothing_to_pay")
        batch = PaymentBatch(
            month=month,
            number=_number_for(month),
            total_cents=sum(line.amount_cents for line in lines),
            transfers=len({line.provider_id for line in lines}),
            carried_over=carried,
            created_by=by,
        )
        batch.full_clean()
        try:
            with transaction.atomic():
                batch.save()
                for line in lines:
                    line.batch = batch
                PaymentLine.objects.bulk_create(lines, batch_size=2000)
        except IntegrityError:  # a batch for this month, or one of these declaraties, was made meanwhile
            _refuse(
                _("Deze declaraties zijn zojuist in een andere betaalronde opgenomen; probeer het opnieuw."), "race"
            )
        record_event(
            actor=by,
            action=AuditEvent.Action.CREATE,
            obj=batch,
            summary=_("Betaalronde %(number)s aangemaakt") % {"number": batch.number},
            changes={
                "month": month.isoformat(),
                "declaraties": len(lines),
                "transfers": batch.transfers,
                "total_cents": batch.total_cents,
                "carried_over": len(carried),
            },
        )
    return batch


def _locked_concept(batch: PaymentBatch) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != PaymentBatch.Status.CONCEPT:
        raise FrozenBatchError(_("Deze betaalronde is al vastgesteld of geannuleerd."))
    return batch


def cancel_payment_batch(batch: PaymentBatch, *, by) -> PaymentBatch:
    """Cancel a concept: its declaraties are free for the next batch."""
    with transaction.atomic():
        batch = _locked_concept(batch)
        declaraties = batch.lines.count()
        batch.lines.all().delete()
        batch.status = PaymentBatch.Status.CANCELLED
        batch.full_clean()
        batch.save(update_fields=["status"])
        record_event(
            actor=by,
            action=AuditEvent.Action.TRANSITION,
            obj=batch,
            summary=_("Betaalronde %(number)s geannuleerd") % {"number": batch.number},
            changes={"status": [PaymentBatch.Status.CONCEPT, batch.status], "declaraties": declaraties},
        )
    return batch


# --- export ------------------------------------------------------------------------------------

COLUMNS = (
    Column(_("Aanbieder"), "text"),
    Column(_("AGB-code"), "text"),
    Column(_("IBAN"), "text"),
    Column(_("Declaratienummer"), "text"),
    Column(_("Declaratieperiode"), "date"),
    Column(_("Toegekende prestaties"), "int"),
    Column(_("Bedrag"), "money"),
)


def _euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _rows(lines: list[PaymentLine], *, batch_total: bool = True):
    """The declaraties per provider, each provider closed by its total, the batch by its total."""
    by_provider: dict[int, list[PaymentLine]] = defaultdict(list)
    for line in lines:
        by_provider[line.provider_id].append(line)
    total = count = 0
    for provider_lines in by_provider.values():
        provider = provider_lines[0].provider
        for line in provider_lines:
            declaratie = line.declaratie
            yield [
                provider.name,
                provider.agb_code,
                provider.iban,
                declaratie.number,
                declaratie.period_start,
                line.accepted_lines,
                _euros(line.amount_cents),
            ]
        subtotal = sum(line.amount_cents for line in provider_lines)
        accepted = sum(line.accepted_lines for line in provider_lines)
        yield [
            _("Totaal %(name)s") % {"name": provider.name},
            provider.agb_code,
            provider.iban,
            "",
            None,
            accepted,
            _euros(subtotal),
        ]
        total, count = total + subtotal, count + accepted
    if batch_total:
        yield [_("Totaal betaalronde"), "", "", "", None, count, _euros(total)]


def _table(batch: PaymentBatch, lines: list[PaymentLine], provider: Provider | None) -> Table:
    title = _("Betaalronde %(number)s") % {"number": batch.number}
    if provider is not None:
        title = f"{title} {provider.name}"
    note = _("Declaraties tot en met %(month)s; bedragen in euro.") % {"month": month_label(batch.month)}
    return Table(
        slug="betaalronde",
        title=title,
        columns=COLUMNS,
        rows=list(_rows(lines, batch_total=provider is None)),
        note=note,
    )


def _csv_bytes(table: Table) -> bytes:
    # The project's CSV download (semicolons, decimal comma, byte order mark), kept as bytes.
    return b"".join(export_response(table, "csv", context=ExportContext()).streaming_content)


def _xlsx_bytes(table: Table, context: ExportContext) -> bytes:
    out = io.BytesIO()
    write_xlsx(table, out, context)
    return out.getvalue()


def _sepa_bytes(batch: PaymentBatch, totals: list[ProviderTotal], providers: dict[int, Provider]) -> bytes:
    debtor = settings.BILLING["DEBTOR"]
    config = {"name": debtor["NAME"], "IBAN": compact(debtor["IBAN"]), "batch": True, "currency": "EUR"}
    if debtor.get("BIC"):
        config["BIC"] = compact(debtor["BIC"])
    transfer = SepaTransfer(config, schema="pain.001.001.03", clean=True)
    for total in totals:
        provider = providers[total.provider_id]
        payment = {
            "name": provider.account_holder or provider.name,
            "IBAN": compact(provider.iban),
            "amount": total.amount_cents,
            "execution_date": batch.execution_date,
            "description": f"{batch.number} declaraties {batch.month:%m-%Y} AGB {provider.agb_code}",
            "endtoend_id": end_to_end_id(batch, provider),
        }
        if provider.bic:
            payment["BIC"] = compact(provider.bic)
        transfer.add_payment(payment)
    return transfer.export(validate=True)


def end_to_end_id(batch: PaymentBatch, provider: Provider) -> str:
    return f"{batch.number}-{provider.agb_code}"[:35]


def _file(batch, kind: str, content: bytes, provider: Provider | None = None) -> PaymentExport:
    name = slugify(f"betaalronde {batch.number} {provider.agb_code if provider else ''}".strip())
    extension = "xml" if kind == Kind.SEPA else kind
    return PaymentExport(
        batch=batch,
        provider=provider,
        kind=kind,
        filename=f"{name}.{extension}",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _context(batch: PaymentBatch, by, provider: Provider | None) -> ExportContext:
    filters = [(_("Betaalronde"), batch.number), (_("Tot en met maand"), month_label(batch.month))]
    if provider is not None:
        filters.append((_("Aanbieder"), f"{provider.name} ({provider.agb_code})"))
    filters.append((_("Uitvoeringsdatum"), format_cell(batch.execution_date, "date")))
    who = f"{by.get_full_name() or by.get_username()} ({by.get_username()})" if by is not None else ""
    return ExportContext(filters=filters, figures_on=batch.exported_at, exported_by=who, exported_at=batch.exported_at)


def _export_files(batch: PaymentBatch, by) -> list[PaymentExport]:
    lines = list(batch.lines.select_related("provider", "declaratie").order_by(*PaymentLine._meta.ordering[1:]))
    providers = {line.provider_id: line.provider for line in lines}
    whole = _table(batch, lines, None)
    files = [
        _file(batch, Kind.CSV, _csv_bytes(whole)),
        _file(batch, Kind.XLSX, _xlsx_bytes(whole, _context(batch, by, None))),
        _file(batch, Kind.SEPA, _sepa_bytes(batch, provider_totals(batch), providers)),
    ]
    for provider in providers.values():
        table = _table(batch, [line for line in lines if line.provider_id == provider.pk], provider)
        files.append(_file(batch, Kind.CSV, _csv_bytes(table), provider))
        files.append(_file(batch, Kind.XLSX, _xlsx_bytes(table, _context(batch, by, provider)), provider))
    return files


def export_payment_batch(batch: PaymentBatch, *, by, today: date, execution_date: date | None = None) -> PaymentBatch:
    """Vaststellen en exporteren: write and keep the files, and freeze the batch."""
    execution_date = execution_date or today
    if execution_date < today:
        _refuse(_("De uitvoeringsdatum ligt in het verleden."), "execution_date_past", "execution_date")
    with transaction.atomic():
        batch = _locked_concept(batch)
        batch.status = PaymentBatch.Status.EXPORTED
        batch.exported_by, batch.exported_at, batch.execution_date = by, timezone.now(), execution_date
        batch.full_clean()
        files = _export_files(batch, by)
        PaymentExport.objects.bulk_create(files)
        batch.save(update_fields=["status", "exported_by", "exported_at", "execution_date"])
        record_event(
            actor=by,
            action=AuditEvent.Action.TRANSITION,
            obj=batch,
            summary=_("Betaalronde %(number)s vastgesteld en geëxporteerd") % {"number": batch.number},
            changes={
                "status": [PaymentBatch.Status.CONCEPT, batch.status],
                "execution_date": execution_date.isoformat(),
                "total_cents": batch.total_cents,
                "files": {item.filename: item.sha256 for item in files},
            },
        )
    return batch


def download(request, batch: PaymentBatch, kind: str, provider: Provider | None = None) -> PaymentExport:
    """A file of an exported batch, as it was written; the download is audited."""
    if batch.status != PaymentBatch.Status.EXPORTED:
        raise PaymentExport.DoesNotExist
    item = PaymentExport.objects.get(batch=batch, kind=kind, provider=provider)
    record_read(
        request,
        batch,
        client_id=None,
        summary=_("Bestand %(name)s gedownload (SHA-256 %(sha)s)") % {"name": item.filename, "sha": item.sha256},
    )
    return item
