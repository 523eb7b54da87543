"""Money against expectation, for the monitor and contract management (issue 17): what was paid
(the accepted prestaties, billing.selectors' definition) against what was expected (tariff ×
assigned periods), the use of each contract's yearly budget, and the providers whose declaraties
stand out. All of it summed by the database; nothing stored.

Expected, per calendar month: every toewijzing that is not ingetrokken counts for its assigned
days in the month (ingangsdatum up to and including its einddatum) as volume × the contract's
price per unit in force on its first day in the month (+ the opslag price when the beschikking
grants opslag), × days / the days of the month. A whole month thus costs exactly what a provider
may bill for it (TR346: volume × tariff), and a year of months 13/12 × 12 = 13 periods of 4 weeks
of the result tariff (billing.services.convert_result_tariffs)."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth

from indications.dbfunctions import DaysBetween
from providers.models import Assignment

from .models import ContractBudget, ContractTariff, Prestatie
from .selectors import ACCEPTED, SIGNED_CENTS

# A key of the money cube: (first day of the month, provider id, product id, municipality id).
Key = tuple[date, int, int, int | None]

# The rejection codes that say a line billed beyond its toewijzing: outside its period, more volume
# than assigned (per period or in total).
BEYOND_ASSIGNMENT = ("9307", "9308", "9321", "9322")


def months_of(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _price(month: date, field: str):
    """The contract price per unit of the toewijzing's provider, product and unit in force on its
    first assigned day of the month (a subquery on ContractTariff)."""
    tariffs = ContractTariff.objects.filter(
        contract__provider_id=OuterRef("provider_id"),
        product_id=OuterRef("product_id"),
        unit=OuterRef("unit"),
        valid_from__lte=OuterRef("bill_from"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("bill_from")))
    return Coalesce(Subquery(tariffs.order_by("-valid_from").values(field)[:1]), Value(0))


def expected_in_month(month: date, *, provider_id=None, product_id=None, municipality_id=None) -> dict[Key, int]:
    """Expected cents in `month` per (month, provider, product, municipality): one grouped query."""
    first, last = month, month_end(month)
    assignments = Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first), start_date__lte=last
    )
    if provider_id is not None:
        assignments = assignments.filter(provider_id=provider_id)
    if product_id is not None:
        assignments = assignments.filter(product_id=product_id)
    if municipality_id is not None:
        assignments = assignments.filter(indication__client__municipality_id=municipality_id)
    bill_to = Least(Coalesce("end_date", Value(last)), Value(last))
    rows = (
        assignments.annotate(bill_from=Greatest("start_date", Value(first)))
        .annotate(
            days=DaysBetween(bill_to, "bill_from") + 1,
            price=_price(month, "price_cents"),
            opslag_price=_price(month, "opslag_cents"),
        )
        .annotate(
            # The opslag counts only where the beschikking grants it.
            unit_cents=F("price") + Case(When(indication__opslag=True, then=F("opslag_price")), default=Value(0)),
        )
        .values("provider_id", "product_id", "indication__client__municipality_id")
        .annotate(day_cents=Sum(F("volume") * F("unit_cents") * F("days"), output_field=BigIntegerField()))
        .order_by()
    )
    days_in_month = (last - first).days + 1
    return {
        (first, row["provider_id"], row["product_id"], row["indication__client__municipality_id"]): round(
            row["day_cents"] / days_in_month
        )
        for row in rows
        if row["day_cents"]
    }


def paid_in_year(year: int, *, provider_id=None, product_id=None, municipality_id=None) -> dict[Key, int]:
    """Paid cents per (month of the declaratieperiode, provider, product, municipality of the
    declaratie) in `year`: the accepted prestaties, debits minus credits; one grouped query."""
    lines = Prestatie.objects.filter(ACCEPTED, declaratie__period_start__year=year, assignment__isnull=False)
    if provider_id is not None:
        lines = lines.filter(provider_id=provider_id)
    if product_id is not None:
        lines = lines.filter(assignment__product_id=product_id)
    if municipality_id is not None:
        lines = lines.filter(declaratie__municipality_id=municipality_id)
    rows = (
        lines.annotate(month=TruncMonth("declaratie__period_start"))
        .values("month", "provider_id", "assignment__product_id", "declaratie__municipality_id")
        .annotate(paid=Sum(SIGNED_CENTS))
        .order_by()
    )
    return {
        (
            _day(row["month"]),
            row["provider_id"],
            row["assignment__product_id"],
            row["declaratie__municipality_id"],
        ): row["paid"]
        for row in rows
    }


def _day(value) -> date:
    """TruncMonth gives a date on PostgreSQL and may give a datetime elsewhere."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass(frozen=True)
class Money:
    expected_cents: int
    paid_cents: int

    @property
    def difference_cents(self) -> int:
        return self.paid_cents - self.expected_cents

    @property
    def paid_share(self) -> float | None:
        """Paid as a percentage of expected (None when nothing was expected)."""
        return self.paid_cents * 100 / self.expected_cents if self.expected_cents else None


# What a row of money can be grouped by: the position of its part of the Key.
GROUPS = {"month": 0, "provider": 1, "product": 2, "municipality": 3}


