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

from indications.models import Evaluation, IndicationResult, Product, ResultProgress
from signals.models import OPEN_STATUSES, Signal, SignalType

from .aggregates import MedianDuration
from .models import AnnualReview, Assignment, CareEvent, Provider


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


def flow_figures(period: Period, *, providers: QuerySet[Provider] | None = None) -> QuerySet[Provider]:
    """Per provider, in one query: instroom, uitstroom, afschaling, opschaling, active clients,
    average and median trajectory duration and the uitstroom percentage."""
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
    return (
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
        .annotate(uitstroom_percentage=ExpressionWrapper(F("uitstroom") * 100.0 / NullIf(F("clients"), 0),
                                                         output_field=FloatField()))
        .order_by("reference_group__number", "name")
    )


# --------------------------------------------------------------------------------------------
# Late reports
# --------------------------------------------------------------------------------------------


def _count_per_provider(assignments: QuerySet[Assignment]) -> Coalesce:
    """The number of `assignments` of the provider of the outer row (a correlated subquery)."""
    per_provider = (
        assignments.filter(provider=OuterRef("pk")).order_by().values("provider").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(per_provider), 0)


def _days_after(field: str, days: int) -> ExpressionWrapper:
    return ExpressionWrapper(F(field) + timedelta(days=days), output_field=DateField())


def late_start_reports(period: Period, *, late_after_days: int = 7, today: date | None = None) -> QuerySet[Assignment]:
    """Assignments starting in the period whose start zorg came in late: the accepted start came in
    more than `late_after_days` days after the assignment's start date, or has not come in at all
    while the assignment is active and that many days have passed."""
    today = today or date.today()
    return (
        Assignment.objects.filter(start_date__gte=period.start, start_date__lte=period.end)
        .annotate(cutoff=_days_after("start_date", late_after_days))
        .filter(
            Exists(CareEvent.objects.filter(assignment=OuterRef("pk"), kind=CareEvent.Kind.START, accepted=True,
                                            received_at__date__gt=OuterRef("cutoff")))
            | Q(care_started_on__isnull=True, cutoff__lt=today, status=Assignment.Status.ACTIVE)
        )
    )


def late_stop_reports(period: Period, *, late_after_days: int = 7, today: date | None = None) -> QuerySet[Assignment]:
    """Assignments whose care stopped in the period and whose stop zorg came in late.

    Only care that started can stop, and a withdrawn assignment never had care. The stop date is
    the reported care stop date (care_stopped_on), or the assignment's end date while no stop has
    been reported. Late: the accepted stop zorg was received more than `late_after_days` days after
    that stop date, or no stop has been reported while more than `late_after_days` days have passed
    since the end date (the condition of the care_after_end signal, counted in calendar days)."""
    today = today or date.today()
    return (
        Assignment.objects.filter(care_started_on__isnull=False)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .annotate(stopped_on=Coalesce("care_stopped_on", "end_date"))
        .filter(stopped_on__gte=period.start, stopped_on__lte=period.end)
        .annotate(cutoff=_days_after("stopped_on", late_after_days))
        .filter(
            Exists(CareEvent.objects.filter(assignment=OuterRef("pk"), kind=CareEvent.Kind.STOP, accepted=True,
                                            received_at__date__gt=OuterRef("cutoff")))
            | Q(care_stopped_on__isnull=True, cutoff__lt=today)
        )
    )


def late_reports(period: Period, *, providers: QuerySet[Provider] | None = None, late_after_days: int = 7,
                 today: date | None = None) -> QuerySet[Provider]:
    """Per provider, in one query: late start reports, late stop reports and both together."""
    return (
        (providers if providers is not None else Provider.objects.all())
        .annotate(
            late_start_reports=_count_per_provider(late_start_reports(period, late_after_days=late_after_days,
                                                                      today=today)),
            late_stop_reports=_count_per_provider(late_stop_reports(period, late_after_days=late_after_days,
                                                                    today=today)),
        )
        .annotate(late_reports=F("late_start_reports") + F("late_stop_reports"))
        .order_by("reference_group__number", "name")
    )


# --------------------------------------------------------------------------------------------
# Results achieved (evaluation outcomes)
# --------------------------------------------------------------------------------------------


def _delivering_provider(indication: str, day: str) -> Subquery:
    """The provider of the beschikking's latest toewijzing (not withdrawn) that had started on `day`:
    whose care an evaluation on that day looked back on (also just after the toewijzing ended)."""
    return Subquery(
        Assignment.objects.filter(indication=OuterRef(indication), start_date__lte=OuterRef(day))
        .exclude(status=Assignment.Status.WITHDRAWN)
        .order_by("-start_date", "-pk")
        .values("provider")[:1]
    )


