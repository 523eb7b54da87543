import copy
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

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
from django.utils import timezone

from indications.models import LIVE_STATUSES, Evaluation, IndicationResult, Product, ResultProgress, decided

from .aggregates import MedianDuration
from .hooks import open_sla_signal_counts
from .models import (
    AnnualReview,
    ApiToken,
    Assignment,
    AssignmentState,
    CareEvent,
    ClientSatisfaction,
    Provider,
    SatisfactionImport,
    SatisfactionTarget,
    SlaFigures,
    SlaMonthFigures,
    SlaProductResults,
)
from .sla import EXTRA_AVERAGES, SHOWN_FIGURES, SLA_FIGURES


def provider_overview(*, today: date | None = None) -> QuerySet[Provider]:
    """Providers with aggregate counts only (no client data): what contract management may see.
    Clients in care are those whose toewijzing is in force today with care started (a vastgestelde
    beschikking whose care has not begun is not care yet)."""
    today = today or timezone.localdate()
    live = Q(indications__status__in=LIVE_STATUSES)
    in_care = (
        Assignment.objects.filter(in_care_on(today), provider=OuterRef("pk"))
        .order_by()
        .values("provider")
        .annotate(clients=Count("indication__client", distinct=True))
        .values("clients")
    )
    return (
        Provider.objects.select_related("reference_group")
        .annotate(
            live_beschikkingen=Count("indications", filter=live),
            clients_in_care=Coalesce(Subquery(in_care), 0),
            beschikkingen_total=Count("indications", filter=decided("indications__")),
        )
        .order_by("reference_group__number", "name")
    )


# The real state of a toewijzing on a day as conditions on its columns (Assignment.state_on says the
# same in Python), so that a filter on it stays a WHERE clause on the provider's rows. Beëindigd
# includes a toewijzing whose end date has passed while it is still stored as actief.
def state_conditions(day: date) -> dict[str, Q]:
    active, ended = Assignment.active_condition(day), Assignment.ended_condition(day)
    withdrawn = Q(status=Assignment.Status.WITHDRAWN)
    return {
        AssignmentState.TOEGEWEZEN: active & Q(care_started_on__isnull=True),
        AssignmentState.GESTART: active & Q(care_started_on__isnull=False, care_stopped_on__isnull=True),
        AssignmentState.GESTOPT: Q(care_stopped_on__isnull=False) & ~withdrawn,
        AssignmentState.BEEINDIGD: ended & Q(care_stopped_on__isnull=True),
        AssignmentState.INGETROKKEN: withdrawn,
    }


def in_force_on(day: date) -> Q:
    """The toewijzing applies on `day`: not ended or withdrawn, and the day lies in its period."""
    return Assignment.active_condition(day) & Q(start_date__lte=day)


def in_care_on(day: date) -> Q:
    """In force on `day` and care has started (and not stopped): the provider delivers care."""
    return in_force_on(day) & state_conditions(day)[AssignmentState.GESTART] & Q(care_started_on__lte=day)


def startable_on(day: date) -> Q:
    """Toegewezen and in force on `day`: the provider can report the start of care with that date."""
    return in_force_on(day) & state_conditions(day)[AssignmentState.TOEGEWEZEN]


# What the provider API shows of a toewijzing (api.serializers.AssignmentSerializer), and nothing
# more: a list page loads 50 rows joined five ways, and every column of every table (the consultant's
# password hash among them) would be read, converted and kept for nothing. A field read that is not
# here costs one query per row, which the API's query-count tests catch.
ASSIGNMENT_API_FIELDS = (
    "number",
    "indication_id",
    "provider_id",
    "product_id",
    "volume",
    "unit",
    "assigned_on",
    "start_date",
    "end_date",
    "status",
    "change_reason",
    "care_started_on",
    "care_stopped_on",
    "stop_reason",
    "product__code",
    "product__iwmo_category",
    "product__iwmo_code",
    "indication__number",
    "indication__opslag",
    "indication__treatment_needed",
    "indication__dagbesteding_dagdelen_ib",
    "indication__client__bsn",
    "indication__client__initials",
    "indication__client__first_name",
    "indication__client__name_prefix",
    "indication__client__last_name",
    "indication__client__date_of_birth",
    "indication__client__municipality__name",
    "indication__consultant__username",
    "indication__consultant__first_name",
    "indication__consultant__last_name",
    "indication__consultant__email",
    "indication__primary_domain__name",
)


