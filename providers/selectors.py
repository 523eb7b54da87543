from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, NullIf

from indications.models import IndicationResult

from .aggregates import MedianDuration
from .models import Assignment, CareEvent, Provider


def provider_overview() -> QuerySet[Provider]:
    """Providers with aggregate counts only (no client data): what contract management may see."""
    live = Q(indications__status__in=["vastgesteld", "actief"])
    return (
        Provider.objects.select_related("reference_group")
        .annotate(
            live_beschikkingen=Count("indications", filter=live),
            clients_in_care=Count("indications__client", filter=live, distinct=True),
            beschikkingen_total=Count("indications", filter=Q(indications__decision_date__isnull=False)),
        )
        .order_by("reference_group__number", "name")
    )


def assignments_for(provider: Provider) -> QuerySet[Assignment]:
    """The provider's own assignments, with what the API shows, in a fixed number of queries."""
    return (
        Assignment.objects.filter(provider=provider)
        .select_related("product", "indication__client__municipality", "indication__consultant")
        .prefetch_related(
            Prefetch("indication__results", queryset=IndicationResult.objects.select_related("result__domain"))
        )
        .order_by("-start_date", "-id")
    )


# --------------------------------------------------------------------------------------------
# SLA figures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


def periods(year: int, granularity: str) -> list[Period]:
    """The months, quarters or the whole of a year."""
    if granularity == "maand":
        return [Period(f"{year}-{month:02d}", date(year, month, 1),
                       date(year, month, monthrange(year, month)[1])) for month in range(1, 13)]
    if granularity == "kwartaal":
        return [Period(f"{year}-K{q}", date(year, 3 * q - 2, 1),
                       date(year, 3 * q, monthrange(year, 3 * q)[1])) for q in range(1, 5)]
    return [Period(str(year), date(year, 1, 1), date(year, 12, 31))]


def sla_figures(period: Period, *, providers: QuerySet[Provider] | None = None, late_after_days: int = 7,
                today: date | None = None) -> QuerySet[Provider]:
    """Per provider, in one query: instroom, uitstroom, afschaling, opschaling, active clients,
    average and median trajectory duration, uitstroom percentage and late start reports."""
    start, end = period.start, period.end
    in_period = Q(assignments__start_date__gte=start, assignments__start_date__lte=end)
    overlapping = Q(assignments__start_date__lte=end) & (
        Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=start)
    )
    ended = Q(assignments__status=Assignment.Status.ENDED, assignments__end_date__gte=start,
              assignments__end_date__lte=end)
    # Outflow: an ended assignment that no assignment at the same provider continues the next day.
    continued = Assignment.objects.filter(
        provider=OuterRef("provider"),
        indication__client=OuterRef("indication__client"),
        start_date=ExpressionWrapper(OuterRef("end_date") + timedelta(days=1), output_field=DateField()),
    )
    outflow_ids = Assignment.objects.filter(status=Assignment.Status.ENDED, end_date__gte=start,
                                            end_date__lte=end).exclude(Exists(continued)).values("pk")
    duration = ExpressionWrapper(F("assignments__end_date") - F("assignments__start_date"),
                                 output_field=DurationField())
    today = today or date.today()
    figures = (
        (providers if providers is not None else Provider.objects.all())
        .select_related("reference_group")
        .annotate(
            instroom=Count("assignments", filter=in_period & Q(assignments__indication__kind="eerste"), distinct=True),
            afschaling=Count("assignments", filter=in_period & Q(assignments__indication__kind="afschaling"),
                             distinct=True),
            opschaling=Count("assignments", filter=in_period & Q(assignments__indication__kind="opschaling"),
                             distinct=True),
            uitstroom=Count("assignments__indication__client", filter=Q(assignments__in=outflow_ids), distinct=True),
            clients=Count("assignments__indication__client", filter=overlapping, distinct=True),
            average_duration=Avg(duration, filter=ended),
            median_duration=MedianDuration(duration, filter=ended),
        )
        .order_by("reference_group__number", "name")
    )
    # Late start reports: the start came in more than `late_after_days` after the assignment's start,
    # or has not come in at all while that many days have passed.
    late = (
        Assignment.objects.filter(provider=OuterRef("pk"), start_date__gte=start, start_date__lte=end)
        .annotate(cutoff=ExpressionWrapper(F("start_date") + timedelta(days=late_after_days),
                                           output_field=DateField()))
        .filter(
            Exists(CareEvent.objects.filter(assignment=OuterRef("pk"), kind=CareEvent.Kind.START, accepted=True,
                                            received_at__date__gt=OuterRef("cutoff")))
            | Q(care_started_on__isnull=True, cutoff__lt=today, status=Assignment.Status.ACTIVE)
        )
        .order_by()
        .values("provider")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return figures.annotate(
        late_start_reports=Coalesce(Subquery(late), 0),
        uitstroom_percentage=ExpressionWrapper(F("uitstroom") * 100.0 / NullIf(F("clients"), 0),
                                               output_field=FloatField()),
    )