def evaluations_held(period: Period) -> QuerySet[Evaluation]:
    """Evaluations held in the period, each with the provider whose care it evaluated (delivered_by)."""
    return Evaluation.objects.filter(held_on__gte=period.start, held_on__lte=period.end).annotate(
        delivered_by=_delivering_provider("indication", "held_on")
    )


def assessed_results(period: Period) -> QuerySet[ResultProgress]:
    """Each result's latest assessment at a provider in the period (delivered_by as for evaluations).

    A result of the beschikking (IndicationResult) counts once per provider: with the progress
    recorded at the last evaluation of the period that assessed it (the higher evaluation id on the
    same day). A result first 'niet behaald' and later 'behaald' in the same year is behaald."""
    assessed = ResultProgress.objects.filter(
        evaluation__held_on__gte=period.start, evaluation__held_on__lte=period.end
    ).annotate(delivered_by=_delivering_provider("evaluation__indication", "evaluation__held_on"))
    later = assessed.filter(
        Q(evaluation__held_on__gt=OuterRef("evaluation__held_on"))
        | Q(evaluation__held_on=OuterRef("evaluation__held_on"), evaluation_id__gt=OuterRef("evaluation_id")),
        indication_result=OuterRef("indication_result"),
        delivered_by=OuterRef("delivered_by"),
    )
    return assessed.exclude(Exists(later))


OUTCOME_FIELDS = {
    Evaluation.Outcome.CONTINUE: "outcome_voortzetten",
    Evaluation.Outcome.SCALE_DOWN: "outcome_afschalen",
    Evaluation.Outcome.SCALE_UP: "outcome_opschalen",
    Evaluation.Outcome.STOP: "outcome_beeindigen",
    Evaluation.Outcome.HERINDICATIE: "outcome_herindicatie",
}
PROGRESS_FIELDS = {
    ResultProgress.Progress.ACHIEVED: "behaald",
    ResultProgress.Progress.PARTLY: "deels",
    ResultProgress.Progress.NOT_ACHIEVED: "niet_behaald",
}


def _percentage(part: str, whole: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(part) * 100.0 / NullIf(F(whole), 0), output_field=FloatField())


def results_per_product(period: Period, *, provider: Provider) -> QuerySet[Product]:
    """Per IB product, in one query, for the provider's care evaluated in the period: evaluations
    held (in total and per outcome) and the results assessed (assessed_results: in total, behaald,
    deels and niet behaald, and the percentage behaald). Every product is a row, also without data."""
    evaluation_ids = evaluations_held(period).filter(delivered_by=provider.pk).values("pk")
    assessed_ids = assessed_results(period).filter(delivered_by=provider.pk).values("pk")
    evaluated = Q(indications__evaluations__in=evaluation_ids)
    assessed = Q(indications__evaluations__progress__in=assessed_ids)
    return (
        Product.objects.annotate(
            evaluations=Count("indications__evaluations", filter=evaluated, distinct=True),
            **{
                field: Count("indications__evaluations", filter=evaluated & Q(indications__evaluations__outcome=value),
                             distinct=True)
                for value, field in OUTCOME_FIELDS.items()
            },
            results_assessed=Count("indications__evaluations__progress", filter=assessed, distinct=True),
            **{
                field: Count("indications__evaluations__progress",
                             filter=assessed & Q(indications__evaluations__progress__progress=value), distinct=True)
                for value, field in PROGRESS_FIELDS.items()
            },
        )
        .annotate(behaald_percentage=_percentage("behaald", "results_assessed"))
        .order_by("level")
    )


# --------------------------------------------------------------------------------------------
# Open SLA signals
# --------------------------------------------------------------------------------------------

# The signals of signals/checks.py section "6. provider SLA": what a provider failed to report.
SLA_SIGNAL_FIELDS = {
    SignalType.NO_START_REPORTED: "open_no_start_reported",
    SignalType.CARE_AFTER_END: "open_care_after_end",
    SignalType.STOP_WITHOUT_REASON: "open_stop_without_reason",
}
SLA_SIGNAL_TYPES = tuple(SLA_SIGNAL_FIELDS)


def _open_sla_signals() -> QuerySet[Signal]:
    return Signal.objects.filter(type__in=SLA_SIGNAL_TYPES, status__in=OPEN_STATUSES)