def assignments_for(provider: Provider) -> QuerySet[Assignment]:
    """The provider's own assignments, with what the API shows (only those columns), in a fixed
    number of queries."""
    results = IndicationResult.objects.select_related("result__domain").only(
        "indication_id", "goal", "result__name", "result__domain__name"
    )
    return (
        Assignment.objects.filter(provider=provider)
        .select_related(
            "product", "indication__client__municipality", "indication__consultant", "indication__primary_domain"
        )
        .only(*ASSIGNMENT_API_FIELDS)
        .prefetch_related(Prefetch("indication__results", queryset=results))
        .order_by("-start_date", "-id")
    )


def assignment_rows(assignments: QuerySet[Assignment], ids: list[int]) -> list[dict]:
    """The assignments of `ids`, in that order, as plain values of ASSIGNMENT_API_FIELDS (and `id`),
    each with its beschikking's results under "results" (IndicationResult's order): a list page
    without ~300 model objects. Two queries."""
    found = {row["id"]: row for row in _api_values(assignments.filter(pk__in=ids))}
    return _with_results([found[pk] for pk in ids if pk in found])


# What the API shows of a beschikking's results, in IndicationResult's order.
RESULT_API_FIELDS = ("goal", "result__name", "result__domain__name")
_RESULT_ORDER = ("result__domain__order", "id")
_JOINED_RESULT = {f"indication__results__{field}": field for field in ("id", *RESULT_API_FIELDS)}


def assignment_row(assignments: QuerySet[Assignment], number: str) -> dict | None:
    """The assignment with this toewijzingnummer among `assignments` as assignment_rows gives it, or
    None: a detail read without model objects. One query: the row joined with its beschikking's
    results (one row per result), which a request pays for in planning and compiling once."""
    joined = _api_values(assignments.filter(number=number), *_JOINED_RESULT).order_by(
        *(f"indication__results__{field}" for field in _RESULT_ORDER)
    )
    rows = list(joined)
    if not rows:
        return None
    row = {key: value for key, value in rows[0].items() if key not in _JOINED_RESULT}
    row["results"] = [
        {"indication_id": row["indication_id"], **{field: result[key] for key, field in _JOINED_RESULT.items()}}
        for result in rows
        if result["indication__results__id"] is not None
    ]
    return row


def _api_values(assignments: QuerySet[Assignment], *more: str) -> QuerySet:
    return assignments.prefetch_related(None).values("id", *ASSIGNMENT_API_FIELDS, *more)


def _with_results(rows: list[dict]) -> list[dict]:
    if not rows:
        return rows
    results: dict[int, list[dict]] = {row["indication_id"]: [] for row in rows}
    for result in (
        IndicationResult.objects.filter(indication_id__in=results)
        .values("indication_id", "id", *RESULT_API_FIELDS)
        .order_by(*_RESULT_ORDER)
    ):
        results[result["indication_id"]].append(result)
    for row in rows:
        row["results"] = results[row["indication_id"]]
    return rows


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
        return [
            Period(f"{year}-{month:02d}", date(year, month, 1), date(year, month, monthrange(year, month)[1]))
            for month in range(1, 13)
        ]
    if granularity == "kwartaal":
        return [
            Period(f"{year}-K{q}", date(year, 3 * q - 2, 1), date(year, 3 * q, monthrange(year, 3 * q)[1]))
            for q in range(1, 5)
        ]
    return [Period(str(year), date(year, 1, 1), date(year, 12, 31))]


def _provider_rows(providers: QuerySet[Provider] | None) -> list[Provider]:
    return list(
        (providers if providers is not None else Provider.objects.all())
        .select_related("reference_group")
        .order_by("reference_group__number", "name")
    )