def paid_and_expected(year: int, *, per: str, provider_id=None, product_id=None, municipality_id=None) -> dict:
    """Expected and paid in `year`, summed per month, provider, product or municipality (the id,
    or the first day of the month): {group: Money}. Thirteen grouped queries whatever the size."""
    filters = {"provider_id": provider_id, "product_id": product_id, "municipality_id": municipality_id}
    expected: dict[Key, int] = {}
    for month in months_of(year):
        expected.update(expected_in_month(month, **filters))
    paid = paid_in_year(year, **filters)
    position = GROUPS[per]
    sums = defaultdict(lambda: [0, 0])
    for key, cents in expected.items():
        sums[key[position]][0] += cents
    for key, cents in paid.items():
        sums[key[position]][1] += cents
    return {group: Money(expected_cents=e, paid_cents=p) for group, (e, p) in sums.items()}


# -- Budgets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetUse:
    budget: ContractBudget
    paid_cents: int

    @property
    def share(self) -> float:
        return self.paid_cents * 100 / self.budget.amount_cents if self.budget.amount_cents else 100.0

    @property
    def level(self) -> int:
        """The highest threshold (settings.BILLING["BUDGET_THRESHOLDS"], 80 and 100 %) reached; 0: none."""
        return max((t for t in settings.BILLING["BUDGET_THRESHOLDS"] if self.share >= t), default=0)


def budget_use(year: int, *, provider_id=None) -> list[BudgetUse]:
    """Each contract budget of `year` with what its provider was paid in that year within the
    contract's validity: one query for the budgets and one for the payments."""
    budgets = list(
        ContractBudget.objects.filter(year=year)
        .select_related("contract__provider")
        .order_by("contract__provider__name", "contract__valid_from")
    )
    if provider_id is not None:
        budgets = [budget for budget in budgets if budget.contract.provider_id == provider_id]
    paid = paid_in_year(year, provider_id=provider_id)
    per_provider_month = defaultdict(int)
    for (month, provider, _product, _municipality), cents in paid.items():
        per_provider_month[provider, month] += cents
    uses = []
    for budget in budgets:
        contract = budget.contract
        cents = sum(
            value
            for (provider, month), value in per_provider_month.items()
            if provider == contract.provider_id
            and month_end(month) >= contract.valid_from
            and (contract.valid_to is None or month <= contract.valid_to)
        )
        uses.append(BudgetUse(budget=budget, paid_cents=cents))
    return uses


# -- Providers that stand out -------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderBilling:
    provider_id: int
    provider_name: str
    lines: int
    rejected: int
    beyond_assignment: int  # rejected lines that billed beyond the toewijzing (BEYOND_ASSIGNMENT)
    stands_out: bool

    @property
    def rejection_rate(self) -> float:
        return self.rejected * 100 / self.lines if self.lines else 0.0

    @property
    def beyond_rate(self) -> float:
        return self.beyond_assignment * 100 / self.lines if self.lines else 0.0


def providers_standing_out(year: int) -> list[ProviderBilling]:
    """Per provider in `year`: its prestaties, the rejected ones and those rejected for billing
    beyond the toewijzing. A provider stands out when, with at least MIN_LINES lines, its rejection
    rate or its beyond-the-toewijzing rate is at least FACTOR × the rate of all providers together
    (settings.BILLING["OUTLIER"]). One grouped query."""
    beyond = Q()
    for code in BEYOND_ASSIGNMENT:
        beyond |= Q(codes__contains=[code]) if _json_contains() else Q(codes__icontains=f'"{code}"')
    rows = list(
        Prestatie.objects.filter(declaratie__period_start__year=year)
        .values("provider_id", "provider__name")
        .annotate(
            lines=Count("pk"),
            rejected=Count("pk", filter=~ACCEPTED),
            beyond=Count("pk", filter=~ACCEPTED & beyond),
        )
        .order_by("provider__name")
    )
    outlier = settings.BILLING["OUTLIER"]
    total = sum(row["lines"] for row in rows)
    overall_rejected = sum(row["rejected"] for row in rows) / total if total else 0
    overall_beyond = sum(row["beyond"] for row in rows) / total if total else 0

    def stands_out(row) -> bool:
        if row["lines"] < outlier["MIN_LINES"]:
            return False
        rejected, over = row["rejected"] / row["lines"], row["beyond"] / row["lines"]
        return (rejected > 0 and rejected >= outlier["FACTOR"] * overall_rejected) or (
            over > 0 and over >= outlier["FACTOR"] * overall_beyond
        )

    return [
        ProviderBilling(
            provider_id=row["provider_id"],
            provider_name=row["provider__name"],
            lines=row["lines"],
            rejected=row["rejected"],
            beyond_assignment=row["beyond"],
            stands_out=stands_out(row),
        )
        for row in rows
    ]


def _json_contains() -> bool:
    """JSON containment (`codes__contains=[...]`) exists on PostgreSQL; elsewhere the codes' JSON
    text is searched for the quoted code, which is exact for a list of four-character codes."""
    return connection.vendor == "postgresql"