def open_sla_signals(*, providers: QuerySet[Provider] | None = None) -> QuerySet[Provider]:
    """Per provider, in one query: the SLA signals open now (open or in behandeling), per type and
    in total. Independent of any period: they are what is still to be put right."""
    open_now = Q(signals__type__in=SLA_SIGNAL_TYPES, signals__status__in=OPEN_STATUSES)
    per_type = {field: Count("signals", filter=open_now & Q(signals__type=value))
                for value, field in SLA_SIGNAL_FIELDS.items()}
    return (
        (providers if providers is not None else Provider.objects.all())
        .annotate(**per_type, open_sla_signals=Count("signals", filter=open_now))
        .order_by("reference_group__number", "name")
    )


def open_sla_signals_for(provider: Provider) -> QuerySet[Signal]:
    """The provider's open SLA signals, most urgent first, with their toewijzing and without any
    client data (contract management sees the type, the due date, the toewijzing and the status)."""
    return (
        _open_sla_signals()
        .filter(provider=provider)
        .select_related("assignment")
        .only("type", "status", "urgency", "due_date", "created_on", "assignment__number")
        .order_by("due_date", "urgency", "pk")
    )


# --------------------------------------------------------------------------------------------
# Benchmark: the providers of a reference group side by side
# --------------------------------------------------------------------------------------------


def results_per_provider(period: Period) -> dict[int, dict]:
    """Per provider whose care was evaluated in the period (delivered_by): the results assessed
    (assessed_results) and how many of them were behaald, in one grouped query."""
    per_provider = (
        assessed_results(period).order_by().values("delivered_by")
        .annotate(assessed=Count("pk"), behaald=Count("pk", filter=Q(progress=ResultProgress.Progress.ACHIEVED)))
    )
    return {row["delivered_by"]: row for row in per_provider}


def benchmark(period: Period, *, providers: QuerySet[Provider], late_after_days: int = 7,
              today: date | None = None) -> list[Provider]:
    """Per provider (e.g. of one reference group): flow_figures, the late start and stop reports,
    the open SLA signals and the results assessed and behaald with the percentage behaald.

    Four queries, merged per provider: the counts that are correlated subqueries (late reports,
    open signals) and the results (grouped by the delivering provider, itself a subquery) each
    run on their own, because inside the grouped flow query the database evaluates them once per
    joined toewijzing instead of once per provider (measured: 20 times slower on SQLite)."""
    rows = list(flow_figures(period, providers=providers))
    if not rows:
        return rows
    selected = Provider.objects.filter(pk__in=[row.pk for row in rows])
    late = {row.pk: row for row in late_reports(period, providers=selected, late_after_days=late_after_days,
                                                today=today)}
    signals = dict(open_sla_signals(providers=selected).values_list("pk", "open_sla_signals"))
    results = results_per_provider(period)
    for row in rows:
        row.late_start_reports = late[row.pk].late_start_reports
        row.late_stop_reports = late[row.pk].late_stop_reports
        row.late_reports = late[row.pk].late_reports
        row.open_sla_signals = signals[row.pk]
        counts = results.get(row.pk, {})
        row.results_assessed, row.results_behaald = counts.get("assessed", 0), counts.get("behaald", 0)
        row.behaald_percentage = row.results_behaald * 100 / row.results_assessed if row.results_assessed else None
    return rows


BENCHMARK_AVERAGES = (
    "instroom", "uitstroom", "afschaling", "opschaling", "clients", "uitstroom_percentage", "average_duration",
    "median_duration", "late_start_reports", "late_stop_reports", "late_reports", "open_sla_signals",
    "results_assessed", "behaald_percentage",
)


def group_averages(rows: list[Provider]) -> dict:
    """The unweighted mean of each benchmark figure over the providers of fetched benchmark rows
    (each provider weighs the same; a provider without a value, e.g. a percentage without
    clients, is left out of that mean). The figures themselves come from the database; this
    averages at most a reference group's providers without running the benchmark query again."""
    averages = {}
    for name in BENCHMARK_AVERAGES:
        values = [getattr(row, name) for row in rows if getattr(row, name) is not None]
        averages[name] = sum(values, start=values[0] * 0) / len(values) if values else None
    averages["providers"] = len(rows)
    return averages


def annual_reviews_of(provider: Provider) -> QuerySet[AnnualReview]:
    """The provider's jaargesprekken, the latest year first."""
    return provider.annual_reviews.select_related("recorded_by").order_by("-year")