def flow_figures(
    period: Period, *, providers: QuerySet[Provider] | None = None, today: date | None = None
) -> list[Provider]:
    """Per provider: instroom, uitstroom, afschaling, opschaling, clients, average and median
    trajectory duration and the uitstroom percentage. One query grouped per provider over the
    toewijzingen that overlap the period (every figure is about one of those), so its cost
    follows the period, not the whole history; providers without any get zeros. Ended: beëindigd
    on `today` (also when its end date passed before the nightly job stored it)."""
    today = today or timezone.localdate()
    rows = _provider_rows(providers)
    start, end = period.start, period.end
    in_period = Q(start_date__gte=start, start_date__lte=end)
    ended = Assignment.ended_condition(today) & Q(end_date__gte=start, end_date__lte=end)
    # Outflow: an ended toewijzing that no toewijzing at the same provider continues the next day.
    continued = Assignment.objects.filter(
        provider=OuterRef("provider"),
        indication__client=OuterRef("indication__client"),
        start_date=ExpressionWrapper(OuterRef("end_date") + timedelta(days=1), output_field=DateField()),
    )
    duration = ExpressionWrapper(F("end_date") - F("start_date"), output_field=DurationField())
    per_provider = (
        Assignment.objects.filter(provider__in=[row.pk for row in rows], start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .exclude(status=Assignment.Status.WITHDRAWN)  # ingetrokken: no care was given
        .order_by()
        .values("provider")
        .annotate(
            instroom=Count("pk", filter=in_period & Q(indication__kind="eerste")),
            afschaling=Count("pk", filter=in_period & Q(indication__kind="afschaling")),
            opschaling=Count("pk", filter=in_period & Q(indication__kind="opschaling")),
            uitstroom=Count("indication__client", filter=ended & ~Exists(continued), distinct=True),
            clients=Count("indication__client", distinct=True),
            average_duration=Avg(duration, filter=ended),
            median_duration=MedianDuration(duration, filter=ended),
        )
        .annotate(uitstroom_percentage=_percentage("uitstroom", "clients"))
    )
    figures = {values.pop("provider"): values for values in per_provider}
    nothing = {
        "instroom": 0,
        "afschaling": 0,
        "opschaling": 0,
        "uitstroom": 0,
        "clients": 0,
        "average_duration": None,
        "median_duration": None,
        "uitstroom_percentage": None,
    }
    for row in rows:
        for name, value in figures.get(row.pk, nothing).items():
            setattr(row, name, value)
    return rows


# --------------------------------------------------------------------------------------------
# Late reports
# --------------------------------------------------------------------------------------------


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
            Exists(
                CareEvent.objects.filter(
                    assignment=OuterRef("pk"),
                    kind=CareEvent.Kind.START,
                    accepted=True,
                    received_at__date__gt=OuterRef("cutoff"),
                )
            )
            | (Q(care_started_on__isnull=True, cutoff__lt=today) & Assignment.active_condition(today))
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
            Exists(
                CareEvent.objects.filter(
                    assignment=OuterRef("pk"),
                    kind=CareEvent.Kind.STOP,
                    accepted=True,
                    received_at__date__gt=OuterRef("cutoff"),
                )
            )
            | Q(care_stopped_on__isnull=True, cutoff__lt=today)
        )
    )


def _count_per_provider(assignments: QuerySet[Assignment], provider_ids: list[int]) -> dict[int, int]:
    return dict(
        assignments.filter(provider__in=provider_ids)
        .order_by()
        .values("provider")
        .annotate(n=Count("pk"))
        .values_list("provider", "n")
    )


def late_reports(
    period: Period, *, provider_ids: list[int], late_after_days: int = 7, today: date | None = None
) -> dict[int, dict]:
    """Per provider, in two grouped queries: late start reports, late stop reports and both."""
    starts = _count_per_provider(late_start_reports(period, late_after_days=late_after_days, today=today), provider_ids)
    stops = _count_per_provider(late_stop_reports(period, late_after_days=late_after_days, today=today), provider_ids)
    return {
        pk: {
            "late_start_reports": starts.get(pk, 0),
            "late_stop_reports": stops.get(pk, 0),
            "late_reports": starts.get(pk, 0) + stops.get(pk, 0),
        }
        for pk in provider_ids
    }


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


