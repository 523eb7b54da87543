"""The reconciliation tables of contract management (issue 17): per provider and month what was
submitted, accepted and rejected against what was expected, the use of the yearly budgets, and a
month's rejections by retourcode. Tables (ui.tables) so that the page and its CSV/XLSX downloads
show the same figures; every figure is summed in the database (billing.selectors,
billing.spending)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from providers.models import Provider
from ui.tables import Column, Link, Table

from . import selectors, spending


def euros(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


def month_url(provider_uuid, month: date) -> str:
    return reverse("billing:month", args=[provider_uuid, month.year, month.month])


def _expected_per_provider_month(year: int, *, provider, municipality, until: date) -> dict[tuple[int, date], int]:
    expected = spending.expected_in_year(
        year,
        provider_id=provider.pk if provider else None,
        municipality_id=municipality.pk if municipality else None,
        until=until,
    )
    sums: dict[tuple[int, date], int] = defaultdict(int)
    for (month, provider_id, _product, _municipality), cents in expected.items():
        sums[provider_id, month] += cents
    return sums


def overview(year: int, *, provider=None, municipality=None, until: date) -> Table:
    """One row per provider and month of `year` that was billed or expected (expected up to
    `until`): declaraties, prestaties (accepted, rejected), submitted, accepted and rejected euros,
    expected euros and accepted as a share of expected. Two grouped queries and one for the names
    of providers expected but not billed."""
    billed = {
        (row["provider_id"], spending.as_date(row["month"])): row
        for row in selectors.reconciliation_rows(year=year, provider=provider, municipality=municipality)
    }
    expected = _expected_per_provider_month(year, provider=provider, municipality=municipality, until=until)
    names = {key[0]: (row["provider__name"], row["provider__uuid"]) for key, row in billed.items()}
    missing = {provider_id for provider_id, _month in expected} - set(names)
    names.update(
        {
            pk: (name, uuid)
            for pk, name, uuid in Provider.objects.filter(pk__in=missing).values_list("pk", "name", "uuid")
        }
    )
    keys = sorted(set(billed) | set(expected), key=lambda key: (names[key[0]][0], key[1]))
    rows = []
    for key in keys:
        name, uuid = names[key[0]]
        row, cents = billed.get(key, {}), expected.get(key)
        accepted = row.get("accepted_cents", 0)
        rows.append(
            [
                Link(name, month_url(uuid, key[1])),
                date_format(key[1], "F Y"),
                row.get("declaraties", 0),
                row.get("lines", 0),
                row.get("accepted_lines", 0),
                row.get("rejected_lines", 0),
                euros(row.get("submitted_cents", 0)),
                euros(accepted),
                euros(row.get("rejected_cents", 0)),
                euros(cents),
                accepted * 100 / cents if cents else None,
            ]
        )
    return Table(
        "afstemming-per-aanbieder-en-maand",
        _("Declaraties per aanbieder en maand in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Maand"), "text"),
            Column(_("Declaraties")),
            Column(_("Prestaties")),
            Column(_("Toegekend")),
            Column(_("Afgewezen")),
            Column(_("Ingediend"), "money"),
            Column(_("Toegekend bedrag"), "money"),
            Column(_("Afgewezen bedrag"), "money"),
            Column(_("Verwacht"), "money"),
            Column(_("Toegekend van verwacht (%)"), "pct"),
        ],
        rows,
        note=_("verwacht tot en met %(day)s") % {"day": date_format(until, "j F Y")},
    )


def budgets(year: int, *, provider=None) -> Table:
    """Each contract's budget ceiling of `year` against what its provider was paid."""
    uses = spending.budget_use(year, provider_id=provider.pk if provider else None)
    return Table(
        "budgetgebruik-per-contract",
        _("Budgetgebruik per contract in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Contract vanaf"), "date"),
            Column(_("Budgetplafond"), "money"),
            Column(_("Betaald"), "money"),
            Column(_("Gebruikt (%)"), "pct"),
        ],
        [
            [
                use.budget.contract.provider.name,
                use.budget.contract.valid_from,
                euros(use.budget.amount_cents),
                euros(use.paid_cents),
                use.share,
            ]
            for use in uses
        ],
    )


def rejections(result: selectors.Reconciliation, *, provider, month: date) -> Table:
    """A month's rejected prestaties by retourcode (WJ001) with its Dutch meaning (a line with two
    codes counts under both)."""
    return Table(
        "afgewezen-per-retourcode",
        _("Afgewezen prestaties van %(provider)s per retourcode, %(month)s")
        % {"provider": provider.name, "month": date_format(month, "F Y")},
        [
            Column(_("Retourcode"), "text"),
            Column(_("Betekenis"), "text"),
            Column(_("Prestaties")),
            Column(_("Bedrag"), "money"),
        ],
        [[reason.code, reason.meaning, reason.lines, euros(reason.cents)] for reason in result.rejected_by_code],
    )


def declaraties(rows, *, provider, month: date) -> Table:
    """The month's declaraties as they came in, with their status and totals."""
    return Table(
        "declaraties-van-de-maand",
        _("Declaraties van %(provider)s, %(month)s") % {"provider": provider.name, "month": date_format(month, "F Y")},
        [
            Column(_("Declaratienummer"), "text"),
            Column(_("Berichtidentificatie"), "text"),
            Column(_("Gemeente"), "text"),
            Column(_("Dagtekening"), "date"),
            Column(_("Status"), "text"),
            Column(_("Prestaties")),
            Column(_("Toegekend")),
            Column(_("Ingediend"), "money"),
            Column(_("Toegekend bedrag"), "money"),
        ],
        [
            [
                row.number,
                row.identification,
                row.municipality.name,
                row.dagtekening,
                row.get_status_display(),
                row.line_count,
                row.accepted_count,
                euros(row.submitted_cents),
                euros(row.granted_cents),
            ]
            for row in rows
        ],
    )
