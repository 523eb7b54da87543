"""The money of the declaraties, always summed in the database from the prestaties: paid = the
accepted debits minus the accepted credits, per toewijzing, per provider and per month (the month
of the declaratieperiode in which a line was accepted), never a stored total that can drift. And
the reconciliation per provider per month: submitted, accepted, rejected by retourcode."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import BigIntegerField, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from iwmo.codes import RETOURCODE_LABEL

from .models import Declaratie, Prestatie
from .types import CREDIT

# A prestatie's amount with its sign: + debit, - credit.
SIGNED_CENTS = Case(
    When(debit_credit=CREDIT, then=-F("amount_cents")), default=F("amount_cents"), output_field=BigIntegerField()
)
ACCEPTED = Q(accepted=True)


def _sum(condition: Q | None = None):
    return Coalesce(Sum(SIGNED_CENTS, filter=condition), Value(0), output_field=BigIntegerField())


def accepted_prestaties() -> QuerySet[Prestatie]:
    return Prestatie.objects.filter(ACCEPTED)


def paid_per_assignment(assignment_ids) -> dict[int, int]:
    """Paid cents per toewijzing id (toewijzingen never billed are left out)."""
    rows = (
        accepted_prestaties()
        .filter(assignment_id__in=assignment_ids)
        .values("assignment_id")
        .annotate(paid=_sum())
        .order_by()
    )
    return {row["assignment_id"]: row["paid"] for row in rows}


def of_provider(lines: QuerySet, provider) -> QuerySet:
    """The lines of one provider (a Provider or its pk), said of the line and of its declaratie: the
    same provider (a line repeats its declaratie's), but said of the declaratie a filter on its
    period uses the declaratie's index (provider, period_start) instead of reading every provider's
    declaraties of the period with all their lines."""
    return lines.filter(provider=provider, declaratie__provider=provider)


def paid_cents(*, provider=None, month: date | None = None, assignment=None) -> int:
    """What was paid, for a provider, a month (any day of it) and/or a toewijzing."""
    rows = accepted_prestaties()
    if provider is not None:
        rows = of_provider(rows, provider)
    if assignment is not None:
        rows = rows.filter(assignment=assignment)
    if month is not None:
        rows = rows.filter(declaratie__period_start__year=month.year, declaratie__period_start__month=month.month)
    return rows.aggregate(paid=_sum())["paid"]


def paid_per_provider_month(*, year: int | None = None) -> QuerySet:
    """Rows of provider_id, month (first day) and paid cents, by provider and month."""
    rows = accepted_prestaties()
    if year is not None:
        rows = rows.filter(declaratie__period_start__year=year)
    return (
        rows.annotate(month=TruncMonth("declaratie__period_start"))
        .values("provider_id", "month")
        .annotate(paid=_sum())
        .order_by("provider_id", "month")
    )


@dataclass(frozen=True)
class RejectionReason:
    code: str
    meaning: str
    lines: int
    cents: int  # the signed amount of the rejected lines that carry this code


@dataclass(frozen=True)
class Reconciliation:
    """One provider's month: what was submitted, accepted (granted) and rejected, and why."""

    declaraties: int
    lines: int
    accepted_lines: int
    submitted_cents: int
    accepted_cents: int
    rejected_cents: int
    rejected_by_code: tuple[RejectionReason, ...]


def _in_month(month: date) -> Q:
    return Q(declaratie__period_start__year=month.year, declaratie__period_start__month=month.month)


def reconciliation(provider, *, month: date) -> Reconciliation:
    """The reconciliation of one provider's declaraties of one month (the declaratieperiode)."""
    lines = Prestatie.objects.filter(_in_month(month), provider=provider)
    totals = lines.aggregate(
        lines=Count("pk"),
        accepted_lines=Count("pk", filter=ACCEPTED),
        submitted_cents=_sum(),
        accepted_cents=_sum(ACCEPTED),
    )
    # The database groups the rejected lines by their list of codes; the few distinct lists are
    # split per code here (a line with two codes counts under both).
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in lines.filter(accepted=False).values("codes").annotate(n=Count("pk"), cents=_sum()).order_by():
        for code in row["codes"]:
            by_code[code][0] += row["n"]
            by_code[code][1] += row["cents"]
    return Reconciliation(
        declaraties=Declaratie.objects.filter(
            provider=provider, period_start__year=month.year, period_start__month=month.month
        ).count(),
        lines=totals["lines"],
        accepted_lines=totals["accepted_lines"],
        submitted_cents=totals["submitted_cents"],
        accepted_cents=totals["accepted_cents"],
        rejected_cents=totals["submitted_cents"] - totals["accepted_cents"],
        rejected_by_code=tuple(
            RejectionReason(code=code, meaning=str(RETOURCODE_LABEL.get(code, "")), lines=n, cents=cents)
            for code, (n, cents) in sorted(by_code.items())
        ),
    )


def reconciliation_rows(*, year: int | None = None, provider=None, municipality=None) -> QuerySet:
    """Per provider and month: declaraties, lines, accepted and rejected lines, submitted, accepted
    and rejected cents (the contract management overview; one query whatever the number of
    providers). `municipality`: the declaraties sent to that municipality only."""
    rows = Prestatie.objects.all()
    if year is not None:
        rows = rows.filter(declaratie__period_start__year=year)
    if provider is not None:
        rows = of_provider(rows, provider)
    if municipality is not None:
        rows = rows.filter(declaratie__municipality=municipality)
    return (
        rows.annotate(month=TruncMonth("declaratie__period_start"))
        .values("provider_id", "provider__name", "provider__uuid", "month")
        .annotate(
            declaraties=Count("declaratie", distinct=True),
            lines=Count("pk"),
            accepted_lines=Count("pk", filter=ACCEPTED),
            rejected_lines=Count("pk", filter=~ACCEPTED),
            submitted_cents=_sum(),
            accepted_cents=_sum(ACCEPTED),
            rejected_cents=_sum(~ACCEPTED),
        )
        .order_by("provider__name", "month")
    )


def declaraties_in_month(provider, *, month: date) -> QuerySet[Declaratie]:
    """A provider's declaraties of one month (the declaratieperiode), with their line counts and
    municipality, in the order they came in."""
    return with_line_counts(
        Declaratie.objects.filter(provider=provider, period_start__year=month.year, period_start__month=month.month)
        .select_related("municipality")
        .order_by("received_at", "id")
    )


def lines_in_month(provider, *, month: date, clients) -> dict[int, list[Prestatie]]:
    """The prestaties of a provider's month per declaratie id, in the message's order: one query.
    Only the lines of `clients` (a queryset of the clients the viewer may see) and those of no
    known client."""
    lines = (
        Prestatie.objects.filter(_in_month(month), provider=provider)
        .filter(Q(client__isnull=True) | Q(client__in=clients))
        .order_by("declaratie_id", "index")
    )
    grouped: dict[int, list[Prestatie]] = defaultdict(list)
    for line in lines:
        grouped[line.declaratie_id].append(line)
    return grouped


def declaraties_of(provider) -> QuerySet[Declaratie]:
    """A provider's own declaraties, newest first, with their municipality."""
    return Declaratie.objects.filter(provider=provider).select_related("municipality").order_by("-received_at", "-id")


def with_line_counts(declaraties: QuerySet[Declaratie]) -> QuerySet[Declaratie]:
    """Annotated with line_count and accepted_count (the prestaties, and those granted)."""
    return declaraties.annotate(
        line_count=Count("prestaties"), accepted_count=Count("prestaties", filter=Q(prestaties__accepted=True))
    )