def _indications_at(provider_ids: list[int] | None) -> QuerySet[Assignment] | None:
    """The beschikkingen with a toewijzing at one of the providers: only their evaluations can be
    of those providers' care, so a query about a few providers need not look at the others."""
    return None if provider_ids is None else Assignment.objects.filter(provider__in=provider_ids).values("indication")


def evaluations_held(period: Period, *, provider_ids: list[int] | None = None) -> QuerySet[Evaluation]:
    """Evaluations held in the period, each with the provider whose care it evaluated (delivered_by);
    with `provider_ids`, only those of these providers' care."""
    held = Evaluation.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
    if provider_ids is not None:
        held = held.filter(indication__in=_indications_at(provider_ids))
    held = held.annotate(delivered_by=_delivering_provider("indication", "held_on"))
    return held if provider_ids is None else held.filter(delivered_by__in=provider_ids)


def assessed_results(period: Period, *, provider_ids: list[int] | None = None) -> QuerySet[ResultProgress]:
    """Each result's latest assessment at a provider in the period (delivered_by as for evaluations);
    with `provider_ids`, only those at these providers.

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
    latest = assessed.exclude(Exists(later))
    if provider_ids is None:
        return latest
    return latest.filter(evaluation__indication__in=_indications_at(provider_ids), delivered_by__in=provider_ids)


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


NO_RESULTS = {
    **dict.fromkeys(["evaluations", *OUTCOME_FIELDS.values(), "results_assessed", *PROGRESS_FIELDS.values()], 0),
    "behaald_percentage": None,
}


def _percentage(part: str, whole: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(part) * 100.0 / NullIf(F(whole), 0), output_field=FloatField())


def results_per_provider_and_product(period: Period, *, provider_ids: list[int] | None = None) -> dict[tuple, dict]:
    """Per (provider, IB product) of care evaluated in the period: evaluations held (in total and per
    outcome) and the results assessed (assessed_results: in total, behaald, deels, niet behaald and
    the percentage behaald). Two grouped queries; only pairs with an evaluation are keys."""
    figures: dict[tuple, dict] = {}
    evaluations = (
        evaluations_held(period, provider_ids=provider_ids)
        .order_by()
        .values("delivered_by", "indication__product")
        .annotate(
            evaluations=Count("pk"),
            **{field: Count("pk", filter=Q(outcome=value)) for value, field in OUTCOME_FIELDS.items()},
        )
    )
    for values in evaluations:
        key = (values.pop("delivered_by"), values.pop("indication__product"))
        figures[key] = {**NO_RESULTS, **values}
    assessed = (
        assessed_results(period, provider_ids=provider_ids)
        .order_by()
        .values("delivered_by", "evaluation__indication__product")
        .annotate(
            results_assessed=Count("pk"),
            **{field: Count("pk", filter=Q(progress=value)) for value, field in PROGRESS_FIELDS.items()},
        )
        .annotate(behaald_percentage=_percentage("behaald", "results_assessed"))
    )
    for values in assessed:
        key = (values.pop("delivered_by"), values.pop("evaluation__indication__product"))
        figures.setdefault(key, dict(NO_RESULTS)).update(values)
    return figures


def results_per_product(period: Period, *, provider: Provider) -> list[Product]:
    """results_per_provider_and_product for one provider: every IB product a row, also without data."""
    figures = results_per_provider_and_product(period, provider_ids=[provider.pk])
    products = list(Product.objects.order_by("level"))
    for product in products:
        for name, value in figures.get((provider.pk, product.pk), NO_RESULTS).items():
            setattr(product, name, value)
    return products


# --------------------------------------------------------------------------------------------
# Benchmark: the providers of a reference group side by side
# --------------------------------------------------------------------------------------------


def results_per_provider(period: Period, *, provider_ids: list[int] | None = None) -> dict[int, dict]:
    """Per provider whose care was evaluated in the period (delivered_by): the results assessed
    (assessed_results) and how many of them were behaald, in one grouped query."""
    per_provider = (
        assessed_results(period, provider_ids=provider_ids)
        .order_by()
        .values("delivered_by")
        .annotate(assessed=Count("pk"), behaald=Count("pk", filter=Q(progress=ResultProgress.Progress.ACHIEVED)))
    )
    return {row["delivered_by"]: row for row in per_provider}


def benchmark(
    period: Period, *, providers: QuerySet[Provider], late_after_days: int = 7, today: date | None = None
) -> list[Provider]:
    """Per provider (e.g. of one reference group): flow_figures, the late start and stop reports,
    the open SLA signals (counted by the signals app, through providers.hooks) and the results
    assessed and behaald with the percentage behaald.

    Five grouped queries, merged per provider. Correlated per-provider subqueries in one query
    were evaluated once per joined toewijzing, not once per provider (20 times slower on SQLite,
    minutes on the national data set)."""
    rows = flow_figures(period, providers=providers, today=today)
    if not rows:
        return rows
    ids = [row.pk for row in rows]
    late = late_reports(period, provider_ids=ids, late_after_days=late_after_days, today=today)
    signals = open_sla_signal_counts(ids)
    results = results_per_provider(period, provider_ids=ids)
    for row in rows:
        for name, value in late[row.pk].items():
            setattr(row, name, value)
        row.open_sla_signals = signals[row.pk]
        counts = results.get(row.pk, {})
        row.results_assessed, row.results_behaald = counts.get("assessed", 0), counts.get("behaald", 0)
        row.behaald_percentage = row.results_behaald * 100 / row.results_assessed if row.results_assessed else None
    return rows


BENCHMARK_AVERAGES = (*(figure.name for figure in SHOWN_FIGURES), *EXTRA_AVERAGES)


# --------------------------------------------------------------------------------------------
# The stored figures (providers.services.refresh_sla_figures, nightly) that the pages read
# --------------------------------------------------------------------------------------------

STORED_FIGURES = tuple(figure.name for figure in SLA_FIGURES)


@dataclass
class SlaFiguresAnswer:
    """sla_figures(): the rows (as benchmark()), when they were computed and whether stored."""

    rows: list
    computed_on: date
    stored: bool


def stored_benchmark(year: int, quarter: int, *, providers: QuerySet[Provider] | None = None) -> list[Provider]:
    """Like benchmark(), from the stored figures of the year (quarter 0) or a quarter, with the open
    SLA signals as they are now: two queries. A provider without stored figures gets none (None)."""
    rows = _provider_rows(providers)
    ids = [row.pk for row in rows]
    stored = {
        figures.provider_id: figures
        for figures in SlaFigures.objects.filter(provider__in=ids, year=year, quarter=quarter)
    }
    signals = open_sla_signal_counts(ids)
    for row in rows:
        figures = stored.get(row.pk)
        for name in STORED_FIGURES:
            setattr(row, name, getattr(figures, name) if figures else None)
        row.late_reports = figures.late_reports if figures else None
        row.open_sla_signals = signals.get(row.pk, 0)
    return rows


def stored_figures_of(provider: Provider, years: list[int]) -> dict[tuple[int, int], SlaFigures]:
    """The provider's stored figures per (year, quarter) for the years: one query."""
    return {
        (figures.year, figures.quarter): figures
        for figures in SlaFigures.objects.filter(provider=provider, year__in=years)
    }


