"""The rules of the persoonsgebonden budget (pgb), a pure module (reads, never writes).

Art. 2.3.6 Wmo 2015: the client who wants a pgb gets one where (lid 2) (a) he can manage it himself,
or with help from his network or a representative ("pgb-vaardig"), (b) he has motivated why he wants
a pgb, and (c) he has made plausible that the care he buys with it is safe, effective and
client-oriented. The vaststelling of a pgb beschikking therefore needs those three conditions
checked and met, the budget plan received, a budgetholder (the client, or a named representative)
and a pgb tariff in force (its budget, indications.selectors.beschikking_cost). A pgb names no
provider and gets no toewijzing (the providers' hook skips it, so no WMO301 either).

The SVB list (`svb_rows`): per calendar month, the pgb budgets that start, change (a pgb that
replaces another: op- or afschaling, herindicatie), end or run in that month, with the budget for
that month (the budget per 4 weeks x days of the month in the beschikking / 28). A month, not a
period of 4 weeks, because the SVB pays budgetholders' invoices per month.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ui.tables import Column, Table, euro

from .models import GRANTED_STATUSES, DeliveryForm, Indication, PgbBudget
from .selectors import PERIOD_DAYS, beschikking_cost, pgb_tariff_for

# The conditions of art. 2.3.6 lid 2, in the order of the law: field, code, text.
CONDITIONS = (
    ("able_to_manage", "pgb_not_able", gettext_lazy("de cliënt is pgb-vaardig (zelf of met hulp) (a)")),
    ("motivated", "pgb_not_motivated", gettext_lazy("de cliënt heeft gemotiveerd waarom hij een pgb wil (b)")),
    (
        "quality_plausible",
        "pgb_quality",
        gettext_lazy("de ingekochte ondersteuning is veilig, doeltreffend en cliëntgericht (c)"),
    ),
)


def pgb_errors(indication: Indication) -> list[ValidationError]:
    """What stands in the way of vaststellen a pgb beschikking (none for a natura one)."""
    if not indication.is_pgb:
        return []
    errors = []
    if indication.provider_id is not None:
        errors.append(
            ValidationError(_("Een pgb heeft geen aanbieder: de budgethouder koopt zelf in."), code="pgb_provider")
        )
    if pgb_tariff_for(indication.product, indication.start_date) is None:
        errors.append(
            ValidationError(
                _("Er is geen pgb-tarief voor %(product)s op %(date)s.")
                % {"product": indication.product.name, "date": indication.start_date.strftime("%d-%m-%Y")},
                code="no_pgb_tariff",
            )
        )
    pgb = PgbBudget.objects.filter(indication=indication).first()
    if pgb is None:
        errors.append(
            ValidationError(_("Leg de budgethouder en de voorwaarden voor het pgb vast."), code="pgb_missing")
        )
        return errors
    if pgb.holder != PgbBudget.Holder.CLIENT and not pgb.representative_name.strip():
        errors.append(
            ValidationError(_("Geef de naam van de vertegenwoordiger die budgethouder is."), code="pgb_representative")
        )
    if pgb.budget_plan_received_on is None:
        errors.append(ValidationError(_("Het budgetplan is nog niet ontvangen."), code="pgb_budget_plan"))
    for field, code, text in CONDITIONS:
        value = getattr(pgb, field)
        if value is None:
            errors.append(
                ValidationError(
                    _("Toets de voorwaarde voor een pgb (art. 2.3.6 lid 2 Wmo 2015): %(condition)s.")
                    % {"condition": text},
                    code=code,
                )
            )
        elif value is False:
            errors.append(
                ValidationError(
                    _("Geen pgb: niet voldaan aan art. 2.3.6 lid 2 Wmo 2015: %(condition)s. Kies zorg in natura.")
                    % {"condition": text},
                    code=code,
                )
            )
    return errors


# --------------------------------------------------------------------------------------------
# The SVB list
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


@dataclass(frozen=True)
class SvbRow:
    indication: Indication
    change: str  # nieuw, wijziging, einde, lopend
    holder_name: str
    per_period: Decimal | None
    in_month: Decimal | None
    total: Decimal | None


def _change(indication: Indication, month: Month, care_end: date | None) -> str:
    if month.start <= indication.start_date <= month.end:
        replaced = indication.replaces
        return _("wijziging") if replaced is not None and replaced.is_pgb else _("nieuw")
    if care_end is not None and month.start <= care_end <= month.end:
        return _("einde")
    return _("lopend")


def svb_rows(month: Month) -> list[SvbRow]:
    """The granted pgb beschikkingen that run on some day of the month, with the budget for it."""
    indications = (
        Indication.objects.filter(delivery_form=DeliveryForm.PGB, status__in=GRANTED_STATUSES)
        .filter(start_date__lte=month.end)
        .filter(
            Q(ended_on__isnull=True, end_date__isnull=True)
            | Q(ended_on__gte=month.start)
            | Q(ended_on__isnull=True, end_date__gte=month.start)
        )
        .select_related("client", "product", "pgb", "replaces")
        .order_by("client__bsn", "start_date", "pk")
    )
    rows = []
    for indication in indications:
        care_end = indication.ended_on or indication.end_date
        cost = beschikking_cost(indication)
        in_month = None
        if cost.per_period is not None:
            first = max(indication.start_date, month.start)
            last = min(care_end, month.end) if care_end else month.end
            days = (last - first).days + 1
            in_month = (cost.per_period * days / PERIOD_DAYS).quantize(Decimal("0.01"), ROUND_HALF_UP)
        pgb = getattr(indication, "pgb", None)
        rows.append(
            SvbRow(
                indication=indication,
                change=_change(indication, month, care_end),
                holder_name=pgb.holder_name if pgb else str(indication.client),
                per_period=cost.per_period,
                in_month=in_month,
                total=cost.total,
            )
        )
    return rows


def svb_table(month: Month) -> Table:
    """The SVB list of the month as a table (the page, CSV and XLSX show the same)."""
    rows = svb_rows(month)
    return Table(
        f"pgb-svb-{month.year}-{month.month:02d}",
        _("Pgb-budgetten voor de SVB, %(month)s") % {"month": date_format(month.start, "F Y")},
        [
            Column(_("BSN"), "text"),
            Column(_("Budgethouder"), "text"),
            Column(_("Cliënt"), "text"),
            Column(_("Beschikkingnummer"), "text"),
            Column(_("Product"), "text"),
            Column(_("Mutatie"), "text"),
            Column(_("Ingangsdatum"), "date"),
            Column(_("Einddatum"), "date"),
            Column(_("Budget per 4 weken"), "money"),
            Column(_("Budget deze maand"), "money"),
            Column(_("Totaal budget beschikking"), "money"),
        ],
        [
            [
                row.indication.client.bsn,
                row.holder_name,
                str(row.indication.client),
                row.indication.number,
                row.indication.product.name,
                row.change,
                row.indication.start_date,
                row.indication.ended_on or row.indication.end_date,
                row.per_period,
                row.in_month,
                row.total,
            ]
            for row in rows
        ],
        note=_("totaal deze maand: %(total)s") % {"total": euro(sum((r.in_month or Decimal(0)) for r in rows))},
    )
