"""Money against expectation, for the monitor and contract management (issue 17): what was paid
(the accepted prestaties, billing.selectors' definition) against what was expected (tariff ×
assigned periods), the use of each contract's yearly budget, and the providers whose declaraties
stand out. All of it summed by the database; nothing stored.

Expected, per calendar month: every toewijzing that is not ingetrokken counts for its assigned
days in the month (ingangsdatum up to and including its einddatum) as volume × the contract's
price per unit in force on its first day in the month (+ the opslag price when the beschikking
grants opslag), × days / the days of the month. A whole month thus costs exactly what a provider
may bill for it (TR346: volume × tariff), and a year of months 13/12 × 12 = 13 periods of 4 weeks
of the result tariff (billing.services.convert_result_tariffs).

Expected up to a day (`until`, the pages pass today): the days after it count for nothing, so the
current month expects only its days so far and a later month nothing, as paid can only be so far;
without `until` every month counts whole (a budget forecast)."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth

from indications.dbfunctions import DaysBetween
from providers.models import Assignment

from .models import ContractBudget, ContractTariff, Prestatie
from .selectors import ACCEPTED, SIGNED_CENTS, of_provider

# A key of the money cube: (first day of the month, provider id, product id, municipality id).
Key = tuple[date, int, int, int | None]

# The rejection codes that say a line billed beyond its toewijzing: outside its period, more volume
# than assigned (per period or in total).
BEYOND_ASSIGNMENT = ("9307", "9308", "9321", "9322")


def months_of(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _days_in(month: date, until: date | None = None):
    """The toewijzing's assigned days in `month` up to `until` inclusive (0 when it does not overlap)."""
    first, last = month, month_end(month)
    if until is not None and until < last:
        if until < first:
            return Value(0)
        last = until
    days = DaysBetween(Least(Coalesce("end_date", Value(last)), Value(last)), Greatest("start_date", Value(first))) + 1
    return Greatest(days, Value(0))


def _prices() -> dict[tuple[int, int, str], list[ContractTariff]]:
    """Every contract price per (provider, product, unit), oldest first (a few hundred rows)."""
    prices = defaultdict(list)
    for tariff in ContractTariff.objects.select_related("contract").order_by("valid_from"):
        prices[tariff.contract.provider_id, tariff.product_id, tariff.unit].append(tariff)
    return prices


def _price_in(tariffs: list[ContractTariff], month: date) -> ContractTariff | None:
    """The first of the tariffs in force in `month` (contract prices change on a month's first day)."""
    last = month_end(month)
    return next(
        (t for t in tariffs if t.valid_from <= last and (t.valid_to is None or t.valid_to >= month)),
        None,
    )


EXPECTED_GROUP = ("provider_id", "product_id", "unit", "indication__opslag", "indication__client__municipality_id")


def expected_in_year(
    year: int, *, provider_id=None, product_id=None, municipality_id=None, until: date | None = None
) -> dict[Key, int]:
    """Expected cents per (month, provider, product, municipality) in `year`: the toewijzingen's
    volume × assigned days (up to `until`, when given) summed per month by one grouped query, priced
    here with the contract price per unit in force in the month (+ its opslag price where the
    beschikking grants opslag)."""
    months = months_of(year)
    assignments = Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=months[0]), start_date__lte=month_end(months[-1])
    )
    if provider_id is not None:
        assignments = assignments.filter(provider_id=provider_id)
    if product_id is not None:
        assignments = assignments.filter(product_id=product_id)
    if municipality_id is not None:
        assignments = assignments.filter(indication__client__municipality_id=municipality_id)
    rows = (
        assignments.values(
            "provider_id", "product_id", "unit", "indication__opslag", "indication__client__municipality_id"
        )
        .annotate(
            **{
                f"m{month.month}": Sum(F("volume") * _days_in(month, until), output_field=BigIntegerField())
                for month in months
            }
        )
        .order_by()
    )
    prices = _prices()
    expected: dict[Key, int] = defaultdict(int)
    for row in rows:
        tariffs = prices.get((row["provider_id"], row["product_id"], row["unit"]), [])
        for month in months:
            unit_days = row[f"m{month.month}"] or 0
            tariff = _price_in(tariffs, month) if unit_days else None
            if tariff is None:
                continue
            cents = tariff.price_cents + ((tariff.opslag_cents or 0) if row["indication__opslag"] else 0)
            key = (month, row["provider_id"], row["product_id"], row["indication__client__municipality_id"])
            expected[key] += unit_days * cents
    return {key: round(day_cents / month_end(key[0]).day) for key, day_cents in expected.items()}