def stored_group_figures(provider: Provider, years: list[int]) -> dict[int, list[SlaFigures]]:
    """The year figures of every provider in the provider's reference group, per year: one query."""
    per_year: dict[int, list[SlaFigures]] = {year: [] for year in years}
    for figures in SlaFigures.objects.filter(
        provider__reference_group_id=provider.reference_group_id, year__in=years, quarter=0
    ):
        per_year[figures.year].append(figures)
    return per_year


def stored_results_per_product(provider: Provider, year: int) -> list[Product]:
    """The stored results_per_product of the provider's year: every IB product a row."""
    stored = {results.product_id: results for results in SlaProductResults.objects.filter(provider=provider, year=year)}
    products = list(Product.objects.order_by("level"))
    for product in products:
        results = stored.get(product.pk)
        for name, empty in NO_RESULTS.items():
            setattr(product, name, getattr(results, name) if results else empty)
    return products


def _stored_key(period: Period) -> tuple[str, int, int] | None:
    """Which stored figures hold exactly the period: ("kwartaal", year, 0) for a year, ("kwartaal",
    year, q) for a quarter, ("maand", year, month) for a month; None for any other period."""
    start, end, year = period.start, period.end, period.start.year
    if start.day != 1 or end.year != year or (end + timedelta(days=1)).day != 1:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 12 and start.month == 1:
        return ("kwartaal", year, 0)
    if months == 3 and start.month % 3 == 1:
        return ("kwartaal", year, (start.month + 2) // 3)
    if months == 1:
        return ("maand", year, start.month)
    return None


def _stored_rows_of_keys(keys: list[tuple[str, int, int]], provider_ids: list[int]):
    """(key, stored row) for the stored figures of the keys (_stored_key): one query per kind."""
    for kind, model, part in (("kwartaal", SlaFigures, "quarter"), ("maand", SlaMonthFigures, "month")):
        wanted = {(year, number) for key_kind, year, number in keys if key_kind == kind}
        if not wanted:
            continue
        condition = Q()
        for year in {year for year, _number in wanted}:
            condition |= Q(year=year, **{f"{part}__in": [number for y, number in wanted if y == year]})
        for figures in model.objects.filter(condition, provider__in=provider_ids):
            yield (kind, figures.year, getattr(figures, part)), figures


def sla_figures(period: Period, *, providers: QuerySet[Provider], today: date | None = None) -> SlaFiguresAnswer:
    """The SLA figures of the providers over the period, as benchmark() computes them: for a closed
    period (ended before today) from the stored figures of the nightly refresh when every provider
    has them (three queries), else live (the open period, or a closed one not stored yet: nothing is
    ever missing). The answer says when the figures were computed (computed_on; today when live)."""
    return sla_figures_of_periods([period], providers=providers, today=today)[0]


def sla_figures_of_periods(
    periods_: list[Period], *, providers: QuerySet[Provider], today: date | None = None
) -> list[SlaFiguresAnswer]:
    """sla_figures() for several periods at once (the months of a year, say), an answer per period
    in their order. The stored ones cost three queries together, whatever their number: the
    providers, the stored rows of every closed period (one query per kind: months, quarters and
    years), the open SLA signals; each open or not-stored period is computed live."""
    today = today or timezone.localdate()
    closed = [period for period in periods_ if period.end < today and _stored_key(period) is not None]
    stored: dict[tuple, dict[int, object]] = {}
    rows: list[Provider] = []
    if closed:
        rows = _provider_rows(providers)
        ids = [row.pk for row in rows]
        for key, figures in _stored_rows_of_keys([_stored_key(period) for period in closed], ids):
            stored.setdefault(key, {})[figures.provider_id] = figures
    complete = {key for key, per_provider in stored.items() if rows and len(per_provider) == len(rows)}
    signals = open_sla_signal_counts([row.pk for row in rows]) if complete else {}
    answers = []
    for period in periods_:
        key = _stored_key(period) if period.end < today else None
        if key in complete:
            per_provider = stored[key]
            period_rows = [copy.copy(row) for row in rows]
            for row in period_rows:
                figures = per_provider[row.pk]
                for name in STORED_FIGURES:
                    setattr(row, name, getattr(figures, name))
                row.late_reports = figures.late_reports
                row.open_sla_signals = signals.get(row.pk, 0)
            computed_on = min(figures.computed_on for figures in per_provider.values())
            answers.append(SlaFiguresAnswer(period_rows, computed_on, stored=True))
        else:
            answers.append(SlaFiguresAnswer(benchmark(period, providers=providers, today=today), today, stored=False))
    return answers


def sla_figures_computed_on() -> date | None:
    """The reference date of the last refresh of the stored SLA figures."""
    return SlaFigures.objects.order_by("-computed_on").values_list("computed_on", flat=True).first()


def group_averages(rows: list) -> dict:
    """The unweighted mean of each benchmark figure over the providers that had clients in the period
    (each weighs the same; a provider without care then, e.g. an inactive one, would pull the mean
    to zero; a provider without a value, e.g. without ended toewijzingen for a duration, is left out
    of that mean). The figures come from the database; this averages at most a few dozen rows."""
    with_care = [row for row in rows if getattr(row, "clients", None)]
    averages = {}
    for name in BENCHMARK_AVERAGES:
        values = [getattr(row, name, None) for row in with_care if getattr(row, name, None) is not None]
        averages[name] = sum(values, start=values[0] * 0) / len(values) if values else None
    averages["providers"] = len(with_care)
    return averages


def annual_reviews_of(provider: Provider) -> QuerySet[AnnualReview]:
    """The provider's jaargesprekken, the latest year first."""
    return provider.annual_reviews.select_related("recorded_by").order_by("-year")


def api_tokens_expiring(*, now, within_days: int) -> QuerySet[ApiToken]:
    """Keys still in use (not revoked, not yet expired) that expire within `within_days` days, soonest first."""
    return (
        ApiToken.objects.filter(
            revoked_at__isnull=True,
            provider__is_active=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=within_days),
        )
        .select_related("provider")
        .order_by("expires_at")
    )


