"""The monitor's money from the declaraties (issue 17): paid against expected per month,
provider, product and municipality, the use of the contracts' yearly budgets and the providers
whose declaraties stand out. Paid and expected are billing.spending's MoneyCube as the nightly
refresh stored it (MoneyCell); of the selection only the municipality, the product and the
provider apply: a declaratie line has no age group or domain."""

from decimal import Decimal

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import spending
from indications.models import Municipality, Product
from providers.models import Provider
from ui.tables import Column, Table

from .models import MoneyCell, ProviderBillingCell
from .selectors import Selection

PER_TITLES = {
    "month": (gettext_lazy("Maand"), gettext_lazy("Betaald en verwacht per maand in %(year)s")),
    "provider": (gettext_lazy("Aanbieder"), gettext_lazy("Betaald en verwacht per aanbieder in %(year)s")),
    "product": (gettext_lazy("Product"), gettext_lazy("Betaald en verwacht per product in %(year)s")),
    "municipality": (gettext_lazy("Gemeente"), gettext_lazy("Betaald en verwacht per gemeente in %(year)s")),
}
SLUGS = {
    "month": "betaald-per-maand",
    "provider": "betaald-per-aanbieder",
    "product": "betaald-per-product",
    "municipality": "betaald-per-gemeente",
}


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _filters(selection: Selection) -> dict:
    return {
        "provider_id": selection.provider.pk if selection.provider else None,
        "product_id": selection.product.pk if selection.product else None,
        "municipality_id": selection.municipality.pk if selection.municipality else None,
    }


def _labels(per: str, keys) -> dict:
    model = {"provider": Provider, "product": Product, "municipality": Municipality}.get(per)
    if model is None:
        return {key: date_format(key, "F Y") for key in keys}
    return {row.pk: str(row.name) for row in model.objects.filter(pk__in=[key for key in keys if key is not None])}


def cube(selection: Selection, year: int) -> spending.MoneyCube:
    """The year's money as the last refresh stored it (MoneyCell: expected up to its reference
    date, the current month only for its days so far) within the selection: one query."""
    return stored_cube(year, **_filters(selection))


def stored_cube(year: int, **filters) -> spending.MoneyCube:
    """A MoneyCube of the stored cells of `year`, filtered on provider_id, product_id and/or
    municipality_id (None: all)."""
    cells = MoneyCell.objects.filter(year=year, **{key: value for key, value in filters.items() if value is not None})
    expected, paid = {}, {}
    for month, provider, product, municipality, expected_cents, paid_cents in cells.values_list(
        "month", "provider_id", "product_id", "municipality_id", "expected_cents", "paid_cents"
    ):
        key = (month, provider, product, municipality)
        expected[key], paid[key] = expected_cents, paid_cents
    return spending.MoneyCube(expected=expected, paid=paid)


def paid_against_expected(cube: spending.MoneyCube, year: int, *, per: str) -> Table:
    """Expected (volume × contract price × assigned days) and paid (accepted prestaties) in the
    year, per month, provider, product or municipality, with the difference and the share paid."""
    money = cube.per(per)
    labels = _labels(per, money)
    keys = sorted(money) if per == "month" else sorted(money, key=lambda key: str(labels.get(key, "")))
    first, title = PER_TITLES[per]
    return Table(
        SLUGS[per],
        str(title) % {"year": year},
        [
            Column(str(first), "text"),
            Column(_("Verwacht"), "money"),
            Column(_("Betaald"), "money"),
            Column(_("Verschil"), "money"),
            Column(_("Betaald van verwacht (%)"), "pct"),
        ],
        [
            [
                labels.get(key, _("onbekend")),
                euros(money[key].expected_cents),
                euros(money[key].paid_cents),
                euros(money[key].difference_cents),
                money[key].paid_share,
            ]
            for key in keys
        ],
    )


def budget_use(selection: Selection, year: int, cube: spending.MoneyCube | None = None) -> Table:
    """Each contract's yearly budget against what was paid (the stored money cells), with the
    threshold reached (of the selection only the provider applies: a budget is the whole
    contract's). The page's money `cube` of the same year holds what was paid when the selection
    names no product or municipality: then it is not read again."""
    status = {0: "", 80: _("80% bereikt"), 100: _("plafond bereikt")}
    provider_id = selection.provider.pk if selection.provider else None
    if cube is None or selection.product is not None or selection.municipality is not None:
        cube = stored_cube(year, provider_id=provider_id)
    rows = []
    for use in spending.budget_use(year, provider_id=provider_id, paid=cube.paid):
        contract = use.budget.contract
        period = date_format(contract.valid_from, "d-m-Y") + (
            f" – {date_format(contract.valid_to, 'd-m-Y')}" if contract.valid_to else ""
        )
        rows.append(
            [
                contract.provider.name,
                period,
                euros(use.budget.amount_cents),
                euros(use.paid_cents),
                use.share,
                str(status.get(use.level, _("plafond bereikt"))),
            ]
        )
    return Table(
        "budgetgebruik",
        _("Budgetgebruik per contract in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Contract"), "text"),
            Column(_("Budgetplafond"), "money"),
            Column(_("Betaald"), "money"),
            Column(_("Gebruikt (%)"), "pct"),
            Column(_("Signaal"), "text"),
        ],
        rows,
    )


def providers_standing_out(selection: Selection, year: int) -> Table:
    """Per provider: prestaties, rejected, rejected for billing beyond the toewijzing (as the
    nightly refresh counted them, ProviderBillingCell), and whether that stands out against all
    providers (settings.BILLING["OUTLIER"])."""
    counts = (
        ProviderBillingCell.objects.filter(year=year)
        .values("provider_id", "lines", "rejected", "beyond", provider_name=F("provider__name"))
        .order_by("provider__name")
    )
    rows = spending.providers_standing_out(year, counts=list(counts))
    if selection.provider:
        rows = [row for row in rows if row.provider_id == selection.provider.pk]
    return Table(
        "declaraties-per-aanbieder",
        _("Afgewezen declaratieregels per aanbieder in %(year)s") % {"year": year},
        [
            Column(_("Aanbieder"), "text"),
            Column(_("Prestaties")),
            Column(_("Afgewezen")),
            Column(_("Afgewezen (%)"), "pct"),
            Column(_("Buiten de toewijzing")),
            Column(_("Buiten de toewijzing (%)"), "pct"),
            Column(_("Valt op"), "text"),
        ],
        [
            [
                row.provider_name,
                row.lines,
                row.rejected,
                row.rejection_rate,
                row.beyond_assignment,
                row.beyond_rate,
                _("ja") if row.stands_out else _("nee"),
            ]
            for row in rows
        ],
    )