def paid_in_year(year: int, *, provider_id=None, product_id=None, municipality_id=None) -> dict[Key, int]:
    """Paid cents per (month of the declaratieperiode, provider, product, municipality of the
    declaratie) in `year`: the accepted prestaties, debits minus credits; one grouped query."""
    lines = Prestatie.objects.filter(ACCEPTED, declaratie__period_start__year=year, assignment__isnull=False)
    if provider_id is not None:
        lines = of_provider(lines, provider_id)
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
            as_date(row["month"]),
            row["provider_id"],
            row["assignment__product_id"],
            row["declaratie__municipality_id"],
        ): row["paid"]
        for row in rows
    }


def as_date(value) -> date:
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


@dataclass(frozen=True)
class MoneyCube:
    """Expected and paid cents of a year per (month, provider, product, municipality): three
    queries, from which every grouping is summed."""

    expected: dict
    paid: dict

    @classmethod
    def of(
        cls, year: int, *, provider_id=None, product_id=None, municipality_id=None, until: date | None = None
    ) -> "MoneyCube":
        """`until`: expected only up to that day (billing.spending's docstring); paid is what it is."""
        filters = {"provider_id": provider_id, "product_id": product_id, "municipality_id": municipality_id}
        return cls(expected=expected_in_year(year, **filters, until=until), paid=paid_in_year(year, **filters))

    def per(self, per: str) -> dict:
        """{group: Money} per month (its first day), provider, product or municipality (the id)."""
        position = GROUPS[per]
        sums = defaultdict(lambda: [0, 0])
        for key, cents in self.expected.items():
            sums[key[position]][0] += cents
        for key, cents in self.paid.items():
            sums[key[position]][1] += cents
        return {group: Money(expected_cents=e, paid_cents=p) for group, (e, p) in sums.items()}


def paid_and_expected(year: int, *, per: str, **filters) -> dict:
    """Expected and paid in `year` per month, provider, product or municipality: {group: Money}."""
    return MoneyCube.of(year, **filters).per(per)


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


def budget_use(year: int, *, provider_id=None, paid: dict | None = None) -> list[BudgetUse]:
    """Each contract budget of `year` with what its provider was paid in that year within the
    contract's validity: one query for the budgets and one for the payments (none when `paid`,
    a MoneyCube's, is given)."""
    budgets = list(
        ContractBudget.objects.filter(year=year)
        .select_related("contract__provider")
        .order_by("contract__provider__name", "contract__valid_from")
    )
    if provider_id is not None:
        budgets = [budget for budget in budgets if budget.contract.provider_id == provider_id]
    if paid is None:
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


def billing_counts(year: int) -> list[dict]:
    """Per provider in `year` (by name): {provider_id, provider_name, lines, rejected, beyond}, its
    prestaties, the rejected ones and those rejected for billing beyond the toewijzing. One grouped
    query."""
    beyond = Q()
    for code in BEYOND_ASSIGNMENT:
        beyond |= Q(codes__contains=[code]) if _json_contains() else Q(codes__icontains=f'"{code}"')
    return list(
        Prestatie.objects.filter(declaratie__period_start__year=year)
        .values("provider_id", provider_name=F("provider__name"))
        .annotate(
            lines=Count("pk"),
            rejected=Count("pk", filter=~ACCEPTED),
            beyond=Count("pk", filter=~ACCEPTED & beyond),
        )
        .order_by("provider__name")
    )


def providers_standing_out(year: int, counts: list[dict] | None = None) -> list[ProviderBilling]:
    """Per provider in `year` its billing_counts (or the `counts` given, in the same form), and
    whether it stands out: with at least MIN_LINES lines, its rejection rate or its
    beyond-the-toewijzing rate is at least FACTOR × the rate of all providers together
    (settings.BILLING["OUTLIER"])."""
    rows = billing_counts(year) if counts is None else counts
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
            provider_name=row["provider_name"],
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