# -- the cliëntervaringsonderzoek ------------------------------------------------------------


def satisfaction_target(year: int) -> Decimal | None:
    """The target average score of the year: the one set from the latest year up to it."""
    target = SatisfactionTarget.objects.filter(from_year__lte=year).order_by("-from_year").first()
    return target.score if target else None


def satisfaction_of(provider: Provider, year: int) -> list[ClientSatisfaction]:
    """The provider's imported results of the year: per product (by product level), then the one
    for all its clients (no product) if imported."""
    rows = list(ClientSatisfaction.objects.filter(provider=provider, year=year).select_related("product"))
    return sorted(rows, key=lambda row: (row.product is None, row.product.level if row.product else 0))


@dataclass
class ProviderSatisfaction:
    """A provider's satisfaction over a year: per product code and for all its clients."""

    provider: Provider
    respondents: int
    score: Decimal | None
    per_product: dict[str, Decimal]


def overall_score(rows: list[ClientSatisfaction]) -> tuple[int, Decimal | None]:
    """Respondents and average score over all of a provider's clients: the result for all clients
    when imported, else the products' scores weighted by their respondents."""
    whole = next((row for row in rows if row.product_id is None), None)
    if whole is not None:
        return whole.respondents, whole.score
    respondents = sum(row.respondents for row in rows)
    if not respondents:
        return 0, None
    total = sum(row.score * row.respondents for row in rows)
    return respondents, (total / respondents).quantize(Decimal("0.01"))


def satisfaction_per_provider(year: int, providers: QuerySet[Provider]) -> list[ProviderSatisfaction]:
    """The providers with imported results in the year, by name (one query)."""
    per_provider: dict[int, list[ClientSatisfaction]] = {}
    for row in ClientSatisfaction.objects.filter(year=year, provider__in=providers).select_related(
        "provider__reference_group", "product"
    ):
        per_provider.setdefault(row.provider_id, []).append(row)
    result = []
    for rows in per_provider.values():
        respondents, score = overall_score(rows)
        per_product = {row.product.code: row.score for row in rows if row.product is not None}
        result.append(ProviderSatisfaction(rows[0].provider, respondents, score, per_product))
    return sorted(result, key=lambda item: item.provider.name)


def recent_satisfaction_imports(limit: int = 10) -> QuerySet[SatisfactionImport]:
    return SatisfactionImport.objects.select_related("imported_by")[:limit]
